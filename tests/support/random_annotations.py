"""Random annotations on short articles, for the storage's equivalence tests."""

from __future__ import annotations

import random

from reader.anchoring import describe
from reader.ingest.article import article_from_text
from reader.model import Annotation, Article


def numbered_article(index: int) -> Article:
    """A short article of 80 distinct words and two sentences, read from `a{index}.txt`."""
    words = " ".join(f"word{index}x{n}" for n in range(80))
    return article_from_text(f"Article number {index}\n\n{words}. Second sentence of {index}.\n", source=f"a{index}.txt")


def random_annotation(rng: random.Random, articles: list[Article], **fields: object) -> Annotation:
    """A claim on one of `articles` or (one time in three) a contradiction across two, on a
    random passage of each; `fields` are the annotation's other fields (author "t")."""
    chosen = rng.sample(articles, rng.choice((1, 1, 2)))
    targets = []
    for article in chosen:
        start = rng.randrange(0, len(article.text) - 30)
        targets.append(describe(article.id, article.text, start, start + rng.randint(5, 25)))
    kind = "claim" if len(targets) == 1 else "contradiction"
    relation = "contradicts" if kind != "claim" else ""
    return Annotation(kind=kind, targets=tuple(targets), **{"author": "t", "relation": relation, **fields})  # type: ignore[arg-type]
