"""Inputs the benchmarks make for themselves: articles of a given size, databases of a
given number of annotations on one article, and big databases of many short articles
(issue 21). Deterministic (seeded), so two runs measure the same thing."""

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


def article_text(size: int, seed: int = 1, title: str | None = None) -> str:
    """About `size` bytes of news-like prose: paragraphs of 2 to 6 sentences, under
    `title` (by default `TITLE_WORDS` and the size)."""
    rng = random.Random(seed)
    paragraphs = [title or f"{TITLE_WORDS}, {size} bytes", f"{FIRST_WORDS} of {size} bytes, for presscheck's bench."]
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
    """Everything that belongs to the database at `path`: the file itself and the files and
    folders beside it whose name starts with its name (journal, lock, backups, index, the
    folder of article texts), whatever the storage keeps."""
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name) and (p.is_file() or p.is_dir()))


def copy_database(source: Path, target: Path) -> Path:
    """Copy the database at `source` (all of its files and folders) to `target`; returns
    `target`."""
    for item in database_files(source):
        copy = target.with_name(target.name + item.name[len(source.name):])
        if item.is_dir():
            shutil.copytree(item, copy, dirs_exist_ok=True)
        else:
            shutil.copy2(item, copy)
    return target


def database_size(path: Path) -> int:
    """Bytes on disk of all the database's files, those in its folders included."""
    total = 0
    for item in database_files(path):
        if item.is_dir():
            total += sum(file.stat().st_size for file in item.rglob("*") if file.is_file())
        else:
            total += item.stat().st_size
    return total


# the big databases (issue 21): many short articles, each with its annotations -----------

LIBRARY_TITLE = "Bench library article"
"""The title line of the big databases' articles, then the article's number: what the
library screen lists (the open articles' titles are over their panes too, so the library
is recognised by a title that is not open, see `library_title`)."""
LIBRARY_ARTICLE_BYTES = 5_000
PER_ARTICLE = 50
"""Annotations on each article of a big database."""


def library_title(index: int) -> str:
    return f"{LIBRARY_TITLE} {index:04d}"


def library_article(folder: Path, index: int) -> Path:
    """The file of the big databases' article number `index` (about 5 KB, titled
    `library_title(index)`), written once."""
    path = folder / f"library-{index:04d}.txt"
    if not path.exists():
        path.write_text(article_text(LIBRARY_ARTICLE_BYTES, seed=index, title=library_title(index)), encoding="utf-8")
    return path


_loaded: dict[Path, Article] = {}
"""Articles already read from their files (the 2,000 of the biggest database take ~2 s)."""


def library_articles(folder: Path, count: int) -> list[Article]:
    """Articles 0 to `count` - 1 as presscheck reads them from their files."""
    found = []
    for index in range(count):
        path = library_article(folder, index)
        if path not in _loaded:
            _loaded[path] = load_article(path)
        found.append(_loaded[path])
    return found


def make_big_database(folder: Path, articles: int, per_article: int = PER_ARTICLE) -> Path:
    """A database of `articles` library articles (their files in `folder`), each with
    `per_article` annotations (seeded by the article's number), stored with one
    `put_many`; made once, then copied. Articles 0 and 1 are the same files in every one,
    so one launch opening them compares databases of different sizes."""
    path = folder / f"db-{articles}x{per_article}" / "annotations.json"
    if not path.exists():
        made = library_articles(folder, articles)
        annotations = [
            annotation
            for index, article in enumerate(made)
            for annotation in annotations_for(article, per_article, seed=index)
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        store = Store.open(path)
        try:
            store.put_many(made, annotations)
        finally:
            store.close()
    return path


def stored_problem(path: Path, articles: int, annotations: int) -> str | None:
    """Why the database at `path` does not hold `articles` articles and `annotations`
    annotations, as a new Store reads it; None when it does."""
    store = Store.open(path)
    try:
        found = (len(store.articles()), len(store.annotations()))
    finally:
        store.close()
    if found == (articles, annotations):
        return None
    return (f"its database was made with {articles:,} articles and {annotations:,} annotations, but a new Store "
            f"reads {found[0]:,} and {found[1]:,}: the figure does not measure what it says")


def journal_line_bytes(annotation: Annotation, record_number: int) -> int:
    """The length of one journal line saving `annotation` (a compact JSON object holding
    the table, the record's number and the record, and a newline): what the floor of a
    durable save appends. An estimate that does not depend on the storage's own format."""
    import json

    line = {"t": "annotations", "k": str(record_number), "d": annotation.to_dict()}
    return len(json.dumps(line, separators=(",", ":"), ensure_ascii=False).encode("utf-8")) + 1
