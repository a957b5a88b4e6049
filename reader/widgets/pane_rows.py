"""How the reading pane draws one row of its article, and the way back from a cell on
screen to a code point of the text. Styles come from the pane's COMPONENT_CLASSES."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from reader.ingest.sanitize import display_text
from reader.layout import ArticleLayout, Row
from reader.model import Annotation
from reader.sentences import Span
from reader.widgets.highlight_index import Highlight, HighlightIndex

GUTTER = 3
"""Cells at the left of every row for the marks of the annotations on it."""

KIND_MARKS = {"claim": "C", "contradiction": "X", "link": "L", "note": "N"}
"""Gutter letters: kinds are told apart without colour too."""

HeatRun = tuple[int, int, int]
"""(start, end, how many students marked it): the class view's overlay."""


class RowOverlay(NamedTuple):
    """What lies over one row's text when it is drawn."""

    highlights: list[Highlight]
    """The highlights overlapping the row."""
    related: frozenset[str]
    """Annotations emphasised (the one under a cursor, and its other end)."""
    class_view: bool
    """The pane shows the class's heat: its gutter counts students, not kinds."""
    heat: list[HeatRun]
    """The heat runs overlapping the row."""
    heat_top: int
    """How many students the class has: the hottest level."""
    selection: Span | None
    focused: bool
    found: tuple[tuple[Span, ...], Span | None] = ((), None)
    """The find's matches on the row, and its current match if it is on the row: drawn over
    everything else, the current one so that it stands out without colour too."""


def highlights_in(article_id: str, annotations: list[Annotation]) -> HighlightIndex:
    """The placed spans of `annotations` in the article `article_id`, indexed."""
    return HighlightIndex(
        Highlight(target.start, target.end, annotation.kind, annotation.id)
        for annotation in annotations
        for target in annotation.targets
        if target.article_id == article_id and annotation.anchor != "orphaned"
    )


def innermost_first(highlights: list[Highlight]) -> list[str]:
    """The annotation ids of `highlights`, the one with the shortest span first, once each."""
    ids: list[str] = []
    for highlight in sorted(highlights, key=lambda h: h.end - h.start):
        if highlight.annotation_id not in ids:
            ids.append(highlight.annotation_id)
    return ids


def draw_row(
    row: Row,
    text: str,
    furniture: tuple[Span, ...],
    overlay: RowOverlay,
    style: Callable[[str], Style],
    base: Style,
    console: Console,
    mixes: StyleMixes | None = None,
) -> Strip:
    """The row `row` of `text` as the pane shows it: the gutter marks, then the text with
    control characters made visible, styled by `style(name)` for `article-pane--name`
    (`mixes`: the styles of overlapping layers put together, kept from row to row)."""
    if row.fold:
        lines = sum(1 for line in text[row.start : row.end].split("\n") if line.strip())
        label = f"▸ {lines} lines of page furniture — x to show"
        folded = Text(" " * GUTTER + label, style=style("fold"), end="")
        return Strip(folded.render(console), cell_len(folded.plain))

    if row.spacer:
        return Strip.blank(GUTTER, base)
    shown = display_text(text[row.start : row.end])
    layers = _Layers(len(shown))
    if any(start <= row.start < end for start, end in furniture):
        layers.add(style("furniture"), 0, len(shown))
    marks: list[str] = []
    for highlight in overlay.highlights:
        highlight_style = style(highlight.kind)
        if highlight.annotation_id in overlay.related:
            highlight_style += style("related")
        layers.add(highlight_style, max(0, highlight.start - row.start), min(row.end, highlight.end) - row.start)
        if KIND_MARKS[highlight.kind] not in marks:
            marks.append(KIND_MARKS[highlight.kind])
    # the class view's heat comes after the kinds: its background wins, their text styles stay
    most = 0
    for start, end, count in overlay.heat:
        level = min(4, 1 + (4 * count - 1) // overlay.heat_top)
        layers.add(style(f"heat-{level}"), max(0, start - row.start), min(row.end, end) - row.start)
        most = max(most, count)
    selection = overlay.selection
    if selection and selection[0] < max(row.end, row.start + 1) and selection[1] > row.start:
        layers.add(
            style("cursor" if overlay.focused else "cursor-blurred"),
            max(0, selection[0] - row.start),
            min(row.end, selection[1]) - row.start,
        )
    matches, current = overlay.found
    drawn = [(span, "match") for span in matches if span != current] + ([(current, "match-current")] if current else [])
    for (start, end), name in drawn:  # the current match last, over the rest
        layers.add(style(name), max(0, start - row.start), min(row.end, end) - row.start)
    marks.sort(key=lambda mark: list(KIND_MARKS.values()).index(mark))
    if overlay.class_view:  # how many students marked this row
        marks = [f"{min(most, 99):>2}" if most else ""]
    gutter_text = "".join(marks)[:GUTTER].ljust(GUTTER)
    if not layers:  # most rows: no need for Rich to lay the text out
        return Strip([Segment(gutter_text, base + style("gutter")), Segment(shown, base)])
    # the gutter as the rows with layers have always drawn it: in the row's base style
    return Strip([Segment(gutter_text, base or None), *layers.segments(shown, base, mixes or StyleMixes())])


class StyleMixes:
    """The styles of overlapping layers put together over a row's base, kept from row to
    row: each style a number, each (base, numbers) the style it came to. The pane keeps
    one and makes a new one when its styles change."""

    def __init__(self) -> None:
        self._numbers: dict[Style, int] = {}
        self._mixed: dict[tuple[int, ...], Style] = {}

    def number(self, style: Style) -> int:
        return self._numbers.setdefault(style, len(self._numbers))

    def mixed(self, numbers: tuple[int, ...], base: Style, layers: list[Style]) -> Style:
        """`layers` (numbered `numbers[1:]`, the base `numbers[0]`) put together in order,
        over `base`, as `Segment.apply_style(segments, base)` puts a `Text`'s style."""
        style = self._mixed.get(numbers)
        if style is None:
            over = Style.combine((Style.null(), *layers))
            style = self._mixed[numbers] = base + over if base else over
        return style


class _Layers:
    """The styled spans over one row's text, drawn as Rich draws a `Text` stylized in the
    same order (`Text.stylize`, then `Text.render`, then `Segment.apply_style(base)`, Rich
    13): the same segments, without making a `Text` and combining its styles again for
    every row (a row under twenty highlights took half a millisecond)."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.spans: list[tuple[int, int, Style]] = []

    def __bool__(self) -> bool:
        return bool(self.spans)

    def add(self, style: Style, start: int, end: int) -> None:
        """As `Text.stylize(style, start, end)`: a null style, or a span outside the text
        or empty, adds nothing."""
        if style and start < self.length and end > start:
            self.spans.append((start, min(self.length, end), style))

    def segments(self, shown: str, base: Style, mixes: StyleMixes) -> list[Segment]:
        """A segment for each stretch between two span edges, styled by the spans over it
        put together in the order they were added, over `base`."""
        spans = self.spans
        numbers = [mixes.number(style) for _, _, style in spans]
        starting: dict[int, list[int]] = {}
        ending: dict[int, list[int]] = {}
        for index, (start, end, _style) in enumerate(spans):
            starting.setdefault(start, []).append(index)
            ending.setdefault(end, []).append(index)
        edges = sorted({0, self.length, *starting, *ending})
        over: set[int] = set()
        base_number = mixes.number(base)
        segments = []
        for left, right in zip(edges, edges[1:]):
            over.difference_update(ending.get(left, ()))
            over.update(starting.get(left, ()))
            # a style added again overrides all it set the first time: only its last
            # time counts, and the many highlights of a row come to a few mixes
            last: dict[int, int] = {}
            for index in sorted(over):
                last.pop(numbers[index], None)
                last[numbers[index]] = index
            style = mixes.mixed((base_number, *last), base, [spans[index][2] for index in last.values()])
            segments.append(Segment(shown[left:right], style))
        return segments


def rows_showing(layout: ArticleLayout, top: int, height: int, spans: list[Span]) -> list[int]:
    """The rows from `top` to `top + height` (those in view, wrapped) that show part of one
    of `spans`, as a row draws a span (a row without text counts as one code point)."""
    found = []
    for index in range(top, min(layout.total, top + height)):
        row = layout.row(index)
        end = max(row.end, row.start + 1)
        if any(start < end and stop > row.start for start, stop in spans):
            found.append(index)
    return found


def position_at_column(text: str, row: Row, column: int) -> int:
    """The code point drawn at cell `column` of a text row (0 is the first cell after the
    gutter): wide characters take two cells, so cells are counted, not characters."""
    position = row.start
    used = 0
    shown = display_text(text[row.start : row.end])
    while position < row.end and used + cell_len(shown[position - row.start]) <= column:
        used += cell_len(shown[position - row.start])
        position += 1
    return position


def position_at_character(row: Row, x: int) -> int:
    """The code point at character `x` of a drawn row, gutter included, as Textual's screen
    selection counts (`Strip.apply_offsets` numbers characters, not cells)."""
    if row.fold or row.spacer:
        return row.start
    return min(row.end, row.start + max(0, x - GUTTER))
