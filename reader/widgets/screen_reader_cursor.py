"""The terminal's own cursor on what has focus, in screen-reader mode: the screen readers and
braille displays of a terminal read where its real cursor is.

Textual moves the terminal's cursor to `App.cursor_position` after every frame it writes
(and the app shows the cursor in this mode, `reader/accessibility.py`). A widget with
`PlacesTerminalCursor` sets that position while the frame is drawn: every cursor move,
scroll, resize or change of focus redraws the widget, so the position is always the one the
frame shows. Out of screen-reader mode nothing is set, and the cursor stays hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.geometry import Offset, Region
from textual.strip import Strip

from reader.ingest.sanitize import display_text

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.widget import Widget

    from reader.layout import ArticleLayout
    from reader.sentences import Span

    _WidgetBase = Widget
else:
    _WidgetBase = object


def screen_reader_on(node: DOMNode) -> bool:
    """Whether the app runs in screen-reader mode (`--screen-reader`, or the config's
    `screen_reader = true`)."""
    return bool(getattr(node.app, "screen_reader", False))


class PlacesTerminalCursor(_WidgetBase):
    """A widget drawn line by line that, while it has focus on the screen shown, puts the
    terminal's cursor on `terminal_cursor_cell()` with every frame (screen-reader mode only).
    Put it before the Textual base class: its `render_lines` wraps the base's."""

    def terminal_cursor_cell(self) -> Offset | None:
        """Where what is current in the widget starts, as a cell of its scrollable content
        region as it is shown (scrolling applied); None leaves the cursor where it is."""
        return Offset(0, 0)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self.place_terminal_cursor()
        return lines

    def place_terminal_cursor(self) -> None:
        """Put the terminal's cursor on the current cell, kept inside the widget."""
        if not (self.has_focus and self.screen.is_active and screen_reader_on(self)):
            return
        region = self.scrollable_content_region
        cell = self.terminal_cursor_cell()
        if cell is None or not region:
            return
        x = region.x + max(0, min(cell.x, region.width - 1))
        y = region.y + max(0, min(cell.y, region.height - 1))
        self.app.cursor_position = Offset(x, y)


def cursor_to_focused(widget: Widget) -> None:
    """Put the terminal's cursor on a focused widget that does not place it itself: an
    Input's or TextArea's own cursor, else the widget's first cell. Called once the screen
    is laid out after the focus moved: an Input focused as its dialog opens placed it
    before it had a place on screen. The widget is redrawn, so a frame puts it there."""
    if not widget.is_attached or widget.screen.focused is not widget or not widget.screen.is_active:
        return
    offset = getattr(widget, "cursor_screen_offset", None)
    widget.app.cursor_position = offset if isinstance(offset, Offset) else widget.content_region.offset
    widget.refresh()


def selection_start_cell(
    layout: ArticleLayout | None, text: str, selection: Span | None, gutter: int, scroll: Offset, height: int
) -> Offset | None:
    """The cell of a reading pane's view where its selection starts: its row and the cells
    of that row before it (after the `gutter`). Only the rows in view are looked at (they
    are wrapped for the frame; wrapping others while drawing would move the view): a
    selection starting above the view gives the view's first row, one below it the last."""
    if layout is None or selection is None or height <= 0:
        return None
    top = scroll.y
    bottom = min(layout.total, top + height) - 1
    if bottom < top:
        return None
    start = selection[0]
    index = top
    while index < bottom and layout.row(index + 1).start <= start:
        index += 1
    row = layout.row(index)
    if row.fold or row.spacer or not row.start <= start <= row.end:
        return Offset(gutter - scroll.x, index - top)  # its start is not in view
    return Offset(gutter + cell_len(display_text(text[row.start : start])) - scroll.x, index - top)
