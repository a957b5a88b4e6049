"""The reading screen with hundreds of annotations on the open articles: a cursor move
leaves the sidebar's entries as they are (it moves the sidebar's highlight only), and the
pane emphasises the annotation under its cursor itself, without waiting for the screen's
answer (drawn with the sidebar's scroll, its few rows would cost a repaint of the whole
screen). Checked by state, never timed."""

from __future__ import annotations

import random

from reader.anchoring import describe
from reader.ingest import load_article
from reader.model import Annotation
from reader.screens.reading import ReadingScreen
from reader.store import Store
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.sidebar_list import SidebarList

from pilots import settle  # tests/support/pilots.py


def _stored(seeds, db_path, per_article: int = 200) -> None:
    """`per_article` claims and notes on each seed article, in the database the app opens."""
    articles = [load_article(path) for path in sorted(seeds.glob("*.txt"))]
    rng = random.Random(5)
    annotations = []
    for article in articles:
        for index in range(per_article):
            start = rng.randrange(len(article.text) - 200)
            target = describe(article.id, article.text, start, start + rng.randint(10, 150))
            annotations.append(Annotation("claim" if index % 2 else "note", (target,), "ann", note="n"))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db_path)
    store.put_many(articles, annotations)
    store.close()


async def test_a_cursor_move_keeps_the_sidebars_entries_and_emphasises_without_waiting_for_the_screen(
    make_app, seeds, db_path, monkeypatch
):
    _stored(seeds, db_path)
    emphasised_when_answered: list[bool] = []
    answer = ReadingScreen._update_related

    def answered(screen, pane=None):
        if pane is not None:
            emphasised_when_answered.append(pane._related == frozenset(pane.annotations_under_cursor()[:1]))
        return answer(screen, pane)

    monkeypatch.setattr(ReadingScreen, "_update_related", answered)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, 0.2)
        pane = app.screen.query_one("#pane-0", ArticlePane)
        entries = app.screen.query_one(SidebarList)
        listed = list(entries.options)
        assert len(listed) > 400
        emphasised_when_answered.clear()  # the first cursor, placed after the first frame
        emphasised = set()
        for _ in range(12):
            await pilot.press("j")
            await settle(pilot)
            emphasised |= pane._related
        # the pane emphasised the annotation under its cursor itself, before the screen
        # answered: its rows are drawn in a frame of their own, not with the sidebar's
        assert emphasised and emphasised_when_answered == [True] * 12
        assert all(now is before for now, before in zip(entries.options, listed, strict=True))


async def test_the_sidebar_follows_the_cursor_once_the_panes_rows_are_drawn(make_app, seeds, db_path, monkeypatch):
    """The sidebar's highlight moves after the frame that shows the cursor's move: its
    scroll repaints the whole list, and drawn in the same frame it held the cursor back."""
    _stored(seeds, db_path)
    events: list[tuple[str, object]] = []
    draw, highlight = ArticlePane.render_lines, AnnotationSidebar.highlight

    def drawing(pane, crop):
        events.append(("pane drawn", pane.selection))
        return draw(pane, crop)

    def following(sidebar, annotation_id):
        events.append(("sidebar follows", annotation_id))
        return highlight(sidebar, annotation_id)

    moved = ArticlePane._cursor_moved

    def answered_at_once(pane, before):
        # the screen's answer may come before the frame (the message's way up is a race):
        # here it always does, and the sidebar must still wait for the frame
        moved(pane, before)
        pane.screen._update_related(pane)

    monkeypatch.setattr(ArticlePane, "render_lines", drawing)
    monkeypatch.setattr(AnnotationSidebar, "highlight", following)
    monkeypatch.setattr(ArticlePane, "_cursor_moved", answered_at_once)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, 0.2)
        pane = app.screen.query_one("#pane-0", ArticlePane)
        entries = app.screen.query_one(SidebarList)
        followed = 0
        for _ in range(12):
            events.clear()
            await pilot.press("j")
            await settle(pilot)
            under = pane.annotations_under_cursor()[:1]
            if not under:
                continue
            followed += 1
            assert entries.highlighted_option is not None and entries.highlighted_option.id == under[0]
            drawn = events.index(("pane drawn", pane.selection))
            assert drawn < events.index(("sidebar follows", under[0]))
        assert followed
