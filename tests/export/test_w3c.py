"""W3C Web Annotation: the MUSTs (a JSON Schema from the spec), JSON-LD expansion with the
kept anno.jsonld context (pyld, no network), DESIGN.md's mapping, and reading other tools'."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest
from pyld import jsonld

from export_fixtures import check_golden, seed_articles
from reader.classroom.pack import load_pack_articles
from reader.export import render_export
from reader.export.importing import import_files
from reader.export.json_format import schema as native_schema
from reader.export.w3c import (
    CONTEXT_IRI,
    MOTIVATION,
    creator_agent,
    build_collection,
    context_document,
    schema,
)
from reader.export.w3c_reading import read_annotations
from reader.store import Store

OA = "http://www.w3.org/ns/oa#"


def _document(store) -> dict:
    return json.loads(render_export(store, "w3c")[0])


def _loader(url, options=None):
    if url != CONTEXT_IRI:
        raise AssertionError(f"JSON-LD processing tried to fetch {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": copy.deepcopy(context_document())}


def _validator(definition: str | None = None):
    whole = schema()
    if definition is None:
        return jsonschema.Draft202012Validator(whole)
    return jsonschema.Draft202012Validator({"$defs": whole["$defs"], "$ref": f"#/$defs/{definition}"})


def test_seed_export_matches_the_golden_file(seeded):
    check_golden("seeds.w3c.jsonld", render_export(seeded, "w3c")[0])


def test_export_meets_the_musts_as_a_whole_and_item_by_item(seeded):
    document = _document(seeded)
    jsonschema.Draft202012Validator.check_schema(schema())
    _validator().validate(document)
    items = document["first"]["items"]
    assert len(items) == document["total"] == 9
    for item in items:  # each annotation also stands alone once given the context
        _validator("annotation").validate({"@context": CONTEXT_IRI, **item})


def test_export_follows_the_design_mapping(seeded):
    document = _document(seeded)
    assert document["@context"] == CONTEXT_IRI and document["type"] == "AnnotationCollection"
    assert document["first"]["type"] == "AnnotationPage"
    texts = {a.id: a.text for a in seeded.articles()}
    stored = {a.id: a for a in seeded.annotations()}
    for item in document["first"]["items"]:
        annotation = stored[item["id"].removeprefix("urn:uuid:")]
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", item["id"])
        assert item["type"] == "Annotation"
        assert item["motivation"] == MOTIVATION[annotation.kind]
        assert item["creator"] == {"id": creator_agent("Ana Student")["id"], "type": "Person",
                                   "name": "Ana Student", "nickname": "Ana Student"}
        assert item["generator"]["type"] == "Software" and item["generator"]["name"] == "presscheck"
        for key in ("created", "modified"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item[key])
        bodies = [(b["type"], b["purpose"], b["value"]) for b in item["body"]]
        assert bodies[0] == ("TextualBody", "classifying", annotation.kind)
        assert [v for _, p, v in bodies if p == "tagging"] == list(annotation.tags)
        assert [v for _, p, v in bodies if p == "commenting"] == ([annotation.note] if annotation.note else [])
        assert [v for _, p, v in bodies if p == "describing"] == ([annotation.relation] if annotation.relation else [])
        assert len(item["target"]) == len(annotation.targets)
        for target, mine in zip(item["target"], annotation.targets):
            assert target["type"] == "SpecificResource"
            assert target["source"] == f"urn:presscheck:article:{mine.article_id}"
            quote, position = target["selector"]
            assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
            assert quote["exact"] == mine.quote.exact
            if annotation.anchor != "orphaned":
                assert texts[mine.article_id][position["start"]:position["end"]] == quote["exact"]


def _walk_keys(node, keys):
    if isinstance(node, dict):
        for key, value in node.items():
            keys.add(key)
            _walk_keys(value, keys)
    elif isinstance(node, list):
        for value in node:
            _walk_keys(value, keys)
    return keys


def test_export_expands_as_json_ld_with_the_kept_context(seeded):
    document = _document(seeded)
    terms = context_document()["@context"]
    assert _walk_keys(document, set()) - {"@context"} <= set(terms), "a key JSON-LD would drop"
    expanded = jsonld.expand(document, {"documentLoader": _loader})
    (collection,) = expanded
    assert collection["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
    (page,) = collection["http://www.w3.org/ns/activitystreams#first"]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == 9
    for item in items:
        assert item["@type"] == [OA + "Annotation"]
        motivation = item[OA + "motivatedBy"][0]["@id"]
        assert motivation in {OA + m for m in MOTIVATION.values()}
        purposes = {b[OA + "hasPurpose"][0]["@id"] for b in item[OA + "hasBody"]}
        assert OA + "classifying" in purposes
        for target in item[OA + "hasTarget"]:
            assert target["@type"] == [OA + "SpecificResource"]
            assert target[OA + "hasSource"][0]["@id"].startswith("urn:presscheck:article:")
            types = sorted(s["@type"][0] for s in target[OA + "hasSelector"])
            assert types == [OA + "TextPositionSelector", OA + "TextQuoteSelector"]
        assert item["http://purl.org/dc/terms/created"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    quads = jsonld.to_rdf(document, {"documentLoader": _loader, "format": "application/n-quads"})
    assert quads.count(f"<{OA}hasTarget>") == sum(len(a.targets) for a in seeded.annotations())


def test_kept_context_maps_the_terms_presscheck_uses_as_the_w3c_vocabulary_does():
    terms = context_document()["@context"]
    expected = {
        "Annotation": "oa:Annotation", "TextualBody": "oa:TextualBody",
        "SpecificResource": "oa:SpecificResource", "TextQuoteSelector": "oa:TextQuoteSelector",
        "TextPositionSelector": "oa:TextPositionSelector", "Person": "foaf:Person",
        "AnnotationCollection": "as:OrderedCollection", "AnnotationPage": "as:OrderedCollectionPage",
        "exact": "oa:exact", "prefix": "oa:prefix", "suffix": "oa:suffix", "value": "rdf:value",
        "name": "foaf:name", "label": "rdfs:label",
    }
    for term, iri in expected.items():
        assert terms[term] == iri, term
    assert terms["target"] == {"@type": "@id", "@id": "oa:hasTarget"}
    assert terms["motivation"] == {"@type": "@vocab", "@id": "oa:motivatedBy"}
    assert terms["purpose"] == {"@type": "@vocab", "@id": "oa:hasPurpose"}
    assert terms["items"]["@container"] == "@list"
    assert terms["start"] == {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"}
    for motivation in ("assessing", "classifying", "commenting", "describing", "linking", "tagging"):
        assert terms[motivation] == f"oa:{motivation}"


def _one(document):
    return document["first"]["items"][0]


BREAKAGES = {
    "no @context": lambda d: d.pop("@context"),
    "another @context": lambda d: d.update({"@context": "http://example.org/context.jsonld"}),
    "one @context as a list": lambda d: d.update({"@context": [CONTEXT_IRI]}),
    "collection id not an IRI": lambda d: d.update(id="not an iri"),
    "collection type": lambda d: d.update(type="Collection"),
    "annotations but no first page": lambda d: d.pop("first"),
    "negative total": lambda d: d.update(total=-1),
    "page without items": lambda d: d["first"].pop("items"),
    "page id two values": lambda d: d["first"].update(id=["urn:a:1", "urn:a:2"]),
    "annotation without id": lambda d: _one(d).pop("id"),
    "annotation id not an IRI": lambda d: _one(d).update(id="0f8e 12"),
    "annotation type": lambda d: _one(d).update(type="Note"),
    "annotation without target": lambda d: _one(d).pop("target"),
    "annotation empty target list": lambda d: _one(d).update(target=[]),
    "body and bodyValue": lambda d: _one(d).update(bodyValue="x"),
    "textual body without value": lambda d: _one(d)["body"][0].pop("value"),
    "textual body two values": lambda d: _one(d)["body"][0].update(value=["a", "b"]),
    "unknown motivation word": lambda d: _one(d).update(motivation="shouting"),
    "created not a dateTime": lambda d: _one(d).update(created="1 March 2024"),
    "modified not a dateTime": lambda d: _one(d).update(modified="2024-03-01"),
    "specific resource without source": lambda d: _one(d)["target"][0].pop("source"),
    "source not an IRI": lambda d: _one(d)["target"][0].update(source="a file.txt"),
    "quote selector without exact": lambda d: _one(d)["target"][0]["selector"][0].pop("exact"),
    "quote selector two exacts": lambda d: _one(d)["target"][0]["selector"][0].update(exact=["a", "b"]),
    "position selector without start": lambda d: _one(d)["target"][0]["selector"][1].pop("start"),
    "position selector negative end": lambda d: _one(d)["target"][0]["selector"][1].update(end=-3),
    "position selector start as text": lambda d: _one(d)["target"][0]["selector"][1].update(start="4"),
    "creator id not an IRI": lambda d: _one(d).update(creator={"id": "ana", "name": "Ana"}),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_the_schema_fails_each_must_violation(seeded, breakage):
    document = _document(seeded)
    _validator().validate(document)
    breakage(document)
    assert not _validator().is_valid(document)


def test_an_empty_export_is_a_valid_collection_without_pages():
    document = build_collection([])
    _validator().validate(document)
    assert document["total"] == 0 and "first" not in document
    assert read_annotations(document) == ([], [])


# ------------------------------------------------------------- annotations made elsewhere


def _hypothesis_style(source: str, exact: str, prefix: str = "", suffix: str = "", **extra) -> dict:
    selector = [{"type": "RangeSelector", "startContainer": "/p[2]", "endContainer": "/p[2]",
                 "startOffset": 0, "endOffset": 10},
                {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}]
    return {"@context": CONTEXT_IRI, "type": "Annotation", "target": [{"source": source, "selector": selector}],
            "created": "2024-03-02T08:15:27.123456+00:00", "creator": "acct:teacher@hypothes.is", **extra}


def test_quote_only_annotations_named_by_file_name_or_url_are_placed_by_quote(tmp_path, seeds):
    left, right = seed_articles()
    store = Store.open(tmp_path / "db.json")
    store.put_article(left)  # the right-hand article is only in the pack
    documents = [
        _hypothesis_style("000_1aa975c49d58f58c.txt", "demanded a total reversal of existing economic sanctions",
                          prefix="…a longer prefix than presscheck keeps: collapsed because Kim Jong Un ",
                          id="https://hypothes.is/a/one", motivation="commenting",
                          body=[{"type": "TextualBody", "value": "All of them?", "purpose": "commenting"},
                                {"type": "TextualBody", "value": "attributed claim", "purpose": "tagging"}]),
        _hypothesis_style("https://www.example.org/news/001_1c2accc8ffba02b5.txt",
                          "foreign minister Ri Yong Ho claims", id="https://hypothes.is/a/two",
                          body={"type": "TextualBody", "value": "Who is he quoting?"}),
        _hypothesis_style("https://elsewhere.example/story", "words that are in no article at all",
                          prefix="x" * 80, suffix="y" * 80,
                          id="https://hypothes.is/a/three", bodyValue="lost"),
        {"@context": CONTEXT_IRI, "id": "https://hypothes.is/a/four", "type": "Annotation",
         "target": "https://elsewhere.example/story", "bodyValue": "a page note"},
    ]
    path = tmp_path / "hypothesis.jsonld"
    path.write_text(json.dumps(documents))
    (report,) = import_files(store, [path], load_pack_articles(seeds))
    assert (report.added, report.articles_added) == (3, 1)
    # Hypothesis's (its `acct:` creators): a whole-page target is its page note or reply
    assert report.skipped == ["1 page note or reply (annotation 4): on the whole page, with no passage to place"]
    assert report.waiting == {"https://elsewhere.example/story": 1}
    found = {a.note: a for a in store.annotations()}
    claim = found["All of them?"]
    assert claim.kind == "claim" and claim.tags == ("attributed claim",)
    assert claim.author == "teacher" and claim.created == "2024-03-02T08:15:27.123456+00:00"
    assert claim.canonical == "https://hypothes.is/a/one"
    (target,) = claim.targets
    assert target.article_id == left.id and claim.anchor == "exact"
    assert left.text[target.start:target.end] == target.quote.exact
    assert len(target.quote.prefix) == 32  # context filled in from the text
    note = found["Who is he quoting?"]
    assert note.kind == "note" and note.targets[0].article_id == right.id
    assert {a.id for a in store.articles()} == {left.id, right.id}
    lost = found["lost"]
    assert lost.anchor == "orphaned" and lost.targets[0].source == "https://elsewhere.example/story"
    # kept, and exported again as it came: named by its URL, quote only
    again = json.loads(render_export(store, "w3c")[0])
    (item,) = [i for i in again["first"]["items"] if i["id"] == f"urn:uuid:{lost.id}"]
    assert item["target"][0]["source"] == "https://elsewhere.example/story"
    assert [s["type"] for s in item["target"][0]["selector"]] == ["TextQuoteSelector"]
    # the native export of what came in is still valid
    jsonschema.validate(json.loads(render_export(store, "json")[0]), native_schema())
    # a second import changes nothing
    before = store.path.read_bytes()
    (report,) = import_files(store, [path], load_pack_articles(seeds))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert store.path.read_bytes() == before


def test_single_annotations_pages_and_kinds_from_motivation():
    target = {"type": "SpecificResource", "source": "urn:presscheck:article:0123456789abcdef",
              "selector": {"type": "TextQuoteSelector", "exact": "quoted"}}
    single = {"@context": CONTEXT_IRI, "id": "urn:uuid:6a0b6d1c-9d1a-4e4b-8a0f-3c2d1e0f9a8b",
              "type": ["Annotation"], "motivation": "assessing", "target": [target, target]}
    (annotation,), _ = read_annotations(single)
    assert annotation.kind == "contradiction" and annotation.id == "6a0b6d1c-9d1a-4e4b-8a0f-3c2d1e0f9a8b"
    assert annotation.targets[0].article_id == "0123456789abcdef"
    assert (annotation.targets[0].start, annotation.targets[0].end) == (0, 0)  # position unknown
    page = {"@context": CONTEXT_IRI, "id": "urn:x:page", "type": "AnnotationPage",
            "items": [dict(single, motivation="linking", id="urn:x:1"),
                      dict(single, motivation="tagging", target=target, id="urn:x:2",
                           body=[{"type": "TextualBody", "purpose": "tagging", "value": "cause"}])]}
    kinds = [a.kind for a in read_annotations(page)[0]]
    assert kinds == ["link", "claim"]
