"""Peak resident memory (VmHWM of /proc/PID/status, in MiB) of presscheck with the 5 MB
article open, after End and a few Page Ups twice over (so the end of the article has been
laid out and drawn), on a database that already holds the article.

References, the same keys in the same terminal: presscheck with the 5 KB article, and the
minimal Textual app (no keys). The very first open, which also stores the article in a
fresh database, is reported for information.
"""

from __future__ import annotations

import time
from pathlib import Path

import inputs
from context import BENCH, Context, log, tail
from report import Figure, fmt, fmt_ratio, ratio
from terminal import TerminalError, memory_of, program_pid

OPEN_TIMEOUT = 30.0


def peak(ctx: Context, argv: list[str], figure: Figure, browse: bool) -> None:
    """Open, browse (End, Page Up ×3, twice), read VmHWM into `figure`, quit."""
    pane = ctx.launch(argv, figure)
    if pane is None:
        return
    terminal = ctx.terminal
    try:
        ctx.wait_for_article(pane, argv, OPEN_TIMEOUT, "the article")
        if browse:
            for _ in range(2):
                terminal.send(pane, "End")
                terminal.wait_for(pane, lambda screen: inputs.LAST_WORDS in screen, 30, what="the last words")
                for _ in range(3):
                    terminal.send(pane, "PageUp")
                    terminal.settle(pane, quiet=0.1)
        terminal.settle(pane, quiet=0.3)
        memory = memory_of(program_pid(pane.pid, Path(argv[0]).name))
        figure.samples.append(memory["VmHWM"])
        figure.extra.setdefault("rss_mb_then", []).append(memory.get("VmRSS"))
    except (TerminalError, OSError, KeyError) as error:
        figure.failures.append(f"{error}; screen: {tail(getattr(error, 'screen', ''))}")
    finally:
        terminal.quit(pane)
        time.sleep(0.3)


def measure(ctx: Context) -> list[Figure]:
    folder = ctx.folder("memory")

    def presscheck(size: int, db: str) -> list[str]:
        return [str(ctx.presscheck), "--db", str(folder / db), "--author", "bench", str(ctx.article(size))]

    first = Figure("memory.first_open_5mb", "peak RSS, 5 MB article, first open", unit="MB")
    big = Figure("memory.5mb", "peak RSS, 5 MB article open", unit="MB")
    small = Figure("memory.5kb", "peak RSS, 5 KB article open", unit="MB")
    minimal = Figure("memory.minimal", "peak RSS, minimal Textual app", unit="MB")
    log("memory: 5 MB article, first open")
    peak(ctx, presscheck(5_000_000, "db-5mb.json"), first, browse=True)
    for index in range(ctx.repeats(2, 1)):
        log(f"memory: 5 MB article ({index + 1})")
        peak(ctx, presscheck(5_000_000, "db-5mb.json"), big, browse=True)
    log("memory: references")
    peak(ctx, presscheck(5_000, "db-5kb.json"), Figure("warmup", ""), browse=True)
    peak(ctx, presscheck(5_000, "db-5kb.json"), small, browse=True)
    peak(ctx, [str(ctx.python), str(BENCH / "minimal_app.py"), inputs.FIRST_WORDS], minimal, browse=False)

    big.target = "≤ 150 MB"
    big.reference = f"5 KB article {fmt(small.median, 'MB')} {fmt_ratio(ratio(big.max, small.median))}"
    big.judge(None if big.max is None else big.max <= 150)
    small.reference = f"minimal app {fmt(minimal.median, 'MB')}"
    first.reference = f"DB holding it {fmt(big.max, 'MB')}"
    for figure in (first, small, minimal):
        figure.judge(None)
    return [big, first, small, minimal]
