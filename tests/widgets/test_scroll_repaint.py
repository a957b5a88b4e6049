"""What a scroll repaints (reader/widgets/scroll_repaint.py): the lines a widget has shown
before come back as they were drawn, not drawn again, and look exactly as a widget that
never scrolled draws them; the scroll bar repaints only the rows its thumb changed; the
sidebar draws ahead the looks its next arrow key shows. The work is counted, never timed."""

from __future__ import annotations

from textual.geometry import Region
from textual.visual import Visual

from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.sidebar_list import SidebarList

from .test_many_annotations import TEXT, PaneHost, SidebarHost, many, watch_lines


def segments(lines) -> list[list[tuple[str, object]]]:
    """What lines show, style by style (the mouse's offsets and entry numbers included)."""
    return [[(segment.text, segment.style) for segment in line] for line in lines]


async def test_scrolling_back_puts_the_rows_back_as_they_were_drawn():
    annotations = many(300)
    app = PaneHost(annotations)
    async with app.run_test(size=(70, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        height = pane.scrollable_content_region.height
        pane.scroll_to(y=height, animate=False, immediate=True)  # a page down, every row new
        await pilot.pause()
        pane.scroll_to(y=3, animate=False, immediate=True)
        await pilot.pause()
        repainted, drawn = watch_lines(pane)
        pane.scroll_to(y=0, animate=False, immediate=True)  # three rows up: all of them shown before
        await pilot.pause()
        assert sorted(repainted) == list(range(height))  # Textual repaints the whole view
        assert drawn == []  # but every row comes back as it was drawn
        shown = pane.render_lines(Region(0, 0, pane.size.width, pane.size.height))

    fresh = PaneHost(annotations)  # a pane that never scrolled draws the same
    async with fresh.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        other = fresh.query_one(ArticlePane)
        assert segments(other.render_lines(Region(0, 0, other.size.width, other.size.height))) == segments(shown)


async def test_a_row_whose_look_changed_out_of_view_is_drawn_again_not_put_back():
    annotations = many(300)
    start = TEXT.index("Paragraph 0 sentence 2")
    app = PaneHost(annotations)
    async with app.run_test(size=(70, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        pane.scroll_to(y=pane.scrollable_content_region.height, animate=False, immediate=True)
        await pilot.pause()
        pane.set_selection(start, start + 30, scroll=False)  # selected out of view
        await pilot.pause()
        repainted, drawn = watch_lines(pane)
        pane.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert pane.row_of(start) in drawn  # its row looks otherwise now: drawn again
        shown = pane.render_lines(Region(0, 0, pane.size.width, pane.size.height))

    fresh = PaneHost(annotations)
    async with fresh.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        other = fresh.query_one(ArticlePane)
        other.set_selection(start, start + 30)
        await pilot.pause()
        assert segments(other.render_lines(Region(0, 0, other.size.width, other.size.height))) == segments(shown)


async def test_a_scroll_repaints_the_scroll_bar_only_where_its_thumb_changed():
    app = PaneHost(many(300))
    async with app.run_test(size=(70, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        bar = pane.vertical_scrollbar
        refreshed: list[tuple[Region, ...]] = []
        refresh = bar.refresh
        bar.refresh = lambda *regions, **kw: refreshed.append(regions) or refresh(*regions, **kw)
        pane.scroll_to(y=pane.max_scroll_y // 2, animate=False, immediate=True)
        await pilot.pause()
        rows = [region.y for regions in refreshed for region in regions]
        assert refreshed and all(refreshed) and rows  # rows, never the whole bar
        assert len(set(rows)) < bar.size.height
        assert bar.position == pane.scroll_offset.y


async def test_the_sidebar_shifts_its_lines_on_a_scroll_and_draws_ahead_what_an_arrow_shows(monkeypatch):
    app = SidebarHost()
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show(many(300))
        await pilot.pause()
        entries = sidebar.query_one(SidebarList)
        entries.focus()
        entries.highlighted = 1
        await pilot.pause()
        for _ in range(12):  # down to where every ↓ scrolls the list
            await pilot.press("down")
        await pilot.pause()
        worded: list[bool] = []  # an entry worded: while a frame was drawn?
        to_strips = Visual.to_strips.__func__

        def wording(cls, widget, *args, **kwargs):
            worded.append(widget is entries and entries._frame is not None)
            return to_strips(cls, widget, *args, **kwargs)

        monkeypatch.setattr(Visual, "to_strips", classmethod(wording))
        for _ in range(4):
            top = entries.scroll_offset.y
            repainted, drawn = watch_lines(entries)
            before = len(worded)
            await pilot.press("down")
            await entries.app.animator.wait_until_complete()
            moved = entries.scroll_offset.y - top
            lines = entries._line_cache
            reached = lines.index_to_line[entries.highlighted] - entries.scroll_offset.y
            left = lines.index_to_line[entries.highlighted - 1] - entries.scroll_offset.y
            assert moved > 0 and len(repainted) == entries.scrollable_content_region.height
            # drawn anew: the entry left, no longer highlighted, and the entry reached; the
            # lines that scrolled up come back as they were
            assert set(drawn) == set(range(left, reached + lines.heights[entries.highlighted]))
            assert not any(worded[before:])  # their looks were drawn ahead: none worded in the frame
            await pilot.pause()
