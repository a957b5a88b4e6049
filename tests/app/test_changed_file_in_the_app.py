"""A file edited after it was annotated, in the app: its annotations are on the new text when
it opens, the status bar says how many moved, and the library lists the file once."""

from __future__ import annotations

import shutil

from reader.screens.library import LibraryScreen
from reader.widgets.annotation_sidebar import entry_text
from reader.widgets.status_bar import StatusBar

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)


async def test_reopening_an_edited_file(make_app, db_path, seeds, tmp_path):
    path = tmp_path / "report.txt"
    shutil.copyfile(sorted(seeds.glob("*.txt"))[1], path)
    app = make_app([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "t", "enter")
        await settle(pilot)
        (claim,) = app.workspace.annotations.values()
    path.write_text("A correction, added on top.\n\n" + path.read_text("utf-8"), "utf-8")

    app = make_app([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (moved,) = app.workspace.annotations.values()
        assert moved.id == claim.id and moved.anchor == "moved"
        (article,) = app.workspace.articles
        assert article.text[moved.targets[0].start:moved.targets[0].end] == claim.targets[0].quote.exact
        status = str(app.screen.query_one(StatusBar).render())
        assert "report.txt changed since it was annotated; its annotation: 1 moved" in status
        assert "(moved)" in entry_text(moved).plain  # what the sidebar shows for it
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert [e.annotations for e in app.screen.entries] == [1]  # the old text is not listed
