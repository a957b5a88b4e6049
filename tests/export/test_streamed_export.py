"""The JSON export made a run at a time (issue 21): byte for byte the document built whole
from every annotation at once, whatever the database holds (runs, the journal's changes,
deletions, cross-article pairs, hostile strings, a hand-in's public names)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from reader.anchoring import describe
from reader.export import escape_invisible, render_export, select
from reader.export import json_format
from reader.ingest.article import article_from_text
from reader.model import Annotation, Article
from reader.store import Store

HOSTILE = ["plain", "caf\u00e9 \u201cquoted\u201d", "\x1b[31mred\x1b[0m", "\u009b2J csi", "\u202eevil\u202c", "line\nbreak"]


def _article(index: int) -> Article:
    words = " ".join(f"w{index}n{n}" for n in range(60))
    return article_from_text(f"Article {index}\n\n{words}. End of {index}.\n", source=f"/home/t/a{index}.txt")


def _annotation(rng: random.Random, articles: list[Article]) -> Annotation:
    kind = rng.choice(["claim", "note", "contradiction", "link"])
    chosen = rng.sample(articles, 2 if kind in ("contradiction", "link") else 1)
    targets = []
    for article in chosen:
        start = rng.randrange(0, len(article.text) - 20)
        target = describe(article.id, article.text, start, start + rng.randrange(1, 20))
        if rng.random() < 0.3:  # where another tool made it: a local path a hand-in must not carry
            target = replace(target, uri=f"/home/t/{article.id}.html")
        targets.append(target)
    return Annotation(kind=kind, targets=tuple(targets), author=rng.choice(HOSTILE), tags=(rng.choice(HOSTILE),),
                      note=rng.choice(HOSTILE), relation="contradicts" if kind == "contradiction" else "",
                      created=f"2026-11-{rng.randrange(1, 29):02d}T10:00:00+00:00")


def _whole(store: Store, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    """The export as it was made before: every annotation selected, sorted, built, dumped."""
    articles, annotations = select(store, kwargs.get("article_ids"), kwargs.get("only_author"))
    document = json_format.build_document(articles, annotations, kwargs.get("author", ""),
                                          sources=kwargs.get("sources"))
    return escape_invisible(json_format.dumps(document))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_export_made_run_by_run_is_the_document_built_whole(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_format, "now_iso", lambda: "2026-12-02T00:00:00+00:00")
    rng = random.Random(seed)
    db = tmp_path / "annotations.json"
    articles = [_article(i) for i in range(6)]
    store = Store.open(db)
    made = [_annotation(rng, articles) for _ in range(60)]
    store.put_many(articles, made)
    store.close()  # folded: runs and an index
    store = Store(db)
    for annotation in rng.sample(made, 10):  # the journal's changes over the runs
        store.put_annotation(annotation.edited(note=rng.choice(HOSTILE)))
    for annotation in rng.sample(made, 5):
        store.delete_annotation(annotation.id)
    store.put_annotation(_annotation(rng, articles))
    store = Store(db)  # a fresh reader: the runs from the file, the journal from memory
    cases = [
        {"author": "me"},
        {"author": "me", "sources": {articles[0].id: "pack/a0.txt"}},
        {"article_ids": [articles[1].id, articles[2].id]},
        {"only_author": HOSTILE[2], "sources": {}},
    ]
    for case in cases:
        streamed, count = render_export(store, "json", case.get("article_ids"), case.get("author", ""),
                                        case.get("only_author"), sources=case.get("sources"))
        assert streamed == _whole(store, **case), case
        assert count == streamed.count(b'"kind": ')
    assert b"\x1b" not in streamed and "\u009b".encode() not in streamed


def test_an_export_of_no_annotation_lists_none(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "annotations.json")
    store.put_many([_article(0)])
    blob, count = render_export(store, "json", author="me")
    assert count == 0 and b'"annotations": []' in blob and b'"articles": []' in blob
