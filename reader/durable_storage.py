"""The TinyDB storage of a database: its tables cached, kept up to date from the snapshot and
its journal, a save appended to the journal, the journal folded into a new snapshot. No UI.

The database is two files: the snapshot `annotations.json` (TinyDB's JSON, complete and
hand-readable; `reader.snapshot`) and its journal `annotations.json.journal` (JSON Lines,
one line per change since the snapshot was written; `reader.journal`). Every change is one
transaction under the file lock (`Store.transaction`):

- bring the cached tables up to date (a `stat` of both files; only what another process
  appended is read and parsed),
- append the change to the journal and `fdatasync` it: the save is durable when this
  returns, in well under a millisecond of I/O whatever the database's size,
- now and then (the journal has grown to half the snapshot, a bulk change, or a clean
  close) fold the journal into a new snapshot: temp file, fsync, `os.replace`, fsync the
  folder (`reader.atomic_write`), then a fresh journal the same way.

The journal's first line names the snapshot generation it extends (also stored in the
snapshot's `meta` table), so a journal left behind by a compaction that was killed half
way is recognised as already folded in and ignored. A kill in mid-append leaves a torn
last line; it was never acknowledged, readers ignore it and the next writer cuts it off.
A kill at any moment leaves the database as of the last acknowledged save, and two
processes sharing it lose nothing.

Writers never change a file a reader may be reading in place: a snapshot is replaced
whole, and the journal only grows past the last complete line. So reading needs no lock
(see `Store.reading`): the `signature` of both files, the same before and after a read,
means the read saw one state that some writer left.
"""

from __future__ import annotations

import os
import stat
from functools import partial
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.atomic_write import write_atomically
from reader.errors import DatabaseError
from reader.journal import (
    JournalEntry,
    append_to_journal,
    apply_entries,
    encode_entries,
    journal_header,
    journal_path,
    read_journal,
)
from reader.snapshot import (
    NEW_FILE_MODE,
    Tables,
    generation_of,
    is_record_key,
    new_generation,
    parse_database,
    refuse_special,
    rotate_backups,
    set_generation,
    snapshot_bytes,
)

COMPACT_MIN_BYTES = 256 * 1024
"""The journal is folded into the snapshot once it is larger than this and than half the
snapshot: replaying it on open stays cheap, and compactions stay rare at any size."""

Signature = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]


def _stat_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _regular_signature(path: Path, what: str) -> tuple[int, int, int] | None:
    """`_stat_signature` of a file about to be read, refusing one that is not a regular
    file (reading a FIFO would wait forever) with the same single `stat`."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    refuse_special(path, info.st_mode, what)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def database_signature(path: Path) -> Signature:
    """Changes whenever any process saves to the database at `path` (snapshot or journal)."""
    return (_stat_signature(path), _stat_signature(journal_path(path)))


class DurableStorage(Storage):
    """A TinyDB storage that never leaves a half-written file and never overwrites a bad one.

    It keeps the tables it last read or wrote, with the `stat` of both files, so a read
    that finds nothing changed costs two `stat` calls. Writes must happen under the
    database's file lock (see `Store`). `append` is the fast path for a few records;
    TinyDB's own `write` of all the tables compacts.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.journal = journal_path(self.path)
        self.foreign_changes = 0
        """How many times this storage took in what another process wrote (journal lines,
        or a new snapshot), so a view of the data knows to reload; never reset."""
        self._seen_before = False
        self.forget()

    @property
    def signature(self) -> Signature:
        """The files' `stat` as this storage last read or wrote them (see
        `database_signature`): a different signature on disk is someone else's save."""
        return (self._snapshot, self._journal)

    # reading ----------------------------------------------------------------------------

    def read(self) -> Tables | None:
        snapshot = _regular_signature(self.path, "database file")
        if snapshot is None:
            if self.path.exists():  # stat refused: say why
                raise DatabaseError(f"{self.path}: cannot read the database")
            self.forget()
            return None
        if snapshot != self._snapshot or self._data is None:
            self._load_snapshot(snapshot)
        self._catch_up()
        return self._data

    def _load_snapshot(self, snapshot: tuple[int, int, int]) -> None:
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise DatabaseError(f"{self.path}: cannot read the database ({error.strerror})") from None
        self.forget()
        if self._seen_before:  # a snapshot other than the one we read or wrote last
            self.foreign_changes += 1
        self._seen_before = True
        self._data = parse_database(raw, self.path)
        self._snapshot = snapshot
        self._snapshot_size = len(raw)
        self._generation = generation_of(self._data)

    def _catch_up(self) -> None:
        """Apply what was appended to the journal since we last looked."""
        journal = _regular_signature(self.journal, "journal")
        if journal == self._journal:
            return
        if self._journal is not None and (
            journal is None or journal[0] != self._journal[0] or journal[1] < self._offset
        ):
            # the journal we read went away or was replaced while the snapshot stayed (a hand
            # edit): what we applied from it may be gone, so start again from the snapshot
            if self._changes and self._snapshot is not None:
                self._load_snapshot(self._snapshot)
            self._journal, self._offset, self._journal_valid = None, 0, False
        if journal is None:
            return
        try:
            with open(self.journal, "rb") as handle:
                handle.seek(self._offset)
                raw = handle.read()
        except FileNotFoundError:
            return
        except OSError as error:
            raise DatabaseError(f"{self.journal}: cannot read the journal ({error.strerror})") from None
        if self._offset and not self._journal_valid:
            self._journal = journal  # a journal of an older snapshot: nothing in it applies
            return
        changes, offset, valid = read_journal(self.journal, raw, self._generation, self._offset)
        if self._offset == 0:
            self._journal_valid = valid
        if self._journal_valid and changes:
            self.foreign_changes += 1  # our own appends move the offset past themselves
            apply_entries(self._data, changes)  # type: ignore[arg-type]
            for table, doc_id, doc in changes:
                self._index_change(table, doc_id, doc)
            self._changes += len(changes)
        self._offset = offset
        self._journal = journal

    # writing ----------------------------------------------------------------------------

    def append(self, changes: list[JournalEntry]) -> None:
        """Save these changes durably: one journal append and fdatasync when possible."""
        data = self.read() or {}
        if not self._journal_valid or self._generation is None:
            apply_entries(data, changes)
            self.write(data)  # no journal yet for this snapshot: start one
            return
        blob = encode_entries(changes)
        if len(blob) > self._compact_threshold():
            apply_entries(data, changes)
            self.write(data)
            return
        try:
            append_to_journal(self.journal, self._offset, blob)
        except OSError as error:
            self.forget()
            raise DatabaseError(
                f"{self.path}: could not save ({error.strerror}); your change is kept in memory"
            ) from None
        apply_entries(data, changes)
        for table, doc_id, doc in changes:
            self._index_change(table, doc_id, doc)
        self._offset += len(blob)
        self._changes += len(changes)
        self._journal = _stat_signature(self.journal)
        if self._offset > self._compact_threshold():
            try:
                self.write(data)
            except DatabaseError:
                pass  # the change is durable in the journal; compaction is tried again later

    def _compact_threshold(self) -> int:
        return max(COMPACT_MIN_BYTES, self._snapshot_size // 2)

    def write(self, data: Tables) -> None:
        """Write all the tables as a new snapshot and start an empty journal for it."""
        generation = new_generation()
        set_generation(data, generation)
        blob = snapshot_bytes(data)
        header = journal_header(generation)
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except OSError:
            mode = NEW_FILE_MODE
        self._write_file(self.path, blob, mode, rotate=True)
        self._seen_before = True
        self._data = data
        self._snapshot = _stat_signature(self.path)
        self._snapshot_size = len(blob)
        self._generation = generation
        self._indexes.clear()
        self._next_ids.clear()
        self._changes = 0
        try:
            self._write_file(self.journal, header, mode, rotate=False)
        except DatabaseError:
            # the snapshot holds everything; the old journal names the old generation and
            # is ignored, so the next save writes a snapshot again
            self._journal, self._offset, self._journal_valid = _stat_signature(self.journal), 0, False
            return
        self._journal = _stat_signature(self.journal)
        self._offset = len(header)
        self._journal_valid = True

    def _write_file(self, path: Path, blob: bytes, mode: int, *, rotate: bool) -> None:
        keep_backup = partial(rotate_backups, self.path) if rotate else None
        try:
            write_atomically(path, blob, mode, before_replace=keep_backup)
        except OSError as error:
            self.forget()
            raise DatabaseError(
                f"{self.path}: could not save ({error.strerror}); your change is kept in memory"
            ) from None

    @property
    def unfolded(self) -> int:
        """How many changes (as last read) the journal holds that the snapshot does not."""
        return self._changes if self._journal_valid else 0

    @property
    def needs_compaction(self) -> bool:
        """The cached tables hold changes that only the journal has, or there is no
        journal to extend (as last read; `compact` looks again)."""
        return self._data is not None and (bool(self._changes) or not self._journal_valid)

    def compact(self) -> None:
        """Fold the journal into the snapshot, when it holds any change."""
        self.read()
        if self.needs_compaction:
            self.write(self._data)  # type: ignore[arg-type]

    # lookups ----------------------------------------------------------------------------

    def find(self, table: str, field: str, value: Any) -> str | None:
        """The document id of the record of `table` whose `field` is `value` (an index kept
        with the cached tables, so a lookup does not scan)."""
        index = self._indexes.get((table, field))
        if index is None:
            records = (self._data or {}).get(table, {})
            index = {}
            for doc_id, record in records.items():
                key = record.get(field)
                if isinstance(key, (str, int)) and key not in index:
                    index[key] = doc_id
            self._indexes[(table, field)] = index
        return index.get(value)

    def remember(self, table: str, field: str, value: Any, doc_id: str) -> None:
        """Note in the index a record about to be added (so a batch finds its own ids)."""
        self.find(table, field, value)
        self._indexes[(table, field)].setdefault(value, doc_id)

    def next_id(self, table: str) -> str:
        """A document id not used in `table` (one past the largest, kept with the indexes)."""
        number = self._next_ids.get(table)
        if number is None:
            records = (self._data or {}).get(table, {})
            # a key that is not a sane record number is a damaged record: never int() it
            number = self._next_ids[table] = max((int(key) for key in records if is_record_key(key)), default=0) + 1
        return str(number)

    def _index_change(self, table: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        if table in self._next_ids and doc is not None and is_record_key(doc_id):
            self._next_ids[table] = max(self._next_ids[table], int(doc_id) + 1)
        for (indexed_table, field), index in list(self._indexes.items()):
            if indexed_table != table:
                continue
            for key in [key for key, known in index.items() if known == doc_id] if doc is None else ():
                del index[key]
            if doc is not None and isinstance(doc.get(field), (str, int)):
                index.setdefault(doc[field], doc_id)

    # backups ----------------------------------------------------------------------------

    def backup_now(self) -> None:
        """Rotate the backups now, whatever the interval (before a migration)."""
        rotate_backups(self.path, force=True)

    # the cache --------------------------------------------------------------------------

    @property
    def cached(self) -> Tables | None:
        """The tables as last read or written, without looking at the files."""
        return self._data

    def forget(self) -> None:
        """Drop the cached copy, so the next read parses the files again."""
        self._data: Tables | None = None
        self._snapshot: tuple[int, int, int] | None = None
        self._snapshot_size = 0
        self._generation: str | None = None
        self._journal: tuple[int, int, int] | None = None
        self._offset = 0
        self._journal_valid = False
        self._changes = 0
        self._indexes: dict[tuple[str, str], dict[Any, str]] = {}
        self._next_ids: dict[str, int] = {}

    def close(self) -> None:
        self.forget()

