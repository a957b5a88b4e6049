"""The library's view of a database: every article's metadata and how many annotations
touch it, from the small tables and the snapshot's index; no annotation and no text is
read to list them (a text only for an untitled article, when its opening is shown). No UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.store import Store


@dataclass(frozen=True)
class Listed:
    """One stored article as a list shows it (duck-types `Article` for the fields a list
    reads; `text` is read from its file when asked for)."""

    id: str
    title: str
    source: str
    published: str
    added_at: str
    annotations: int
    store: Store = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        article = self.store.article(self.id)
        return article.text if article is not None else ""


def catalogue(store: Store) -> list[Listed]:
    """Every article record that names its fields as text, with its annotation count."""
    counts = store.annotation_counts()
    listed = []
    for record in store.article_records():
        fields = [record.get(name, "") for name in ("id", "title", "source", "published", "added_at")]
        if all(type(value) is str for value in fields) and fields[0]:
            listed.append(Listed(*fields, annotations=counts.get(fields[0], 0), store=store))  # type: ignore[misc]
    return listed
