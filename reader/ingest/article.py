"""An article from decoded text: canonical form, id, title and page furniture. No UI."""

from __future__ import annotations

from reader.errors import IngestError
from reader.ingest.canonical import canonicalize
from reader.model import Article, article_id_for


def article_from_text(
    text: str,
    source: str = "",
    *,
    raw_sha256: str = "",
    title: str = "",
    byline: str = "",
    published: str = "",
    site: str = "",
) -> Article:
    """An article from decoded text: canonical form, id, title and furniture.

    The id depends on the canonical text alone; `title` (else the text's own title line,
    else the name of its `source`, else its first sentence) and the other metadata are kept
    beside it.
    """
    # imported here: reopening an article the database holds needs neither (nor pysbd)
    from reader.ingest.furniture import find_furniture
    from reader.ingest.title import find_title, shorten

    canonical = canonicalize(text)
    if not canonical.strip():
        raise IngestError(f"{source or 'text'}: holds only white space; nothing to read")
    furniture = find_furniture(canonical)
    return Article(
        id=article_id_for(canonical),
        title=shorten(title) if title.strip() else find_title(canonical, source),
        text=canonical,
        source=source,
        byline=" ".join(byline.split()),
        published=published.strip(),
        furniture=furniture,
        raw_sha256=raw_sha256,
        site=" ".join(site.split()),
    )
