"""The database file (the snapshot): its path, its tables and their generation, the backups
and the writers' lock beside it. No UI.

Files from elsewhere are data, never trusted. The database's path is resolved once
(`database_file`): a symbolic link is followed, so its target is what gets replaced (the
link stays a link) and the journal, lock and backups sit beside the target; a folder, FIFO,
socket or device is refused from its `stat`, never opened. A snapshot that does not parse
is left untouched, with a message saying how to recover it.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from reader.errors import DatabaseError

if TYPE_CHECKING:
    from filelock import FileLock

Tables = dict[str, dict[str, Any]]
"""TinyDB's format: table name → document id (a decimal string) → document."""
NEW_FILE_MODE = 0o644
"""Mode of a new database file (an existing one keeps its own)."""
BACKUP_COUNT = 3
BACKUP_INTERVAL = 300.0
"""Seconds between backups: `.bak.1` to `.bak.3` span at least a quarter of an hour."""
LOCK_TIMEOUT = 10.0
"""Seconds to wait for another process's write before giving up with an error."""
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
    regular_stat(path)
    return path


def regular_stat(path: Path, what: str = "database file") -> os.stat_result | None:
    """The `stat` of `path`, None when it does not exist; a DatabaseError in one line when
    it cannot be read or is not a regular file (a folder, FIFO, socket or device)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DatabaseError(f"{path}: cannot read the {what} ({error.strerror})") from None
    refuse_special(path, info.st_mode, what)
    return info


Signature = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]
"""The `stat` (inode, size, modification time) of a database's snapshot and journal."""


def stat_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def regular_signature(path: Path, what: str) -> tuple[int, int, int] | None:
    """`_stat_signature` of a file about to be read, refusing one that is not a regular
    file (reading a FIFO would wait forever) with the same single `stat`."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    refuse_special(path, info.st_mode, what)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def backup_paths(path: Path) -> list[Path]:
    """`annotations.json.bak.1` (newest) to `.bak.3` (oldest)."""
    return [path.with_name(f"{path.name}.bak.{index}") for index in range(1, BACKUP_COUNT + 1)]


def lock_for(path: Path, timeout: float = LOCK_TIMEOUT) -> FileLock:
    """The lock every writer of the database at `path` takes."""
    from filelock import FileLock  # ~9 ms to import: only writers pay it

    return FileLock(str(path) + ".lock", timeout=timeout)


def parse_database(raw: bytes, path: Path) -> Tables:
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


def new_generation() -> str:
    """A generation name no other snapshot has."""
    import secrets  # loads OpenSSL through hmac: only writing a snapshot needs it

    return secrets.token_hex(8)


def rotate_backups(path: Path, force: bool = False) -> None:
    """Keep the snapshot about to be replaced as `.bak.1` (older ones move up to `.bak.3`),
    at most once every BACKUP_INTERVAL seconds unless `force`. The file being replaced
    always parsed: it was read under the lock just before this write. A hard link costs
    no copy."""
    if not path.exists():
        return
    backups = backup_paths(path)
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
            os.link(path, backups[0])
        except OSError:
            shutil.copy2(path, backups[0])  # a file system without hard links
    except OSError:
        pass  # a backup that cannot be made must not stop the save itself
