"""The help (`?`) on the real app with the seed articles: it lists the keys that work where
it was opened, from the live bindings, Tab, Shift+Tab and Ctrl+P among them."""

from __future__ import annotations

import pytest

from reader.screens.help import HelpScreen, key_label, keys_label
from reader.screens.reading import ReadingScreen

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)
SIDEWAYS = {"scroll_left", "scroll_right", "page_left", "page_right"}
"""Keys that scroll sideways what wraps its lines: they do nothing in a pane or the sidebar."""


def listed(help_screen: HelpScreen) -> dict[str, set[tuple[str, str]]]:
    """Heading → the (action, key) pairs the help lists under it."""
    return {
        title: {(binding.action, key) for binding in bindings for key in binding.key.split(",")}
        for title, bindings in help_screen.groups
    }


def working(screen: ReadingScreen) -> set[tuple[str, str]]:
    """(action, key) of every binding that works where the focus is, as Textual has it."""
    return {
        (active.binding.action, active.binding.key)
        for active in screen.active_bindings.values()
        if active.binding.description and active.binding.action not in SIDEWAYS
    }


@pytest.mark.parametrize(
    ("keys", "here"),
    [((), "In an article pane (you are here)"), (("tab", "tab"), "In the sidebar (you are here)")],
    ids=["from-a-pane", "from-the-sidebar"],
)
async def test_help_lists_every_key_that_works_where_it_was_opened(make_app, keys, here):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")  # a claim, so that the sidebar has an entry
        await settle(pilot)
        await pilot.press(*keys)
        reading = app.screen
        assert isinstance(reading, ReadingScreen)
        expected = working(reading)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        groups = listed(app.screen)
        shown = set().union(*groups.values())
        assert expected <= shown, sorted(expected - shown)
        assert here in groups
        # what the focused part does is listed where it is, the rest where it works
        assert {("app.focus_next", "tab"), ("app.focus_previous", "shift+tab")} <= groups["Reading and annotating"]
        assert ("command_palette", "ctrl+p") in groups["Everywhere"]
        # the other parts of the screen, with the keys they take once Tab gets there
        assert {"In an article pane", "In the sidebar", "In the find bar (/ opens it)"} - {here.split(" (")[0]} <= {
            title.split(" (you")[0] for title in groups
        }
        assert not {action for action, _key in shown} & SIDEWAYS
        await pilot.press("escape")
        assert app.screen is reading


async def test_help_spells_tab_shift_tab_and_ctrl_p_with_what_they_do(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        rows = {keys_label(binding): binding.description for _, bindings in app.screen.groups for binding in bindings}
        assert rows["Tab"] == "Next pane, then the sidebar"
        assert rows["Shift+Tab"] == "Previous pane or the sidebar"
        assert rows["Ctrl+P"].startswith("Command palette")
        assert rows["u / Ctrl+Z"] == "Undo"


async def test_a_key_that_does_not_apply_is_not_listed(make_app, monkeypatch):
    """check_action, read live: a key the screen turns off (as the class view does its
    writing keys) leaves the help, while the ones it keeps stay."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        original = ReadingScreen.check_action
        monkeypatch.setattr(ReadingScreen, "check_action",
                            lambda self, action, parameters: action != "delete" and original(self, action, parameters))
        await pilot.press("question_mark")
        actions = {binding.action for _, bindings in app.screen.groups for binding in bindings}
        assert "delete" not in actions and {"edit", "tag_claim", "app.focus_next"} <= actions
        assert "end_lesson" not in actions  # a live lesson's teacher's key, off here


async def test_help_scrolls_in_a_40x12_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scroller = app.screen.query_one("#help")
        assert scroller.region.width == 40  # the whole terminal, in a small one
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert scroller.scroll_y == scroller.max_scroll_y > 0
        await pilot.press("question_mark")
        assert isinstance(app.screen, ReadingScreen)


@pytest.mark.parametrize(
    ("key", "label"),
    [("ctrl+p", "Ctrl+P"), ("shift+tab", "Shift+Tab"), ("tab", "Tab"), ("question_mark", "?"),
     ("pagedown", "PgDn"), ("escape", "Esc"), ("enter", "Enter"), ("J", "J"), ("f3", "F3"),
     ("shift+down", "Shift+↓"), ("right_square_bracket", "]")],
)
def test_keys_are_spelled_for_people(key, label):
    assert key_label(key) == label
