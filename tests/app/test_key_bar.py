"""The key bar at the bottom: one widget listing the keys that work now, clickable."""

from __future__ import annotations

from reader.store import Store
from reader.widgets.key_bar import KeyBar

SIZE = (160, 45)


def _hint(bar: KeyBar, description: str):
    hints, _ = bar.hints()
    return next(h for h in hints if h.description == description)


async def test_clicking_a_key_in_the_bar_presses_it(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        start, end, hint = next(r for r in bar._regions if r[2].description == "Tag claim")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        await pilot.press("enter")  # the tag dialog the key opened
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert [a.kind for a in Store.open(db_path).annotations()] == ["claim"]


async def test_keys_that_do_nothing_here_are_shown_dim_and_only_ring(make_app, db_path, monkeypatch):
    from reader.screens.reading import ReadingScreen

    # a binding its screen says is off for now (None) is shown dim; the class view's
    # keys that never work there (False) are not shown at all (tests/classroom)
    monkeypatch.setattr(ReadingScreen, "check_action",
                        lambda self, action, parameters: None if action == "tag_claim" else True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        hint = _hint(bar, "Tag claim")
        assert not hint.enabled and _hint(bar, "Find").enabled
        start, end, _ = next(r for r in bar._regions if r[2] == hint)
        assert "dim" in str(bar.render()[start:end].spans[-1].style)
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        assert app.screen_stack == [app.reading_screen]  # no dialog opened
        _, palette = bar.hints()
        assert palette is not None and bar.render().plain.rstrip().endswith("palette")
    assert Store.open(db_path).annotations() == []
