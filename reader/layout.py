"""Wrapping text into display rows by terminal cells. No Textual (only Rich's cell widths)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.cells import cell_len, split_graphemes

Span = tuple[int, int]
_WORD = re.compile(r"\S+\s*|\s+")


def wrap(text: str, width: int) -> list[Span]:
    """Spans (start, end) of the rows of one paragraph wrapped to `width` cells.

    Words break at spaces; a word wider than a row is split by cells. Trailing spaces stay
    on the row they follow (they are cropped when drawn). An empty paragraph is one row.
    """
    width = max(1, width)
    if not text:
        return [(0, 0)]
    measure = len if text.isascii() else cell_len
    if measure(text) <= width:
        return [(0, len(text))]
    rows: list[Span] = []
    row_start = 0
    used = 0
    for match in _WORD.finditer(text):
        word_start, word_end = match.span()
        word = match.group()
        stripped = word.rstrip()
        word_width = measure(stripped)
        if used and used + word_width > width:
            rows.append((row_start, word_start))
            row_start, used = word_start, 0
        if word_width > width:
            # a word wider than the row: split it into pieces of at most `width` cells,
            # between graphemes (an emoji with its joiners and variation selector is one)
            piece_width = used
            for grapheme_start, _, grapheme_width in _graphemes(stripped, measure):
                position = word_start + grapheme_start
                if piece_width and piece_width + grapheme_width > width:
                    rows.append((row_start, position))
                    row_start, piece_width = position, 0
                piece_width += grapheme_width
            used = piece_width + measure(word[len(stripped) :])
            continue
        used += measure(word)
    rows.append((row_start, len(text)))
    return rows


def _graphemes(word: str, measure: Callable[[str], int]) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each grapheme of `word`; one per character when ASCII."""
    if measure is len:
        return [(index, index + 1, 1) for index in range(len(word))]
    return split_graphemes(word)[0]
