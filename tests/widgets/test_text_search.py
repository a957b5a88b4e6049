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
