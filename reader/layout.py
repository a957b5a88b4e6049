"""Wrapping text into display rows by terminal cells, lazily for long texts. No Textual (only
Rich's cell widths)."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable
from typing import NamedTuple

from rich.cells import cell_len, split_graphemes

from reader.ingest.sanitize import display_text

Span = tuple[int, int]
_WORD = re.compile(r"\S+\s*|\s+")
_NOT_PLAIN = re.compile(
    "[^\x21-\x7e\u00a1-\u02ff\u0370-\u03ff\u0400-\u04ff\u2010-\u2027\u2030-\u205e\u20a0-\u20bf ]"
)
"""A character that may not be exactly one cell wide, or white space other than the plain
space: a paragraph without any is wrapped by counting characters."""
_WORD_START = re.compile(r"[^ ]")


def wrap(text: str, width: int) -> list[Span]:
    """Spans (start, end) of the rows of one paragraph wrapped to `width` cells.

    Words break at spaces; a word wider than a row is split by cells. Trailing spaces stay
    on the row they follow (they are cropped when drawn). An empty paragraph is one row.
    """
    width = max(1, width)
    if not text:
        return [(0, 0)]
    if not _NOT_PLAIN.search(text):
        return _wrap_plain(text, width)
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


def _wrap_plain(text: str, width: int) -> list[Span]:
    """`wrap` for a paragraph of one-cell characters and plain spaces: a row is found by
    looking at the character `width` cells on, not by measuring every word (10× faster)."""
    rows: list[Span] = []
    start = 0
    length = len(text)
    while length - start > width:
        limit = start + width
        if text[limit] == " ":
            # the row's last word ends at or before the limit: its spaces stay with it
            found = _WORD_START.search(text, limit)
            end = found.start() if found else length
        else:
            space = text.rfind(" ", start, limit)
            # the word crossing the limit starts the next row; alone on the row, it is split
            end = space + 1 if space >= start else limit
        if end >= length:
            break
        rows.append((start, end))
        start = end
    rows.append((start, length))
    return rows


def _graphemes(word: str, measure: Callable[[str], int]) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each grapheme of `word`; one per character when ASCII."""
    if measure is len:
        return [(index, index + 1, 1) for index in range(len(word))]
    return split_graphemes(word)[0]


class Row(NamedTuple):
    """One display row: a span of the text, the fold marker of a furniture range, or the
    blank row drawn between two paragraphs that the text separates by one newline only."""

    start: int
    end: int
    fold: bool = False
    spacer: bool = False


_TEXT, _FOLD, _SPACER = 0, 1, 2
"""What a stored row is (see `_Rows`)."""


class _Rows:
    """The rows of one wrapped chunk, as three arrays of numbers. A `Row` object per row
    (a 5 MB article has ~70,000) was memory, and objects for every full collection of
    Python's cycle collector to walk, a pause between keystrokes; an array holds none.
    `rows[i]` makes the `Row` when one is asked for."""

    __slots__ = ("starts", "ends", "kinds")

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.kinds = array("b")

    def add(self, start: int, end: int, kind: int = _TEXT) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.kinds.append(kind)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Row:
        kind = self.kinds[index]
        return Row(self.starts[index], self.ends[index], fold=kind == _FOLD, spacer=kind == _SPACER)


CHUNK = 16_384
"""Characters wrapped at a time. The layout is built a chunk at a time, when a row of it is
needed (drawn, or reached by the cursor) or in the background: opening a 5 MB article wraps
one chunk, not the whole text, before the first frame."""
ESTIMATE_SAMPLE = 2_048
"""Characters at the start of a chunk whose newlines tell how many rows the chunk will
likely have until it is wrapped: counting every newline of a 5 MB text was a fifth of its
first frame's drawing."""


class ArticleLayout:
    """The display rows of one text at one width, wrapped lazily a chunk at a time.

    Chunks start at paragraph starts (or at a space of a paragraph longer than a chunk) and
    never inside a hidden range. Until a chunk is wrapped its row count is an estimate, so
    the total is exact once every chunk is wrapped (see `wrap_next`).
    """

    def __init__(self, text: str, hidden: tuple[Span, ...], width: int) -> None:
        """`text` is the canonical text: each paragraph is measured as `display_text`
        shows it (one code point for one), when its chunk is wrapped, so opening a long
        article does not translate all of it first."""
        self.text = text
        self.width = max(1, width)
        self.hidden = tuple(sorted(hidden))
        self._hidden_starts = [start for start, _ in self.hidden]
        self._bounds = self._chunk_bounds()
        chunks = len(self._bounds) - 1
        self._rows: list[_Rows | None] = [None] * chunks
        self._counts = [self._estimate(k) for k in range(chunks)]
        self._first: list[int] = []
        self._dirty = True
        self.unwrapped = chunks

    # chunks -----------------------------------------------------------------------------

    def _chunk_bounds(self) -> list[int]:
        text, length = self.text, len(self.text)
        bounds = [0]
        while bounds[-1] + CHUNK < length:
            nominal = bounds[-1] + CHUNK
            newline = text.find("\n", nominal, nominal + CHUNK // 2)
            if newline >= 0:
                cut = newline + 1
            else:  # a very long paragraph: cut it after a space
                space = text.rfind(" ", nominal - CHUNK // 4, nominal)
                cut = space + 1 if space >= 0 else nominal
            index = bisect.bisect_right(self._hidden_starts, cut) - 1
            if index >= 0 and self.hidden[index][0] < cut <= self.hidden[index][1]:
                cut = self.hidden[index][1] + 1  # past the folded range, whole
            if cut >= length:
                break
            bounds.append(cut)
        bounds.append(length + 1)  # the last chunk holds the position after the text
        return bounds

    def _estimate(self, k: int) -> int:
        """Chunk `k`'s rows, estimated from the paragraphs its first ESTIMATE_SAMPLE
        characters hold (exact once it is wrapped)."""
        start, end = self._bounds[k], min(self._bounds[k + 1], len(self.text))
        sample = min(end, start + ESTIMATE_SAMPLE)
        newlines = self.text.count("\n", start, sample) * (end - start) // max(1, sample - start)
        return max(1, (newlines + 1) * 2 + (end - start) // self.width)

    def _wrap_chunk(self, k: int) -> int:
        """Wrap chunk `k`; returns how much its row count changed."""
        text = self.text
        start, stop = self._bounds[k], self._bounds[k + 1]
        limit = min(stop, len(text))
        index = bisect.bisect_left(self._hidden_starts, start)
        rows = _Rows()
        position = start
        while position < stop:
            if index < len(self.hidden) and position >= self.hidden[index][0]:
                fold_start, fold_end = self.hidden[index]
                index += 1
                rows.add(fold_start, fold_end, _FOLD)
                position = fold_end + 1
                continue
            newline = text.find("\n", position, limit)
            end = limit if newline < 0 else newline
            shown = display_text(text[position:end])  # what is drawn, as wide as it is drawn
            for a, b in wrap(shown, self.width):
                rows.add(position + a, position + b)
            if newline < 0:
                break  # the end of the text, or a cut inside a long paragraph
            if end > position and text[end + 1 : end + 2] not in ("\n", ""):
                rows.add(end, end, _SPACER)
            position = end + 1
        if not rows:
            rows.add(start, start)
        self._rows[k] = rows
        self.unwrapped -= 1
        delta = len(rows) - self._counts[k]
        if delta:
            self._counts[k] = len(rows)
            self._dirty = True
        return delta

    def _first_rows(self) -> list[int]:
        if self._dirty:
            first, total = [], 0
            for count in self._counts:
                first.append(total)
                total += count
            first.append(total)
            self._first, self._dirty = first, False
        return self._first

    def _chunk_of_row(self, row: int) -> int:
        first = self._first_rows()
        return max(0, min(len(self._counts) - 1, bisect.bisect_right(first, row) - 1))

    def _chunk_of_offset(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._bounds, offset) - 1)

    # rows -------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows (exact once every chunk is wrapped)."""
        return self._first_rows()[-1]

    @property
    def complete(self) -> bool:
        return self.unwrapped == 0

    def prepare(self, top: int, height: int) -> None:
        """Wrap the chunks that rows [top, top + height] fall in. The chunks are at or
        below `top`'s, so the row at `top` keeps its index."""
        while True:
            first = self._chunk_of_row(top)
            last = self._chunk_of_row(top + height)
            pending = [k for k in range(first, last + 1) if self._rows[k] is None]
            if not pending:
                return
            for k in pending:
                self._wrap_chunk(k)

    def row(self, index: int) -> Row:
        """Row `index` (its chunk is wrapped now if it was not)."""
        index = max(0, min(index, self.total - 1))
        k = self._chunk_of_row(index)
        if self._rows[k] is None:
            self._wrap_chunk(k)
        rows = self._rows[k]
        assert rows is not None
        local = max(0, min(index - self._first_rows()[k], len(rows) - 1))
        return rows[local]

    def row_of(self, offset: int) -> int:
        """The index of the row that shows code point `offset`."""
        k = self._chunk_of_offset(offset)
        if self._rows[k] is None:
            self._wrap_chunk(k)
        rows = self._rows[k]
        assert rows is not None
        return self._first_rows()[k] + max(0, bisect.bisect_right(rows.starts, offset) - 1)

    def wrap_next(self, top: int) -> int:
        """Wrap one more chunk, nearest the row at `top` first; returns by how many rows
        `top` moved (a chunk above it changed), 0 when done or below."""
        if self.unwrapped == 0:
            return 0
        here = self._chunk_of_row(top)
        for distance in range(len(self._rows)):
            for k in (here + distance, here - distance - 1):
                if 0 <= k < len(self._rows) and self._rows[k] is None:
                    delta = self._wrap_chunk(k)
                    return delta if k < here else 0
        return 0
