"""Placing annotations from other files on the texts at hand: a library of articles (the
database's, those import files carry, an exercise pack's) and where a target lands in it,
by its article's id, the article's file name or URL, and its quote. No UI.

Both `import` (`reader.export.importing`) and `compare` (`reader.classroom.submissions`)
place with these rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Literal

from reader.anchoring import describe, has_position, locate, reanchor
from reader.article_names import name_keys
from reader.errors import UserError
from reader.model import Anchor, Article, Target

Placement = Literal["exact", "moved", "orphaned", "waiting"]
"""Where a target landed: as the model's `Anchor`, or `waiting` for an article not at hand."""


class Library:
    """The texts annotations can be placed on: the database's articles, the articles import
    files carry (`carried`, filled as files are applied) and an exercise pack's.

    `pack_articles` is read on first need only, so a generator that loads the pack costs
    nothing when every target is placed without it; a UserError while reading it (a broken
    pack) keeps the articles read so far: it only means fewer places to look.
    """

    def __init__(self, db_articles: Iterable[Article] = (), pack_articles: Iterable[Article] = ()) -> None:
        self.db: dict[str, Article] = {a.id: a for a in db_articles}
        self.carried: dict[str, Article] = {}
        self._pack_articles: Iterator[Article] | None = iter(pack_articles)
        self._pack: dict[str, Article] = {}
        self.pages: dict[str, str] = {}
        """A name another tool gave an article (the web page Hypothesis annotated) → the
        article a quote made there was found in as written: that tool's other annotations
        on the page are placed on that article, or orphaned there."""

    @property
    def pack(self) -> dict[str, Article]:
        """The pack's articles by id, read the first time they are asked for."""
        if self._pack_articles is not None:
            articles, self._pack_articles = self._pack_articles, None
            try:
                for article in articles:
                    self._pack[article.id] = article
            except UserError:
                pass  # a broken pack only means fewer places to look
        return self._pack

    def get(self, article_id: str) -> Article | None:
        return self.db.get(article_id) or self.carried.get(article_id) or self.pack.get(article_id)

    def everything(self) -> list[Article]:
        merged = {**self.pack, **self.carried, **self.db}
        return list(merged.values())

    def named(self, name: str) -> list[Article]:
        keys = name_keys(name)
        found = [a for a in self.everything() if keys & name_keys(a.source)]
        page = self.get(self.pages.get(name, ""))
        if page is not None and page not in found:
            found.insert(0, page)
        return found


def place(target: Target, library: Library, names: dict[str, str]) -> tuple[Target, Placement, Article | None]:
    """Place one target: by its article's id when the text is known, else by name and quote.

    `names` maps the article ids of the file the target comes from to the file name or URL
    that file knew them by."""
    if not target.source:
        article = library.get(target.article_id)
        if article is not None:
            placed, anchor = reanchor(article.text, target)
            return placed, anchor, article
        named = library.named(names.get(target.article_id, ""))
        if named:  # another version of the article, known by the same file name or URL
            found = _best_by_quote(target, named)
            if found is not None:
                placed, anchor, article = found
                return replace(placed, uri=target.uri), anchor, article
            return replace(target, article_id=named[0].id), "orphaned", named[0]
        return target, "waiting", None
    named = library.named(target.source)
    found = _best_by_quote(target, named or library.everything())
    uri = target.uri or target.source  # where the other tool annotated it, kept once placed
    if found is not None:
        placed, anchor, article = found
        if anchor == "exact":
            library.pages.setdefault(target.source, article.id)
        return replace(placed, uri=uri), anchor, article
    if named:
        return Target(named[0].id, target.position, target.quote, uri=uri), "orphaned", named[0]
    return target, "waiting", None


def _best_by_quote(target: Target, articles: Sequence[Article]) -> tuple[Target, Placement, Article] | None:
    """The best place for `target`'s quote among `articles`, or None."""
    best: tuple[tuple[bool, float], Target, Anchor, Article] | None = None
    position = target.position if has_position(target) else None
    for article in articles:
        match = locate(article.text, target.quote, position)
        if match is None:
            continue
        rank = (match.anchor == "exact", match.score)
        if best is None or rank > best[0]:
            placed = describe(article.id, article.text, match.start, match.end)
            best = (rank, placed, match.anchor, article)
    if best is None:
        return None
    return best[1], best[2], best[3]
