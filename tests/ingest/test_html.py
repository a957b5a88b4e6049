"""HTML pages and fragments to article text (trafilatura), with their metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import IngestError
from reader.ingest import load_article
from reader.ingest.html import article_from_html, declared_charset, fragment_text, looks_like_html
from reader.ingest.sources import article_from_bytes

PAGE = Path(__file__).resolve().parents[1] / "data" / "pages" / "harbour-bridge.html"


@pytest.fixture(scope="module")
def page():
    return load_article(PAGE)


def test_a_saved_news_page_opens_as_its_article_text(page):
    paragraphs = page.text.split("\n\n")
    assert paragraphs[0] == "Harbour bridge closed after inspectors find cracked cables"
    assert paragraphs[1].startswith("The Old Harbour Bridge was closed to all traffic on Thursday")
    assert paragraphs[-1].startswith("Engineers will use drones")
    assert "Businesses worry about the summer season" in paragraphs  # a subheading stays
    assert len(paragraphs) == 9


def test_the_page_keeps_title_byline_date_and_site(page):
    assert page.title == "Harbour bridge closed after inspectors find cracked cables"
    assert page.byline == "Maria Okonkwo"
    assert page.published == "2024-03-14"
    assert page.site == "The Coastal Courier"
    assert page.source == str(PAGE)
    assert len(page.raw_sha256) == 64


@pytest.mark.parametrize(
    "furniture",
    [
        "Politics",  # navigation
        "Cheap flights",  # ads
        "Switch your energy supplier",
        "Win a luxury cruise",
        "harbourwatcher",  # comments
        "Bring back the old ferry",
        "We use cookies",  # cookie banner
        "Tweet this",  # share tools
        "Most read",
        "All rights reserved",
        "Mayor denies secret deal",  # other stories
        "window.dataLayer",  # scripts
    ],
)
def test_navigation_ads_and_comments_are_left_out(page, furniture):
    assert furniture not in page.text


def test_the_page_charset_is_taken_from_the_meta_tag():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\xe9 prices</title></head><body><article><h1>Caf\xe9 prices</h1>"
        "<p>The caf\xe9\x92s owner said \x93we\x92re open\x94 \x96 and coffee costs 2 \x80, up from "
        "1.80 \x80 last year, which regulars called steep but fair in a town of few caf\xe9s.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    assert declared_charset(html) == "windows-1252"
    article = article_from_bytes(html, "cafe.html", "html")
    assert "The café’s owner said “we’re open” – and coffee costs 2 €" in article.text
    assert article.title == "Café prices"


def test_a_header_charset_wins_over_guessing():
    html = "<html><body><p>Ærø’s ferry sails at nine o’clock every day of the week, said the captain.</p></body></html>"
    article = article_from_bytes(html.encode("cp1252"), "ferry.html", "html", charset="windows-1252")
    assert "Ærø’s ferry" in article.text


def test_a_wrong_declared_charset_falls_back_to_guessing():
    body = "<html><head><meta charset='utf-8'></head><body><p>Ærø’s ferry sails at nine every day.</p></body></html>"
    article = article_from_bytes(body.encode("cp1252"), "ferry.html", "html")
    assert "Ærø’s ferry" in article.text


def test_a_page_without_text_is_refused():
    with pytest.raises(IngestError, match="empty.html: no article text"):
        article_from_html("<html><head><title></title></head><body><script>x()</script></body></html>", "empty.html")


def test_a_tiny_page_keeps_its_text():
    article = article_from_html("<html><body><p>Short note.</p></body></html>", "note.html")
    assert article.text == "Short note."


def test_fragments_become_paragraphs():
    html = (
        "<p>One &amp; two</p><div>Three<br>four</div><ul><li>five</li><li>six</li></ul>"
        "<script>alert(1)</script><style>p{}</style><pre>  a\n  b</pre><img alt='a chart'>"
    )
    assert fragment_text(html) == "One & two\n\nThree\n\nfour\n\nfive\n\nsix\n\n  a\n  b\n\na chart"


def test_html_is_told_from_other_text():
    assert looks_like_html(b"<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html(b"\xef\xbb\xbf  <!-- saved --> <html lang='en'>")
    assert not looks_like_html(b"Plain text that mentions <html> later on")
    assert not looks_like_html(b'<?xml version="1.0"?><rss version="2.0"></rss>')


def test_extraction_never_touches_the_network(monkeypatch):
    import socket

    attempts: list[object] = []

    def refuse(self, address):  # type: ignore[no-untyped-def]
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    html = PAGE.read_text("utf-8").replace("Harbour bridge", "Harbour bridge at https://courier.example/x")
    article_from_html(html, "https://courier.example/news/bridge", url="https://courier.example/news/bridge")
    assert attempts == []
