"""Textual's option lists, with Page Up / Page Down that never raise and arrows that stop
at the ends.

Textual's `OptionList` (and `SelectionList`, built on it) builds its line index only when
it renders with room; Page Up / Page Down read that index, and raised KeyError when a key
came before the list had rendered its options (a list with no height in a terminal a dozen
rows high, or keys typed faster than the screen was drawn: the monkey test found both).
Its ↑ / ↓ also wrap round, last to first, with no sign of it: four ↑ in the sidebar's four
entries came back where they started and seemed to do nothing. Every list of the app pages
through `SafePaging` and stops at its ends with `StopsAtEnds` (the library's
`SelectionList` too); Home and End go to the first and last entries. In screen-reader mode
`HighlightCursor` puts the terminal's cursor on the highlighted entry.

Textual lays a list out by measuring every entry's height, which words every entry first:
a library of 2,000 articles took longer to lay out than to read. A `SelectionList` draws
each entry on one line (its first line, cut to the width), so the library's list lays
itself out with `OneLineEntries`, which measures nothing.
"""

from __future__ import annotations

from itertools import repeat

from textual.geometry import Offset, Size
from textual.widgets import OptionList

from reader.widgets.screen_reader_cursor import PlacesTerminalCursor


class SafePaging:
    """Page Up / Page Down do nothing while the list has no line index for its highlight."""

    def _can_page(self) -> bool:
        if not self.scrollable_content_region.height:  # type: ignore[attr-defined]
            return False
        highlighted = self.highlighted  # type: ignore[attr-defined]
        return highlighted is None or highlighted in self._index_to_line  # type: ignore[attr-defined]

    def action_page_down(self) -> None:
        if self._can_page():
            super().action_page_down()  # type: ignore[misc]

    def action_page_up(self) -> None:
        if self._can_page():
            super().action_page_up()  # type: ignore[misc]


class StopsAtEnds:
    """↑ on the first entry and ↓ on the last stay there (skipping disabled entries, such
    as the sidebar's group headings, on the way); at an end the list scrolls all the way,
    so a heading above the first entry shows."""

    def _step(self, direction: int) -> None:
        options = self.options  # type: ignore[attr-defined]
        index = self.highlighted  # type: ignore[attr-defined]
        if index is None:  # nothing highlighted yet: the first (↓) or last (↑) entry
            if direction > 0:
                super().action_cursor_down()  # type: ignore[misc]
            else:
                super().action_cursor_up()  # type: ignore[misc]
            return
        index += direction
        while 0 <= index < len(options):
            if not options[index].disabled:
                self.highlighted = index
                return
            index += direction
        if direction < 0:
            self.scroll_home(animate=False)  # type: ignore[attr-defined]
        else:
            self.scroll_end(animate=False)  # type: ignore[attr-defined]

    def action_cursor_down(self) -> None:
        self._step(+1)

    def action_cursor_up(self) -> None:
        self._step(-1)


class OneLineEntries:
    """For a list whose every entry is one line high, as `SelectionList` draws them: its
    line index is laid out, and its height given, without wording or measuring an entry."""

    def _update_lines(self) -> None:
        """Textual's `OptionList._update_lines` (Textual 8.2.8), every entry one line."""
        region = self.scrollable_content_region  # type: ignore[attr-defined]
        if not region:
            return
        line_cache = self._line_cache  # type: ignore[attr-defined]
        count = len(self.options)  # type: ignore[attr-defined]
        laid = len(line_cache.lines)
        if laid < count:
            added = range(laid, count)
            line_cache.lines.extend(zip(added, repeat(0)))
            line_cache.heights.update(dict.fromkeys(added, 1))
            line_cache.index_to_line.update(zip(added, added))
        virtual_size = Size(region.width - self._get_left_gutter_width(), count)  # type: ignore[attr-defined]
        if virtual_size != self.virtual_size:  # type: ignore[attr-defined]
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)  # type: ignore[attr-defined]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.options)  # type: ignore[attr-defined]


class HighlightCursor(PlacesTerminalCursor):
    """The terminal's cursor on the first cell of the highlighted entry (screen-reader mode),
    on the list's first cell while nothing is highlighted."""

    def terminal_cursor_cell(self) -> Offset | None:
        highlighted = self.highlighted  # type: ignore[attr-defined]
        if highlighted is None:
            return Offset(0, 0)
        line = self._index_to_line.get(highlighted)  # type: ignore[attr-defined]
        if line is None:  # not laid out yet: the next frame places it
            return None
        padding = self.get_component_styles("option-list--option").padding
        return Offset(padding.left, line + padding.top - self.scroll_offset.y)


class ChoiceList(HighlightCursor, SafePaging, StopsAtEnds, OptionList):
    """An `OptionList` whose paging keys are safe before it is drawn, whose arrows stop at
    its ends, and whose highlighted entry has the terminal's cursor in screen-reader mode."""
