"""Size independence (issue 21): every row of the issue's table, each beside its reference
measured in the same run, and the curves of first frame and durable save against the
database's size.

The databases (bench/inputs.py `make_big_database`, made once per run through the Store's
public API, ~25 s in all): short articles (~5 KB, each titled "Bench library article
NNNN", their files in the run's `library` folder) with 50 annotations each, at 20, 200
and 2,000 articles (1,000, 10,000 and 100,000 annotations); the reference databases hold
articles 0 and 1 only: with no annotations (the empty database), with their 100 (the
reference of the first frame, the library and the peak RSS), and with 500 each (the
keystrokes' 1,000 annotations on the open articles). Every session opens articles 0 and 1.
Each database is checked once made: a database that does not hold what was put in it
(the storage being rewritten may lose records) gets a note on its rows.

What each row measures and against what: bench/measures/big_sessions.py (first frame,
peak RSS, library, keys; in tmux) and bench/measures/big_work.py (saves in this process;
export, import and compare as commands). A wait that times out is a failed run with its
reason; a row whose every run timed out is a FAIL, never a crash of the harness.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import inputs
from context import BENCH, Context, log
from report import ERROR, FAIL, Figure, fmt, fmt_ratio, ratio
from terminal import TerminalError

from measures import big_sessions, big_work

SIZES = {"1k": 20, "10k": 200, "100k": 2000}
"""Curve point → articles in the database (50 annotations each)."""
LIMITS = {"first_frame": 1.1, "library_ms": 100.0, "key_median_ms": 16.0, "key_max_ms": 50.0,
          "save_ms": 2.0, "linear": 10.0, "memory": 2.0}


def database_label(articles: int) -> str:
    return f"DB of {articles:,} articles / {articles * inputs.PER_ARTICLE:,} annotations"


def guarded(figures: list[Figure], work: Callable[[], None], what: str) -> None:
    """Run one part of the measure; an exception fails that part's figures (those not
    measured yet) with its last line, and the other parts still run."""
    try:
        work()
    except Exception as error:  # noqa: BLE001 - reported with the figures, the next part runs
        if harness_bug(error):
            raise  # bench/run.py reports it and exits 1
        text = traceback.format_exc()
        print(text, file=sys.stderr)
        reason = f"{what}: {type(error).__name__}: {error}".splitlines()[0][:300]
        for figure in figures:
            if not figure.samples:
                figure.failures.append(reason)
                figure.extra["traceback"] = text


def harness_bug(error: BaseException) -> bool:
    """Whether `error` was raised by the harness's own code (its innermost frame is in
    bench/, and it is not the terminal's), as bench/run.py tells them apart."""
    if isinstance(error, TerminalError):
        return False
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(BENCH)


def timed_out(failure: str) -> bool:
    return "did not appear within" in failure or "still running after" in failure or "did not change within" in failure


def judge(figure: Figure, ok: bool | None) -> None:
    """`Figure.judge`, except that a row with a target whose every run timed out is a FAIL
    (it took longer than the timeout: the target was missed), not an ERROR."""
    figure.judge(ok)
    if figure.verdict == ERROR and figure.target and all(timed_out(f) for f in figure.failures):
        figure.verdict = FAIL


def judge_ratio(figure: Figure, reference: Figure, limit: float, name: str) -> None:
    """Median over the reference's median, at most `limit`; a missing reference fails the
    row (there is nothing to judge it by)."""
    value = ratio(figure.median, reference.median)
    figure.reference = f"{name} {fmt(reference.median, reference.unit)} {fmt_ratio(value)}".strip()
    if value is None and figure.samples:
        figure.failures.append(f"no {name} figure to compare with")
        judge(figure, False)
    else:
        judge(figure, None if value is None else value <= limit)


Shape = tuple[int, int]
"""A database: (articles, annotations on each)."""


def check_databases(ctx: Context) -> dict[Shape, str]:
    """Make every database; the problem of each that does not hold what was put in it."""
    problems: dict[Shape, str] = {}
    for articles, per_article in ((2, 0), (2, 50), (2, 500), *((n, 50) for n in SIZES.values())):
        started = time.perf_counter()
        path = ctx.big_database(articles, per_article)
        made = time.perf_counter() - started
        log(f"big database: {articles:,} articles × {per_article} annotations ready ({made:.1f} s)")
        problem = inputs.stored_problem(path, articles, articles * per_article)
        if problem:
            log(f"  {problem}")
            problems[(articles, per_article)] = problem
    return problems


def make_sessions(ctx: Context) -> tuple[dict[str, big_sessions.Session], dict[str, Shape]]:
    """The databases the app is launched on, by key, and the shape of each."""
    shapes = {"empty": (2, 0), "two": (2, 50), **{key: (n, inputs.PER_ARTICLE) for key, n in SIZES.items()}}
    labels = {"empty": "DB of the two articles, no annotations",
              "two": "DB of the two articles and their 100 annotations",
              **{key: database_label(n) for key, n in SIZES.items()}}
    sessions = {
        key: big_sessions.Session(key, labels[key], ctx.folder(f"big-sessions/{key}") / "annotations.json",
                                  library=key in ("two", "100k"))
        for key in shapes
    }
    return sessions, shapes


def command_figures() -> dict[str, dict[str, Figure]]:
    """Export, import and compare figures at 10k and 100k."""
    commands = {}
    for key in ("10k", "100k"):
        count = f"{SIZES[key] * inputs.PER_ARTICLE:,} annotations"
        commands[key] = {
            "export": Figure(f"big.export.{key}", f"export json, {count}"),
            "import": Figure(f"big.import.{key}", f"import {count} into an empty DB"),
            "compare": Figure(f"big.compare.{key}", f"compare, key 100 vs student of {count}"),
        }
    return commands


def measure(ctx: Context) -> list[Figure]:
    making = Figure("big.databases", "big databases made and read back")
    problems: dict[Shape, str] = {}
    guarded([making], lambda: problems.update(check_databases(ctx)), "making the databases")
    judge(making, None)

    sessions, shapes = make_sessions(ctx)

    def run_sessions() -> None:
        for key, session in sessions.items():
            inputs.copy_database(ctx.big_database(*shapes[key]), session.db)
        big_sessions.first_frames(ctx, list(sessions.values()))

    guarded([f for s in sessions.values() for f in (s.first_frame, s.memory, s.presses)], run_sessions, "first frames")

    cursor = Figure("big.keys.cursor", "cursor move (Down), 1,000 annotations on the open articles")
    sidebar = Figure("big.keys.sidebar", "sidebar move (Down), 1,000 annotations on the open articles")
    floor = Figure("big.keys.less", "Page Down in less, 5 MB file (the method's floor)")

    def run_keys() -> None:
        db = inputs.copy_database(ctx.big_database(2, 500), ctx.folder("big-keys") / "annotations.json")
        big_sessions.keystrokes(ctx, db, cursor, sidebar, floor)

    guarded([cursor, sidebar, floor], run_keys, "keystrokes")

    saves = {key: Figure(f"big.save.{key}", f"durable save, {database_label(n)}") for key, n in SIZES.items()}
    floors = {key: Figure(f"big.save_floor.{key}", f"floor of a save at {key} (one append + fdatasync, same folder)")
              for key in SIZES}
    for key, articles in SIZES.items():
        guarded([saves[key], floors[key]], lambda a=articles, k=key: big_work.saves(ctx, a, saves[k], floors[k]),
                f"saves at {key}")

    commands = command_figures()
    for key, figures in commands.items():
        runs = ctx.repeats(3, 2) if key == "10k" else ctx.repeats(3, 1)
        guarded(list(figures.values()), lambda a=SIZES[key], f=figures, r=runs: big_work.commands(ctx, a, f, r),
                f"commands at {key}")

    judge_sessions(sessions)
    judge_keys(cursor, sidebar, floor)
    judge_saves(saves, floors)
    judge_commands(commands)
    biggest, reference = sessions["100k"], sessions["two"]
    rows = [
        *([making] if making.failures else []),
        *(sessions[k].first_frame for k in ("empty", "two", "1k", "10k", "100k")),
        biggest.presses, reference.presses, cursor, sidebar, floor,
        *(saves[k] for k in SIZES), floors["100k"],
        *(f for name in ("export", "import", "compare") for f in (commands["10k"][name], commands["100k"][name])),
        biggest.memory, reference.memory,
    ]
    for row in rows:
        if row.target and not row.samples and not row.failures:
            row.failures.append("not measured: the launches it needs failed (see the rows above)")
            judge(row, None)
    measured_on: dict[Shape, list[Figure]] = {
        shapes[key]: [session.first_frame, session.memory, session.presses] for key, session in sessions.items()
    }
    measured_on[(2, 500)] = [cursor, sidebar]
    for key, articles in SIZES.items():
        measured_on[(articles, inputs.PER_ARTICLE)] += [saves[key], *commands.get(key, {}).values()]
    for shape, problem in problems.items():
        for row in measured_on.get(shape, []):
            row.notes.append(problem)
    biggest.memory.extra["peak_rss_median_mb_by_database"] = {k: s.memory.median for k, s in sessions.items()}
    return rows


def judge_sessions(sessions: dict[str, big_sessions.Session]) -> None:
    """The first frames (the 100k one against the two articles' DB, the others for the
    curve), the library, the peak RSS."""
    biggest, reference = sessions["100k"], sessions["two"]
    for session in sessions.values():
        frame = session.first_frame
        if session is biggest:
            frame.label = f"first frame, {session.label}, two articles open"
            frame.target = f"≤ {LIMITS['first_frame']} × the two articles' DB"
            judge_ratio(frame, reference.first_frame, LIMITS["first_frame"], "two articles' DB")
            continue
        frame.reference = "(the reference)" if session is reference else (
            f"two articles' DB {fmt(reference.first_frame.median, 'ms')} "
            f"{fmt_ratio(ratio(frame.median, reference.first_frame.median))}")
        judge(frame, None)

    library = biggest.presses
    library.target = f"median ≤ {LIMITS['library_ms']:g} ms after the key"
    library.reference = f"two articles' DB {fmt(reference.presses.median, 'ms')}"
    judge(library, None if library.median is None else library.median <= LIMITS["library_ms"])
    firsts = library.extra.get("first_press_ms")
    if firsts:
        library.notes.append(f"the first press of each session: {', '.join(fmt(v, 'ms') for v in firsts)}")
    judge(reference.presses, None)

    biggest.memory.label = "peak RSS, DB of 100,000 annotations, two articles open"
    biggest.memory.target = f"≤ {LIMITS['memory']:g} × the two articles' DB"
    judge_ratio(biggest.memory, reference.memory, LIMITS["memory"], "two articles' DB")
    judge(reference.memory, None)


def judge_keys(cursor: Figure, sidebar: Figure, floor: Figure) -> None:
    for figure in (cursor, sidebar):
        figure.target = f"median ≤ {LIMITS['key_median_ms']:g} ms, max ≤ {LIMITS['key_max_ms']:g} ms"
        figure.reference = f"less Page Down {fmt(floor.median, 'ms')}, max {fmt(floor.max, 'ms')}"
        judge(figure, None if figure.median is None else
              figure.median <= LIMITS["key_median_ms"] and (figure.max or 0) <= LIMITS["key_max_ms"])
    judge(floor, None)


def judge_saves(saves: dict[str, Figure], floors: dict[str, Figure]) -> None:
    """Each save beside its floor (the curve); the target at 100k."""
    for key, figure in saves.items():
        floor = floors[key]
        figure.reference = f"floor {fmt(floor.median, 'ms')} {fmt_ratio(ratio(figure.median, floor.median))}"
        figure.extra["floor_samples_ms"] = floor.samples
        if key == "100k":
            figure.target = f"median ≤ {LIMITS['save_ms']:g} ms"
            judge(figure, None if figure.median is None else figure.median <= LIMITS["save_ms"])
        else:
            judge(figure, None)
        judge(floor, None)


def judge_commands(commands: dict[str, dict[str, Figure]]) -> None:
    """Each command at 100k against the same at 10k: linear is at most ten times."""
    for name in ("export", "import", "compare"):
        small, big = commands["10k"][name], commands["100k"][name]
        judge(small, None)
        big.target = f"≤ {LIMITS['linear']:g} × the 10,000 figure"
        judge_ratio(big, small, LIMITS["linear"], "10,000:")
