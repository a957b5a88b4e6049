"""W3C Web Annotation JSON-LD: presscheck's annotations out (`reader.export.w3c_reading`
reads anyone's in). No UI.

The mapping is DESIGN.md's "W3C mapping": an `AnnotationCollection` whose first page holds
the annotations; the kind travels as a `classifying` body, tags as `tagging` bodies, the
note as a `commenting` body and a link's relation as a `describing` body; each target is a
`SpecificResource` on `urn:presscheck:article:<id>` with a quote and a position selector.
What came from another tool goes back out as it came: its id IRI as `canonical`, the page a
target was made on as the target's `scope`, an exact stamp as given, a note's format.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import cache
from importlib.resources import files
from typing import Any

import orjson

from reader.model import Annotation, Kind, Target

CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_FILE = "anno.jsonld"
"""A kept copy of the anno.jsonld context, so JSON-LD processing needs no network: the
official file (github.com/w3c/web-annotation, jsonld/anno.jsonld at 46de385, byte for byte)
with the one line the model's 2021 erratum added to what w3.org serves, the motivation
`"assessing": "oa:assessing"` after `reviewing` (tests/export/test_w3c_official.py checks
both)."""
SCHEMA_FILE = "w3c-annotation.schema.json"
ARTICLE_URN = "urn:presscheck:article:"
UUID_URN = "urn:uuid:"
MOTIVATION: dict[str, str] = {
    "claim": "tagging",
    "contradiction": "assessing",
    "link": "linking",
    "note": "commenting",
}
KIND_BY_MOTIVATION: dict[str, Kind] = {
    "tagging": "claim",
    "assessing": "contradiction",
    "linking": "link",
    "commenting": "note",
}
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:presscheck")
"""uuid5 namespace for the ids presscheck derives (collections, pages, foreign annotations)."""


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the W3C model's MUSTs for the features presscheck writes."""
    return json.loads(files("reader.export").joinpath(SCHEMA_FILE).read_text("utf-8"))


@cache
def context_document() -> dict[str, Any]:
    """The anno.jsonld context as kept in the repo (for a JSON-LD document loader)."""
    return json.loads(files("reader.export").joinpath(CONTEXT_FILE).read_text("utf-8"))


# ------------------------------------------------------------------------------ writing


EXACT_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])"
)
"""A stamp with a fraction of a second and an offset, as other tools write them (Hypothesis:
`2024-03-05T14:07:21.123456+00:00`): kept as given, and written back as given."""


def w3c_datetime(value: str) -> str | None:
    """`value` as an xsd:dateTime, or None if it isn't one: another tool's exact stamp (with
    a fraction of a second and an offset) as it was given; any other in UTC with "Z" and
    whole seconds (presscheck's own stamps, so its exports stay byte for byte the same)."""
    moment = parse_datetime(value)
    if moment is None:
        return None
    return value if EXACT_STAMP.fullmatch(value) else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str, *, whole_seconds: bool = True) -> datetime | None:
    """An ISO 8601 / xsd:dateTime string as an aware UTC datetime (naive taken as UTC),
    to the second unless `whole_seconds` is False."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.replace(microsecond=0) if whole_seconds else moment


def annotation_iri(annotation_id: str) -> str:
    """`urn:uuid:<id>`; an id that is not a uuid gets a stable uuid5 of itself."""
    try:
        return f"{UUID_URN}{uuid.UUID(annotation_id)}"
    except ValueError:
        return f"{UUID_URN}{uuid.uuid5(NAMESPACE, annotation_id)}"


def article_urn(article_id: str) -> str:
    return f"{ARTICLE_URN}{article_id}"


def _target(target: Target) -> dict[str, Any]:
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": target.quote.exact}
    if target.quote.prefix:
        quote["prefix"] = target.quote.prefix
    if target.quote.suffix:
        quote["suffix"] = target.quote.suffix
    selectors: list[dict[str, Any]] = [quote]
    if target.end > target.start:
        selectors.append(
            {"type": "TextPositionSelector", "start": target.start, "end": target.end}
        )
    resource: dict[str, Any] = {
        "type": "SpecificResource",
        "source": target.source or article_urn(target.article_id),
        "selector": selectors,
    }
    if target.uri and target.uri != resource["source"]:
        resource["scope"] = target.uri  # the page the article's text was annotated in
    return resource


GENERATOR: dict[str, Any] = {
    "id": "urn:presscheck:software",
    "type": "Software",
    "name": "presscheck",
    "nickname": "presscheck",
}
"""What made the annotations (the model's SHOULD on `generator`)."""
VOCABULARY_LANGUAGE = "en"
"""The language of the bodies presscheck words itself: the kind (`claim`, ...)."""


def _body(purpose: str, value: str, language: str = "", format: str = "") -> dict[str, Any]:
    """A text body, plain unless `format` says otherwise; its language only when known
    (presscheck's own words): a tag or a note is in whatever language its author wrote it."""
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": format or "text/plain"}
    if language:
        body["language"] = language
    return body


def creator_agent(author: str) -> dict[str, Any]:
    """The author as a W3C agent: a stable IRI of the name (presscheck knows people by name
    only), the name, and the name again as the nickname the model asks for."""
    return {
        "id": f"{UUID_URN}{uuid.uuid5(NAMESPACE, 'author:' + author)}",
        "type": "Person",
        "name": author,
        "nickname": author,
    }


def build_annotation(annotation: Annotation) -> dict[str, Any]:
    """One annotation as a W3C `Annotation` (without `@context`: the page carries it)."""
    document: dict[str, Any] = {
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": MOTIVATION[annotation.kind],
        "generator": GENERATOR,
    }
    if annotation.canonical:
        document["canonical"] = annotation.canonical
    if annotation.author:
        document["creator"] = creator_agent(annotation.author)
    for key, value in (("created", annotation.created), ("modified", annotation.modified)):
        stamp = w3c_datetime(value)
        if stamp:
            document[key] = stamp
    bodies = [_body("classifying", annotation.kind, VOCABULARY_LANGUAGE)]
    bodies += [_body("tagging", tag) for tag in annotation.tags]
    if annotation.relation:
        bodies.append(_body("describing", annotation.relation))
    if annotation.note:
        bodies.append(_body("commenting", annotation.note, format=annotation.note_format))
    document["body"] = bodies
    document["target"] = [_target(t) for t in annotation.targets]
    return document


def build_collection(annotations: Iterable[Annotation], author: str = "") -> dict[str, Any]:
    """The W3C document for `annotations`: an AnnotationCollection with one embedded page.

    Its ids are uuid5s of the annotation ids, so the same annotations give the same bytes.
    """
    annotations = list(annotations)
    key = "\n".join(a.id for a in annotations)
    collection_id = f"{UUID_URN}{uuid.uuid5(NAMESPACE, 'collection:' + key)}"
    document: dict[str, Any] = {
        "@context": CONTEXT_IRI,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"presscheck annotations by {author}" if author else "presscheck annotations",
        "total": len(annotations),
    }
    if annotations:
        document["first"] = {
            "id": f"{UUID_URN}{uuid.uuid5(NAMESPACE, 'page:' + key)}",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": [build_annotation(a) for a in annotations],
        }
    return document


def dumps(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
