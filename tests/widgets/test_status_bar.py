"""The status bar alone in a tiny host app: save state, author, database, counts and the
last action's message in one line, redrawn when any of them changes."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.widgets.status_bar import StatusBar


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar("annotations/annotations.json", "ana")


def drawn(bar: StatusBar) -> str:
    return "".join(segment.text for segment in bar.render_line(0)).rstrip()


async def test_it_shows_the_save_state_author_database_and_counts():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        await pilot.pause()
        bar = app.query_one(StatusBar)
        assert drawn(bar) == " ✓ saved  ana  annotations/annotations.json"
        bar.counts = "2 claims · 1 note"
        bar.message = "Mark the other side"
        await pilot.pause()
        assert drawn(bar) == " ✓ saved  ana  annotations/annotations.json  2 claims · 1 note  │ Mark the other side"


async def test_saving_and_a_failed_save_are_shown_until_saved_again():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.save_state = "saving"
        await pilot.pause()
        assert drawn(bar).startswith(" … saving  ana")
        bar.save_state = "the disk is full"
        await pilot.pause()
        assert drawn(bar).startswith(" ✗ not saved: the disk is full  ana")
        bar.save_state = "saved"
        await pilot.pause()
        assert drawn(bar).startswith(" ✓ saved")


async def test_untrusted_names_are_shown_as_text_and_an_unknown_author_is_said():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.author = ""
        bar.message = "opened [bold]x[/bold] \x1b[2J"
        await pilot.pause()
        assert drawn(bar) == " ✓ saved  no author yet  annotations/annotations.json  │ opened [bold]x[/bold] ␛[2J"
        bar.author = "\x1b]0;TITLE\x07eve"
        await pilot.pause()
        assert "␛]0;TITLE␇eve" in drawn(bar)


async def test_a_long_line_is_cut_with_an_ellipsis():
    app = Host()
    async with app.run_test(size=(40, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.message = "a message far too long for a bar of forty cells"
        await pilot.pause()
        line = drawn(bar)
        assert len(line) == 40 and line.endswith("…")
