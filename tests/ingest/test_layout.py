"""wrap(text, width): display rows of one paragraph, by terminal cells."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes

from reader.layout import wrap


def assert_rows_valid(text: str, width: int, rows: list[tuple[int, int]]) -> None:
    """Rows cover the text contiguously; each row's visible text fits in `width` cells."""
    assert rows, "at least one row"
    assert rows[0][0] == 0
    assert rows[-1][1] == len(text)
    for (_, end), (start, _) in zip(rows, rows[1:]):
        assert end == start  # contiguous: nothing skipped, nothing drawn twice
    for start, end in rows:
        assert start <= end
        if len(rows) > 1:
            assert start < end  # no empty rows in a non-empty paragraph
        shown = text[start:end].rstrip()
        if cell_len(shown) > max(1, width):
            # only a single character (grapheme) wider than the whole row may overflow it
            graphemes, cells = split_graphemes(shown)
            assert len(graphemes) == 1 and cells == 2 and width <= 1, (shown, width)


def rows_text(text: str, rows: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in rows]


def test_empty_paragraph_is_one_row():
    assert wrap("", 10) == [(0, 0)]


def test_short_text_is_one_row():
    assert wrap("Hello world", 20) == [(0, 11)]
    assert wrap("Hello world", 11) == [(0, 11)]


def test_breaks_at_spaces_and_keeps_trailing_space_on_row():
    text = "The quick brown fox jumps over the lazy dog"
    rows = wrap(text, 10)
    assert rows_text(text, rows) == ["The quick ", "brown fox ", "jumps over ", "the lazy ", "dog"]
    assert_rows_valid(text, 10, rows)


def test_word_exactly_filling_row():
    text = "abcde fghij"
    assert rows_text(text, wrap(text, 5)) == ["abcde ", "fghij"]


def test_long_word_is_split_by_cells():
    text = "a " + "x" * 23 + " b"
    rows = wrap(text, 10)
    assert_rows_valid(text, 10, rows)
    assert rows_text(text, rows) == ["a ", "xxxxxxxxxx", "xxxxxxxxxx", "xxx b"]


def test_wide_cjk_characters():
    text = "東京都の新しい知事は月曜日に就任した。" * 3
    for width in (2, 3, 5, 10, 17, 40):
        rows = wrap(text, width)
        assert_rows_valid(text, width, rows)
        for start, end in rows[:-1]:
            # rows are filled: the next character would not have fitted
            assert cell_len(text[start:end]) + cell_len(text[end]) > width
    assert rows_text(text, wrap(text, 5))[0] == "東京"  # 4 cells; a third would make 6


def test_cjk_mixed_with_latin():
    text = "Kim Jong Un 金正恩 met Trump in Hanoi ハノイ on Thursday 木曜日"
    for width in (1, 2, 3, 4, 7, 13, 30):
        assert_rows_valid(text, width, wrap(text, width))


def test_width_one():
    text = "ab cd"
    rows = wrap(text, 1)
    assert rows_text(text, rows) == ["a", "b ", "c", "d"]
    assert_rows_valid(text, 1, rows)


def test_width_one_with_wide_characters():
    text = "東京 ab"
    rows = wrap(text, 1)
    assert_rows_valid(text, 1, rows)
    assert rows_text(text, rows) == ["東", "京 ", "a", "b"]


@pytest.mark.parametrize("width", [0, -5])
def test_width_below_one_is_treated_as_one(width: int):
    assert wrap("ab cd", width) == wrap("ab cd", 1)


def test_huge_word():
    text = "x" * 100_000
    rows = wrap(text, 80)
    assert len(rows) == 1250
    assert_rows_valid(text, 80, rows)
    assert all(end - start == 80 for start, end in rows)


def test_huge_wide_word():
    text = "字" * 100_000
    rows = wrap(text, 79)
    assert_rows_valid(text, 79, rows)
    assert len(rows) == 100_000 // 39 + 1  # 39 characters (78 cells) a row
    assert all(cell_len(text[a:b]) == 78 for a, b in rows[:-1])


def test_huge_word_between_short_words():
    text = "start " + "y" * 100_000 + " end"
    rows = wrap(text, 50)
    assert_rows_valid(text, 50, rows)
    assert text[slice(*rows[0])] == "start "
    assert text[slice(*rows[-2])] == "y" * 50 + " "  # the word fills its rows exactly
    assert text[slice(*rows[-1])] == "end"


def test_emoji_with_variation_selector_fits():
    heart = "\u2764\ufe0f"  # ❤️: a narrow character made wide (2 cells) by VS16
    assert cell_len(heart) == 2
    text = heart * 5
    for width in (2, 3, 4, 5):
        rows = wrap(text, width)
        assert_rows_valid(text, width, rows)
        for start, end in rows:
            assert text[start:end].count("\ufe0f") == text[start:end].count("\u2764")  # never cut


def test_zwj_family_is_not_cut():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    text = (family + "a") * 6
    for width in (2, 3, 4, 7):
        rows = wrap(text, width)
        assert_rows_valid(text, width, rows)
        for start, end in rows:
            assert text[start] != "\u200d" and text[end - 1] != "\u200d"


def test_ideographic_space_after_split_word_counts_its_width():
    text = "abcd\u3000e"  # U+3000 is white space two cells wide
    for width in (2, 3, 4):
        assert_rows_valid(text, width, wrap(text, width))


_TOKENS = st.sampled_from(
    ["a", "b", "word", "é", "e\u0301", " ", " ", "  ", "\u00a0", "\u3000", "東", "京", "한",
     "ｶ", "-", ".", "\u2764\ufe0f", "\U0001f642", "\U0001f468\u200d\U0001f469", "x" * 30]
)
_text = st.lists(_TOKENS, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_text, st.integers(min_value=1, max_value=40))
def test_wrap_property(text: str, width: int):
    assert_rows_valid(text, width, wrap(text, width))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60),
       st.integers(min_value=1, max_value=12))
def test_wrap_property_any_printable_text(text: str, width: int):
    assert_rows_valid(text, width, wrap(text, width))
