"""The reading pane alone in a tiny host app: what its keys and clicks post, and how it
draws highlights, the class's heat, folded furniture and control characters."""

from __future__ import annotations

import re

from rich.color import Color
from textual.app import App, ComposeResult
from textual.geometry import Offset
from textual.selection import Selection

from reader.anchoring import describe
from reader.model import Annotation, Article, article_id_for
from reader.widgets.article_pane import ArticlePane

from pane_host import PaneHost  # tests/support/pane_host.py

TEXT = (
    "Bridge closed on Monday. Inspectors found cracked cables.\n\n"
    "The mayor said it reopens in May.\n\n"
    "A bell\x07 rang, an escape \x1b[31m came, and [bold]markup[/bold] stayed text.\n\n"
    "Share this story\nFollow us for more"
)
FIRST = "Bridge closed on Monday."
SECOND = "Inspectors found cracked cables."
THIRD = "The mayor said it reopens in May."
HOSTILE = "A bell"
FURNITURE = (TEXT.index("Share this"), len(TEXT))
ARTICLE = Article(id=article_id_for(TEXT), title="Bridge", text=TEXT, furniture=(FURNITURE,))
GUTTER = 3

RED, BLUE, GREEN = Color.parse("#ff0000"), Color.parse("#0000ff"), Color.parse("#00ff00")


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def annotation(kind: str, quote: str) -> Annotation:
    return Annotation(kind, (describe(ARTICLE.id, TEXT, *span(quote)),), "tester", note="n" if kind == "note" else "")


class Host(PaneHost):
    """One focused pane; each highlight kind its own background, so that they can be told
    apart in what is drawn."""

    CSS = """
    ArticlePane > .article-pane--claim { background: #ff0000; }
    ArticlePane > .article-pane--note { background: #0000ff; }
    ArticlePane > .article-pane--heat-4 { background: #00ff00; }
    ArticlePane > .article-pane--cursor { text-style: underline; }
    ArticlePane > .article-pane--match { text-style: italic; }
    ArticlePane > .article-pane--match-current { text-style: reverse; }
    """

    def __init__(self, annotations: list[Annotation] | None = None) -> None:
        super().__init__(ARTICLE, annotations or [])


def chosen(messages: list[object]) -> list[tuple[int, int]]:
    """The spans of the SelectionChanged messages posted, in order (the hook sees a message
    at each node it bubbles through: it is counted once)."""
    posted = {id(m): m for m in messages if isinstance(m, ArticlePane.SelectionChanged)}
    return [(m.start, m.end) for m in posted.values()]


def drawn(pane: ArticlePane, offset: int) -> list[tuple[str, object]]:
    """(character, style) of the row that shows code point `offset`, gutter included."""
    strip = pane.render_line(pane.row_of(offset) - pane.scroll_offset.y)
    return [(character, segment.style) for segment in strip for character in segment.text]


def text_of(cells: list[tuple[str, object]]) -> str:
    return "".join(character for character, _ in cells)


async def test_moving_the_cursor_posts_the_selected_span():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        await pilot.pause()
        assert chosen(messages) == [span(FIRST)]  # the first sentence, once it is found
        await pilot.press("j")
        await pilot.press("J")  # shift: the selection grows from the sentence it was on
        await pilot.press("k")
        await pilot.pause()
    assert chosen(messages)[1:] == [
        span(SECOND),
        (span(SECOND)[0], span(THIRD)[1]),
        span(SECOND),
    ]


async def test_the_cursor_does_not_stop_in_folded_furniture_and_x_shows_it():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.press("G")
        await pilot.pause()
        assert TEXT[slice(*chosen(messages)[-1])].startswith(HOSTILE)  # the last sentence before it
        fold = text_of(drawn(pane, FURNITURE[0]))
        assert fold.strip() == "▸ 2 lines of page furniture — x to show"
        await pilot.press("x", "G")
        await pilot.pause()
        assert TEXT[slice(*chosen(messages)[-1])] == "Follow us for more"
        assert "Share this story" in text_of(drawn(pane, FURNITURE[0]))


async def test_highlights_are_drawn_per_kind_with_their_gutter_marks():
    app = Host([annotation("claim", SECOND), annotation("note", THIRD)])
    async with app.run_test() as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        row = drawn(pane, span(SECOND)[0])
        assert text_of(row).startswith("C  " + FIRST)  # one row: both sentences of the paragraph
        claim = row[GUTTER + span(SECOND)[0] : GUTTER + span(SECOND)[1]]
        assert {style.bgcolor for _, style in claim} == {RED}
        assert {style.bgcolor for _, style in row[GUTTER : GUTTER + len(FIRST)]} != {RED}
        note = drawn(pane, span(THIRD)[0])
        assert text_of(note).startswith("N  " + THIRD)
        assert {style.bgcolor for _, style in note[GUTTER : GUTTER + len(THIRD)]} == {BLUE}
        # the cursor, on the first sentence, has its own style and no highlight's
        cursor = row[GUTTER : GUTTER + len(FIRST)]
        assert all(style.underline for _, style in cursor)
        assert not any(style.underline for _, style in claim)


async def test_an_orphaned_annotation_and_one_of_another_article_are_not_drawn():
    other = Annotation("claim", (describe("0" * 16, TEXT, *span(SECOND)),), "tester")
    orphan = annotation("note", THIRD).edited(anchor="orphaned")
    app = Host([other, orphan])
    async with app.run_test() as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        assert text_of(drawn(pane, span(SECOND)[0])).startswith("   " + FIRST)
        assert text_of(drawn(pane, span(THIRD)[0])).startswith("   " + THIRD)
        assert pane.highlights_at(0, len(TEXT)) == []


async def test_control_characters_and_markup_are_drawn_as_visible_text():
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = text_of(drawn(app.query_one(ArticlePane), span(HOSTILE)[0]))
        assert "A bell␇ rang, an escape ␛[31m came, and [bold]markup[/bold] stayed text." in shown
        assert not any(ord(character) < 0x20 for character in shown)


async def test_the_class_heat_colours_the_text_and_counts_students_in_the_gutter():
    app = Host([annotation("claim", SECOND)])
    async with app.run_test() as pilot:
        pane = app.query_one(ArticlePane)
        pane.set_heat([(*span(THIRD), 4)], students=4)
        await pilot.pause()
        heat = drawn(pane, span(THIRD)[0])
        assert text_of(heat).startswith(" 4 " + THIRD)
        assert {style.bgcolor for _, style in heat[GUTTER : GUTTER + len(THIRD)]} == {GREEN}
        assert text_of(drawn(pane, span(SECOND)[0])).startswith("   ")  # counts replace kind marks


async def test_a_click_selects_the_sentence_under_it():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        row = pane.row_of(span(THIRD)[0])
        await pilot.click(ArticlePane, offset=(GUTTER + 5, row))
        await pilot.pause()
        assert chosen(messages)[-1] == span(THIRD)
        column = GUTTER + span(SECOND)[0] + 3  # a few letters into the second sentence
        await pilot.click(ArticlePane, offset=(column, pane.row_of(0)))
        await pilot.pause()
        assert chosen(messages)[-1] == span(SECOND)


async def test_a_mouse_selection_maps_back_to_the_canonical_text():
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        pane = app.query_one(ArticlePane)
        row = pane.row_of(span(HOSTILE)[0])
        start = GUTTER + len("A bell")
        # x counts characters: the BEL and the escape are one character each, as drawn
        copied = pane.get_selection(Selection(Offset(start, row), Offset(start + 20, row)))
        assert copied == ("\x07 rang, an escape \x1b[", "\n")


async def test_the_finds_matches_are_marked_and_the_current_one_drawn_over_them():
    app = Host()
    async with app.run_test() as pilot:
        pane = app.query_one(ArticlePane)
        await pilot.pause()
        matches = pane.search.search(re.compile("ma", re.IGNORECASE))
        assert matches is not None and len(matches) == 3  # mayor, May, markup
        may = (TEXT.index("May."), TEXT.index("May.") + 2)
        pane.search.show(may)
        await pilot.pause()
        row = drawn(pane, may[0])
        styles = {TEXT[start:end]: row[GUTTER + start - span(THIRD)[0]][1] for start, end in [span("mayor"), may]}
        assert styles["mayor"].italic and not styles["mayor"].reverse  # a match
        assert styles["Ma"].reverse  # the current match
        pane.search.search(None)  # the find bar closed: nothing marked
        await pilot.pause()
        assert not any(style.italic or style.reverse for _, style in drawn(pane, may[0]) if style)


async def test_scrolling_to_a_place_deep_in_a_long_article_shows_it_once_the_view_is_drawn():
    """The view a scroll lands on may start in a chunk not wrapped yet, above the place's
    own: drawing wraps it, and the place's row moves. The place must still be in view
    (a find in the 5 MB article landed 70 rows off)."""
    import random

    rng = random.Random(3)
    words = ["summit", "talks", "denuclearization", "a", "the", "interpreter", "of", "sanctions"]
    # short paragraphs and long ones: a chunk's estimated row count is off until it is wrapped
    paragraphs = [" ".join(rng.choices(words, k=rng.choice([3, 5, 90, 200]))).capitalize() + "."
                  for _ in range(6000)]
    text = "\n\n".join(paragraphs)
    article = Article(id=article_id_for(text), title="Long", text=text)

    class LongHost(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticlePane(article)

    app = LongHost()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ArticlePane)
        layout = pane._ensure_layout()
        # places right after a chunk starts, far from the top (background wrapping starts
        # at the top): the view they are centred in begins in the chunk above, not wrapped
        starts = layout._bounds[-60:-5:6]
        assert starts, "the article is not long enough to have chunks"
        for start in starts:
            offset = text.find(" ", start + 5) + 1
            pane.scroll_to_offset(offset, center=True)
            await pilot.pause()
            top, height = pane.scroll_offset.y, pane.scrollable_content_region.height
            assert top <= pane.row_of(offset) < top + height, (start, top, pane.row_of(offset))
