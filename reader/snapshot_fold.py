"""Folding the journal into a new snapshot without reading what it did not change. No UI.

A storage that holds only some articles' annotations (it read the snapshot through its
index) folds by copying: every article's run of records that the journal did not touch is
copied byte for byte from the old file, and only the runs of the articles it touched are
written again, from the records in memory (those articles are read whole first). The
small tables are written from memory, as always. A reader with a year of annotations
then folds in a fraction of a second and without holding 100,000 records in memory; the
file is the same as a whole write would make, up to the order of the runs.

What makes the copy safe: the journal's entries name, for each annotation they change,
the articles of its new and of its previous version (`reader.journal`), so every run that
holds a changed record is one the storage has read and writes again; a record in a
copied run also touches only articles whose records did not change, so its place in
their `shared` lists only moves by as much as its run moved.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from typing import IO, Any

from reader.snapshot import Tables, is_record_key
from reader.snapshot_layout import Index, Layout, next_annotation, table_names, touched_articles


def fold_layout(handle: IO[bytes], old: Index, data: Tables, changed: set[str]) -> tuple[Iterator[bytes], Index]:
    """The new snapshot and its index: `data`'s small tables, the runs of the articles in
    `changed` (whose records `data["annotations"]` holds, all of them) and the unplaced
    records from memory, every other run copied from `handle`, the file `old` describes."""
    layout = Layout(data)
    old_size = os.fstat(handle.fileno()).st_size
    records: dict[str, Any] = data.get("annotations") or {}
    layout.index.next_annotation = max(old.next_annotation, next_annotation(records))
    names = table_names(data)
    if "annotations" not in names and old.runs:
        names.append("annotations")
    by_article: dict[str | None, list[tuple[str, Any]]] = {}
    for key, record in records.items():
        touched = touched_articles(record) if is_record_key(key) else []
        first = touched[0] if touched else None
        if first is None or first in changed:
            by_article.setdefault(first, []).append((key, record))
    moved: list[tuple[int, int, int]] = []
    """(old start, old end, how far it moved) of each run copied, by old start."""
    for name in names:
        layout.open_table(name)
        if name != "annotations":
            for key, record in data[name].items():
                layout.record(key, record)
            layout.close_table(name)
            continue
        for article, (start, end) in sorted(old.runs.items(), key=lambda item: item[1]):
            if article in changed:
                continue
            if end > old_size:
                raise ValueError("the file is shorter than its index says")
            new_start, _ = layout.copied_run(article, handle.fileno(), (start, end))
            moved.append((start, end, new_start - start))
        for article in [a for a in by_article if a is not None]:
            for key, record in by_article[article]:
                layout.annotation(article, key, record)
        for key, record in by_article.get(None, []):
            layout.annotation(None, key, record)
        _carry_shared(old, layout.index, moved, changed)
        layout.close_table(name)
    layout.index.counts = _counts(old, records, changed)
    return layout.pieces(), layout.index


def _counts(old: Index, records: dict[str, Any], changed: set[str]) -> dict[str, int]:
    """The old counts of the articles nothing changed; the others counted from memory,
    where every record that touches them is."""
    counts = {article: n for article, n in old.counts.items() if article not in changed}
    for key, record in records.items():
        if is_record_key(key):
            for article in touched_articles(record):
                if article in changed:
                    counts[article] = counts.get(article, 0) + 1
    return counts


def _carry_shared(old: Index, new: Index, moved: list[tuple[int, int, int]], changed: set[str]) -> None:
    """The old `shared` ranges that lie in a copied run, moved with it; those in runs
    written again were placed anew as their records were written."""
    starts = [start for start, _, _ in moved]
    for article, ranges in old.shared.items():
        for start, end in ranges:
            at = bisect.bisect_right(starts, start) - 1
            if at < 0 or not (moved[at][0] <= start and end <= moved[at][1]):
                continue  # in a run written again
            delta = moved[at][2]
            new.shared.setdefault(article, []).append((start + delta, end + delta))
