"""Whole commands at 10 000 annotations, wall clock from spawn to exit (start-up, reading
the database, the work, writing the result):

- `presscheck export --db DB --format json -o FILE` (one untimed warm-up first);
- `presscheck import EXPORT --db NEW` into a fresh, empty database each time;
- `presscheck compare KEY STUDENT --pack PACK --format json -o REPORT`: the student is the
  export of the 10 000 annotations, the key an export of 100 others on the same article
  (and, in a full run, of 10 000 others), the pack made by `presscheck pack create` from
  that article (information only).

A run that exits non-zero is a failed run, listed with the figure and its stderr.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from context import Context, log, tail
from report import Figure

COUNT = 10_000


def timed(ctx: Context, figure: Figure, argv: list[str], timeout: float = 300.0) -> bool:
    """Run `argv` once into `figure`; whether it succeeded."""
    try:
        elapsed, done = ctx.run(argv, timeout=timeout)
    except subprocess.TimeoutExpired:
        figure.failures.append(f"still running after {timeout:g} s (killed)")
        return False
    if done.returncode != 0:
        figure.failures.append(f"exit status {done.returncode}: {tail(done.stderr)}")
        return False
    figure.samples.append(elapsed)
    return True


def untimed(ctx: Context, argv: list[str], timeout: float = 300.0) -> None:
    """A preparation step; raises RuntimeError with its stderr when it fails."""
    done = subprocess.run(argv, capture_output=True, timeout=timeout, cwd=ctx.work, env=ctx.env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])}… exit {done.returncode}: {tail(done.stderr)}")


def measure(ctx: Context) -> list[Figure]:
    from inputs import copy_database

    bin_ = str(ctx.presscheck)
    folder = ctx.folder("processes")
    source, _ = ctx.database(COUNT)
    db = copy_database(source, folder / "db.json")
    export = folder / "export.json"

    exports = Figure("processes.export", "export json, 10k annotations")
    exports.target = "≤ 0.6 s"
    log("processes: export (warm-up, then timed)")
    warm = Figure("warmup", "warm-up")
    timed(ctx, warm, [bin_, "export", "--db", str(db), "--format", "json", "-o", str(export)])
    exports.failures += warm.failures
    if warm.samples:
        exports.extra["warm_up_ms"] = warm.samples[0]
    for index in range(ctx.repeats(5, 3)):
        out = folder / f"out-{index}.json"
        timed(ctx, exports, [bin_, "export", "--db", str(db), "--format", "json", "-o", str(out)])
    exports.judge(None if exports.median is None else exports.median <= 600)

    imports = Figure("processes.import", "import 10k annotations into an empty DB")
    imports.target = "≤ 2 s"
    if export.exists():
        log("processes: import")
        for index in range(ctx.repeats(5, 3)):
            timed(ctx, imports, [bin_, "import", str(export), "--db", str(folder / f"fresh-{index}" / "db.json")])
    else:
        imports.failures.append("no export to import (the export failed)")
    imports.judge(None if imports.median is None else imports.median <= 2000)

    compares = compare(ctx, export, folder, exports)
    return [exports, imports, *compares]


def compare(ctx: Context, export: Path, folder: Path, exports: Figure) -> list[Figure]:
    """`compare` of the 10k export as the student against a key of 100 annotations and, in
    a full run only (it is quadratic today: over a minute), against the 10k export of
    other annotations on the same article as the key."""
    bin_ = str(ctx.presscheck)
    small = Figure("processes.compare", "compare, key 100 vs student 10k")
    big = Figure("processes.compare_10k_key", "compare, key 10k vs student 10k")
    wanted = [small] if ctx.quick else [small, big]
    if not export.exists():
        for figure in wanted:
            figure.failures.append("no export to compare (the export failed)")
            figure.judge(None)
        return wanted
    log("processes: compare")
    try:
        keys = {}
        for figure, count, seed in ((small, 100, 4), (big, COUNT, 3)):
            if figure in wanted:
                key_db, _ = ctx.database(count, seed=seed)
                keys[figure.key] = folder / f"key-{count}.json"
                untimed(ctx, [bin_, "export", "--db", str(key_db), "--format", "json", "-o", str(keys[figure.key])])
        pack = folder / "pack"
        untimed(ctx, [bin_, "pack", "create", str(pack), str(ctx.article(20_000)), "--title", "bench"])
        for figure, runs in ((small, ctx.repeats(3, 1)), (big, 1)):
            if figure not in wanted:
                continue
            for index in range(runs):
                timed(ctx, figure, [bin_, "compare", str(keys[figure.key]), str(export), "--pack", str(pack),
                                    "--format", "json", "-o", str(folder / f"report-{figure.key}-{index}.json")],
                      timeout=240)
    except RuntimeError as error:
        for figure in wanted:
            figure.failures.append(str(error))
    for figure in wanted:
        figure.reference = f"export {exports.median / 1000:.2f} s" if exports.median else ""
        figure.judge(None)
    return wanted
