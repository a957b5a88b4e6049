"""A page's title is its headline: the h1 another title confirms, not the site's name,
its CMS or a title written for search engines."""

from __future__ import annotations

import pytest

from reader.ingest.html import article_from_html
from reader.ingest.headline import PageTitles, choose_headline

BODY = "<p>" + "The council met on Tuesday and voted on the harbour budget after a long debate. " * 6 + "</p>"


def page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<article>{BODY}</article></body></html>"


def test_the_cms_name_in_json_ld_is_not_the_title():
    html = page(
        '<title class="escenic-title">Plumber jailed after boiler killed daughter</title>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "escenic"}</script>'
        '<meta property="og:title" content="Plumber jailed after boiler killed daughter">',
        "<h1>Plumber jailed after boiler killed daughter</h1>",
    )
    assert article_from_html(html, "plumber.html").title == "Plumber jailed after boiler killed daughter"


@pytest.mark.parametrize(
    ("head", "h1"),
    [
        ('<title>Saraki Drags IGP to Court - The Paradigm</title><meta property="og:site_name" content="The Paradigm">', ""),
        ('<meta property="og:title" content="Saraki Drags IGP to Court | The Paradigm"><meta property="og:site_name" content="The Paradigm">', ""),
        ("<title>TechCrunch | Saraki Drags IGP to Court</title><meta name=\"application-name\" content=\"TechCrunch\">", ""),
        ("<title>Saraki Drags IGP to Court : 31.10.2023, 10.19 Uhr</title>", "<h1>Saraki Drags IGP to Court</h1>"),
        ("<title>Saraki Drags IGP to Court | Blog of Ben</title>", "<h1>Blog of Ben</h1>"),
    ],
    ids=["title-suffix", "og-suffix", "prefix", "date-suffix", "blog-name-h1"],
)
def test_the_site_name_is_taken_off(head, h1):
    assert article_from_html(page(head, h1), "p.html").title == "Saraki Drags IGP to Court"


def test_the_h1_wins_over_a_social_media_title():
    html = page(
        '<meta property="og:title" content="Taylor Swift\'s AMA row seems to be over">'
        "<title>Taylor Swift is allowed to play her music at the AMAs after all - BBC News</title>",
        "<h1>Taylor Swift is allowed to play her music at the AMAs after all</h1>",
    )
    assert article_from_html(html, "p.html").title == "Taylor Swift is allowed to play her music at the AMAs after all"


def test_the_site_logo_h1_is_not_the_headline():
    titles = PageTitles(
        h1s=["The GiveWell Blog", "September 2018 open thread"],
        metas=["September 2018 open thread - The GiveWell Blog"],
        sites=["The GiveWell Blog"],
    )
    assert choose_headline(titles) == "September 2018 open thread"


def test_a_section_h1_is_not_the_headline():
    titles = PageTitles(
        h1s=["Brasília"],
        metas=["Militares enviaram 88 questões ao TSE - Brasil 247"],
        sites=["Brasil 247"],
    )
    assert choose_headline(titles) == "Militares enviaram 88 questões ao TSE"


def test_a_title_cut_at_a_quote_is_completed():
    titles = PageTitles(metas=["Senador califica a Biden de"], head_title='Senador califica a Biden de "incapacitado"')
    assert choose_headline(titles) == 'Senador califica a Biden de "incapacitado"'


def test_a_page_without_names_has_no_headline():
    assert choose_headline(PageTitles()) == ""


def test_an_h1_confirmed_by_the_title_wins_over_an_unconfirmed_one():
    titles = PageTitles(
        h1s=["KBS WORLD News Service", "Colder Temperatures Forecast for Wed."],
        head_title="Colder Temperatures Forecast for Wed. l KBS WORLD",
    )
    assert choose_headline(titles) == "Colder Temperatures Forecast for Wed."
