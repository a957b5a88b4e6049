from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.anchoring import CONTEXT, describe, is_exact

TEXT = "The talks were happening in Hanoi, Vietnam, and the two leaders were expected to announce progress."


def test_describe_keeps_quote_and_32_characters_of_context():
    start = TEXT.index("leaders")
    target = describe("abc", TEXT, start, start + 7)
    assert target.quote.exact == "leaders"
    assert target.quote.prefix == "ppening in Hanoi, Vietnam, and the two "[-CONTEXT:]
    assert len(target.quote.prefix) == CONTEXT
    assert target.quote.suffix == " were expected to announce progr"
    assert (target.start, target.end) == (start, start + 7)


def test_context_is_cut_at_the_text_edges():
    target = describe("abc", TEXT, 0, 3)
    assert target.quote.prefix == "" and target.quote.exact == "The"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1)])
def test_spans_outside_the_text_are_refused(start, end):
    with pytest.raises(ValueError):
        describe("abc", TEXT, start, end)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.data())
def test_describe_then_check_is_exact_on_unchanged_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    target = describe("x", text, start, end)
    assert is_exact(text, target)
    assert len(target.quote.prefix) <= CONTEXT and len(target.quote.suffix) <= CONTEXT
    assert target.quote.prefix + target.quote.exact + target.quote.suffix in text


def test_is_exact_notices_changed_text():
    target = describe("x", TEXT, 0, 9)
    assert not is_exact("Our " + TEXT, target)
