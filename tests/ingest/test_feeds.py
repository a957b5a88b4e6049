"""RSS and Atom feeds: entries listed with title, source and date; each one an article."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import IngestError
from reader.ingest import load_article
from reader.ingest.feeds import SUMMARY_MARK, article_from_entry, looks_like_feed, parse_feed
from reader.ingest.sources import open_path

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
RSS = FEEDS / "coastal-courier.rss"
ATOM = FEEDS / "coastal-courier.atom"


def _no_network(url: str):
    raise AssertionError(f"tried to fetch {url}")


def _unreachable(url: str):
    raise IngestError(f"{url}: cannot fetch it: the connection was refused")


def test_an_rss_file_lists_its_entries():
    opened = open_path(RSS)
    assert opened.articles == []
    assert [(e.title, e.published, e.author) for e in opened.entries] == [
        ("Harbour bridge closed after inspectors find cracked cables", "2024-03-14T07:30:00Z", "Maria Okonkwo"),
        ("Council approves free shuttle boat during bridge closure", "2024-03-15T15:05:00Z", "Tom Achebe"),
        ("Ferry staff vote on strike action", "2024-03-12T09:00:00Z", ""),
    ]
    assert {e.feed_title for e in opened.entries} == {"The Coastal Courier – Local news"}
    assert opened.entries[0].source == "https://coastal-courier.example/news/harbour-bridge-closed"


def test_an_atom_file_lists_its_entries():
    entries = open_path(ATOM).entries
    assert [(e.title, e.published, e.author) for e in entries] == [
        ("Drones to inspect the harbour bridge cables", "2024-03-16T08:15:00Z", "Maria Okonkwo"),
        ("Tunnel tolls to rise in May — drivers angry", "2024-03-13T17:45:00Z", "Sam Reid"),
    ]
    assert entries[0].key == "urn:uuid:8e0c9a52-2f0e-4bd6-a6f1-drones"


def test_an_entry_with_full_content_becomes_its_article_without_fetching():
    entry = open_path(RSS).entries[0]
    article = article_from_entry(entry, _no_network)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == entry.title == article.title
    assert paragraphs[1].startswith("The Old Harbour Bridge was closed")
    assert "never run" not in article.text  # the entry's script is dropped
    assert (article.byline, article.published, article.site) == (
        "Maria Okonkwo", "2024-03-14T07:30:00Z", "The Coastal Courier – Local news",
    )
    assert article.source == entry.link


def test_without_content_the_page_is_fetched():
    entry = open_path(RSS).entries[1]
    page = load_article(Path(__file__).resolve().parents[1] / "data" / "pages" / "harbour-bridge.html")
    fetched: list[str] = []

    def fetch_page(url: str):
        fetched.append(url)
        return page

    article = article_from_entry(entry, fetch_page)
    assert fetched == [entry.link]
    assert article.text == page.text and article.id == page.id
    assert article.byline == "Maria Okonkwo"  # the page's own byline wins


def test_without_content_or_a_reachable_page_the_summary_is_marked():
    entry = open_path(RSS).entries[1]
    article = article_from_entry(entry, _unreachable)
    assert article.title == entry.title + SUMMARY_MARK
    assert article.text == (
        "Council approves free shuttle boat during bridge closure\n\n"
        "A free shuttle boat will run every fifteen minutes between the two banks from Monday, "
        "the council decided on Friday."
    )
    assert article_from_entry(entry, None).id == article.id


def test_an_entry_with_nothing_to_read_is_refused():
    data = b'<rss version="2.0"><channel><title>t</title><item><title>Only a title</title></item></channel></rss>'
    [entry] = parse_feed(data, "empty.rss")[1]
    with pytest.raises(IngestError, match="no text"):
        article_from_entry(entry, _no_network)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>', "has no entries"),
        (b"<rss><<<>>>", "not a readable RSS or Atom feed"),
    ],
)
def test_feeds_without_entries_are_refused(data, message, tmp_path):
    path = tmp_path / "feed.rss"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        open_path(path)


def test_a_truncated_feed_lists_what_it_holds(tmp_path):
    path = tmp_path / "cut.rss"
    path.write_bytes(b"<rss><channel><item><title>Cut short</title><description>The text stops")
    assert [e.title for e in open_path(path).entries] == ["Cut short"]


def test_an_xml_file_that_is_not_a_feed_is_refused(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><config><item>1</item></config>')
    with pytest.raises(IngestError, match="data.xml: an XML file, but not an RSS or Atom feed"):
        open_path(path)


def test_a_feed_without_suffix_is_sniffed(tmp_path):
    path = tmp_path / "feed"
    path.write_bytes(ATOM.read_bytes())
    assert len(open_path(path).entries) == 2


def test_load_article_points_a_feed_to_the_right_command():
    with pytest.raises(IngestError, match="a feed, not one article"):
        load_article(RSS)


def test_feeds_are_told_from_pages():
    assert looks_like_feed(RSS.read_bytes()) and looks_like_feed(ATOM.read_bytes())
    assert looks_like_feed('<?xml version="1.0"?><feed xmlns="x"/>'.encode("utf-16"))
    assert not looks_like_feed(b"<html><body>An article about the <rss> element</body></html>")


def test_a_feed_string_is_never_fetched_by_feedparser():
    # feedparser fetches a str that looks like a URL; presscheck hands it bytes only
    with pytest.raises(IngestError):
        parse_feed(b"http://127.0.0.1:9/feed.xml", "x")
