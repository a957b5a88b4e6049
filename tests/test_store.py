"""Store behaviour that is not about crashes: write counts, file mode, leftovers, meta."""

from __future__ import annotations

import os
import stat

import pytest

from reader.anchoring import describe
from reader.errors import DatabaseError
from reader.model import Annotation
from reader.store import DurableStorage, Store

TEXT = "One sentence. Another sentence."


def _claim(tag: str = "a") -> Annotation:
    return Annotation(kind="claim", targets=(describe("a" * 16, TEXT, 0, 13),), tags=(tag,), author="t")


@pytest.fixture
def writes(monkeypatch):
    """What the storage wrote: "append" (one journal append) or "snapshot" (all tables)."""
    done = []
    append, write = DurableStorage.append, DurableStorage.write

    def counting_append(self, changes):
        done.append("append")
        return append(self, changes)

    def counting_write(self, data):
        done.append("snapshot")
        return write(self, data)

    monkeypatch.setattr(DurableStorage, "append", counting_append)
    monkeypatch.setattr(DurableStorage, "write", counting_write)
    return done


def test_a_new_annotation_is_one_append_and_an_unchanged_one_nothing(tmp_path, writes):
    store = Store.open(tmp_path / "db.json")
    writes.clear()
    claim = _claim()
    store.put_annotation(claim)
    assert writes == ["append"]
    store.put_annotation(claim)
    assert writes == ["append"]
    store.put_annotation(claim.edited(tags=("b",)))
    assert writes == ["append"] * 2
    store.delete_annotation("no-such-id")
    assert writes == ["append"] * 2
    store.delete_annotation(claim.id)
    assert writes == ["append"] * 3 and store.annotations() == []


def test_an_edit_replaces_the_whole_record(tmp_path):
    store = Store.open(tmp_path / "db.json")
    claim = _claim()
    store.put_annotation(claim)
    edited = claim.edited(note="checked")
    store.put_annotation(edited)
    assert store.annotations() == [edited]


def test_meta_values_round_trip(tmp_path, writes):
    store = Store.open(tmp_path / "db.json")
    store.set_meta("author", "Ada")
    store.set_meta("author", "Ada")
    store.set_meta("author", "Grace")
    assert Store.open(tmp_path / "db.json").get_meta("author") == "Grace"


def test_the_database_keeps_its_file_mode(tmp_path):
    path = tmp_path / "db.json"
    store = Store.open(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.chmod(path, 0o660)
    store.put_annotation(_claim())
    assert stat.S_IMODE(path.stat().st_mode) == 0o660


def test_temp_files_left_by_a_killed_writer_are_removed_on_open(tmp_path):
    path = tmp_path / "db.json"
    Store.open(path).put_annotation(_claim())
    leftover = tmp_path / ".db.json.abc123.tmp"
    leftover.write_text("half a database")
    unrelated = tmp_path / "notes.tmp"
    unrelated.write_text("keep me")
    Store.open(path)
    assert not leftover.exists() and unrelated.exists()


@pytest.mark.parametrize("version", ['"1"', "true", "1.5"])
def test_a_schema_version_that_is_not_a_number_is_named_as_such(tmp_path, version):
    path = tmp_path / "db.json"
    path.write_text('{"meta": {"1": {"key": "schema_version", "value": %s}}}' % version)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="is not a number"):
        Store.open(path)
    assert path.read_bytes() == before


def test_an_older_database_is_migrated_on_open_with_a_backup(tmp_path, monkeypatch):
    import json

    import reader.store as store_module
    from reader.store import backup_paths

    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_annotation(_claim())

    def rename_tags(tables, path):  # a made-up step 2 -> 3: tags become labels
        for record in tables.get("annotations", {}).values():
            record["labels"] = record.pop("tags")
        return tables

    monkeypatch.setattr(store_module, "STORE_SCHEMA", 3)
    monkeypatch.setattr(store_module, "MIGRATIONS", {2: rename_tags})
    migrated = Store.open(path)
    assert migrated.get_meta("schema_version") == 3
    [record] = json.loads(path.read_bytes())["annotations"].values()  # in the snapshot itself
    assert "labels" in record and "tags" not in record
    old = json.loads(backup_paths(path)[0].read_bytes())
    [before] = old["annotations"].values()
    assert "tags" in before  # the file as it was is kept


def test_a_missing_migration_step_is_a_clear_error_and_changes_nothing(tmp_path, monkeypatch):
    import reader.store as store_module

    path = tmp_path / "db.json"
    Store.open(path).put_annotation(_claim())
    before = path.read_bytes()
    monkeypatch.setattr(store_module, "STORE_SCHEMA", 4)
    monkeypatch.setattr(store_module, "MIGRATIONS", {2: lambda tables, path: tables})
    with pytest.raises(DatabaseError, match="no migration from schema 3"):
        Store.open(path)
    assert path.read_bytes() == before


def test_the_file_is_a_tinydb_database_tinydb_itself_reads(tmp_path):
    """Store reads and writes through its storage directly; the file stays TinyDB's, with
    the journal's changes included when TinyDB opens it with that storage."""
    from tinydb import TinyDB

    path = tmp_path / "db.json"
    store = Store.open(path)
    claim = _claim()
    store.put_annotation(claim)
    [record] = TinyDB(path, storage=DurableStorage).table("annotations").all()
    assert record["id"] == claim.id


def test_a_database_opened_to_be_made_by_its_first_write_reads_empty_till_then(tmp_path) -> None:
    from reader.ingest.article import article_from_text
    from reader.store import STORE_SCHEMA

    path = tmp_path / "new" / "annotations.json"
    store = Store.open(path, on_first_write=True)
    assert store.articles() == [] and store.annotations() == [] and store.get_meta("author") is None
    assert list(path.parent.iterdir()) == []  # no file, no lock file: nothing written yet
    article = article_from_text("A title\n\nA first sentence. A second one.", "a.txt")
    store.put_article(article)
    assert store.get_meta("schema_version") == STORE_SCHEMA
    store.close()
    again = Store.open(path, create=False)
    assert [a.id for a in again.articles()] == [article.id]
    assert again.get_meta("schema_version") == STORE_SCHEMA


def test_a_database_made_by_another_meanwhile_is_kept_by_the_first_write(tmp_path) -> None:
    path = tmp_path / "annotations.json"
    late = Store.open(path, on_first_write=True)
    other = Store.open(path)  # another presscheck made it and saved first
    other.put_annotation(_claim("theirs"))
    other.close()
    late.put_annotation(_claim("mine"))
    assert sorted(a.tags[0] for a in Store.open(path, create=False).annotations()) == ["mine", "theirs"]


def test_a_newer_database_made_meanwhile_refuses_the_first_write(tmp_path) -> None:
    path = tmp_path / "annotations.json"
    late = Store.open(path, on_first_write=True)
    newer = Store.open(path)
    newer.set_meta("schema_version", 99)
    newer.close()
    with pytest.raises(DatabaseError, match="newer presscheck"):
        late.put_annotation(_claim())
    left = Store(path)  # read as it is, not opened (it is newer)
    assert left.get_meta("schema_version") == 99 and left.annotations() == []  # nothing written
