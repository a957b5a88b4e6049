"""HTML to article text: trafilatura finds the article in a page and its metadata. No UI.

Pages become paragraphs separated by blank lines, the headline first (told by
`headline.py` from the page's h1, meta titles and <title>); navigation, ads and
comments are left out by trafilatura (what furniture remains is folded by the rules in
`furniture.toml`). Feed entries' HTML fragments become text with `fragment_text`.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from reader.errors import IngestError
from reader.model import Article

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a meta tag or an XML declaration, if any."""
    head = data[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def looks_like_html(data: bytes) -> bool:
    """True when the bytes start like an HTML document."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


@cache
def _config():  # type: ignore[no-untyped-def]
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # a signal alarm, main thread only
    return config


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def article_from_html(html: str, source: str = "", *, raw_sha256: str = "", url: str = "",
                      furniture_later: bool = False) -> Article:
    """The article in an HTML page: its text (headline first), title, byline, date and site
    (`furniture_later` as `article_from_text`)."""
    import trafilatura

    from reader.ingest.article import article_from_text

    from reader.ingest.headline import PageTitles, choose_headline, page_titles

    name = source or "page"
    try:
        tree = _parsed(html)
        titles = page_titles(tree, url) if tree is not None else PageTitles()
        document = trafilatura.bare_extraction(
            tree if tree is not None else html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            config=_config(),
        )
    except Exception as error:  # lxml gives up on some broken markup
        raise IngestError(f"{name}: cannot read this HTML ({type(error).__name__})") from None
    body = _paragraphs(document.text or "") if document is not None else []
    extracted = " ".join((document.title or "").split()) if document is not None else ""
    title = choose_headline(titles, extracted, (document.sitename or "") if document is not None else "")
    if not body:
        body = _paragraphs(fragment_text(html))
        title = title or _html_title(html)
    if not body:
        raise IngestError(f"{name}: no article text found in this page")
    if title and body[0] != title:
        body.insert(0, title)
    byline = " ".join((document.author or "").split()) if document is not None else ""
    published = (document.date or "") if document is not None else ""
    site = " ".join((document.sitename or document.hostname or "").split()) if document is not None else ""
    return article_from_text(
        "\n\n".join(body),
        source,
        raw_sha256=raw_sha256,
        title=title,
        byline=byline,
        published=published,
        site=site,
        furniture_later=furniture_later,
    )


def _parsed(html: str):  # type: ignore[no-untyped-def]
    """The page as an lxml tree (trafilatura's own parser), or None when it gives up."""
    from trafilatura.utils import load_html

    return load_html(html)


def _html_title(html: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", html[:65536], re.IGNORECASE | re.DOTALL)
    return " ".join(fragment_text(found.group(1)).split()) if found else ""


_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}
_SKIPPED = {"script", "style", "template", "noscript", "head", "title", "svg", "iframe", "object"}


class _FragmentText(HTMLParser):
    """Text of an HTML fragment: one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skip = 0
        self._pre = 0

    def _break(self) -> None:
        text = "".join(self._current)
        self._current = []
        if self._pre:
            lines = [line.rstrip() for line in text.split("\n")]
            text = "\n".join(lines).strip("\n")
        else:
            text = " ".join(text.split())
        if text.strip():
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self._break()
            if tag == "pre":
                self._pre += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self._skip:
                self._current.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()
        elif tag == "img":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._break()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._break()


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): paragraphs separated by a
    blank line, tags dropped, entities decoded, scripts and styles left out."""
    parser = _FragmentText()
    parser.feed(html)
    parser.close()
    return "\n\n".join(parser.paragraphs)
