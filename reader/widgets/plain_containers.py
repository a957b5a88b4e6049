"""Containers that draw only their background (and, the article columns, a right edge),
without Textual's styles cache.

Textual draws a container's whole region, line by line, even where its children cover
it: at start-up the reading screen, its row and each article column cost about a quarter
of the first frame's drawing, to paint blank lines nobody sees. Textual's own shortcut
(`Widget.BLANK`) skips the styles cache but draws no border and no line filters (the
monochrome view `NO_COLOR` asks for), so these draw the same lines the cache would, one
line made once and repeated. Anything else in their styles (a tint, a hatch, an outline,
another border) goes to the styles cache as before.
"""

from __future__ import annotations

from rich.segment import Segment
from textual._border import get_box
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget


def plain_lines(widget: Widget, crop: Region) -> list[Strip] | None:
    """`crop` of `widget` drawn as the styles cache draws a widget with no content: its
    background, its right border if it has one; None when its styles ask for more."""
    styles = widget.styles
    (top, _), (right, right_color), (bottom, _), (left, _) = styles.border
    if top or bottom or left or any(edge for edge, _ in styles.outline):
        return None
    if widget.opacity != 1 or styles.tint.a or (styles.has_rule("hatch") and styles.hatch != "none"):
        return None
    if widget._border_title is not None or widget._border_subtitle is not None:
        return None
    base_background, background = widget.background_colors
    inner = Style(background=base_background + background)
    width, height = widget.region.size  # the whole widget, padding and border too (`size` is its content)
    pad_top, pad_right, pad_bottom, pad_left = styles.padding
    style = inner.rich_style
    ends: list[Segment] = []
    if right:
        # the same cell `StylesCache.render_line` puts at a line's end
        edge_style = Style(foreground=base_background + right_color)
        ends.append(get_box(right, inner, Style(background=base_background), edge_style)[1][2])
    content = width - pad_left - pad_right - len(ends)
    if content <= 0:
        return None
    # cut into the same segments as the styles cache's lines, so a screenshot is the same too
    padding_line = Strip([Segment(" " * (width - len(ends)), style), *ends], width)
    content_line = Strip([
        *([Segment(" " * pad_left, style)] if pad_left else []), Segment(" " * content, style),
        *([Segment(" " * pad_right, style)] if pad_right else []), *ends], width)
    lines = []
    for line in (padding_line, content_line):
        for line_filter in widget.get_line_filters():
            line = line.apply_filter(line_filter, background)
        if crop.column_span != (0, width):
            line = line.crop(*crop.column_span)
        lines.append(line)
    padding_line, content_line = lines
    return [content_line if pad_top <= y < height - pad_bottom else padding_line for y in crop.line_range]


class PlainBackground:
    """For a widget (before it in the bases) whose children cover it: `plain_lines`."""

    def render_lines(self, crop: Region) -> list[Strip]:
        return plain_lines(self, crop) or super().render_lines(crop)  # type: ignore[arg-type, misc]


class PlainHorizontal(PlainBackground, Horizontal):
    """A row whose children cover it: its background only."""


class PlainVertical(PlainBackground, Vertical):
    """A column (an article's: padding on the left, an edge on the right) whose children
    cover the rest of it."""
