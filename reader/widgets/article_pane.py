"""The reading pane: one article drawn row by row with Textual's line API."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection as TextSelection
from textual.strip import Strip
from textual.timer import Timer

from reader.ingest.sanitize import display_text
from reader.layout import ArticleLayout, Row
from reader.model import Annotation, Article
from reader.sentences import SentenceIndex, Span

WRAP_TICK = 0.05
"""Seconds between two slices of background wrapping of a long article."""
WRAP_BUDGET = 0.008
"""Seconds of wrapping per slice: keys pressed meanwhile wait at most this long."""
WRAP_PAUSE = 0.4
"""Seconds after a cursor move during which background wrapping waits."""
GUTTER = 3
"""Cells at the left of every row for the marks of the annotations on it."""

KIND_MARKS = {"claim": "C", "contradiction": "X", "link": "L", "note": "N"}
"""Gutter letters: kinds are told apart without colour too."""


class Highlight(NamedTuple):
    """One annotated span of this pane's article."""

    start: int
    end: int
    kind: str
    annotation_id: str


FIND_WINDOW = 65_536
"""A backward search looks at this many characters before the cursor, then twice as many
further back, and so on: finding the previous match costs what lies between them."""


def _last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of `pattern` in text[start:end], looking back from `end` in windows
    that double: a match found in [low, end) is the last one, as any match the window cuts
    starts before it."""
    window = FIND_WINDOW
    while True:
        low = max(start, end - window)
        last = None
        for last in pattern.finditer(text, low, end):
            pass
        if last is not None or low == start:
            return last
        window *= 2


class ArticlePane(ScrollView, can_focus=True):
    """One article, drawn line by line from its canonical text, with a sentence cursor.

    | Key | Does |
    | :- | :- |
    | down, j / up, k | next / previous sentence |
    | shift+down, J / shift+up, K | extend the selection by a sentence |
    | pagedown, space / pageup | a page down / up |
    | home, g / end, G | first / last sentence |
    | x | show or fold page furniture |
    """

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next sentence", show=False),
        Binding("up,k", "cursor_up", "Previous sentence", show=False),
        Binding("shift+down,J", "extend_down", "Extend down", show=False),
        Binding("shift+up,K", "extend_up", "Extend up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "cursor_first", "First sentence", show=False),
        Binding("end,G", "cursor_last", "Last sentence", show=False),
        Binding("x", "toggle_furniture", "Furniture"),
    ]

    COMPONENT_CLASSES = {
        "article-pane--cursor",
        "article-pane--cursor-blurred",
        "article-pane--claim",
        "article-pane--contradiction",
        "article-pane--link",
        "article-pane--note",
        "article-pane--related",
        "article-pane--heat-1",
        "article-pane--heat-2",
        "article-pane--heat-3",
        "article-pane--heat-4",
        "article-pane--match",
        "article-pane--furniture",
        "article-pane--fold",
        "article-pane--gutter",
    }
    """
    | Class | Description |
    | :- | :- |
    | `article-pane--cursor` | the selected sentence(s) while the pane has focus |
    | `article-pane--cursor-blurred` | the selection while another widget has focus |
    | `article-pane--claim` … `--note` | highlights, one per kind |
    | `article-pane--related` | the annotation under the cursor, and its other end |
    | `article-pane--heat-1` … `--heat-4` | the class view: how many students marked a passage |
    | `article-pane--furniture` | page furniture when shown |
    | `article-pane--fold` | the marker row of folded furniture |
    | `article-pane--gutter` | the mark column |
    """

    DEFAULT_CSS = """
    ArticlePane {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    @dataclass
    class SelectionChanged(Message):
        """The reader moved the cursor or changed the selection."""

        pane: ArticlePane
        start: int
        end: int

        @property
        def control(self) -> ArticlePane:
            return self.pane

    def __init__(
        self,
        article: Article,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article = article
        self._folded = True
        self._sentences = SentenceIndex(article.text, article.furniture)
        self._cursor_at: Span | None = None
        self._cursor_due = True
        """The first sentence is found after the first frame (it takes pysbd's import and
        first run, ~15 ms): the frame shows the text, the cursor follows a frame later."""
        self._anchor: Span | None = None
        self._highlights: list[Highlight] = []
        self._related: frozenset[str] = frozenset()
        self._heat: list[tuple[int, int, int]] = []
        self._heat_top = 0
        self._layout: ArticleLayout | None = None
        self._layout_width = -1
        self._wrapping: Timer | None = None
        self._frame: tuple[int, Style] | None = None
        self._last_move = 0.0
        self._revision = 0
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)

    # state ------------------------------------------------------------------------------

    @property
    def _cursor(self) -> Span | None:
        if self._cursor_due:
            self._cursor_due = False
            self._cursor_at = self._sentences.first()
        return self._cursor_at

    @_cursor.setter
    def _cursor(self, span: Span | None) -> None:
        self._cursor_due = False
        self._cursor_at = span

    @property
    def cursor_placed(self) -> bool:
        """False until the first frame is drawn and the first sentence found."""
        return not self._cursor_due

    def on_mount(self) -> None:
        self.call_after_refresh(self._place_first_cursor)

    def _place_first_cursor(self) -> None:
        if self._cursor_due:
            span = self.selection  # finds the first sentence
            self.refresh()
            if self.has_focus and span is not None:  # its annotation is emphasised, as after any move
                self.post_message(self.SelectionChanged(self, span[0], span[1]))

    def _drawn_selection(self) -> Span | None:
        """The selection as drawn: none until the first sentence is found after the first
        frame (drawing must not find it)."""
        return None if self._cursor_due else self.selection

    @property
    def selection(self) -> Span | None:
        """The selected span of the canonical text: the cursor, extended to the anchor."""
        if self._cursor is None:
            return None
        if self._anchor is None:
            return self._cursor
        return (min(self._cursor[0], self._anchor[0]), max(self._cursor[1], self._anchor[1]))

    @property
    def selected_text(self) -> str:
        span = self.selection
        return "" if span is None else self.article.text[span[0] : span[1]]

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show these annotations' spans in this article."""
        highlights = [
            Highlight(target.start, target.end, annotation.kind, annotation.id)
            for annotation in annotations
            for target in annotation.targets
            if target.article_id == self.article.id and annotation.anchor != "orphaned"
        ]
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._invalidate()

    def highlights_at(self, start: int, end: int) -> list[Highlight]:
        """The highlights overlapping [start, end)."""
        found = []
        for highlight in self._highlights:
            if highlight.start >= end:
                break
            if highlight.end > start:
                found.append(highlight)
        return found

    def clear_selection(self) -> None:
        """Collapse an extended selection to the sentence under the cursor."""
        self._anchor = None
        if self._cursor is not None:
            self._cursor = self._sentences.sentence_at(self._cursor[0]) or self._cursor
        self.refresh()

    def set_selection(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Select exactly [start, end) (a find match, a mouse drag)."""
        start = max(0, min(start, len(self.article.text)))
        end = max(start, min(end, len(self.article.text)))
        if end == start:
            return
        self._anchor = None
        self._cursor = (start, end)
        self._cursor_moved()
        if scroll:
            self.scroll_to_offset(end - 1)
            self.scroll_to_offset(start)

    def annotations_under_cursor(self) -> list[str]:
        """Ids of the annotations overlapping the selection, innermost first."""
        span = self.selection
        if span is None:
            return []
        found = self.highlights_at(span[0], span[1])
        found.sort(key=lambda h: h.end - h.start)
        ids: list[str] = []
        for highlight in found:
            if highlight.annotation_id not in ids:
                ids.append(highlight.annotation_id)
        return ids

    def set_heat(self, runs: list[tuple[int, int, int]], students: int) -> None:
        """The class view's overlay: (start, end, how many students marked it) runs."""
        self._heat = sorted(runs)
        self._heat_top = max(students, 1)
        self._invalidate()

    def heat_at(self, start: int, end: int) -> list[tuple[int, int, int]]:
        return [run for run in self._heat if run[0] < end and run[1] > start]

    def set_related(self, annotation_ids: frozenset[str]) -> None:
        """Emphasise these annotations (the one under a cursor and its other end)."""
        if annotation_ids != self._related:
            self._related = annotation_ids
            self.refresh()

    def find(
        self, pattern: re.Pattern[str], *, forward: bool = True, origin: int | None = None
    ) -> bool:
        """Select the next (or previous) match of `pattern`, wrapping around the text.

        With `origin`, the first match at or after it (a search as the query is typed).
        """
        text = self.article.text
        start = (self.selection or (0, 0))[0]
        if origin is not None:
            match = pattern.search(text, origin) or pattern.search(text)
        elif forward:
            match = pattern.search(text, start + 1) or pattern.search(text)
        else:
            match = _last_match(pattern, text, 0, start) or _last_match(pattern, text, 0, len(text))
        if match is None or match.end() == match.start():
            return False
        self.set_selection(match.start(), match.end(), scroll=False)
        self.scroll_to_offset(match.start(), center=True)
        return True

    # layout -----------------------------------------------------------------------------

    def _ensure_layout(self) -> ArticleLayout:
        """The rows at the pane's width. A new width (or folding) makes a new layout, which
        wraps only what is drawn; the rest is wrapped a chunk at a time in the background."""
        width = max(1, self.scrollable_content_region.width - GUTTER)
        layout = self._layout
        if layout is not None and width == self._layout_width:
            return layout
        top_offset = layout.row(self.scroll_offset.y).start if layout is not None else None
        hidden = tuple(self.article.furniture) if self._folded else ()
        layout = self._layout = ArticleLayout(self.article.text, hidden, width)
        self._layout_width = width
        self._line_cache.clear()
        self.virtual_size = Size(width + GUTTER, layout.total)
        if top_offset:  # the same text stays at the top after a resize
            self.scroll_to(y=layout.row_of(top_offset), animate=False)
        if not layout.complete and self._wrapping is None and self.is_mounted:
            self._wrapping = self.set_interval(WRAP_TICK, self._wrap_more, name="wrap")
        return layout

    def _wrap_more(self) -> None:
        """Wrap chunks for up to WRAP_BUDGET seconds, keeping the text at the top in place;
        not while the reader is moving (the keys come first)."""
        if time.monotonic() - self._last_move < WRAP_PAUSE:
            return
        layout = self._layout
        deadline = time.perf_counter() + WRAP_BUDGET
        shift = 0
        while layout is not None and not layout.complete and time.perf_counter() < deadline:
            shift += layout.wrap_next(self.scroll_offset.y + shift)
        if layout is None or layout.complete:
            if self._wrapping is not None:
                self._wrapping.stop()
                self._wrapping = None
        if layout is not None:
            self._sync_size(shift)

    def _sync_size(self, shift: int = 0) -> None:
        """The virtual size follows the layout's (estimated, then exact) row count."""
        layout = self._layout
        if layout is None:
            return
        if self.virtual_size.height != layout.total:
            self.virtual_size = Size(self.virtual_size.width, layout.total)
        if shift:
            self.scroll_to(y=self.scroll_offset.y + shift, animate=False, immediate=True)

    @property
    def row_count(self) -> int:
        return self._ensure_layout().total

    def row_at(self, index: int) -> Row:
        return self._ensure_layout().row(index)

    def row_of(self, offset: int) -> int:
        """The display row that shows code point `offset`."""
        layout = self._ensure_layout()
        row = layout.row_of(offset)
        self._sync_size()
        return row

    def scroll_to_offset(self, offset: int, *, center: bool = False) -> None:
        row = self.row_of(offset)
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def _invalidate(self) -> None:
        """The text, layout or annotations changed: no cached row is valid any more."""
        self._revision += 1
        self.refresh()

    def _row_key(self, row: Row, width: int) -> tuple[object, ...]:
        """Everything that changes how a row looks, so a cursor move redraws only the rows
        it touches and every other row comes from the cache."""
        end = max(row.end, row.start + 1)
        selection = self._drawn_selection()
        selected = None
        if selection and selection[0] < end and selection[1] > row.start:
            selected = (max(selection[0], row.start), min(selection[1], row.end), self.has_focus)
        related = None
        if self._related:
            ids = {h.annotation_id for h in self.highlights_at(row.start, end)}
            related = tuple(sorted(ids & self._related)) or None
        return (row, width, self._revision, selected, related)

    # drawing ----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # the chunks on screen are wrapped before any row of them is drawn
        layout = self._ensure_layout()
        layout.prepare(self.scroll_offset.y + crop.y, crop.height)
        self._sync_size()
        # what every row of this frame shares, worked out once (rich_style walks the DOM)
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        layout = self._layout or self._ensure_layout()  # render_lines has made it current
        scroll_x, scroll_y = self.scroll_offset
        row_index = scroll_y + y
        width, base = self._frame or (self.scrollable_content_region.width, self.rich_style)
        if row_index >= layout.total:
            return Strip.blank(width, base)
        row = layout.row(row_index)
        key = self._row_key(row, width)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row)
            self._line_cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, row_index)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"article-pane--{name}")

    def _render_row(self, row: Row) -> Strip:
        base = self._frame[1] if self._frame else self.rich_style
        if row.fold:
            lines = sum(1 for line in self.article.text[row.start : row.end].split("\n") if line.strip())
            label = f"▸ {lines} lines of page furniture — x to show"
            text = Text(" " * GUTTER + label, style=self._style("fold"), end="")
            return Strip(text.render(self.app.console), cell_len(text.plain))

        if row.spacer:
            return Strip.blank(GUTTER, base)
        text = Text(display_text(self.article.text[row.start : row.end]), end="")
        if any(start <= row.start < end for start, end in self.article.furniture):
            text.stylize(self._style("furniture"))
        marks: list[str] = []
        for highlight in self.highlights_at(row.start, max(row.end, row.start + 1)):
            style = self._style(highlight.kind)
            if highlight.annotation_id in self._related:
                style += self._style("related")
            text.stylize(
                style,
                max(0, highlight.start - row.start),
                min(row.end, highlight.end) - row.start,
            )
            if KIND_MARKS[highlight.kind] not in marks:
                marks.append(KIND_MARKS[highlight.kind])
        # the class view's heat comes after the kinds: its background wins, their text styles stay
        most = 0
        for start, end, count in self.heat_at(row.start, max(row.end, row.start + 1)):
            level = min(4, 1 + (4 * count - 1) // self._heat_top)
            text.stylize(self._style(f"heat-{level}"), max(0, start - row.start), min(row.end, end) - row.start)
            most = max(most, count)
        selection = self._drawn_selection()
        if selection and selection[0] < max(row.end, row.start + 1) and selection[1] > row.start:
            cursor_style = self._style("cursor" if self.has_focus else "cursor-blurred")
            text.stylize(
                cursor_style,
                max(0, selection[0] - row.start),
                min(row.end, selection[1]) - row.start,
            )
        marks.sort(key=lambda mark: list(KIND_MARKS.values()).index(mark))
        if self._heat:  # the class view: how many students marked this row
            marks = [f"{min(most, 99):>2}" if most else ""]
        gutter_text = "".join(marks)[:GUTTER].ljust(GUTTER)
        if not text.spans:  # most rows: no need for Rich to lay the text out
            return Strip([Segment(gutter_text, base + self._style("gutter")), Segment(text.plain, base)])
        gutter = Text(gutter_text, style=self._style("gutter"), end="")
        segments = list(gutter.render(self.app.console)) + list(text.render(self.app.console))
        segments = list(Segment.apply_style(segments, base))
        return Strip(segments)

    # moving -----------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        self._last_move = time.monotonic()
        self.refresh()
        if self._cursor is not None:
            span = self.selection or self._cursor
            self.post_message(self.SelectionChanged(self, span[0], span[1]))
            self.call_after_refresh(self._segment_ahead)

    def _segment_ahead(self) -> None:
        """Once the screen shows the move, find the sentences a page up and a page down, so
        the next Page Down or Page Up does not wait for the segmenter."""
        layout, cursor = self._layout, self._cursor
        if layout is None or cursor is None:
            return
        page = max(1, self.scrollable_content_region.height - 1)
        row = layout.row_of(cursor[0])
        for target in (row + page, row - page):
            if 0 <= target < layout.total:
                self._sentences.sentence_at(layout.row(target).start)

    def _move_to(self, span: Span | None, *, extend: bool = False) -> None:
        if span is None:
            return
        if extend:
            self._anchor = self._anchor or self._cursor
        else:
            self._anchor = None
        self._cursor = span
        self._cursor_moved()
        # the whole sentence in view when it fits, its start in view when it does not
        self.scroll_to_offset(span[1] - 1)
        self.scroll_to_offset(span[0])

    def action_cursor_down(self) -> None:
        if self._cursor is not None:
            self._move_to(self._sentences.after(self._cursor))

    def action_cursor_up(self) -> None:
        if self._cursor is not None:
            self._move_to(self._sentences.before(self._cursor[0]))

    def action_extend_down(self) -> None:
        if self._cursor is not None:
            self._move_to(self._sentences.after(self._cursor), extend=True)

    def action_extend_up(self) -> None:
        if self._cursor is not None:
            self._move_to(self._sentences.before(self._cursor[0]), extend=True)

    def action_cursor_first(self) -> None:
        self._move_to(self._sentences.first())
        self.scroll_home(animate=False, immediate=True)

    def action_cursor_last(self) -> None:
        self._move_to(self._sentences.last())
        self.scroll_end(animate=False, immediate=True)

    def _page(self, direction: int) -> None:
        if self._cursor is None:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        row = self.row_of(self._cursor[0]) + direction * height
        row = max(0, min(row, self.row_count - 1))
        self.scroll_to(y=max(0, self.scroll_offset.y + direction * height), animate=False, immediate=True)
        landed = self.row_at(row)
        target = self._sentences.sentence_at(landed.start)
        if direction < 0 and (target is None or target[0] > landed.end):
            target = self._sentences.before(landed.start + 1)
        self._move_to(target)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_toggle_furniture(self) -> None:
        if not self.article.furniture:
            self.notify("No page furniture in this article.", timeout=3)
            return
        self._folded = not self._folded
        self._sentences = SentenceIndex(
            self.article.text, self.article.furniture if self._folded else ()
        )
        self._layout = None
        self._layout_width = -1
        self._invalidate()

    # focus and mouse --------------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _position_at(self, offset: Offset | None, default: int) -> int:
        """The code point shown at a selection offset (x counts characters of the row)."""
        if offset is None:
            return default
        if offset.y >= self.row_count:
            return len(self.article.text)
        row = self.row_at(max(0, offset.y))
        if row.fold or row.spacer:
            return row.start
        return min(row.end, row.start + max(0, offset.x - GUTTER))

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
        column = self.scroll_offset.x + offset.x - GUTTER
        position = row.start
        used = 0
        shown = display_text(self.article.text[row.start : row.end])
        while position < row.end and used + cell_len(shown[position - row.start]) <= column:
            used += cell_len(shown[position - row.start])
            position += 1
        self._move_to(self._sentences.sentence_at(position), extend=event.shift)

