"""Fetching URLs from a web server of the test's own on 127.0.0.1: pages, feeds, and
every way a fetch fails, each a one-line error within the timeout. No other host."""

from __future__ import annotations

import time

import pytest

from reader.errors import IngestError
from reader.ingest.fetch import DEFAULT_TIMEOUT, fetch, fetch_timeout
from reader.ingest.sources import ingest_entry, open_url


import corpus  # tests/data/corpus.py; tests/conftest.py puts tests/data on sys.path
Route = corpus.Route
PAGE = (corpus.PAGES / "harbour-bridge.html").read_bytes()
RSS = (corpus.FEEDS / "coastal-courier.rss").read_bytes()
PNG = (corpus.HOSTILE / "image.png").read_bytes()

FEED_WITH_LINKS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local test feed</title>
<item><title>Summary only, page reachable</title><link>{base}/bridge.html</link><guid>a</guid>
<description>A short summary.</description></item>
<item><title>Summary only, page gone</title><link>http://127.0.0.1:9/gone</link><guid>b</guid>
<description>The summary is all there is.</description></item>
</channel></rss>"""


@pytest.fixture
def server():
    routes = {
        "/bridge.html": Route(PAGE),
        "/feed": Route(RSS, "application/rss+xml"),
        "/feed-as-text": Route(RSS, "text/plain"),
        "/links.xml": Route(FEED_WITH_LINKS, "application/xml"),
        "/cp1252": Route("<html><body><p>Ærø’s ferry sails at nine o’clock every day, the captain said.</p></body></html>"
                         .encode("cp1252"), "text/html; charset=windows-1252"),
        "/plain": Route("Plain text news\n\nThe ferry sails at nine.\n".encode(), "text/plain; charset=utf-8"),
        "/story.md": Route(b"# Ferry news\n\nThe *ferry* sails at nine.\n", "text/plain"),
        "/picture": Route(PNG, "image/png"),
        "/untyped-picture": Route(PNG, ""),
        "/missing-type": Route(PAGE, ""),
        "/empty": Route(b"", "text/html"),
        "/error": Route(b"oops", status=500),
        "/moved": Route(b"", status=302, headers=(("Location", "/bridge.html"),)),
        "/to-file": Route(b"", status=302, headers=(("Location", "file:///etc/passwd"),)),
        "/slow": Route(PAGE, delay=3.0),
        "/drip": Route(PAGE, drip=0.2),
        "/huge": Route(b"<html><body><p>" + b"x" * 300_000 + b"</p></body></html>"),
    }
    with corpus.local_server(routes) as base:
        yield base


def test_a_page_opens_with_its_metadata(server):
    [article] = open_url(f"{server}/bridge.html").articles
    assert article.title == "Harbour bridge closed after inspectors find cracked cables"
    assert article.byline == "Maria Okonkwo" and article.site == "The Coastal Courier"
    assert article.source == f"{server}/bridge.html"
    assert "harbourwatcher" not in article.text


@pytest.mark.parametrize("path", ["/feed", "/feed-as-text"])
def test_a_feed_url_lists_its_entries(server, path):
    opened = open_url(server + path)
    assert opened.articles == [] and len(opened.entries) == 3
    assert opened.entries[0].feed_source == server + path


def test_feed_entries_fetch_their_page_or_fall_back_to_the_summary(server):
    reachable, gone = open_url(f"{server}/links.xml").entries
    page = ingest_entry(reachable, timeout=5)
    assert page.title == "Harbour bridge closed after inspectors find cracked cables"
    assert page.source == f"{server}/bridge.html" and page.site == "The Coastal Courier"
    summary = ingest_entry(gone, timeout=5)
    assert summary.title == "Summary only, page gone (summary)"
    assert summary.text == "Summary only, page gone\n\nThe summary is all there is."


def test_charset_text_markdown_and_missing_types(server):
    assert "Ærø’s ferry" in open_url(f"{server}/cp1252").articles[0].text
    assert open_url(f"{server}/plain").articles[0].text == "Plain text news\n\nThe ferry sails at nine."
    assert open_url(f"{server}/story.md").articles[0].text == "Ferry news\n\nThe ferry sails at nine."
    assert open_url(f"{server}/missing-type").articles[0].byline == "Maria Okonkwo"
    assert open_url(f"{server}/moved").articles[0].byline == "Maria Okonkwo"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/picture", "the server sent image/png, not a page or a feed"),
        ("/untyped-picture", "a binary file"),
        ("/empty", "empty"),
        ("/error", "the server answered 500"),
        ("/nowhere", "the server answered 404"),
        ("/to-file", "file:///etc/passwd"),  # a redirect off the web is not followed
    ],
)
def test_fetch_failures_are_one_line_naming_the_url(server, path, message):
    with pytest.raises(IngestError) as caught:
        open_url(server + path, timeout=5)
    text = str(caught.value)
    assert text.startswith(f"{server}{path}: ") and message in text and "\n" not in text


def test_an_unreachable_server_fails_at_once():
    started = time.monotonic()
    with pytest.raises(IngestError, match=r"^http://127\.0\.0\.1:9/news/today: cannot fetch it: the connection was refused"):
        open_url(corpus.CLOSED_PORT_URL, timeout=5)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_a_slow_server_gives_up_within_the_timeout(server, path):
    started = time.monotonic()
    with pytest.raises(IngestError, match="no answer within 1 s"):
        fetch(server + path, timeout=1.0)
    assert time.monotonic() - started < 2.0


def test_a_page_over_the_size_cap_is_refused(server):
    with pytest.raises(IngestError, match="over the 0 MB limit"):
        fetch(f"{server}/huge", max_bytes=100_000)


def test_the_timeout_is_ten_seconds_unless_configured(monkeypatch):
    monkeypatch.delenv("PRESSCHECK_FETCH_TIMEOUT", raising=False)
    assert fetch_timeout() == DEFAULT_TIMEOUT == 10.0
    monkeypatch.setenv("PRESSCHECK_FETCH_TIMEOUT", "2.5")
    assert fetch_timeout() == 2.5
    monkeypatch.setenv("PRESSCHECK_FETCH_TIMEOUT", "soon")
    assert fetch_timeout() == DEFAULT_TIMEOUT


def test_a_proxy_is_never_used_for_this_machine(server, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert fetch(f"{server}/plain").data.startswith(b"Plain text news")


def test_only_web_addresses_are_fetched():
    with pytest.raises(IngestError, match="not an http"):
        fetch("file:///etc/passwd")
