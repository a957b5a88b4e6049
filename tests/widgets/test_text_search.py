"""Finding a query in an article's text (reader/widgets/text_search.py): forward and back,
wrapping around, the previous match found without scanning the whole text."""

from __future__ import annotations

import random
import re

import reader.widgets.text_search as text_search
from reader.widgets.text_search import find_match, last_match

NEEDLE = re.compile("needle", re.IGNORECASE)


def test_the_previous_match_is_found_looking_back_in_windows(monkeypatch):
    monkeypatch.setattr(text_search, "FIND_WINDOW", 64)
    rng = random.Random(4)
    text = "".join(rng.choice(["needle", "hay ", "stack ", "\n"]) for _ in range(3000))
    for end in rng.sample(range(len(text)), 200):
        expected = [m.span() for m in NEEDLE.finditer(text, 0, end)]
        found = last_match(NEEDLE, text, 0, end)
        assert (found.span() if found else None) == (expected[-1] if expected else None)


def test_next_and_previous_wrap_around_the_text():
    text = "Needle one, hay, needle two, hay, NEEDLE three."
    starts = [m.start() for m in NEEDLE.finditer(text)]
    assert find_match(NEEDLE, text, starts[0]).start() == starts[1]
    assert find_match(NEEDLE, text, starts[2]).start() == starts[0]  # past the last: the first
    assert find_match(NEEDLE, text, starts[1], forward=False).start() == starts[0]
    assert find_match(NEEDLE, text, starts[0], forward=False).start() == starts[2]  # before the first: the last


def test_a_query_being_typed_matches_at_its_origin_first():
    text = "needle at 0, needle at 13"
    assert find_match(NEEDLE, text, 0, origin=0).start() == 0  # not the next one
    assert find_match(NEEDLE, text, 0, origin=14).start() == 0  # none after: from the top


def test_no_match_and_an_empty_match_find_nothing():
    assert find_match(NEEDLE, "only hay here", 0) is None
    assert find_match(re.compile("x*"), "hay", 0) is None


def test_across_texts_the_next_match_goes_on_into_the_next_text_and_round():
    from reader.widgets.text_search import find_across

    texts = ["needle a, needle b", "hay only", "NEEDLE c"]

    def where(found):
        return None if found is None else (found[0], found[1].start())

    assert where(find_across(NEEDLE, texts, 0, 0)) == (0, 10)
    assert where(find_across(NEEDLE, texts, 0, 10)) == (2, 0)  # the text without one is passed over
    assert where(find_across(NEEDLE, texts, 2, 0)) == (0, 0)  # past the last text: the first
    assert where(find_across(NEEDLE, texts, 2, 0, forward=False)) == (0, 10)  # back: the previous text's last
    assert where(find_across(NEEDLE, texts, 0, 0, forward=False)) == (2, 0)
    assert where(find_across(NEEDLE, texts, 1, 0, origin=0)) == (2, 0)  # typed in the text without one
    assert where(find_across(NEEDLE, ["needle only here", "hay"], 0, 0)) == (0, 0)  # round to itself
    assert find_across(NEEDLE, ["hay", "stack"], 1, 0) is None


def test_every_match_is_counted_and_the_count_says_which_one_is_current():
    from reader.widgets.text_search import Matches, match_count

    one, two = Matches(NEEDLE, "needle, needle, needle"), Matches(NEEDLE, "hay NEEDLE")
    assert list(zip(one.starts, one.ends)) == [(0, 6), (8, 14), (16, 22)]
    assert one.overlapping(5, 9) == [(0, 6), (8, 14)] and one.overlapping(6, 8) == []
    assert match_count([one], 0, 8) == "2/3"
    assert match_count([one, two], 1, 4) == "4/4"  # the ones before count too
    assert match_count([one, two], 0, 3) == "–/4"  # not at a match
    assert match_count([Matches(NEEDLE, "hay")], None, None) == "no match"
    capped = Matches(NEEDLE, "needle " * 5, limit=3)
    assert len(capped) == 3 and capped.more and match_count([capped], 0, 7) == "2/3+"
