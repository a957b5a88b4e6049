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

A snapshot with an index that describes it (`reader.snapshot_layout`) is not read whole:
the small tables are, and an article's annotations when it is asked for (`ensure`), from
the same open file, so what is read later is of the same state. The journal's changes
(few: it is folded in once it grows) are kept and win over what the file says."""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any

import orjson
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
    Signature,
    regular_signature,
    stat_signature,
    Tables,
    generation_of,
    is_record_key,
    new_generation,
    parse_database,
    refuse_special,
    rotate_backups,
    set_generation,
)
from reader.record_lookups import RecordLookups
from reader.snapshot_runs import runs_of
from reader.snapshot_layout import (Encoded, Index, lay_out, ranges_of, read_index, read_range, touched_articles,
                                    write_index)

COMPACT_MIN_BYTES = 256 * 1024
COMPACT_MAX_BYTES = 4 * 1024 * 1024
"""The journal is folded into the snapshot once it is larger than COMPACT_MIN_BYTES and
than half the snapshot, and always past COMPACT_MAX_BYTES: replaying it on open stays
cheap (a few milliseconds), and compactions stay rare at any size."""

FOLD_ON_CLOSE_MAX = 8 * 1024 * 1024
"""A clean close folds the journal in only up to this snapshot size: beyond it, a quit
would rewrite megabytes to fold in a few lines the journal holds just as safely."""

def database_signature(path: Path) -> Signature:
    """Changes whenever any process saves to the database at `path` (snapshot or journal)."""
    return (stat_signature(path), stat_signature(journal_path(path)))


class DurableStorage(RecordLookups, Storage):
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
        snapshot = regular_signature(self.path, "database file")
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
        """Read the snapshot: through its index the small tables only (the annotations as
        articles ask for them, `ensure`), or the whole file when no index matches it."""
        try:
            handle = open(self.path, "rb")
        except OSError as error:
            raise DatabaseError(f"{self.path}: cannot read the database ({error.strerror})") from None
        self.forget()
        if self._seen_before:  # a snapshot other than the one we read or wrote last
            self.foreign_changes += 1
        self._seen_before = True
        try:
            info = os.fstat(handle.fileno())
            refuse_special(self.path, info.st_mode, "database file")
            signature = (info.st_ino, info.st_size, info.st_mtime_ns)
            data = self._read_through_index(handle, signature)
            if data is None:
                data = parse_database(handle.read(), self.path)
        except OSError as error:
            handle.close()
            raise DatabaseError(f"{self.path}: cannot read the database ({error.strerror})") from None
        except BaseException:
            handle.close()
            raise
        if self._partial:
            self._handle = handle
        else:
            handle.close()
        self._data = data
        self._snapshot = signature
        self._snapshot_size = info.st_size
        self._generation = generation_of(data)

    def _read_through_index(self, handle: IO[bytes], signature: tuple[int, int, int]) -> Tables | None:
        """The small tables and the unplaced records, read at the ranges the index gives;
        None when there is no index that describes this very file."""
        index = read_index(self.path)
        if index is None or index.snapshot != signature[1:]:
            return None
        try:
            data = {name: read_range(handle, where) for name, where in index.tables.items()}
            annotations = data["annotations"] = {}
            for where in index.unplaced:
                annotations.update(read_range(handle, where))
        except (OSError, ValueError):  # orjson's decode error is a ValueError
            return None
        if generation_of(data) != index.generation:
            return None
        self._partial, self._index, self.indexed = True, index, True
        self._next_ids["annotations"] = max(
            [index.next_annotation, *(int(key) + 1 for key in annotations if is_record_key(key))]
        )
        return data

    # reading a part -----------------------------------------------------------------------

    @property
    def partial(self) -> bool:
        """Whether only some articles' annotations are in memory (see `ensure`)."""
        return self._partial

    def ensure(self, article_ids: Iterable[str]) -> None:
        """Have in memory every annotation that touches these articles: their runs read
        from the snapshot, under what the journal changed since."""
        if not self._partial or self._data is None:
            return
        wanted = [article for article in article_ids if article not in self._loaded_articles]
        annotations = self._data.setdefault("annotations", {})
        try:
            for article in wanted:
                for where in ranges_of(self._index, article):  # type: ignore[arg-type]
                    for doc_id, record in read_range(self._handle, where).items():
                        if doc_id not in self._journal_docs and doc_id not in annotations:
                            annotations[doc_id] = record
                            self._index_change("annotations", doc_id, record)
                self._loaded_articles.add(article)
        except (OSError, ValueError):
            self.ensure_all()  # the file is not what its index says: read it whole

    def ensure_all(self) -> None:
        """Have every record in memory: the whole snapshot, read from the very file the
        index described, with the journal's changes applied again."""
        if not self._partial or self._data is None:
            return
        handle = self._handle
        try:
            raw = os.pread(handle.fileno(), self._snapshot_size, 0)  # type: ignore[union-attr]
        except OSError as error:
            raise DatabaseError(f"{self.path}: cannot read the database ({error.strerror})") from None
        data = parse_database(raw, self.path)
        apply_entries(data, self._journal_entries)
        self._close_handle()
        self._partial, self._index = False, None
        self._data = data
        self._indexes.clear()
        self._next_ids.clear()

    def annotation_runs(self) -> Iterator[dict[str, Any]]:
        """Every annotation record, a run at a time, as it is now (`reader.snapshot_runs`)."""
        in_memory = dict((self._data or {}).get("annotations") or {})
        if not self._partial or self._handle is None:
            return iter([in_memory])
        return runs_of(self.path, os.dup(self._handle.fileno()), self._snapshot_size, self._index,  # type: ignore[arg-type]
                       in_memory, set(self._journal_docs), list(self._journal_entries))

    def annotation_counts(self) -> Counter[str]:
        """Article id → how many annotation records touch it, without reading them all:
        the index's counts, recounted for the articles the journal changed."""
        if not self._partial:
            return Counter(a for doc in ((self._data or {}).get("annotations") or {}).values()
                           for a in touched_articles(doc))
        changed = self._journal_articles
        self.ensure(changed)
        counts = Counter({a: n for a, n in self._index.counts.items() if a not in changed})  # type: ignore[union-attr]
        for doc in (self._data or {}).get("annotations", {}).values():
            for article in touched_articles(doc):
                if article in changed:
                    counts[article] += 1
        return counts

    def _full(self) -> Tables:
        """All the tables, for a write of the whole snapshot."""
        self.ensure_all()
        return self._data if self._data is not None else {}

    def _catch_up(self) -> None:
        """Apply what was appended to the journal since we last looked."""
        journal = regular_signature(self.journal, "journal")
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
        was: set[str] = set()
        changes, offset, valid = read_journal(self.journal, raw, self._generation, self._offset, was)
        if self._offset == 0:
            self._journal_valid = valid
        if self._journal_valid and changes:
            self.foreign_changes += 1  # our own appends move the offset past themselves
            self._journal_articles |= was
            self._applied(changes)
        self._offset = offset
        self._journal = journal

    def _applied(self, changes: list[JournalEntry]) -> None:
        """Apply journal entries to the tables in memory, and note what they touched."""
        apply_entries(self._data, changes)  # type: ignore[arg-type]
        self._journal_entries.extend(changes)
        for table, doc_id, doc in changes:
            self._index_change(table, doc_id, doc)
            if table == "annotations":
                self._journal_docs.add(doc_id)
                self._journal_articles.update(touched_articles(doc))
        self._changes += len(changes)

    # writing ----------------------------------------------------------------------------

    def append(self, changes: list[JournalEntry], encoded: Encoded | None = None) -> None:
        """Save these changes durably: one journal append and fdatasync when possible (a
        bulk change, a new snapshot: `encoded`, its annotation records encoded ahead)."""
        data = self.read() or {}
        if not self._journal_valid or self._generation is None:
            data = self._full()
            apply_entries(data, changes)
            self.write(data)  # no journal yet for this snapshot: start one
            return
        stored = data.get("annotations") or {}
        was = {doc_id: touched_articles(stored[doc_id]) for table, doc_id, _ in changes
               if table == "annotations" and doc_id in stored}
        # a bulk change (an import) as big as the journal may grow goes to a new snapshot at
        # once, not encoded as lines first (a record's line is over 64 bytes; a deletion's is not)
        blob = b"" if self.bulk(len(changes)) else encode_entries(changes, was)
        if not blob or len(blob) > self._compact_threshold():
            data = self._full()
            apply_entries(data, changes)
            self.write(data, encoded)
            return
        try:
            append_to_journal(self.journal, self._offset, blob)
        except OSError as error:
            self.forget()
            raise DatabaseError(
                f"{self.path}: could not save ({error.strerror}); your change is kept in memory"
            ) from None
        for articles in was.values():
            self._journal_articles.update(articles)
        self._applied(changes)
        self._offset += len(blob)
        self._journal = stat_signature(self.journal)
        if self._offset > self._compact_threshold():
            try:
                self.fold()
            except DatabaseError:
                pass  # the change is durable in the journal; compaction is tried again later

    def _compact_threshold(self) -> int:
        return max(COMPACT_MIN_BYTES, min(COMPACT_MAX_BYTES, self._snapshot_size // 2))

    def bulk(self, changes: int) -> bool:
        """Whether so many changes go to a new snapshot at once (`append`)."""
        return changes * 64 > self._compact_threshold()

    def write(self, data: Tables, encoded: Encoded | None = None) -> None:
        """Write all the tables as a new snapshot and start an empty journal for it."""
        generation = new_generation()
        set_generation(data, generation)
        blob, index = lay_out(data, encoded)
        self._install(blob, index, generation)
        self._partial, self._index = False, None
        self._data = data

    def fold(self) -> None:
        """Fold the journal in: a storage holding only some articles' annotations copies
        the runs the journal did not touch from the old file (`reader.snapshot_fold`)."""
        if not self._partial:
            self.write(self._full())
            return
        changed = set(self._journal_articles)
        self.ensure(changed)
        if not self._partial:  # the file was not what its index said: it was read whole
            self.write(self._full())
            return
        from reader.snapshot_fold import fold_layout

        generation = new_generation()
        set_generation(self._data, generation)  # type: ignore[arg-type]
        try:
            blob, index = fold_layout(self._handle, self._index, self._data, changed)  # type: ignore[arg-type]
        except (OSError, ValueError):
            self.write(self._full())
            return
        loaded, seen = set(self._loaded_articles), self.foreign_changes
        self._install(blob, index, generation)
        self.forget()  # read the new file as any reader would, through its index
        self.read()
        self.ensure(loaded)
        self.foreign_changes = seen  # our own fold, not another process's change

    def _install(self, blob: bytes | Iterator[bytes], index: Index, generation: str) -> None:
        """Put a new snapshot and its index in place, and start an empty journal for it."""
        header = journal_header(generation)
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except OSError:
            mode = NEW_FILE_MODE
        self._write_file(self.path, blob, mode, rotate=True)
        self.indexed = write_index(self.path, index, mode)
        self._seen_before = True
        self._close_handle()
        self._snapshot = stat_signature(self.path)
        self._snapshot_size = self._snapshot[1] if self._snapshot else 0
        self._generation = generation
        self._indexes.clear()
        self._next_ids.clear()
        self._forget_journal_notes()
        try:
            self._write_file(self.journal, header, mode, rotate=False)
        except DatabaseError:
            # the snapshot holds everything; the old journal names the old generation and
            # is ignored, so the next save writes a snapshot again
            self._journal, self._offset, self._journal_valid = stat_signature(self.journal), 0, False
            return
        self._journal = stat_signature(self.journal)
        self._offset = len(header)
        self._journal_valid = True

    def _write_file(self, path: Path, blob: bytes | Iterator[bytes], mode: int, *, rotate: bool) -> None:
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
    def snapshot_size(self) -> int:
        return self._snapshot_size

    @property
    def cheap_to_fold(self) -> bool:
        """Whether a clean close should fold the journal in (see FOLD_ON_CLOSE_MAX)."""
        return not self._partial or self._snapshot_size <= FOLD_ON_CLOSE_MAX

    @property
    def needs_compaction(self) -> bool:
        """The cached tables hold changes that only the journal has, or there is no
        journal to extend (as last read; `compact` looks again)."""
        return self._data is not None and (bool(self._changes) or not self._journal_valid)

    def compact(self) -> None:
        """Fold the journal into the snapshot, when it holds any change."""
        self.read()
        if self.needs_compaction:
            self.fold()

    # backups ----------------------------------------------------------------------------

    def backup_now(self) -> None:
        """Rotate the backups now, whatever the interval (before a migration)."""
        rotate_backups(self.path, force=True)

    # the cache --------------------------------------------------------------------------

    @property
    def cached(self) -> Tables | None:
        """The tables as last read or written, without looking at the files."""
        return self._data

    def _forget_journal_notes(self) -> None:
        self._changes = 0
        self._journal_entries: list[JournalEntry] = []
        """What the journal changed since the snapshot (applied again by `ensure_all`)."""
        self._journal_docs: set[str] = set()
        """Annotation records the journal put or deleted: its version wins over the file's."""
        self._journal_articles: set[str] = set()
        """Articles whose annotations the journal changed (new and previous versions)."""

    def _close_handle(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None:
            handle.close()

    def forget(self) -> None:
        """Drop the cached copy, so the next read parses the files again."""
        self._close_handle()
        self._partial = False
        self.indexed = False
        """Whether the snapshot has an index that describes it (else it is read whole)."""
        self._index: Index | None = None
        self._loaded_articles: set[str] = set()
        self._data: Tables | None = None
        self._snapshot: tuple[int, int, int] | None = None
        self._snapshot_size = 0
        self._generation: str | None = None
        self._journal: tuple[int, int, int] | None = None
        self._offset = 0
        self._journal_valid = False
        self._forget_journal_notes()
        self._indexes: dict[tuple[str, str], dict[Any, str]] = {}
        self._next_ids: dict[str, int] = {}

    def close(self) -> None:
        self.forget()

