"""A database of many short stored articles, as the library tests open it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reader.ingest import article_from_text
from reader.model import Article
from reader.store import Store


def stored_library(db_path: Path, count: int, more: Sequence[tuple[str, str]] = ()) -> list[Article]:
    """`count` short articles in the database at `db_path`: most titled, every third
    untitled (named by its file, shown with its opening words); then `more`, as (text,
    source) pairs. The articles, in that order."""
    articles = []
    for index in range(count):
        if index % 3:
            text = f"Stored article {index:04d}\n\nIts text, number {index}. Another sentence."
        else:
            text = f"An untitled article, number {index}, opens like this. More text follows."
        articles.append(article_from_text(text, f"/library/untitled-{index:04d}.txt"))
    articles += [article_from_text(text, source) for text, source in more]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db_path)
    store.put_many(articles)
    store.close()
    return articles
