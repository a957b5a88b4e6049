"""The screen under a dialog, dimmed, drawn straight from that screen's rows.

A dialog's screen has a translucent background, so Textual draws the screen beneath it,
dimmed: its rows go to Rich as one stream of segments, every segment's colours are blended
with the dialog's background one by one, and the stream is cut into rows again. Under the
library that was a quarter of the time from `o` to the list on screen (a 160 × 45 reading
screen: about 900 segments, half of them in a style already seen). `Backdrop` takes the
rows as the screen beneath draws them and blends each distinct style once; what it draws
is the same, cell for cell (the library's snapshot test holds it to that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.screen import Screen
    from textual.style import Style
    from textual.visual import RenderOptions

NULL_STYLE = RichStyle()


class Backdrop(Visual):
    """`screen` as a dialog's screen shows it beneath: each cell's colours blended with
    `color` (Textual's `BackgroundScreen`, without the trip through Rich)."""

    def __init__(self, screen: Screen, color: Color) -> None:
        self.screen = screen
        self.color = color

    @classmethod
    def replacing(cls, rendered: object) -> object:
        """What a screen's `render()` returned, a `BackgroundScreen` drawn as a `Backdrop`."""
        if type(rendered) is BackgroundScreen:
            return cls(rendered.screen, rendered.color)
        return rendered

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        rows = self.screen._compositor.render_strips()[:height]
        dimmed = Dimmed(self.color, style.rich_style)
        return [dimmed.row(row.crop(0, width) if row.cell_length > width else row) for row in rows]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.screen.size.width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.screen.size.height


class Dimmed:
    """Segments' styles as `BackgroundScreen` blends them with `color`, the dialog's own
    style (`base`) under them, each distinct style blended once: the styles of a row differ
    mostly in their mouse data, which the blend drops first."""

    def __init__(self, color: Color, base: RichStyle) -> None:
        self.color = color
        self.base = base
        self._styles: dict[RichStyle | None, RichStyle] = {}
        self._blended: dict[RichStyle, RichStyle] = {}

    def row(self, row: Strip) -> Strip:
        styles = self._styles
        segments = []
        for text, style, control in row:
            if control:  # left as it is, as `BackgroundScreen` leaves it
                segments.append(Segment(text, self.base + style if self.base else style))
                continue
            final = styles.get(style)
            if final is None:
                final = styles[style] = self._style(NULL_STYLE if style is None else style.clear_meta_and_links())
            segments.append(Segment(text, final))
        return Strip(segments, row.cell_length)

    def _style(self, style: RichStyle) -> RichStyle:
        """`BackgroundScreen.process_segments` for a style without meta, then `_Styled`."""
        final = self._blended.get(style)
        if final is None:
            blended = style
            if self.color.a != 0:
                blended = style + RichStyle.from_color(self._blend(style.color), self._blend(style.bgcolor))
            final = self._blended[style] = self.base + blended if self.base else blended
        return final

    def _blend(self, color: RichColor | None) -> RichColor | None:
        return None if color is None else (Color.from_rich_color(color) + self.color).rich_color
