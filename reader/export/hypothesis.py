"""Hypothesis (hypothes.is and other `h` servers): its API JSON read in, and how its
annotations become presscheck's kinds. No UI.

The API's shapes (an `/api/search` result `{"total": n, "rows": [...]}`, one annotation from
`/api/annotations/<id>`, a list of them) are turned into what h's own JSON-LD presenter
writes (`h/presenters/annotation_jsonld.py`), so the API and the JSON-LD take one road in,
`reader.export.w3c_reading`, and the same annotation read from either gets the same id. On
that road the display name stands in for the `acct:` user id when the API gives one.

Kinds (Hypothesis has none): a tagged annotation is a claim, its comment kept as the
claim's note; one with a comment and no tags is a note; a highlight (no tags, no comment)
is a claim without tags. Replies and page notes have no passage of their own and are
skipped, counted with their reason, and so is an annotation moderators hid (the API gives
it out without its text and tags, and it would pass for a highlight).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from reader.export import w3c_reading
from reader.export.w3c import CONTEXT_IRI
from reader.model import Annotation

DEFAULT_SERVER = "https://hypothes.is"
_API_LINK = re.compile(r"(https?://[^/\s]+)/api/annotations/([^/\s]+)")
_ANNOTATION_IRI = re.compile(r"https?://[^/\s]+/a/[A-Za-z0-9_-]+")
REPLY = "presscheck keeps no replies; the annotations they answer are imported"
PAGE_NOTE = "on the whole page, with no passage to place"
HIDDEN = "hidden by the group's moderators: Hypothesis gave out neither its text nor its tags"
JSONLD_WHOLE_PAGE = "a page note or a reply: on the whole page, with no passage to place"
MAX_NUMBERS = 10
"""Annotation numbers listed for one reason; the rest are counted."""


class HypothesisFormatError(ValueError):
    """The document looks like Hypothesis API JSON but is not one presscheck can read."""


def _looks_like_api_annotation(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "@context" not in item
        and "type" not in item
        and all(key in item for key in ("uri", "target", "user"))
    )


def is_api(data: Any) -> bool:
    """True for Hypothesis API JSON: a search result, one annotation or a list of them."""
    if isinstance(data, dict) and "rows" in data and "total" in data and "@context" not in data:
        return True
    if isinstance(data, list):
        return bool(data) and all(_looks_like_api_annotation(item) for item in data)
    return _looks_like_api_annotation(data)


def is_jsonld(data: Any) -> bool:
    """True when a W3C document's annotations are ones Hypothesis wrote: its user ids as
    the creator (`acct:...`), or its annotation IRIs (`https://hypothes.is/a/<id>`)."""
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        creator, id_ = item.get("creator"), item.get("id")
        if isinstance(creator, str) and creator.lower().startswith("acct:"):
            return True
        if isinstance(id_, str) and _ANNOTATION_IRI.fullmatch(id_):
            return True
    return False


def _rows(data: Any) -> list[Any]:
    """The annotations of an API document, the replies a search separated last."""
    if isinstance(data, list):
        return data
    if "rows" in data:
        rows, replies = data["rows"], data.get("replies", [])
        if not isinstance(rows, list) or not isinstance(replies, list):
            raise HypothesisFormatError("its rows (or replies) are not a list")
        return rows + replies
    return [data]


def annotation_iri(row: dict[str, Any]) -> str:
    """The IRI h gives the annotation in JSON-LD (`https://<server>/a/<id>`): its `html`
    link, else one made from its `json` link's server, else on hypothes.is."""
    links = row.get("links")
    links = links if isinstance(links, dict) else {}
    html = links.get("html")
    if isinstance(html, str) and _ANNOTATION_IRI.fullmatch(html):
        return html
    api = links.get("json")
    found = _API_LINK.fullmatch(api) if isinstance(api, str) else None
    server = found.group(1) if found else DEFAULT_SERVER
    return f"{server}/a/{row['id']}"


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise HypothesisFormatError(f"its {key} is not text")
    return value


def _creator(row: dict[str, Any]) -> Any:
    """The author: the display name when the API gives one, else the user id (`acct:...`),
    which the W3C reader shortens to the user name."""
    user = _text(row, "user")
    info = row.get("user_info")
    name = info.get("display_name") if isinstance(info, dict) else None
    if isinstance(name, str) and name.strip():
        return {"id": user, "type": "Person", "name": name} if user else {"type": "Person", "name": name}
    return user or None


def as_jsonld(row: dict[str, Any]) -> dict[str, Any]:
    """One API annotation as h's JSON-LD presenter writes it (the display name as well)."""
    id_ = row.get("id")
    if not isinstance(id_, str) or not id_.strip():
        raise HypothesisFormatError("its id is not text")
    tags = row.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise HypothesisFormatError("its tags are not a list of texts")
    targets = row.get("target")
    if not isinstance(targets, list) or not all(isinstance(t, dict) for t in targets):
        raise HypothesisFormatError("its target is not a list of objects")
    uri = _text(row, "uri")
    text = _text(row, "text")
    bodies: list[dict[str, Any]] = []
    if text:
        bodies.append({"type": "TextualBody", "value": text, "format": "text/markdown"})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    document: dict[str, Any] = {"@context": CONTEXT_IRI, "type": "Annotation", "id": annotation_iri(row)}
    for key, name in (("created", "created"), ("modified", "updated")):
        stamp = _text(row, name)
        if stamp:
            document[key] = stamp
    creator = _creator(row)
    if creator is not None:
        document["creator"] = creator
    document["body"] = bodies
    document["target"] = [{**target, "source": target.get("source") or uri} for target in targets]
    return document


def _is_page_note(row: dict[str, Any]) -> bool:
    targets = row.get("target")
    return isinstance(targets, list) and all(isinstance(t, dict) and not t.get("selector") for t in targets)


def read_api(data: Any) -> tuple[list[Annotation], list[str]]:
    """The annotations of Hypothesis API JSON, and the skipped ones counted by reason."""
    annotations: list[Annotation] = []
    skipped: list[tuple[int, str]] = []
    for number, row in enumerate(_rows(data), start=1):
        if not isinstance(row, dict):
            raise HypothesisFormatError(f"annotation {number} is not an object")
        references = row.get("references")
        if isinstance(references, list) and references:
            skipped.append((number, REPLY))
            continue
        if _is_page_note(row):
            skipped.append((number, PAGE_NOTE))
            continue
        if row.get("hidden") is True and not row.get("text") and not row.get("tags"):
            skipped.append((number, HIDDEN))  # kept, it would pass for a bare highlight
            continue
        try:
            annotations.append(w3c_reading.read_annotation(as_jsonld(row)))
        except w3c_reading.Unrepresentable as reason:
            skipped.append((number, str(reason)))
        except (HypothesisFormatError, w3c_reading.W3CFormatError) as error:
            raise HypothesisFormatError(f"annotation {number}: {error}") from None
    return annotations, grouped(skipped)


def read_jsonld_skips(skipped: Iterable[str]) -> list[str]:
    """The W3C reader's skipped lines for a Hypothesis JSON-LD file, counted by reason, a
    whole-document target named for what it is there (a page note, or a reply: h's
    JSON-LD carries no `references` to tell them apart)."""
    skipped = list(skipped)
    found: list[tuple[int, str]] = []
    for line in skipped:
        head, _, reason = line.partition(": ")
        number = head.removeprefix("annotation ")
        if not number.isdigit():
            return skipped  # not the reader's wording: leave it as it is
        found.append((int(number), JSONLD_WHOLE_PAGE if reason == w3c_reading.WHOLE_DOCUMENT else reason))
    return grouped(found)


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_NUMBERS])
    more = len(numbers) - MAX_NUMBERS
    return f"{shown} and {more} more" if more > 0 else shown


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def grouped(skipped: list[tuple[int, str]]) -> list[str]:
    """Skipped annotations as one line per reason: how many, which, and why."""
    by_reason: dict[str, list[int]] = {}
    for number, reason in skipped:
        by_reason.setdefault(reason, []).append(number)
    lines = []
    for reason, numbers in by_reason.items():
        which = f"annotation{'s' if len(numbers) > 1 else ''} {_numbers(numbers)}"
        count = len(numbers)
        if reason == REPLY:
            lines.append(f"{_plural(count, 'reply', 'replies')} ({which}): {reason}")
        elif reason == PAGE_NOTE:
            lines.append(f"{_plural(count, 'page note', 'page notes')} ({which}): {reason}")
        elif reason == JSONLD_WHOLE_PAGE:
            what = _plural(count, "page note or reply", "page notes or replies")
            lines.append(f"{what} ({which}): {PAGE_NOTE}")
        else:
            lines.append(f"{which}: {reason}")
    return lines


def kind_summary(annotations: Iterable[Annotation]) -> str:
    """How the file's annotations became presscheck's kinds, for the import's report."""
    tagged = highlights = notes = other = 0
    for annotation in annotations:
        if annotation.kind == "claim" and annotation.tags:
            tagged += 1
        elif annotation.kind == "claim":
            highlights += 1
        elif annotation.kind == "note":
            notes += 1
        else:
            other += 1
    parts = []
    if tagged:
        parts.append(_plural(tagged, "claim", "claims") + " (tagged; a comment kept as the claim's note)")
    if highlights:
        parts.append(_plural(highlights, "claim", "claims") + " (a highlight: no tags, no comment)")
    if notes:
        parts.append(_plural(notes, "note", "notes") + " (a comment without tags)")
    if other:
        parts.append(f"{other} as their file classified them")
    return "as presscheck kinds: " + (", ".join(parts) if parts else "none")
