"""Importing skips the schema walk for records exactly as presscheck writes them. That
shortcut must never accept a record the schema refuses: every mutation of a good record
is either refused by the shortcut or valid by the schema itself."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from reader.anchoring import describe
from reader.errors import UserError
from reader.export import json_format
from reader.export.reading import _plain_annotation, parse_bytes
from reader.model import Annotation

TEXT = "The minister said exports rose by a third. Customs data show a fall of 2 per cent."
ARTICLE = "0123456789abcdef"

GOOD = Annotation(
    kind="contradiction",
    targets=(describe(ARTICLE, TEXT, 0, 42), describe(ARTICLE, TEXT, 43, 82)),
    author="ada",
    tags=("numbers",),
    relation="contradicts",
    note="which is it?",
).to_dict()

MUTATIONS = [
    ("id", "not-a-uuid"), ("id", 7), ("kind", "opinion"), ("anchor", "somewhere"),
    ("anchor", None), ("tags", ["ok", 3]), ("tags", "numbers"), ("note", None),
    ("created", "yesterday"), ("modified", 20240101), ("relation", ["contradicts"]),
    ("author", {"name": "ada"}), ("extra", "field"),
    (("targets", 0, "article_id"), "0123456789ABCDEF"), (("targets", 0, "article_id"), "abc"),
    (("targets", 0, "selectors", 0, "start"), -1), (("targets", 0, "selectors", 0, "start"), 1.0),
    (("targets", 0, "selectors", 0, "start"), True), (("targets", 0, "selectors", 0, "end"), "42"),
    (("targets", 0, "selectors", 1, "exact"), ""), (("targets", 0, "selectors", 1, "prefix"), "x" * 33),
    (("targets", 0, "selectors", 1, "suffix"), 5), (("targets", 0, "selectors", 0, "type"), "Other"),
    (("targets", 1, "source"), ""), (("targets", 1, "extra"), 1), ("targets", []),
]


def _mutated(path, value) -> dict:
    record = copy.deepcopy(GOOD)
    if isinstance(path, str):
        record[path] = value
        return record
    *parents, last = path
    node = record
    for step in parents:
        node = node[step]
    node[last] = value
    return record


def _schema_valid(record: dict) -> bool:
    schema = json_format.schema()
    validator = jsonschema.Draft202012Validator(
        {"$defs": schema["$defs"], "$ref": "#/$defs/annotation"},
        format_checker=jsonschema.FormatChecker(),
    )
    return validator.is_valid(record)


def test_a_record_as_presscheck_writes_it_takes_the_shortcut():
    assert _schema_valid(GOOD) and _plain_annotation(GOOD, jsonschema.FormatChecker()) is not None


@pytest.mark.parametrize("path, value", MUTATIONS, ids=[str(p) + "=" + repr(v)[:12] for p, v in MUTATIONS])
def test_the_shortcut_never_accepts_what_the_schema_refuses(path, value):
    record = _mutated(path, value)
    if _plain_annotation(record, jsonschema.FormatChecker()) is not None:
        assert _schema_valid(record), record


def test_an_error_found_among_many_good_records_names_its_real_position(tmp_path):
    good = [Annotation.from_dict(GOOD).edited(note=str(i)).to_dict() for i in range(50)]
    for record, number in zip(good, range(50)):
        record["id"] = f"00000000-0000-4000-8000-{number:012d}"
    bad = _mutated(("targets", 0, "selectors", 0, "start"), -1)
    document = {
        "schema_version": 1, "generator": "test", "exported_at": "2026-11-23T00:00:00+00:00",
        "articles": [], "annotations": [*good[:37], bad, *good[37:]],
    }
    path = tmp_path / "export.json"
    with pytest.raises(UserError, match="at annotations/37/targets/0/selectors/0/start"):
        parse_bytes(json.dumps(document).encode(), Path(path))
