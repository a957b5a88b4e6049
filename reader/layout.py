"""Wrapping text into display rows by terminal cells. No Textual (only Rich's cell widths)."""

from __future__ import annotations

import re

from rich.cells import cell_len

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
            # a word wider than the row: split it into pieces of at most `width` cells
            position = word_start
            piece_start = word_start
            piece_width = used
            while position < word_start + len(stripped):
                char_width = measure(text[position])
                if piece_width and piece_width + char_width > width:
                    rows.append((row_start, position))
                    row_start, piece_start, piece_width = position, position, 0
                piece_width += char_width
                position += 1
            used = piece_width + (len(word) - len(stripped))
            continue
        used += measure(word)
    rows.append((row_start, len(text)))
    return rows
