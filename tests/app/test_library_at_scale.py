"""The library of a big database opens without doing per-article work it does not show:
the list is laid out without wording an entry (each is one line, as Textual would lay it
out), only the lines drawn are worded and only their entries made (an untitled article's
text read); the screen beneath is dimmed as Textual dims it, cell for cell; the cycle
collector waits until the library is drawn; the screen is styled once. A library that
cannot be read is one toast. Checked by state, never timed."""

from __future__ import annotations

import gc

import pytest
from textual.renderables.background_screen import BackgroundScreen
from textual._context import visible_screen_stack
from textual.css.stylesheet import Stylesheet
from textual.visual import RichVisual
from textual.widgets import OptionList

import reader.catalogue
from reader.errors import DatabaseError
from reader.screens.library import ArticleChecklist, LibraryEntries, LibraryEntry, LibraryScreen, library_entry
from reader.screens.reading import ReadingScreen
from reader.widgets.backdrop import Backdrop

from pilots import settle  # tests/support/pilots.py
from stored_library import stored_library  # tests/support/stored_library.py

STORED = 300


def _stored(db_path, count: int = STORED) -> None:
    stored_library(db_path, count)


def _cells(strips) -> list[list[tuple[str, object]]]:
    """Each row as (character, style) pairs: the same drawing however it is segmented."""
    return [[(char, segment.style) for segment in strip for char in segment.text] for strip in strips]


async def test_a_big_library_words_and_makes_only_the_lines_it_draws(make_app, db_path):
    _stored(db_path)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        checklist = screen.query_one(ArticleChecklist)
        rows = checklist.scrollable_content_region.height
        assert checklist.option_count == STORED + 2 and rows < 40
        assert f"Library · {STORED + 2} articles" in str(screen.query_one(".dialog-title").render())
        assert 0 < checklist.wording.worded <= rows
        assert 0 < screen.entries.made <= rows
        await pilot.press("end")
        await settle(pilot)
        assert checklist.highlighted == STORED + 1
        assert checklist.wording.worded <= 2 * rows and screen.entries.made <= 2 * rows
        lines = [str(checklist.get_option_at_index(index).prompt) for index in (STORED - 3, STORED - 1)]
        assert lines[0].startswith("untitled 0297 · An untitled article, number 297, opens"), lines
        assert lines[1].startswith("Stored article 0299 · untitled-0299.txt · "), lines


async def test_each_entry_is_one_line_as_textual_lays_it_out(make_app, db_path):
    stored_library(db_path, 40, [
        ("標題" * 40 + "\n\nA wide title, cut to the room.", "/library/wide.txt"),
        ("A\ttab and a\x1b[2J bell\x07 in a very long title that goes on and on\n\nText.", "/library/hostile.txt"),
    ])
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        checklist = app.screen.query_one(ArticleChecklist)
        ours = list(checklist._line_cache.lines)
        assert ours == [(index, 0) for index in range(checklist.option_count)]
        checklist._line_cache.clear()
        OptionList._update_lines(checklist)  # Textual's own: measures every entry's line
        assert list(checklist._line_cache.lines) == ours


async def test_the_screen_beneath_is_dimmed_as_textual_dims_it(make_app, db_path):
    _stored(db_path, 10)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("t", "enter")  # a highlight, a tag and a count beneath
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        beneath = app.screen_stack[-2]
        assert isinstance(screen, LibraryScreen) and isinstance(beneath, ReadingScreen)
        visible_screen_stack.set(list(app._background_screens))
        assert isinstance(screen.render(), Backdrop)
        color, style = screen.styles.background, screen.visual_style
        ours = Backdrop(beneath, color).render_strips(160, 45, style, None)
        textuals = RichVisual(screen, BackgroundScreen(beneath, color)).render_strips(160, 45, style, None)
        assert len(ours) == 45
        assert _cells(ours) == _cells(textuals)


async def test_the_collector_waits_until_the_library_is_drawn(make_app, db_path, monkeypatch):
    _stored(db_path, 10)
    collecting_while_composed: list[bool] = []
    compose = LibraryScreen.compose

    def composed(screen):
        collecting_while_composed.append(gc.isenabled())
        return compose(screen)

    monkeypatch.setattr(LibraryScreen, "compose", composed)
    app = make_app()
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert collecting_while_composed == [False]
            assert gc.isenabled()  # drawn: it runs again
            await pilot.press("escape")
            await settle(pilot)
            gc.disable()  # held by someone else (the app's start): left to them
            await pilot.press("o")
            await settle(pilot)
            assert collecting_while_composed == [False, False]
            assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_library_is_styled_once_with_its_size_class_from_the_start(make_app, db_path, monkeypatch):
    _stored(db_path, 10)
    restyled: list[str] = []
    update_nodes = Stylesheet.update_nodes

    def counted(stylesheet, nodes, animate=False):
        nodes = list(nodes)
        restyled.extend(type(node).__name__ for node in nodes if isinstance(node, LibraryScreen))
        return update_nodes(stylesheet, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    for size, size_class in (((160, 45), "-tall"), ((80, 24), "-short"), ((40, 12), "-short")):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert app.screen.has_class(size_class)
            assert restyled == []  # neither its first resume nor its first resize restyles it


async def test_a_library_that_cannot_be_read_is_one_toast_and_the_app_goes_on(make_app, monkeypatch):
    def broken(store):
        raise DatabaseError("annotations.json: cannot read the database (Input/output error)")

    monkeypatch.setattr(reader.catalogue, "catalogue", broken)
    app = make_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert [str(n.message) for n in app._notifications][-1] == (
            "The library failed: DatabaseError: annotations.json: cannot read the database (Input/output error)")
        assert gc.isenabled()
        await pilot.press("j")
        assert app.is_running


class Unreadable:
    """A stored article whose text file cannot be read just now."""

    id, title, source, published, annotations = "c" * 16, "council vote", "/x/council-vote.txt", "", 2

    @property
    def text(self) -> str:
        raise DatabaseError("annotations.json: cannot read the database")


def test_an_entry_whose_text_does_not_read_is_listed_without_its_opening():
    entry = library_entry(Unreadable(), 2, False)  # type: ignore[arg-type]
    assert (entry.title, entry.subtitle, entry.source) == ("council vote", "", "council-vote.txt")


def test_library_entries_make_each_stored_article_once_and_list_the_ready_ones_after():
    stored = [Unreadable(), Unreadable()]
    stored[1] = type("Other", (Unreadable,), {"id": "d" * 16, "title": "Other title"})()
    feed = LibraryEntry("feed:0", "A feed entry", "Feed", 0, False, feed_entry=True)
    entries = LibraryEntries(stored, {"d" * 16}, [feed])
    assert len(entries) == 3 and entries.made == 0
    assert entries.values() == ["c" * 16, "d" * 16, "feed:0"]
    assert entries.marks() == [False, True, False]
    assert entries.made == 0
    assert entries[-1] is feed and entries[1].title == "Other title" and entries[1].is_open
    assert entries[1] is entries[1] and entries.made == 1
    assert [e.title for e in entries] == ["council vote", "Other title", "A feed entry"]
    assert entries[1:] == [entries[1], feed]
    with pytest.raises(IndexError):
        entries[3]
