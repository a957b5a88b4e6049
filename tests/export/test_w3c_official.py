"""The W3C export against the official Web Annotation test assertions, and the kept context
against the official context document.

`tests/data/web-annotation-tests/` is w3c/web-annotation-tests at adedd9a (its
`annotations/` assertions, `definitions/` and `license.md`: the W3C test suite licence).
Each assertion is a draft-04 JSON Schema with an `assertionType` (must, should, may) that
an annotation is expected to satisfy. The W3C harness runs them one annotation at a time;
so does this test, on every annotation of an export holding all four kinds, with and
without tags, notes, relations and authors.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from export_fixtures import fill
from reader.export import render_export
from reader.export.w3c import CONTEXT_FILE, CONTEXT_IRI
from reader.model import Annotation, Target, TextPositionSelector, TextQuoteSelector
from reader.store import Store

SUITE = Path(__file__).parent.parent / "data" / "web-annotation-tests"
OFFICIAL_CONTEXT_SHA256 = "48c6e5e80f86bb1bf812233d13e70fab8b19516ac4e57e1e4576473f0bbd062e"
"""sha256 of jsonld/anno.jsonld in github.com/w3c/web-annotation at 46de385."""
ERRATUM_LINE = '    "assessing":     "oa:assessing",\n'

SHOULDS = {
    # the ones the issue names, and every other SHOULD about what presscheck writes
    "annotations/3.1-bodyKeyFound.json",
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationSingleCreatorImplemented.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentIdImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentTypeImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentNicknameImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentSingleNameImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentIdImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentTypeImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentNicknameImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentSingleNameImplemented.json",
    "annotations/bodiesTargets/3.2.1-bodySingleFormat.json",
    "annotations/bodiesTargets/3.2.1-bodySingleLanguage.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/3.3.1-singleAnnotationCreatorImplemented.json",
    # a quote's context: none to give for a quote at the very start or end of an article
    # (the fixture's authorless claim), so checked on the others
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
}
SHOULDS_THAT_DO_NOT_APPLY = {
    # bodies and targets carry no creator or dates of their own: the annotation's are theirs
    "annotations/bodiesTargets/3.3.1-bodyCreated.json",
    "annotations/bodiesTargets/3.3.1-bodySingleCreator.json",
    "annotations/bodiesTargets/3.3.1-targCreated.json",
    "annotations/bodiesTargets/3.3.1-targSingleCreator.json",
    "annotations/bodiesTargets/3.3.2-bodyCreatorAgentIdImplemented.json",
    "annotations/bodiesTargets/3.3.2-bodyCreatorAgentNicknameImplemented.json",
    "annotations/bodiesTargets/3.3.2-bodyCreatorAgentSingleNameImplemented.json",
    "annotations/bodiesTargets/3.3.2-bodyCreatorAgentTypeImplemented.json",
    "annotations/bodiesTargets/3.3.2-targCreatorAgentIdImplemented.json",
    "annotations/bodiesTargets/3.3.2-targCreatorAgentNicknameImplemented.json",
    "annotations/bodiesTargets/3.3.2-targCreatorAgentSingleNameImplemented.json",
    "annotations/bodiesTargets/3.3.2-targCreatorAgentTypeImplemented.json",
    # targets are SpecificResources on an article; its format and language are the source's
    "annotations/bodiesTargets/3.2.1-targSingleFormat.json",
    "annotations/bodiesTargets/3.2.1-targSingleLanguage.json",
    # presscheck writes no FragmentSelector (conformsTo is its SHOULD)
    "annotations/specificResource/4.2.1-conformsTo.json",
}


@cache
def _assertions() -> dict[str, dict]:
    return {
        path.relative_to(SUITE).as_posix(): json.loads(path.read_text("utf-8"))
        for path in sorted((SUITE / "annotations").rglob("*.json"))
    }


@cache
def _registry() -> Registry:
    resources = []
    for path in list((SUITE / "definitions").glob("*.json")) + list((SUITE / "annotations").rglob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        resources.append((document["id"], Resource.from_contents(document, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def _holds(assertion: str, annotation: dict) -> bool:
    validator = jsonschema.Draft4Validator(_assertions()[assertion], registry=_registry())
    return validator.is_valid(annotation)


def _listed(test_file: str) -> list[str]:
    return json.loads((SUITE / "annotations" / test_file).read_text("utf-8"))["assertions"]


def _of_type(assertion_type: str) -> set[str]:
    return {name for name, schema in _assertions().items() if schema["assertionType"] == assertion_type}


@pytest.fixture
def exported(tmp_path: Path) -> list[dict]:
    """Every annotation of an export, each standing alone with its @context (as the W3C
    harness is given them): the seed exercise's four kinds, and a claim with no tag, note or
    author at the very start of an article."""
    store = Store.open(tmp_path / "db.json")
    articles, _ = fill(store)
    article = articles[0]
    bare = article.text[:20]
    store.put_annotation(Annotation(
        kind="claim", author="",
        targets=(Target(article.id, TextPositionSelector(0, 20), TextQuoteSelector(bare, "", article.text[20:52])),),
    ))
    document = json.loads(render_export(store, "w3c")[0])
    items = [{"@context": CONTEXT_IRI, **item} for item in document["first"]["items"]]
    assert {item["motivation"] for item in items} == {"tagging", "assessing", "linking", "commenting"}
    return items


def test_every_must_holds_for_every_annotation(exported):
    musts = _listed("annotationMusts.test")
    assert set(musts) == _of_type("must") and len(musts) == 54
    failures = [(item["id"], name) for item in exported for name in musts if not _holds(name, item)]
    assert failures == []


def test_the_shoulds_hold_for_every_annotation_with_an_author_and_context(exported):
    authored = [item for item in exported if "creator" in item]
    assert len(authored) == len(exported) - 1
    failures = [(item["id"], name) for item in authored for name in sorted(SHOULDS) if not _holds(name, item)]
    assert failures == []


def test_every_should_is_either_met_or_said_not_to_apply():
    assert SHOULDS | SHOULDS_THAT_DO_NOT_APPLY == _of_type("should")
    assert not SHOULDS & SHOULDS_THAT_DO_NOT_APPLY


def test_the_assertions_can_fail():
    """The harness is not vacuous: an annotation without the SHOULDs fails them, and one
    with both body and bodyValue fails a MUST."""
    bare = {
        "@context": CONTEXT_IRI, "id": "urn:uuid:00000000-0000-4000-8000-000000000009",
        "type": "Annotation", "creator": {"type": "Person", "name": "A"},
        "body": [{"type": "TextualBody", "value": "x"}], "target": "http://example.org/",
    }
    assert not any(_holds(name, bare) for name in (
        "annotations/3.3.2-annotationGeneratorAgentIdImplemented.json",
        "annotations/3.3.2-annotationCreatorAgentNicknameImplemented.json",
        "annotations/bodiesTargets/3.2.1-bodySingleFormat.json",
        "annotations/bodiesTargets/3.2.1-bodySingleLanguage.json",
    ))
    assert not _holds("annotations/3.2.5-notBodyBodyValue.json", {**bare, "bodyValue": "y"})
    assert not _holds("annotations/3.1-annotationContextValidated.json", {**bare, "@context": "x"})


def test_the_kept_context_is_the_official_file_plus_the_erratum_term():
    import hashlib
    from importlib.resources import files

    kept = files("reader.export").joinpath(CONTEXT_FILE).read_text("utf-8")
    assert kept.count(ERRATUM_LINE) == 1
    assert kept.index(ERRATUM_LINE) == kept.index('"reviewing":') - 4 + len('    "reviewing":     "oa:reviewing",\n')
    official = kept.replace(ERRATUM_LINE, "")
    assert hashlib.sha256(official.encode("utf-8")).hexdigest() == OFFICIAL_CONTEXT_SHA256
    terms = json.loads(kept)["@context"]
    assert terms["reviewing"] == "oa:reviewing" and terms["assessing"] == "oa:assessing"
