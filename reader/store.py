"""The annotation database: articles, annotations and settings in TinyDB's format, on a
crash-safe, multi-process storage. No UI.

The layers below, each one concept: `reader.snapshot` (the database file, its backups and
lock), `reader.journal` (one line per change since the snapshot), `reader.durable_storage`
(the TinyDB storage that keeps both up to date, and where the journal protocol is told)
and `reader.atomic_write` (every file replaced whole).

Reading takes no lock. Writers never change a file a reader may be reading in place:
a snapshot is replaced whole, and the journal only grows past the last complete line. So
a reader reads both files and `stat`s them again; the same signature before and after
means it read one state that some writer left, and anything else is read again (under
the lock after a few tries). Opening a database to read it (the app's start, `export`)
neither waits for a writer nor imports the lock's library.

Files from elsewhere are data, never trusted. A missing file whose backups are beside it
is not made anew (`db recover` brings it back). A record that does not read (the model's
`from_dict` checks it as strictly as an import does) or whose key is not a sane record
number is skipped and listed in `Store.problems`, never coerced, never turned into a
number, and every compaction writes it back as it was.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from reader.atomic_write import remove_temp_files, temp_files
from reader.durable_storage import DurableStorage, Signature, database_signature
from reader.errors import DatabaseError
from reader.journal import JournalEntry
from reader.article_texts import TEXT_KEY, article_from_record, article_records, is_text_key, record_without_text
from reader.model import Annotation, Article
from reader.record_problems import problem_line, shown_key
from reader.store_migrations import MIGRATIONS
from reader.snapshot_layout import Encoded, encoded_record, touched_articles
from reader.snapshot import KEY_FIELDS, LOCK_TIMEOUT, Tables, backup_paths, database_file, is_record_key, lock_for

if TYPE_CHECKING:
    from filelock import FileLock

STORE_SCHEMA = 2
"""The database's own schema (its `meta` record `schema_version`): 1 held every article's
text in the snapshot, 2 keeps texts in files beside it (`reader.article_texts`) and the
snapshot laid out with an index (`reader.snapshot_layout`). Not the export format's
`model.STORE_SCHEMA`."""


INDEX_MIN_BYTES = 1024 * 1024
"""A snapshot without an index that describes it is written again with one on open, when
it is larger than this (smaller ones read whole in a few milliseconds)."""
UNLOCKED_READS = 3
"""Tries at a consistent read without the lock before waiting for it (a writer that
saves flat out can change the files under every try)."""


class Store:
    """Articles, annotations and settings of one database file."""

    _unmade = False
    """Whether the database is yet to be made by its first write (`open(on_first_write=True)`)."""

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
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, on_first_write: bool = False) -> Store:
        """Open (and with `create`, make) a database, refusing a bad or newer file, and a
        folder, FIFO, socket or device at once. A symbolic link is followed. A missing file
        whose backups are beside it is not made anew (that would hide them): `db recover`.
        `on_first_write`: a missing database is made by its first write (the app's first
        frame waits for no lock and no fsync); until then it reads as empty."""
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
        if on_first_write and not path.exists():
            store._unmade = True
            return store
        version = store.get_meta("schema_version")
        if type(version) is int and version == STORE_SCHEMA and not temp_files(path) and store._indexed():
            return store  # nothing to set up: no lock taken (`True == 1`, hence the type)
        store._set_up(create)
        if store._storage.snapshot_size > INDEX_MIN_BYTES:
            store._storage.forget()  # a migration or a new index held every record: read through it
        return store

    def _set_up(self, create: bool) -> None:
        """Make, migrate or index the database as needed, under its lock."""
        store, path = self, self.path
        with store.transaction():
            version = store.get_meta("schema_version")
            if version is None:
                if create:
                    store.set_meta("schema_version", STORE_SCHEMA)
            elif not isinstance(version, int) or isinstance(version, bool):
                raise DatabaseError(
                    f"{path}: its schema_version {version!r} is not a number; the file was left "
                    "untouched; fix it or choose another file with --db"
                )
            elif version > STORE_SCHEMA:
                raise DatabaseError(
                    f"{path}: written by a newer presscheck (schema {version}, this one reads "
                    f"{STORE_SCHEMA}); upgrade presscheck to open it"
                )
            elif version < STORE_SCHEMA:
                store._migrate(version)
            elif not store._indexed():
                store._storage.write(store._storage._full())  # an index for it (lost in a kill, or hand-edited)
            remove_temp_files(path)  # left by writers killed mid-save; we hold the lock

    def _indexed(self) -> bool:
        """Whether the snapshot is read through an index, or small enough not to need one."""
        storage = self._storage
        return storage.indexed or storage.snapshot_size <= INDEX_MIN_BYTES or storage.cached is None

    def _migrate(self, version: int) -> None:
        """Bring a database written by an older presscheck up to STORE_SCHEMA, one step at
        a time, in one write; the database as it was is kept as a `.bak` first."""
        steps = [MIGRATIONS.get(step) for step in range(version, STORE_SCHEMA)]
        if None in steps:
            missing = version + steps.index(None)
            raise DatabaseError(f"{self.path}: no migration from schema {missing}; upgrade presscheck")
        self._storage.compact()  # the backup must hold the journal's changes too
        self._storage.backup_now()
        data = self._storage.read() or {}
        for migration in steps:
            data = migration(data, self.path)  # type: ignore[misc]
        self._storage.write(data)
        self.set_meta("schema_version", STORE_SCHEMA)

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
                        if self._unmade:  # `open(on_first_write=True)`: made now (or by another meanwhile)
                            self._unmade = False
                            self._set_up(create=True)
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
            if table_name == "annotations":  # its stored version is among its articles'
                self._storage.ensure(touched_articles(record))
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
        """Add an article, or refresh its metadata; a no-op when nothing changed. Its text
        is written to its own file first (once: a stored article's file is reused)."""
        with self.reading():
            stored = self._record("articles", article.id)
        key = None if stored is None else stored.get(TEXT_KEY)
        # an article's id is the start of its text's sha256: the same id, the same text
        if is_text_key(key) and key.startswith(article.id) and self._text_is_kept(key):
            record = record_without_text(article.to_dict(), key)
        else:
            [record] = self._article_records([article])
        self._put("articles", record, keep=("added_at",))

    def _text_is_kept(self, key: str) -> bool:
        from reader.article_texts import text_file

        return text_file(self.path, key).is_file()

    def _article_records(self, articles: Iterable[Article]) -> list[dict[str, Any]]:
        try:
            return article_records(self.path, articles)
        except OSError as error:
            raise DatabaseError(
                f"{self.path}: could not save an article's text ({error.strerror}); nothing was saved"
            ) from None

    def article(self, article_id: str) -> Article | None:
        """The article of that id; None when there is none, or its record is damaged (it
        is then listed in `problems`)."""
        with self.reading():
            doc_id = self._storage.find("articles", KEY_FIELDS["articles"], article_id)
            found = None if doc_id is None else self._tables().get("articles", {}).get(doc_id)
        if found is None:
            return None
        try:
            return article_from_record(self.path, found)  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError) as error:
            self._problems["articles"] = [problem_line("article record", shown_key(doc_id), found, error)]  # type: ignore[arg-type]
            return None

    def article_by_raw(self, raw_sha256: str) -> Article | None:
        """The article read from a file whose bytes have this sha256 (an index lookup)."""
        with self.reading():
            doc_id = self._storage.find("articles", "raw_sha256", raw_sha256) if raw_sha256 else None
            found = None if doc_id is None else self._tables().get("articles", {}).get(doc_id)
        return None if found is None else self.article(found.get("id"))  # type: ignore[arg-type]

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
                found.append(article_from_record(self.path, record))
            except (KeyError, TypeError, ValueError) as error:
                problems.append(problem_line("article record", doc_id, record, error))
        return found

    def article_records(self) -> list[dict[str, Any]]:
        """Every article record as stored (metadata, the text named, not read): the library."""
        with self.reading():
            return [r for k, r in (self._tables().get("articles") or {}).items() if is_record_key(k)]

    def annotation_counts(self) -> dict[str, int]:
        """Article id → how many annotations touch it, without reading them all."""
        with self.reading():
            return dict(self._storage.annotation_counts())

    def other_versions(self, article: Article) -> list[Article]:
        """Other articles read from `article`'s source (the same file before it changed),
        found without reading every article's text."""
        with self.reading():
            records = list((self._tables().get("articles") or {}).items())
        found = []
        for doc_id, record in records:
            if record.get("source") == article.source and record.get("id") != article.id:
                try:
                    found.append(article_from_record(self.path, record))
                except (KeyError, TypeError, ValueError):
                    continue  # a damaged record: `articles()` lists it in `problems`
        return found

    # annotations ------------------------------------------------------------------------

    def put_annotation(self, annotation: Annotation) -> None:
        """Save an annotation (new or edited); durable when this returns."""
        self._put("annotations", annotation.to_dict())

    def put_many(self, articles: Iterable[Article] = (), annotations: Iterable[Annotation] = ()) -> None:
        """Add new articles and save annotations (new or replacing the same id) in one
        transaction, however many there are (imports use it): one journal append makes them
        durable, then the journal is folded in, so the file alone holds a bulk change."""
        annotations = list(annotations)
        article_list = list(articles)
        with self.transaction():
            self._tables()  # up to date under the lock
            known = {a.id for a in article_list if self._storage.find("articles", "id", a.id) is not None}
            new_articles = self._article_records(a for a in article_list if a.id not in known)
            # each annotation's stored version is among the annotations of its articles
            self._storage.ensure({t.article_id for a in annotations for t in a.targets})
            data = self._tables()
            changes: list[JournalEntry] = []
            next_ids: dict[str, int] = {}
            encoded: Encoded | None = {} if self._storage.bulk(len(annotations)) else None
            for table_name, record, replace in (
                *(("articles", r, False) for r in new_articles),
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
                if encoded is not None and table_name == "annotations":
                    encoded[doc_id] = encoded_record(doc_id, record)  # now, while it is in the cache
            if changes:
                self._storage.append(changes, encoded)
                try:
                    self._storage.compact()
                except DatabaseError:
                    pass  # the changes are durable in the journal; `close` folds them in later

    def delete_annotation(self, annotation_id: str) -> None:
        with self.transaction():
            self._tables()
            doc_id = self._storage.find("annotations", KEY_FIELDS["annotations"], annotation_id)
            if doc_id is None and self._storage.partial:  # not among the articles read so far
                self._storage.ensure_all()
                doc_id = self._storage.find("annotations", KEY_FIELDS["annotations"], annotation_id)
            if doc_id is not None:
                self._storage.append([("annotations", doc_id, None)])

    def key_problems(self, exclude: Iterable[str] = ()) -> list[str]:
        """One line for each record (in the tables not excluded) whose key is not a record
        number (see MAX_KEY_DIGITS); `articles()` and `annotations()` report their own."""
        from reader.ingest.sanitize import display_line

        with self.reading():
            self._storage.ensure_all()
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
                if not self._storage.needs_compaction or not self._storage.cheap_to_fold:
                    return  # nothing to fold in, or a big file to rewrite for a few lines: no lock taken
            with self.transaction():
                self._storage.compact()
        except DatabaseError:
            pass

    def annotations(self, article_ids: Iterable[str] | None = None) -> list[Annotation]:
        """Annotations touching any of `article_ids` (all when None), oldest first."""
        found = [annotation for batch in self.annotation_batches(article_ids) for annotation in batch]
        found.sort(key=lambda a: (a.created, a.id))
        return found

    def annotation_batches(self, article_ids: Iterable[str] | None = None) -> Iterator[list[Annotation]]:
        """The annotations touching any of `article_ids` (all when None), in batches in no
        order: all of a big database's, one article's run at a time, so a command that goes
        through them once never holds every record it read (`reader.snapshot_runs`)."""
        wanted = None if article_ids is None else set(article_ids)
        with self.reading():
            if wanted is None and self._lock_depth:
                # in a transaction (an import) whose write reads every record anyway: once
                self._storage.ensure_all()
            if wanted is None:
                runs = self._storage.annotation_runs()
            else:
                self._storage.ensure(wanted)
                # the cached table itself (TinyDB's Table.all() copies every record)
                runs = iter([dict(self._tables().get("annotations") or {})])
        problems = self._problems["annotations"] = []
        for records in runs:
            yield self._checked(records, wanted, problems)

    @staticmethod
    def _checked(records: dict[str, Any], wanted: set[str] | None, problems: list[str]) -> list[Annotation]:
        """The annotations `records` hold that touch `wanted` (any when None); the records
        that are not sane annotations are skipped, a line each in `problems`."""
        found: list[Annotation] = []
        for doc_id, record in records.items():
            if not is_record_key(doc_id):
                problems.append(f"annotation record {shown_key(doc_id)}: its key is not a record number")
                continue
            try:
                annotation = Annotation.from_dict(record)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                problems.append(problem_line("annotation record", doc_id, record, error))
                continue
            if wanted is None or any(t.article_id in wanted for t in annotation.targets):
                found.append(annotation)
        return found
