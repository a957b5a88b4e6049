"""With many annotations open, a key does the work of what it changes, not of everything
shown: the pane finds a row's highlights without looking at the others, repaints the rows
the cursor left and reached, the sidebar repaints the entries its highlight left and
reached, and listing the annotations again wraps only the entries that changed. The work is
counted, never timed."""

from __future__ import annotations

import random

from textual.app import App, ComposeResult

from reader.anchoring import describe
from reader.model import Annotation, Article, article_id_for
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.highlight_index import Highlight, HighlightIndex
from reader.widgets.sidebar_list import SidebarList

import pane_host  # tests/support/pane_host.py

TEXT = "\n\n".join(
    " ".join(f"Paragraph {p} sentence {s} says the bridge reopens in May." for s in range(4)) for p in range(60)
)
ARTICLE = Article(id=article_id_for(TEXT), title="Bridge", text=TEXT)


def many(count: int, seed: int = 3) -> list[Annotation]:
    """`count` annotations of every kind, on spans of every length, all over the article."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        kind = ("claim", "contradiction", "link", "note")[index % 4]
        targets = []
        for _ in range(2 if kind in ("contradiction", "link") else 1):
            start = rng.randrange(len(TEXT) - 400)
            targets.append(describe(ARTICLE.id, TEXT, start, start + rng.choice([5, 40, 150, 390])))
        made.append(Annotation(kind, tuple(targets), f"student-{index % 7}", note="why?" if kind == "note" else ""))
    return made


def test_the_index_finds_what_a_scan_of_every_highlight_finds():
    rng = random.Random(11)
    highlights = []
    for number in range(600):
        start = rng.randrange(20_000)
        length = rng.choice([0, 1, 7, 60, 255, 256, 257, 900, 5_000])
        highlights.append(Highlight(start, start + length, "claim", f"a{number % 450}"))
    index = HighlightIndex(highlights)
    in_order = sorted(highlights, key=lambda h: (h.start, h.end))
    for _ in range(2_000):
        start = rng.randrange(21_000)
        end = start + rng.choice([1, 2, 60, 256, 700])
        assert index.overlapping(start, end) == [h for h in in_order if h.start < end and h.end > start]
    assert index.overlapping(500, 500) == []
    assert sorted(index.of(["a3", "a7"])) == sorted(h for h in highlights if h.annotation_id in ("a3", "a7"))
    assert len(index) == 600 and list(index) == in_order


class PaneHost(pane_host.PaneHost):
    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__(ARTICLE, annotations)


def paragraph(number: int) -> Annotation:
    """A note over the whole of paragraph `number`: several rows."""
    start = TEXT.index(f"Paragraph {number} sentence 0")
    end = TEXT.index(f"Paragraph {number} sentence 3")
    return Annotation("note", (describe(ARTICLE.id, TEXT, start, TEXT.index(".", end) + 1),), "ann")


async def test_a_cursor_move_repaints_only_the_rows_of_what_it_left_and_what_it_reached():
    first, second = paragraph(0), paragraph(1)
    later = [a for a in many(400) if a.targets[0].start > TEXT.index("Paragraph 12")]
    app = PaneHost([first, second, *later])
    async with app.run_test(size=(70, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.press("j", "j", "j")  # the last sentence of the first paragraph
        await pilot.pause()
        assert pane._related == {first.id}  # emphasised: the annotation under the cursor
        before = pane.selection
        repainted, drawn = watch_lines(pane)
        await pilot.press("j")  # into the second paragraph: the emphasis passes to its note
        await pilot.pause()
        after = pane.selection
        assert before is not None and after is not None and pane.scroll_offset.y == 0
        assert pane._related == {second.id}
        spans = [before, after, *((t.start, t.end) for a in (first, second) for t in a.targets)]
        rows = {row for start, end in spans for row in range(pane.row_of(start), pane.row_of(end - 1) + 1)}
        assert set(repainted) == rows  # and not the other rows in view
        # drawn anew: the rows whose look is new; the first paragraph's, no longer
        # emphasised, look as in the first frame, and come back as drawn then
        assert drawn and set(drawn) < rows


def watch_lines(widget) -> tuple[list[int], list[int]]:
    """The lines of `widget`'s view Textual repaints from now on, and those of them drawn
    anew (the others are put back as they were drawn before: scroll_repaint.py)."""
    repainted: list[int] = []
    drawn: list[int] = []
    shown, draw = widget.line_shown, widget.render_line
    widget.line_shown = lambda y: repainted.append(y) or shown(y)
    widget.render_line = lambda y: drawn.append(y) or draw(y)
    return repainted, drawn


async def test_a_new_annotation_repaints_only_the_rows_of_its_span():
    app = PaneHost(many(400))
    async with app.run_test(size=(70, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        painted: list[int] = []
        draw = pane.render_line
        pane.render_line = lambda y: painted.append(y) or draw(y)  # type: ignore[method-assign]
        start = TEXT.index("Paragraph 3 sentence 1")
        added = Annotation("claim", (describe(ARTICLE.id, TEXT, start, start + 90),), "zoe")
        pane.set_annotations([*app.annotations, added])
        await pilot.pause()
        assert set(painted) == set(range(pane.row_of(start), pane.row_of(start + 89) + 1))
        assert [h.annotation_id for h in pane.highlights_at(start, start + 90)].count(added.id) == 1


class SidebarHost(App[None]):
    def compose(self) -> ComposeResult:
        yield AnnotationSidebar()


async def showing(pilot, annotations: list[Annotation]) -> tuple[AnnotationSidebar, SidebarList]:
    """The host's sidebar showing `annotations`, and its list."""
    sidebar = pilot.app.query_one(AnnotationSidebar)
    sidebar.show(annotations)
    await pilot.pause()
    return sidebar, sidebar.query_one(SidebarList)


async def test_moving_the_sidebar_highlight_repaints_only_the_entry_left_and_the_one_reached():
    app = SidebarHost()
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar, entries = await showing(pilot, many(300))
        entries.focus()
        entries.highlighted = 1  # the first claim, under its heading
        await pilot.pause()
        repainted, drawn = watch_lines(entries)
        await pilot.press("down")
        await pilot.pause()
        assert entries.highlighted == 2 and entries.scroll_offset.y == 0
        lines = entries._line_cache
        first, second = lines.index_to_line[1], lines.index_to_line[2]
        assert sorted(repainted) == list(range(first, second + lines.heights[2]))
        assert drawn
        repainted.clear()
        drawn.clear()
        await pilot.press("up")  # both entries look as they looked before: put back, not drawn
        await pilot.pause()
        assert sorted(repainted) == list(range(first, second + lines.heights[2]))
        assert entries.highlighted == 1 and drawn == []


async def test_listing_the_annotations_again_wraps_only_the_entries_that_changed(monkeypatch):
    annotations = many(300)
    app = SidebarHost()
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar, entries = await showing(pilot, annotations)
        listed = {option.id: option for option in entries.options if option.id}
        wrapped: list[str] = []  # entries measured (their lines counted at the list's width)
        height = SidebarList._entry_height
        monkeypatch.setattr(SidebarList, "_entry_height",
                            lambda self, option, *a: wrapped.append(option.prompt.plain) or height(self, option, *a))
        added = Annotation("claim", (describe(ARTICLE.id, TEXT, 0, 9),), "zoe", tags=("new one",))
        sidebar.show([*annotations, added])
        await pilot.pause()
        assert sorted(wrapped) == ["Claims · 76", "new one — zoe\n“Paragraph”"]  # not the 301 others
        assert all(entries.get_option(a.id) is listed[a.id] for a in annotations)  # the same entries, kept


def test_an_entrys_height_counted_from_its_text_is_the_height_textual_counts():
    """The list is laid out from heights counted from the entries' text (no `Content`
    made): they must be Textual's own, or the lines drawn would not be the lines laid out.
    Wide characters, emoji, combining marks, words longer than the width, blank lines."""
    from rich.text import Text
    from textual.widgets.option_list import Option

    from reader.widgets.annotation_sidebar import entry_text

    async def check() -> None:
        app = SidebarHost()
        async with app.run_test():
            entries = app.query_one(AnnotationSidebar)
            listing = SidebarList()
            await entries.mount(listing)
            rng = random.Random(4)
            words = ["a", "bridge", "東京都", "😀😀", "x" * 45, "Straße", "naïve", "…", "e\u0301", "\u200b"]
            texts = [entry_text(a) for a in many(80)]
            for _ in range(150):
                text = Text(" ".join(rng.choices(words, k=rng.randint(0, 30))))
                text.append("\n" + " ".join(rng.choices(words, k=rng.randint(0, 12))) + ("\n" if rng.random() < 0.3 else ""))
                texts.append(text)
            for text in texts:
                option = Option(text)
                for width in (1, 2, 7, 19, 36, 61):
                    counted = listing._entry_height(option, listing.styles, width)
                    assert counted == listing._get_visual(option).get_height(listing.styles, width), (text.plain, width)

    import asyncio

    asyncio.run(check())


async def test_a_thousand_entries_are_laid_out_in_slices_and_a_highlight_waits_for_them(monkeypatch):
    """Listed before the list is drawn (as the reading screen lists them at start), the
    entries are laid out a slice at a time; a highlight moved meanwhile does not lay out the
    rest at once (the key that moved it would wait for all of it): the list scrolls to it
    once the slices are done."""
    from reader.widgets import sidebar_list

    monkeypatch.setattr(sidebar_list, "LAY_OUT_SLICE", 0.0)  # an entry a slice
    annotations = many(1000)
    last = [a for a in annotations if a.kind == "note"][-1]

    class Listed(SidebarHost):
        def on_mount(self) -> None:
            self.query_one(AnnotationSidebar).show(annotations)

    app = Listed()
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(AnnotationSidebar)
        entries = sidebar.query_one(SidebarList)
        assert 0 < len(entries._line_cache.lines) and not entries._laid_out()
        sidebar.highlight(last.id)
        assert entries.highlighted_option.id == last.id and not entries._laid_out()  # nothing more laid out
        monkeypatch.setattr(sidebar_list, "LAY_OUT_SLICE", 1.0)  # the next slice does the rest
        await pilot.pause(0.2)
        assert entries._laid_out()
        line = entries._line_cache.index_to_line[entries.highlighted]
        assert entries.scroll_offset.y <= line < entries.scroll_offset.y + entries.size.height
