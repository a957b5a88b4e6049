from __future__ import annotations

import json

import jsonschema
import pytest

from reader.anchoring import describe
from reader.export.json_format import build_document, dumps, schema
from reader.ingest import load_article
from reader.model import Annotation


@pytest.fixture
def articles(seeds):
    return [load_article(seeds / name) for name in sorted(p.name for p in seeds.glob("*.txt"))]


def _claim(article, start, end, **kw):
    return Annotation(kind="claim", targets=(describe(article.id, article.text, start, end),),
                      author="ann", tags=("factual claim",), **kw)


def test_export_validates_and_quotes_match_the_text(articles):
    left, right = articles
    claim = _claim(left, 0, 120)
    pair = Annotation(
        kind="contradiction",
        targets=(describe(left.id, left.text, 200, 260), describe(right.id, right.text, 300, 380)),
        author="ann", note="who asked for what?",
    )
    document = json.loads(dumps(build_document(articles, [claim, pair], author="ann")))
    jsonschema.validate(document, schema(), format_checker=jsonschema.FormatChecker())
    texts = {a.id: a.text for a in articles}
    for annotation in document["annotations"]:
        for target in annotation["targets"]:
            position, quote = target["selectors"]
            assert texts[target["article_id"]][position["start"] : position["end"]] == quote["exact"]
    assert {a["id"] for a in document["articles"]} == {left.id, right.id}


def test_only_articles_with_annotations_are_listed(articles):
    left, _ = articles
    document = build_document(articles, [_claim(left, 0, 10)])
    assert [a["id"] for a in document["articles"]] == [left.id]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["annotations"][0]["targets"][0]["selectors"].pop(1),
        lambda d: d["annotations"][0].update(kind="rumour"),
        lambda d: d.update(schema_version=2),
        lambda d: d["annotations"][0]["targets"].append(d["annotations"][0]["targets"][0]),
        lambda d: d["articles"][0].update(id="not-hex"),
    ],
)
def test_schema_rejects_broken_documents(articles, breakage):
    document = json.loads(dumps(build_document(articles, [_claim(articles[0], 0, 10)])))
    jsonschema.validate(document, schema())
    breakage(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema())


def test_export_carries_the_article_text_so_an_empty_database_can_take_it(articles):
    left, right = articles
    document = json.loads(dumps(build_document(articles, [_claim(right, 0, 10)])))
    jsonschema.validate(document, schema(), format_checker=jsonschema.FormatChecker())
    (entry,) = document["articles"]
    assert entry["text"] == right.text and len(entry["text"]) == entry["length"]
    assert entry["furniture"] == [list(span) for span in right.furniture] and entry["furniture"]


def test_an_export_without_text_as_the_skeleton_wrote_it_still_validates(articles):
    document = json.loads(dumps(build_document(articles, [_claim(articles[0], 0, 10)], with_text=False)))
    assert "text" not in document["articles"][0]
    jsonschema.validate(document, schema(), format_checker=jsonschema.FormatChecker())
    document["articles"][0]["text"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema())


def test_a_document_for_someone_else_names_articles_without_local_paths(articles):
    """Issue 16 (hand-ins): `sources` names pack articles by their file in the pack; any
    other article by its URL or bare file name; a target's path likewise."""
    from dataclasses import replace

    from reader.article_names import public_source

    left, right = articles
    right = replace(right, source="/home/ana/private/elsewhere/right.txt")
    pair = Annotation(
        kind="link", relation="same event", author="ann",
        targets=(describe(left.id, left.text, 0, 40),
                 replace(describe(right.id, right.text, 0, 40), source="/home/ana/tool/right.txt")),
    )
    document = build_document([left, right], [pair], "ann", sources={left.id: "texts/left.txt"})
    jsonschema.validate(document, schema(), format_checker=jsonschema.FormatChecker())
    assert [a["source"] for a in document["articles"]] == ["texts/left.txt", "right.txt"]
    assert document["annotations"][0]["targets"][1]["source"] == "right.txt"
    assert "/home/ana" not in json.dumps(document)
    assert build_document([right], [pair])["articles"][0]["source"] == right.source  # a plain export
    assert public_source("https://example.org/a/b?x=1") == "https://example.org/a/b?x=1"
    assert public_source("C:\\Users\\ana\\a.txt") == public_source("file:///home/ana/a.txt") == "a.txt"
