"""The reading pane: one article drawn row by row with Textual's line API. Its row index is
in pane_layout.py, how a row is drawn in pane_rows.py, its cursor in sentence_cursor.py, its
mouse in pane_mouse.py, the terminal's cursor (screen-reader mode) in screen_reader_cursor.py."""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.layout import ArticleLayout, Row
from reader.model import Annotation, Article
from reader.records import record
from reader.sentences import Span
from reader.widgets.highlight_index import Highlight, HighlightIndex
from reader.widgets.pane_layout import PaneLayout
from reader.widgets.pane_rows import GUTTER, HeatRun, RowOverlay, StyleMixes, draw_row, highlights_in, innermost_first, rows_showing
from reader.widgets.pane_mouse import PaneMouse
from reader.widgets.screen_reader_cursor import PlacesTerminalCursor, selection_start_cell
from reader.widgets.scroll_repaint import KeepsStyledLines
from reader.widgets.sentence_cursor import SentenceCursor
from reader.widgets.text_search import PaneSearch

WRAP_TICK = 0.05
"""Seconds between two slices of background wrapping of a long article."""


class ArticlePane(PaneMouse, KeepsStyledLines, PlacesTerminalCursor, ScrollView, can_focus=True):
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
        Binding("down,j", "cursor_down", "Next sentence", show=False, id="cursor_down"),
        Binding("up,k", "cursor_up", "Previous sentence", show=False, id="cursor_up"),
        Binding("shift+down,J", "extend_down", "Extend down", show=False, id="extend_down"),
        Binding("shift+up,K", "extend_up", "Extend up", show=False, id="extend_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("home,g", "cursor_first", "First sentence", show=False, id="cursor_first"),
        Binding("end,G", "cursor_last", "Last sentence", show=False, id="cursor_last"),
        Binding("x", "toggle_furniture", "Furniture", id="furniture"),
    ]

    COMPONENT_CLASSES = {
        "article-pane--cursor", "article-pane--cursor-blurred",
        "article-pane--claim", "article-pane--contradiction", "article-pane--link", "article-pane--note",
        "article-pane--related",
        "article-pane--heat-1", "article-pane--heat-2", "article-pane--heat-3", "article-pane--heat-4",
        "article-pane--match", "article-pane--match-current",
        "article-pane--furniture", "article-pane--fold", "article-pane--gutter",
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

    @record()  # a dataclass without the code generation: see reader.records
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
        self._layout = PaneLayout(article.text, article.furniture)
        self._cursor = SentenceCursor(article.text, article.furniture)
        """The first sentence is found after the first frame (it takes pysbd's import and
        first run, ~15 ms): the frame shows the text, the cursor follows a frame later."""
        self._highlights = HighlightIndex()
        self._related: frozenset[str] = frozenset()
        self._heat: list[HeatRun] = []
        self._heat_top = 0
        self.search = PaneSearch(article.text, self._invalidate)
        """The find's matches in this article, and its current match, drawn over the text."""
        self._wrapping: Timer | None = None
        self._frame: tuple[int, Style] | None = None
        self._revision = 0
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}
        self._mixes = StyleMixes()

    # state ------------------------------------------------------------------------------

    @property
    def cursor_placed(self) -> bool:
        """False until the first frame is drawn and the first sentence found."""
        return self._cursor.placed

    def on_mount(self) -> None:
        self.call_after_refresh(self._place_first_cursor)

    def _place_first_cursor(self) -> None:
        if not self._cursor.placed:
            span = self.selection  # finds the first sentence
            self.refresh()
            if self.has_focus and span is not None:  # its annotation is emphasised, as after any move
                self.post_message(self.SelectionChanged(self, span[0], span[1]))

    def _drawn_selection(self) -> Span | None:
        """The selection as drawn: none until the first sentence is found after the first
        frame (drawing must not find it)."""
        return self._cursor.selection if self._cursor.placed else None

    @property
    def selection(self) -> Span | None:
        """The selected span of the canonical text: the cursor, extended to where a Shift
        extension started."""
        return self._cursor.selection

    @property
    def selected_text(self) -> str:
        span = self.selection
        return "" if span is None else self.article.text[span[0] : span[1]]

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show these annotations' spans in this article: the rows of the spans that came
        or went are repainted (a row's highlights are part of its key in the row cache)."""
        highlights = highlights_in(self.article.id, annotations)
        changed = set(highlights).symmetric_difference(self._highlights)
        self._highlights = highlights
        self._refresh_spans((h.start, h.end) for h in changed)

    def highlights_at(self, start: int, end: int) -> list[Highlight]:
        """The highlights overlapping [start, end)."""
        return self._highlights.overlapping(start, end)

    def clear_selection(self) -> None:
        """Collapse an extended selection to the sentence under the cursor."""
        before = self._drawn_selection()
        self._cursor.collapse()
        self._refresh_spans([before, self._drawn_selection()])

    def set_selection(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Select exactly [start, end) (a find match, a mouse drag)."""
        start = max(0, min(start, len(self.article.text)))
        end = max(start, min(end, len(self.article.text)))
        if end == start:
            return
        before = self._drawn_selection()
        self._cursor.move_to((start, end))
        self._cursor_moved(before)
        if scroll:
            self.scroll_to_offset(end - 1)
            self.scroll_to_offset(start)

    def annotations_under_cursor(self) -> list[str]:
        """Ids of the annotations overlapping the selection, innermost first."""
        span = self.selection
        if span is None:
            return []
        return innermost_first(self.highlights_at(span[0], span[1]))

    def set_heat(self, runs: list[HeatRun], students: int) -> None:
        """The class view's overlay: (start, end, how many students marked it) runs."""
        self._heat = sorted(runs)
        self._heat_top = max(students, 1)
        self._invalidate()

    def heat_at(self, start: int, end: int) -> list[HeatRun]:
        return [run for run in self._heat if run[0] < end and run[1] > start]

    def set_related(self, annotation_ids: frozenset[str]) -> None:
        """Emphasise these annotations (the one under a cursor and its other end)."""
        self._emphasise(annotation_ids)

    def _emphasise(self, annotation_ids: frozenset[str], *also: Span | None) -> None:
        """Emphasise these annotations: only the rows of those that lost the emphasis or
        gained it are repainted, with the rows of the spans `also`."""
        changed = self._highlights.of(annotation_ids ^ self._related)
        self._related = annotation_ids
        self._refresh_spans([*also, *((h.start, h.end) for h in changed)])

    # layout -----------------------------------------------------------------------------

    def _ensure_layout(self) -> ArticleLayout:
        """The rows at the pane's width. A new width (or folding) makes a new layout, which
        wraps only what is drawn; the rest is wrapped a chunk at a time in the background."""
        width = max(1, self.scrollable_content_region.width - GUTTER)
        old = self._layout.rows
        layout, new = self._layout.at_width(width)
        if not new:
            return layout
        top_offset = old.row(self.scroll_offset.y).start if old is not None else None
        self._line_cache.clear()
        self.virtual_size = Size(width + GUTTER, layout.total)
        if top_offset:  # the same text stays at the top after a resize
            self.scroll_to(y=layout.row_of(top_offset), animate=False)
        if not layout.complete and self._wrapping is None and self.is_mounted:
            self._wrapping = self.set_interval(WRAP_TICK, self._wrap_more, name="wrap")
        return layout

    def _wrap_more(self) -> None:
        """A slice of background wrapping, the text at the top kept in place."""
        shift = self._layout.wrap_slice(self.scroll_offset.y)
        if shift is None:  # the reader is moving: the keys come first
            return
        if self._layout.complete and self._wrapping is not None:
            self._wrapping.stop()
            self._wrapping = None
        self._sync_size(shift)

    def _sync_size(self, shift: int = 0) -> None:
        """The virtual size follows the layout's (estimated, then exact) row count."""
        layout = self._layout.rows
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
        """Scroll so that code point `offset` is in view (a third of the way down with
        `center`). The chunks the new view shows are wrapped first: wrapping one above the
        offset's (when the view starts in it) moves the offset's row, and the view, kept
        at its row index, would show other text (a find in a long article landed 70 rows
        off while its background wrapping went on)."""
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        target = top
        for _ in range(4):  # wrapping can move the row again; it settles in one or two
            row = self.row_of(offset)
            if center:
                target = max(0, row - height // 3)
            elif row < top:
                target = row
            elif row >= top + height:
                target = row - height + 1
            if target == top:
                return
            self._ensure_layout().prepare(target, height)
            if self.row_of(offset) == row:
                break
        self.scroll_to(y=target, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._styles.clear()
        self._mixes = StyleMixes()

    def _invalidate(self) -> None:
        """The text or layout changed: no cached row is valid any more."""
        self._revision += 1
        self.refresh()

    def _refresh_spans(self, spans: Iterable[Span | None]) -> None:
        """Repaint only the rows in view that show part of these spans. A cursor move, or
        the emphasis passing to another annotation, changes a few rows: repainting the
        whole pane (and its scroll bar) took longer than all the rest of the key's work."""
        wanted = [span for span in spans if span is not None]
        if wanted and self._layout.rows is None:
            self.refresh()
        elif wanted:
            top, width = self.scroll_offset.y, self.size.width
            rows = rows_showing(self._layout.rows, top, self.scrollable_content_region.height, wanted)
            if rows:
                self.refresh(*(Region(0, row - top, width, 1) for row in rows))

    def _row_key(self, row: Row, width: int) -> tuple[object, ...]:
        """Everything that changes how a row looks, so a cursor move redraws only the rows
        it touches and every other row comes from the cache."""
        end = max(row.end, row.start + 1)
        selection = self._drawn_selection()
        selected = None
        if selection and selection[0] < end and selection[1] > row.start:
            selected = (max(selection[0], row.start), min(selection[1], row.end), self.has_focus)
        highlights = tuple(self.highlights_at(row.start, end))
        related = None
        if self._related:
            related = tuple(sorted({h.annotation_id for h in highlights} & self._related)) or None
        return (row, width, self._revision, selected, highlights, related, self.search.on_row(row.start, end))

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

    def line_shown(self, y: int) -> tuple[object, ...] | None:
        """What line `y` of the view shows: its row and everything that changes its look
        (a scroll shows again the rows it had shown, `scroll_repaint.py`)."""
        layout = self._layout.rows
        scroll_x, scroll_y = self.scroll_offset
        if layout is None or self._frame is None or scroll_y + y >= layout.total:
            return None
        return (scroll_y + y, scroll_x, self._row_key(layout.row(scroll_y + y), self._frame[0]))

    def render_line(self, y: int) -> Strip:
        layout = self._layout.rows or self._ensure_layout()  # render_lines has made it current
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
        """A component class's style, kept until the styles change (Textual works it out
        again after every repaint, which cost a fifth of drawing a few rows)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"article-pane--{name}")
        return style

    def _render_row(self, row: Row) -> Strip:
        base = self._frame[1] if self._frame else self.rich_style
        end = max(row.end, row.start + 1)
        overlay = RowOverlay(
            highlights=self.highlights_at(row.start, end), related=self._related, class_view=bool(self._heat),
            heat=self.heat_at(row.start, end), heat_top=self._heat_top, selection=self._drawn_selection(),
            focused=self.has_focus, found=self.search.on_row(row.start, end),
        )
        return draw_row(row, self.article.text, self.article.furniture, overlay, self._style, base, self.app.console, self._mixes)

    # moving -----------------------------------------------------------------------------

    def _cursor_moved(self, before: Span | None) -> None:
        """The cursor moved from `before` (as it was drawn): the rows it left and reached
        are repainted, with the annotation now under it emphasised, then the screen is told
        (it emphasises that annotation's other end and moves the sidebar's highlight,
        which may scroll it). The pane does not wait for the screen's answer: drawn with
        the sidebar's, its few rows would cost a repaint of the whole screen."""
        self._layout.moved()
        span = self.selection
        self._emphasise(frozenset(self.annotations_under_cursor()[:1]), before, span)
        if span is not None:
            self.post_message(self.SelectionChanged(self, span[0], span[1]))
            self.call_after_refresh(self._segment_ahead)

    def _segment_ahead(self) -> None:
        """Once the screen shows the move, find the sentences the next keys go to."""
        if self._layout.rows is not None:
            self._cursor.find_around(self._layout.rows, max(1, self.scrollable_content_region.height - 1))

    def _move_to(self, span: Span | None, *, extend: bool = False) -> None:
        if span is None:
            return
        before = self._drawn_selection()
        self._cursor.move_to(span, extend=extend)
        self._cursor_moved(before)
        # the whole sentence in view when it fits, its start in view when it does not
        self.scroll_to_offset(span[1] - 1)
        self.scroll_to_offset(span[0])

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor.next())

    def action_cursor_up(self) -> None:
        self._move_to(self._cursor.previous())

    def action_extend_down(self) -> None:
        self._move_to(self._cursor.next(), extend=True)

    def action_extend_up(self) -> None:
        self._move_to(self._cursor.previous(), extend=True)

    def action_cursor_first(self) -> None:
        self._move_to(self._cursor.sentences.first())
        self.scroll_home(animate=False, immediate=True)

    def action_cursor_last(self) -> None:
        self._move_to(self._cursor.sentences.last())
        self.scroll_end(animate=False, immediate=True)

    def _page(self, direction: int) -> None:
        cursor = self._cursor.at
        if cursor is None:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        row = self.row_of(cursor[0]) + direction * height
        row = max(0, min(row, self.row_count - 1))
        self.scroll_to(y=max(0, self.scroll_offset.y + direction * height), animate=False, immediate=True)
        landed = self.row_at(row)
        sentences = self._cursor.sentences
        target = sentences.sentence_at(landed.start)
        if direction < 0 and (target is None or target[0] > landed.end):
            target = sentences.before(landed.start + 1)
        self._move_to(target)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_toggle_furniture(self) -> None:
        if not self.article.furniture:
            self.notify("No page furniture in this article.", timeout=3)
            return
        self._layout.toggle_fold()
        self._refold()

    def take_furniture(self, article: Article) -> None:
        """This article with the page furniture found after the first frame, drawn without."""
        if article.id == self.article.id and article.furniture != self.article.furniture:
            self.article = article
            self._layout.set_furniture(article.furniture)
            self._refold()

    def _refold(self) -> None:
        self._cursor.refold(self.article.text, self.article.furniture if self._layout.folded else ())
        self._invalidate()

    # focus (the mouse is in pane_mouse.py) ----------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def terminal_cursor_cell(self) -> Offset | None:
        """Where the selection starts in the view: the terminal's cursor in screen-reader mode."""
        height = self.scrollable_content_region.height
        return selection_start_cell(self._layout.rows, self.article.text, self._drawn_selection(), GUTTER,
                                    self.scroll_offset, height)
