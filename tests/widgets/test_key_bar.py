"""The key bar alone in a tiny host app: the keys that work here, in one line, dimmed when
they do nothing now, the palette's key on the right; a click presses a key."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from reader.widgets.key_bar import KeyBar


class Folding(Widget, can_focus=True):
    """A focusable widget with a key of its own."""

    BINDINGS = [Binding("x", "fold", "Fold")]

    def action_fold(self) -> None:
        self.app.pressed.append("fold")


class Host(App[None]):
    AUTO_FOCUS = None  # the Folding widget's keys show only once a test focuses it
    BINDINGS = [
        Binding("t", "tag", "Tag claim"),
        Binding("d", "delete", "Delete"),
        Binding("z", "secret", "Secret", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Folding()
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "delete" else True  # shown, but does nothing here

    def action_tag(self) -> None:
        self.pressed.append("tag")

    def action_delete(self) -> None:
        self.pressed.append("delete")

    def bell(self) -> None:
        self.bells += 1


def drawn(bar: KeyBar) -> str:
    return "".join(segment.text for segment in bar.render_line(0))


def at(bar: KeyBar, description: str) -> int:
    """The x of a key's hint in the bar."""
    return next(start for start, _, hint in bar._regions if hint.description == description) + 1


async def test_the_shown_keys_are_listed_with_the_palette_on_the_right():
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        line = drawn(bar)
        assert line.startswith(" t Tag claim  d Delete ") and "Secret" not in line
        assert line.rstrip().endswith("▏ ^p palette") and len(line) == 80
        hints, palette = bar.hints()
        assert [(h.description, h.enabled) for h in hints] == [("Tag claim", True), ("Delete", False)]
        assert palette is not None and palette.key == "ctrl+p"


async def test_the_focused_widgets_keys_join_when_it_has_focus():
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert "Fold" not in drawn(bar)
        app.query_one(Folding).focus()
        await pilot.pause()
        assert drawn(bar).startswith(" x Fold  t Tag claim ")


async def test_a_click_presses_the_key_and_a_key_that_does_nothing_only_rings():
    app = Host()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(at(bar, "Tag claim"), 0))
        await pilot.click(KeyBar, offset=(at(bar, "Delete"), 0))
        await pilot.pause()
        assert app.pressed == ["tag"] and app.bells == 1


async def test_keys_that_do_not_fit_are_left_out_and_the_palette_stays():
    app = Host()
    async with app.run_test(size=(28, 5)) as pilot:
        await pilot.pause()
        line = drawn(app.query_one(KeyBar))
        assert line.startswith(" t Tag claim ") and "Delete" not in line
        assert line.rstrip().endswith("^p palette")
