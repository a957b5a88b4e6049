"""Every annotation record of a database, one article's run at a time. No UI.

An export or an import that goes through every annotation of a big database once needs
them all, but not all at once: parsing a 100 MB snapshot whole makes some 50 objects per
annotation live together (700 MB at 100,000 annotations), and every one of them costs
more the bigger that heap is, so the work grew faster than the database. Read run by run
(`reader.snapshot_layout` keeps an article's records side by side), a run's records are
parsed, used and dropped before the next one is read.

The runs are read from a duplicate of the storage's open file: the very file its index
describes, whatever the storage does meanwhile (a fold replaces the file by a new one; the
duplicate keeps the old one). Records the journal put or deleted are not taken from the
file; what the storage holds in memory (the journal's versions, the records that name no
article, the runs it already read) comes last.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Set
from pathlib import Path
from typing import Any

from reader.journal import JournalEntry, apply_entries
from reader.snapshot import parse_database
from reader.snapshot_layout import Index, read_range

Records = dict[str, Any]


def runs_of(path: Path, fd: int, size: int, index: Index, in_memory: Records,
            journal_docs: Set[str], journal_entries: list[JournalEntry]) -> Iterator[Records]:
    """The annotation records of the snapshot open as `fd` (`size` bytes, laid out as
    `index` says), a run at a time, then `in_memory`; none twice, none the journal changed
    taken from the file. `fd` is this iterator's own and is closed when it is done. A run
    that is not where the index says (the file is not what it describes) means the file is
    read whole for the records not given yet, with `journal_entries` applied again."""
    skip = journal_docs | in_memory.keys()
    given: set[str] = set()
    with os.fdopen(fd, "rb") as handle:
        for where in index.runs.values():
            try:
                records = read_range(handle, where)
            except (OSError, ValueError):  # orjson's decode error is a ValueError
                yield from _the_rest(path, handle, size, journal_entries, given)
                return
            run = {doc_id: record for doc_id, record in records.items() if doc_id not in skip}
            given.update(run)
            yield run
    yield in_memory


def _the_rest(path: Path, handle: Any, size: int, journal_entries: list[JournalEntry],
              given: set[str]) -> Iterator[Records]:
    """Every record not given yet, from the whole file and the journal."""
    raw = os.pread(handle.fileno(), size, 0)
    data = parse_database(raw, path)
    apply_entries(data, journal_entries)
    yield {doc_id: record for doc_id, record in (data.get("annotations") or {}).items() if doc_id not in given}
