"""The read-aloud view (r): the annotation under the cursor, or highlighted in the sidebar,
a labelled field a line, its quotes whole and each naming its article; Esc, q or r closes
it; in screen-reader mode the terminal's cursor is on its first line."""

from __future__ import annotations

from textual.widgets import OptionList

from reader.anchoring import describe
from reader.model import Annotation
from reader.preferences import Preferences
from reader.screens.read_aloud import ReadAloudScreen, read_aloud_lines
from reader.screens.reading import ReadingScreen
from reader.widgets.article_pane import ArticlePane

from pilots import settle  # tests/support/pilots.py

WIDE = (160, 45)


def shown_lines(app) -> list[str]:
    fields = app.screen.query_one(OptionList)
    return [str(fields.get_option_at_index(i).prompt) for i in range(fields.option_count)]


async def test_a_contradiction_is_read_out_whole_with_both_articles(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        # the other side two sentences (J extends): longer than the sidebar shows
        await pilot.press("j", "c", "tab", "j", "j", "J", "c", *"who offered what?", "enter")
        await settle(pilot)
        first, second = app.screen.query(ArticlePane)
        [made] = app.workspace.annotations.values()
        quote_a, quote_b = (target.quote.exact for target in made.targets)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReadAloudScreen)
        assert shown_lines(app) == [
            "Kind: contradiction",
            f"Article A: {first.article.title}",
            f"Quote A: “{' '.join(quote_a.split())}”",
            f"Article B: {second.article.title}",
            f"Quote B: “{' '.join(quote_b.split())}”",
            "Note: who offered what?",
            "Author: tester",
        ]
        assert len(quote_b) > 140
        for key in ("escape", "q", "r"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, ReadingScreen), key
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ReadAloudScreen)


async def test_the_sidebars_highlighted_entry_is_read_and_the_cursor_is_on_its_first_line(make_app):
    app = make_app(preferences=Preferences(screen_reader=True))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t", "enter", "j", "j", "n", *"check this", "enter")
        await settle(pilot)
        await pilot.press("tab", "tab", "end", "r")
        await settle(pilot)
        assert isinstance(app.screen, ReadAloudScreen)
        lines = shown_lines(app)
        assert lines[0] == "Kind: note" and "Note: check this" in lines
        fields = app.screen.query_one(OptionList)
        region = fields.scrollable_content_region
        assert app.cursor_position == region.offset
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.cursor_position == region.offset + (0, 2)  # the next lines, each its own


async def test_with_no_annotation_under_the_cursor_one_line_says_so(make_app):
    app = make_app()
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("j", "r")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert [n.message for n in app._notifications][-1] == "No annotation under the cursor to read."


def test_a_claim_reads_its_tags_and_text_from_a_file_is_shown_safely():
    text = "Ships sank.\x1b[31m Then more."
    target = describe("a1", text, 0, len(text))
    claim = Annotation("claim", (target,), "ev\x07il", tags=("factual claim",), note="line one\nline two")
    lines = read_aloud_lines(claim, {"a1": "The\x1b]0;title\x07 news"})
    assert lines[:2] == ["Kind: claim", "Tags: factual claim"]
    assert lines[-2] == "Note: line one line two"
    assert all(ord(c) >= 0x20 for line in lines for c in line), lines  # controls shown as marks
    orphan = Annotation("link", (target, target), "me", anchor="orphaned")
    assert read_aloud_lines(orphan, {}) == [
        "Kind: link",
        "Relation: none",
        "Article A: not open (id a1)",
        f"Quote A: “{' '.join(lines[3][len('Quote: “'):-1].split())}”",
        "Article B: not open (id a1)",
        f"Quote B: “{' '.join(lines[3][len('Quote: “'):-1].split())}”",
        "Note: none",
        "Author: me",
        "Anchor: orphaned",
    ]
