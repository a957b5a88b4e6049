"""The app's lists stop at their ends, on the real app with the seed articles: ↑ on the
first entry of the sidebar, the filter or the tag picker stays there (they wrapped round to
the last, with no sign, and four ↑ in the sidebar seemed to do nothing)."""

from __future__ import annotations

from textual.widgets import OptionList

from reader.screens.annotation_dialog import AnnotationDialog
from reader.screens.filter_dialog import FilterDialog
from reader.widgets.annotation_sidebar import AnnotationSidebar

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)


async def test_the_sidebar_stops_at_its_first_and_last_entries(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "j", "j", "n", *"check this", "enter")
        await settle(pilot)
        sidebar = app.screen.query_one(AnnotationSidebar)
        claim, note = sorted(app.workspace.annotations.values(), key=lambda a: a.kind)
        await pilot.press("tab", "tab", "home")
        assert sidebar.highlighted_annotation == claim
        await pilot.press("up", "up", "up", "up")
        assert sidebar.highlighted_annotation == claim
        await pilot.press("down")
        assert sidebar.highlighted_annotation == note
        await pilot.press("down", "down", "down")
        assert sidebar.highlighted_annotation == note
        await pilot.press("up")
        assert sidebar.highlighted_annotation == claim


async def test_the_filter_and_the_tag_picker_stop_at_their_ends(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FilterDialog)
        filters = app.screen.query_one("#filters", OptionList)
        assert filters.highlighted == 0  # Everything
        await pilot.press("up", "up", "up", "up")
        assert filters.highlighted == 0
        await pilot.press("end", "down", "down")
        assert filters.highlighted == filters.option_count - 1
        await pilot.press("escape", "t")
        assert isinstance(app.screen, AnnotationDialog)
        tags = app.screen.query_one("#choices", OptionList)
        await pilot.press("up", "up")
        assert tags.highlighted == 0
        await pilot.press("end", "down")
        assert tags.highlighted == tags.option_count - 1
