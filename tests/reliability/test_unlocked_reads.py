"""Reading a database takes no lock, and still never sees half of a writer's save.

A reader reads the snapshot and the journal, then `stat`s both again: if either changed
while it read, it reads again. These tests put a writer's save in the middle of a read,
hold the lock in another process while reading, and read flat out while other processes
save and compact.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import reader.durable_storage
import reader.store
from reader.anchoring import describe
from reader.model import Annotation
from reader.store import Store

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WRITER = HERE / "_writer.py"
TEXT = "The council said on Monday that the bridge would reopen in May. " * 3


def _claim(index: int) -> Annotation:
    return Annotation(
        kind="claim", targets=(describe("a" * 16, TEXT, index, index + 10),), author="test", note=f"#{index}"
    )


def test_reading_does_not_take_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "annotations.json"
    writer = Store.open(db)
    saved = [_claim(index) for index in range(3)]
    for annotation in saved:
        writer.put_annotation(annotation)
    writer.close()  # the journal folded in, as after the app's clean exit

    def no_lock(*args: object, **kwargs: object) -> None:
        raise AssertionError("a read took the file lock")

    monkeypatch.setattr(reader.store, "lock_for", no_lock)
    store = Store.open(db, create=False)
    assert sorted(a.id for a in store.annotations()) == sorted(a.id for a in saved)
    assert store.get_meta("schema_version") == reader.store.STORE_SCHEMA
    store.put_annotation(saved[0])  # unchanged: no write, so no lock either
    store.close()  # nothing to fold in: no lock


def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the lock (a writer in the middle of a long compaction, say):
    opening and reading the database neither waits for it nor fails."""
    db = tmp_path / "annotations.json"
    writer = Store.open(db)
    saved = _claim(1)
    writer.put_annotation(saved)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire();"
         " print('held', flush=True); sys.stdin.read()", f"{db}.lock"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        real_lock_for = reader.store.lock_for
        # a reader that did take the lock would fail at once instead of after 10 s
        monkeypatch.setattr(reader.store, "lock_for", lambda path, timeout=0.0: real_lock_for(path, 0.2))
        store = Store.open(db, create=False)
        assert [a.id for a in store.annotations()] == [saved.id]
        with pytest.raises(reader.store.DatabaseError, match="locked by another process"):
            store.put_annotation(_claim(2))  # a write does wait for it (briefly, here)
    finally:
        holder.communicate(b"", timeout=10)


def test_a_compaction_in_the_middle_of_a_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader has read the snapshot; before it reads the journal, another writer saves
    and folds the journal into a new snapshot. The reader's journal is then the new one,
    of another generation, which it ignores: what it holds lacks every change the old
    journal had. The second look at the files sees the snapshot replaced and reads again."""
    db = tmp_path / "annotations.json"
    writer = Store.open(db)
    first = _claim(1)
    writer.put_annotation(first)  # in the journal only
    second = _claim(2)
    real_parse = reader.durable_storage.generation_of
    interrupted: list[bool] = []

    def parse_then_let_the_writer_in(tables):  # type: ignore[no-untyped-def]
        data = real_parse(tables)  # the snapshot's tables are read (whole, or through the index)
        if not interrupted:
            interrupted.append(True)
            writer.put_annotation(second)
            writer.close()  # compaction: a new snapshot and a fresh journal
        return data

    monkeypatch.setattr(reader.durable_storage, "generation_of", parse_then_let_the_writer_in)
    reading = Store(db)
    assert sorted(a.id for a in reading.annotations()) == sorted([first.id, second.id])
    assert interrupted == [True]


def test_reading_flat_out_while_others_save_and_compact(tmp_path: Path) -> None:
    """Two processes save 150 annotations each, folding the journal into a new snapshot
    every couple of kilobytes; this process reads all the while, without the lock. No read
    fails, no read sees fewer annotations than the one before (annotations are only added
    here), and the last read sees every acknowledged save."""
    db = tmp_path / "annotations.json"
    Store.open(db)
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "annotations", str(db), "150", name,
             "--pause-ms", "2", "--compact-bytes", "2000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
        )
        for name in ("w0", "w1")
    ]
    long_lived = Store(db)
    counts: list[int] = []
    fresh_counts: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
            counts.append(len(long_lived.annotations()))
            fresh_counts.append(len(Store(db).annotations()))
        outputs = [w.communicate(timeout=30) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    for w, (out, err) in zip(writers, outputs):
        assert w.returncode == 0, err.decode()
    acked = {line for out, _ in outputs for line in out.decode().split() if line not in ("ready", "done")}
    assert len(acked) == 300
    assert len(counts) > 20, "the reads did not overlap the saves"
    assert all(a <= b for a, b in zip(counts, counts[1:])), f"a later read saw fewer: {counts}"
    # a fresh store's read may not go back behind what an earlier read showed either
    assert all(a <= b for a, b in zip(fresh_counts, fresh_counts[1:])), f"fewer: {fresh_counts}"
    assert {a.id for a in long_lived.annotations()} == acked
