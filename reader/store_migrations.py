"""Upgrades of a database written by an older presscheck, one schema step each. No UI."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reader.article_texts import record_without_text, store_texts
from reader.snapshot import Tables


def _texts_apart(data: Tables, path: os.PathLike[str]) -> Tables:
    """Schema 1 → 2: every article's text moved to its own file; the record names it."""
    articles = data.get("articles") or {}
    texts = [r["text"] for r in articles.values() if isinstance(r, dict) and isinstance(r.get("text"), str)]
    keys = store_texts(Path(path), texts)
    for doc_id, record in articles.items():
        if isinstance(record, dict) and isinstance(record.get("text"), str):
            articles[doc_id] = record_without_text(record, keys[record["text"]])
    return data


MIGRATIONS: dict[int, Callable[[Tables, os.PathLike[str]], Tables]] = {1: _texts_apart}
"""Schema N → N+1 upgrades of the whole database, applied on open (the file as it was is
kept as `.bak.1` first). A change to the stored shape adds its step here and bumps
STORE_SCHEMA."""
