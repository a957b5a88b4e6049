"""The find bar alone in a tiny host app: what typing, Enter, Up and Escape post, and the
query on screen in its one row."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from reader.widgets.find_bar import FindBar, compile_query


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield FindBar()

    def on_mount(self) -> None:
        self.query_one(FindBar).open()


def posted(messages: list[object], kind: type) -> list:
    """The messages of `kind`, once each (the hook sees one at every node it bubbles to)."""
    return list({id(m): m for m in messages if isinstance(m, kind)}.values())


async def test_typing_searches_as_the_query_grows():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        await pilot.press(*"Ha[b")
        await pilot.pause()
        field = app.query_one(Input)
        assert field.has_focus and field.content_region.height == 1
        assert "Ha[b" in "".join(segment.text for segment in field.render_line(0))  # literally, in one row
        bar = app.query_one(FindBar)
    searches = posted(messages, FindBar.Search)
    assert [(s.query, s.forward, s.incremental) for s in searches] == [
        ("H", True, True), ("Ha", True, True), ("Ha[", True, True), ("Ha[b", True, True)
    ]
    assert all(s.control is bar for s in searches)


async def test_enter_and_down_find_the_next_match_up_the_previous():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        await pilot.press("x", "enter", "down", "up", "shift+enter")
        await pilot.pause()
    searches = [(s.query, s.forward, s.incremental) for s in posted(messages, FindBar.Search)]
    assert searches[1:] == [("x", True, False), ("x", True, False), ("x", False, False), ("x", False, False)]


async def test_escape_closes_the_bar_and_says_so():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        bar = app.query_one(FindBar)
        assert bar.display
        await pilot.press("x", "escape")
        await pilot.pause()
        assert not bar.display
        assert [m.control for m in posted(messages, FindBar.Closed)] == [bar]
        bar.open()  # opened again, the last query is selected, ready to be typed over
        await pilot.press("y")
        await pilot.pause()
        assert app.query_one(Input).value == "y"


def test_the_query_is_literal_and_ignores_case():
    pattern = compile_query("a.b (c)")
    assert pattern is not None and pattern.search("x A.B (C) y") and not pattern.search("axb c")
    assert compile_query("") is None


def test_a_bar_whose_field_is_not_mounted_yet_has_nothing_typed():
    """F3 in the instant between the bar's mount and its field's (the monkey test's find)."""
    assert FindBar().query_text == ""
