"""The full annotation workflow with Pilot: pairs, notes, edit, delete, undo, redo, find,
mouse, library, narrow layout; each checked in the database, not only on screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, OptionList

from reader.screens.annotation_dialog import AnnotationDialog
from reader.screens.help import HelpScreen
from reader.screens.library import LibraryScreen
from reader.screens.reading import ReadingScreen
from reader.store import Store
from reader.widgets.annotation_sidebar import AnnotationSidebar, entry_text
from reader.widgets.article_pane import ArticlePane
from reader.widgets.status_bar import StatusBar

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)


def saved(db_path):
    return {a.id: a for a in Store.open(db_path).annotations()}


def status(app) -> str:
    return app.screen.query_one(StatusBar).message


async def test_contradiction_across_the_two_articles(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c")
        await settle(pilot)
        waiting = app.screen.query_one("#pending-mark")
        assert waiting.display and "first side" in str(waiting.render())
        await pilot.press("tab", "j", "j", "c")
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press(*"they disagree", "enter")
        await settle(pilot)
        [pair] = saved(db_path).values()
        left, right = app.screen.query_one("#pane-0", ArticlePane), app.screen.query_one("#pane-1", ArticlePane)
        assert pair.kind == "contradiction" and pair.note == "they disagree"
        assert [t.article_id for t in pair.targets] == [left.article.id, right.article.id]
        for target, pane in zip(pair.targets, (left, right)):
            assert pane.article.text[target.start : target.end] == target.quote.exact
        shown = entry_text(pair).plain
        assert pair.targets[0].quote.exact[:40] in shown and pair.targets[1].quote.exact[:40] in shown
        assert status(app) == ""


async def test_sidebar_enter_scrolls_both_panes_to_both_ends(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "c", "tab", "end", "c", "enter")  # the two last sentences
        await settle(pilot)
        [pair] = saved(db_path).values()
        left, right = app.screen.query_one("#pane-0", ArticlePane), app.screen.query_one("#pane-1", ArticlePane)
        await pilot.press("home", "shift+tab", "home")  # both panes back at the top
        assert left.scroll_offset.y == 0 and right.scroll_offset.y == 0
        await pilot.press("tab", "tab")
        assert app.screen.focused.id == "annotation-list"
        await pilot.press("down", "enter")
        await pilot.pause()
        for target, pane in zip(pair.targets, (left, right)):
            assert pane.selection == (target.start, target.end)
            row = pane.row_of(target.start)
            assert pane.scroll_offset.y <= row < pane.scroll_offset.y + pane.size.height
            assert pane._related == frozenset({pair.id})  # both ends emphasised


async def test_link_with_a_relation_and_a_note_in_one_dialog(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "j", "l", "shift+tab", "j", "l")
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press("down", "tab", *"both say so", "enter")
        await settle(pilot)
        [link] = saved(db_path).values()
        assert link.kind == "link" and link.relation == "corroborates" and link.note == "both say so"


async def test_note_needs_text_and_escape_cancels(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        assert isinstance(app.screen, AnnotationDialog)  # empty note refused
        await pilot.press("escape")
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("n", *"who said this?", "enter")
        await settle(pilot)
        [note] = saved(db_path).values()
        assert note.kind == "note" and note.note == "who said this?"


async def test_escape_cancels_a_half_made_pair(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "escape")
        assert app.workspace.half_mark is None and status(app) == ""
        await pilot.press("j", "c")
        assert app.workspace.half_mark is not None
        assert app.workspace.half_mark.target.quote.exact.startswith("The president")


async def test_edit_changes_the_tag_and_note_in_the_database(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        await pilot.press("e")
        assert isinstance(app.screen, AnnotationDialog) and app.screen.editing
        await pilot.press("down", "down", "tab", *"no source given", "enter")
        await settle(pilot)
        [edited] = saved(db_path).values()
        assert edited.id == claim.id
        assert edited.tags == ("unsourced claim",) and edited.note == "no source given"
        assert edited.created == claim.created and edited.modified >= claim.modified


async def test_edit_from_the_sidebar(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"first", "enter")
        await settle(pilot)
        await pilot.press("j", "tab", "tab", "down", "e")  # the cursor is elsewhere now
        assert isinstance(app.screen, AnnotationDialog)
        field = app.screen.query_one("#note", Input)
        assert field.value == "first"
        field.value = "second"
        await pilot.press("enter")
        await settle(pilot)
        [note] = saved(db_path).values()
        assert note.note == "second"


async def test_edit_opens_with_the_cursor_after_the_note_and_nothing_selected(make_app, db_path):
    """The first key typed in an edit adds to the note; it used to replace it all."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"first", "enter")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, AnnotationDialog) and app.screen.editing
        field = app.screen.query_one("#note", Input)
        assert app.screen.focused is field
        assert field.selection.is_empty and field.cursor_position == len("first")
        await pilot.press(*" draft", "enter")
        await settle(pilot)
        [note] = saved(db_path).values()
        assert note.note == "first draft"


async def test_edit_of_a_claim_keeps_its_note_when_tab_reaches_it(make_app, db_path):
    """A claim's edit starts on its tag; Tab to the note puts the cursor after it, unselected."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "tab", *"per the", "enter")
        await settle(pilot)
        await pilot.press("e", "tab")
        field = app.screen.query_one("#note", Input)
        assert app.screen.focused is field and field.value == "per the"
        assert field.selection.is_empty and field.cursor_position == len("per the")
        await pilot.press(*" ministry", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        assert claim.note == "per the ministry" and claim.tags == ("factual claim",)


async def test_delete_then_u_brings_it_back(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        await pilot.press("d")
        await settle(pilot)
        assert saved(db_path) == {}
        assert "Deleted claim" in status(app) and "u brings it back" in status(app)
        await pilot.press("u")
        await settle(pilot)
        assert saved(db_path) == {claim.id: claim}


async def test_undo_and_redo_across_actions(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "j", "n", *"a note", "enter")
        await settle(pilot)
        await pilot.press("k", "e", "down", "enter")  # edit the claim
        await settle(pilot)
        states = [dict(saved(db_path))]
        assert {a.kind for a in states[0].values()} == {"claim", "note"}
        await pilot.press("u")  # undo the edit
        await settle(pilot)
        claim = next(a for a in saved(db_path).values() if a.kind == "claim")
        assert claim.tags == ("factual claim",)
        await pilot.press("ctrl+z", "u")  # undo the note, then the claim
        await settle(pilot)
        assert saved(db_path) == {}
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        await settle(pilot)
        assert saved(db_path) == states[0]
        await pilot.press("ctrl+y")
        assert status(app) == "Nothing to redo."


async def test_mouse_drag_selects_exact_text_and_t_tags_it(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        await pilot.mouse_down("#pane-0", offset=(13, 1))
        await pilot._post_mouse_events([events.MouseMove], "#pane-0", offset=(34, 2), button=1)
        await pilot.mouse_up("#pane-0", offset=(34, 2))
        await pilot.pause()
        start, end = pane.selection
        assert pane.article.text[start:end].startswith("a summit collapsed")
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        assert claim.targets[0].quote.exact == pane.article.text[start:end]


async def test_click_in_the_sidebar_jumps(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "t", "enter", "home")
        await settle(pilot)
        [claim] = saved(db_path).values()
        pane = app.screen.query_one("#pane-0", ArticlePane)
        assert pane.selection != (claim.targets[0].start, claim.targets[0].end)
        sidebar_list = app.screen.query_one("#annotation-list", OptionList)
        await pilot.click(sidebar_list, offset=(2, 1))
        await pilot.pause()
        assert pane.selection == (claim.targets[0].start, claim.targets[0].end)


async def test_find_next_previous_and_f3(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        text = pane.article.text
        hits = [i for i in range(len(text)) if text.startswith("Kim", i)]
        await pilot.press("slash", "K", "i", "m")
        assert pane.selection == (hits[0], hits[0] + 3)
        await pilot.press("enter")
        assert pane.selection == (hits[1], hits[1] + 3)
        await pilot.press("shift+enter")
        assert pane.selection == (hits[0], hits[0] + 3)
        await pilot.press("escape")
        assert app.screen.focused is pane
        await pilot.press("f3", "f3")
        assert pane.selection == (hits[2], hits[2] + 3)
        await pilot.press("shift+f3")
        assert pane.selection == (hits[1], hits[1] + 3)
        await pilot.press("slash", "ctrl+u", *"zzzz", "enter")
        assert "Not found" in status(app)


async def test_sidebar_filter_by_kind_and_tag(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "j", "n", *"x", "enter", "j", "t", "down", "enter")
        await settle(pilot)
        sidebar = app.screen.query_one(AnnotationSidebar)
        assert len(sidebar._annotations) == 3
        await pilot.press("f", "down", "enter")  # Claims
        assert {a.kind for a in sidebar._annotations.values()} == {"claim"}
        assert len(sidebar._annotations) == 2
        await pilot.press("f")
        options = app.screen.query_one("#filters", OptionList)
        index = next(i for i in range(options.option_count)
                     if "attributed claim" in str(options.get_option_at_index(i).prompt))
        options.highlighted = index
        await pilot.press("enter")
        assert [a.tags for a in sidebar._annotations.values()] == [("attributed claim",)]


async def test_help_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(
            str(binding.description) for _, group in app.screen.groups for binding in group
        )
        reading = app.reading_screen
        for binding in ReadingScreen.BINDINGS + ArticlePane.BINDINGS:
            if reading.check_action(binding.action, ()) is False:
                assert binding.description not in shown  # a live lesson's, the class view's
                continue
            assert binding.description in shown
        await pilot.press("escape")
        assert isinstance(app.screen, ReadingScreen)


async def test_command_palette_runs_an_action(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Tag claim")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert [a.kind for a in saved(db_path).values()] == ["claim"]


async def test_library_opens_one_article(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        titles = [e.title for e in app.screen.entries]
        assert "Talks between US and North Korea collapse" in titles
        counts = {e.title: e.annotations for e in app.screen.entries}
        assert sorted(counts.values()) == [0, 1]
        # unmark both open articles, mark the second, open it alone
        await pilot.press("space", "down", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        panes = list(app.screen.query(ArticlePane))
        assert [p.article.title for p in panes] == ["Talks between US and North Korea collapse"]


async def test_undo_and_redo_outlive_opening_the_same_articles_from_the_library(make_app, db_path):
    """Undo is the session's, not a screen's: a claim made before the library opened the
    articles again is undone from screen and database, and ctrl+y brings it back."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [a.title for a in app.session.articles]
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        first = app.screen
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert [e.title for e in app.screen.entries if e.is_open] == titles  # both come marked
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen) and screen is not first
        assert [p.article.title for p in screen.query(ArticlePane)] == titles
        sidebar, bar = screen.query_one(AnnotationSidebar), screen.query_one(StatusBar)
        assert list(sidebar._annotations) == [claim.id] and bar.counts == "1 claim"
        await pilot.press("u")
        await settle(pilot)
        assert saved(db_path) == {}
        assert sidebar._annotations == {} and bar.counts == "" and status(app) == "Undone: add claim · Ctrl+Y redoes it"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert saved(db_path) == {claim.id: claim}
        assert list(sidebar._annotations) == [claim.id] and bar.counts == "1 claim"


async def test_undo_reaches_a_claim_in_an_article_no_longer_open(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")  # a claim in the first article
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("space", "enter")  # unmark the first: the second opens alone
        await settle(pilot)
        assert app.screen.query_one(StatusBar).counts == ""
        await pilot.press("u")
        await settle(pilot)
        assert saved(db_path) == {}
        await pilot.press("o")
        await settle(pilot)
        assert [e.annotations for e in app.screen.entries] == [0, 0]


async def test_each_open_from_the_library_replaces_the_reading_screen(make_app, db_path):
    """The reading screen is the base of the app's screens: opening articles puts a new one
    in its place (with nothing left under it), however many times."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first, second = (a.title for a in app.session.articles)
        await pilot.press("t", "enter")  # a claim in the first article
        await settle(pilot)
        shown = [app.screen]
        for keys, title in ((("space", "down", "space"), second), (("space", "down", "space"), first)):
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            await pilot.press(*keys, "enter")  # the other article alone
            await settle(pilot)
            assert isinstance(app.screen, ReadingScreen) and app.screen is not shown[-1]
            assert app.screen_stack == [app.screen]
            assert [p.article.title for p in app.screen.query(ArticlePane)] == [title]
            shown.append(app.screen)
        assert not any(screen.is_attached for screen in shown[:-1]), "a replaced screen was kept"
        assert app.screen.query_one(StatusBar).counts == "1 claim"  # back with its article
        await pilot.press("t", "enter")  # and the new screen saves as the first did
        await settle(pilot)
        assert [a.kind for a in saved(db_path).values()] == ["claim", "claim"]


async def test_author_is_asked_once_and_remembered(make_app, db_path):
    app = make_app(author="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#author", Input)
        field.value = "Ada"
        await pilot.press("enter")
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        assert claim.author == "Ada"
    again = make_app(author="")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ReadingScreen)
        assert again.session.author == "Ada"


async def test_a_served_session_asks_every_student_and_remembers_no_name(db_path, seeds):
    """`presscheck serve` runs the app with --ask-author: one database, many students."""
    from reader.app import PresscheckApp
    from reader.launch import prepare_session

    Store.open(db_path).set_meta("author", "the teacher")
    session = prepare_session([str(seeds)], db_path, ask_author=True)
    assert session.author == ""
    app = PresscheckApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#author", Input)
        assert field.value == ""  # no name offered: not the teacher's, not the login's
        await pilot.press("escape")  # a name is needed
        await pilot.pause()
        assert app.screen.query_one("#author", Input) is field
        field.value = "Bo"
        await pilot.press("enter")
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = saved(db_path).values()
        assert claim.author == "Bo"
    assert Store.open(db_path).get_meta("author") == "the teacher"


async def test_narrow_terminal_shows_tabs_and_toggles_the_sidebar(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.narrow
        columns = [c for c in screen.query(".article-column") if c.display and "-current" in c.classes]
        assert len(columns) == 1
        assert not screen.query_one(AnnotationSidebar).styles.display == "block" or not screen.sidebar_visible
        await pilot.press("right_square_bracket")
        assert screen.active_pane.id == "pane-1"
        await pilot.press("c", "left_square_bracket", "c", "enter")  # a pair across the tabs
        await settle(pilot)
        [pair] = saved(db_path).values()
        assert len({t.article_id for t in pair.targets}) == 2
        await pilot.press("ctrl+b")
        assert screen.sidebar_visible and screen.focused.id == "annotation-list"
        await pilot.press("ctrl+b")
        assert not screen.sidebar_visible and isinstance(screen.focused, ArticlePane)


async def test_resizing_between_wide_and_narrow_keeps_working(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for size in [(40, 12), (160, 45), (99, 30), (100, 30), (20, 5), (300, 100)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.screen.narrow == (size[0] < 100)
            await pilot.press("j", "pagedown", "k")


async def test_a_double_enter_closes_the_dialog_but_not_the_reading_screen(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        for key in ("enter", "enter"):  # both arrive before the dialog is gone
            event = events.Key(key, "\r")
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert len(saved(db_path)) == 1


async def test_export_from_the_app_writes_next_to_the_database(make_app, db_path):
    import json

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "ctrl+e")
        await pilot.pause()
        await pilot.press("enter")  # json, the first format
        await settle(pilot)
        [written] = list(db_path.parent.glob("presscheck-export-*.json"))
        assert "Exported to" in status(app) and written.name in status(app)
        document = json.loads(written.read_text())
        assert [a["kind"] for a in document["annotations"]] == ["claim"]
        await pilot.press("ctrl+e", "down", "down", "down", "enter")  # md
        await settle(pilot)
        [report] = list(db_path.parent.glob("presscheck-export-*.md"))
        assert "President Donald Trump" in report.read_text()
