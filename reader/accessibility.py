"""The app for readers who do not see colour, or the screen: a black-and-white theme
(`presscheck-mono`, in the config as `theme = "presscheck-mono"`), and in screen-reader mode
the terminal's own cursor shown, so that a screen reader or braille display follows it (the
widgets put it on what has focus: `widgets/screen_reader_cursor.py`). A mixin of the app.
Without colour (this theme, or NO_COLOR) every mark is a text style: `styles/plain_marks.tcss`."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from textual import events
from textual.driver import Driver
from textual.theme import Theme

from reader.widgets.screen_reader_cursor import PlacesTerminalCursor, cursor_to_focused, screen_reader_on

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    _AppBase = App[None]
else:
    _AppBase = object

BLACK, WHITE = "#000000", "#ffffff"
MONO_THEME_NAME = "presscheck-mono"
MONO_THEME = Theme(
    name=MONO_THEME_NAME,
    primary=WHITE,
    secondary=WHITE,
    warning=WHITE,
    error=WHITE,
    success=WHITE,
    accent=WHITE,
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel=BLACK,
    boost=BLACK,
    dark=True,
    luminosity_spread=0.0,  # no lighter or darker shades: black stays black
    variables={
        "text": WHITE,
        "text-muted": WHITE,
        "text-disabled": WHITE,
        "primary-background": BLACK,
        "secondary-background": BLACK,
        "surface-active": BLACK,
        "block-cursor-foreground": BLACK,
        "block-cursor-background": WHITE,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": WHITE,
        "block-cursor-blurred-background": BLACK,
        "block-cursor-blurred-text-style": "underline",
        "block-hover-background": BLACK,
        "border": WHITE,
        "border-blurred": WHITE,
        "scrollbar": WHITE,
        "scrollbar-hover": WHITE,
        "scrollbar-active": WHITE,
        "scrollbar-background": BLACK,
        "scrollbar-background-hover": BLACK,
        "scrollbar-background-active": BLACK,
        "scrollbar-corner-color": BLACK,
        "input-cursor-foreground": BLACK,
        "input-cursor-background": WHITE,
        "input-selection-background": WHITE,
        "input-selection-foreground": BLACK,
        "screen-selection-background": WHITE,
        "screen-selection-foreground": BLACK,
        "footer-key-foreground": WHITE,
        "footer-background": BLACK,
        "footer-item-background": BLACK,
        "footer-description-background": BLACK,
        "link-background-hover": WHITE,
        "link-color-hover": BLACK,
    },
)
"""Black and white, no hue and no shade: what differs is a text style (reversed, bold,
underlined, italic), as without colour."""

SHOW_CURSOR = "\x1b[?25h"
"""DECTCEM: the terminal shows its cursor (Textual hides it as it starts)."""


@cache
def showing_cursor(driver_class: type[Driver]) -> type[Driver]:
    """`driver_class`, showing the terminal's cursor each time it starts application mode
    (at start-up, and again after Ctrl+Z and `fg`) when the app is in screen-reader mode.
    On the way out the driver shows the cursor anyway, as every shell expects."""

    class ShowsCursor(driver_class):  # type: ignore[valid-type,misc]
        def start_application_mode(self) -> None:
            super().start_application_mode()
            if getattr(self._app, "screen_reader", False):
                self.write(SHOW_CURSOR)
                self.flush()

    ShowsCursor.__name__ = ShowsCursor.__qualname__ = f"{driver_class.__name__}ShowingCursor"
    return ShowsCursor


class Accessible(_AppBase):
    """The app's part: the black-and-white theme registered before anything chooses a theme;
    in screen-reader mode a driver that shows the terminal's cursor, and the cursor on a
    focused widget that does not place it itself (an Input, a scrolling text)."""

    @property
    def colourless(self) -> bool:
        """No colour to tell things apart: NO_COLOR, or the black-and-white theme."""
        return self.no_color or self.theme == MONO_THEME_NAME

    def use_theme(self, name: str) -> None:
        """Choose the theme `name` (already checked), registering the black-and-white one
        only when it is chosen: registering a theme costs start-up time every run."""
        if name == MONO_THEME_NAME and MONO_THEME_NAME not in self.available_themes:
            self.register_theme(MONO_THEME)
        self.theme = name

    def get_driver_class(self) -> type[Driver]:
        return showing_cursor(super().get_driver_class())

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.colourless:
            self._mark_focus(event.widget)
        if screen_reader_on(self) and not isinstance(event.widget, PlacesTerminalCursor):
            self.call_after_refresh(cursor_to_focused, event.widget)

    def _mark_focus(self, widget: Widget) -> None:
        """Without colour, the article column or the sidebar that holds the focus is marked
        `-has-focus` (its title is then reversed, `styles/plain_marks.tcss`)."""
        holders = {node for node in widget.ancestors_with_self
                   if node.has_class("article-column") or node.id == "sidebar"}
        for node in widget.screen.query(".-has-focus"):
            if node not in holders:
                node.remove_class("-has-focus")
        for node in holders:
            node.add_class("-has-focus")
