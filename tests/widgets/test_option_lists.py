"""The app's option lists page safely before they are drawn (a tiny host app, as
Textual's own widget tests do)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList, SelectionList

from reader.screens.library import ArticleChecklist
from reader.widgets.option_lists import ChoiceList


class Host(App[None]):
    """One list in a terminal that leaves it no rows, highlighted before it is drawn."""

    CSS = "OptionList { height: 0; }"

    def __init__(self, make_list) -> None:
        super().__init__()
        self.make_list = make_list

    def compose(self) -> ComposeResult:
        yield self.make_list()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 3
        options.focus()


def choices() -> OptionList:
    return ChoiceList(*(f"option {n}" for n in range(20)))


def checklist() -> OptionList:
    return ArticleChecklist(*((f"article {n}", str(n)) for n in range(20)))


@pytest.mark.parametrize("make_list", [choices, checklist], ids=["ChoiceList", "ArticleChecklist"])
async def test_page_keys_before_the_list_has_room_do_nothing(make_list):
    app = Host(make_list)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("pagedown", "pageup", "pagedown")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.query_one(OptionList).highlighted == 3


@pytest.mark.parametrize("plain", [lambda: OptionList(*(f"o{n}" for n in range(20))),
                                   lambda: SelectionList(*((f"a{n}", str(n)) for n in range(20)))],
                         ids=["OptionList", "SelectionList"])
async def test_textuals_own_lists_raise_there(plain):
    """Why the app's lists exist: Textual's raise KeyError on the same keys (if a Textual
    upgrade fixes this, this test says the workaround can go)."""
    app = Host(plain)
    with pytest.raises(KeyError):
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.press("pagedown")
            await pilot.pause()


class Roomy(App[None]):
    """A list with room for all its rows, the first one highlighted."""

    CSS = "OptionList { height: 1fr; }"

    def __init__(self, make_list) -> None:
        super().__init__()
        self.make_list = make_list

    def compose(self) -> ComposeResult:
        yield self.make_list()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()


@pytest.mark.parametrize("make_list", [choices, checklist], ids=["ChoiceList", "ArticleChecklist"])
async def test_arrows_stop_at_the_ends_instead_of_wrapping_round(make_list):
    app = Roomy(make_list)
    async with app.run_test(size=(40, 30)) as pilot:
        options = app.query_one(OptionList)
        await pilot.press("up", "up", "up", "up")
        assert options.highlighted == 0
        await pilot.press("down", "down")
        assert options.highlighted == 2
        await pilot.press("end", "down", "down")
        assert options.highlighted == 19
        await pilot.press("up")
        assert options.highlighted == 18


async def test_textuals_own_option_list_wraps_round():
    """Why `StopsAtEnds` exists: ↑ on Textual's first option goes to its last (if a Textual
    release stops doing so, this test says the mixin can go)."""
    app = Roomy(lambda: OptionList(*(f"o{n}" for n in range(20))))
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.press("up")
        assert app.query_one(OptionList).highlighted == 19
