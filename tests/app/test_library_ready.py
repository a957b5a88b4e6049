"""The library made ready while the reader reads (`ReadyLibrary`), so that `o` has only to
show it: made once the reading screen is furnished, taken by `o`, made again when what it
lists changed (a save here, a save by another process, another size of terminal); its
lines drawn straight into strips, the same as Textual draws them; the rows of the screen
beneath kept while that screen draws the same, and not laid out again by the library's
first resize. Checked by state, never timed."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import SelectionList

import reader.catalogue
from reader.anchoring import describe
from reader.model import Annotation
from reader.screens.library import ArticleChecklist, LibraryScreen, ReadyLibrary
from reader.screens.reading import ReadingScreen
from reader.store import Store
from reader.widgets.backdrop import Beneath

from pilots import settle  # tests/support/pilots.py
from stored_library import stored_library  # tests/support/stored_library.py

HOSTILE = "A\ttab and a\x1b[2J bell\x07 in a very long title that goes on and on"


def _stored(db_path, count: int) -> list:
    """`count` stored articles, then one with a wide title and one with control characters."""
    return stored_library(db_path, count, [("標題" * 40 + "\n\nA wide title, cut to the room.", "/library/wide.txt"),
                                           (f"{HOSTILE}\n\nText.", "/library/hostile.txt")])


async def _until(pilot, condition, rounds: int = 400) -> None:
    """Let the app run until `condition()` holds (a bounded number of short pauses)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


def _ready(app) -> ReadyLibrary | None:
    """The reading screen's library, once its screen is made ready (None before)."""
    reading = app.screen
    ready = getattr(reading, "_library", None)
    return ready if isinstance(reading, ReadingScreen) and ready is not None and ready._screen is not None else None


def _lines(app) -> list[str]:
    checklist = app.screen.query_one(ArticleChecklist)
    return [str(checklist.get_option_at_index(i).prompt) for i in range(checklist.option_count)]


@pytest.mark.parametrize("size", [(160, 45), (80, 24), (40, 12)])
async def test_each_line_is_drawn_as_textual_draws_it(make_app, db_path, size, monkeypatch):
    _stored(db_path, 40)
    drawn: list[int] = []
    draw = ArticleChecklist._draw
    monkeypatch.setattr(ArticleChecklist, "_draw", lambda self, index, *rest: drawn.append(index) or draw(
        self, index, *rest))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("space", "down", "down", "space", "down")  # two marked, the highlight on a third
        await settle(pilot)
        checklist = app.screen.query_one(ArticleChecklist)
        checklist._mouse_hovering_over = 1
        rows = checklist.scrollable_content_region.height
        for end in (False, True):  # the first lines, then the last (the wide and hostile titles)
            if end:
                checklist.scroll_end(animate=False)
                await settle(pilot)
            for y in range(rows):
                ours = list(ArticleChecklist.render_line(checklist, y))
                checklist._drawn_lines = None
                theirs = list(SelectionList.render_line(checklist, y))
                assert ours == theirs, f"line {y}"
        assert len(set(drawn)) >= rows  # drawn here, not left to Textual


async def test_the_library_is_made_ready_while_the_reader_reads_and_o_shows_it(make_app, db_path, monkeypatch):
    _stored(db_path, 30)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await _until(pilot, lambda: _ready(app) is not None)
        made = _ready(app)._screen
        assert app.stylesheet.has_source(*made._checklist._get_default_css()[0][0])  # its styles read
        catalogued: list[object] = []
        catalogue = reader.catalogue.catalogue
        monkeypatch.setattr(reader.catalogue, "catalogue", lambda store: catalogued.append(store) or catalogue(store))
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is made and catalogued == []
        assert f"Library · {30 + 2 + 2} articles" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")
        await settle(pilot)
        await _until(pilot, lambda: _ready(app) is not None)  # made ready again for the next `o`
        again = _ready(app)._screen
        assert again is not made
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is again and catalogued == []  # nothing changed: the same entries


async def test_counts_changed_here_or_by_another_process_are_listed(make_app, db_path):
    articles = _stored(db_path, 5)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await _until(pilot, lambda: _ready(app) is not None)
        made = _ready(app)._screen
        await pilot.press("t", "enter")  # a claim on the open article, saved
        await settle(pilot)
        await _until(pilot, lambda: _ready(app) is not None and _ready(app)._screen is not made)  # made again
        remade = _ready(app)._screen
        other = Store.open(db_path)  # another presscheck annotates a stored article
        text = articles[1].text
        other.put_annotation(Annotation(kind="claim", targets=(describe(articles[1].id, text, 0, 6),), author="b"))
        other.close()
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is not remade  # made again at once: the database changed since
        lines = _lines(app)
        open_title = app.screen_stack[-2].workspace.articles[0].title
        [open_line] = [line for line in lines if line.startswith(open_title[:20])]
        [stored_line] = [line for line in lines if line.startswith("Stored article 0001")]
        assert open_line.endswith(" · 1 annotation") and stored_line.endswith(" · 1 annotation")


async def test_a_library_made_ready_at_another_size_is_made_again(make_app, db_path):
    _stored(db_path, 10)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await _until(pilot, lambda: _ready(app) is not None)
        made = _ready(app)._screen
        assert made.has_class("-tall")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is not made and isinstance(app.screen, LibraryScreen)
        assert app.screen.has_class("-short") and not app.screen.has_class("-tall")


async def test_a_library_that_cannot_be_made_ready_says_why_on_o(make_app, db_path, monkeypatch):
    from reader.errors import DatabaseError

    def broken(store):
        raise DatabaseError("annotations.json: cannot read the database (Input/output error)")

    monkeypatch.setattr(reader.catalogue, "catalogue", broken)
    app = make_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(20):  # what the reading screen makes ready fails, quietly
            await pilot.pause(0.02)
        assert app._notifications == [] or all("library" not in str(n.message) for n in app._notifications)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert str(list(app._notifications)[-1].message).startswith("The library failed: DatabaseError")


async def test_the_rows_beneath_are_kept_while_the_screen_beneath_draws_the_same(make_app, db_path):
    _stored(db_path, 5)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        reading = app.screen
        beneath = Beneath.of(reading)
        beneath.keep()
        kept = beneath.rows()
        assert beneath.keep() and beneath.rows() is kept  # nothing drawn anew: the rows kept
        await pilot.press("down")  # the cursor moves: a pane draws other lines
        await settle(pilot)
        rows = beneath.rows()
        assert rows is not kept and rows != kept
        assert rows == reading._compositor.render_strips()


async def test_the_librarys_first_resize_lays_out_only_the_library(make_app, db_path, monkeypatch):
    _stored(db_path, 5)
    laid_out: list[str] = []
    refresh_layout = Screen._refresh_layout

    def counted(screen, *args, **kwargs):
        laid_out.append(type(screen).__name__)
        return refresh_layout(screen, *args, **kwargs)

    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "ReadingScreen" not in laid_out and "LibraryScreen" in laid_out
        laid_out.clear()
        await pilot.resize_terminal(100, 30)  # a real resize: the screen beneath follows
        await settle(pilot)
        assert "ReadingScreen" in laid_out
        assert app.screen_stack[-2].size == (100, 30)


async def test_the_rows_held_for_a_dialogs_first_frame_are_looked_at_again_after(make_app, db_path, monkeypatch):
    _stored(db_path, 5)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        beneath = Beneath.of(app.screen)
        looks: list[int] = []
        renders_now = Beneath._renders_now
        monkeypatch.setattr(Beneath, "_renders_now", lambda self: looks.append(1) or renders_now(self))
        beneath.hold()
        held = beneath.rows()
        assert len(looks) == 1 and held == app.screen._compositor.render_strips()
        assert beneath.rows() == held and len(looks) == 2  # looked at again


def test_the_rows_kept_do_not_keep_their_screen_alive():
    import gc
    from weakref import ref

    screen = Screen()
    gone = ref(screen)
    Beneath.of(screen)
    del screen
    gc.collect()
    assert gone() is None
