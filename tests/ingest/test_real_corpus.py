"""The done-when targets on the corpus of real saved pages and feeds (tests/data/real/):
every page and feed opens the way a reader opens it, without a crash or mojibake, its
title is its headline, and no line of the story is folded as page furniture."""

from __future__ import annotations

import pytest

import real_corpus  # tests/data/real_corpus.py; tests/conftest.py puts tests/data on sys.path


@pytest.fixture(scope="module")
def scored() -> tuple[list[real_corpus.PageResult], list[real_corpus.FeedResult]]:
    return real_corpus.run()


@pytest.fixture(scope="module")
def figures(scored) -> dict[str, float]:
    return real_corpus.summary(*scored)


def _problems(scored, word: str) -> str:
    return "\n".join(line for line in real_corpus.problems(*scored) if word in line)


def test_the_corpus_is_what_it_claims(figures):
    assert figures["pages"] >= 100
    assert figures["languages"] >= 5
    assert figures["non_utf8_pages"] >= 10
    assert figures["feeds"] >= 30


def test_nothing_crashes(scored, figures):
    assert figures["crashes"] == 0, _problems(scored, "crash")


def test_no_feed_is_refused_for_the_wrong_reason(scored, figures):
    # the feeds that hold no entries are refused for that, not as binary or "not a feed"
    assert figures["pages_refused"] == 0 and figures["feeds_refused_wrongly"] == 0, _problems(scored, "refused")


def test_no_mojibake(scored, figures):
    assert figures["mojibake_pages"] == 0 and figures["mojibake_feeds"] == 0, (
        _problems(scored, "mojibake") + "\n" + _problems(scored, "entry") + _problems(scored, "feed title")
    )


def test_titles_are_headlines(scored, figures):
    assert figures["title_ok_percent"] >= 98, _problems(scored, "headline")


def test_no_story_line_is_folded(scored, figures):
    assert figures["story_lines_folded"] == 0, _problems(scored, "story line folded")


def test_untitled_feeds_entries_are_not_named_by_a_path(scored, figures):
    assert figures["feed_names_with_paths"] == 0, _problems(scored, "named by its path")


def test_body_extraction_stays_good(figures):
    assert figures["f1_pages"] >= 30
    assert figures["f1"] >= 0.95
