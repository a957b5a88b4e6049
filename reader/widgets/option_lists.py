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
itself out with `OneLineEntries`, which measures nothing. Textual then draws each line
through its whole visual pipeline (padding, alignment, wrapping, selection, links: a
dozen strips made and styled on the way), half a millisecond a line on a 2-core machine:
the library's first screenful took 15-20 ms. `OneLineDrawing` draws a line that fits its
width straight into one strip, the same segments Textual would draw (a test holds it to
that), and leaves any other line to Textual.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Offset, Region, Size, Spacing
from textual.strip import Strip
from textual.style import Style
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


class OneLineDrawing:
    """For a `SelectionList` of one-line entries: a line whose prompt (`one_line(option)`,
    a `Content`) fits the width is drawn as Textual 8.2.8's `SelectionList.render_line`
    would draw it (its toggle button, then the prompt in the option's style, each run of
    text with its offset for mouse selection, padded to the width, every segment marked
    with the option's index), without Textual's visual pipeline; any other line (no
    prompt of that kind, one too long or with tabs or trailing spaces, options with
    padding) Textual draws."""

    _drawn_lines: LRUCache[tuple[object, ...], Strip] | None = None
    _width: int | None = None
    """The lines' width while the list draws them (`render_lines`); None: not drawn here."""

    def one_line(self, option: object, room: int) -> Content | None:
        """The option's prompt for `room` cells, if it is drawn here; None leaves it to
        Textual."""
        return None

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines, the list's width and style looked up once for all of them."""
        self._width = self._drawn_width()
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._width = None

    def _drawn_width(self) -> int | None:
        """The width of a line drawn here; None when every line is left to Textual (its
        options have padding, or its text is not aligned left)."""
        padding = self.get_component_styles("option-list--option").padding  # type: ignore[attr-defined]
        if padding != Spacing() or self.styles.text_align not in ("left", "start"):  # type: ignore[attr-defined]
            return None
        return self.scrollable_content_region.width - self._get_left_gutter_width()  # type: ignore[attr-defined]

    def render_line(self, y: int) -> Strip:
        width = self._drawn_width() if self._width is None else self._width
        index = self.scroll_offset.y + y  # type: ignore[attr-defined]
        options = self._options  # type: ignore[attr-defined]
        lines = self._line_cache.lines  # type: ignore[attr-defined]  # laid out by render_lines
        if width is None or not 0 <= index < min(len(lines), len(options)) or lines[index] != (index, 0):
            return super().render_line(y)  # type: ignore[misc]
        option = options[index]
        content = self.one_line(option, width)
        if content is None or option.disabled or option._divider:
            return super().render_line(y)  # type: ignore[misc]
        plain = content.plain
        if content.cell_length > width or "\t" in plain or "\n" in plain or plain != plain.rstrip():
            return super().render_line(y)  # type: ignore[misc]
        highlighted = self.highlighted == index  # type: ignore[attr-defined]
        selected = option.value in self._selected  # type: ignore[attr-defined]
        hover = self._mouse_hovering_over == index  # type: ignore[attr-defined]
        component = ("option-list--option-highlighted" if highlighted
                     else "option-list--option-hover" if hover else "")
        style = (self.get_visual_style("option-list--option", component) if component  # type: ignore[attr-defined]
                 else self.get_visual_style("option-list--option"))  # type: ignore[attr-defined]
        button = "selection-list--button" + ("-selected" if selected else "") + ("-highlighted" if highlighted else "")
        button_style = self.get_component_rich_style(button)  # type: ignore[attr-defined]
        key = (option, style, button_style, width)
        if self._drawn_lines is None:
            self._drawn_lines = LRUCache(1024)
        strip = self._drawn_lines.get(key)
        if strip is None:
            strip = self._drawn_lines[key] = self._draw(index, content, style, width, button_style)
        return strip

    def _draw(self, index: int, content: Content, style: Style, width: int, button_style: RichStyle) -> Strip:
        """Textual's `OptionList._get_option_render` (`Content.to_strip`, padded, the
        option's index as meta), then `SelectionList.render_line`'s toggle button."""
        meta = RichStyle.from_meta({"option": index})
        segments = []
        x = 0
        for text, text_style in content.render(style, end="", parse_style=self._get_style):  # type: ignore[attr-defined]
            segments.append(Segment(text, meta + (style + text_style).rich_style_with_offset(x, 0)))
            x += len(text)
        if content.cell_length < width:
            segments.append(Segment(" " * (width - content.cell_length), meta + style.rich_style))
        underlying = segments[0].style if segments else meta + style.rich_style
        side_style = RichStyle.from_color(button_style.bgcolor, underlying.bgcolor) + RichStyle(meta={"option": index})
        button_style += RichStyle(meta={"option": index})
        left, inner, right = toggle_button()
        return Strip([
            Segment(left, side_style),
            Segment(inner, button_style),
            Segment(right, side_style),
            Segment(" ", underlying),
            *segments,
        ])


@cache
def toggle_button() -> tuple[str, str, str]:
    """The characters of the toggle button a `SelectionList` draws (`ToggleButton`'s, public
    through `Checkbox`), read when a list first needs them: not at start-up."""
    from textual.widgets import Checkbox

    return Checkbox.BUTTON_LEFT, Checkbox.BUTTON_INNER, Checkbox.BUTTON_RIGHT


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
