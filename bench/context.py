"""What every measure gets: where to put files, how many repeats, the programs to run, and
the terminal (started on first use)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import inputs
from terminal import Pane, Terminal, TerminalError

if TYPE_CHECKING:
    from report import Figure

    from reader.model import Article

BENCH = Path(__file__).resolve().parent
GIVE_UP_AFTER = 3
"""presscheck launches in a row that never show the article, after which the terminal
measures stop launching it (a hang would otherwise cost a minute a launch)."""


@dataclass
class Context:
    work: Path
    """The run's temporary folder; everything the measures write goes under it."""
    quick: bool
    python: Path = field(default_factory=lambda: Path(sys.executable))
    _terminal: Terminal | None = None
    _failed_opens: int = 0

    @property
    def presscheck(self) -> Path:
        """The `presscheck` script of the Python running the harness."""
        return self.python.parent / "presscheck"

    def repeats(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def folder(self, name: str) -> Path:
        path = self.work / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def article(self, size: int) -> Path:
        """The article of about `size` bytes (made once per run)."""
        import inputs  # imports presscheck: a broken presscheck fails the measure, not the run

        return inputs.write_article(self.folder("articles"), size)

    def database(self, count: int, seed: int = 2) -> tuple[Path, Article]:
        """The database of `count` annotations (made once per run); copy it before use."""
        import inputs

        return inputs.make_database(self.folder("databases"), count, seed)

    def library_article(self, index: int) -> Path:
        """The file of the big databases' article number `index` (made once per run)."""
        import inputs

        return inputs.library_article(self.folder("library"), index)

    def big_database(self, articles: int, per_article: int = 50) -> Path:
        """The database of `articles` short articles with `per_article` annotations each
        (made once per run, the biggest in ~20 s); copy it before use."""
        import inputs

        return inputs.make_big_database(self.folder("library"), articles, per_article)

    def skip_reason(self, argv: list[str]) -> str | None:
        """Why not to launch `argv` in the terminal, if presscheck keeps failing to open."""
        if argv[0] == str(self.presscheck) and self._failed_opens >= GIVE_UP_AFTER:
            return f"not launched: presscheck did not show an article in its last {GIVE_UP_AFTER} launches"
        return None

    def launch(self, argv: list[str], figure: Figure) -> Pane | None:
        """`argv` spawned in the terminal; None, with the reason among `figure`'s failures,
        when presscheck keeps failing to open (see `skip_reason`)."""
        skip = self.skip_reason(argv)
        if skip:
            figure.failures.append(skip)
            return None
        # a cache folder of the run's own: the parsed CSS (`reader.css_cache`) is the run's,
        # made by the warm-ups, as a reader's is after their first start
        return self.terminal.spawn(argv, cwd=self.work, env={"XDG_CACHE_HOME": str(self.folder("cache"))})

    def opened(self, argv: list[str], shown: bool) -> None:
        """Record whether a launch of `argv` showed the article (see `skip_reason`)."""
        if argv[0] == str(self.presscheck):
            self._failed_opens = 0 if shown else self._failed_opens + 1

    def wait_for_article(
        self, pane: Pane, argv: list[str], timeout: float, what: str, ready: Callable[[str], bool] | None = None
    ) -> float:
        """When the article's first words (or what `ready` looks for) showed on `pane`,
        launched from `argv`; the launch is recorded with `opened` either way (a
        TerminalError when they never show)."""
        try:
            shown, _ = self.terminal.wait_for(
                pane, ready or (lambda screen: inputs.FIRST_WORDS in screen), timeout, what=what
            )
        except TerminalError:
            self.opened(argv, False)
            raise
        self.opened(argv, True)
        return shown

    @property
    def terminal(self) -> Terminal:
        if self._terminal is None:
            terminal = Terminal()
            try:
                terminal.start()
            except BaseException:
                terminal.close()
                raise
            self._terminal = terminal
        return self._terminal

    def poll_summary(self) -> dict[str, float]:
        """The terminal's poll intervals (empty when no measure used the terminal)."""
        return self._terminal.polls.summary() if self._terminal is not None else {}

    def close(self) -> None:
        if self._terminal is not None:
            self._terminal.close()
            self._terminal = None

    def env(self) -> dict[str, str]:
        """The environment of programs run outside the terminal: ours, without anything
        that would point presscheck at another database or author."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
        env.setdefault("LANG", "C.UTF-8")
        return env

    def run(
        self, argv: list[str], timeout: float = 120.0, cwd: Path | None = None
    ) -> tuple[float, subprocess.CompletedProcess[bytes]]:
        """Run a whole process; its wall-clock time in ms (spawn to exit) and the result
        (the caller looks at its exit status)."""
        started = time.perf_counter()
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, cwd=cwd or self.work, env=self.env(), check=False
        )
        return (time.perf_counter() - started) * 1000, done


def log(message: str) -> None:
    """Progress, on stderr so that the table on stdout stays clean."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def tail(text: str | bytes, lines: int = 3) -> str:
    """The last non-blank lines of a program's output or screen, on one line."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    kept = [re.sub(r"(.)\1{5,}", r"\1\1\1…", line.strip()) for line in text.splitlines() if line.strip()]
    kept = [re.sub(r" {3,}", "  ", line) for line in kept]
    return " | ".join(kept[-lines:])[:300] or "(nothing)"
