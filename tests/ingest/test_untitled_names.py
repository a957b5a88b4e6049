"""An article without a title line is named by its source (a file's name, a page's
address), its first sentence its subtitle; its id stays the same (content-addressed), and
an article a database stored before keeps the title it was stored with."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.article_names import readable_name
from reader.ingest import article_from_text, load_article
from reader.ingest.html import article_from_html
from reader.ingest.title import find_subtitle, find_title, first_sentence, named_by_source, opening
from reader.launch import prepare_session
from reader.model import Article, article_id_for
from reader.store import Store

BODY = "The council voted on Tuesday to close the old library. Campaigners were angry.\n\nMore."
SEED_FIRST = "President Donald Trump confirmed on Thursday that the North Korea summit collapsed because Kim…"


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("hanoi-summit_report.txt", "hanoi summit report"),
        ("/home/ana/news/hanoi-summit_report.txt", "hanoi summit report"),
        ("C:\\Users\\ana\\2019-02-28 talks.md", "2019-02-28 talks"),  # dates keep their hyphens
        ("file:/srv/pages/council__vote--result.html", "council vote result"),
        ("https://example.com/news/2019/hanoi-summit.html?ref=rss#top", "hanoi summit"),
        ("https://example.com/news/caf%C3%A9-talks/", "café talks"),
        ("https://example.com/", "example.com"),  # no page name: the site's
        ("notes", "notes"),
        ("report v1.2 draft.md", "report v1.2 draft"),  # only the extension goes
        ("IMG_2041.txt", "IMG 2041"),
        # names that name nothing: a hash, a number, a date alone (the first sentence does)
        ("000_1aa975c49d58f58c.txt", ""),
        ("https://example.com/a/1234567", ""),
        ("https://example.com/news/2019/02/28/", ""),
        ("x.txt", ""),
        ("", ""),
    ],
)
def test_a_source_is_named_readably(source: str, name: str):
    assert readable_name(source) == name


def test_an_untitled_text_is_named_by_its_file_with_its_first_sentence_as_subtitle():
    article = article_from_text(BODY, "/tmp/x/hanoi-summit_report.txt")
    assert article.title == "hanoi summit report"
    assert named_by_source(article.title, article.text, article.source)
    subtitle = find_subtitle(article.title, article.text, article.source)
    assert subtitle == "The council voted on Tuesday to close the old library."
    assert opening(article.text, 30) == "The council voted on Tuesday…"


def test_the_seed_named_by_a_hash_is_titled_by_its_first_sentence(seed_000: Article):
    """The seed's file name (`000_1aa975c49d58f58c.txt`) names nothing a reader knows."""
    assert seed_000.title == SEED_FIRST
    assert find_subtitle(seed_000.title, seed_000.text, seed_000.source) == ""


def test_a_title_line_or_a_given_title_wins_and_has_no_subtitle(seed_001: Article):
    assert seed_001.title == "Talks between US and North Korea collapse"
    assert find_subtitle(seed_001.title, seed_001.text, seed_001.source) == ""
    given = article_from_text(BODY, "report.txt", title="Council closes library")
    assert given.title == "Council closes library" and find_subtitle(given.title, given.text, given.source) == ""


def test_without_a_source_the_first_sentence_is_still_the_title():
    assert find_title(BODY) == "The council voted on Tuesday to close the old library."
    assert find_title(BODY, "") == first_sentence(BODY)


def test_an_html_page_is_named_by_its_title_else_its_address():
    titled = article_from_html("<html><head><title>Council closes library</title></head><body><p>"
                               + BODY.split("\n")[0] + "</p></body></html>", "https://example.com/a/council-vote")
    assert titled.title == "Council closes library"
    untitled = article_from_html("<html><body><p>" + BODY.split("\n")[0] + " " * 3 + "</p></body></html>",
                                 "https://example.com/a/council-vote.html")
    assert untitled.title == "council vote"
    assert find_subtitle(untitled.title, untitled.text, untitled.source).startswith("The council voted")


def test_the_id_depends_on_the_text_alone():
    named = article_from_text(BODY, "hanoi-summit_report.txt")
    other = article_from_text(BODY, "elsewhere/other.txt")
    assert named.id == other.id == article_id_for(named.text)
    assert named.title != other.title


def test_an_article_stored_before_keeps_its_title_and_has_no_subtitle(tmp_path: Path, seeds: Path):
    """A database made before the new names holds the seed titled by its first sentence:
    opening the same file again shows it as it was stored, annotations and all."""
    path = tmp_path / "hanoi-summit.txt"
    path.write_bytes((seeds / "000_1aa975c49d58f58c.txt").read_bytes())
    assert load_article(path).title == "hanoi summit"  # what it would be named now
    db = tmp_path / "db.json"
    old = replace(load_article(path), title=SEED_FIRST)  # as the old ingest stored it
    Store.open(db).put_article(old)
    session = prepare_session([str(path)], db, "tester")
    [opened] = session.articles
    assert opened.id == old.id and opened.title == SEED_FIRST
    assert not named_by_source(opened.title, opened.text, opened.source)
    assert find_subtitle(opened.title, opened.text, opened.source) == ""
    assert Store.open(db).article(old.id).title == SEED_FIRST  # not rewritten
