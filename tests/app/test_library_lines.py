"""The library's lines are worded for the list's width: the title first, then the source,
the date and the count, the source given up first; an article named by its source shows
its opening words instead of its file name. At 40×12 the seeds' titles are readable."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList

from reader.screens.library import LibraryEntry, LibraryScreen, entry_prompt, library_entry
from reader.ingest import article_from_text

from pilots import settle  # tests/support/pilots.py

TALKS = LibraryEntry("b" * 16, "Talks between US and North Korea collapse", "001_1c2accc8ffba02b5.txt", 2, True)
NAMED = LibraryEntry("a" * 16, "hanoi summit report", "hanoi-summit_report.txt", 1, False, "2019-02-28T10:00:00",
                     subtitle="President Donald Trump confirmed on Thursday that the North Korea summit collapsed…")


@pytest.mark.parametrize(
    ("room", "line"),
    [
        (120, "Talks between US and North Korea collapse · 001_1c2accc8ffba02b5.txt · 2 annotations"),
        (78, "Talks between US and North Korea… · 001_1c2accc8ffba02b5.txt · 2 annotations"),
        (60, "Talks between US and North Korea collapse · 2 annotations"),
        (40, "Talks between US and… · 2 annotations"),  # the title keeps TITLE_CHARS
        (30, "Talks between US and North…"),
    ],
)
def test_a_line_gives_up_the_source_then_the_date_and_count_before_the_title(room, line):
    assert entry_prompt(TALKS, room).plain == line


@pytest.mark.parametrize(
    ("room", "line"),
    [
        (100, "hanoi summit report · President Donald Trump confirmed on Thursday… · 2019-02-28 · 1 annotation"),
        (80, "hanoi summit report · President Donald Trump… · 2019-02-28 · 1 annotation"),
        (60, "hanoi summit report · 2019-02-28 · 1 annotation"),  # too little of it to say anything
        (30, "hanoi summit report"),
    ],
)
def test_an_article_named_by_its_file_shows_its_opening_words_not_its_file_name(room, line):
    assert entry_prompt(NAMED, room).plain == line


def test_a_library_entry_has_a_subtitle_only_when_named_by_its_source():
    named = article_from_text("The council voted on Tuesday. More.", "/x/council-vote.txt")
    titled = article_from_text("Council votes\n\nThe council voted on Tuesday. More.", "/x/council-vote.txt")
    assert library_entry(named, 3, False).subtitle == "The council voted on Tuesday. More."
    assert library_entry(titled, 3, False).subtitle == ""
    assert library_entry(named, 3, True).source == "council-vote.txt"


async def test_at_40x12_the_library_shows_each_seed_by_its_name(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        articles = app.screen.query_one(SelectionList)
        lines = [str(articles.get_option_at_index(i).prompt) for i in range(articles.option_count)]
        assert lines[0].startswith("President Donald") and "000_" not in lines[0]
        assert lines[1].startswith("Talks between US") and ".txt" not in lines[1]
