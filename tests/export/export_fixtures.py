"""Helpers for the export tests: the seed articles with a fixed set of annotations, the same
bytes on every machine, and golden files."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from reader.anchoring import describe
from reader.ingest import load_article
from reader.model import Annotation, Article, Target
from reader.store import Store

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED_NAMES = ("000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt")
UPDATE_GOLDEN = os.environ.get("PRESSCHECK_UPDATE_GOLDEN") == "1"
"""Set to 1 to rewrite the golden files on purpose (then review the diff)."""


def seed_articles() -> list[Article]:
    """The two seed articles, with a relative source and a fixed added_at."""
    return [
        replace(load_article(SEEDS / name), source=f"seeds/{name}", added_at="2024-03-01T09:00:00+00:00")
        for name in SEED_NAMES
    ]


def quote(article: Article, text: str) -> Target:
    start = article.text.index(text)
    return describe(article.id, article.text, start, start + len(text))


def seed_annotations(left: Article, right: Article) -> list[Annotation]:
    """A student's work on the seed exercise: every kind, both articles, one orphan."""

    def make(number: int, kind: str, targets: tuple[Target, ...], **fields: object) -> Annotation:
        return Annotation(
            id=f"00000000-0000-4000-8000-{number:012d}",
            kind=kind,  # type: ignore[arg-type]
            targets=targets,
            author="Ana Student",
            created=f"2024-03-01T10:{number:02d}:00+00:00",
            **fields,  # type: ignore[arg-type]
        )

    stale = describe(left.id, left.text, 10, 40)
    orphan = Target(
        left.id, stale.position, replace(stale.quote, exact="The summit ended early on Thursday")
    )
    return [
        make(1, "claim", (quote(left, "Kim Jong Un demanded a total reversal of existing economic sanctions"),),
             tags=("attributed claim",), note="Trump's account; the North Korean side tells it differently."),
        make(2, "claim", (quote(right, "Ri Yong Ho claims Kim Jong Un has demanded the removal of only some of the sanctions"),),
             tags=("attributed claim",)),
        make(3, "contradiction",
             (quote(left, "demanded a total reversal of existing economic sanctions"),
              quote(right, "demanded the removal of only some of the sanctions")),
             note="All of the sanctions, or only some?"),
        make(4, "link",
             (quote(left, "sometimes you have to “walk away”"),
              quote(right, "sometimes you have to walk and this was just one of those times")),
             relation="same event"),
        make(5, "claim", (quote(right, "the first occurring in Singapore during June 2018"),),
             tags=("number or date", "factual claim")),
        make(6, "note", (quote(left, "recent intelligence reports indicate that North Korea has done very little towards this goal"),),
             note="Which reports? No source is named.\nCheck before repeating it."),
        make(7, "claim", (quote(right, "the President launched a stunning attack on his former lawyer"),),
             tags=("opinion or framing",), note="*stunning* is the reporter's word, not a fact."),
        make(8, "link",
             (quote(left, "The president was speaking in a press conference in the Vietnamese capital Hanoi."),
              quote(left, "After the press conference, the president flew immediately back to the US.")),
             relation="elaborates"),
        make(9, "claim", (orphan,), tags=("factual claim",), anchor="orphaned"),
    ]


def fill(store: Store) -> tuple[list[Article], list[Annotation]]:
    """Put the seed articles and annotations into `store`, with a remembered author."""
    articles = seed_articles()
    annotations = seed_annotations(*articles)
    for article in articles:
        store.put_article(article)
    for annotation in annotations:
        store.put_annotation(annotation)
    store.set_meta("author", "Ana Student")
    return articles, annotations


def check_golden(name: str, actual: bytes) -> None:
    """Compare with `golden/<name>` byte for byte (or rewrite it, with UPDATE_GOLDEN)."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        path.write_bytes(actual)
        if not UPDATE_GOLDEN:
            pytest.fail(f"{path} did not exist; written now, review and commit it")
    assert actual.decode("utf-8") == path.read_bytes().decode("utf-8")
