"""Checking a database and recovering it from its backups and journal. No UI.

`recover_database` can be killed at any moment and run again: it never takes the file
away from the database's path (the unreadable file stays there until the recovered one,
written and fsynced beside it, replaces it in one `os.replace`), the unreadable file is
kept aside by a hard link before that, a kept-aside file is found again rather than kept
twice, and a backup is only ever read, never moved. So a kill leaves either the old state,
which a new run recovers, or the recovered one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import Timeout

from reader.anchoring import is_exact
from reader.article_texts import check_text
from reader.atomic_write import fsync_folder, put_in_place, remove_temp_files, write_atomically, write_temp
from reader.errors import DatabaseError, UserError
from reader.journal import (
    JournalDamaged,
    JournalEntry,
    header_generation,
    journal_header,
    journal_path,
    read_journal,
)
from reader.ingest.sanitize import display_line
from reader.model import KINDS
from reader.snapshot import (
    KEY_FIELDS,
    NEW_FILE_MODE,
    Tables,
    backup_paths,
    database_file,
    generation_of,
    is_record_key,
    lock_for,
    new_generation,
    parse_database,
    regular_stat,
    set_generation,
)
from reader.snapshot_layout import lay_out, write_index
from reader.store import Store


@dataclass
class CheckReport:
    """What `presscheck db check` found."""

    path: Path
    articles: int = 0
    annotations: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    """Annotations whose article is not in the database, or whose quote is not where it was."""
    notes: list[str] = field(default_factory=list)
    """What is worth knowing but is not a problem (changes still only in the journal)."""
    backups: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        counts = ", ".join(f"{self.annotations.get(kind, 0)} {kind}" for kind in KINDS)
        lines = [f"{self.path}: {self.articles} articles; annotations: {counts}"]
        lines += [f"problem: {problem}" for problem in self.problems]
        lines += [f"orphan: {orphan}" for orphan in self.orphans]
        lines += self.notes
        lines.append(f"backups: {', '.join(p.name for p in self.backups) or 'none yet'}")
        lines.append("ok" if self.ok else f"{len(self.problems)} problem(s)")
        return lines


def check_database(path: Path) -> CheckReport:
    """Open the database at `path` (a file that does not open at all raises its
    DatabaseError) and `check_store` it."""
    return check_store(Store.open(path, create=False))


def check_store(store: Store) -> CheckReport:
    """Validate every record of an open database.

    A record that does not read (a wrong type, an unknown kind or anchor, a position that
    is not a sane whole number, a key that is not a record number) is a problem, one line
    each. Changes that only the journal holds yet are a note: normal while presscheck runs,
    and safe, but the file alone does not hold them.
    """
    path = store.path
    report = CheckReport(path=path, backups=[b for b in backup_paths(path) if b.exists()])
    articles = {article.id: article for article in store.articles()}
    report.articles = len(articles)
    annotations = store.annotations()
    report.problems.extend(store.problems)  # the articles' and the annotations'
    report.problems.extend(store.key_problems(exclude=("articles", "annotations")))
    for record in store.article_records():  # a text changed by hand no longer matches its name
        wrong = check_text(path, record)
        if wrong and str(record.get("id")) in articles:
            report.problems.append(display_line(f"article {str(record.get('id'))[:40]}: {wrong}"))
    for annotation in annotations:
        report.annotations[annotation.kind] = report.annotations.get(annotation.kind, 0) + 1
        for target in annotation.targets:
            article = articles.get(target.article_id)
            where = f"{annotation.kind} {annotation.id}"
            if article is None:
                report.orphans.append(f"{where}: its article {target.article_id} is not in the database")
            elif not is_exact(article.text, target):
                report.orphans.append(f"{where}: the quote is no longer at {target.start}-{target.end}")
    unfolded = store.unfolded_changes()
    if unfolded:
        journal = journal_path(path)
        report.notes.append(
            f"journal: {unfolded} change(s) not yet folded into {path.name}; they are safe in "
            f"{journal.name} (copy the database's files together meanwhile); closing presscheck folds them in"
        )
    return report


@dataclass
class Recovery:
    """What `recover_database` did."""

    path: Path
    source: Path
    """The backup restored, or the journal cut short before its damaged line."""
    aside: Path | None = None
    """Where the unreadable database file is kept."""
    journal_changes: int = 0
    """Changes of the journal folded into the restored backup."""
    journal_aside: Path | None = None
    """Where a damaged journal is kept."""
    journal_note: str = ""
    """Why a journal's changes were not applied."""

    def message(self) -> str:
        """One line for the terminal."""
        if self.source == journal_path(self.path):
            text = f"kept {self.path} and the changes of {self.source.name} before its damaged line"
        else:
            text = f"restored {self.path} from {self.source.name}"
            if self.journal_changes:
                text += f" and {self.journal_changes} change(s) from {journal_path(self.path).name}"
                if self.journal_aside is not None:
                    text += " (those before its damaged line)"
            if self.journal_note:
                text += f"; {self.journal_note}"
            if self.aside is not None:
                text += f"; the unreadable file is kept as {self.aside}"
        if self.journal_aside is not None:
            text += f"; the damaged journal is kept as {self.journal_aside}"
        return text


def recover_database(path: Path) -> Recovery:
    """Restore the newest backup that parses, with the changes the journal holds folded in;
    the unreadable file is kept aside. When only the journal is damaged, keep the snapshot
    and the journal's changes before the damage.

    Refuses when the database reads fine, so a good file is never replaced by an older one.
    Safe to kill at any moment; running it again finishes the job.
    """
    path = database_file(path)  # a link followed, a folder or a FIFO refused in one line
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: no such database (its folder does not exist); choose one with --db")
    try:
        with lock_for(path):
            return _recover(path)
    except Timeout:
        raise DatabaseError(f"{path}: locked by another process; close presscheck and try again") from None
    except OSError as error:  # a full disk, a read-only folder: the path still names its file
        raise DatabaseError(
            f"{path}: could not recover ({error.strerror or error}); fix that and run `presscheck db recover` again"
        ) from None


def _recover(path: Path) -> Recovery:
    journal = journal_path(path)
    remove_temp_files(path)  # of a recover or a writer killed half way; we hold the lock
    current = _read_regular(path, "database file")
    journal_raw = _read_regular(journal, "journal")
    if current is not None:
        try:
            data = parse_database(current, path)
        except DatabaseError:
            pass
        else:
            if journal_raw is not None:
                try:
                    read_journal(journal, journal_raw, generation_of(data))
                except JournalDamaged as damage:
                    return _cut_journal(path, journal, journal_raw, damage.valid_bytes)
            raise UserError(f"{path}: the database reads fine; nothing to recover (see `presscheck db check`)")
    readable: list[tuple[Path, Tables]] = []
    for backup in backup_paths(path):
        try:
            raw = _read_regular(backup, "backup")
            if raw is not None:
                readable.append((backup, parse_database(raw, backup)))
        except (OSError, DatabaseError):
            continue
    if not readable:
        raise UserError(f"{path}: no readable backup ({', '.join(b.name for b in backup_paths(path))}) to recover from")
    backup, data = readable[0]
    recovery = Recovery(path, backup)
    changes, damaged = _journal_changes(journal, journal_raw, backup, data, readable[1:], recovery)
    recovery.journal_changes = _fold(data, changes)

    generation = new_generation()
    set_generation(data, generation)
    try:
        mode = os.stat(backup).st_mode & 0o7777
    except OSError:
        mode = NEW_FILE_MODE
    blob, index = lay_out(data)
    tmp = write_temp(path, blob, mode)
    if current is not None:
        recovery.aside = _keep_aside(path, "corrupt")
    if damaged:
        recovery.journal_aside = _keep_aside(journal, "corrupt")
    # the one step that changes what the path holds; before it the path names the old file
    put_in_place(tmp, path)
    write_index(path, index, mode)
    # a fresh journal for the new file; killed before this, the old journal names another
    # generation and is ignored (its changes are in the new file already)
    write_atomically(journal, journal_header(generation), mode)
    return recovery


def _journal_changes(
    journal: Path,
    raw: bytes | None,
    backup: Path,
    data: Tables,
    older: list[tuple[Path, Tables]],
    recovery: Recovery,
) -> tuple[list[JournalEntry], bool]:
    """The journal's changes to fold into the restored backup, and whether the journal is
    damaged (then only the lines before the damage count).

    The journal extends the snapshot that no longer reads, which is newer than any backup
    (a backup is a snapshot some later fold replaced), so its changes are newer than the
    backup's records and are applied on top of them: each line is a whole record, or its
    deletion. It is left out when it is older than the backup: it names the generation of
    an older backup, or it was last written before the backup was.
    """
    if not raw:
        return [], False
    generation = header_generation(raw)
    if generation is None or raw.count(b"\n") < 2:
        return [], False  # not a journal presscheck wrote, or no change after its header
    if generation != generation_of(data):
        if any(generation == generation_of(tables) for _, tables in older):
            recovery.journal_note = f"{journal.name} is older than {backup.name}, which holds its changes"
            return [], False
        try:
            if os.stat(journal).st_mtime_ns < os.stat(backup).st_mtime_ns:
                recovery.journal_note = f"{journal.name} was last written before {backup.name}, which holds its changes"
                return [], False
        except OSError:
            pass
    try:
        changes, _, _ = read_journal(journal, raw, generation)
        return changes, False
    except JournalDamaged as damage:
        changes, _, _ = read_journal(journal, raw[: damage.valid_bytes], generation)
        return changes, True


def _fold(data: Tables, changes: list[JournalEntry]) -> int:
    """Apply a journal's changes to an older copy of the tables it was written against;
    how many were applied.

    A record goes where the backup keeps the record of the same key (annotation or
    article id, setting name), else under its own number when that is free, else under a
    new number: a record of the backup is never overwritten by a different one. A
    deletion removes the record the journal put under that number, else the backup's.
    """
    placed: dict[tuple[str, str], str] = {}
    indexes: dict[str, dict[Any, str]] = {}
    next_ids: dict[str, int] = {}

    def key_of(table: str, record: dict[str, Any] | None) -> str | int | None:
        key = record.get(KEY_FIELDS.get(table, "")) if record is not None else None
        return key if isinstance(key, (str, int)) else None

    def index_of(table: str) -> dict[Any, str]:
        if table not in indexes:
            indexes[table] = {}
            for doc_id, record in data.get(table, {}).items():
                key = key_of(table, record)
                if key is not None:
                    indexes[table].setdefault(key, doc_id)
        return indexes[table]

    def new_id(table: str) -> str:
        number = next_ids.get(table) or max(
            (int(k) for k in data.get(table, {}) if is_record_key(k)), default=0
        ) + 1
        next_ids[table] = number + 1
        return str(number)

    for table, doc_id, doc in changes:
        records = data.setdefault(table, {})
        index = index_of(table)
        if doc is None:
            where = placed.pop((table, doc_id), doc_id)
            gone = key_of(table, records.pop(where, None))
            if gone is not None and index.get(gone) == where:
                del index[gone]
            continue
        key = key_of(table, doc)
        where = placed.get((table, doc_id)) or ""
        if not where:
            same = index.get(key) if key is not None else None
            if same is not None:
                where = same
            elif doc_id not in records:
                where = doc_id
            else:
                where = new_id(table)
            placed[(table, doc_id)] = where
        old = key_of(table, records.get(where))
        if old is not None and old != key and index.get(old) == where:
            del index[old]
        records[where] = doc
        if key is not None:
            index.setdefault(key, where)
    return len(changes)


def _read_regular(file: Path, what: str) -> bytes | None:
    """The bytes of `file`, None when it does not exist; a FIFO, socket, device or folder
    is refused from its `stat` (never opened: reading a FIFO waits forever)."""
    if regular_stat(file, what) is None:
        return None
    try:
        return file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DatabaseError(f"{file}: cannot read it ({error.strerror})") from None


def _keep_aside(file: Path, label: str) -> Path:
    """Keep `file` as `NAME.LABEL-TIME` too (a hard link: `file` still names it), or find
    the one a recover killed half way already made."""
    info = os.stat(file)
    prefix = f"{file.name}.{label}-"
    for other in file.parent.iterdir():
        if other.name.startswith(prefix):
            try:
                seen = os.stat(other)
            except OSError:
                continue
            if (seen.st_ino, seen.st_dev) == (info.st_ino, info.st_dev):
                return other
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        aside = file.with_name(f"{prefix}{stamp}" + (f"-{number}" if number > 1 else ""))
        if not os.path.lexists(aside):
            break
    try:
        os.link(file, aside)
    except FileExistsError:
        raise DatabaseError(f"{aside}: already exists; move it away and run `presscheck db recover` again") from None
    except OSError:  # a file system without hard links: a copy, renamed into place whole
        tmp = write_temp(aside, b"", NEW_FILE_MODE)
        shutil.copy2(file, tmp)
        put_in_place(tmp, aside)
    fsync_folder(file.parent)
    return aside


def _cut_journal(path: Path, journal: Path, raw: bytes, valid_bytes: int) -> Recovery:
    """Keep the damaged journal aside and put back its lines before the damage."""
    try:
        mode = os.stat(journal).st_mode & 0o7777
    except OSError:
        mode = NEW_FILE_MODE
    tmp = write_temp(journal, raw[:valid_bytes], mode)
    aside = _keep_aside(journal, "corrupt")
    put_in_place(tmp, journal)
    return Recovery(path, journal, journal_aside=aside)
