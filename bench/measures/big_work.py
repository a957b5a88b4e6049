"""The big database's work without a screen (issue 21), for `measures.big_database`.

Durable save: `Store.put_annotation` of one new annotation (on article 0) in a copy of the
databases of 1,000, 10,000 and 100,000 annotations, in this process, through the Store's
public API. The reference, interleaved save by save: the floor of any durable save, one
`os.write` appending as many bytes as the journal line of that annotation
(`inputs.journal_line_bytes`) to a file in the same folder, then `os.fdatasync`.

Export, import and compare as whole commands, wall clock from spawn to exit, at 10,000
and 100,000 annotations (200 and 2,000 articles): `export --db COPY --format json -o F`;
`import F --db NEW` into a fresh database each time; `compare KEY F --pack PACK --format
json -o R`. At 100,000 annotations, import and compare read them as the issue and a class
bring them: ten files of 10,000 (`export --article` of 200 articles each, untimed), since
one file of 100,000 (121 MB) is over the import limit that guards against a hostile
file; so each figure is the same command with ten files in place of one. compare scores the student's annotations on the pack's articles only, so the
pack (`pack create`) holds one article, article 0, and the key is an export of 100
annotations on it: compare still reads and places every one of the student's annotations
(all but the 50 on article 0 are found to be off the pack), which is the part that grows
with the database. A run that exits non-zero is a failed run, listed with its stderr.
Before each run the file system's dirty pages are written out (`sync`, not timed): the
writeback of what the step before wrote (120 MB of exports before the imports at 100,000,
12 MB at 10,000) would otherwise compete with the run's own fsyncs, charging each command
with its predecessor's writes.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import inputs
from context import Context, log, tail
from report import Figure

from measures import processes

COMMAND_TIMEOUT = 300.0


def saves(ctx: Context, articles: int, figure: Figure, floor: Figure) -> None:
    """`figure`: put_annotation in a copy of the database of `articles` articles; `floor`:
    append + fdatasync of as many bytes, interleaved."""
    from reader.store import Store

    count = ctx.repeats(30, 10)
    total = articles * inputs.PER_ARTICLE
    folder = ctx.folder(f"big-saves-{articles}")
    source = ctx.big_database(articles)
    copy = inputs.copy_database(source, folder / "annotations.json")
    article = inputs.library_articles(ctx.folder("library"), 1)[0]
    new = inputs.annotations_for(article, count, seed=1000 + articles)
    log(f"big database: {count} saves at {total:,} annotations, and the floor")
    started = time.perf_counter()
    store = Store.open(copy)
    figure.extra["store_open_ms"] = (time.perf_counter() - started) * 1000
    fd = os.open(folder / "floor.bin", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for index, annotation in enumerate(new):
            started = time.perf_counter()
            store.put_annotation(annotation)
            figure.samples.append((time.perf_counter() - started) * 1000)
            size = inputs.journal_line_bytes(annotation, total + index + 1)
            line = b"x" * (size - 1) + b"\n"
            started = time.perf_counter()
            os.write(fd, line)
            os.fdatasync(fd)
            floor.samples.append((time.perf_counter() - started) * 1000)
            floor.extra.setdefault("bytes", []).append(size)
    finally:
        os.close(fd)
        started = time.perf_counter()
        store.close()
        figure.extra["store_close_ms"] = (time.perf_counter() - started) * 1000
    reopened = Store.open(copy)
    try:
        found = len(reopened.annotations([article.id]))
    finally:
        reopened.close()
    wanted = inputs.PER_ARTICLE + count
    figure.extra["annotations_on_article_0_after"] = found
    if found != wanted:
        figure.failures.append(f"reopened, article 0 has {found} annotations, not {wanted}: saves were lost")


def prepare(ctx: Context, argv: list[str]) -> None:
    """A step that is not timed; RuntimeError with its stderr when it fails."""
    done = subprocess.run(argv, capture_output=True, timeout=COMMAND_TIMEOUT, cwd=ctx.work, env=ctx.env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} {argv[1]}… exit {done.returncode}: {tail(done.stderr)}")


def timed(ctx: Context, figure: Figure, argv: list[str], timeout: float) -> bool:
    """`processes.timed`, after a `sync` (see the module's notes)."""
    os.sync()
    return processes.timed(ctx, figure, argv, timeout=timeout)


def commands(ctx: Context, articles: int, figures: dict[str, Figure], runs: int) -> None:
    """Export, import and compare at `articles` articles, `runs` times each, into
    `figures` (by command)."""
    export, imports, compare = figures["export"], figures["import"], figures["compare"]
    bin_ = str(ctx.presscheck)
    folder = ctx.folder(f"big-commands-{articles}")
    db = inputs.copy_database(ctx.big_database(articles), folder / "annotations.json")
    log(f"big database: export, import, compare at {articles * inputs.PER_ARTICLE:,} annotations")
    exported = folder / "export-0.json"
    for index in range(runs):
        output = folder / f"export-{index}.json"
        timed(ctx, export, [bin_, "export", "--db", str(db), "--format", "json", "-o", str(output)],
              timeout=COMMAND_TIMEOUT)
    if not exported.exists():
        for figure in (imports, compare):
            figure.failures.append("no export to read (the export failed)")
        return
    export.extra["export_bytes"] = exported.stat().st_size
    files = [str(exported)]
    if articles > 200:
        try:
            files = [str(f) for f in parts(ctx, db, folder, articles // 200)]
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            for figure in (imports, compare):
                figure.failures.append(f"could not split the export into files of 10,000: {error}")
            return
    imports.extra["files"] = compare.extra["files"] = len(files)
    for index in range(runs):
        fresh = folder / f"fresh-{index}" / "annotations.json"
        timed(ctx, imports, [bin_, "import", *files, "--db", str(fresh)], timeout=COMMAND_TIMEOUT)
    try:
        key, pack = key_and_pack(ctx)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        compare.failures.append(f"no key or pack to compare with: {error}")
        return
    for index in range(runs):
        timed(ctx, compare, [bin_, "compare", str(key), *files, "--pack", str(pack), "--format", "json",
                             "-o", str(folder / f"report-{index}.json")], timeout=COMMAND_TIMEOUT)


def parts(ctx: Context, db: Path, folder: Path, count: int) -> list[Path]:
    """The database exported as `count` files of as many articles each (untimed)."""
    from reader.store import Store

    store = Store.open(db)
    try:
        ids = sorted(record["id"] for record in store.article_records())
    finally:
        store.close()
    size = -(-len(ids) // count)
    made = []
    for number in range(count):
        part = folder / f"part-{number}.json"
        chosen = [arg for article in ids[number * size:(number + 1) * size] for arg in ("--article", article)]
        prepare(ctx, [str(ctx.presscheck), "export", "--db", str(db), *chosen, "--format", "json", "-o", str(part)])
        made.append(part)
    return made


def key_and_pack(ctx: Context) -> tuple[Path, Path]:
    """The answer key (an export of 100 annotations on article 0) and a pack of article 0,
    made once per run."""
    folder = ctx.folder("big-key")
    key, pack = folder / "key.json", folder / "pack"
    if not key.exists():
        db = ctx.big_database(1, per_article=100)
        prepare(ctx, [str(ctx.presscheck), "export", "--db", str(db), "--format", "json", "-o", str(key)])
    if not pack.exists():
        article = ctx.library_article(0)
        prepare(ctx, [str(ctx.presscheck), "pack", "create", str(pack), str(article), "--title", "bench"])
    return key, pack
