"""Furniture met between a story's paragraphs, in several languages, is folded alone; the
story's credits and copyright lines never are."""

from __future__ import annotations

import pytest

from reader.ingest.furniture import find_furniture

PARAGRAPH = "The harbour authority said on Tuesday that the ferry would run again from May, after a winter of repairs to the pier and the engines."
SHORT = ["The mayor welcomed the news.", "Fares stay the same.", "The first boat leaves at seven."]


def folded(text: str) -> list[str]:
    return [text[start:end] for start, end in find_furniture(text)]


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Ministers reject the harbour plan",
        "RELATED: Ferry strike called off",
        "Related post: Pickled Brussels Sprouts Recipe",
        "You may also like:",
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Most read in world news",
        "Weitere Artikel zum Thema",
        "Lesen Sie auch: Die Fähre fährt wieder",
        "À lire aussi : Le port rouvre en mai",
        "LIRE AUSSI SUR REGARDS.FR",
        "Lee también: El puerto reabre en mayo",
        "PUEDES VER: ¿Qué es la Sunedu?",
        "Leggi anche: Il porto riapre a maggio",
        "Leia também: O porto reabre em maio",
        "Czytaj też: Port otwarty w maju",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "ANZEIGE - Heute mal ausgehen?",
        "Get our free morning newsletter",
    ],
)
def test_furniture_mid_article_is_folded_alone(line):
    text = "\n\n".join([PARAGRAPH, line, *SHORT, PARAGRAPH, *SHORT])
    assert folded(text) == [line]


@pytest.mark.parametrize(
    "line",
    [
        "© Reuters",
        "© 2019 Associated Press. All Rights Reserved. This material may not be published, broadcast, rewritten, or redistributed.",
        "Copyright 2019 Hawaii News Now. All rights reserved.",
        "(AP Photo/Jane Doe)",
        "By Jane Doe, Reuters",
        "Related charges were dropped in May.",
        "Most people read the paper on Sundays.",
        "Read more about the plan in our report, the council said.",
    ],
)
def test_credits_and_story_lines_are_never_folded(line):
    for text in ("\n\n".join([PARAGRAPH, line, PARAGRAPH]), "\n\n".join([PARAGRAPH, PARAGRAPH, line])):
        assert folded(text) == [], line


def test_a_copyright_line_in_the_page_tail_is_folded_with_it():
    footer = "© 2024 Example News Ltd. All rights reserved."
    text = "\n\n".join([PARAGRAPH, PARAGRAPH, "Follow us on Twitter", footer])
    assert folded(text) == [f"Follow us on Twitter\n\n{footer}"]


def test_a_link_near_the_end_does_not_fold_the_short_paragraphs_after_it():
    # "CLICK HERE TO GET THE ... APP" two paragraphs before the end of a Fox News story
    long = f"{PARAGRAPH} {PARAGRAPH}"  # over `tail_max_words`: body text before any tail
    text = "\n\n".join([long, long, "CLICK HERE TO GET THE FOX NEWS APP", *SHORT])
    assert folded(text) == ["CLICK HERE TO GET THE FOX NEWS APP"]
