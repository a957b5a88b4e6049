"""Durable save: the time `Store.put_annotation` takes to save one new annotation (it
returns once the change is on disk) in a database of 100, 1 000 and 10 000 annotations.

Only presscheck's public Store API is used, on a copy of every file of the database (the
storage may keep a journal or other files beside the main one). The reference, in the same
run and interleaved save by save: stock TinyDB (default `JSONStorage`) inserting the same
records into a file holding the same records, written by TinyDB itself.
"""

from __future__ import annotations

import shutil
import time
from typing import Any

import inputs
from context import Context, log
from report import Figure, fmt

SIZES = (100, 1_000, 10_000)


def _close(thing: Any) -> None:
    close = getattr(thing, "close", None)
    if close is not None:
        close()


def measure(ctx: Context) -> list[Figure]:
    from tinydb import TinyDB

    from reader.store import Store

    count = ctx.repeats(30, 10)
    figures: list[Figure] = []
    for size in SIZES:
        log(f"saves: {size} annotations ({count} saves each, presscheck and stock TinyDB)")
        source, article = ctx.database(size)
        stock_source = inputs.make_stock_database(ctx.folder("databases"), size)
        folder = ctx.folder(f"saves-{size}")
        ours_path = inputs.copy_database(source, folder / "ours.json")
        stock_path = folder / "stock.json"
        shutil.copy2(stock_source, stock_path)

        ours = Figure(f"saves.ours.{size}", f"durable save, {size} annotations")
        stock = Figure(f"saves.stock.{size}", f"stock TinyDB insert, {size} annotations")
        started = time.perf_counter()
        store = Store.open(ours_path)
        opened_ms = (time.perf_counter() - started) * 1000
        db = TinyDB(stock_path)
        table = db.table("annotations")
        new = inputs.annotations_for(article, count, seed=1000 + size)
        try:
            for annotation in new:
                started = time.perf_counter()
                store.put_annotation(annotation)
                ours.samples.append((time.perf_counter() - started) * 1000)
                record = annotation.to_dict()
                started = time.perf_counter()
                table.insert(record)
                stock.samples.append((time.perf_counter() - started) * 1000)
        finally:
            _close(store)
            db.close()
        # the saves really landed: a fresh Store sees them all
        reopened = Store.open(ours_path)
        try:
            found = len(reopened.annotations())
        finally:
            _close(reopened)
        ours.extra = {
            "store_open_ms": opened_ms,
            "annotations_after": found,
            "bytes_on_disk_before": inputs.database_size(source),
            "bytes_on_disk_after": inputs.database_size(ours_path),
        }
        stock.extra = {"bytes_on_disk_after": stock_path.stat().st_size}
        if found != size + count:
            ours.failures.append(f"reopened, the database holds {found} annotations, not {size + count}")
        if ours.samples and ours.samples[0] > 3 * (ours.median or 0):
            ours.notes.append(f"the first save took {fmt(ours.samples[0], 'ms')} (kept in the figures)")

        speedup = (stock.median / ours.median) if ours.median and stock.median else None
        ours.reference = f"stock TinyDB {fmt(stock.median, 'ms')}" + (
            f", ×{speedup:.1f} slower" if speedup else ""
        )
        if size == 10_000:
            ours.target = "median ≤ 20 ms, ≥ 5 × faster than stock"
            ours.judge(None if speedup is None else (ours.median or 0) <= 20 and speedup >= 5)
        else:
            ours.judge(None)
        stock.judge(None)
        figures += [ours, stock]
    return figures
