"""The find bar shows what is typed into it (found in tmux by the bench: Input's own focus
style drew a tall border in the bar's one row, so only its edge showed); it counts the
matches (`2/4`), draws the current one so that it stands out without colour, names the
article it searches, searches all open articles on Ctrl+O, and the key bar shows its keys."""

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


# the count, the current match, the scope and the keys (issue "Comfort and access") ------------


def _bar_text(app, selector: str) -> str:
    """What one part of the find bar shows on screen."""
    return "".join(segment.text for segment in app.screen.query_one(selector).render_line(0)).strip()


def _hits(pane, query: str) -> list[int]:
    text = pane.article.text.lower()
    return [i for i in range(len(text)) if text.startswith(query.lower(), i)]


def _keys(app) -> str:
    from reader.widgets.key_bar import KeyBar

    return app.screen.query_one(KeyBar).render().plain


async def test_the_bar_counts_the_matches_as_the_query_is_typed_and_on_next_and_previous(make_app):
    from reader.widgets.article_pane import ArticlePane

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        hits = _hits(pane, "Kim")
        assert len(hits) >= 3
        await pilot.press("slash", "K")
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"1/{len(_hits(pane, 'K'))}"
        await pilot.press("i", "m")
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"1/{len(hits)}"
        await pilot.press("enter")
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"2/{len(hits)}" and pane.selection == (hits[1], hits[1] + 3)
        await pilot.press("down", "up", "shift+enter")
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"1/{len(hits)}" and pane.selection == (hits[0], hits[0] + 3)
        await pilot.press("shift+enter")  # round to the last
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"{len(hits)}/{len(hits)}"
        await pilot.press(*"zzq")
        await pilot.pause()
        assert _bar_text(app, "#find-count") == "no match"
        await pilot.press("ctrl+u")  # nothing typed: no count
        await pilot.pause()
        assert _bar_text(app, "#find-count") == ""


async def test_the_current_match_stands_out_without_colour_in_every_theme(make_app):
    from reader.widgets.article_pane import ArticlePane

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        hits = _hits(pane, "Kim")
        await pilot.press("slash", *"Kim", "enter")
        await pilot.pause()

        def on_screen(offset: int) -> bool:
            return 0 <= pane.row_of(offset) - pane.scroll_offset.y < pane.scrollable_content_region.height

        def cell(offset: int):
            """(character, style) drawn at code point `offset`, which is on screen."""
            row = pane.row_of(offset)
            cells = [(c, s.style) for s in pane.render_line(row - pane.scroll_offset.y) for c in s.text]
            return cells[3 + offset - pane.row_at(row).start]  # after the gutter

        others = [hit for hit in hits if hit != hits[1] and on_screen(hit)]
        assert on_screen(hits[1]) and others  # scrolled to, with other matches in view
        for theme in ("textual-dark", "textual-light", "nord", "monokai"):
            app.theme = theme
            await pilot.pause()
            char, current = cell(hits[1])
            assert char == "K" and current.reverse and current.bold and current.underline, theme
            for other in others:  # a match, told apart from the current one without colour
                assert cell(other)[1].underline and not cell(other)[1].reverse, theme
        await pilot.press("escape")  # the bar closed: no match marked any more
        await pilot.pause()
        assert not any(cell(hit)[1].reverse or cell(hit)[1].underline for hit in others)


async def test_the_bar_names_the_article_searched_literally_and_safely(db_path, tmp_path):
    from reader.app import PresscheckApp
    from reader.launch import prepare_session
    from reader.widgets.find_bar import TITLE_CELLS

    title = "[bold]Alarm[/bold] \x1b[31mred\x07 [@click=app.quit]x[/] " + "long " * 15
    path = tmp_path / "hostile.txt"
    path.write_text(f"{title.strip()}\n\nKim said one thing. Kim said another.\n", "utf-8")
    app = PresscheckApp(prepare_session([str(path)], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"Kim")
        await pilot.pause()
        shown = _bar_text(app, "#find-scope")
        assert shown.startswith("in “[bold]Alarm[/bold] ␛[31mred␇ [@click=app.quit]x")  # as typed, marks
        assert shown.endswith("…”") and len(shown) == len("in “”") + TITLE_CELLS  # cut, the quote closed
        assert "\x1b" not in shown and "\x07" not in shown
        assert _bar_text(app, "#find-count") == "1/2"
        assert app.is_running


async def test_all_open_articles_are_searched_one_after_the_other(make_app):
    from reader.widgets.article_pane import ArticlePane

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: one article shown at a time
        first = app.screen.query_one("#pane-0", ArticlePane)
        second = app.screen.query_one("#pane-1", ArticlePane)
        ones, twos = _hits(first, "Kim"), _hits(second, "Kim")
        total = len(ones) + len(twos)
        await pilot.press("slash", *"Kim")
        await pilot.pause()
        assert "All articles" in _keys(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert _bar_text(app, "#find-scope") == "in all 2 open articles"
        assert _bar_text(app, "#find-count") == f"1/{total}" and "This article" in _keys(app)
        await pilot.press(*["enter"] * len(ones))  # past the first article's last
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"{len(ones) + 1}/{total}"
        assert second.selection == (twos[0], twos[0] + 3)
        field = app.screen.query_one("#find-input", Input)
        assert field.has_focus  # typing goes on in the bar
        assert app.screen.active_pane is second and second.parent.has_class("-current")  # its tab shown
        await pilot.press("up")  # back into the first article, at its last
        await pilot.pause()
        assert first.selection == (ones[-1], ones[-1] + 3) and app.screen.active_pane is first
        assert _bar_text(app, "#find-count") == f"{len(ones)}/{total}"
        await pilot.press("ctrl+o")  # this article again: its count only
        await pilot.pause()
        assert _bar_text(app, "#find-count") == f"{len(ones)}/{len(ones)}"
        assert _bar_text(app, "#find-scope").startswith("in “President Donald Trump")


async def test_the_key_bar_shows_the_find_bars_keys_while_it_is_open(make_app):
    from reader.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Tag claim" in _keys(app)
        await pilot.press("slash", *"Kim")
        await pilot.pause()
        keys = _keys(app)
        for key in ("⏎ Next", "↑ Previous", "^o All articles", "esc Close"):
            assert key in keys
        assert "Undo" not in keys and "Tag claim" not in keys
        bar = app.screen.query_one(KeyBar)
        start, _, _ = next(r for r in bar._regions if r[2].key == "ctrl+o")
        await pilot.click(KeyBar, offset=(start + 1, 0))  # a click presses the key
        await pilot.pause()
        assert "^o This article" in _keys(app) and _bar_text(app, "#find-scope") == "in all 2 open articles"
        await pilot.press("escape")
        await pilot.pause()
        assert "Tag claim" in _keys(app) and "Close" not in _keys(app)


async def test_the_find_keys_fit_a_small_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("slash", *"Kim")
        await pilot.pause()
        keys = _keys(app)
        for key in ("⏎ Next", "↑ Prev", "^o All", "esc Close"):
            assert key in keys
        assert _bar_text(app, "#find-count") == "1/4" and _bar_text(app, "#find-input").startswith("Kim")
