"""A save that fails (disk full) is an error the user can read; the files on disk are not hurt.

A save is normally one journal append ("append-write", "append-fdatasync"); now and then
the journal is folded into a new snapshot ("write", "fsync", "replace" of its temp file).
Both paths are made to fail at each step."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import reader.atomic_write
import reader.journal
from reader.anchoring import describe
from reader.errors import DatabaseError
from reader.model import Annotation
from reader.store import DurableStorage, Store, backup_paths
from database_files import database_bytes, journal_of

TEXT = "The minister said exports rose by a third. Customs data show a fall of 2 per cent."
ARTICLE = "fedcba9876543210"


def _annotation(start: int, end: int) -> Annotation:
    return Annotation(
        kind="claim", targets=(describe(ARTICLE, TEXT, start, end),), tags=("x",), author="a"
    )


def _disk_full(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _patch_disk_full(patch: pytest.MonkeyPatch, failing: str, fails_on: bytes) -> None:
    """Make `failing` (write, fsync or replace) report a full disk for the temp files that
    contain `fails_on` (b"" : for every save). Saves of other content go through, so a
    store that makes an extra no-op write first does not hide a failure of the real one."""
    if failing == "append-write":
        real_write = os.write

        def write(fd: int, data: bytes) -> int:
            if _is_journal(fd) and fails_on in data:
                real_write(fd, data[: len(data) // 2])  # part of it reached the disk
                _disk_full()
            return real_write(fd, data)

        patch.setattr(reader.journal.os, "write", write)
    elif failing == "append-fdatasync":
        real_fdatasync = os.fdatasync

        def fdatasync(fd: int) -> None:
            if _is_journal(fd) and fails_on in Path(os.readlink(f"/proc/self/fd/{fd}")).read_bytes():
                _disk_full()
            real_fdatasync(fd)

        patch.setattr(reader.journal.os, "fdatasync", fdatasync)
    elif failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                if fails_on not in data:
                    return self.handle.write(data)
                self.handle.write(data[: len(data) // 2])  # part of it reached the disk
                self.handle.flush()
                _disk_full()
                return 0

            def flush(self) -> None:
                self.handle.flush()

            def fileno(self) -> int:
                return self.handle.fileno()

        patch.setattr(reader.atomic_write.os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    elif failing == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                if fails_on in Path(os.readlink(f"/proc/self/fd/{fd}")).read_bytes():
                    _disk_full()
            real_fsync(fd)

        patch.setattr(reader.atomic_write.os, "fsync", fsync)
    else:
        real_replace = os.replace

        def replace(src: Any, dst: Any) -> None:
            if fails_on in Path(src).read_bytes():
                _disk_full()
            real_replace(src, dst)

        patch.setattr(reader.atomic_write.os, "replace", replace)


def _is_journal(fd: int) -> bool:
    return os.readlink(f"/proc/self/fd/{fd}").endswith(".journal")


SNAPSHOT_STEPS = ("write", "fsync", "replace")


def _compact_every_save(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(DurableStorage, "_compact_threshold", lambda self: 0)


def _folder_listing(db: Path) -> set[str]:
    return {p.name for p in db.parent.iterdir()}


@pytest.mark.parametrize("which", ["every-save", "the-new-one"])
@pytest.mark.parametrize("failing", ["append-write", "append-fdatasync", *SNAPSHOT_STEPS])
def test_disk_full_leaves_the_old_file_and_the_next_save_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, which: str
) -> None:
    if failing in SNAPSHOT_STEPS:
        _compact_every_save(monkeypatch)
    db = tmp_path / "annotations.json"
    store = Store.open(db)
    old = _annotation(4, 12)
    store.put_annotation(old)
    raw, before = database_bytes(db), db.stat()
    listing = _folder_listing(db)
    expected = {db.name, journal_of(db).name, db.name + ".lock", db.name + ".index"}
    assert listing - {b.name for b in backup_paths(db)} == expected

    new = _annotation(43, 54)
    with monkeypatch.context() as patch:
        _patch_disk_full(patch, failing, b"" if which == "every-save" else new.id.encode())
        with pytest.raises(DatabaseError) as caught:
            store.put_annotation(new)
        # While the disk stays full, reading still works and shows the file as it is,
        # not the failed change (the store must not keep it in its cache).
        assert [a.id for a in store.annotations()] == [old.id]
        assert Store.open(db, create=False).annotations() == store.annotations()
        with pytest.raises(DatabaseError):
            store.put_annotation(new)

    message = str(caught.value)
    assert "\n" not in message and str(db) in message and "No space left on device" in message
    assert database_bytes(db) == raw
    if which == "every-save":  # else a save of unchanged content may have gone through
        after = db.stat()
        assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert _folder_listing(db) == listing, "a temp file was left behind"

    # The disk has room again: the retried save and a further one both land.
    store.put_annotation(new)
    newer = _annotation(60, 70)
    store.put_annotation(newer)
    reopened = Store.open(db, create=False)
    assert {a.id for a in reopened.annotations()} == {old.id, new.id, newer.id}
    assert reopened.problems == []
    assert _folder_listing(db) == listing


def test_folder_fsync_failure_after_replace_then_retry_does_not_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If only the folder's fsync fails, the new file is already in place but the save is
    reported failed; the app retries it, and the retry must not make a second copy."""
    _compact_every_save(monkeypatch)
    db = tmp_path / "annotations.json"
    store = Store.open(db)
    old, new = _annotation(4, 12), _annotation(43, 54)
    store.put_annotation(old)
    real_fsync = os.fsync

    def fsync_files_only(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            _disk_full()
        real_fsync(fd)

    with monkeypatch.context() as patch:
        patch.setattr(reader.atomic_write.os, "fsync", fsync_files_only)
        with pytest.raises(DatabaseError):
            store.put_annotation(new)
    store.put_annotation(new)  # the retry
    records = Store.open(db, create=False).annotations()
    assert sorted(a.id for a in records) == sorted([old.id, new.id])
    assert _folder_listing(db) - {b.name for b in backup_paths(db)} == {
        db.name, journal_of(db).name, db.name + ".lock", db.name + ".index"
    }


def test_read_only_folder_is_a_clear_error_and_the_old_file_stays(tmp_path, monkeypatch):
    """EACCES: running as root ignores chmod, so the folder's refusal is simulated where the
    store meets it first, creating the temp file."""
    _compact_every_save(monkeypatch)
    db = tmp_path / "db.json"
    store = Store.open(db)
    first = _annotation(0, 5)
    store.put_annotation(first)
    before = database_bytes(db)

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(reader.atomic_write.tempfile, "mkstemp", refuse)
    second = _annotation(6, 11)
    with pytest.raises(DatabaseError) as caught:
        store.put_annotation(second)
    message = str(caught.value)
    assert "\n" not in message and str(db) in message and "Permission denied" in message
    assert database_bytes(db) == before
    monkeypatch.undo()
    store.put_annotation(second)
    assert {a.id for a in Store.open(db).annotations()} == {first.id, second.id}


def test_a_journal_that_cannot_be_opened_is_a_clear_error_and_nothing_changes(tmp_path, monkeypatch):
    """EACCES on the journal itself (a file made read-only by hand)."""
    db = tmp_path / "db.json"
    store = Store.open(db)
    first = _annotation(0, 5)
    store.put_annotation(first)
    before = database_bytes(db)
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".journal") and flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(reader.journal.os, "open", refuse)
        with pytest.raises(DatabaseError, match="Permission denied"):
            store.put_annotation(_annotation(6, 11))
    assert database_bytes(db) == before
    second = _annotation(6, 11)
    store.put_annotation(second)
    assert {a.id for a in Store.open(db).annotations()} == {first.id, second.id}
