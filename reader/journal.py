"""The journal's format: a header line, then one JSON line per change since the snapshot. No UI.

`annotations.json.journal` is JSON Lines. Its first line, `{"journal": 1, "generation":
"…"}`, names the snapshot generation it extends (the snapshot's `meta` table names it
too), so a journal left behind by a compaction that was killed half way is recognised as
already folded in and ignored. Each later line is one entry, `{"t": table, "k": document
id, "d": the whole document, or null to delete it}`. Entries are only ever appended past
the last complete line and fdatasynced before a save returns. A kill in mid-append leaves
a torn last line: it was never acknowledged, readers ignore it and the next writer cuts
it off. A damaged line with complete lines after it is not a torn one: reading stops with
`JournalDamaged` (`presscheck db recover` keeps the entries before it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from reader.errors import DatabaseError

JOURNAL_SUFFIX = ".journal"
JOURNAL_FORMAT = 1
JournalEntry = tuple[str, str, dict[str, Any] | None]
"""One line of the journal: (table, document id, the whole document, or None to delete it)."""


def journal_path(path: Path) -> Path:
    """The journal of the database file `path`, beside it."""
    return path.with_name(path.name + JOURNAL_SUFFIX)


def journal_header(generation: str) -> bytes:
    """The first line of a new journal extending the snapshot of `generation`."""
    return orjson.dumps({"journal": JOURNAL_FORMAT, "generation": generation}) + b"\n"


def header_generation(raw: bytes) -> str | None:
    """The generation a journal's first line names; None when that line is not a header
    presscheck wrote."""
    try:
        header = orjson.loads(raw.split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return None
    if not isinstance(header, dict) or header.get("journal") != JOURNAL_FORMAT:
        return None
    generation = header.get("generation")
    return generation if isinstance(generation, str) else None


def encode_entries(entries: Iterable[JournalEntry], was: dict[str, list[str]] | None = None) -> bytes:
    """The journal lines of `entries`, each ending with a newline. `was` gives, for a
    replaced or deleted annotation, the articles its previous version touched (`"a"`): a
    reader that holds only some articles' annotations learns which articles a change
    touched without the previous version at hand."""
    was = was or {}
    return b"".join(
        orjson.dumps({"t": table, "k": doc_id, "d": doc, "a": was[doc_id]} if table == "annotations" and doc_id in was
                     else {"t": table, "k": doc_id, "d": doc}) + b"\n"
        for table, doc_id, doc in entries
    )


class JournalDamaged(DatabaseError):
    """A complete journal line in the middle of the journal does not parse."""

    def __init__(self, path: Path, line: int, valid_bytes: int) -> None:
        super().__init__(
            f"{path}: line {line} is damaged; the files were left untouched; "
            "`presscheck db recover` keeps the changes before it"
        )
        self.valid_bytes = valid_bytes


def _parse_entry(line: bytes, was: set[str] | None = None) -> JournalEntry:
    record = orjson.loads(line)
    table, doc_id, doc = record["t"], record["k"], record["d"]
    if not (isinstance(table, str) and isinstance(doc_id, str) and doc_id.isdecimal()):
        raise ValueError("not a change")
    if doc is not None and not isinstance(doc, dict):
        raise ValueError("not a document")
    if was is not None and isinstance(record.get("a"), list):
        was.update(article for article in record["a"] if isinstance(article, str))
    return table, doc_id, doc


def read_journal(
    path: Path, raw: bytes, generation: str | None, start: int = 0, was: set[str] | None = None
) -> tuple[list[JournalEntry], int, bool]:
    """The entries in `raw` (a journal's bytes from offset `start`), the offset after the
    last complete line, and whether the journal extends the snapshot of `generation`.

    A torn last line (a writer killed in mid-append) is left out. A damaged line with
    complete lines after it raises JournalDamaged. `was` collects the articles the entries'
    previous versions touched (see `encode_entries`).
    """
    entries: list[JournalEntry] = []
    position = 0
    lines = raw.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    if start == 0 and not complete:
        return [], 0, False  # not even a header: not a journal we can extend
    for number, line in enumerate(complete):
        try:
            if start == 0 and number == 0:
                header = orjson.loads(line)
                if not isinstance(header, dict) or header.get("journal") != JOURNAL_FORMAT:
                    raise ValueError("not a journal header")
                if header.get("generation") != generation:
                    return [], start + len(raw), False  # already folded into the snapshot
            else:
                entries.append(_parse_entry(line, was))
        except (orjson.JSONDecodeError, ValueError, KeyError, TypeError):
            if start == 0 and number == 0 and len(complete) == 1 and not tail:
                # a header that does not read, and nothing after it: no change was ever
                # acknowledged from this journal, and it cannot be extended (the next save
                # starts a new one); headers are written whole, so this is a hand edit
                return [], 0, False
            if number == len(complete) - 1 and not tail and number > 0:
                break  # the last line, torn by a kill: never acknowledged
            raise JournalDamaged(path, number + 1, start + position) from None
        position += len(line) + 1
    return entries, start + position, True


def apply_entries(data: dict[str, dict[str, Any]], entries: Iterable[JournalEntry]) -> None:
    """Apply `entries` to the tables `data`, in order: each puts or deletes one document."""
    for table, doc_id, doc in entries:
        records = data.setdefault(table, {})
        if doc is None:
            records.pop(doc_id, None)
        else:
            records[doc_id] = doc


def append_to_journal(journal: Path, offset: int, blob: bytes) -> None:
    """Write `blob` (whole lines) into `journal` at `offset`, the end of its last complete
    line (cutting off a torn line left by a killed writer), and fdatasync it: durable when
    this returns. An OSError leaves the journal cut back to `offset` where it can."""
    fd = os.open(journal, os.O_WRONLY)
    try:
        os.ftruncate(fd, offset)
        os.lseek(fd, offset, os.SEEK_SET)
        written = 0
        while written < len(blob):
            written += os.write(fd, blob[written:])
        os.fdatasync(fd)
    except OSError:
        try:
            os.ftruncate(fd, offset)
        except OSError:
            pass
        raise
    finally:
        os.close(fd)
