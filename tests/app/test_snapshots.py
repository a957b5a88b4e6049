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
