"""find_title(text) and shorten(text): an article's title line, else its first sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.title import TITLE_MAX_CHARS, find_title, shorten
from reader.model import Article

BODY = "The council voted on Tuesday to close the old library. Campaigners were angry."


def test_seed_001_title_line(seed_001: Article):
    assert seed_001.title == "Talks between US and North Korea collapse"
    assert find_title(seed_001.text) == "Talks between US and North Korea collapse"


def test_seed_000_first_sentence_shortened(seed_000: Article):
    text = seed_000.text
    first_sentence = (
        "President Donald Trump confirmed on Thursday that the North Korea summit collapsed "
        "because Kim Jong Un demanded a total reversal of existing economic sanctions in "
        "exchange for closing a number of nuclear sites in his country."
    )
    assert text.startswith(first_sentence + " ")
    title = find_title(text)
    assert seed_000.title == title
    assert title.endswith("…")
    assert len(title) <= TITLE_MAX_CHARS
    kept = title[:-1]
    assert first_sentence.startswith(kept)
    assert first_sentence[len(kept)] == " "  # cut at a word boundary
    assert len(kept) > TITLE_MAX_CHARS // 2  # not cut needlessly short
    assert title == "President Donald Trump confirmed on Thursday that the North Korea summit collapsed because Kim…"


def test_first_line_ending_with_full_stop_is_not_a_title():
    text = "It rained in Hanoi. Then the talks stopped.\n\n" + BODY
    assert find_title(text) == "It rained in Hanoi."


@pytest.mark.parametrize("end", [".", ",", ":", ";"])
def test_first_line_ending_like_body_text_is_not_a_title(end: str):
    first = f"Officials met in Hanoi. Talks were long{end}"
    title = find_title(f"{first}\n\n{BODY}")
    assert title == "Officials met in Hanoi."


@pytest.mark.parametrize(
    "line",
    ["Talks collapse in Hanoi", "Is this the end?", "Summit ends!", "“No deal,” says Trump", "Talks collapse…"],
)
def test_short_line_followed_by_blank_line_is_a_title(line: str):
    assert find_title(f"{line}\n\n{BODY}") == line


def test_title_line_needs_a_blank_line_after_it():
    text = "Talks collapse in Hanoi\n" + BODY
    assert find_title(text) == "Talks collapse in Hanoi"  # the first sentence of the first line
    text = "Talks collapse in Hanoi as leaders leave. More follows\n" + BODY
    assert find_title(text) == "Talks collapse in Hanoi as leaders leave."
    # the same line with a blank line after it is a title line (it does not end with ".")
    text = "Talks collapse in Hanoi as leaders leave. More follows\n\n" + BODY
    assert find_title(text) == "Talks collapse in Hanoi as leaders leave. More follows"


def test_first_line_with_too_many_words_is_not_a_title_line():
    words = " ".join(f"w{i}" for i in range(25))  # 25 words, under 100 characters
    text = f"{words} end. Second sentence here\n\n{BODY}"
    assert find_title(text) == f"{words} end."


def test_title_line_whitespace_collapsed_and_stripped():
    assert find_title("  Talks   collapse\tin Hanoi  \n\n" + BODY) == "Talks collapse in Hanoi"


def test_long_title_line_is_shortened():
    line = "Talks " + "ever-so-incredibly-lengthy " * 6 + "collapse"
    assert len(line.split()) <= 20 and len(line) > TITLE_MAX_CHARS
    title = find_title(f"{line}\n\n{BODY}")
    assert title.endswith("…") and len(title) <= TITLE_MAX_CHARS
    assert line.startswith(title[:-1])


def test_single_line_article():
    assert find_title("Just one sentence here. And another one.") == "Just one sentence here."


def test_huge_first_line_without_sentence_end():
    text = "word " * 50_000
    title = find_title(text.strip())
    assert title.endswith("…") and len(title) <= TITLE_MAX_CHARS


# --- shorten --------------------------------------------------------------------------------


def test_shorten_keeps_short_text():
    assert shorten("A short title") == "A short title"


def test_shorten_exactly_at_limit_unchanged():
    text = "x" * TITLE_MAX_CHARS
    assert shorten(text) == text


def test_shorten_one_over_limit():
    text = "word " * 20 + "x"  # 101 characters
    assert len(text) == TITLE_MAX_CHARS + 1
    result = shorten(text)
    assert result.endswith("…") and len(result) <= TITLE_MAX_CHARS


def test_shorten_cuts_at_word_boundary_and_drops_trailing_punctuation():
    text = "alpha, beta; gamma: delta - " * 10
    result = shorten(text, 40)
    assert len(result) <= 40
    assert result.endswith("…")
    assert result[-2] not in " ,;:-"
    assert " ".join(text.split()).startswith(result[:-1])


def test_shorten_one_huge_word_is_cut_hard():
    result = shorten("x" * 500)
    assert result == "x" * (TITLE_MAX_CHARS - 1) + "…"


def test_shorten_collapses_whitespace_and_newlines():
    assert shorten("a\n\nb\t c") == "a b c"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdé,;:-.", min_size=1, max_size=30), max_size=40).map(" ".join),
    st.integers(min_value=10, max_value=120),
)
def test_shorten_properties(text: str, limit: int):
    result = shorten(text, limit)
    normal = " ".join(text.split())
    assert len(result) <= limit
    if len(normal) <= limit:
        assert result == normal
    else:
        assert result.endswith("…")
        assert normal.startswith(result[:-1])
