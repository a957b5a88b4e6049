"""Opening paths: kinds by suffix or content, folders, and the same article every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.errors import IngestError
from reader.ingest.feeds import article_from_entry
from reader.ingest.sources import open_path, sniff
from reader.model import Article, article_id_for
from reader.store import Store


import corpus  # tests/data/corpus.py; tests/conftest.py puts tests/data on sys.path
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize(
    ("data", "suffix", "media_type", "kind"),
    [
        (b"<html><body>x</body></html>", ".txt", "", "text"),  # a .txt shows its markup
        (b"<html><body>x</body></html>", "", "", "html"),
        (b"<html><body>x</body></html>", ".php", "", "html"),
        (b"# Title", ".md", "", "markdown"),
        (b"# Title", "", "text/markdown", "markdown"),
        (b'<rss version="2.0">', ".html", "", "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "", "text/html", "feed"),
        (b"<config/>", ".xml", "", None),
        (b"plain words", "", "", "text"),
        (b"plain words", "", "text/plain", "text"),
        (b"a,b\n1,2", ".csv", "", None),
        (b"plain words", "", "application/json", None),
    ],
)
def test_kinds_by_suffix_type_and_content(data, suffix, media_type, kind):
    assert sniff(data, suffix, media_type) == kind


def test_an_unknown_suffix_is_refused_with_what_opens(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(IngestError, match=r"notes.csv: presscheck opens \.txt, \.md, \.html or an RSS/Atom feed"):
        open_path(path)


def test_a_folder_opens_every_article_in_it_and_names_what_it_skipped(tmp_path):
    for name in ("001_1c2accc8ffba02b5.txt", "000_1aa975c49d58f58c.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    shutil.copy(corpus.PAGES / "harbour-bridge.html", tmp_path / "page.html")
    shutil.copy(corpus.FEEDS / "coastal-courier.atom", tmp_path / "transport.atom")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "photo.png").write_bytes((corpus.HOSTILE / "image.png").read_bytes())
    (tmp_path / ".hidden.txt").write_text("not listed")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deeper.txt").write_text("Subfolders are not searched.")
    opened = open_path(tmp_path)
    assert [Path(a.source).name for a in opened.articles] == [
        "000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt", "page.html",
    ]
    assert [e.title for e in opened.entries][0] == "Drones to inspect the harbour bridge cables"
    assert opened.notices == [f"skipped {tmp_path / 'empty.md'}: the file is empty; nothing to read"]


def test_a_folder_without_articles_is_refused(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "blank.txt").write_text("  \n")
    with pytest.raises(IngestError, match=r"no articles in this folder \(1 file\(s\) could not be read\)"):
        open_path(tmp_path)


def _articles(path: Path) -> list[Article]:
    opened = open_path(path)
    return opened.articles + [article_from_entry(e) for e in opened.entries]


def _all_fixture_articles(big: dict[str, Path]) -> list[Article]:
    inputs = [*corpus.fixture_inputs(), *big.values(), SEEDS / "001_1c2accc8ffba02b5.txt"]
    return [article for path in inputs for article in _articles(path)]


def test_the_same_input_gives_the_same_article_every_time_and_after_the_database(tmp_path):
    big = corpus.write_big_files(tmp_path)
    first = _all_fixture_articles(big)
    second = _all_fixture_articles(big)
    assert len(first) == 20
    for one, two in zip(first, second, strict=True):
        assert (one.id, one.text, one.title, one.furniture) == (two.id, two.text, two.title, two.furniture)
        assert one.id == article_id_for(one.text)
    assert len({a.id for a in first}) == len(first)  # different inputs, different articles

    store = Store.open(tmp_path / "db.json")
    for article in first:
        store.put_article(article)
        store.put_article(article)  # again: no duplicate
    again = Store.open(tmp_path / "db.json")
    assert len(again.articles()) == len(first)
    for article in first:
        stored = again.article(article.id)
        assert stored == article  # text, metadata, furniture and site, all kept


def test_a_page_saved_twice_is_one_article(tmp_path):
    page = corpus.PAGES / "harbour-bridge.html"
    copy = tmp_path / "saved-again.htm"
    copy.write_bytes(page.read_bytes().replace(b"<head>", b"<head>\r\n<!-- saved 2024-03-15 -->"))
    [one], [two] = open_path(page).articles, open_path(copy).articles
    assert one.id == two.id and one.text == two.text
    assert one.raw_sha256 != two.raw_sha256
