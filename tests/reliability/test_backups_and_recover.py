"""Rotating backups, `presscheck db check` and `presscheck db recover`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import reader.durable_storage as storage_module
import reader.snapshot as snapshot_module
from reader.anchoring import describe
from reader.model import Annotation
from reader.store import Store, backup_paths

TEXT = "One sentence. Another sentence."


def _claim(tag: str = "a", article_id: str = "a" * 16) -> Annotation:
    return Annotation(kind="claim", targets=(describe(article_id, TEXT, 0, 13),), tags=(tag,), author="t")


def presscheck(*args, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.fixture
def compact_every_save(monkeypatch):
    """Backups are taken when the journal is folded into a new snapshot; fold at every save."""
    monkeypatch.setattr(storage_module.DurableStorage, "_compact_threshold", lambda self: 0)


@pytest.fixture
def no_backup_interval(monkeypatch, compact_every_save):
    monkeypatch.setattr(snapshot_module, "BACKUP_INTERVAL", 0.0)


def test_backups_rotate_up_to_three_and_hold_earlier_states(tmp_path, no_backup_interval):
    path = tmp_path / "db.json"
    store = Store.open(path)
    claims = [_claim(str(i)) for i in range(5)]
    for claim in claims:
        store.put_annotation(claim)
    backups = backup_paths(path)
    assert all(b.exists() for b in backups)
    assert not path.with_name("db.json.bak.4").exists()
    counts = [len(json.loads(b.read_bytes()).get("annotations", {})) for b in backups]
    assert counts == [4, 3, 2]  # the state before each of the last three saves


def test_backups_are_spaced_by_the_interval(tmp_path, compact_every_save):
    path = tmp_path / "db.json"
    store = Store.open(path)
    for i in range(5):
        store.put_annotation(_claim(str(i)))
    assert [b.exists() for b in backup_paths(path)] == [True, False, False]


def test_recover_restores_the_newest_readable_backup_and_keeps_the_bad_file(tmp_path, no_backup_interval):
    path = tmp_path / "db.json"
    store = Store.open(path)
    first, second, third = _claim("1"), _claim("2"), _claim("3")
    for claim in (first, second, third):
        store.put_annotation(claim)
    # .bak.1 holds {first, second}, .bak.2 {first}, .bak.3 no annotation; make .bak.1 bad too
    backup_paths(path)[0].write_bytes(b"{broken")
    path.write_bytes(b"\x00garbage")

    opened = presscheck("export", "--db", str(path), cwd=tmp_path)
    assert opened.returncode == 1 and "db recover" in opened.stderr

    result = presscheck("db", "recover", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "db.json.bak.2" in result.stdout
    aside = list(tmp_path.glob("db.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"\x00garbage"
    recovered = Store.open(path).annotations()
    assert [a.id for a in recovered] == [first.id]
    check = presscheck("db", "check", "--db", str(path), cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.strip().endswith("ok")


def test_recover_refuses_when_the_database_reads_fine(tmp_path, no_backup_interval):
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_annotation(_claim())
    store.put_annotation(_claim("b"))
    before = path.read_bytes()
    result = presscheck("db", "recover", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 1 and "nothing to recover" in result.stderr
    assert path.read_bytes() == before


def test_recover_without_backups_is_a_one_line_error(tmp_path):
    path = tmp_path / "db.json"
    path.write_bytes(b"not json")
    result = presscheck("db", "recover", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "no readable backup" in result.stderr
    assert path.read_bytes() == b"not json"


def test_check_reports_bad_records_and_orphans(tmp_path):
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_annotation(_claim())  # its article is not in the database: an orphan
    store.close()  # a clean close folds the journal in: the file alone holds everything
    data = json.loads(path.read_bytes())
    data["annotations"]["99"] = {"id": "x", "kind": "claim"}  # hand-edited, no targets
    path.write_text(json.dumps(data))
    result = presscheck("db", "check", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "problem: annotation record 99" in result.stdout
    assert "orphan: claim" in result.stdout and "is not in the database" in result.stdout
