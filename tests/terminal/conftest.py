"""The terminal tests' tmux: bench/terminal.py's driver (the benchmarks' too), a private
server per test, and the programs a test launches in it."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
try:
    from terminal import Pane, Terminal, TerminalError  # bench/terminal.py, standard library only
finally:
    sys.path.remove(str(BENCH))  # bench's other modules are not the tests' business

POLL_SLEEP = 0.05
"""Seconds between two screen captures while a test waits: nothing is timed here, so the
apps under test get the cores."""
SETTLE_TIMEOUT = 1.0
"""Seconds a wait goes on capturing, once the screen is there, for the repaint to finish."""
KEY_PAUSE = 0.05
"""Seconds between two keys a test presses, as a person's would be apart."""


class Program:
    """One command in its own tmux session, run by `sh`, which prints `EXITED=<status>` when
    the command ends and then lingers, so that its last screen stays to be read."""

    def __init__(self, terminal: Terminal, pane: Pane) -> None:
        self.terminal = terminal
        self.pane = pane

    @property
    def name(self) -> str:
        return self.pane.session

    def screen(self, *, escapes: bool = False) -> str:
        return self.terminal.capture(self.pane, escapes=escapes)

    def wait_until(self, ready: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        """The first screen for which `ready(screen)` holds; AssertionError with the last
        screen when none does within `timeout` seconds."""
        try:
            screen = self.terminal.wait_for(self.pane, ready, timeout, what=what)[1]
        except TerminalError as error:
            screen = getattr(error, "screen", "")
            raise AssertionError(f"{self.name}: {error}; the screen was:\n{screen}") from None
        return self._settled(screen, ready)

    def _settled(self, screen: str, ready: Callable[[str], bool]) -> str:
        """`screen`, or a later one once the repaint it may have been caught in is over:
        tmux can be captured halfway through a frame (the first lines new, the rest not yet
        drawn). The latest screen that still satisfies `ready`, after two alike captures or
        SETTLE_TIMEOUT seconds."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(POLL_SLEEP)
            again = self.screen()
            if again == screen or not ready(again):
                break
            screen = again
        return screen

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """The first screen showing `text`."""
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def wait_for_gone(self, text: str, timeout: float = 20.0) -> str:
        """The first screen without `text`."""
        return self.wait_until(lambda screen: text not in screen, f"a screen without {text!r}", timeout)

    def keys(self, *names: str) -> None:
        """Press tmux key names (`j`, `Enter`, `BTab`, `C-b`) one at a time."""
        for name in names:
            self.terminal.send(self.pane, name)
            time.sleep(KEY_PAUSE)

    def type(self, text: str) -> None:
        """Type `text` literally."""
        self.terminal.type(self.pane, text)

    def kill(self) -> None:
        """End the session, program and shell."""
        self.terminal.kill(self.pane)


Launch = Callable[..., Program]


@pytest.fixture
def tmux() -> Iterator[Terminal]:
    """This test's own tmux server, killed afterwards. Without tmux the test is skipped,
    except in CI, where that is a failure."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run installs it")
        pytest.skip("tmux is not installed")
    with Terminal(poll_sleep=POLL_SLEEP) as terminal:
        yield terminal


@pytest.fixture
def launch(tmux: Terminal, tmp_path: Path) -> Launch:
    """`launch(argv, name=…, cwd=…, env=…, size=(w, h), pause=…, linger=…)` → Program."""

    def start(
        argv: list[str],
        *,
        name: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        size: tuple[int, int] | None = None,
        pause: float = 0.5,
        linger: float = 30,
    ) -> Program:
        """Run `argv` in `cwd` (the test's folder) after `pause` seconds, which let tmux
        give the pane its size, and a test start piping its output, before the program
        starts; then print its exit status and stay `linger` seconds."""
        # the test's settings file (tests/conftest.py: never the developer's), unless the
        # test names its own
        env = {"PRESSCHECK_CONFIG": os.environ["PRESSCHECK_CONFIG"], **(env or {})}
        command = " ".join(shlex.quote(word) for word in argv)
        script = f"sleep {pause}; {command}; echo EXITED=$?; sleep {linger}"
        pane = tmux.spawn(["sh", "-c", script], cwd or tmp_path, env, name=name, size=size)
        return Program(tmux, pane)

    return start
