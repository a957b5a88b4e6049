"""The data model: articles, targets with W3C-style selectors, annotations. No UI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal

SCHEMA_VERSION = 1
"""Version of every stored and exported document; bump it with a migration."""

Kind = Literal["claim", "contradiction", "link", "note"]
KINDS: tuple[Kind, ...] = ("claim", "contradiction", "link", "note")
TARGET_COUNT: dict[str, int] = {"claim": 1, "note": 1, "contradiction": 2, "link": 2}
Anchor = Literal["exact", "moved", "orphaned"]


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def article_id_for(text: str) -> str:
    """An article's id: the first 16 hex digits of the sha256 of its canonical text."""
    import hashlib  # with OpenSSL, ~3 ms to load: only ingesting a new text needs it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One article in canonical text, with the metadata found while ingesting it."""

    id: str
    title: str
    text: str
    source: str = ""
    byline: str = ""
    published: str = ""
    added_at: str = field(default_factory=now_iso)
    furniture: tuple[tuple[int, int], ...] = ()
    raw_sha256: str = ""
    site: str = ""
    """The site or publication a page came from (HTML metadata, a feed's title)."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "byline": self.byline,
            "published": self.published,
            "added_at": self.added_at,
            "furniture": [list(r) for r in self.furniture],
            "raw_sha256": self.raw_sha256,
            "text": self.text,
        }
        if self.site:
            data["site"] = self.site
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            text=str(data["text"]),
            source=str(data.get("source", "")),
            byline=str(data.get("byline", "")),
            published=str(data.get("published", "")),
            added_at=str(data.get("added_at", "")),
            furniture=tuple((int(a), int(b)) for a, b in data.get("furniture", ())),
            raw_sha256=str(data.get("raw_sha256", "")),
            site=str(data.get("site", "")),
        )


@dataclass(frozen=True)
class TextPositionSelector:
    """Start and end in code points of the article's canonical text."""

    start: int
    end: int


@dataclass(frozen=True)
class TextQuoteSelector:
    """The quoted text with up to 32 characters of context on each side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Target:
    """A span of one article, described by both selectors."""

    article_id: str
    position: TextPositionSelector
    quote: TextQuoteSelector
    source: str = ""
    """The file name or URL another tool named the article by, kept while it is not placed."""

    @property
    def start(self) -> int:
        return self.position.start

    @property
    def end(self) -> int:
        return self.position.end

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "article_id": self.article_id,
            "selectors": [
                {
                    "type": "TextPositionSelector",
                    "start": self.position.start,
                    "end": self.position.end,
                },
                {
                    "type": "TextQuoteSelector",
                    "exact": self.quote.exact,
                    "prefix": self.quote.prefix,
                    "suffix": self.quote.suffix,
                },
            ],
        }
        if self.source:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        position: TextPositionSelector | None = None
        quote: TextQuoteSelector | None = None
        for selector in data["selectors"]:
            if selector["type"] == "TextPositionSelector":
                position = TextPositionSelector(int(selector["start"]), int(selector["end"]))
            elif selector["type"] == "TextQuoteSelector":
                quote = TextQuoteSelector(
                    str(selector["exact"]),
                    str(selector.get("prefix", "")),
                    str(selector.get("suffix", "")),
                )
        if position is None or quote is None:
            raise ValueError("a target needs a TextPositionSelector and a TextQuoteSelector")
        return cls(str(data["article_id"]), position, quote, str(data.get("source", "")))


@dataclass(frozen=True)
class Annotation:
    """A claim, contradiction, link or note on one or two targets."""

    kind: Kind
    targets: tuple[Target, ...]
    author: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    tags: tuple[str, ...] = ()
    relation: str = ""
    note: str = ""
    created: str = field(default_factory=now_iso)
    modified: str = ""
    anchor: Anchor = "exact"

    def __post_init__(self) -> None:
        if self.kind not in TARGET_COUNT:
            raise ValueError(f"unknown annotation kind {self.kind!r}")
        if len(self.targets) != TARGET_COUNT[self.kind]:
            raise ValueError(
                f"a {self.kind} has {TARGET_COUNT[self.kind]} target(s), not {len(self.targets)}"
            )
        if not self.modified:
            object.__setattr__(self, "modified", self.created)

    def edited(self, **changes: Any) -> Annotation:
        """A copy with `changes` applied and `modified` set to now."""
        return replace(self, modified=now_iso(), **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "targets": [t.to_dict() for t in self.targets],
            "tags": list(self.tags),
            "relation": self.relation,
            "note": self.note,
            "author": self.author,
            "created": self.created,
            "modified": self.modified,
            "anchor": self.anchor,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        return cls(
            id=str(data["id"]),
            kind=data["kind"],
            targets=tuple(Target.from_dict(t) for t in data["targets"]),
            tags=tuple(str(t) for t in data.get("tags", ())),
            relation=str(data.get("relation", "")),
            note=str(data.get("note", "")),
            author=str(data.get("author", "")),
            created=str(data.get("created", "")),
            modified=str(data.get("modified", "")),
            anchor=data.get("anchor", "exact"),
        )
