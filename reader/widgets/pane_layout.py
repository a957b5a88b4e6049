"""The reading pane's row index at its width: made anew for a new width or when page
furniture is folded or shown, then wrapped in the background a slice at a time, never while
the reader is moving. No Textual."""

from __future__ import annotations

import time

from reader.layout import ArticleLayout
from reader.sentences import Span

WRAP_BUDGET = 0.008
"""Seconds of wrapping per slice: keys pressed meanwhile wait at most this long."""
WRAP_PAUSE = 0.4
"""Seconds after a cursor move during which background wrapping waits."""
MARGIN = 1
"""Cells left free at the right of every row: wrapped text never touches the scrollbar or
the column's border (at the left, the column's padding and the gutter keep it off)."""


class PaneLayout:
    """One article's rows at the pane's current width, folded or not."""

    def __init__(self, text: str, furniture: tuple[Span, ...]) -> None:
        self._text = text
        self._furniture = furniture
        self.folded = True
        """Page furniture is one fold row (it is never deleted, only folded)."""
        self.rows: ArticleLayout | None = None
        """The rows at `width`; None until the pane knows its width."""
        self.width = -1
        self._moved_at = 0.0

    def at_width(self, width: int) -> tuple[ArticleLayout, bool]:
        """The rows for `width` cells of text (MARGIN of them kept free at the right), and
        whether they were made now (a new width, or the fold changed): they are then wrapped
        only where they are drawn, so far."""
        if self.rows is not None and width == self.width:
            return self.rows, False
        hidden = tuple(self._furniture) if self.folded else ()
        self.rows = ArticleLayout(self._text, hidden, max(1, width - MARGIN))
        self.width = width
        return self.rows, True

    def toggle_fold(self) -> None:
        """Show folded furniture, or fold it again; the rows are made anew."""
        self.folded = not self.folded
        self.rows = None
        self.width = -1

    def set_furniture(self, furniture: tuple[Span, ...]) -> None:
        """The page furniture, found after the rows were first made: they are made anew."""
        self._furniture = furniture
        self.rows = None
        self.width = -1

    def moved(self) -> None:
        """The reader moved the cursor: keys come first, wrapping waits WRAP_PAUSE."""
        self._moved_at = time.monotonic()

    def wrap_slice(self, top: int) -> int | None:
        """Wrap chunks for up to WRAP_BUDGET seconds, unless the reader moved in the last
        WRAP_PAUSE; the rows added above row `top` (the pane scrolls by as many to keep its
        text in place), or None when it waited."""
        if time.monotonic() - self._moved_at < WRAP_PAUSE:
            return None
        rows = self.rows
        deadline = time.perf_counter() + WRAP_BUDGET
        shift = 0
        while rows is not None and not rows.complete and time.perf_counter() < deadline:
            shift += rows.wrap_next(top + shift)
        return shift

    @property
    def complete(self) -> bool:
        """Nothing is left to wrap (or there are no rows to wrap)."""
        return self.rows is None or self.rows.complete
