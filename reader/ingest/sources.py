"""Opening what a reader names: text, Markdown, HTML and feed files, folders, URLs. No UI.

Files are read by their suffix (`.txt`, `.md`, `.html`, `.xml`/`.rss`/`.atom`), files of
other or no suffix by what they hold. A URL is fetched (bounded by `fetch.fetch_timeout()`)
and read as a page or a feed by its content type and its first bytes. A feed opens as
its entries; an entry becomes an article with `ingest_entry`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reader.errors import IngestError
from reader.ingest.article import article_from_text
from reader.ingest.decode import decode, plain_utf8
from reader.ingest.urls import is_url
from reader.model import Article

# The feed, HTML and Markdown readers are imported where a document of their kind is met:
# reopening a text file (the common start) needs none of them.

if TYPE_CHECKING:
    from reader.ingest.entry import FeedEntry  # a dataclass: made when a feed is read
    from reader.ingest.fetch import Fetched

Kind = Literal["text", "markdown", "html", "feed"]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused rather than read whole into memory."""

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
OPENABLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
"""What a folder is searched for."""
WHAT_OPENS = ".txt, .md, .html or an RSS/Atom feed (.xml, .rss, .atom)"


class Opened:
    """What one path or URL held: articles, feed entries, and files that were skipped.
    (A plain class: a dataclass costs about 1 ms to make, on the way to every first frame.)"""

    def __init__(self, articles: list[Article] | None = None, entries: list[FeedEntry] | None = None,
                 notices: list[str] | None = None) -> None:
        self.articles: list[Article] = articles if articles is not None else []
        self.entries: list[FeedEntry] = entries if entries is not None else []
        self.notices: list[str] = notices if notices is not None else []

    def add(self, other: Opened) -> None:
        self.articles.extend(other.articles)
        self.entries.extend(other.entries)
        self.notices.extend(other.notices)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path}: {size // (1024 * 1024)} MB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a folder") from None
    except OSError as error:
        raise IngestError(f"{path}: cannot read it ({error.strerror})") from None


def sniff(data: bytes, suffix: str = "", media_type: str = "") -> Kind | None:
    """What kind of document these bytes are, by suffix, content type and first bytes."""
    suffix = suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"  # a .txt shows what it holds, markup included
    if suffix in MARKDOWN_SUFFIXES or media_type in ("text/markdown", "text/x-markdown"):
        return "markdown"
    from reader.ingest.feeds import looks_like_feed
    from reader.ingest.html import looks_like_html

    if looks_like_feed(data):
        return "feed"
    if suffix in HTML_SUFFIXES or media_type in ("text/html", "application/xhtml+xml") or looks_like_html(data):
        return "html"
    if suffix in FEED_SUFFIXES or media_type.endswith(("rss+xml", "atom+xml")):
        return None  # XML, but neither a feed nor a page
    if suffix == "" and (media_type.startswith("text/") or not media_type):
        return "text"
    return None


Known = Callable[[str], Article | None]
"""An article read before from the same bytes, by their sha256 (the database's)."""


def article_from_bytes(
    data: bytes,
    source: str,
    kind: Kind,
    *,
    charset: str | None = None,
    url: str = "",
    known: Known | None = None,
    furniture_later: bool = False,
) -> Article:
    """One article from a text, Markdown or HTML document's bytes. With `known`, the same
    bytes from the same source give back the article read before, at the cost of a hash:
    reopening a 5 MB article does not decode, normalise and scan it again.
    `furniture_later`: a new article comes without its page furniture (`with_furniture`)."""
    raw_sha256, body = _hashes(data)
    if known is not None:
        before = known(raw_sha256)
        if before is not None and before.source == source:
            return before
    if kind == "html":
        from reader.ingest.html import article_from_html, declared_charset

        text = decode(data, source, charset or declared_charset(data))
        return article_from_html(text, source, raw_sha256=raw_sha256, url=url, furniture_later=furniture_later)
    if kind == "text" and charset is None:
        plain = plain_utf8(data, body[1])
        if plain is not None:  # decoded in place; the canonical text may be this very string
            return article_from_text(plain, source, raw_sha256=raw_sha256, utf8=body, utf8_decoded=True,
                                     furniture_later=furniture_later)
    text = decode(data, source, charset)
    if kind == "markdown":
        from reader.ingest.markdown import markdown_text

        text = markdown_text(text)
    return article_from_text(text, source, raw_sha256=raw_sha256, utf8=body if kind == "text" else None,
                             furniture_later=furniture_later)


def _hashes(data: bytes) -> tuple[str, tuple[bytes, int, str]]:
    """The sha256 of `data`, and (`data`, how many of its bytes come before its trailing
    white space, their sha256), in one pass: a plain UTF-8 file is its canonical text but
    for its last newlines, and the article's id is then read off the second hash, not
    hashed again (`article_from_text`)."""
    import hashlib  # not loaded at all when every file is known by its stamp

    end = len(data)
    while end and data[end - 1] in b" \t\n\r\x0b\x0c":
        end -= 1
    view = memoryview(data)
    digest = hashlib.sha256(view[:end])
    body = (data, end, digest.hexdigest())
    digest.update(view[end:])
    return digest.hexdigest(), body


def _open_bytes(
    data: bytes, source: str, kind: Kind, *, charset: str | None = None, url: str = "", known: Known | None = None,
    furniture_later: bool = False,
) -> Opened:
    if kind == "feed":
        from reader.ingest.feeds import parse_feed

        decode(data, source)  # refuses empty and binary files with the usual message
        _, entries = parse_feed(data, source, charset)
        return Opened(entries=entries)
    return Opened(articles=[article_from_bytes(data, source, kind, charset=charset, url=url, known=known,
                                               furniture_later=furniture_later)])


def _kind_of_file(path: Path, data: bytes) -> Kind:
    kind = sniff(data, path.suffix)
    if kind is None:
        decode(data, str(path))  # a binary file is refused as such
        if path.suffix.lower() in FEED_SUFFIXES:
            raise IngestError(f"{path}: an XML file, but not an RSS or Atom feed")
        raise IngestError(f"{path}: presscheck opens {WHAT_OPENS}")
    return kind


def _unchanged(path: Path, known: Known | None) -> tuple[Article | None, os.stat_result | None]:
    """The article read before from this very file, when `known` keeps file stamps and the
    file's is unchanged (nothing is read); else None, and the file's stat to record."""
    stamps = getattr(known, "stamps", None)
    if known is None or stamps is None:
        return None, None
    try:
        stat = path.stat()
    except OSError:
        return None, None  # _read says why
    raw_sha256 = stamps.sha_of(path, stat)
    before = known(raw_sha256) if raw_sha256 else None
    if before is not None and before.source == str(path):
        return before, stat
    return None, stat


def _noted(article: Article, path: Path, stat: os.stat_result | None, known: Known | None) -> Article:
    if stat is not None and article.raw_sha256:
        known.stamps.note(path, stat, article.raw_sha256)  # type: ignore[union-attr]
    return article


def load_file(path: Path, known: Known | None = None, *, furniture_later: bool = False) -> Article:
    """The one article in a text, Markdown or HTML file; an IngestError for anything else.
    `furniture_later`: a new article comes without its page furniture (`with_furniture`)."""
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; open the files in it, or a pack")
    before, stat = _unchanged(path, known)
    if before is not None:
        return before
    data = _read(path)
    kind = _kind_of_file(path, data)
    if kind == "feed":
        raise IngestError(f"{path}: a feed, not one article; open it with `presscheck {path}`")
    article = article_from_bytes(data, str(path), kind, known=known, furniture_later=furniture_later)
    return _noted(article, path, stat, known)


def open_path(path: str | Path, known: Known | None = None, *, furniture_later: bool = False) -> Opened:
    """A file's article or feed entries, or every article in a folder (not its subfolders).

    A named file that cannot be opened raises an IngestError; in a folder, such files are
    skipped and named in `notices`, and only a folder without any article is an error.
    `furniture_later`: new articles come without their page furniture (`with_furniture`).
    """
    path = Path(path)
    if path.is_dir():
        return _open_folder(path, known, furniture_later)
    before, stat = _unchanged(path, known)
    if before is not None:
        return Opened(articles=[before])
    data = _read(path)
    opened = _open_bytes(data, str(path), _kind_of_file(path, data), known=known, furniture_later=furniture_later)
    for article in opened.articles:
        _noted(article, path, stat, known)
    return opened


def _open_folder(folder: Path, known: Known | None = None, furniture_later: bool = False) -> Opened:
    try:
        files = sorted(
            p for p in folder.iterdir()
            if p.suffix.lower() in OPENABLE_SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except OSError as error:
        raise IngestError(f"{folder}: cannot list it ({error.strerror})") from None
    opened = Opened()
    for file in files:
        try:
            opened.add(open_path(file, known, furniture_later=furniture_later))
        except IngestError as error:
            opened.notices.append(f"skipped {error}")
    if not opened.articles and not opened.entries:
        reason = f" ({len(files)} file(s) could not be read)" if files else ""
        raise IngestError(f"{folder}: no articles in this folder{reason}; presscheck opens {WHAT_OPENS}")
    return opened


def open_url(url: str, *, timeout: float | None = None) -> Opened:
    """The article of a web page, or the entries of a feed, at `url`."""
    from reader.ingest.fetch import fetch  # the HTTP machinery, only when a URL is opened

    fetched = fetch(url, timeout=timeout)
    return _open_fetched(fetched, url)


def _open_fetched(fetched: Fetched, url: str) -> Opened:
    suffix = Path(fetched.url.split("?", 1)[0].split("#", 1)[0]).suffix
    kind = sniff(fetched.data, suffix if suffix.lower() in MARKDOWN_SUFFIXES else "", fetched.media_type)
    if kind is None:
        decode(fetched.data, url)
        raise IngestError(f"{url}: neither a web page nor an RSS/Atom feed")
    return _open_bytes(fetched.data, url, kind, charset=fetched.charset, url=fetched.url)


def fetch_article(url: str, *, timeout: float | None = None) -> Article:
    """The article of the web page at `url` (a feed there is an error)."""
    opened = open_url(url, timeout=timeout)
    if not opened.articles:
        raise IngestError(f"{url}: a feed, not an article page")
    return opened.articles[0]


def ingest_entry(entry: FeedEntry, *, timeout: float | None = None) -> Article:
    """The article of a feed entry, fetching its page when the feed has no full text."""
    from reader.ingest.feeds import article_from_entry

    return article_from_entry(entry, lambda link: fetch_article(link, timeout=timeout))


def open_source(source: str | FeedEntry, *, timeout: float | None = None) -> Opened:
    """Open a URL, a path, or a feed entry listed earlier."""
    from reader.ingest.entry import FeedEntry

    if isinstance(source, FeedEntry):
        return Opened(articles=[ingest_entry(source, timeout=timeout)])
    if is_url(source):
        return open_url(source, timeout=timeout)
    return open_path(source)
