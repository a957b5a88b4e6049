"""A file that changed since it was annotated: its annotations follow it to its new text
(exact, moved or orphaned, as `import` places them). No UI.

An article's id is its text's hash, so a file re-saved with a corrected paragraph opens as
a new article and its annotations stay on the old one, unseen (the everyday case behind
Hypothesis's "orphans"). When an article opens, the annotations on the other articles read
from the same source are re-anchored on it and saved; the old text stays in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from reader.model import ANCHORS, Anchor, Annotation, Article
from reader.records import record
from reader.store import Store


@record()
class Followed:
    """What happened to one changed file's annotations."""

    article: Article
    exact: int = 0
    moved: int = 0
    orphaned: int = 0

    def __init__(self, article: Article, exact: int = 0, moved: int = 0, orphaned: int = 0) -> None:
        self.article = article
        self.exact = exact
        self.moved = moved
        self.orphaned = orphaned

    @property
    def total(self) -> int:
        return self.exact + self.moved + self.orphaned

    def summary(self) -> str:
        """One line for the status bar: `report.txt changed since it was annotated: 2 moved, 1 orphaned`."""
        name = self.article.source.replace("\\", "/").rsplit("/", 1)[-1] or self.article.title
        parts = [f"{count} {word}" for count, word in
                 ((self.moved, "moved"), (self.orphaned, "orphaned"), (self.exact, "in place")) if count]
        noun = "annotation" if self.total == 1 else "annotations"
        return f"{name} changed since it was annotated; its {noun}: {', '.join(parts)}"


def _worst(anchors: Iterable[Anchor]) -> Anchor:
    return max(anchors, key=ANCHORS.index, default="exact")


def _follow(annotation: Annotation, old_ids: set[str], article: Article) -> tuple[Annotation, Anchor]:
    """`annotation` with its targets on `old_ids` placed on `article`, and how they landed."""
    # imported here: every start imports this module, and only a file that changed since it
    # was annotated needs the anchoring (nothing else loads it before the first frame)
    from reader.anchoring import reanchor

    targets = []
    landed: list[Anchor] = []
    for target in annotation.targets:
        if target.article_id in old_ids:
            target, anchor = reanchor(article.text, replace(target, article_id=article.id))
            landed.append(anchor)
        targets.append(target)
    untouched = len(landed) < len(annotation.targets)
    anchor = _worst([*landed, annotation.anchor] if untouched else landed)
    return replace(annotation, targets=tuple(targets), anchor=anchor), _worst(landed)


def follow_changed_files(store: Store, articles: Iterable[Article]) -> list[Followed]:
    """Move the annotations of earlier versions of `articles` (same source, other text)
    onto them, saved in one transaction; what moved, per article that had any."""
    followed: list[Followed] = []
    changed: list[Annotation] = []
    for article in articles:
        if not article.source:
            continue
        older = {a.id for a in store.other_versions(article)}
        if not older:
            continue
        report = Followed(article)
        for annotation in store.annotations(older):
            placed, anchor = _follow(annotation, older, article)
            changed.append(placed)
            setattr(report, anchor, getattr(report, anchor) + 1)
        if report.total:
            followed.append(report)
    if changed:
        store.put_many(annotations=changed)
    return followed


def current_versions(articles: Iterable[Article], annotated: Callable[[str], int]) -> list[Article]:
    """`articles` without the earlier texts of changed files: of the articles read from one
    source, the one added last, and any other that still has annotations (`annotated(id)`
    counts them); articles with no source are all kept. Order kept."""
    articles = list(articles)
    latest: dict[str, Article] = {}
    for article in articles:
        if article.source:
            known = latest.get(article.source)
            if known is None or article.added_at >= known.added_at:
                latest[article.source] = article
    return [a for a in articles
            if not a.source or latest[a.source] is a or annotated(a.id)]
