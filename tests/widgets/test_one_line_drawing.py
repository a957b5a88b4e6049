"""A list whose lines `OneLineDrawing` draws draws them as Textual's `SelectionList` does,
segment for segment, in every state a line can be in (a tiny host app, as Textual's own
widget tests do); a line that does not fit, or has a tab, is left to Textual."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import SelectionList

from reader.widgets.option_lists import OneLineDrawing, OneLineEntries

PROMPTS = ["A short one", "標題 wide characters 標題", "A line far too long to fit the width of this list " * 3,
           "A\ttab", "Bold title · its details"]


class Drawn(OneLineEntries, OneLineDrawing, SelectionList[str]):
    drawn: list[int]

    def one_line(self, option: object, room: int) -> Content | None:
        prompt = option.prompt  # type: ignore[attr-defined]
        return Content.from_markup(prompt) if isinstance(prompt, str) else prompt

    def _draw(self, index, *rest):
        self.drawn.append(index)
        return super()._draw(index, *rest)


class Host(App[None]):
    CSS = "SelectionList { height: 1fr; }"

    def compose(self) -> ComposeResult:
        selections = Drawn(*((f"[b]{prompt}[/b]" if prompt.startswith("Bold") else prompt, str(index))
                             for index, prompt in enumerate(PROMPTS)))
        selections.drawn = []
        yield selections


async def test_lines_are_drawn_as_the_selection_list_draws_them():
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        selections = app.query_one(Drawn)
        selections.focus()
        await pilot.press("down", "space", "down", "down", "space")  # two marked, one highlighted
        await pilot.pause()
        selections._mouse_hovering_over = 0
        for y in range(len(PROMPTS)):
            selections._drawn_lines = None
            ours = list(Drawn.render_line(selections, y))
            assert ours == list(SelectionList.render_line(selections, y)), f"line {y}"
        assert sorted(set(selections.drawn)) == [0, 1, 4]  # not the long line, not the tab
