"""The annotation sidebar's list: Textual's `OptionList` (through `ChoiceList`), kept quick
with a thousand entries.

Textual's list does, for every entry, work that only some entries need: it repaints every
entry in view when the highlight moves one step, and after any change to its options it
wraps every entry again to learn its height (about half a second for a thousand entries on
a busy machine) and forgets every entry it had drawn. Here a highlight move repaints the two
entries it touches, and an entry's height and drawing are kept, for as long as the sidebar
lists the same `Option` (it keeps one per annotation while the annotation is unchanged), so
a change wraps only the entries that changed. A scroll draws only the lines it brings into view
that the list has not drawn before, and the cells of the scroll bar that changed
(`scroll_repaint.py`): the lines it had shown come back as they were styled.

A thousand entries took half a second to lay out the first time, just after the first
frame, and the first key pressed then waited for all of it. Now an entry's height is counted
from its text (`_entry_height`), and the list is laid out a slice at a time between keys:
the entries in view first, the rest in the background; a highlight that moves meanwhile is
scrolled to once the list is laid out."""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence

from rich._wrap import divide_line
from rich.segment import Segment
from rich.text import Text
from textual.cache import LRUCache
from textual.css.styles import RulesMap
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding
from textual.widgets.option_list import Option

from reader.widgets.option_lists import ChoiceList
from reader.widgets.scroll_repaint import KeepsStyledLines

DRAWN_ENTRIES = 4096
"""Entry drawings kept (an entry has one per look: plain, highlighted, disabled)."""
LAY_OUT_SLICE = 0.008
"""Seconds of measuring entries to lay the list out, at a time: a key pressed meanwhile waits
at most this long."""
LAY_OUT_PAUSE = 0.005
"""Seconds between two slices: the thread that reads the keys needs the interpreter too,
and slices back to back kept a key from reaching the app for 80 ms."""


class SidebarList(KeepsStyledLines, ChoiceList):
    """The sidebar's option list: entries' heights and drawings kept across changes, and
    the highlight moved by repainting only what it left and what it reached."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entry_heights: dict[Option, int] = {}
        """Lines of each entry's text at `_heights_width` cells (an entry is an `Option`)."""
        self._heights_width = -1
        self._drawn: LRUCache[tuple[Option, int, Style, Spacing, int], list[Strip]] = LRUCache(DRAWN_ENTRIES)
        """An entry's lines as drawn: by entry, its place in the list (the lines carry it for
        the mouse), look, padding and width."""
        self._frame: tuple[Spacing, int] | None = None
        """While a frame is drawn: the entries' padding and width, the same for every line
        (Textual worked them out again for each line, and laid the list out again)."""
        self._looks: dict[str, Style] | None = None
        """While a frame is drawn: the entries' looks (plain, highlighted …) picked so far."""
        self._in_slices = False
        """Whether the layout runs a slice at a time (while a frame is drawn, and the
        background slices after it); else it lays out every entry at once."""
        self._slice_queued = False
        self._scroll_when_laid_out: bool | None = None
        """A scroll to the highlight waiting for the layout (its `top`), or None."""

    def keep_scrollbar_room(self, overflows: bool) -> None:
        """Keep the scroll bar's column free from the start when the entries are sure to
        overflow: otherwise the list wraps every entry, finds that they overflow, shows its
        scroll bar, is narrower, and wraps every entry again."""
        gutter = "stable" if overflows else "auto"
        if self.styles.scrollbar_gutter != gutter:
            self.styles.scrollbar_gutter = gutter

    # the highlight -----------------------------------------------------------------------

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        """The entries the highlight left and reached are repainted; then Textual's own
        watcher scrolls to the new one and posts `OptionHighlighted`. Once that is on
        screen, the looks the next ↑ or ↓ will show are drawn ahead."""
        for index in {old, new} - {None}:
            self._repaint_entry(index)  # type: ignore[arg-type]
        super().watch_highlighted(new)
        if new is not None and self.has_focus:
            self.call_after_refresh(self._draw_ahead, new)

    def _draw_ahead(self, index: int) -> None:
        """Draw the looks an arrow key from entry `index` shows (the entry plain, the
        entries before and after it highlighted), so that the key only puts them on
        screen: wording an entry was most of what a move in the list still drew. Not when
        the highlight follows the reading pane's cursor: it jumps, no arrow follows."""
        if not self.is_mounted or self.highlighted != index or not self.scrollable_content_region:
            return
        plain = self.get_visual_style("option-list--option")
        highlighted = self.get_visual_style("option-list--option", "option-list--option-highlighted")
        for near, style in ((index, plain), (index - 1, highlighted), (index + 1, highlighted)):
            if 0 <= near < self.option_count and not self.options[near].disabled:
                self._get_option_render(self.options[near], style)

    def _repaint_entry(self, index: int) -> None:
        """Repaint the lines of entry `index`; the whole list when they are not laid out.
        A move that scrolls the list repaints what scrolled anyway."""
        line = self._line_cache.index_to_line.get(index)  # as laid out so far
        if line is None:
            self.refresh()
        else:
            self.refresh_lines(line, self._line_cache.heights.get(index, 1))

    # heights and drawings, kept ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        padding = self.get_component_styles("option-list--option").padding
        self._frame = (padding, self.scrollable_content_region.width - self._get_left_gutter_width())
        self._looks = {}
        self._in_slices = True
        try:
            self._update_lines()
            return super().render_lines(crop)
        finally:
            self._frame = None
            self._looks = None
            self._in_slices = False

    # laid out a slice at a time ------------------------------------------------------------

    def _laid_out(self) -> bool:
        """Every entry has its lines (without laying any out)."""
        lines = self._line_cache.lines
        return (lines[-1][0] + 1 if lines else 0) >= len(self.options)

    def _lay_out_later(self) -> None:
        if not self._slice_queued:
            self._slice_queued = True
            self.set_timer(LAY_OUT_PAUSE, self._lay_out_slice, name="lay out")

    def _lay_out_slice(self) -> None:
        """Lay out the next entries for LAY_OUT_SLICE; repaint if they show."""
        self._slice_queued = False
        if not self.is_mounted:
            return
        shown_until = len(self._line_cache.lines)
        self._in_slices = True
        try:
            self._update_lines()
        finally:
            self._in_slices = False
        if shown_until < self.scroll_offset.y + self.size.height:
            self.refresh()

    def _scroll_as_waited(self) -> None:
        if self._scroll_when_laid_out is not None and self._laid_out():
            top, self._scroll_when_laid_out = self._scroll_when_laid_out, None
            self.scroll_to_highlight(top)

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Textual's, once the list is laid out (until then it waits: laying out the rest
        at once made the key that moved the highlight wait for it)."""
        if self.scrollable_content_region and self._laid_out():
            super().scroll_to_highlight(top)
        else:
            self._scroll_when_laid_out = top
            if self.scrollable_content_region:
                self._lay_out_later()

    def line_shown(self, y: int) -> Hashable | None:
        """What line `y` of the view shows: its entry, the entry's place, the line of the
        entry, its look and the width (None below the last entry)."""
        look = self._look(self.scroll_offset.y + y, self._looks)
        return None if look is None else (*look, self._frame[1] if self._frame else -1)

    def _look(self, line_number: int, looks: dict[str, Style] | None = None) -> tuple[Option, int, int, Style] | None:
        """The entry on line `line_number` of the list, its place, the line of the entry,
        and the look it is drawn with, as Textual's `OptionList.render_line` picks it (the
        looks already picked in `looks`)."""
        try:
            index, line_offset = self._lines[line_number]
            option = self.options[index]
        except IndexError:
            return None
        if option.disabled:
            name = "option-list--option-disabled"
        elif self.highlighted == index:
            name = "option-list--option-highlighted"
        elif self._mouse_hovering_over == index:
            name = "option-list--option-hover"
        else:
            name = ""
        style = looks.get(name) if looks is not None else None
        if style is None:
            style = self.get_visual_style("option-list--option", name) if name else self.get_visual_style("option-list--option")
            if looks is not None:
                looks[name] = style
        return option, index, line_offset, style

    def render_line(self, y: int) -> Strip:
        """Textual's `OptionList.render_line` (Textual 8.2.8), the look picked by `_look`."""
        look = self._look(self.scroll_offset.y + y)
        if look is not None:
            option, _index, line_offset, style = look
            strips = self._get_option_render(option, style)
            if line_offset < len(strips):
                return strips[line_offset]
        return Strip.blank(self.scrollable_content_region.width, self.get_visual_style("option-list--option").rich_style)

    @property
    def _lines(self) -> Sequence[tuple[int, int]]:
        """(entry, line of the entry) for each line of the list, laid out as far as needed
        (already, while a frame is drawn)."""
        if self._frame is None:
            self._update_lines()
        return self._line_cache.lines

    def _update_lines(self) -> None:
        """Textual's `OptionList._update_lines` (Textual 8.2.8), with each entry's height
        taken from `_entry_heights` when it is there rather than wrapped again; in slices
        (`_in_slices`), entries are measured for LAY_OUT_SLICE at most, the rest later."""
        if not self.scrollable_content_region:
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if next_index < len(self.options):
            padding = self.get_component_styles("option-list--option").padding
            text_width = width - padding.width
            if text_width != self._heights_width:
                self._entry_heights.clear()
                self._heights_width = text_width
            elif len(self._entry_heights) > 2 * len(self.options):
                listed = set(self.options)  # forget the entries no longer listed
                self._entry_heights = {o: h for o, h in self._entry_heights.items() if o in listed}
            heights = self._entry_heights
            rules: RulesMap = self.styles  # type: ignore[assignment]
            deadline = time.perf_counter() + LAY_OUT_SLICE if self._in_slices else None
            measured = 0
            for index, option in enumerate(self.options[next_index:], next_index):
                height = heights.get(option)
                if height is None:
                    if deadline is not None and measured and time.perf_counter() > deadline:
                        self._lay_out_later()
                        break
                    height = heights[option] = self._entry_height(option, rules, text_width)
                    measured += 1
                line_count = height + option._divider
                line_cache.index_to_line[index] = len(lines)
                line_cache.heights[index] = line_count
                lines.extend([(index, line_no) for line_no in range(line_count)])
        last_divider = self.options and self.options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
        if self._scroll_when_laid_out is not None and self._laid_out():
            self.call_later(self._scroll_as_waited)  # not in the middle of a frame

    def _entry_height(self, option: Option, rules: RulesMap, width: int) -> int:
        """The lines entry `option` takes at `width` cells, as `Content.get_height` counts
        them (Textual 8.2.8: each line of the text wrapped by Rich's `divide_line`), from
        the entry's text alone: making its `Content` to measure it was most of the time
        a thousand entries took to lay out."""
        prompt, get_rule = option.prompt, rules.get
        if (not isinstance(prompt, Text) or "\t" in prompt.plain or width < 1 or get_rule("line_pad", 0)
                or get_rule("text_wrap", "wrap") == "nowrap"):
            return self._get_visual(option).get_height(rules, width)
        fold = get_rule("text_overflow", "fold") == "fold"
        return sum(len(divide_line(line, width, fold=fold)) + 1 for line in prompt.plain.split("\n"))

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """Textual's `OptionList._get_option_render` (Textual 8.2.8), its drawings kept in
        `_drawn`, which changing the options does not empty."""
        padding, width = self._frame or (
            self.get_component_styles("option-list--option").padding,
            self.scrollable_content_region.width - self._get_left_gutter_width(),
        )
        index = self._option_to_index[option]
        key = (option, index, style, padding, width)
        strips = self._drawn.get(key)
        if strips is None:
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            strips = visual.to_strips(self, visual, width, None, style)
            meta = {"option": index}
            strips = [strip.extend_cell_length(width, style.rich_style).apply_meta(meta) for strip in strips]
            if option._divider:
                rule_style = self.get_visual_style("option-list--separator")
                strips.append(Strip([Segment("─" * width, rule_style.rich_style)], width))
            self._drawn[key] = strips
        return strips

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()
