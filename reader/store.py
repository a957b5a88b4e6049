"""The annotation database: TinyDB on a crash-safe, multi-process JSON storage. No UI.

The database is two files: the snapshot `annotations.json` (TinyDB's JSON, complete and
hand-readable) and its journal `annotations.json.journal` (JSON Lines, one line per change
since the snapshot was written). Every change is one transaction under the file lock:

- bring the cached tables up to date (a `stat` of both files; only what another process
  appended is read and parsed),
- append the change to the journal and `fdatasync` it: the save is durable when this
  returns, in well under a millisecond of I/O whatever the database's size,
- now and then (the journal has grown to half the snapshot, a bulk change, or a clean
  close) fold the journal into a new snapshot: temp file, fsync, `os.replace`, fsync the
  folder, then a fresh journal the same way.

The journal's first line names the snapshot generation it extends (also stored in the
snapshot's `meta` table), so a journal left behind by a compaction that was killed half
way is recognised as already folded in and ignored. A kill in mid-append leaves a torn
last line; it was never acknowledged, readers ignore it and the next writer cuts it off.
A kill at any moment leaves the database as of the last acknowledged save, and two
processes sharing it lose nothing.

Reading takes no lock. Writers never change a file a reader may be reading in place:
a snapshot is replaced whole, and the journal only grows past the last complete line. So
a reader reads both files and `stat`s them again; the same signature before and after
means it read one state that some writer left, and anything else is read again (under
the lock after a few tries). Opening a database to read it (the app's start, `export`)
neither waits for a writer nor imports the lock's library.

Files from elsewhere are data, never trusted. The database's path is resolved once
(`database_file`): a symbolic link is followed, so its target is what gets replaced (the
link stays a link) and the journal, lock and backups sit beside the target; a folder, FIFO,
socket or device is refused from its `stat`, never opened. A missing file whose backups are
beside it is not made anew (`db recover` brings it back). A record that does not read (the
model's `from_dict` checks it as strictly as an import does) or whose key is not a sane
record number is skipped and listed in `Store.problems`, never coerced, never turned into a
number, and every compaction writes it back as it was.
"""

from __future__ import annotations

import gc
import os
import shutil
import stat
import tempfile
import time
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb.storages import Storage

from reader.errors import DatabaseError
from reader.model import SCHEMA_VERSION, Annotation, Article

if TYPE_CHECKING:
    from filelock import FileLock

Tables = dict[str, dict[str, Any]]
Change = tuple[str, str, dict[str, Any] | None]
"""(table, document id, the whole document, or None to delete it)."""
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {}
"""Schema N → N+1 upgrades of the whole database, applied on open. Schema 1 is the first;
a change to the stored shape adds its step here and bumps model.SCHEMA_VERSION."""
NEW_FILE_MODE = 0o644
"""Mode of a new database file (an existing one keeps its own)."""
BACKUP_COUNT = 3
BACKUP_INTERVAL = 300.0
"""Seconds between backups: `.bak.1` to `.bak.3` span at least a quarter of an hour."""
LOCK_TIMEOUT = 10.0
"""Seconds to wait for another process's write before giving up with an error."""
UNLOCKED_READS = 3
"""Tries at a consistent read without the lock before waiting for it (a writer that
saves flat out can change the files under every try)."""
JOURNAL_SUFFIX = ".journal"
JOURNAL_FORMAT = 1
COMPACT_MIN_BYTES = 256 * 1024
"""The journal is folded into the snapshot once it is larger than this and than half the
snapshot: replaying it on open stays cheap, and compactions stay rare at any size."""
GENERATION_KEY = "journal_generation"
"""The `meta` record naming the snapshot's generation (the journal's header repeats it)."""
KEY_FIELDS = {"articles": "id", "annotations": "id", "meta": "key"}
"""The field that identifies a record of each table."""
MAX_KEY_DIGITS = 18
"""A record's key (TinyDB's document id) is a decimal number of at most this many ASCII
digits. Longer ones (or other digits) come from a damaged or hostile file: such a record is
reported and skipped, kept in the file as it is, and never turned into a number."""


def is_record_key(key: str) -> bool:
    """Whether `key` is a sane record number (see MAX_KEY_DIGITS)."""
    return 0 < len(key) <= MAX_KEY_DIGITS and key.isascii() and key.isdigit()


def shown_key(key: str) -> str:
    """A record's key for a message: shortened when it is not a sane record number."""
    if is_record_key(key):
        return key
    from reader.ingest.sanitize import display_line

    return display_line(key[:12]) + f"… ({len(key)} characters)" if len(key) > 12 else display_line(key)


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refuse_special(path: Path, mode: int, what: str = "database file") -> None:
    """A DatabaseError when `mode` is not a regular file's: a FIFO or a device would block
    or never end a read, so they are refused from their `stat`, never opened."""
    kind = _special_kind(mode)
    if kind is None:
        return
    if what == "database file":
        if kind == "a folder":
            raise DatabaseError(f"{path}: is a folder; give the database file's path with --db")
        raise DatabaseError(f"{path}: is {kind}, not a database file; give the database file's path with --db")
    raise DatabaseError(f"{path}: is {kind}, not a {what}; move it aside")


def database_file(path: str | os.PathLike[str]) -> Path:
    """The file a database path names. A symbolic link is followed to its target, so the
    target is what gets written (the link stays a link) and the journal, lock and backups
    sit beside the target, whichever name opened it. A folder, FIFO, socket or device is
    refused (from its `stat`, never opened). A missing file is returned as it is."""
    path = Path(path)
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return path
    except OSError as error:
        raise DatabaseError(f"{path}: cannot read the database ({error.strerror})") from None
    refuse_special(path, info.st_mode)
    return path


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_paths(path: Path) -> list[Path]:
    """`annotations.json.bak.1` (newest) to `.bak.3` (oldest)."""
    return [path.with_name(f"{path.name}.bak.{index}") for index in range(1, BACKUP_COUNT + 1)]


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + JOURNAL_SUFFIX)


def lock_for(path: Path, timeout: float = LOCK_TIMEOUT) -> FileLock:
    """The lock every writer of the database at `path` takes."""
    from filelock import FileLock  # ~9 ms to import: only writers pay it

    return FileLock(str(path) + ".lock", timeout=timeout)


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


def parse_database(raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
    """The tables of a database file, or a DatabaseError saying what is wrong with it."""
    keep = "the file was left untouched; fix or move it aside, or choose another file with --db"
    if any(backup.exists() for backup in backup_paths(path)):
        keep = (
            "the file was left untouched; `presscheck db recover` restores the last good backup "
            "with the journal's changes"
        )
    if not raw or raw.isspace():  # isspace stops at the first other byte; strip copies 5 MB
        raise DatabaseError(f"{path}: the database file is empty; {keep}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise DatabaseError(f"{path}: not valid JSON ({error}); {keep}") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict)
        and all(key.isdecimal() and isinstance(doc, dict) for key, doc in table.items())
        for table in data.values()
    ):
        raise DatabaseError(f"{path}: valid JSON but not a presscheck database; {keep}")
    return data


def generation_of(data: Tables) -> str | None:
    for record in data.get("meta", {}).values():
        if record.get("key") == GENERATION_KEY and isinstance(record.get("value"), str):
            return record["value"]
    return None


def set_generation(data: Tables, generation: str) -> None:
    """Name `generation` in the tables' `meta` (a snapshot's; its journal's header repeats it)."""
    meta = data.setdefault("meta", {})
    for record in meta.values():
        if record.get("key") == GENERATION_KEY:
            record["value"] = generation
            return
    doc_id = max((int(key) for key in meta if is_record_key(key)), default=0) + 1
    meta[str(doc_id)] = {"key": GENERATION_KEY, "value": generation}


class JournalDamaged(DatabaseError):
    """A complete journal line in the middle of the journal does not parse."""

    def __init__(self, path: Path, line: int, valid_bytes: int) -> None:
        super().__init__(
            f"{path}: line {line} is damaged; the files were left untouched; "
            "`presscheck db recover` keeps the changes before it"
        )
        self.valid_bytes = valid_bytes


def _parse_change(line: bytes) -> Change:
    record = orjson.loads(line)
    table, doc_id, doc = record["t"], record["k"], record["d"]
    if not (isinstance(table, str) and isinstance(doc_id, str) and doc_id.isdecimal()):
        raise ValueError("not a change")
    if doc is not None and not isinstance(doc, dict):
        raise ValueError("not a document")
    return table, doc_id, doc


def read_journal(path: Path, raw: bytes, generation: str | None, start: int = 0) -> tuple[list[Change], int, bool]:
    """The changes in `raw` (a journal's bytes from offset `start`), the offset after the
    last complete line, and whether the journal extends the snapshot of `generation`.

    A torn last line (a writer killed in mid-append) is left out. A damaged line with
    complete lines after it raises JournalDamaged.
    """
    changes: list[Change] = []
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
                changes.append(_parse_change(line))
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
    return changes, start + position, True


def _apply(data: Tables, changes: Iterable[Change]) -> None:
    for table, doc_id, doc in changes:
        records = data.setdefault(table, {})
        if doc is None:
            records.pop(doc_id, None)
        else:
            records[doc_id] = doc


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

    def read(self) -> dict[str, dict[str, Any]] | None:
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
        # The tables are long-lived and hold no cycles: keep the cyclic garbage collector
        # from walking their ~50 objects per annotation at every burst of allocations
        # (it doubled the time to read 10k annotations). Refcounting still frees them.
        gc.freeze()
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
            _apply(self._data, changes)  # type: ignore[arg-type]
            for table, doc_id, doc in changes:
                self._index_change(table, doc_id, doc)
            self._changes += len(changes)
        self._offset = offset
        self._journal = journal

    # writing ----------------------------------------------------------------------------

    @property
    def temp_prefix(self) -> str:
        return f".{self.path.name}."

    def append(self, changes: list[Change]) -> None:
        """Save these changes durably: one journal append and fdatasync when possible."""
        data = self.read() or {}
        if not self._journal_valid or self._generation is None:
            _apply(data, changes)
            self.write(data)  # no journal yet for this snapshot: start one
            return
        blob = b"".join(
            orjson.dumps({"t": table, "k": doc_id, "d": doc}) + b"\n" for table, doc_id, doc in changes
        )
        if len(blob) > self._compact_threshold():
            _apply(data, changes)
            self.write(data)
            return
        try:
            fd = os.open(self.journal, os.O_WRONLY)
        except OSError as error:
            self.forget()
            raise DatabaseError(f"{self.path}: could not save ({error.strerror}); your change is kept in memory") from None
        try:
            os.ftruncate(fd, self._offset)  # cut a torn line left by a killed writer
            os.lseek(fd, self._offset, os.SEEK_SET)
            written = 0
            while written < len(blob):
                written += os.write(fd, blob[written:])
            os.fdatasync(fd)
        except OSError as error:
            try:
                os.ftruncate(fd, self._offset)
            except OSError:
                pass
            self.forget()
            raise DatabaseError(
                f"{self.path}: could not save ({error.strerror}); your change is kept in memory"
            ) from None
        finally:
            os.close(fd)
        _apply(data, changes)
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

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Write all the tables as a new snapshot and start an empty journal for it."""
        import secrets  # loads OpenSSL through hmac: only writing a snapshot needs it

        generation = secrets.token_hex(8)
        set_generation(data, generation)
        blob = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        header = orjson.dumps({"journal": JOURNAL_FORMAT, "generation": generation}) + b"\n"
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
        folder = path.parent
        tmp = ""
        try:
            # inside the try: a read-only folder refuses here, and that is a save that failed
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=self.temp_prefix, suffix=".tmp")
            os.fchmod(fd, mode)  # mkstemp makes 0600; keep the database's own mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            if rotate:
                self._rotate_backups()
            os.replace(tmp, path)
            fsync_folder(folder)
        except OSError as error:
            self.forget()
            try:
                if tmp:
                    os.unlink(tmp)
            except OSError:
                pass
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
        self._rotate_backups(force=True)

    def _rotate_backups(self, force: bool = False) -> None:
        """Keep the snapshot about to be replaced as `.bak.1` (older ones move up to
        `.bak.3`), at most once every BACKUP_INTERVAL seconds. The file being replaced
        always parsed: it was read under the lock just before this write. A hard link
        costs no copy."""
        if not self.path.exists():
            return
        backups = backup_paths(self.path)
        try:
            if not force and time.time() - backups[0].stat().st_ctime < BACKUP_INTERVAL:
                return
        except FileNotFoundError:
            pass
        try:
            for older, newer in zip(reversed(backups[:-1]), reversed(backups[1:])):
                if older.exists():
                    os.replace(older, newer)
            try:
                os.link(self.path, backups[0])
            except OSError:
                shutil.copy2(self.path, backups[0])  # a file system without hard links
        except OSError:
            pass  # a backup that cannot be made must not stop the save itself

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


class Store:
    """Articles, annotations and settings of one database file."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = database_file(path)
        """The database file itself: a symbolic link is followed (see `database_file`)."""
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        self._file_lock: FileLock | None = None
        """Made on the first write: a store that only reads never needs it."""
        self._lock_depth = 0
        """How deep this store is in `transaction()` (the file lock is held when > 0)."""
        # the TinyDB file format, read and written through its storage directly: lookups use
        # the storage's indexes, and a change is one journal append (TinyDB's Table API
        # would rewrite the whole file for each)
        self._storage = DurableStorage(self.path)
        self._problems: dict[str, list[str]] = {}
        """Per table, what the last read of it skipped (see `problems`)."""

    @property
    def problems(self) -> list[str]:
        """The records the last `articles()` (or `article()`) and the last `annotations()`
        skipped, one line each (record key, id, what is wrong; control characters made
        visible). They stay in the file as they are, through every later save and
        compaction."""
        return [line for lines in self._problems.values() for line in lines]

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Store:
        """Open (and with `create`, make) a database, refusing a bad or newer file, and a
        folder, FIFO, socket or device at once. A symbolic link is followed. A missing file
        whose backups are beside it is not made anew (that would hide them): `db recover`."""
        path = database_file(path)
        if not path.exists():
            backups = [backup.name for backup in backup_paths(path) if os.path.lexists(backup)]
            if backups:
                raise DatabaseError(
                    f"{path}: missing, but its backups ({', '.join(backups)}) are beside it; "
                    "`presscheck db recover` restores the newest, or move them away to start anew"
                )
            if not create:
                raise DatabaseError(
                    f"{path}: no such database; annotate first, or choose one with --db"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(f"{path.parent}: cannot create the folder ({error.strerror})") from None
        store = cls(path)
        version = store.get_meta("schema_version")
        if type(version) is int and version == SCHEMA_VERSION and not store._stale_temp_files():
            return store  # nothing to set up: no lock taken (`True == 1`, hence the type)
        with store.transaction():
            version = store.get_meta("schema_version")
            if version is None:
                if create:
                    store.set_meta("schema_version", SCHEMA_VERSION)
            elif not isinstance(version, int) or isinstance(version, bool):
                raise DatabaseError(
                    f"{path}: its schema_version {version!r} is not a number; the file was left "
                    "untouched; fix it or choose another file with --db"
                )
            elif version > SCHEMA_VERSION:
                raise DatabaseError(
                    f"{path}: written by a newer presscheck (schema {version}, this one reads "
                    f"{SCHEMA_VERSION}); upgrade presscheck to open it"
                )
            elif version < SCHEMA_VERSION:
                store._migrate(version)
            store._remove_stale_temp_files()
        return store

    def _migrate(self, version: int) -> None:
        """Bring a database written by an older presscheck up to SCHEMA_VERSION, one step at
        a time, in one write; the database as it was is kept as a `.bak` first."""
        steps = [MIGRATIONS.get(step) for step in range(version, SCHEMA_VERSION)]
        if None in steps:
            missing = version + steps.index(None)
            raise DatabaseError(f"{self.path}: no migration from schema {missing}; upgrade presscheck")
        self._storage.compact()  # the backup must hold the journal's changes too
        self._storage.backup_now()
        data = self._storage.read() or {}
        for migration in steps:
            data = migration(data)  # type: ignore[misc]
        self._storage.write(data)
        self.set_meta("schema_version", SCHEMA_VERSION)

    def _stale_temp_files(self) -> list[Path]:
        """Temp files of writers (a writer killed mid-save leaves one; a live one is about
        to rename its own)."""
        return list(self.path.parent.glob(f"{self._storage.temp_prefix}*.tmp"))

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a writer killed mid-save. Only called under the lock, when no
        other writer can be between creating its temp file and renaming it."""
        for leftover in self._stale_temp_files():
            try:
                leftover.unlink()
            except OSError:
                pass

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the database for a read-modify-write; re-entrant."""
        from filelock import Timeout

        with self._thread_lock:
            if self._file_lock is None:
                self._file_lock = lock_for(self.path, self.lock_timeout)
            try:
                with self._file_lock:
                    self._lock_depth += 1
                    try:
                        yield
                    except BaseException:
                        self._storage.forget()
                        raise
                    finally:
                        self._lock_depth -= 1
            except Timeout:
                raise DatabaseError(
                    f"{self.path}: locked by another process for over {self.lock_timeout:g} s; "
                    "try again, or remove the .lock file if no presscheck is running"
                ) from None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold an up-to-date, consistent copy of the tables for reading them: without the
        file lock when the files hold still while they are read (see the module's notes),
        under it otherwise. Inside a transaction it is that transaction's view."""
        with self._thread_lock:
            if self._lock_depth or self._read_unlocked():
                yield
                return
        with self.transaction():
            yield

    def _read_unlocked(self) -> bool:
        """Bring the cached tables up to date without the lock; true when what was read is
        one state of the files, the same before and after reading them."""
        for _ in range(UNLOCKED_READS):
            try:
                self._storage.read()
            except DatabaseError:
                # maybe a writer's change half seen; under the lock the error is the file's
                self._storage.forget()
                return False
            if database_signature(self.path) == self._storage.signature:
                return True
        return False

    def seen(self) -> tuple[int, Signature]:
        """(how many times other processes' saves were taken in, the files' signature as
        last read or written): a view built from this store compares them to know whether
        it is current."""
        with self._thread_lock:
            return self._storage.foreign_changes, self._storage.signature

    # settings ---------------------------------------------------------------------------

    def _tables(self) -> Tables:
        """The tables, inside `reading()` or `transaction()`: under the lock brought up to
        date (two `stat` calls when nothing changed), else the copy `reading()` checked."""
        return (self._storage.read() if self._lock_depth else self._storage.cached) or {}

    def _record(self, table_name: str, key: Any) -> dict[str, Any] | None:
        """The stored record of `table_name` identified by `key` (an index lookup; call it
        inside `reading()` or `transaction()`)."""
        data = self._tables()
        doc_id = self._storage.find(table_name, KEY_FIELDS[table_name], key)
        return None if doc_id is None else data.get(table_name, {}).get(doc_id)

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.reading():
            found = self._record("meta", key)
        return default if found is None else found.get("value", default)

    def set_meta(self, key: str, value: Any) -> None:
        self._put("meta", {"key": key, "value": value})

    def _put(self, table_name: str, record: dict[str, Any], keep: tuple[str, ...] = ()) -> None:
        """Insert or replace one record with a single journal append, and no write at all
        (nor any lock) when nothing changed. Fields named in `keep` keep their stored value."""

        def merged() -> tuple[dict[str, Any], dict[str, Any] | None]:
            stored = self._record(table_name, record[KEY_FIELDS[table_name]])
            if stored is None:
                return record, None
            return {**record, **{name: stored[name] for name in keep if name in stored}}, stored

        with self.reading():
            new, stored = merged()
            if new == stored:
                return
        with self.transaction():
            new, stored = merged()
            if new == stored:
                return
            doc_id = self._storage.find(table_name, KEY_FIELDS[table_name], new[KEY_FIELDS[table_name]])
            self._storage.append([(table_name, doc_id or self._storage.next_id(table_name), new)])

    # articles ---------------------------------------------------------------------------

    def put_article(self, article: Article) -> None:
        """Add an article, or refresh its metadata; a no-op when nothing changed."""
        self._put("articles", article.to_dict(), keep=("added_at",))

    def article(self, article_id: str) -> Article | None:
        """The article of that id; None when there is none, or its record is damaged (it
        is then listed in `problems`)."""
        with self.reading():
            doc_id = self._storage.find("articles", KEY_FIELDS["articles"], article_id)
            found = None if doc_id is None else self._tables().get("articles", {}).get(doc_id)
        if found is None:
            return None
        try:
            return Article.from_dict(found)
        except (KeyError, TypeError, ValueError) as error:
            self._problems["articles"] = [_problem("article record", shown_key(doc_id), found, error)]  # type: ignore[arg-type]
            return None

    def articles(self) -> list[Article]:
        """Every article that reads; damaged records are skipped and listed in `problems`."""
        with self.reading():
            records = list((self._tables().get("articles") or {}).items())
        problems = self._problems["articles"] = []
        found: list[Article] = []
        for doc_id, record in records:
            if not is_record_key(doc_id):
                problems.append(f"article record {shown_key(doc_id)}: its key is not a record number")
                continue
            try:
                found.append(Article.from_dict(record))
            except (KeyError, TypeError, ValueError) as error:
                problems.append(_problem("article record", doc_id, record, error))
        return found

    # annotations ------------------------------------------------------------------------

    def put_annotation(self, annotation: Annotation) -> None:
        """Save an annotation (new or edited); durable when this returns."""
        self._put("annotations", annotation.to_dict())

    def put_many(self, articles: Iterable[Article] = (), annotations: Iterable[Annotation] = ()) -> None:
        """Add new articles and save annotations (new or replacing the same id) in one
        transaction, however many there are (imports use it): one journal append makes them
        durable, then the journal is folded in, so the file alone holds a bulk change."""
        with self.transaction():
            data = self._tables()
            changes: list[Change] = []
            next_ids: dict[str, int] = {}
            for table_name, record, replace in (
                *(("articles", a.to_dict(), False) for a in articles),
                *(("annotations", a.to_dict(), True) for a in annotations),
            ):
                doc_id = self._storage.find(table_name, KEY_FIELDS[table_name], record["id"])
                if doc_id is not None:
                    if not replace or data[table_name].get(doc_id) == record:
                        continue
                else:
                    number = next_ids.get(table_name) or int(self._storage.next_id(table_name))
                    next_ids[table_name] = number + 1
                    doc_id = str(number)
                    self._storage.remember(table_name, KEY_FIELDS[table_name], record["id"], doc_id)
                changes.append((table_name, doc_id, record))
            if changes:
                self._storage.append(changes)
                try:
                    self._storage.compact()
                except DatabaseError:
                    pass  # the changes are durable in the journal; `close` folds them in later

    def delete_annotation(self, annotation_id: str) -> None:
        with self.transaction():
            self._tables()
            doc_id = self._storage.find("annotations", KEY_FIELDS["annotations"], annotation_id)
            if doc_id is not None:
                self._storage.append([("annotations", doc_id, None)])

    def key_problems(self, exclude: Iterable[str] = ()) -> list[str]:
        """One line for each record (in the tables not excluded) whose key is not a record
        number (see MAX_KEY_DIGITS); `articles()` and `annotations()` report their own."""
        from reader.ingest.sanitize import display_line

        with self.reading():
            tables = list(self._tables().items())
        return [
            f"{display_line(name[:40])} record {shown_key(key)}: its key is not a record number"
            for name, records in tables
            if name not in exclude
            for key in records
            if not is_record_key(key)
        ]

    def unfolded_changes(self) -> int:
        """How many changes the journal holds that the file does not have yet (0 once
        folded in: the file alone holds everything)."""
        with self.reading():
            return self._storage.unfolded

    def close(self) -> None:
        """Fold the journal into the snapshot, so the file alone holds everything (a
        clean exit); a failure leaves the journal, which is just as safe."""
        try:
            with self.reading():
                if not self._storage.needs_compaction:
                    return  # nothing to fold in: no lock taken
            with self.transaction():
                self._storage.compact()
        except DatabaseError:
            pass

    def annotations(self, article_ids: Iterable[str] | None = None) -> list[Annotation]:
        """Annotations touching any of `article_ids` (all when None), oldest first."""
        wanted = None if article_ids is None else set(article_ids)
        with self.reading():
            # the cached tables themselves (TinyDB's Table.all() copies every record)
            records = list((self._tables().get("annotations") or {}).items())
        found: list[Annotation] = []
        problems = self._problems["annotations"] = []
        for doc_id, record in records:
            if not is_record_key(doc_id):
                problems.append(f"annotation record {shown_key(doc_id)}: its key is not a record number")
                continue
            try:
                annotation = Annotation.from_dict(record)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                problems.append(_problem("annotation record", doc_id, record, error))
                continue
            if wanted is None or any(t.article_id in wanted for t in annotation.targets):
                found.append(annotation)
        found.sort(key=lambda a: (a.created, a.id))
        return found


def _problem(what: str, doc_id: str, record: Any, error: Exception) -> str:
    """One line on a record that does not read: its key, its id when it has one, and what
    is wrong (shortened, control characters from the file made visible)."""
    from reader.ingest.sanitize import display_line

    name = record.get("id") if isinstance(record, dict) else None
    if isinstance(name, str) and name:
        what = f"{what} {doc_id} (id {name[:40]}{'…' if len(name) > 40 else ''})"
    else:
        what = f"{what} {doc_id}"
    if isinstance(error, KeyError):
        reason = f"no {error.args[0]!r} field" if error.args else "a field is missing"
    else:
        reason = str(error) or type(error).__name__
    reason = " ".join(reason.split())
    if len(reason) > 160:
        reason = reason[:159] + "…"
    return display_line(f"{what}: {reason}")
