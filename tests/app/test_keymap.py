"""The settings the app is given (`preferences=`): a keymap moves a key everywhere it is
named (the key itself, the key bar, the help, the messages), the theme and the highlight
style are applied, and the screen-reader flag is the app's to read."""

from __future__ import annotations

from rich.style import Style

from reader.preferences import Preferences
from reader.screens.annotation_dialog import AnnotationDialog
from reader.screens.help import HelpScreen, extra_keys, keys_label
from reader.store import Store
from reader.widgets.article_pane import ArticlePane
from reader.widgets.key_bar import KeyBar
from reader.widgets.status_bar import StatusBar

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)
F2_TAGS = Preferences(keymap={"tag_claim": "f2"})


def help_rows(help_screen: HelpScreen) -> dict[str, str]:
    """What the help says a key does → the keys it lists for it."""
    return {binding.description: keys_label(binding) for _title, bindings in help_screen.groups for binding in bindings}


async def test_a_keymap_that_moves_tag_claim_to_f2_tags_with_f2_and_not_with_t(make_app, db_path):
    app = make_app(preferences=F2_TAGS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, AnnotationDialog)
        await pilot.press("f2")
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press("enter")
        await settle(pilot)
    assert [annotation.kind for annotation in Store.open(db_path).annotations()] == ["claim"]


async def test_the_key_bar_and_the_help_show_the_moved_key(make_app):
    app = make_app(preferences=F2_TAGS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hints, _palette = app.screen.query_one(KeyBar).hints()
        tag = next(hint for hint in hints if hint.description == "Tag claim")
        assert (tag.key, tag.display) == ("f2", "F2")
        # where it was declared, not last: a keymap binds a moved key after the others
        assert [hint.description for hint in hints][:3] == ["Furniture", "Tag claim", "Contradiction"]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert help_rows(app.screen)["Tag claim"] == "F2"
        assert extra_keys(app.screen.groups)[0] == ("mouse drag", "select exactly the dragged text; then F2, c, l, n apply")


async def test_the_help_shows_the_moved_keys_of_every_part(make_app):
    """The focused pane's, and the find bar's, which has no focus (its bindings are read
    apart from Textual's active ones, the keymap applied all the same)."""
    keymap = {"find_bar_scope": "ctrl+t", "furniture": "f9", "cursor_down": "ctrl+down"}
    app = make_app(preferences=Preferences(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        rows = help_rows(app.screen)
        assert rows["This article / all articles"] == "Ctrl+T"
        assert rows["Furniture"] == "F9" and rows["Next sentence"] == "Ctrl+↓"


async def test_messages_name_the_moved_keys(make_app):
    keymap = {"contradiction": "f5", "redo": "f6", "find_bar_close": "f7", "cancel_mark": "f8"}
    app = make_app(preferences=Preferences(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")  # the first side of a contradiction
        await settle(pilot)
        waiting = app.screen.query_one("#pending-mark")
        assert waiting.waiting[2] == "F5" and "press F5 · F8 cancels" in str(waiting.render())
        await pilot.press("f8")
        await settle(pilot)
        assert app.workspace.half_mark is None
        await pilot.press("t", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.query_one(StatusBar).message == "Undone: add claim · F6 redoes it"
        await pilot.press("slash")
        await settle(pilot)
        hints, _ = app.screen.query_one(KeyBar).hints()
        assert [(hint.key, hint.display) for hint in hints if hint.description == "Close"] == [("f7", "F7")]


async def test_the_highlight_style_and_the_theme_are_applied_before_the_first_frame(make_app):
    app = make_app(preferences=Preferences(theme="nord", highlight="underline", screen_reader=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord" and app.screen_reader
        pane = app.screen.query_one(ArticlePane)
        claim = pane.get_component_rich_style("article-pane--claim")
        assert claim.underline and claim.bgcolor == pane.rich_style.bgcolor  # no tint
    plain = make_app(preferences=Preferences(highlight="reverse"))
    async with plain.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = plain.screen.query_one(ArticlePane)
        assert pane.get_component_rich_style("article-pane--claim").reverse
        assert not plain.screen_reader


async def test_the_defaults_without_preferences(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.preferences == Preferences() and not app.screen_reader
        pane = app.screen.query_one(ArticlePane)
        claim = pane.get_component_rich_style("article-pane--claim")
        assert claim.bgcolor != pane.rich_style.bgcolor and not claim.reverse
        assert isinstance(claim, Style)


async def test_the_command_palette_names_the_moved_key_of_a_pane_binding(make_app):
    from reader.commands import PresscheckCommands

    app = make_app(preferences=Preferences(keymap={"cursor_down": "f9"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {name: help_text for name, _action, help_text in PresscheckCommands(app.screen)._commands()}
        assert commands["Next sentence"] == "key: F9" and commands["Previous sentence"] == "key: ↑"
