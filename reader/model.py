"""The data model: articles, targets with W3C-style selectors, annotations. No UI."""

from __future__ import annotations

import re
import uuid
from dataclasses import field, replace
from datetime import datetime, timezone
from typing import Any, Literal

from reader.records import FROM_FACTORY, record

SCHEMA_VERSION = 1
"""Version of every stored and exported document; bump it with a migration."""

Kind = Literal["claim", "contradiction", "link", "note"]
KINDS: tuple[Kind, ...] = ("claim", "contradiction", "link", "note")
TARGET_COUNT: dict[str, int] = {"claim": 1, "note": 1, "contradiction": 2, "link": 2}
Anchor = Literal["exact", "moved", "orphaned"]
ANCHORS: tuple[Anchor, ...] = ("exact", "moved", "orphaned")
MAX_POSITION = 2**53 - 1
"""The largest position a stored or imported selector may hold: every JSON reader keeps it
exact, and no text comes near it (a larger number is a damaged or hostile record)."""
NOTE_FORMAT = re.compile(r"[a-z]+/[a-z0-9][a-z0-9.+-]*")
"""A note's media type when it is not plain text (`text/markdown`): a bare type/subtype."""
ARTICLE_TEXT_FIELDS = ("id", "text", "title", "source", "byline", "published", "added_at", "raw_sha256", "site")


def _shown(value: Any) -> str:
    """A value from a record, for an error message: its repr, shortened (repr escapes
    control characters)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _not_text(data: dict[str, Any], names: tuple[str, ...], what: str = "") -> ValueError:
    """The error for the first of `names` in `data` that is not text (read with the
    defaults the caller used: a missing optional field is "")."""
    for name in names:
        value = data.get(name, "")
        if type(value) is not str:
            return ValueError(f"{what}{name} is {_shown(value)}, not text")
    return ValueError(f"{what}fields are not text")


def _not_position(start: Any, end: Any) -> ValueError:
    for name, value in (("start", start), ("end", end)):
        if type(value) is not int or not 0 <= value <= MAX_POSITION:
            return ValueError(f"a target's {name} is {_shown(value)}, not a whole number ≥ 0 below 2^53")
    return ValueError(f"a target ends ({end}) before it starts ({start})")


def _not_object(value: Any, what: str) -> ValueError:
    return ValueError(f"{what} is {_shown(value)}, not an object")


_set = object.__setattr__  # how a frozen record's `__init__` sets its fields, as a dataclass's does


def new_id() -> str:
    """A new annotation's id: a random UUID."""
    return str(uuid.uuid4())


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def article_id_for(text: str) -> str:
    """An article's id: the first 16 hex digits of the sha256 of its canonical text."""
    import hashlib  # with OpenSSL, ~3 ms to load: only ingesting a new text needs it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@record(frozen=True)
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

    def __init__(
        self, id: str, title: str, text: str, source: str = "", byline: str = "", published: str = "",
        added_at: str = FROM_FACTORY, furniture: tuple[tuple[int, int], ...] = (), raw_sha256: str = "",
        site: str = ""
    ) -> None:
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "text", text)
        _set(self, "source", source)
        _set(self, "byline", byline)
        _set(self, "published", published)
        _set(self, "added_at", now_iso() if added_at is FROM_FACTORY else added_at)
        _set(self, "furniture", furniture)
        _set(self, "raw_sha256", raw_sha256)
        _set(self, "site", site)

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
        """The article a stored record describes; a ValueError (or KeyError for a missing
        field) says what is wrong with a record of the wrong shape: nothing is coerced."""
        if type(data) is not dict:
            raise _not_object(data, "the article")
        get = data.get
        id_, text = data["id"], data["text"]
        title, source, byline = get("title", ""), get("source", ""), get("byline", "")
        published, added_at = get("published", ""), get("added_at", "")
        raw_sha256, site = get("raw_sha256", ""), get("site", "")
        if not (
            type(id_) is str and type(text) is str and type(title) is str and type(source) is str
            and type(byline) is str and type(published) is str and type(added_at) is str
            and type(raw_sha256) is str and type(site) is str
        ):
            raise _not_text(data, ARTICLE_TEXT_FIELDS)
        furniture = get("furniture", ())
        if not isinstance(furniture, (list, tuple)) or not all(
            isinstance(span, (list, tuple))
            and len(span) == 2
            and type(span[0]) is int
            and type(span[1]) is int
            and 0 <= span[0] <= span[1] <= len(text)
            for span in furniture
        ):
            raise ValueError("furniture is not a list of [start, end] spans inside the text")
        return cls(
            id=id_,
            title=title,
            text=text,
            source=source,
            byline=byline,
            published=published,
            added_at=added_at,
            furniture=tuple((span[0], span[1]) for span in furniture),
            raw_sha256=raw_sha256,
            site=site,
        )


@record(frozen=True)
class TextPositionSelector:
    """Start and end in code points of the article's canonical text."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        _set(self, "start", start)
        _set(self, "end", end)

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.start, self.end) == (other.start, other.end)
        return NotImplemented


@record(frozen=True)
class TextQuoteSelector:
    """The quoted text with up to 32 characters of context on each side."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def __init__(self, exact: str, prefix: str = "", suffix: str = "") -> None:
        _set(self, "exact", exact)
        _set(self, "prefix", prefix)
        _set(self, "suffix", suffix)

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.exact, self.prefix, self.suffix) == (other.exact, other.prefix, other.suffix)
        return NotImplemented


@record(frozen=True)
class Target:
    """A span of one article, described by both selectors."""

    article_id: str
    position: TextPositionSelector
    quote: TextQuoteSelector
    source: str = ""
    """The file name or URL another tool named the article by, kept while it is not placed."""
    uri: str = ""
    """The address another tool annotated the article at (Hypothesis's `uri`, a W3C target's
    `source`), kept after the target is placed: where the annotation was made. Empty for
    presscheck's own targets."""

    def __init__(
        self, article_id: str, position: TextPositionSelector, quote: TextQuoteSelector, source: str = "",
        uri: str = ""
    ) -> None:
        _set(self, "article_id", article_id)
        _set(self, "position", position)
        _set(self, "quote", quote)
        _set(self, "source", source)
        _set(self, "uri", uri)

    def __eq__(self, other: Any) -> bool:  # written out: imports compare every annotation
        if other.__class__ is self.__class__:
            return (self.article_id, self.position, self.quote, self.source, self.uri) == (
                other.article_id, other.position, other.quote, other.source, other.uri)
        return NotImplemented

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
        if self.uri:
            data["uri"] = self.uri
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        if type(data) is not dict:
            raise _not_object(data, "a target")
        position: TextPositionSelector | None = None
        quote: TextQuoteSelector | None = None
        selectors = data["selectors"]
        if type(selectors) is not list and type(selectors) is not tuple:
            raise ValueError(f"a target's selectors are {_shown(selectors)}, not a list")
        for selector in selectors:
            if type(selector) is not dict:
                raise _not_object(selector, "a selector")
            kind = selector["type"]
            if kind == "TextPositionSelector":
                start, end = selector["start"], selector["end"]
                if not (type(start) is int and type(end) is int and 0 <= start <= end <= MAX_POSITION):
                    raise _not_position(start, end)
                position = TextPositionSelector(start, end)
            elif kind == "TextQuoteSelector":
                exact, prefix, suffix = selector["exact"], selector.get("prefix", ""), selector.get("suffix", "")
                if not (type(exact) is str and type(prefix) is str and type(suffix) is str):
                    raise _not_text(selector, ("exact", "prefix", "suffix"), "a quote's ")
                quote = TextQuoteSelector(exact, prefix, suffix)
        if position is None or quote is None:
            raise ValueError("a target needs a TextPositionSelector and a TextQuoteSelector")
        article_id, source, uri = data["article_id"], data.get("source", ""), data.get("uri", "")
        if type(article_id) is not str or type(source) is not str or type(uri) is not str:
            raise _not_text(data, ("article_id", "source", "uri"), "a target's ")
        return cls(article_id, position, quote, source, uri)


@record(frozen=True)
class Annotation:
    """A claim, contradiction, link or note on one or two targets."""

    kind: Kind
    targets: tuple[Target, ...]
    author: str
    id: str = field(default_factory=new_id)
    tags: tuple[str, ...] = ()
    relation: str = ""
    note: str = ""
    created: str = field(default_factory=now_iso)
    modified: str = ""
    anchor: Anchor = "exact"
    canonical: str = ""
    """The IRI another tool gave the annotation (Hypothesis's `https://hypothes.is/a/<id>`),
    which `id` is derived from; written as the W3C `canonical`. Empty for presscheck's own."""
    note_format: str = ""
    """The media type of `note` when it is not plain text (`text/markdown` from Hypothesis)."""

    def __init__(
        self, kind: Kind, targets: tuple[Target, ...], author: str, id: str = FROM_FACTORY,
        tags: tuple[str, ...] = (), relation: str = "", note: str = "", created: str = FROM_FACTORY,
        modified: str = "", anchor: Anchor = "exact", canonical: str = "", note_format: str = ""
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "targets", targets)
        _set(self, "author", author)
        _set(self, "id", new_id() if id is FROM_FACTORY else id)
        _set(self, "tags", tags)
        _set(self, "relation", relation)
        _set(self, "note", note)
        _set(self, "created", now_iso() if created is FROM_FACTORY else created)
        _set(self, "modified", modified)
        _set(self, "anchor", anchor)
        _set(self, "canonical", canonical)
        _set(self, "note_format", note_format)
        self.__post_init__()

    def __eq__(self, other: Any) -> bool:  # written out: imports compare every annotation
        if other.__class__ is self.__class__:
            return (self.kind, self.targets, self.author, self.id, self.tags, self.relation, self.note,
                    self.created, self.modified, self.anchor, self.canonical, self.note_format) == (
                other.kind, other.targets, other.author, other.id, other.tags, other.relation, other.note,
                other.created, other.modified, other.anchor, other.canonical, other.note_format)
        return NotImplemented

    def __post_init__(self) -> None:
        if self.kind not in TARGET_COUNT:
            raise ValueError(f"unknown annotation kind {self.kind!r}")
        if len(self.targets) != TARGET_COUNT[self.kind]:
            raise ValueError(
                f"a {self.kind} has {TARGET_COUNT[self.kind]} target(s), not {len(self.targets)}"
            )
        if not self.modified:
            object.__setattr__(self, "modified", self.created)
        if self.note_format and not self.note:
            object.__setattr__(self, "note_format", "")  # a format of no note says nothing

    def edited(self, **changes: Any) -> Annotation:
        """A copy with `changes` applied and `modified` set to now."""
        return replace(self, modified=now_iso(), **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
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
        # only when set: presscheck's own records stay as they always were
        if self.canonical:
            data["canonical"] = self.canonical
        if self.note_format:
            data["note_format"] = self.note_format
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        """The annotation a stored or exported record describes, checked as strictly as an
        import checks it: a ValueError (or KeyError for a missing field) says what is wrong
        (an unknown kind or anchor, a number where text belongs, a position that is not a
        sane whole number); nothing is coerced."""
        if type(data) is not dict:
            raise _not_object(data, "the annotation")
        get = data.get
        kind, targets, tags, anchor = data["kind"], data["targets"], get("tags", ()), get("anchor", "exact")
        if type(kind) is not str or kind not in TARGET_COUNT:
            raise ValueError(f"unknown annotation kind {_shown(kind)}")
        if type(anchor) is not str or anchor not in ANCHORS:
            raise ValueError(f"unknown anchor {_shown(anchor)}")
        if type(targets) is not list and type(targets) is not tuple:
            raise ValueError(f"targets is {_shown(targets)}, not a list")
        if (type(tags) is not list and type(tags) is not tuple) or not all(type(tag) is str for tag in tags):
            raise ValueError(f"tags is {_shown(tags)}, not a list of texts")
        id_, relation, note, author = data["id"], get("relation", ""), get("note", ""), get("author", "")
        created, modified = get("created", ""), get("modified", "")
        canonical, note_format = get("canonical", ""), get("note_format", "")
        if not (
            type(id_) is str and type(relation) is str and type(note) is str and type(author) is str
            and type(created) is str and type(modified) is str
            and type(canonical) is str and type(note_format) is str
        ):
            raise _not_text(
                data, ("id", "relation", "note", "author", "created", "modified", "canonical", "note_format")
            )
        if note_format and not NOTE_FORMAT.fullmatch(note_format):
            raise ValueError(f"note_format is {_shown(note_format)}, not a media type like text/markdown")
        return cls(
            id=id_,
            kind=kind,
            targets=tuple([Target.from_dict(t) for t in targets]),
            tags=tuple(tags),
            relation=relation,
            note=note,
            author=author,
            created=created,
            modified=modified,
            anchor=anchor,
            canonical=canonical,
            note_format=note_format,
        )
