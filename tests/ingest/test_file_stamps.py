"""Reopening a file the database holds reads nothing when its stamp (size, modification
time, inode) is unchanged and was recorded once the file had settled; anything else is
read and hashed again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import reader.ingest.sources as sources
from reader.ingest.stamps import STABLE_NS, STAMPS_KEY, FileStamps
from reader.launch import prepare_session
from reader.store import Store

TEXT = "A title line\n\nThe summit ended early. Officials said little.\n"
HOUR_NS = 3600 * 10**9


def _article(folder: Path, text: str = TEXT, age_ns: int = HOUR_NS) -> Path:
    path = folder / "article.txt"
    path.write_text(text, encoding="utf-8")
    then = time.time_ns() - age_ns
    os.utime(path, ns=(then, then))
    return path


@pytest.fixture
def reads(monkeypatch):
    """The files presscheck reads, in order."""
    seen: list[Path] = []
    real = sources._read

    def counting(path: Path) -> bytes:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(sources, "_read", counting)
    return seen


def _open(path: Path, db: Path):
    session = prepare_session([str(path)], db, "ann")
    session.store.close()
    return session.articles[0]


def test_an_unchanged_file_is_not_read_again(tmp_path, reads):
    path, db = _article(tmp_path), tmp_path / "db.json"
    first = _open(path, db)
    assert reads == [path]
    again = _open(path, db)
    assert reads == [path]  # nothing read the second time
    assert again == first
    [record] = Store.open(db).get_meta(STAMPS_KEY).values()
    assert record[:4] == [path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino, first.raw_sha256]


def test_a_changed_file_is_read_even_with_the_same_size(tmp_path, reads):
    path, db = _article(tmp_path), tmp_path / "db.json"
    first = _open(path, db)
    _article(tmp_path, TEXT.replace("early", "later"), age_ns=HOUR_NS // 2)  # same length
    assert path.stat().st_size == len(TEXT.encode())
    changed = _open(path, db)
    assert reads == [path, path]
    assert changed.id != first.id and "ended later" in changed.text


def test_a_file_recorded_while_it_may_still_change_is_read_again(tmp_path, reads):
    path, db = _article(tmp_path, age_ns=0), tmp_path / "db.json"  # just written
    _open(path, db)
    _open(path, db)
    assert reads == [path, path]  # the first stamp was too fresh to trust
    then = time.time_ns() - STABLE_NS - 10**9  # ... once it has settled, the new stamp is
    os.utime(path, ns=(then, then))
    _open(path, db)
    _open(path, db)
    assert reads == [path, path, path]


def test_a_hand_edited_stamp_record_only_means_reading_the_file(tmp_path, reads):
    path, db = _article(tmp_path), tmp_path / "db.json"
    _open(path, db)
    Store.open(db).set_meta(STAMPS_KEY, {str(path): ["x", None], "3": [1, 2, 3, 4, 5], "y": "z"})
    _open(path, db)
    assert reads == [path, path]
    assert FileStamps.from_meta("not a dict").records == {}


def test_a_file_moved_into_the_place_of_another_is_read(tmp_path, reads):
    path, db = _article(tmp_path), tmp_path / "db.json"
    _open(path, db)
    other = tmp_path / "other.txt"
    other.write_text(TEXT.replace("little", "a lot."[:6]), encoding="utf-8")
    stat = path.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time, new inode
    os.replace(other, path)
    moved = _open(path, db)
    assert reads == [path, path] and "said a lot." in moved.text
