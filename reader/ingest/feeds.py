"""RSS and Atom feeds with feedparser: a feed is a list of entries, each one an article
once opened. No UI.

An entry's text is its full content when the feed carries it, else its web page when
that can be fetched, else its summary, and then the title says "(summary)".
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

from reader.errors import IngestError
from reader.ingest.entry import FeedEntry
from reader.ingest.html import fragment_text
from reader.model import Article

SUMMARY_MARK = " (summary)"
"""Added to the title of an article made from an entry's summary only."""
_FEED_START = re.compile(r"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)
_PROLOG_ITEM = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>)", re.IGNORECASE | re.DOTALL)
_XML_ENCODING = re.compile(r"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
PROLOG_LIMIT = 1024 * 1024
"""How far into a file its XML prolog (declaration, comments, doctype) is read to find
the first element: a long licence comment does not hide `<rss>`."""


def _head(data: bytes, size: int) -> str:
    """The first `size` bytes as text: in their UTF-16/32 if a BOM or their zero bytes
    say so, else byte for byte (ASCII markup is all that is looked for)."""
    from reader.ingest.decode import unicode_encoding

    encoding = unicode_encoding(data) or "latin-1"
    return data[:size].decode(encoding, errors="ignore").lstrip("\ufeff")


def _after_prolog(text: str) -> str:
    """`text` from its first element on: the XML declaration, processing instructions,
    comments, a doctype and white space skipped, however long."""
    position = 0
    while found := _PROLOG_ITEM.match(text, position):
        position = found.end()
    return text[position:]


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS or Atom document."""
    text = _after_prolog(_head(data, PROLOG_LIMIT))[:4096]
    found = _FEED_START.search(text)
    return found is not None and "<html" not in text[: found.start()].lower()


def feed_text(data: bytes, source: str, charset: str | None = None) -> str:
    """The text of a feed's bytes, decided as feedparser decides (RFC 3023, the XML
    specification's appendix F): a BOM, else UTF-16/32 told by the bytes, else the HTTP
    charset, else the XML declaration's encoding, else the bytes' own evidence
    (`decode.decode`: UTF-8 with a few stray bytes is UTF-8; then a guess, where
    feedparser would ask chardet)."""
    from reader.ingest.decode import can_decode, decode, known_codec

    declared = _XML_ENCODING.match(_head(data, 1024))
    labels = [label for label in (charset, declared.group(1) if declared else None) if known_codec(label)]
    chosen = next((label for label in labels if can_decode(data, label)), labels[0] if labels else None)
    return decode(data, source, chosen)


def _iso(parsed: time.struct_time | None) -> str:
    if not parsed:
        return ""
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    except (TypeError, ValueError):
        return ""


def _clean(text: str) -> str:
    return " ".join(fragment_text(text).split()) if "<" in text or "&" in text else " ".join(text.split())


def parse_feed(data: bytes, source: str, charset: str | None = None) -> tuple[str, list[FeedEntry]]:
    """The title and entries of an RSS or Atom document, or an IngestError naming it.

    presscheck decodes the bytes (`feed_text`) and hands feedparser UTF-8 saying so: its
    own fallbacks, without chardet, read a feed in EUC-JP with no declaration as
    Windows-1252. A feed without a title is named by its file's name (or its URL)."""
    import feedparser

    from reader.article_names import public_source

    text = _XML_DECLARATION.sub("", feed_text(data, source, charset), count=1)
    # A stream, never a str: feedparser fetches a str that looks like a URL.
    parsed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        sanitize_html=True,
        resolve_relative_uris=False,
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    feed_title = _clean(str(parsed.feed.get("title", ""))) or public_source(source) or source
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for number, entry in enumerate(parsed.entries, start=1):
        contents = [c for c in entry.get("content", ()) if str(c.get("value", "")).strip()]
        content = max((str(c["value"]) for c in contents), key=len, default="")
        summary = str(entry.get("summary", ""))
        if summary.strip() == content.strip():
            summary = ""  # feedparser may copy the content into the summary
        link = str(entry.get("link", "")).strip()
        key = str(entry.get("id", "")).strip() or link or f"entry-{number}"
        if key in seen:
            continue
        seen.add(key)
        entries.append(
            FeedEntry(
                feed_title=feed_title,
                feed_source=source,
                title=_clean(str(entry.get("title", ""))) or f"Entry {number} of {feed_title}",
                link=link if link.lower().startswith(("http://", "https://")) else "",
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=_clean(str(entry.get("author", ""))),
                content=content,
                summary=summary,
                key=key,
            )
        )
    if not entries:
        if parsed.get("bozo") and not parsed.feed:
            raise IngestError(f"{source}: not a readable RSS or Atom feed")
        raise IngestError(f"{source}: the feed has no entries")
    return feed_title, entries


def article_from_entry(
    entry: FeedEntry, fetch_page: Callable[[str], Article] | None = None
) -> Article:
    """The article of a feed entry: its content, else its page (via `fetch_page`), else
    its summary marked as such; an IngestError when it has none of them."""
    from reader.ingest.article import article_from_text

    def made(body_html: str, title: str) -> Article:
        body = fragment_text(body_html)
        text = f"{entry.title}\n\n{body}" if body.split("\n", 1)[0].strip() != entry.title else body
        return article_from_text(
            text,
            entry.source,
            title=title,
            byline=entry.author,
            published=entry.published,
            site=entry.feed_title,
        )

    if fragment_text(entry.content).strip():
        return made(entry.content, entry.title)
    page_error = ""
    if entry.link and fetch_page is not None:
        try:
            page = fetch_page(entry.link)
        except IngestError as error:
            page_error = str(error)
        else:
            from dataclasses import replace

            return replace(
                page,
                byline=page.byline or entry.author,
                published=page.published or entry.published,
                site=page.site or entry.feed_title,
            )
    if fragment_text(entry.summary).strip():
        return made(entry.summary, entry.title + SUMMARY_MARK)
    raise IngestError(page_error or f"{entry.source}: the feed entry has no text and no page to fetch")
