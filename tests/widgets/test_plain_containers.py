"""The reading screen, its row and its article columns draw their lines themselves
(`reader/widgets/plain_containers.py`): the very segments Textual's styles cache would
have drawn, the columns' right edge and left padding included, in colour and without."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from reader.widgets.plain_containers import plain_lines

SIZES = [(160, 45), (80, 24)]


def drawn(lines):  # type: ignore[no-untyped-def]
    return [list(line) for line in lines]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("no_color", [False, True])
async def test_drawn_as_the_styles_cache_draws_them(make_app, monkeypatch, size, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        widgets = [screen, screen.query_one("#reading"), *screen.query(".article-column")]
        shown = [widget for widget in widgets if widget.display and widget.region]
        assert len(shown) >= 3
        for widget in shown:
            width, height = widget.region.size
            for crop in (Region(0, 0, width, height), Region(2, 1, width - 3, height - 2)):
                ours = plain_lines(widget, crop)
                assert ours is not None, widget
                assert drawn(ours) == drawn(Widget.render_lines(widget, crop)), (widget, crop)


async def test_a_column_with_an_edge_draws_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        column = app.screen.query_one("#column-0")
        line = column.render_lines(Region(0, 0, *column.region.size))[5]
        assert line.text.endswith("▕")


async def test_anything_more_is_left_to_the_styles_cache(make_app):
    app = make_app()
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        column = app.screen.query_one("#column-0")
        column.styles.border_top = ("solid", "red")
        assert plain_lines(column, Region(0, 0, *column.region.size)) is None
        column.styles.border_top = ("none", "red")
        column.styles.tint = "red 10%"
        assert plain_lines(column, Region(0, 0, *column.region.size)) is None
