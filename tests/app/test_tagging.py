"""The tagging flow driven with Pilot, checked on screen and in the database."""

from __future__ import annotations

from textual.widgets import OptionList

from reader.screens.annotation_dialog import AnnotationDialog as TagPicker
from reader.sentences import SentenceIndex
from reader.store import Store
from reader.widgets.article_pane import ArticlePane

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)


def _sentences(article, count):
    index = SentenceIndex(article.text, article.furniture)
    span = index.first()
    spans = [span]
    for _ in range(count - 1):
        span = index.after(span)
        spans.append(span)
    return spans


async def test_opening_screen_shows_both_articles_and_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        panes = list(app.screen.query(ArticlePane))
        assert [p.article.title for p in panes] == [
            "President Donald Trump confirmed on Thursday that the North Korea summit collapsed because Kim…",
            "Talks between US and North Korea collapse",
        ]
        assert app.screen.focused is panes[0]
        assert panes[0].selection == _sentences(panes[0].article, 1)[0]
        assert app.screen.query_one("#sidebar").display


async def test_tag_a_claim_saves_highlights_and_lists_it(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        second = _sentences(pane.article, 2)[1]
        await pilot.press("j")
        assert pane.selection == second
        await pilot.press("t")
        assert isinstance(app.screen, TagPicker)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, TagPicker)

        saved = Store.open(db_path).annotations()
        assert len(saved) == 1
        claim = saved[0]
        assert claim.kind == "claim" and claim.tags == ("attributed claim",)
        assert claim.author == "tester"
        target = claim.targets[0]
        assert (target.start, target.end) == second
        assert pane.article.text[target.start : target.end] == target.quote.exact

        assert [h.annotation_id for h in pane.highlights_at(*second)] == [claim.id]
        entries = app.screen.query_one("#annotation-list", OptionList)
        assert entries.get_option(claim.id) is not None
        assert app.save_state == "saved"


async def test_escape_in_the_picker_saves_nothing(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, TagPicker)
        assert Store.open(db_path).annotations() == []


async def test_shift_down_extends_the_selection_by_sentences(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one("#pane-0", ArticlePane)
        first, second, third = _sentences(pane.article, 3)
        await pilot.press("shift+down", "shift+down")
        assert pane.selection == (first[0], third[1])
        await pilot.press("shift+up")
        assert pane.selection == (first[0], second[1])
        await pilot.press("t", "enter")
        await settle(pilot)
        [claim] = Store.open(db_path).annotations()
        assert claim.targets[0].quote.exact == pane.article.text[first[0] : second[1]]
        await pilot.press("down")
        assert pane.selection == third  # a plain move collapses the selection


async def test_tab_moves_focus_pane_pane_sidebar_and_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        order = []
        for _ in range(3):
            order.append(app.screen.focused.id)
            await pilot.press("tab")
        order.append(app.screen.focused.id)
        assert order == ["pane-0", "pane-1", "annotation-list", "pane-0"]
        await pilot.press("shift+tab")
        assert app.screen.focused.id == "annotation-list"


async def test_claim_in_the_right_pane_and_jump_from_the_sidebar(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "end", "t", "enter")  # the last sentence of the right article
        await settle(pilot)
        right = app.screen.query_one("#pane-1", ArticlePane)
        [claim] = Store.open(db_path).annotations()
        assert claim.targets[0].article_id == right.article.id
        assert "world will continue to watch" in claim.targets[0].quote.exact

        await pilot.press("home")  # move away, then jump back from the sidebar
        assert right.selection != (claim.targets[0].start, claim.targets[0].end)
        await pilot.press("tab")
        assert app.screen.focused.id == "annotation-list"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert right.selection == (claim.targets[0].start, claim.targets[0].end)
        row = right.row_of(claim.targets[0].start)
        assert right.scroll_offset.y <= row < right.scroll_offset.y + right.size.height


async def test_relaunch_shows_saved_claims(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "t", "enter")
        await settle(pilot)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the sidebar's list is mounted just after the first frame
        pane = again.screen.query_one("#pane-0", ArticlePane)
        [claim] = Store.open(db_path).annotations()
        assert pane.highlights_at(claim.targets[0].start, claim.targets[0].end)
        assert again.screen.query_one("#annotation-list", OptionList).get_option(claim.id)


async def test_quit_waits_for_the_save_in_flight(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "q")
        await pilot.pause()
    assert len(Store.open(db_path).annotations()) == 1


async def test_furniture_is_folded_and_x_shows_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        right = app.screen.query_one("#pane-1", ArticlePane)
        await pilot.press("tab", "end")
        last = right.selection
        assert "Follow Concrete" not in right.article.text[last[0] : last[1]]
        rows_folded = right.virtual_size.height
        await pilot.press("x")
        await pilot.pause()
        assert right.virtual_size.height > rows_folded
        await pilot.press("end")
        last = right.selection
        assert "ConcreteUEA" in right.article.text[last[0] : last[1]]
