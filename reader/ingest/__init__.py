"""Turning files into articles: decode, canonicalize, find title and page furniture. No UI."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reader.errors import IngestError
from reader.ingest.canonical import canonicalize
from reader.ingest.decode import decode
from reader.ingest.furniture import find_furniture
from reader.ingest.title import find_title
from reader.model import Article, article_id_for

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused rather than read whole into memory."""

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}


def article_from_text(text: str, source: str = "", *, raw_sha256: str = "") -> Article:
    """An article from decoded text: canonical form, id, title and furniture."""
    canonical = canonicalize(text)
    if not canonical.strip():
        raise IngestError(f"{source or 'text'}: holds only white space; nothing to read")
    furniture = find_furniture(canonical)
    return Article(
        id=article_id_for(canonical),
        title=find_title(canonical),
        text=canonical,
        source=source,
        furniture=furniture,
        raw_sha256=raw_sha256,
    )


def load_article(path: str | Path) -> Article:
    """Read one plain-text article file, or raise an IngestError naming it."""
    path = Path(path)
    if path.is_dir():
        raise IngestError(f"{path}: is a folder; open the files in it, or a pack")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise IngestError(f"{path}: presscheck opens .txt and .md files for now")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path}: {size // (1024 * 1024)} MB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except OSError as error:
        raise IngestError(f"{path}: cannot read it ({error.strerror})") from None
    text = decode(data, str(path))
    return article_from_text(text, str(path), raw_sha256=hashlib.sha256(data).hexdigest())
