"""W3C Web Annotation JSON-LD: presscheck's annotations out, anyone's annotations in. No UI.

The mapping is DESIGN.md's "W3C mapping": an `AnnotationCollection` whose first page holds
the annotations; the kind travels as a `classifying` body, tags as `tagging` bodies, the
note as a `commenting` body and a link's relation as a `describing` body; each target is a
`SpecificResource` on `urn:presscheck:article:<id>` with a quote and a position selector.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import cache
from importlib.resources import files
from typing import Any

import orjson

from reader.anchoring import CONTEXT
from reader.model import (
    KINDS,
    TARGET_COUNT,
    Annotation,
    Kind,
    Target,
    TextPositionSelector,
    TextQuoteSelector,
    now_iso,
)

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
MAX_PAGES = 10_000
_ARTICLE_URN = re.compile(f"^{re.escape(ARTICLE_URN)}([0-9a-f]{{16}})$")


class W3CFormatError(ValueError):
    """The document is JSON but not W3C Web Annotation that presscheck can read."""


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the W3C model's MUSTs for the features presscheck writes."""
    return json.loads(files("reader.export").joinpath(SCHEMA_FILE).read_text("utf-8"))


@cache
def context_document() -> dict[str, Any]:
    """The anno.jsonld context as kept in the repo (for a JSON-LD document loader)."""
    return json.loads(files("reader.export").joinpath(CONTEXT_FILE).read_text("utf-8"))


# ------------------------------------------------------------------------------ writing


def w3c_datetime(value: str) -> str | None:
    """`value` as an xsd:dateTime in UTC with "Z" and whole seconds, or None if it isn't one."""
    moment = parse_datetime(value)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 / xsd:dateTime string as an aware UTC datetime (naive taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0)


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
    return {
        "type": "SpecificResource",
        "source": target.source or article_urn(target.article_id),
        "selector": selectors,
    }


GENERATOR: dict[str, Any] = {
    "id": "urn:presscheck:software",
    "type": "Software",
    "name": "presscheck",
    "nickname": "presscheck",
}
"""What made the annotations (the model's SHOULD on `generator`)."""
VOCABULARY_LANGUAGE = "en"
"""The language of the bodies presscheck words itself: the kind (`claim`, ...)."""


def _body(purpose: str, value: str, language: str = "") -> dict[str, Any]:
    """A plain-text body; its language only when known (presscheck's own words): a tag or
    a note is in whatever language its author wrote it."""
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}
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
        bodies.append(_body("commenting", annotation.note))
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


# ------------------------------------------------------------------------------ reading


def is_w3c(data: Any) -> bool:
    """True when `data` looks like W3C Web Annotation (so errors should speak of it)."""
    if isinstance(data, list):
        return bool(data) and all(isinstance(item, dict) and _has_type(item, "Annotation") for item in data)
    if not isinstance(data, dict):
        return False
    context = data.get("@context")
    if context == CONTEXT_IRI or (isinstance(context, list) and CONTEXT_IRI in context):
        return True
    return any(_has_type(data, t) for t in ("Annotation", "AnnotationCollection", "AnnotationPage"))


def standin_article_id(source: str) -> str:
    """The article id kept for a target another tool named by `source` until it is placed."""
    return hashlib.sha256(f"presscheck:unplaced:{source}".encode()).hexdigest()[:16]


def _has_type(node: dict[str, Any], name: str) -> bool:
    kind = node.get("type", node.get("@type"))
    return kind == name or (isinstance(kind, list) and name in kind)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _annotation_items(data: Any) -> list[Any]:
    """The annotations of a collection, page, list or single annotation."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise W3CFormatError("neither an annotation, a list of them, nor a collection")
    context = data.get("@context")
    if not (context == CONTEXT_IRI or (isinstance(context, list) and CONTEXT_IRI in context)):
        raise W3CFormatError(f"its @context is not {CONTEXT_IRI}")
    if _has_type(data, "Annotation"):
        return [data]
    if _has_type(data, "AnnotationPage"):
        page: Any = data
    elif _has_type(data, "AnnotationCollection"):
        page = data.get("first")
        if page is None:
            return []
    else:
        raise W3CFormatError("its type is not Annotation, AnnotationPage or AnnotationCollection")
    items: list[Any] = []
    for _ in range(MAX_PAGES):
        if isinstance(page, str):
            raise W3CFormatError(
                f"its page {page} is only referred to; save the collection with its pages embedded"
            )
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise W3CFormatError("an AnnotationPage without an items list")
        items.extend(page["items"])
        page = page.get("next")
        if page is None:
            return items
    raise W3CFormatError(f"more than {MAX_PAGES} pages")


def read_annotations(data: Any) -> tuple[list[Annotation], list[str]]:
    """Annotations from a W3C document, and why any were skipped.

    Targets that name their article by `urn:presscheck:article:<id>` keep that id; others
    (a file name, a URL) get a stand-in id and keep the name in `Target.source`, for the
    importer to place by quote. A quote-only target has the position 0:0.
    """
    annotations: list[Annotation] = []
    skipped: list[str] = []
    for number, item in enumerate(_annotation_items(data), start=1):
        try:
            annotation = _read_annotation(item)
        except _Unrepresentable as reason:
            skipped.append(f"annotation {number}: {reason}")
            continue
        except W3CFormatError as error:
            raise W3CFormatError(f"annotation {number}: {error}") from None
        annotations.append(annotation)
    return annotations, skipped


class _Unrepresentable(Exception):
    """A valid annotation that presscheck has no way to show (no quote to anchor)."""


def _string(node: dict[str, Any], key: str, what: str) -> str:
    value = node.get(key, "")
    if not isinstance(value, str):
        raise W3CFormatError(f"{what} {key} is not a string")
    return value


def _read_annotation(item: Any) -> Annotation:
    if not isinstance(item, dict) or not _has_type(item, "Annotation"):
        raise W3CFormatError("not an object of type Annotation")
    raw_targets = _as_list(item.get("target"))
    if not raw_targets:
        raise W3CFormatError("has no target")
    targets = tuple(_read_target(t) for t in raw_targets)

    kind: Kind | None = None
    tags: list[str] = []
    notes: list[str] = []
    relation = ""
    body_value = item.get("bodyValue")
    if body_value is not None:
        if not isinstance(body_value, str):
            raise W3CFormatError("bodyValue is not a string")
        notes.append(body_value)
    for body in _as_list(item.get("body")):
        if isinstance(body, str):
            continue  # a body that is only an IRI: nothing presscheck can show
        if not isinstance(body, dict):
            raise W3CFormatError("a body is neither an IRI nor an object")
        if "value" not in body and not _has_type(body, "TextualBody"):
            continue
        value = body.get("value")
        if not isinstance(value, str):
            raise W3CFormatError("a TextualBody's value is not a string")
        purposes = _as_list(body.get("purpose"))
        if "classifying" in purposes and value in KINDS and kind is None:
            kind = value  # type: ignore[assignment]
        elif "tagging" in purposes:
            tags.append(value)
        elif "describing" in purposes and not relation:
            relation = value
        elif value:
            notes.append(value)
    classified = kind is not None
    if kind is None:
        for motivation in _as_list(item.get("motivation")):
            if motivation in KIND_BY_MOTIVATION:
                kind = KIND_BY_MOTIVATION[motivation]
                break
    if len(targets) > 2:
        raise W3CFormatError(f"has {len(targets)} targets; presscheck reads one or two")
    if kind is None or TARGET_COUNT[kind] != len(targets):
        if classified:
            raise W3CFormatError(f"is classified {kind} but has {len(targets)} target(s)")
        if len(targets) == 2:
            kind = kind if kind in ("contradiction", "link") else "link"
        else:
            kind = kind if kind in ("claim", "note") else ("claim" if tags else "note")
    elif kind == "note" and tags and not classified:
        kind = "claim"  # a comment with tags, as Hypothesis writes them: a tagged claim

    created = _datetime(item, "created") or now_iso()
    modified = _datetime(item, "modified") or created
    return Annotation(
        kind=kind,
        targets=targets,
        author=_creator(item.get("creator")),
        id=_annotation_id(item),
        tags=tuple(tags),
        relation=relation,
        note="\n\n".join(notes),
        created=created,
        modified=modified,
    )


def _annotation_id(item: dict[str, Any]) -> str:
    value = item.get("id", item.get("@id"))
    if value is None:
        # no id at all: derive one from the content, so importing twice changes nothing
        blob = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        return str(uuid.uuid5(NAMESPACE, "content:" + hashlib.sha256(blob).hexdigest()))
    if not isinstance(value, str) or not value:
        raise W3CFormatError("its id is not an IRI")
    if value.lower().startswith(UUID_URN):
        try:
            return str(uuid.UUID(value[len(UUID_URN) :]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, value))


def _datetime(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise W3CFormatError(f"{key} is not an xsd:dateTime")
    return moment.isoformat(timespec="seconds")


def _creator(value: Any) -> str:
    for creator in _as_list(value):
        if isinstance(creator, str):
            return creator
        if isinstance(creator, dict):
            for key in ("name", "nickname", "id"):
                name = creator.get(key)
                if isinstance(name, list) and name:
                    name = name[0]
                if isinstance(name, str) and name:
                    return name
    return ""


def _read_target(raw: Any) -> Target:
    if isinstance(raw, str):
        raise _Unrepresentable("it targets a whole document, with no quote to anchor")
    if not isinstance(raw, dict):
        raise W3CFormatError("a target is neither an IRI nor an object")
    source = raw.get("source")
    if isinstance(source, dict):
        source = source.get("id", source.get("@id"))
    if source is None:
        if "selector" in raw:
            raise W3CFormatError("a SpecificResource target has no source")
        raise _Unrepresentable("it targets a whole document, with no quote to anchor")
    if not isinstance(source, str) or not source.strip():
        raise W3CFormatError("a target's source is not an IRI or a name")
    quote: TextQuoteSelector | None = None
    position: TextPositionSelector | None = None
    selectors = raw.get("selector")
    for selector in _as_list(selectors):
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector" and quote is None:
            exact = _string(selector, "exact", "a TextQuoteSelector's")
            if not exact:
                raise W3CFormatError("a TextQuoteSelector has no exact text")
            quote = TextQuoteSelector(  # as much context as presscheck keeps, nearest first
                exact,
                _string(selector, "prefix", "a TextQuoteSelector's")[-CONTEXT:],
                _string(selector, "suffix", "a TextQuoteSelector's")[:CONTEXT],
            )
        elif kind == "TextPositionSelector" and position is None:
            start, end = selector.get("start"), selector.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end)):
                raise W3CFormatError("a TextPositionSelector's start and end are not whole numbers ≥ 0")
            position = TextPositionSelector(start, end)
    if quote is None:
        raise _Unrepresentable("a target has no TextQuoteSelector to anchor by")
    if position is None or position.end <= position.start:
        position = TextPositionSelector(0, 0)  # unknown: placed by the quote alone
    urn = _ARTICLE_URN.match(source)
    if urn:
        return Target(urn.group(1), position, quote)
    return Target(standin_article_id(source), position, quote, source)
