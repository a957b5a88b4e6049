"""Exports printed to a terminal never carry an article's control sequences."""

from __future__ import annotations

import json

import pytest

from reader.anchoring import describe
from reader.export import render_export
from reader.ingest import article_from_text
from reader.model import Annotation
from reader.store import Store

HOSTILE = "Plain start. \x1b]52;c;aGk=\x07 then \x9b31m red \u202eevil\u202c and \u2066iso\u2069 [bold]x[/bold]."


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "db.json")
    article = article_from_text(HOSTILE, "hostile.txt")
    store.put_article(article)
    store.put_annotation(Annotation(kind="claim", targets=(describe(article.id, article.text, 0, len(article.text)),),
                                    tags=("x",), note="\x1b[2Jnote", author="a"))
    return store


@pytest.mark.parametrize("format", ["json", "w3c", "csv", "md"])
def test_no_control_sequence_reaches_the_output(store, format):
    blob, count = render_export(store, format)
    assert count == 1
    text = blob.decode("utf-8-sig")
    for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066"):
        assert raw not in text, (format, repr(raw))


@pytest.mark.parametrize("format", ["json", "w3c"])
def test_json_exports_still_hold_the_exact_text(store, format):
    blob, _ = render_export(store, format)
    assert HOSTILE.replace("\x1b", "").split()[0] in blob.decode()
    assert "\x9b31m red \u202eevil" in json.dumps(json.loads(blob), ensure_ascii=False)
