"""Several processes write one database at once: nothing is lost, nothing duplicated.

Each writer is `_writer.py` in its own interpreter. All of them open the store, say
``ready``, and wait on stdin; the test releases them together, so their saves overlap.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from database_files import read_database

from reader.store import STORE_SCHEMA, Store

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WRITER = HERE / "_writer.py"
TIMEOUT = 120.0


def _run_together(
    db: Path, jobs: list[tuple[str, int, str]], tmp_path: Path, pause_ms: float = 0.0
) -> dict[str, list[str]]:
    """Start one writer per (mode, count, name), release them at once; their acks by name."""
    procs: dict[str, subprocess.Popen[bytes]] = {}
    errs: dict[str, Path] = {}
    try:
        for mode, count, name in jobs:
            errs[name] = tmp_path / f"{name}.stderr"
            with errs[name].open("wb") as stderr:
                procs[name] = subprocess.Popen(
                    [sys.executable, str(WRITER), mode, str(db), str(count), name, "--wait",
                     "--pause-ms", str(pause_ms)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    cwd=REPO,
                )
        for name, proc in procs.items():
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line == b"ready\n", f"{name}: {line!r} {errs[name].read_text()}"
        for proc in procs.values():  # the starting gun
            assert proc.stdin is not None
            proc.stdin.write(b"go\n")
            proc.stdin.close()
        acks: dict[str, list[str]] = {}
        deadline = time.monotonic() + TIMEOUT
        for name, proc in procs.items():
            assert proc.stdout is not None
            out = proc.stdout.read()
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            assert proc.returncode == 0, f"{name} exited {proc.returncode}:\n{errs[name].read_text()}"
            lines = out.decode().splitlines()
            assert lines[-1] == "done", f"{name}: {lines[-3:]}"
            acks[name] = lines[:-1]
        return acks
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _records(db: Path, table: str) -> dict[str, dict]:
    return read_database(db)[table]  # stdlib parser: what is really on disk


def _switches(records: dict[str, dict]) -> int:
    """How often consecutive records (in id order) come from different writers."""
    authors = [records[key]["author"] for key in sorted(records, key=int)]
    return sum(a != b for a, b in zip(authors, authors[1:]))


@pytest.mark.parametrize(
    ("writers", "count", "pause_ms"),
    [(2, 100, 0), (2, 100, 10), (4, 250, 0), (4, 100, 10)],
    ids=["2x100-flat-out", "2x100-paced", "4x250-flat-out", "4x100-paced"],
)
def test_concurrent_writers_lose_nothing(
    tmp_path: Path, writers: int, count: int, pause_ms: float
) -> None:
    """Flat out, one writer tends to keep the lock (a waiting filelock polls every 50 ms,
    the holder takes it back within microseconds); paced writers (0-10 ms between saves)
    hand it over often, so saves really interleave. 4 paced writers do 100 each, not 250,
    to keep the run short (4x250 paced takes ~16 s)."""
    db = tmp_path / "annotations.json"
    Store.open(db)  # created up front, so the writers race on saves, not on creation
    started = time.monotonic()
    jobs = [("annotations", count, f"w{i}") for i in range(writers)]
    acks = _run_together(db, jobs, tmp_path, pause_ms)
    elapsed = time.monotonic() - started

    acked = [ident for name in acks for ident in acks[name]]
    assert all(len(acks[name]) == count for name in acks)
    assert len(set(acked)) == writers * count, "two saves reported the same id"

    records = _records(db, "annotations")
    ids = [record["id"] for record in records.values()]
    assert len(ids) == len(set(ids)), "an annotation is in the file twice"
    assert set(ids) == set(acked), (
        f"{len(set(acked) - set(ids))} acknowledged annotation(s) missing, "
        f"{len(set(ids) - set(acked))} unexpected"
    )
    store = Store.open(db, create=False)
    loaded = store.annotations()
    assert store.problems == []
    assert sorted(a.id for a in loaded) == sorted(acked)
    for name in acks:  # each writer's annotations are intact, not mixed up
        mine = [a for a in loaded if a.author == name]
        assert {a.note for a in mine} == {f"{name} #{i}" for i in range(count)}
    switches = _switches(records)
    print(
        f"\n{writers} writers x {count} (pause 0-{pause_ms:g} ms): {len(ids)} records in "
        f"{elapsed:.1f} s, {switches} switches between writers in the file's order"
    )
    if pause_ms:  # otherwise this test would not be testing concurrent saves at all
        assert switches >= writers * 5


def test_set_meta_and_put_annotation_interleave(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    Store.open(db)
    acks = _run_together(
        db, [("meta", 150, "setting"), ("annotations", 150, "tagger")], tmp_path, pause_ms=10
    )
    records = _records(db, "annotations")
    assert sorted(r["id"] for r in records.values()) == sorted(acks["tagger"])

    meta = _records(db, "meta")
    keys = [record["key"] for record in meta.values()]
    assert len(keys) == len(set(keys)), "a setting is stored twice"
    store = Store.open(db, create=False)
    for index in range(150):
        assert store.get_meta(f"setting-{index}") == index
    assert store.get_meta("schema_version") == STORE_SCHEMA
    assert len(store.annotations()) == 150
