"""The reading pane's mouse: a click puts the cursor on a sentence (Shift+click extends), a
drag selects exactly the dragged text, and copying takes the canonical text under it. A
mixin of `ArticlePane`, kept apart for its length."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Offset
from textual.selection import Selection as TextSelection

from reader.widgets.pane_rows import GUTTER, position_at_character, position_at_column

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    from reader.layout import Row
    from reader.model import Article
    from reader.sentences import Span
    from reader.widgets.sentence_cursor import SentenceCursor

    _PaneBase = ScrollView
else:
    _PaneBase = object


class PaneMouse(_PaneBase):
    """`on_click`, and Textual's screen selection (`get_selection`, `selection_updated`)."""

    if TYPE_CHECKING:  # what the pane provides
        article: Article
        _cursor: SentenceCursor

        @property
        def row_count(self) -> int: ...

        def row_at(self, index: int) -> Row: ...

        def set_selection(self, start: int, end: int, *, scroll: bool = True) -> None: ...

        def action_toggle_furniture(self) -> None: ...

        def _move_to(self, span: Span | None, *, extend: bool = False) -> None: ...

    def _position_at(self, offset: Offset | None, default: int) -> int:
        """The code point shown at a selection offset (x counts characters of the row)."""
        if offset is None:
            return default
        if offset.y >= self.row_count:
            return len(self.article.text)
        return position_at_character(self.row_at(max(0, offset.y)), offset.x)

    def get_selection(self, selection: TextSelection) -> tuple[str, str] | None:
        """The canonical text under a mouse selection, for copying."""
        start = self._position_at(selection.start, 0)
        end = self._position_at(selection.end, len(self.article.text))
        return (self.article.text[start:end], "\n") if end > start else None

    def selection_updated(self, selection: TextSelection | None) -> None:
        """A mouse drag selects exactly the dragged text; the annotation keys then apply."""
        if selection is None:
            return
        start = self._position_at(selection.start, 0)
        end = self._position_at(selection.end, len(self.article.text))
        if end > start:
            self.set_selection(start, end, scroll=False)

    def on_click(self, event: events.Click) -> None:
        if self.text_selection is not None:
            return  # the end of a drag: the dragged text stays selected
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row_index = self.scroll_offset.y + offset.y
        if not 0 <= row_index < self.row_count:
            return
        row = self.row_at(row_index)
        if row.fold:
            self.action_toggle_furniture()
            return
        position = position_at_column(self.article.text, row, self.scroll_offset.x + offset.x - GUTTER)
        self._move_to(self._cursor.sentences.sentence_at(position), extend=event.shift)
