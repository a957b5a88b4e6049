"""SVG snapshots of the key screens; update on purpose with `pytest --snapshot-update`."""

from __future__ import annotations

from pilots import settle  # tests/support/pilots.py

WIDE = (160, 45)


async def annotate_all_four_kinds(pilot):
    """A claim, a contradiction across the articles, a link and a note; cursor moved off."""
    await pilot.press("t", "enter")  # claim on the first sentence
    await pilot.press("j", "c", "tab", "j", "j", "c", *"who offered what?", "enter")
    await pilot.press("j", "l", "shift+tab", "j", "j", "l", "down", "enter")
    await pilot.press("j", "n", *"check the sanctions record", "enter")
    await pilot.press("j", "j", "j")
    await settle(pilot)


def test_opening_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=WIDE)


def test_tag_picker(snap_compare, make_app):
    assert snap_compare(make_app(), press=["j", "t"], terminal_size=WIDE)


def test_claim_tagged(snap_compare, make_app):
    async def tag(pilot):
        await pilot.press("j", "t", "enter", "j")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=tag, terminal_size=WIDE)


def test_all_four_kinds(snap_compare, make_app):
    assert snap_compare(make_app(), run_before=annotate_all_four_kinds, terminal_size=WIDE)


def test_sidebar_filtered_to_contradictions(snap_compare, make_app):
    async def run(pilot):
        await annotate_all_four_kinds(pilot)
        await pilot.press("f", "down", "down", "enter")

    assert snap_compare(make_app(), run_before=run, terminal_size=WIDE)


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=WIDE)


def test_help_screen_at_80x24_from_the_sidebar(snap_compare, make_app):
    """Opened from the sidebar, scrolled to its keys (marked as where the reader is), then
    the app's (Ctrl+P)."""
    async def run(pilot):
        await pilot.press("t", "enter")
        await settle(pilot)
        await pilot.press("ctrl+b", "question_mark")  # a narrow terminal: Ctrl+B opens the sidebar, focused
        await pilot.pause()
        here = pilot.app.screen.query(".help-group")[1]
        pilot.app.screen.query_one("#help").scroll_to_widget(here, top=True, animate=False)
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=(80, 24))


def test_help_screen_at_40x12(snap_compare, make_app):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(40, 12))


def test_library(snap_compare, make_app):
    async def run(pilot):
        await annotate_all_four_kinds(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=WIDE)


def test_narrow_layout(snap_compare, make_app):
    async def run(pilot):
        await pilot.press("t", "enter", "j")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=(40, 12))


def test_light_theme(snap_compare, make_app):
    async def run(pilot):
        pilot.app.theme = "textual-light"
        await annotate_all_four_kinds(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=WIDE)


def test_find_bar_with_its_count(snap_compare, make_app):
    """The find bar open on "Kim" at its second match: 2/4, the current match reversed,
    the others marked, the article searched named, the key bar showing the find's keys."""

    async def run(pilot):
        await pilot.press("slash", *"Kim", "enter")
        pilot.app.clear_notifications()  # the first open's notice would cover the bar's end
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=WIDE)


def test_mono_theme(snap_compare, make_app):
    """Black and white only (`theme = "presscheck-mono"`): the kinds by text style and
    gutter letter, the cursor reversed, the emphasised link's other end overlined, the
    focused pane's title reversed."""
    from reader.accessibility import MONO_THEME_NAME
    from reader.preferences import Preferences

    async def run(pilot):
        await annotate_all_four_kinds(pilot)
        await pilot.press("k", "k", "k", "k")  # back onto the link: both its ends emphasised
        pilot.app.clear_notifications()
        await settle(pilot)

    app = make_app(preferences=Preferences(theme=MONO_THEME_NAME))
    assert snap_compare(app, run_before=run, terminal_size=WIDE)


def test_read_aloud_view(snap_compare, make_app):
    """r on the contradiction highlighted in the sidebar: a labelled field a line, both
    quotes whole, each naming its article."""

    async def run(pilot):
        await annotate_all_four_kinds(pilot)
        await pilot.press("tab", "tab", "home", "down", "r")
        pilot.app.clear_notifications()  # the first open's notice would cover the quotes' ends
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run, terminal_size=WIDE)
