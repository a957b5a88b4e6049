"""W3C Web Annotation JSON-LD in: anyone's annotations as presscheck's, by DESIGN.md's "W3C
mapping". No UI.

What another tool said is kept: its id IRI as `canonical` (presscheck's id is derived from
it), the page a target was made on as the target's `uri` (from its `source`, or the
`scope` presscheck writes), stamps with a fraction of a second exactly as given, and a
note's `format`. What presscheck cannot show (a whole document, no quote) is skipped with
a reason, never silently.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

import orjson

from reader.anchoring import CONTEXT
from reader.export.w3c import (
    ARTICLE_URN,
    CONTEXT_IRI,
    EXACT_STAMP,
    KIND_BY_MOTIVATION,
    NAMESPACE,
    UUID_URN,
    parse_datetime,
)
from reader.ingest.urls import is_url
from reader.model import (
    KINDS,
    NOTE_FORMAT,
    TARGET_COUNT,
    Annotation,
    Kind,
    Target,
    TextPositionSelector,
    TextQuoteSelector,
    now_iso,
)

MAX_PAGES = 10_000
_ARTICLE_URN = re.compile(f"^{re.escape(ARTICLE_URN)}([0-9a-f]{{16}})$")
WHOLE_DOCUMENT = "it targets a whole document, with no quote to anchor"
HYPOTHESIS_AUTHORITY = "hypothes.is"


class W3CFormatError(ValueError):
    """The document is JSON but not W3C Web Annotation that presscheck can read."""


class Unrepresentable(Exception):
    """A valid annotation that presscheck has no way to show (no quote to anchor)."""


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
            annotation = read_annotation(item)
        except Unrepresentable as reason:
            skipped.append(f"annotation {number}: {reason}")
            continue
        except W3CFormatError as error:
            raise W3CFormatError(f"annotation {number}: {error}") from None
        annotations.append(annotation)
    return annotations, skipped


def _string(node: dict[str, Any], key: str, what: str) -> str:
    value = node.get(key, "")
    if not isinstance(value, str):
        raise W3CFormatError(f"{what} {key} is not a string")
    return value


def read_annotation(item: Any) -> Annotation:
    """One W3C annotation as presscheck's; a W3CFormatError when it is not one, Unrepresentable
    when it is one presscheck cannot show."""
    if not isinstance(item, dict) or not _has_type(item, "Annotation"):
        raise W3CFormatError("not an object of type Annotation")
    raw_targets = _as_list(item.get("target"))
    if not raw_targets:
        raise W3CFormatError("has no target")
    targets = tuple(_read_target(t) for t in raw_targets)

    kind: Kind | None = None
    tags: list[str] = []
    notes: list[str] = []
    note_format = ""
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
            if not notes:
                note_format = _note_format(body.get("format"))
            notes.append(value)
    kind = _kind(item, kind, len(targets), bool(tags), bool(notes))

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
        canonical=_canonical(item),
        note_format=note_format,
    )


def _kind(item: dict[str, Any], classified: Kind | None, targets: int, tagged: bool, commented: bool) -> Kind:
    """The kind: as classified, else by the motivation, else by what the annotation holds
    (DESIGN.md's mapping). Two targets make a link unless it says contradiction; one makes
    a claim when it is tagged or says nothing (a highlight), and a note when it only
    comments; a comment with tags and no classification is a tagged claim with its note
    (Hypothesis writes no motivation, and tags a claim it comments on)."""
    if targets > 2:
        raise W3CFormatError(f"has {targets} targets; presscheck reads one or two")
    kind = classified
    if kind is None:
        for motivation in _as_list(item.get("motivation")):
            if motivation in KIND_BY_MOTIVATION:
                kind = KIND_BY_MOTIVATION[motivation]
                break
    if kind is None or TARGET_COUNT[kind] != targets:
        if classified is not None:
            raise W3CFormatError(f"is classified {kind} but has {targets} target(s)")
        if targets == 2:
            return kind if kind in ("contradiction", "link") else "link"
        if kind in ("claim", "note"):
            return kind
        return "claim" if tagged or not commented else "note"
    if kind == "note" and tagged and classified is None:
        return "claim"
    return kind


def _note_format(value: Any) -> str:
    """A note body's media type as kept with the note: "" for plain text or none given."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not NOTE_FORMAT.fullmatch(value) or value == "text/plain":
        return ""
    return value


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


def _canonical(item: dict[str, Any]) -> str:
    """The IRI another tool knows the annotation by: its `canonical`, else its own id when
    that is not presscheck's kind (`urn:uuid:`), e.g. `https://hypothes.is/a/<id>`."""
    canonical = item.get("canonical")
    if canonical is not None:
        if not isinstance(canonical, str) or not canonical.strip():
            raise W3CFormatError("its canonical is not an IRI")
        return canonical
    value = item.get("id", item.get("@id"))
    if isinstance(value, str) and not value.lower().startswith(UUID_URN):
        return value
    return ""


def _datetime(item: dict[str, Any], key: str) -> str | None:
    """The stamp as presscheck keeps it: another tool's exact one (a fraction of a second,
    an offset) as given, any other in UTC to the second, as it always was."""
    value = item.get(key)
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise W3CFormatError(f"{key} is not an xsd:dateTime")
    return value if EXACT_STAMP.fullmatch(value) else moment.isoformat(timespec="seconds")


def account_name(value: str) -> str:
    """The name in an `acct:` IRI (Hypothesis's user ids): `acct:ana@hypothes.is` → `ana`,
    `acct:ana@lms.example` → `ana@lms.example`; anything else as it is."""
    if not value.lower().startswith("acct:"):
        return value
    name = value[len("acct:") :]
    user, at, authority = name.rpartition("@")
    return user if at and user and authority.lower() == HYPOTHESIS_AUTHORITY else name


def _creator(value: Any) -> str:
    for creator in _as_list(value):
        if isinstance(creator, str):
            return account_name(creator)
        if isinstance(creator, dict):
            for key in ("name", "nickname", "id"):
                name = creator.get(key)
                if isinstance(name, list) and name:
                    name = name[0]
                if isinstance(name, str) and name:
                    return account_name(name)
    return ""


def _read_target(raw: Any) -> Target:
    if isinstance(raw, str):
        raise Unrepresentable(WHOLE_DOCUMENT)
    if not isinstance(raw, dict):
        raise W3CFormatError("a target is neither an IRI nor an object")
    source = raw.get("source")
    if isinstance(source, dict):
        source = source.get("id", source.get("@id"))
    if source is None:
        if "selector" in raw:
            raise W3CFormatError("a SpecificResource target has no source")
        raise Unrepresentable(WHOLE_DOCUMENT)
    if not isinstance(source, str) or not source.strip():
        raise W3CFormatError("a target's source is not an IRI or a name")
    scope = raw.get("scope", "")
    if not isinstance(scope, str):
        raise W3CFormatError("a target's scope is not an IRI")
    selectors = raw.get("selector")
    if selectors is None:
        raise Unrepresentable(WHOLE_DOCUMENT)  # a page note: the page, no passage of it
    quote: TextQuoteSelector | None = None
    position: TextPositionSelector | None = None
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
        raise Unrepresentable("a target has no TextQuoteSelector to anchor by")
    if position is None or position.end <= position.start or is_url(source):
        # unknown, or counted in a web page as a browser showed it (Hypothesis's), never
        # in presscheck's text of the article: placed by the quote alone
        position = TextPositionSelector(0, 0)
    urn = _ARTICLE_URN.match(source)
    if urn:
        return Target(urn.group(1), position, quote, uri=scope.strip())
    return Target(standin_article_id(source), position, quote, source, scope.strip())
