"""The pane's text keeps a cell free at its right: wrapped rows never touch the scrollbar
or the column's border (the gutter and the column's padding keep the left). A click or a
drag on the last letters of a row still lands on them."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Offset
from textual.selection import Selection

from reader.model import Article, article_id_for
from reader.widgets.article_pane import ArticlePane
from reader.widgets.pane_layout import MARGIN
from reader.widgets.pane_rows import GUTTER

SENTENCES = [f"Sentence {n} says a thing about the summit in Hanoi and the talks." for n in range(30)]
TEXT = " ".join(SENTENCES) + "\n\n" + "x" * 200  # a word longer than any row, split by cells
ARTICLE = Article(id=article_id_for(TEXT), title="Margins", text=TEXT)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticlePane(ARTICLE)

    def on_mount(self) -> None:
        self.query_one(ArticlePane).focus()


def rows_drawn(pane: ArticlePane) -> list[str]:
    """Every row as drawn, gutter included, without the trailing blank cells."""
    return ["".join(segment.text for segment in pane.render_line(y)).rstrip()
            for y in range(pane.scrollable_content_region.height)]


@pytest.mark.parametrize("width", [40, 60, 80])
async def test_no_row_reaches_the_last_cell_and_the_margin_is_one_cell(width):
    app = Host()
    async with app.run_test(size=(width, 12)) as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        content = pane.scrollable_content_region.width
        assert pane.show_vertical_scrollbar  # which the text touched before
        rows = rows_drawn(pane)
        pane.scroll_end(animate=False, immediate=True)  # the long word's rows too
        await pilot.pause()
        rows += rows_drawn(pane)
        assert max(len(row) for row in rows) == content - MARGIN  # the long word fills its rows
        assert all(len(row) <= content - MARGIN for row in rows)
        first = pane.row_at(0)
        assert len(TEXT[first.start : first.end].rstrip()) <= content - GUTTER - MARGIN


async def test_a_click_on_the_last_letter_of_a_row_selects_its_sentence():
    app = Host()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        row = pane.row_at(1)
        last = len(TEXT[row.start : row.end].rstrip()) - 1  # the row's last letter
        position = row.start + last
        await pilot.click(ArticlePane, offset=(GUTTER + last, 1))
        await pilot.pause()
        sentence = next(s for s in SENTENCES if TEXT.index(s) <= position < TEXT.index(s) + len(s))
        start, end = pane.selection
        assert TEXT[start:end] == sentence


async def test_a_drag_across_a_whole_row_copies_that_row():
    app = Host()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        row = pane.row_at(2)
        shown = TEXT[row.start : row.end].rstrip()
        copied = pane.get_selection(Selection(Offset(GUTTER, 2), Offset(GUTTER + len(shown), 2)))
        assert copied == (shown, "\n")
