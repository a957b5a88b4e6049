"""Without colour (NO_COLOR, which Textual honours by turning colours grey, or the
black-and-white `presscheck-mono` theme) every kind, the cursor, the emphasised annotation,
the find's matches, the sidebar's highlight and what has focus differ by a text style, not
by a shade; the mono theme has no colour but black and white."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.widgets import OptionList

from reader.accessibility import MONO_THEME_NAME
from reader.preferences import Preferences
from reader.widgets.article_pane import ArticlePane

from pilots import settle  # tests/support/pilots.py

WIDE = (160, 45)
MARKS = ["claim", "contradiction", "link", "note", "cursor", "cursor-blurred", "related", "match", "match-current"]
"""The pane's component classes that must be told apart without colour."""


def text_style(style: Style) -> tuple[bool, ...]:
    return tuple(bool(flag) for flag in (style.bold, style.dim, style.italic, style.underline, style.reverse,
                                         style.overline))


@pytest.fixture(params=["NO_COLOR", "mono theme"])
def colourless_app(request, make_app, monkeypatch):
    if request.param == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
        return make_app()
    return make_app(preferences=Preferences(theme=MONO_THEME_NAME))


async def test_every_mark_of_the_pane_has_a_text_style_of_its_own(colourless_app):
    app = colourless_app
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#pane-0", ArticlePane)
        styles = {name: text_style(pane.get_component_rich_style(f"article-pane--{name}")) for name in MARKS}
        assert len(set(styles.values())) == len(MARKS), styles
        assert styles["cursor"][4], "the cursor is reversed"
        assert not any(styles[kind][4] for kind in ("claim", "contradiction", "link", "note"))


async def test_what_has_focus_has_its_title_reversed(colourless_app):
    app = colourless_app
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)

        def reversed_titles() -> list[str]:
            titles = app.screen.query(".article-title, .sidebar-title")
            return [title.parent.id for title in titles if title.rich_style.reverse]

        assert reversed_titles() == ["column-0"]
        await pilot.press("tab")
        await pilot.pause()
        assert reversed_titles() == ["column-1"]
        await pilot.press("tab", "home")
        await pilot.pause()
        assert reversed_titles() == ["sidebar"]
        entries = app.screen.query_one("#annotation-list", OptionList)
        highlighted = entries.get_visual_style("option-list--option", "option-list--option-highlighted")
        assert highlighted.background.brightness > 0.8 > highlighted.foreground.brightness  # a light block


async def test_the_mono_theme_is_black_and_white(make_app):
    app = make_app(preferences=Preferences(theme=MONO_THEME_NAME))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert MONO_THEME_NAME in app.available_themes and app.theme == MONO_THEME_NAME
        pane = app.screen.query_one("#pane-0", ArticlePane)
        colours = set()
        for name in [*MARKS, "gutter"]:
            style = pane.get_component_rich_style(f"article-pane--{name}")
            colours |= {color.triplet for color in (style.color, style.bgcolor) if color is not None}
        assert colours <= {(0, 0, 0), (255, 255, 255)}, colours
