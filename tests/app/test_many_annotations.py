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
