"""The annotation database: TinyDB on a crash-safe, multi-process JSON storage. No UI.

Every change is one transaction: take the file lock, read the file as it is now on disk
(another process may have changed it), apply the change, write a temp file, fsync it,
`os.replace` it over the database and fsync the folder. A kill at any moment leaves either
the old file or the new one, and two processes sharing a file lose nothing.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from reader.errors import DatabaseError
from reader.model import SCHEMA_VERSION, Annotation, Article

TABLES = ("articles", "annotations", "meta")

Tables = dict[str, dict[str, Any]]
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


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_paths(path: Path) -> list[Path]:
    """`annotations.json.bak.1` (newest) to `.bak.3` (oldest)."""
    return [path.with_name(f"{path.name}.bak.{index}") for index in range(1, BACKUP_COUNT + 1)]


def lock_for(path: Path, timeout: float = LOCK_TIMEOUT) -> FileLock:
    """The lock every writer of the database at `path` takes."""
    return FileLock(str(path) + ".lock", timeout=timeout)


def parse_database(raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
    """The tables of a database file, or a DatabaseError saying what is wrong with it."""
    keep = "the file was left untouched; fix or move it aside, or choose another file with --db"
    if any(backup.exists() for backup in backup_paths(path)):
        keep = "the file was left untouched; `presscheck db recover` restores the last good backup"
    if not raw.strip():
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


class DurableStorage(Storage):
    """A TinyDB storage that never leaves a half-written file and never overwrites a bad one.

    It keeps the last bytes it read or wrote, so a read that finds the file unchanged
    skips parsing. Writes must happen under the database's file lock (see `Store`).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._raw: bytes | None = None
        self._data: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self.forget()
            return None
        except OSError as error:
            raise DatabaseError(f"{self.path}: cannot read the database ({error.strerror})") from None
        if raw != self._raw or self._data is None:
            self._data = parse_database(raw, self.path)
            self._raw = raw
        return self._data

    @property
    def temp_prefix(self) -> str:
        return f".{self.path.name}."

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        blob = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        folder = self.path.parent
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except OSError:
            mode = NEW_FILE_MODE
        tmp = ""
        try:
            # inside the try: a read-only folder refuses here, and that is a save that failed
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=self.temp_prefix, suffix=".tmp")
            os.fchmod(fd, mode)  # mkstemp makes 0600; keep the database's own mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            self._rotate_backups()
            os.replace(tmp, self.path)
            _fsync_folder(folder)
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
        self._raw = blob
        self._data = data

    def backup_now(self) -> None:
        """Rotate the backups now, whatever the interval (before a migration)."""
        self._rotate_backups(force=True)

    def _rotate_backups(self, force: bool = False) -> None:
        """Keep the file about to be replaced as `.bak.1` (older ones move up to `.bak.3`),
        at most once every BACKUP_INTERVAL seconds. The file being replaced always parsed:
        it was read under the lock just before this write. A hard link costs no copy."""
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

    def forget(self) -> None:
        """Drop the cached copy, so the next read parses the file again."""
        self._raw = None
        self._data = None

    def close(self) -> None:
        self.forget()


class _SharedTable(Table):
    """A TinyDB table that trusts nothing it cached: another process may write the file."""

    default_query_cache_capacity = 0

    def _get_next_id(self) -> int:
        return max((int(key) for key in self._read_table()), default=0) + 1


class _SharedTinyDB(TinyDB):
    table_class = _SharedTable


class Store:
    """Articles, annotations and settings of one database file."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        self._file_lock = lock_for(self.path, lock_timeout)
        self._db = _SharedTinyDB(self.path, storage=DurableStorage)
        self._storage: DurableStorage = self._db.storage  # type: ignore[assignment]
        self._tables = {name: self._db.table(name) for name in TABLES}
        self.problems: list[str] = []
        """Records that could not be read; they stay in the file untouched."""

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Store:
        """Open (and with `create`, make) a database, refusing a bad or newer file."""
        path = Path(path)
        if path.is_dir():
            raise DatabaseError(f"{path}: is a folder; give the database file's path with --db")
        if not path.exists():
            if not create:
                raise DatabaseError(
                    f"{path}: no such database; annotate first, or choose one with --db"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(f"{path.parent}: cannot create the folder ({error.strerror})") from None
        store = cls(path)
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
        a time, in one write; the file as it was is kept as a `.bak` first."""
        data = self._storage.read() or {}
        for step in range(version, SCHEMA_VERSION):
            migration = MIGRATIONS.get(step)
            if migration is None:
                raise DatabaseError(f"{self.path}: no migration from schema {step}; upgrade presscheck")
            data = migration(data)
        self._storage.backup_now()
        self._storage.write(data)
        self.set_meta("schema_version", SCHEMA_VERSION)

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a writer killed mid-save. Only called under the lock, when no
        other writer can be between creating its temp file and renaming it."""
        for leftover in self.path.parent.glob(f"{self._storage.temp_prefix}*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the database for a read-modify-write; re-entrant."""
        with self._thread_lock:
            try:
                with self._file_lock:
                    try:
                        yield
                    except BaseException:
                        self._storage.forget()
                        raise
            except Timeout:
                raise DatabaseError(
                    f"{self.path}: locked by another process for over {self.lock_timeout:g} s; "
                    "try again, or remove the .lock file if no presscheck is running"
                ) from None

    # settings ---------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.transaction():
            found = self._tables["meta"].get(Query().key == key)
        return default if found is None else found.get("value", default)

    def set_meta(self, key: str, value: Any) -> None:
        with self.transaction():
            self._put("meta", {"key": key, "value": value}, Query().key == key)

    def _put(self, table_name: str, record: dict[str, Any], where: Any) -> None:
        """Insert or replace one record with a single write (TinyDB's upsert writes twice
        for a new record), and no write at all when nothing changed."""
        table = self._tables[table_name]
        found = table.get(where)
        if found is None:
            table.insert(record)
        elif dict(found) != record:

            def replace_all(document: dict[str, Any]) -> None:
                document.clear()
                document.update(record)

            table.update(replace_all, doc_ids=[found.doc_id])

    # articles ---------------------------------------------------------------------------

    def put_article(self, article: Article) -> None:
        """Add an article, or refresh its metadata; a no-op when nothing changed."""
        record = article.to_dict()
        with self.transaction():
            table = self._tables["articles"]
            old = table.get(Query().id == article.id)
            if old is not None:
                record["added_at"] = old.get("added_at", record["added_at"])
            self._put("articles", record, Query().id == article.id)

    def article(self, article_id: str) -> Article | None:
        with self.transaction():
            found = self._tables["articles"].get(Query().id == article_id)
        return None if found is None else Article.from_dict(found)

    def articles(self) -> list[Article]:
        with self.transaction():
            records = self._tables["articles"].all()
        return [article for article in map(self._article_or_none, records) if article]

    # annotations ------------------------------------------------------------------------

    def put_annotation(self, annotation: Annotation) -> None:
        """Save an annotation (new or edited); durable when this returns."""
        with self.transaction():
            self._put("annotations", annotation.to_dict(), Query().id == annotation.id)

    def put_many(self, articles: Iterable[Article] = (), annotations: Iterable[Annotation] = ()) -> None:
        """Add new articles and save annotations (new or replacing the same id) in one
        transaction and at most three writes, however many there are (imports use it)."""
        articles, annotations = list(articles), list(annotations)
        with self.transaction():
            known = {record.get("id") for record in self._tables["articles"].all()}
            self._insert_all(self._tables["articles"], [a.to_dict() for a in articles if a.id not in known])
            table = self._tables["annotations"]
            stored = {record.get("id") for record in table.all()}
            self._insert_all(table, [a.to_dict() for a in annotations if a.id not in stored])
            changed = [(a.to_dict(), Query().id == a.id) for a in annotations if a.id in stored]
            if changed:
                table.update_multiple(changed)

    @staticmethod
    def _insert_all(table: Table, records: list[dict[str, Any]]) -> None:
        # doc ids given up front: `_SharedTable._get_next_id` reads the stored table, so
        # TinyDB's own numbering inside one `insert_multiple` would hand out one id to all
        if records:
            first = table._get_next_id()
            table.insert_multiple(Document(r, doc_id=first + i) for i, r in enumerate(records))

    def delete_annotation(self, annotation_id: str) -> None:
        with self.transaction():
            table = self._tables["annotations"]
            if table.contains(Query().id == annotation_id):
                table.remove(Query().id == annotation_id)

    def annotations(self, article_ids: Iterable[str] | None = None) -> list[Annotation]:
        """Annotations touching any of `article_ids` (all when None), oldest first."""
        wanted = None if article_ids is None else set(article_ids)
        with self.transaction():
            records = self._tables["annotations"].all()
        found: list[Annotation] = []
        self.problems = []
        for record in records:
            try:
                annotation = Annotation.from_dict(record)
            except (KeyError, TypeError, ValueError) as error:
                self.problems.append(f"annotation record {record.doc_id}: {error!r}")
                continue
            if wanted is None or any(t.article_id in wanted for t in annotation.targets):
                found.append(annotation)
        found.sort(key=lambda a: (a.created, a.id))
        return found

    def _article_or_none(self, record: dict[str, Any]) -> Article | None:
        try:
            return Article.from_dict(record)
        except (KeyError, TypeError, ValueError) as error:
            self.problems.append(f"article record: {error!r}")
            return None
