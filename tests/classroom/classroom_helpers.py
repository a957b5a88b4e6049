"""Helpers for classroom tests: the seed key, and student exports written from spans."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from reader.anchoring import describe
from reader.export import json_format, w3c
from reader.export.reading import read_file
from reader.ingest import load_article
from reader.model import Annotation, Article

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
KEY = SEEDS / "key.json"
SEED_FILES = ("000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt")


def seed_articles() -> dict[str, Article]:
    """The seed articles by id."""
    articles = [load_article(SEEDS / name) for name in SEED_FILES]
    return {a.id: a for a in articles}


def key_annotations() -> list[Annotation]:
    return read_file(KEY).annotations


def respan(annotation: Annotation, spans: list[tuple[int, int]], articles: dict[str, Article], **changes) -> Annotation:
    """`annotation` with its targets moved to `spans` (same articles), a new id."""
    targets = tuple(
        describe(t.article_id, articles[t.article_id].text, start, end)
        for t, (start, end) in zip(annotation.targets, spans)
    )
    return replace(annotation, targets=targets, id=str(uuid.uuid4()), **changes)


def write_native(path: Path, annotations: list[Annotation], author: str) -> Path:
    articles = list(seed_articles().values())
    annotations = [replace(a, author=author) for a in annotations]
    path.write_bytes(json_format.dumps(json_format.build_document(articles, annotations, author)))
    return path


def write_w3c_quote_only(path: Path, annotations: list[Annotation], author: str) -> Path:
    """A Hypothesis-style W3C file: quote selectors only, articles named by file name."""
    articles = seed_articles()
    names = {a.id: Path(a.source).name for a in articles.values()}
    document = w3c.build_collection([replace(a, author=author) for a in annotations], author)
    for item in document["first"]["items"]:
        for target in item["target"]:
            article_id = target["source"].rsplit(":", 1)[-1]
            target["source"] = names[article_id]
            target["selector"] = [s for s in target["selector"] if s["type"] == "TextQuoteSelector"]
    path.write_bytes(w3c.dumps(document))
    return path
