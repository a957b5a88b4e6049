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


async def _burst(app, keys: str) -> None:
    """Keys as a terminal delivers a fast burst or a paste: all queued at once, none
    handled before the next arrives (Pilot.press waits for each)."""
    from textual import events

    names = {"/": "slash", " ": "space"}
    for character in keys:
        app.post_message(events.Key(names.get(character, character), character))


async def test_keys_typed_in_a_burst_after_slash_land_in_the_find_field(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _burst(app, "/Hanoi")  # "n" is the note key: it must not open a note
        await pilot.pause()
        field = app.screen.query_one("#find-input", Input)
        assert field.value == "Hanoi" and field.has_focus
        from reader.screens.reading import ReadingScreen

        assert isinstance(app.screen, ReadingScreen)  # no dialog opened


async def test_slash_is_a_character_in_the_find_field_and_in_a_note(make_app):
    from reader.screens.annotation_dialog import AnnotationDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        await pilot.pause()
        assert app.screen.query_one("#find-input", Input).value == "a/b"
        await pilot.press("escape", "n")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press("x", "slash", "y")
        await pilot.pause()
        assert "x/y" in [field.value for field in app.screen.query(Input)] + [
            area.text for area in app.screen.query("TextArea")
        ]
