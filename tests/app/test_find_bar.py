"""The find bar shows what is typed into it (found in tmux by the bench: Input's own focus
style drew a tall border in the bar's one row, so only its edge showed)."""

from __future__ import annotations

from textual.widgets import Input

SIZE = (160, 45)


async def test_the_typed_query_is_on_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"Hanoi")
        await pilot.pause()
        field = app.screen.query_one("#find-input", Input)
        assert field.has_focus and field.value == "Hanoi"
        # one row for the text: a border in the bar's single row leaves none
        assert field.region.height == 1 and field.content_region.height == 1
        assert "Hanoi" in "".join(segment.text for segment in field.render_line(0))
