"""An article from decoded text: canonical form, id, title and page furniture. No UI."""

from __future__ import annotations

from dataclasses import replace

from reader.errors import IngestError
from reader.ingest.canonical import canonical_lines, canonical_text
from reader.model import Article, article_id_for

ID_DIGITS = 16
"""How many hex digits of the sha256 an article id is (`article_id_for`)."""


def article_from_text(
    text: str,
    source: str = "",
    *,
    raw_sha256: str = "",
    utf8: tuple[bytes, int, str] | None = None,
    title: str = "",
    byline: str = "",
    published: str = "",
    site: str = "",
    furniture_later: bool = False,
    utf8_decoded: bool = False,
) -> Article:
    """An article from decoded text: canonical form, id, title and furniture.

    The id depends on the canonical text alone; `title` (else the text's own title line,
    else the name of its `source`, else its first sentence) and the other metadata are kept
    beside it. `utf8`: bytes whose start the canonical text may well be in UTF-8, how many
    of them, and their sha256 (a plain UTF-8 file's, without its last newlines): when it
    is, its id is read off that hash rather than hashed again (10 ms for 5 MB).
    `furniture_later`: no page furniture yet, `with_furniture` finds it (opening the app
    does so after its first frame: a 5 MB text's furniture was 30 ms of its first open).
    `utf8_decoded`: `text` is `utf8`'s bytes decoded, strictly (`plain_utf8`); when it is
    its own canonical form, it is not split into lines, copied or encoded again to find
    its id (with `furniture_later`: the lines are the furniture's business).
    """
    # imported here: reopening an article the database holds needs neither (nor pysbd)
    from reader.ingest.title import find_title, shorten

    canonical, lines = (canonical_text(text), None) if furniture_later else canonical_lines(text)
    if not canonical or canonical.isspace():
        raise IngestError(f"{source or 'text'}: holds only white space; nothing to read")
    furniture: tuple[tuple[int, int], ...] = ()
    if not furniture_later:
        from reader.ingest.furniture import find_furniture

        furniture = find_furniture(canonical, lines=lines)
    return Article(
        id=_id(canonical, utf8, text if utf8_decoded else None),
        title=shorten(title) if title.strip() else find_title(canonical, source),
        text=canonical,
        source=source,
        byline=" ".join(byline.split()),
        published=published.strip(),
        furniture=furniture,
        raw_sha256=raw_sha256,
        site=" ".join(site.split()),
    )


def _id(canonical: str, utf8: tuple[bytes, int, str] | None, decoded: str | None = None) -> str:
    """`article_id_for(canonical)`, read off `utf8`'s hash when its first bytes are the
    canonical text's UTF-8: the same hash of the same bytes. A UTF-8 text is at least as
    many bytes as it has characters and at most four times as many; outside that it cannot
    be the same. The bytes are compared in place (`startswith`, one memcmp): a memoryview
    compared with bytes goes a byte at a time, 10 ms for 5 MB. When the canonical text is
    `decoded` itself (those bytes decoded strictly), it is those bytes: nothing to compare."""
    if utf8 is not None:
        data, length, sha256 = utf8
        if canonical is decoded:
            return sha256[:ID_DIGITS]
        if len(canonical) <= length <= 4 * len(canonical):
            encoded = canonical.encode("utf-8")
            if len(encoded) == length and data.startswith(encoded):
                return sha256[:ID_DIGITS]
    return article_id_for(canonical)


def with_furniture(article: Article) -> Article:
    """`article` (made with `furniture_later`) with its page furniture found."""
    from reader.ingest.furniture import find_furniture

    return replace(article, furniture=find_furniture(article.text))
