"""The screen under a dialog, dimmed, drawn straight from that screen's rows, and kept.

A dialog's screen has a translucent background, so Textual draws the screen beneath it,
dimmed: its rows go to Rich as one stream of segments, every segment's colours are blended
with the dialog's background one by one, and the stream is cut into rows again. Under the
library that was a quarter of the time from `o` to the list on screen (a 160 × 45 reading
screen: about 900 segments, half of them in a style already seen). `Backdrop` takes the
rows as the screen beneath draws them and blends each distinct style once; what it draws
is the same, cell for cell (the library's snapshot test holds it to that).

Putting the rows together from the widgets' lines still took 10-20 ms on a 2-core machine,
for a screen that had not changed since it was last drawn. So the rows, and the dimmed rows
made from them, are kept with the screen (`Beneath`) while every widget on it draws the same
lines (Textual keeps a widget's drawn lines until it changes, and gives the same objects
back): the library makes them ready before `o` (`keep`, then `keep_when_still` while the
screen settles), `o` checks them while the screen is still on top (`hold`), and the
library's first frame takes them as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, ref

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual._compositor import Compositor
    from textual.css.styles import RulesMap
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.style import Style
    from textual.visual import RenderOptions

    Renders = list[tuple[Region, Region, list[Strip]]]
    """What a screen's compositor draws its rows from: each visible widget's region, clip
    and lines."""

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
        return Beneath.of(self.screen).dimmed(self.color, style.rich_style, width, height)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.screen.size.width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.screen.size.height


class Beneath:
    """A screen's rows as drawn beneath a dialog, and those rows dimmed, kept while every
    widget on the screen draws the same lines (checked by identity: a widget drawn anew
    gives new lines, and the rows are put together again)."""

    _kept: WeakKeyDictionary[Screen, Beneath] = WeakKeyDictionary()
    """Each screen's, for as long as the screen lives (a `Beneath` holds it weakly)."""

    def __init__(self, screen: Screen) -> None:
        self._screen = ref(screen)
        self._renders: Renders = []
        """What the kept rows were made from (held, so no line's identity is reused)."""
        self._seen: Renders = []
        """What the screen drew at the last `keep_when_still` that did not keep it."""
        self._held = False
        """Whether the rows were kept for a dialog about to be drawn (`hold`)."""
        self._rows: list[Strip] = []
        self._dimmed: dict[tuple[Color, RichStyle, int, int | None], list[Strip]] = {}
        """The kept rows dimmed, by colour, base style, width and height."""
        self._blends: dict[tuple[Color, RichStyle], dict[RichStyle, RichStyle]] = {}
        """Each colour's and base style's blends (`Dimmed`), kept as long as the screen."""

    @classmethod
    def of(cls, screen: Screen) -> Beneath:
        kept = cls._kept.get(screen)
        if kept is None:
            kept = cls._kept[screen] = cls(screen)
        return kept

    def rows(self) -> list[Strip]:
        """The screen's rows as its compositor would put them together now (those held by
        `hold`, the first time after it)."""
        if self._held:
            self._held = False
        else:
            self.keep()
        return self._rows

    def hold(self) -> None:
        """Keep the rows now, as the screen is about to go beneath a dialog, and give them
        to the dialog's first frame without looking again: pushing the dialog has some of
        the screen's widgets drawn anew (its key bar, its own background), alike, and
        comparing them cost that frame 5-10 ms. Its later frames look again."""
        self.keep()
        self._held = True

    def keep(self) -> bool:
        """Keep the screen's rows as it draws them now: whether the rows kept already were
        those (else they are put together again)."""
        renders = self._renders_now()
        if _same(renders, self._renders):
            return True
        self._keep(renders)
        return False

    def keep_when_still(self) -> bool:
        """Keep the screen's rows as it draws them now, if it drew the same at the last
        call (it holds still: a reader who moves the cursor meanwhile is not slowed by
        rows made for nothing): whether the rows kept are those of the screen now."""
        renders = self._renders_now()
        if _same(renders, self._renders):
            return True
        if _same(renders, self._seen):
            self._keep(renders)
            return True
        self._seen = renders
        return False

    @property
    def _compositor(self) -> Compositor:
        screen = self._screen()
        assert screen is not None, "a Beneath lives no longer than its screen"
        return screen._compositor

    def _renders_now(self) -> Renders:
        compositor = self._compositor
        return list(compositor._get_renders(compositor.size.region))

    def _keep(self, renders: Renders) -> None:
        self._rows = self._compositor.render_strips()
        self._renders, self._seen, self._dimmed = renders, [], {}

    def dimmed(self, color: Color, base: RichStyle, width: int, height: int | None) -> list[Strip]:
        """The rows cut to `width` and `height`, blended with `color` over `base`."""
        rows = self.rows()
        key = (color, base, width, height)
        dimmed = self._dimmed.get(key)
        if dimmed is None:
            blend = Dimmed(color, base, self._blends.setdefault((color, base), {}))
            dimmed = self._dimmed[key] = [
                blend.row(row.crop(0, width) if row.cell_length > width else row) for row in rows[:height]
            ]
        return dimmed


def _same(renders: Renders, kept: Renders) -> bool:
    """Whether `renders` are `kept`: the same regions and the same lines (the very same
    objects, or equal ones: a dialog pushed over the screen has its key bar and its own
    background drawn anew, alike)."""
    if not kept or len(kept) != len(renders):
        return False
    for (region, clip, lines), (kept_region, kept_clip, kept_lines) in zip(renders, kept):
        if region != kept_region or clip != kept_clip or len(lines) != len(kept_lines):
            return False
        if not all(line is kept_line or line == kept_line for line, kept_line in zip(lines, kept_lines)):
            return False
    return True


class Dimmed:
    """Segments' styles as `BackgroundScreen` blends them with `color`, the dialog's own
    style (`base`) under them, each distinct style blended once: the styles of a row differ
    mostly in their mouse data, which the blend drops first."""

    def __init__(self, color: Color, base: RichStyle, blended: dict[RichStyle, RichStyle] | None = None) -> None:
        self.color = color
        self.base = base
        self._styles: dict[RichStyle | None, RichStyle] = {}
        self._blended: dict[RichStyle, RichStyle] = {} if blended is None else blended
        """Styles without meta, blended: given, they are kept from one dimming to the next."""

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
