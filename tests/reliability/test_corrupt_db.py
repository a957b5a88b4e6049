"""A database file that is not what presscheck wrote: refused with one clear line, kept as is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from database_files import read_database

from reader.anchoring import describe
from reader.errors import DatabaseError
from reader.model import Annotation
from reader.store import STORE_SCHEMA as SCHEMA_VERSION
from reader.store import Store

TEXT = "The mayor said the budget was balanced. Auditors found a deficit of 4 million."
ARTICLE = "0123456789abcdef"
OLD = 1_000_000_000  # an mtime far in the past, so a rewrite within the same tick shows


def _annotation(start: int = 4, end: int = 9, tag: str = "x") -> Annotation:
    return Annotation(
        kind="claim", targets=(describe(ARTICLE, TEXT, start, end),), tags=(tag,), author="a"
    )


def _plant(path: Path, raw: bytes) -> os.stat_result:
    path.write_bytes(raw)
    os.utime(path, ns=(OLD * 10**9, OLD * 10**9))
    return path.stat()


def _assert_untouched(path: Path, raw: bytes, before: os.stat_result) -> None:
    assert path.read_bytes() == raw
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino, after.st_size) == (
        before.st_mtime_ns,
        before.st_ino,
        before.st_size,
    ), "the database file was rewritten or replaced"
    # Nothing but the file and (at most) its lock file: no temp file, no "repaired" copy.
    assert {p.name for p in path.parent.iterdir()} <= {path.name, path.name + ".lock"}


def _assert_one_line_naming(error: DatabaseError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message and "\r" not in message, message
    assert str(path) in message, message
    assert message.strip() == message and message


def _good_db(*annotations: Annotation) -> dict:
    return {
        "meta": {"1": {"key": "schema_version", "value": SCHEMA_VERSION}},
        "annotations": {str(i): a.to_dict() for i, a in enumerate(annotations, start=1)},
    }


BAD_FILES = {
    "not-json": b"this is not json at all\n",
    "empty": b"",
    "whitespace": b" \n\t  \r\n  ",
    "truncated": json.dumps(_good_db(_annotation()), indent=2).encode()[:-40],
    "list": b'[{"key": "schema_version", "value": 1}]\n',
    "dict-of-strings": b'{"meta": "schema_version", "annotations": "none"}\n',
    "table-of-strings": b'{"meta": {"1": "schema_version"}}\n',
    "number": b"42\n",
    "null": b"null\n",
    "bad-utf8": b'{"meta": {"1": {"key": "\xff\xfe"}}}\n',
    "non-numeric-record-keys": json.dumps(
        {"meta": {"schema": {"key": "schema_version", "value": 1}}}
    ).encode(),
}


@pytest.mark.parametrize("raw", BAD_FILES.values(), ids=BAD_FILES.keys())
@pytest.mark.parametrize("create", [True, False], ids=["create", "no-create"])
def test_bad_file_is_refused_and_kept(tmp_path: Path, raw: bytes, create: bool) -> None:
    path = tmp_path / "annotations.json"
    before = _plant(path, raw)
    with pytest.raises(DatabaseError) as caught:
        Store.open(path, create=create)
    _assert_one_line_naming(caught.value, path)
    _assert_untouched(path, raw, before)


def test_non_numeric_record_keys_in_annotations_are_a_database_error(tmp_path: Path) -> None:
    """TinyDB turns record keys into ints: a key like "x" must be a clear error, not a
    ValueError traceback from deep in TinyDB, on open, on reading and on saving."""
    path = tmp_path / "annotations.json"
    data = _good_db()
    data["annotations"] = {"x": _annotation().to_dict()}
    raw = json.dumps(data).encode()
    before = _plant(path, raw)
    with pytest.raises(DatabaseError) as caught:
        Store.open(path).put_annotation(_annotation(10, 16))
    _assert_one_line_naming(caught.value, path)
    _assert_untouched(path, raw, before)


def test_missing_file_without_create_is_refused_and_nothing_created(tmp_path: Path) -> None:
    for path in (tmp_path / "annotations.json", tmp_path / "sub" / "dir" / "annotations.json"):
        with pytest.raises(DatabaseError) as caught:
            Store.open(path, create=False)
        _assert_one_line_naming(caught.value, path)
    assert list(tmp_path.iterdir()) == []


def test_folder_instead_of_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        Store.open(tmp_path)
    _assert_one_line_naming(caught.value, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("version", [99, SCHEMA_VERSION + 1, "1"], ids=repr)
def test_newer_or_odd_schema_version_is_refused(tmp_path: Path, version: object) -> None:
    path = tmp_path / "annotations.json"
    data = _good_db(_annotation())
    data["meta"]["1"]["value"] = version
    raw = json.dumps(data, indent=1).encode()
    before = _plant(path, raw)
    with pytest.raises(DatabaseError) as caught:
        Store.open(path)
    _assert_one_line_naming(caught.value, path)
    _assert_untouched(path, raw, before)


def test_bad_record_is_reported_and_kept_through_later_saves(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    good1, bad, good2 = _annotation(4, 9), _annotation(10, 16), _annotation(40, 48)
    data = _good_db(good1, bad, good2)
    del data["annotations"]["2"]["targets"]  # a hand edit gone wrong
    bad_record = data["annotations"]["2"]
    path.write_text(json.dumps(data, indent=4))

    store = Store.open(path)
    assert {a.id for a in store.annotations()} == {good1.id, good2.id}
    assert len(store.problems) == 1
    assert "2" in store.problems[0] and "targets" in store.problems[0]

    new = _annotation(20, 30, tag="y")
    store.put_annotation(new)
    edited = good1.edited(note="checked")
    store.put_annotation(edited)

    on_disk = read_database(path)["annotations"]
    assert on_disk["2"] == bad_record  # the bad record: same key, same content, same order
    assert list(on_disk["2"]) == list(bad_record)
    assert len(on_disk) == 4
    reopened = Store.open(path, create=False)
    assert {a.id for a in reopened.annotations()} == {good1.id, good2.id, new.id}
    assert next(a for a in reopened.annotations() if a.id == good1.id).note == "checked"
    assert len(reopened.problems) == 1
