"""The annotation sidebar's list: Textual's `OptionList` (through `ChoiceList`), kept quick
with a thousand entries.

Textual's list does, for every entry, work that only some entries need: it repaints every
entry in view when the highlight moves one step, and after any change to its options it
wraps every entry again to learn its height (about half a second for a thousand entries on
a busy machine) and forgets every entry it had drawn. Here a highlight move repaints the two
entries it touches, and an entry's height and drawing are kept, for as long as the sidebar
lists the same `Option` (it keeps one per annotation while the annotation is unchanged), so
a change wraps only the entries that changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.cache import LRUCache
from textual.css.styles import RulesMap
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding
from textual.widgets.option_list import Option

from reader.widgets.option_lists import ChoiceList

DRAWN_ENTRIES = 4096
"""Entry drawings kept (an entry has one per look: plain, highlighted, disabled)."""


class SidebarList(ChoiceList):
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
        watcher scrolls to the new one and posts `OptionHighlighted`."""
        for index in {old, new} - {None}:
            self._repaint_entry(index)  # type: ignore[arg-type]
        super().watch_highlighted(new)

    def _repaint_entry(self, index: int) -> None:
        """Repaint the lines of entry `index`; the whole list when they are not laid out.
        A move that scrolls the list repaints what scrolled anyway."""
        line = self._index_to_line.get(index)
        if line is None:
            self.refresh()
        else:
            self.refresh_lines(line, self._heights.get(index, 1))

    # heights and drawings, kept ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        padding = self.get_component_styles("option-list--option").padding
        self._frame = (padding, self.scrollable_content_region.width - self._get_left_gutter_width())
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    @property
    def _lines(self) -> Sequence[tuple[int, int]]:
        """(entry, line of the entry) for each line of the list, laid out as far as needed
        (already, while a frame is drawn)."""
        if self._frame is None:
            self._update_lines()
        return self._line_cache.lines

    def _update_lines(self) -> None:
        """Textual's `OptionList._update_lines` (Textual 8.2.8), with each entry's height
        taken from `_entry_heights` when it is there rather than wrapped again."""
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
            for index, option in enumerate(self.options[next_index:], next_index):
                height = heights.get(option)
                if height is None:
                    height = heights[option] = self._get_visual(option).get_height(rules, text_width)
                line_count = height + option._divider
                line_cache.index_to_line[index] = len(lines)
                line_cache.heights[index] = line_count
                lines.extend([(index, line_no) for line_no in range(line_count)])
        last_divider = self.options and self.options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

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
