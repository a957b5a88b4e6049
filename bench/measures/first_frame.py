"""First frame: how long from starting a program in a real terminal until the article's
text is on its screen.

The clock starts just before tmux is asked to spawn the program and stops at the first
screen capture that shows `inputs.FIRST_WORDS`: the start of the article's first body
paragraph (the title line above it is shown outside the pane too, so a screen that shows
only the title, a loading message or an empty pane does not count). The resolution is
the poll interval the terminal driver reports. tmux takes in a frame in pieces, so the
capture that first shows the words may show the top of the frame only: the figure is when
the frame began to arrive, about a millisecond before it is complete.

presscheck opens each article with `--db DB --author bench` (no name dialog) on a database
that already holds it; the very first open, which also ingests and stores the article, is
timed too, into a new empty database each time (one more launch of each article a round).

References, launched the same way in the same run, interleaved round by round with
presscheck's launches so that a machine that slows down slows all of them:
the 5 KB article in presscheck, a minimal Textual app (one `Static`, bench/minimal_app.py)
and `less` on the 5 MB file. Issue 21's rows: the 5 MB article reopened, its first open
and the 5 KB article, each ≤ 1.2 × the minimal app (the same launches as the rows they
name, judged against the minimal app).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import inputs
from context import BENCH, Context, log, tail
from report import Figure, fmt, fmt_ratio, ratio
from terminal import TerminalError, memory_of, program_pid

SIZES = {"5 KB": 5_000, "1 MB": 1_000_000, "5 MB": 5_000_000}
TIMEOUT = 30.0
PAUSE = 0.3
"""Seconds between two launches, for the previous program's exit to be over."""
MINIMAL_LIMIT = 1.2
"""Issue 21: the first frame of the 5 MB article reopened, of its first open and of the
5 KB article, each at most this many times the minimal Textual app's."""


@dataclass
class Variant:
    key: str
    label: str
    argv: Callable[[], list[str]]
    quit_keys: tuple[str, ...] = ("q",)


def launch(ctx: Context, argv: list[str], figure: Figure, quit_keys: tuple[str, ...] = ("q",)) -> None:
    """One launch: spawn, wait for the marker, record the time (or why there is none), quit."""
    pane = ctx.launch(argv, figure)
    if pane is None:
        return
    terminal = ctx.terminal
    try:
        shown = ctx.wait_for_article(pane, argv, TIMEOUT, "the article's first words")
        figure.samples.append((shown - pane.started) * 1000)
        try:
            memory = memory_of(program_pid(pane.pid, Path(argv[0]).name))
            figure.extra.setdefault("peak_rss_mb_at_first_frame", []).append(memory.get("VmHWM"))
        except OSError:
            pass
    except TerminalError as error:
        screen = getattr(error, "screen", "")
        figure.failures.append(f"{error}; screen: {tail(screen)}")
        log(f"  {figure.label}: {error}")
    finally:
        if not terminal.quit(pane, quit_keys):
            figure.notes.append("did not exit on its quit key within 10 s (killed)")
        time.sleep(PAUSE)


def against_minimal(figure: Figure, minimal: Figure, label: str) -> Figure:
    """A row of the same launches as `figure`, judged against the minimal app (issue 21:
    each first frame ≤ MINIMAL_LIMIT × the minimal Textual app's)."""
    row = Figure(
        f"{figure.key}_vs_minimal", label, samples=list(figure.samples), failures=list(figure.failures),
        notes=[f"the launches of \"{figure.label}\", compared with the minimal app"],
        extra={"same_runs_as": figure.key},
    )
    value = ratio(row.median, minimal.median)
    row.target = f"≤ {MINIMAL_LIMIT:g} × minimal Textual app"
    row.reference = f"minimal app {fmt(minimal.median, 'ms')} {fmt_ratio(value)}"
    row.judge(None if value is None else value <= MINIMAL_LIMIT)
    return row


def measure(ctx: Context) -> list[Figure]:
    # launches vary by ±20% on a shared VM, process to process (the same import of Textual
    # took 119-181 ms of CPU in consecutive processes): 21 rounds steady the medians
    rounds = ctx.repeats(21, 3)
    folder = ctx.folder("first-frame")
    articles = {label: ctx.article(size) for label, size in SIZES.items()}

    def presscheck(label: str, db: str) -> Callable[[], list[str]]:
        return lambda: [str(ctx.presscheck), "--db", str(folder / db), "--author", "bench", str(articles[label])]

    def fresh(label: str, index: int) -> str:
        return f"fresh-{label.replace(' ', '')}-{index}.json"

    # the warm-ups: presscheck's are the very first open of each article, into the database
    # the reopens then use; each round opens each article once more into a new database
    for label in SIZES:
        log(f"first open into an empty database, {label} (warm-up)")
        launch(ctx, presscheck(label, fresh(label, 0))(), Figure("warmup", "warm-up"))
    first_open = {
        label: Figure(f"first_open.{label.replace(' ', '').lower()}", f"first open into an empty DB, {label} article")
        for label in SIZES
    }
    variants = [
        *(Variant(label, f"first frame, {label} article", presscheck(label, fresh(label, 0))) for label in SIZES),
        Variant("minimal", "first frame, minimal Textual app (one Static)",
                lambda: [str(ctx.python), str(BENCH / "minimal_app.py"), inputs.FIRST_WORDS]),
        Variant("less", "first frame, less on the 5 MB file",
                lambda: ["less", str(articles["5 MB"])]),
    ]
    figures = {v.key: Figure(f"first_frame.{v.key.replace(' ', '').lower()}", v.label) for v in variants}
    for variant in variants[3:]:  # warm-ups of the references
        launch(ctx, variant.argv(), Figure("warmup", "warm-up"), variant.quit_keys)
    for index in range(rounds):
        log(f"first frame, round {index + 1}/{rounds}")
        for variant in variants:
            launch(ctx, variant.argv(), figures[variant.key], variant.quit_keys)
        for label in SIZES:
            launch(ctx, presscheck(label, fresh(label, index + 1))(), first_open[label])

    big, small, minimal = figures["5 MB"], figures["5 KB"], figures["minimal"]
    vs_small = ratio(big.median, small.median)
    big.target = "≤ 1.25 × 5 KB article"
    big.reference = f"5 KB article {fmt(small.median, 'ms')} {fmt_ratio(vs_small)}"
    big.judge(None if vs_small is None else vs_small <= 1.25)
    to_minimal = [
        against_minimal(big, minimal, "first frame, 5 MB reopened"),
        against_minimal(first_open["5 MB"], minimal, "first frame, 5 MB first open"),
        against_minimal(small, minimal, "first frame, 5 KB"),
    ]

    middle = figures["1 MB"]
    middle.reference = f"5 KB article {fmt(small.median, 'ms')} {fmt_ratio(ratio(middle.median, small.median))}"
    small.reference = f"minimal app {fmt(minimal.median, 'ms')} {fmt_ratio(ratio(small.median, minimal.median))}"
    for label, figure in first_open.items():
        steady = figures[label].median
        figure.reference = f"DB holding it {fmt(steady, 'ms')} {fmt_ratio(ratio(figure.median, steady))}"
    for figure in [*figures.values(), *first_open.values()]:
        if figure is not big:
            figure.judge(None)
    return [big, *to_minimal, small, figures["1 MB"], minimal, figures["less"], *first_open.values()]
