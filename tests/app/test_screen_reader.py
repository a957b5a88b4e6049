"""Screen-reader mode on the real app with the seed articles: the terminal's cursor
(`App.cursor_position`, where Textual moves it after every frame) is on the start of what
has focus: the selected sentence in either pane, after every move and scroll, the sidebar's
highlighted entry, a dialog's field. Out of that mode the cursor is left alone."""

from __future__ import annotations

from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import Input

from reader.preferences import Preferences
from reader.screens.annotation_dialog import AnnotationDialog
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane

from pilots import settle  # tests/support/pilots.py

WIDE = (160, 45)
SCREEN_READER = Preferences(screen_reader=True)


def shown_from_cursor(app, widget: Widget) -> str:
    """What `widget` shows from the terminal's cursor to the end of that row."""
    x, y = app.cursor_position
    region = widget.scrollable_content_region
    assert region.contains(x, y), f"the cursor {(x, y)} is not in {widget} at {region}"
    return "".join(segment.text for segment in widget.render_line(y - region.y).crop(x - region.x)).rstrip()


def starts_with(shown: str, text: str) -> bool:
    """The row from the cursor on shows the start of `text` (as far as either goes)."""
    text = " ".join(text.split())
    length = min(len(shown), len(text))
    return length > 0 and shown[:length] == text[:length]


def assert_cursor_on_selection(app, pane: ArticlePane) -> None:
    assert app.screen.focused is pane
    shown = shown_from_cursor(app, pane)
    assert starts_with(shown, pane.selected_text), (shown, pane.selected_text)


async def test_the_cursor_is_on_the_focused_sentence_after_each_move_in_both_panes(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        first, second = app.screen.query(ArticlePane)
        assert_cursor_on_selection(app, first)
        assert app.cursor_position == first.scrollable_content_region.offset + (3, 0)  # after the gutter
        for key in ("j", "j", "k", "j"):
            before = app.cursor_position
            await pilot.press(key)
            await pilot.pause()
            assert app.cursor_position != before
            assert_cursor_on_selection(app, first)
        await pilot.press("tab")
        await pilot.pause()
        assert_cursor_on_selection(app, second)
        for key in ("j", "j", "J", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
            assert_cursor_on_selection(app, second)
        await pilot.press("shift+tab", "pagedown")
        await pilot.pause()
        assert_cursor_on_selection(app, first)


async def test_the_cursor_follows_the_sentence_when_the_pane_scrolls(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "j", "j", "j")
        await settle(pilot)
        pane = app.screen.query_one("#pane-0", ArticlePane)
        before = app.cursor_position
        pane.scroll_to(y=3, animate=False, immediate=True)  # a mouse wheel: the cursor stays put
        await pilot.pause()
        assert app.cursor_position == before - (0, 3)
        assert_cursor_on_selection(app, pane)
        pane.scroll_to(y=pane.max_scroll_y, animate=False, immediate=True)  # the sentence scrolled away
        await pilot.pause()
        assert app.cursor_position.y == pane.scrollable_content_region.y  # kept in the pane, at its top


async def test_the_cursor_follows_the_sentence_when_the_terminal_is_resized(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "j", "j")
        await settle(pilot)
        before = app.cursor_position
        await pilot.resize_terminal(120, 40)  # the text wraps anew: the sentence starts elsewhere
        await settle(pilot)
        assert app.cursor_position != before
        assert_cursor_on_selection(app, app.screen.query_one("#pane-0", ArticlePane))
        await pilot.resize_terminal(80, 24)  # one article at a time, as tabs
        await settle(pilot)
        assert_cursor_on_selection(app, app.screen.query_one("#pane-0", ArticlePane))


async def test_the_cursor_is_on_the_sidebars_highlighted_entry(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t", "enter", "j", "j", "n", *"check this", "enter")
        await settle(pilot)
        sidebar = app.screen.query_one(AnnotationSidebar)
        entries = sidebar.query_one("#annotation-list")
        claim, note = sorted(app.workspace.annotations.values(), key=lambda a: a.kind)
        await pilot.press("tab", "tab", "home")
        await pilot.pause()
        assert app.screen.focused is entries and sidebar.highlighted_annotation == claim
        assert shown_from_cursor(app, entries).startswith(", ".join(claim.tags))
        await pilot.press("down")
        await pilot.pause()
        assert sidebar.highlighted_annotation == note
        assert shown_from_cursor(app, entries).startswith("note — tester")
        await pilot.press("up")
        await pilot.pause()
        assert shown_from_cursor(app, entries).startswith(", ".join(claim.tags))


async def test_a_dialogs_field_has_the_cursor_as_the_dialog_opens(make_app):
    """An Input focused as its dialog opens places the cursor before it is laid out; the
    app puts it there once it is."""
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "n")
        await settle(pilot)
        assert isinstance(app.screen, AnnotationDialog)
        field = app.screen.focused
        assert isinstance(field, Input)
        assert field.content_region.contains_point(app.cursor_position)
        await pilot.press("escape")
        await settle(pilot)
        assert_cursor_on_selection(app, app.screen.query_one("#pane-0", ArticlePane))


async def test_the_tag_pickers_highlighted_choice_has_the_cursor(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t", "down", "down")
        await settle(pilot)
        choices = app.screen.query_one("#choices")
        highlighted = choices.highlighted_option.prompt
        assert shown_from_cursor(app, choices).startswith(str(highlighted).split()[0])


async def test_out_of_screen_reader_mode_the_panes_and_lists_leave_the_cursor_alone(make_app):
    """(Textual's Input moves it even then; the cursor stays hidden, so nothing shows.)"""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)
        before = app.cursor_position
        await pilot.press("j", "j", "tab", "j", "tab", "home", "down")
        await settle(pilot)
        assert app.screen.focused.id == "annotation-list"
        assert app.cursor_position == before


async def test_the_librarys_highlighted_article_has_the_cursor(make_app):
    app = make_app(preferences=SCREEN_READER)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("o")
        await settle(pilot)
        articles = app.screen.focused
        assert articles is not None and articles.id == "articles"
        for key in ("home", "down"):
            await pilot.press(key)
            await pilot.pause()
            x, y = app.cursor_position
            region = articles.scrollable_content_region
            assert x == region.x
            row = "".join(segment.text for segment in articles.render_line(y - region.y))
            prompt = str(articles.get_option_at_index(articles.highlighted).prompt).split("\n")[0]
            assert prompt[:20] in row, (row, prompt)
