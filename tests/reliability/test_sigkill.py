"""SIGKILL a writer at random moments: the database always parses and keeps every acked save.

One database grows across all iterations. Each iteration starts `_writer.py`, which adds
annotations in a loop and prints each id only after `put_annotation` returned; the test
kills it with SIGKILL at a random moment (seeded), then checks the file with the stdlib
JSON parser and with `Store.open`, and that every id ever acknowledged is in it.

PRESSCHECK_KILLS sets the number of iterations (default 200), PRESSCHECK_KILL_SEED the seed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from database_files import read_database

from reader.anchoring import describe
from reader.model import Annotation
from reader.store import Store, backup_paths

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WRITER = HERE / "_writer.py"
KILLS = int(os.environ.get("PRESSCHECK_KILLS", "200"))
SEED = int(os.environ.get("PRESSCHECK_KILL_SEED", "20241123"))


COMPACTION = (["--compact-bytes", "20000"], ["--compact-bytes", "0"], [])


def _plan(rng: random.Random) -> tuple[str, float]:
    """When to kill: (`spawn` | `ready`, seconds after that moment)."""
    roll = rng.random()
    if roll < 0.10:  # anywhere in start-up: imports, Store.open, the first writes
        return "spawn", rng.uniform(0.0, 0.25)
    if roll < 0.35:  # during the very first put_annotation (a few ms after "ready")
        return "ready", rng.uniform(0.0, 0.004)
    return "ready", rng.uniform(0.0, 0.15)  # somewhere in a run of saves


def _annotation_ids(db: Path) -> list[str]:
    data = read_database(db)  # the stdlib parser, independent of the store's code
    return [record["id"] for record in data.get("annotations", {}).values()]


def _temp_files(folder: Path, db: Path) -> list[Path]:
    return sorted(folder.glob(f".{db.name}.*.tmp"))


def test_sigkill_loop_keeps_every_acknowledged_save(tmp_path: Path) -> None:
    assert KILLS >= 1
    rng = random.Random(SEED)
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "annotations.json"
    stderr_path = tmp_path / "writer.stderr"
    acked: set[str] = set()
    stats = {"kills": 0, "no_ack": 0, "left_temp": 0, "early": 0, "compacted": 0}
    started = time.monotonic()

    for iteration in range(KILLS):
        origin, delay = _plan(rng)
        stats["early"] += origin == "ready" and delay < 0.004
        temps_before = set(_temp_files(folder, db))
        inode_before = db.stat().st_ino if db.exists() else None
        with stderr_path.open("wb") as stderr:
            proc = subprocess.Popen(
                # one writer in three folds its journal into a new snapshot every ~40 saves,
                # one at every save: kills land in appends and in compactions alike
                [sys.executable, str(WRITER), "annotations", str(db), "0", f"w{iteration}",
                 *COMPACTION[iteration % 3]],
                stdout=subprocess.PIPE,
                stderr=stderr,
                cwd=REPO,
            )
        watchdog = threading.Timer(20.0, proc.kill)  # a hung child fails the test, not CI
        watchdog.start()
        try:
            assert proc.stdout is not None
            head = b""
            if origin == "ready":
                head = proc.stdout.readline()
                if head != b"ready\n":
                    proc.wait()
                    pytest.fail(
                        f"iteration {iteration}: writer did not start ({head!r}); stderr:\n"
                        + stderr_path.read_text(errors="replace")
                    )
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            rest = proc.stdout.read()
            proc.stdout.close()
        finally:
            watchdog.cancel()
        assert proc.returncode == -signal.SIGKILL, (
            f"iteration {iteration}: writer exited {proc.returncode} before the kill; stderr:\n"
            + stderr_path.read_text(errors="replace")
        )
        stats["kills"] += 1

        # Only complete lines count: a line cut by the kill was never acknowledged.
        lines = (head + rest).split(b"\n")[:-1]
        new_acks = {line.decode() for line in lines if line not in (b"ready", b"done")}
        stats["no_ack"] += not new_acks
        acked |= new_acks

        if not db.exists():  # killed before the first Store.open created the file
            assert not acked, f"iteration {iteration}: acknowledged saves but no database file"
            continue
        stats["compacted"] += inode_before is not None and db.stat().st_ino != inode_before
        raw = db.read_bytes()
        try:
            ids = _annotation_ids(db)
        except (ValueError, AssertionError) as error:
            pytest.fail(
                f"iteration {iteration} (kill {origin}+{delay * 1000:.1f} ms): the database "
                f"does not parse after SIGKILL: {error}; {len(raw)} bytes, starts {raw[:80]!r}"
            )
        missing = acked - set(ids)
        assert not missing, (
            f"iteration {iteration} (kill {origin}+{delay * 1000:.1f} ms): "
            f"{len(missing)} acknowledged annotation(s) lost, e.g. {sorted(missing)[:3]}"
        )
        assert len(ids) == len(set(ids)), f"iteration {iteration}: duplicate ids in the file"

        store = Store.open(db, create=False)  # raises DatabaseError if the file is bad
        if iteration % 20 == 0 or iteration == KILLS - 1:
            loaded = store.annotations()
            assert store.problems == []
            assert {a.id for a in loaded} == set(ids)

        # A kill between mkstemp and os.replace leaves one temp file; never more per kill,
        # and nothing else ever appears next to the database.
        temps = set(_temp_files(folder, db))
        assert len(temps - temps_before) <= 1
        stats["left_temp"] += len(temps - temps_before)
        others = {p.name for p in folder.iterdir()} - {p.name for p in temps}
        allowed = {db.name, db.name + ".journal", db.name + ".lock", db.name + ".index", db.name + ".texts",
                   *(b.name for b in backup_paths(db))}
        assert others <= allowed, others

    # Leftover temp files do not hurt: the database still opens, writes and reads back.
    temps = _temp_files(folder, db)
    store = Store.open(db, create=False)
    text = "A sentence to tag after all the kills."
    last = Annotation(
        kind="claim", targets=(describe("f" * 16, text, 2, 10),), tags=("x",), author="a"
    )
    store.put_annotation(last)
    final_ids = {a.id for a in Store.open(db, create=False).annotations()}
    assert acked | {last.id} <= final_ids
    assert _temp_files(folder, db) == temps  # a write neither adds nor cleans temp files

    elapsed = time.monotonic() - started
    print(
        f"\n{stats['kills']} SIGKILLs in {elapsed:.1f} s, {len(acked)} acknowledged saves all "
        f"kept ({len(final_ids)} records, {db.stat().st_size // 1024} KiB); "
        f"{stats['early']} kills within 4 ms of the first save, {stats['no_ack']} before any ack; "
        f"{stats['left_temp']} kills landed mid-write and left a temp file "
        f"({len(temps)} .tmp files accumulated, never cleaned up); {stats['compacted']} "
        "runs folded the journal into a new snapshot before the kill"
    )
    assert stats["kills"] == KILLS
    assert len(temps) == stats["left_temp"]
