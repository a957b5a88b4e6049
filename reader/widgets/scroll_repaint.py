"""What a scroll repaints in a line widget: the lines it brings into view that the widget has
not shown before, and the cells of the scroll bar that changed.

Textual keeps a widget's styled lines by their place in the view (`StylesCache`, Textual
8.2.8), and a scroll marks every one of them to draw again, then repaints the whole scroll
bar. In the sidebar, a ↓ at the bottom of the list scrolls it by an entry, and drew some
forty lines anew (styled, filtered, cut for the screen) and the forty cells of the scroll
bar: two thirds of the key's work, for one entry that came into view. Here each line
drawn is also kept under what it shows (the widget says what: the entry and its look, the
article's row and its overlay), beside the widget's width and backgrounds, and before a
frame is drawn every line that is to be drawn again and is kept is put back in its place.
The same `Strip` comes back, so what Textual keeps on a strip (filtered, cut, written for
the terminal) is found again too. The scroll bar's thumb is moved without a repaint, then
only its rows that changed are repainted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from math import ceil
from typing import TYPE_CHECKING

from textual.cache import LRUCache
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _ScrollViewBase = ScrollView
else:
    _ScrollViewBase = object

KEPT_LINES = 256
"""Styled lines kept per widget: six views of it. Each strip holds a few dozen objects the
cycle collector walks (its caches, the strips Textual derived from it), so more would cost
every full collection more than they saved."""


class StyledLines:
    """One widget's styled lines by what they show. The widget calls `put_back` before it
    lets Textual draw a frame and `keep` after it, and `clear` when its styles change."""

    def __init__(self, size: int = KEPT_LINES) -> None:
        self._kept: LRUCache[tuple[Hashable, Hashable], Strip] = LRUCache(size)

    def clear(self) -> None:
        self._kept.clear()

    def put_back(self, widget: Widget, crop: Region, shows: Callable[[int], Hashable | None]) -> dict[int, Hashable]:
        """Put back the kept lines that Textual would draw again in `crop` (lines of
        `widget`), where it keeps its styled lines; `shows(y)` names what line `y` of the
        content shows (None: nothing to keep). The lines still to draw, and what they show."""
        cache = widget._styles_cache
        width = widget.region.width
        fresh = cache._width != width  # Textual draws every line again at a new width
        top = widget.styles.gutter.top
        height = widget.content_region.height
        frame: tuple[object, ...] | None = None
        to_draw: dict[int, Hashable] = {}
        for y in crop.line_range:
            if not 0 <= y - top < height or (not fresh and y in cache._cache and y not in cache._dirty_lines):
                continue
            what = shows(y - top)
            if what is None:
                continue
            if frame is None:
                frame = (width, widget.background_colors)
            key = (what, frame)
            strip = None if fresh else self._kept.get(key)
            if strip is None:
                to_draw[y] = key
            else:
                cache._cache[y] = strip
                cache._dirty_lines.discard(y)
        return to_draw

    def keep(self, widget: Widget, drawn: dict[int, Hashable]) -> None:
        """Keep the lines just drawn under what they show (`put_back`'s answer)."""
        lines = widget._styles_cache._cache
        for y, key in drawn.items():
            strip = lines.get(y)
            if strip is not None:
                self._kept[key] = strip


class KeepsStyledLines(_ScrollViewBase):
    """A line widget (a `ScrollView`) whose scroll repaints only the lines it brings into
    view that were not shown before, and the scroll bar's cells that changed. It says what
    each line of its content shows in `line_shown`. Put it before the Textual base class:
    its `render_lines` wraps the base's."""

    _styled_lines: StyledLines | None = None

    def line_shown(self, y: int) -> Hashable | None:
        """What line `y` of the content shows, everything that changes its look included
        (the frame's width and backgrounds are added); None: do not keep it."""
        return None

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._styled_lines is None:
            self._styled_lines = StyledLines()
        to_draw = self._styled_lines.put_back(self, crop, self.line_shown)
        lines = super().render_lines(crop)
        self._styled_lines.keep(self, to_draw)
        return lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._styled_lines is not None:
            self._styled_lines.clear()

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Textual's `ScrollView.watch_scroll_y` (Textual 8.2.8), the scroll bar repainted
        where its thumb changed only."""
        if self.show_vertical_scrollbar:
            move_thumb(self.vertical_scrollbar, new)
        if round(old) != round(new):
            self.refresh(self.size.region)


def move_thumb(bar: ScrollBar, position: float) -> None:
    """Put the thumb of the scroll bar `bar` at `position`, repainting only the rows whose
    cells changed (Textual repaints the whole bar)."""
    before = _bar_cells(bar)
    bar.set_reactive(ScrollBar.position, bar.validate_position(position))
    after = _bar_cells(bar)
    if len(before) != len(after):
        bar.refresh()
        return
    width = bar.size.width
    changed = [Region(0, y, width, 1) for y, (old, new) in enumerate(zip(before, after)) if old != new]
    if changed:
        bar.refresh(*changed)


def _bar_cells(bar: ScrollBar) -> list[object]:
    """The cells of a vertical scroll bar, a row each, as `ScrollBar` draws them (Textual
    8.2.8 `ScrollBar._render_bar`), in the renderer's default colours: enough to tell
    which rows a move changes."""
    window_size = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    cells = bar.renderer.render_bar(
        size=bar.size.height,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window_size),
        position=bar.position,
        thickness=bar.size.width,
        vertical=True,
    )
    return list(cells.segments)
