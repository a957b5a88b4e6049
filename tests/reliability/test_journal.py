"""The database's journal: saves are appends, torn and stale journals are safe, compaction
folds it in, and every process sees what the others saved. Checked against an independent
reader of the files (tests/data/database_files.py)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys

import pytest
from database_files import database_bytes, journal_of, read_database

import reader.durable_storage as storage_module
from reader.anchoring import describe
from reader.errors import DatabaseError
from reader.model import Annotation
from reader.store import Store

TEXT = "The minister said exports rose by a third. Customs data show a fall of 2 per cent."
ARTICLE = "0123456789abcdef"


def _claim(tag: str = "a", start: int = 4) -> Annotation:
    return Annotation(
        kind="claim", targets=(describe(ARTICLE, TEXT, start, start + 8),), tags=(tag,), author="t"
    )


def _ids_on_disk(db) -> set[str]:
    return {record["id"] for record in read_database(db).get("annotations", {}).values()}


def test_a_save_appends_one_line_and_leaves_the_snapshot_alone(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    store.put_many(annotations=[_claim(str(i)) for i in range(2000)])
    snapshot = db.stat()
    journal_lines = journal_of(db).read_bytes().count(b"\n")
    claim = _claim("new")
    store.put_annotation(claim)
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        snapshot.st_ino, snapshot.st_mtime_ns, snapshot.st_size,
    )
    assert journal_of(db).read_bytes().count(b"\n") == journal_lines + 1
    assert claim.id in _ids_on_disk(db) and len(_ids_on_disk(db)) == 2001


def test_a_torn_last_line_is_ignored_and_cut_by_the_next_save(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    kept = _claim("kept")
    store.put_annotation(kept)
    with open(journal_of(db), "ab") as handle:  # a writer killed in mid-append
        handle.write(b'{"t": "annotations", "k": "9", "d": {"id": "half' + b"x" * 5000)
    reopened = Store.open(db)
    assert [a.id for a in reopened.annotations()] == [kept.id]
    later = _claim("later")
    reopened.put_annotation(later)
    journal = journal_of(db).read_bytes()
    assert b"half" not in journal and journal.endswith(b"\n")  # the torn line is gone
    assert _ids_on_disk(db) == {kept.id, later.id}
    assert {a.id for a in store.annotations()} == {kept.id, later.id}  # the first one catches up


def test_a_damaged_line_in_the_middle_is_refused_and_recover_keeps_the_lines_before_it(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    first, second = _claim("1"), _claim("2")
    store.put_annotation(first)
    store.put_annotation(second)
    lines = journal_of(db).read_bytes().split(b"\n")
    lines[2] = b"{ this is not json"  # the line of `second`; a good line follows it
    lines.insert(3, lines[1])
    journal_of(db).write_bytes(b"\n".join(lines))
    before = database_bytes(db)
    with pytest.raises(DatabaseError, match="line 3 is damaged") as caught:
        Store.open(db)
    assert "\n" not in str(caught.value)
    assert database_bytes(db) == before

    result = subprocess.run(
        [sys.executable, "-m", "reader", "db", "recover", "--db", str(db)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "before its damaged line" in result.stdout
    assert [a.id for a in Store.open(db).annotations()] == [first.id]
    [aside] = tmp_path.glob("db.json.journal.corrupt-*")
    assert aside.read_bytes() == before[1]


def test_a_journal_left_by_a_compaction_killed_half_way_is_not_applied_twice(tmp_path):
    """Killed between the new snapshot and the new journal: the old journal names the old
    generation, its changes are already in the snapshot, and deletes stay deleted."""
    db = tmp_path / "db.json"
    store = Store.open(db)
    keep, drop = _claim("keep"), _claim("drop")
    store.put_annotation(keep)
    store.put_annotation(drop)
    store.delete_annotation(drop.id)
    old_journal = journal_of(db).read_bytes()
    store.close()  # writes the snapshot, then a fresh journal
    journal_of(db).write_bytes(old_journal)  # as if killed before the fresh journal landed
    reopened = Store.open(db)
    assert [a.id for a in reopened.annotations()] == [keep.id]
    reopened.put_annotation(drop)  # a save now starts a journal of its own
    assert _ids_on_disk(db) == {keep.id, drop.id}
    assert {a.id for a in Store.open(db).annotations()} == {keep.id, drop.id}


def test_close_folds_the_journal_into_the_file(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    claims = [_claim(str(i)) for i in range(5)]
    for claim in claims:
        store.put_annotation(claim)
    assert "annotations" not in json.loads(db.read_bytes())  # all of them in the journal
    store.close()
    on_file = json.loads(db.read_bytes())  # the snapshot alone, read by the stdlib
    assert {r["id"] for r in on_file["annotations"].values()} == {c.id for c in claims}
    assert journal_of(db).read_bytes().count(b"\n") == 1  # the header only


def test_the_journal_is_folded_in_once_it_outgrows_half_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_module, "COMPACT_MIN_BYTES", 4096)
    db = tmp_path / "db.json"
    store = Store.open(db)
    claims = [_claim(str(i)) for i in range(60)]
    sizes = []
    for claim in claims:
        store.put_annotation(claim)
        sizes.append(journal_of(db).stat().st_size)
    assert max(sizes) <= max(4096, db.stat().st_size // 2) + 2048
    assert min(sizes[10:]) < 200  # it was emptied (down to its header) along the way
    assert _ids_on_disk(db) == {c.id for c in claims}


def test_two_stores_on_one_file_see_each_others_saves_and_compactions(tmp_path):
    db = tmp_path / "db.json"
    one, two = Store.open(db), Store.open(db)
    a, b, c = _claim("a"), _claim("b"), _claim("c")
    one.put_annotation(a)
    assert [x.id for x in two.annotations()] == [a.id]
    two.put_annotation(b)
    two.close()  # a new snapshot and journal under `one`'s feet
    one.put_annotation(c)
    one.delete_annotation(a.id)
    assert {x.id for x in two.annotations()} == {b.id, c.id}
    assert _ids_on_disk(db) == {b.id, c.id}


def test_a_snapshot_edited_by_hand_is_read_again(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    claim = _claim()
    store.put_annotation(claim)
    store.close()
    data = json.loads(db.read_bytes())
    [record] = data["annotations"].values()
    record["note"] = "edited by hand"
    db.write_text(json.dumps(data, indent=1))  # in place, a different size
    assert store.annotations()[0].note == "edited by hand"


def test_random_saves_from_three_stores_match_the_files(tmp_path, monkeypatch):
    """Interleaved puts, edits and deletes from three stores, with compactions in between:
    every store and the independent reader agree with a model of what was saved."""
    monkeypatch.setattr(storage_module, "COMPACT_MIN_BYTES", 3000)
    db = tmp_path / "db.json"
    stores = [Store.open(db) for _ in range(3)]
    rng = random.Random(7)
    model: dict[str, Annotation] = {}
    for step in range(300):
        store = rng.choice(stores)
        roll = rng.random()
        if roll < 0.5 or not model:
            claim = _claim(str(step), start=rng.randrange(0, 60))
            store.put_annotation(claim)
            model[claim.id] = claim
        elif roll < 0.75:
            edited = model[rng.choice(sorted(model))].edited(note=f"step {step}")
            store.put_annotation(edited)
            model[edited.id] = edited
        elif roll < 0.95:
            gone = rng.choice(sorted(model))
            store.delete_annotation(gone)
            del model[gone]
        else:
            store.close()
    expected = {a.id: a.note for a in model.values()}
    for store in stores:
        assert {a.id: a.note for a in store.annotations()} == expected
    assert {r["id"]: r["note"] for r in read_database(db)["annotations"].values()} == expected
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in tmp_path.glob("db.json*"):
        shutil.copy2(path, copy / path.name)
    assert {a.id: a.note for a in Store.open(copy / "db.json").annotations()} == expected


def test_an_empty_or_foreign_journal_is_not_extended(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    first = _claim("1")
    store.put_annotation(first)
    store.close()
    journal_of(db).write_bytes(b"")  # emptied by hand
    second = _claim("2")
    Store.open(db).put_annotation(second)
    assert _ids_on_disk(db) == {first.id, second.id}
    assert os.path.getsize(journal_of(db)) > 0 and journal_of(db).read_bytes().startswith(b'{"journal"')


def test_a_store_counts_what_it_took_in_from_other_processes_not_its_own_saves(tmp_path):
    """The app keeps its screen current by this count: a save of its own that also took
    in another process's lines must not be mistaken for 'nothing new'."""
    db = tmp_path / "db.json"
    mine, theirs = Store.open(db), Store.open(db)
    count, signature = mine.seen()
    mine.put_annotation(_claim("mine"))
    assert mine.seen()[0] == count and mine.seen()[1] != signature
    theirs.put_annotation(_claim("theirs"))
    mine.put_annotation(_claim("mine again"))  # catches up with theirs on the way
    assert mine.seen()[0] == count + 1
    theirs.close()  # a new snapshot from another process
    mine.annotations()
    assert mine.seen()[0] == count + 2
    from reader.store import database_signature

    assert mine.seen()[1] == database_signature(db)


def test_a_journal_whose_only_line_is_not_a_header_loses_no_later_save(tmp_path):
    """Hand-damaged down to one unreadable line: the next save starts a new journal rather
    than appending changes that a reader would then take for a torn header."""
    db = tmp_path / "db.json"
    store = Store.open(db)
    first = _claim("first")
    store.put_annotation(first)
    store.close()
    journal_of(db).write_bytes(b"garbage\n")
    second = _claim("second")
    Store.open(db).put_annotation(second)
    assert {a.id for a in Store.open(db).annotations()} == {first.id, second.id}
    assert _ids_on_disk(db) == {first.id, second.id}


def test_an_unreadable_header_with_changes_after_it_is_refused(tmp_path):
    db = tmp_path / "db.json"
    store = Store.open(db)
    store.put_annotation(_claim("kept"))
    lines = journal_of(db).read_bytes().split(b"\n")
    lines[0] = b"{not a header"
    journal_of(db).write_bytes(b"\n".join(lines))
    before = database_bytes(db)
    with pytest.raises(DatabaseError, match="line 1 is damaged"):
        Store.open(db)
    assert database_bytes(db) == before
