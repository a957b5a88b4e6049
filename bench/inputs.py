"""Inputs the benchmarks make for themselves: articles of a given size and databases of a
given number of annotations. Deterministic (seeded), so two runs measure the same thing."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from reader.anchoring import describe
from reader.ingest import load_article
from reader.model import Annotation, Article
from reader.store import Store

WORDS = (
    "summit talks leaders agreement nuclear sanctions officials said statement meeting "
    "delegation president chairman envoy reporters denuclearization negotiations hotel "
    "press conference dinner agenda proposal missile testing site facility relief economy "
    "declaration interpreter minister spokesman embassy border peace treaty region allies "
    "the a of to and in on for with that was were had has would could not but after before"
).split()

TITLE_WORDS = "Presscheck bench article"
"""Every article opens with a title line (short, no full stop, a blank line after it), so
the app takes it as the title and shows it above the pane as well as in it."""
FIRST_WORDS = "Benchmark article opening sentence"
"""The first paragraph of the body starts with this: what the first-frame measure waits to
see. It is not the title, so it is on screen only once the pane has drawn the text."""
LAST_WORDS = "Closing line of the benchmark article"
"""...and ends with this one: what End waits to see."""
NEEDLE = "Xylophone"
"""A word found in a few places only: what find-next jumps between."""


def article_text(size: int, seed: int = 1) -> str:
    """About `size` bytes of news-like prose: paragraphs of 2 to 6 sentences."""
    rng = random.Random(seed)
    paragraphs = [f"{TITLE_WORDS}, {size} bytes", f"{FIRST_WORDS} of {size} bytes, for presscheck's bench."]
    total = sum(len(paragraph) + 2 for paragraph in paragraphs)
    count = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            words = rng.choices(WORDS, k=rng.randint(8, 28))
            count += 1
            if count % 997 == 0:
                words[rng.randrange(len(words))] = NEEDLE
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    paragraphs.append(f"{LAST_WORDS}.")
    return "\n\n".join(paragraphs) + "\n"


def write_article(folder: Path, size: int) -> Path:
    path = folder / f"article-{size}.txt"
    if not path.exists():
        path.write_text(article_text(size), encoding="utf-8")
    return path


def annotations_for(article: Article, count: int, seed: int = 2) -> list[Annotation]:
    """`count` claims, contradictions, links and notes on `article`, with real quotes."""
    rng = random.Random(seed)
    kinds = ("claim", "contradiction", "link", "note")
    text_length = len(article.text)
    made = []
    for index in range(count):
        kind = kinds[index % 4]
        targets = []
        for _ in range(2 if kind in ("contradiction", "link") else 1):
            start = rng.randrange(0, max(1, text_length - 200))
            targets.append(describe(article.id, article.text, start, start + rng.randint(20, 160)))
        made.append(
            Annotation(
                kind=kind,
                targets=tuple(targets),
                author=f"student-{index % 30}",
                tags=("official-source",) if kind == "claim" else (),
                relation={"contradiction": "contradicts", "link": "supports"}.get(kind, ""),
                note="a note about this passage" if kind == "note" else "",
            )
        )
    return made


def make_database(folder: Path, count: int, seed: int = 2) -> tuple[Path, Article]:
    """A database of `count` annotations on one 20 KB article (made once, then copied).

    Another `seed` gives other annotations on the same article (a second student)."""
    path = folder / (f"db-{count}.json" if seed == 2 else f"db-{count}-seed{seed}.json")
    article = load_article(write_article(folder, 20_000))
    if not path.exists():
        store = Store.open(path)
        store.put_many([article], annotations_for(article, count, seed))
        close = getattr(store, "close", None)
        if close is not None:
            close()
    return path, article


def make_stock_database(folder: Path, count: int, seed: int = 2) -> Path:
    """The records of `make_database(folder, count, seed)` in a stock TinyDB file (default
    `JSONStorage`): the reference the durable save is compared with.

    It is written by TinyDB itself rather than copied from presscheck's file, because
    presscheck's own files need not be one TinyDB document (a snapshot and a journal)."""
    from tinydb import TinyDB

    path = folder / f"stock-{count}-seed{seed}.json"
    if not path.exists():
        _, article = make_database(folder, count, seed)
        db = TinyDB(path)
        try:
            db.table("articles").insert(article.to_dict())
            db.table("annotations").insert_multiple(a.to_dict() for a in annotations_for(article, count, seed))
            db.table("meta").insert({"key": "author", "value": "bench"})
        finally:
            db.close()
    return path


def database_files(path: Path) -> list[Path]:
    """Every file that belongs to the database at `path`: the file itself and those whose
    name starts with its name (journal, lock, backups), whatever the storage keeps."""
    return sorted(p for p in path.parent.iterdir() if p.is_file() and p.name.startswith(path.name))


def copy_database(source: Path, target: Path) -> Path:
    """Copy the database at `source` (all of its files) to `target`; returns `target`."""
    for file in database_files(source):
        shutil.copy2(file, target.with_name(target.name + file.name[len(source.name):]))
    return target


def database_size(path: Path) -> int:
    """Bytes on disk of all the database's files."""
    return sum(file.stat().st_size for file in database_files(path))
