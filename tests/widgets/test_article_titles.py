"""The tabs of a narrow terminal share their row: each label cut with "…" to its share
(what a short one leaves goes to the others), the whole name on hover; an article named by
its source has its first sentence beside its name, in its tab and over its pane."""

from __future__ import annotations

import pytest
from textual.widgets import Label, Tab, Tabs

from reader.widgets.article_titles import LABEL_MIN, TAB_PADDING, label_rooms, tab_label, tab_labels

from pilots import settle  # tests/support/pilots.py

SEED_NAME = "000 1aa975c49d58f58c"
SEED_FIRST = "President Donald Trump confirmed on Thursday that the North Korea summit collapsed because Kim…"
SEED_TITLE = "Talks between US and North Korea collapse"


def test_each_label_gets_its_share_and_a_short_one_leaves_the_rest_to_the_others():
    assert label_rooms([60, 60], 80) == [38, 38]
    assert label_rooms([10, 80], 80) == [10, 66]
    assert label_rooms([10, 60], 80) == [10, 60]
    assert label_rooms([10, 10], 80) == [10, 10]
    assert label_rooms([60, 60, 60, 60], 40) == [8, 8, 8, 8]
    assert label_rooms([60, 60, 60, 60], 12) == [LABEL_MIN] * 4  # never cut to nothing


@pytest.mark.parametrize("width", [20, 40, 60, 80, 99])
def test_the_labels_of_long_titles_fit_the_row_together(width):
    names = [(SEED_NAME, SEED_FIRST), (SEED_TITLE, "")]
    labels = tab_labels(names, width)
    assert sum(label.cell_len + TAB_PADDING for label in labels) <= width
    for label, (title, _) in zip(labels, names, strict=True):
        assert title.startswith(label.plain) or label.plain.endswith("…")


def test_a_label_says_its_subtitle_only_when_enough_of_it_is_seen():
    assert tab_label(SEED_NAME, SEED_FIRST, 200).plain == f"{SEED_NAME} · {SEED_FIRST}"
    assert tab_label(SEED_NAME, SEED_FIRST, 38).plain == f"{SEED_NAME} · President Dona…"
    assert tab_label(SEED_NAME, SEED_FIRST, 30).plain == SEED_NAME  # 7 cells of it would say nothing
    assert tab_label(SEED_NAME, SEED_FIRST, 18).plain == "000 1aa975c49d58f…"
    assert tab_label("[bold]x\x1b[2J", "", 20).plain == "[bold]x␛[2J"  # a file's name is text


def _tab_cells(app) -> list[tuple[int, int]]:
    return [(tab.region.x, tab.region.right) for tab in app.screen.query(Tab)]


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_both_seed_tabs_are_on_screen_the_whole_names_on_hover(make_app, seeds, tmp_path, size):
    # the first seed saved under a name that reads (the seed's own, a hash, names nothing)
    named = tmp_path / "hanoi-summit_report.txt"
    named.write_bytes((seeds / "000_1aa975c49d58f58c.txt").read_bytes())
    app = make_app([str(named), str(seeds / "001_1c2accc8ffba02b5.txt")])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#article-tabs", Tabs)
        assert tabs.display
        cells = _tab_cells(app)
        assert len(cells) == 2 and all(0 <= left < right <= size[0] for left, right in cells)
        first, second = app.screen.query(Tab)
        assert first.label.plain.startswith("hanoi summit"[:LABEL_MIN - 1]) and first.label.plain.endswith("…")
        assert second.label.plain.startswith("Talks between"[:LABEL_MIN - 1])
        assert first.tooltip.plain == f"hanoi summit report · {SEED_FIRST}"
        assert second.tooltip.plain == SEED_TITLE
        title = app.screen.query_one("#column-0 .article-title", Label)
        assert str(title.render()).startswith("hanoi summit report · President Donald")


async def test_the_tabs_share_the_row_again_after_a_resize(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        narrow = [tab.label.plain for tab in app.screen.query(Tab)]
        await pilot.resize_terminal(90, 24)
        await settle(pilot)
        wide = [tab.label.plain for tab in app.screen.query(Tab)]
        assert all(len(w) > len(n) for n, w in zip(narrow, wide, strict=True))
        assert all(right <= 90 for _, right in _tab_cells(app))
