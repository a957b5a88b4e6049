"""SVG snapshots of the key screens; update on purpose with `pytest --snapshot-update`."""

from __future__ import annotations


def test_opening_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(160, 45))


def test_tag_picker(snap_compare, make_app):
    assert snap_compare(make_app(), press=["j", "t"], terminal_size=(160, 45))


def test_claim_tagged(snap_compare, make_app):
    async def tag(pilot):
        await pilot.press("j", "t", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), run_before=tag, terminal_size=(160, 45))
