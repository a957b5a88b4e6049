"""With many annotations open, a key does the work of what it changes, not of everything
shown: the pane finds a row's highlights without looking at the others, repaints the rows
the cursor left and reached, the sidebar repaints the entries its highlight left and
reached, and listing the annotations again wraps only the entries that changed. The work is
counted, never timed."""

from __future__ import annotations

import random

from textual.app import App, ComposeResult
from textual.content import Content

from reader.anchoring import describe
from reader.model import Annotation, Article, article_id_for
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.highlight_index import Highlight, HighlightIndex
from reader.widgets.sidebar_list import SidebarList

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


class PaneHost(App[None]):
    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__()
        self.annotations = annotations

    def compose(self) -> ComposeResult:
        yield ArticlePane(ARTICLE)

    def on_mount(self) -> None:
        pane = self.query_one(ArticlePane)
        pane.set_annotations(self.annotations)
        pane.focus()


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
        painted: list[int] = []
        draw = pane.render_line
        pane.render_line = lambda y: painted.append(y) or draw(y)  # type: ignore[method-assign]
        await pilot.press("j")  # into the second paragraph: the emphasis passes to its note
        await pilot.pause()
        after = pane.selection
        assert before is not None and after is not None and pane.scroll_offset.y == 0
        assert pane._related == {second.id}
        spans = [before, after, *((t.start, t.end) for a in (first, second) for t in a.targets)]
        rows = {row for start, end in spans for row in range(pane.row_of(start), pane.row_of(end - 1) + 1)}
        assert set(painted) == rows  # and not the other rows in view


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


async def test_moving_the_sidebar_highlight_repaints_only_the_entry_left_and_the_one_reached():
    annotations = many(300)
    app = SidebarHost()
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show(annotations)
        await pilot.pause()
        entries = sidebar.query_one(SidebarList)
        entries.focus()
        entries.highlighted = 1  # the first claim, under its heading
        await pilot.pause()
        painted: list[int] = []
        draw = entries.render_line
        entries.render_line = lambda y: painted.append(y) or draw(y)  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause()
        assert entries.highlighted == 2 and entries.scroll_offset.y == 0
        lines = entries._line_cache
        first, second = lines.index_to_line[1], lines.index_to_line[2]
        assert sorted(painted) == list(range(first, second + lines.heights[2]))


async def test_listing_the_annotations_again_wraps_only_the_entries_that_changed(monkeypatch):
    annotations = many(300)
    app = SidebarHost()
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show(annotations)
        await pilot.pause()
        entries = sidebar.query_one(SidebarList)
        listed = {option.id: option for option in entries.options if option.id}
        wrapped: list[str] = []
        height = Content.get_height
        monkeypatch.setattr(Content, "get_height", lambda self, *a, **k: wrapped.append(self.plain) or height(self, *a, **k))
        added = Annotation("claim", (describe(ARTICLE.id, TEXT, 0, 9),), "zoe", tags=("new one",))
        sidebar.show([*annotations, added])
        await pilot.pause()
        wrapped.remove("Annotations")  # the sidebar's title, set again
        assert sorted(wrapped) == ["Claims · 76", "new one — zoe\n“Paragraph”"]  # not the 301 others
        assert all(entries.get_option(a.id) is listed[a.id] for a in annotations)  # the same entries, kept
