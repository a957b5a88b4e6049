"""The one atomic write: a file is replaced whole or not at all, and no temp file stays."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

import reader.atomic_write
from reader.atomic_write import remove_temp_files, temp_files, write_atomically


def _disk_full(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_the_file_is_replaced_whole_with_the_mode_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents", 0o644)
    assert target.read_bytes() == b"new contents"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's private 0600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace", "before_replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "annotations.json"
    target.write_bytes(b"old")
    before_replace = None
    if failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle):  # type: ignore[no-untyped-def]
                self.handle = handle

            def __enter__(self):  # type: ignore[no-untyped-def]
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                _disk_full()
                return 0

        monkeypatch.setattr(reader.atomic_write.os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    elif failing == "fsync":
        monkeypatch.setattr(reader.atomic_write.os, "fsync", _disk_full)
    elif failing == "replace":
        monkeypatch.setattr(reader.atomic_write.os, "replace", _disk_full)
    else:
        before_replace = _disk_full
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new", 0o644, before_replace=before_replace)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.json"]


def test_temp_files_of_a_database_include_its_journal_s(tmp_path: Path) -> None:
    """A writer killed mid-save leaves `.NAME.XXXX.tmp`, or `.NAME.journal.XXXX.tmp` for the
    journal: both are the database's, found and removed together; other files are not."""
    db = tmp_path / "db.json"
    left = [tmp_path / ".db.json.abc.tmp", tmp_path / ".db.json.journal.def.tmp"]
    others = [tmp_path / ".other.json.abc.tmp", tmp_path / "db.json.tmp", tmp_path / "notes.tmp"]
    for path in (*left, *others):
        path.write_bytes(b"")
    assert sorted(temp_files(db)) == sorted(left)
    remove_temp_files(db)
    assert not any(path.exists() for path in left)
    assert all(path.exists() for path in others)


def _many(tmp_path: Path, count: int) -> list[tuple[Path, bytes]]:
    return [(tmp_path / f"text-{n}.txt", f"text number {n}".encode()) for n in range(count)]


def test_many_temp_files_are_written_in_batches_each_whole_with_its_mode(tmp_path: Path) -> None:
    files = _many(tmp_path, 10)
    temps = reader.atomic_write.write_temps(files, 0o644, batch=3)
    assert len(temps) == 10 and len(set(temps)) == 10
    for tmp, (path, blob) in zip(temps, files):
        assert tmp.parent == path.parent and tmp.name.startswith(f".{path.name}.")
        assert tmp.read_bytes() == blob and stat.S_IMODE(tmp.stat().st_mode) == 0o644
        assert not path.exists()  # the caller renames them


@pytest.mark.parametrize("failing_at", [0, 4, 9])
def test_a_failed_batch_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_at: int
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if len(synced) == failing_at:
            _disk_full()
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(reader.atomic_write.os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        reader.atomic_write.write_temps(_many(tmp_path, 10), 0o644, batch=3)
    assert list(tmp_path.iterdir()) == []
