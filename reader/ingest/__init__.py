"""Turning files and pages into articles: decode, canonicalize, find title and page
furniture. No UI. `reader.ingest.sources` opens every kind of input (text, Markdown,
HTML, feeds, folders, URLs)."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.article import article_from_text
from reader.model import Article

__all__ = ["article_from_text", "load_article"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}


def load_article(path: str | Path) -> Article:
    """Read one article file (text, Markdown or HTML), or raise an IngestError naming it.

    A feed file holds many articles: open it with `reader.ingest.sources.open_path`.
    """
    from reader.ingest.sources import load_file

    return load_file(Path(path))
