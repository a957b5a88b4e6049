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
that already holds it: the very first open, which also ingests and stores the article, is
timed separately into a fresh database each time and reported for information.

References, launched the same way in the same run, interleaved round by round with
presscheck's launches so that a machine that slows down slows all of them:
the 5 KB article in presscheck, a minimal Textual app (one `Static`, bench/minimal_app.py)
and `less` on the 5 MB file.
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


def measure(ctx: Context) -> list[Figure]:
    rounds = ctx.repeats(9, 3)  # launches vary ±15% on a shared VM: nine rounds steady the median
    first_opens = ctx.repeats(3, 1)
    folder = ctx.folder("first-frame")
    articles = {label: ctx.article(size) for label, size in SIZES.items()}

    def presscheck(label: str, db: str) -> Callable[[], list[str]]:
        return lambda: [str(ctx.presscheck), "--db", str(folder / db), "--author", "bench", str(articles[label])]

    # the very first open of each article, each into a fresh database; the first of them
    # is also the warm-up of the database the timed launches then use
    first_open: dict[str, Figure] = {}
    for index in range(first_opens):
        for label in SIZES:
            figure = first_open.setdefault(label, Figure(
                f"first_open.{label.replace(' ', '').lower()}",
                f"first open into an empty DB, {label} article",
            ))
            log(f"first open into an empty database, {label} ({index + 1}/{first_opens})")
            launch(ctx, presscheck(label, f"fresh-{label.replace(' ', '')}-{index}.json")(), figure)

    variants = [
        *(Variant(label, f"first frame, {label} article", presscheck(label, f"fresh-{label.replace(' ', '')}-0.json"))
          for label in SIZES),
        Variant("minimal", "first frame, minimal Textual app (one Static)",
                lambda: [str(ctx.python), str(BENCH / "minimal_app.py"), inputs.FIRST_WORDS]),
        Variant("less", "first frame, less on the 5 MB file",
                lambda: ["less", str(articles["5 MB"])]),
    ]
    figures = {v.key: Figure(f"first_frame.{v.key.replace(' ', '').lower()}", v.label) for v in variants}
    for variant in variants[3:]:  # warm-ups of the references (presscheck's were the first opens)
        launch(ctx, variant.argv(), Figure("warmup", "warm-up"), variant.quit_keys)
    for index in range(rounds):
        log(f"first frame, round {index + 1}/{rounds}")
        for variant in variants:
            launch(ctx, variant.argv(), figures[variant.key], variant.quit_keys)

    big, small, minimal = figures["5 MB"], figures["5 KB"], figures["minimal"]
    vs_small = ratio(big.median, small.median)
    big.target = "≤ 1.25 × 5 KB article"
    big.reference = f"5 KB article {fmt(small.median, 'ms')} {fmt_ratio(vs_small)}"
    big.judge(None if vs_small is None else vs_small <= 1.25)

    vs_minimal_figure = Figure(
        "first_frame.5mb_vs_minimal", "first frame, 5 MB article", samples=list(big.samples),
        failures=list(big.failures), notes=["same launches as the row above, compared with the minimal app"],
        extra={"same_runs_as": big.key},
    )
    vs_minimal = ratio(big.median, minimal.median)
    vs_minimal_figure.target = "≤ 1.5 × minimal Textual app"
    vs_minimal_figure.reference = f"minimal app {fmt(minimal.median, 'ms')} {fmt_ratio(vs_minimal)}"
    vs_minimal_figure.judge(None if vs_minimal is None else vs_minimal <= 1.5)

    middle = figures["1 MB"]
    middle.reference = f"5 KB article {fmt(small.median, 'ms')} {fmt_ratio(ratio(middle.median, small.median))}"
    small.reference = f"minimal app {fmt(minimal.median, 'ms')} {fmt_ratio(ratio(small.median, minimal.median))}"
    for label, figure in first_open.items():
        steady = figures[label].median
        figure.reference = f"DB holding it {fmt(steady, 'ms')} {fmt_ratio(ratio(figure.median, steady))}"
    for figure in [*figures.values(), *first_open.values()]:
        if figure is not big:
            figure.judge(None)
    return [big, vs_minimal_figure, small, figures["1 MB"], minimal, figures["less"], *first_open.values()]
