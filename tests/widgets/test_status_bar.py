"""The status bar: the save state always, then the last message whole, then the counts,
the author and the database, each in the longest form that fits the width; a message too
long for the line wraps (never lost, never cut without "…"). The wording per width, then
the widget alone in a tiny host app."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from reader.widgets.status_bar import MAX_LINES, Part, count_forms, status_lines, where_forms
from reader.widgets.status_bar import StatusBar

FOUR = "1 claim · 1 contradiction · 1 link · 1 note"
DB = "/home/ana/work/annotations/annotations.json"


def bar_and_cut(width: int, message: str = "", counts: str = FOUR, author: str = "ana",
                save: str = "✓ saved") -> tuple[list[str], bool]:
    """The bar's lines, as plain text, for these parts at `width`, and whether the message
    had to be cut."""
    head = [(save, "bold")] + ([(message, "bold")] if message else [])
    tail = [Part(count_forms(counts), ""), Part([author, ""], "italic"), Part(where_forms(DB, home="/home/ana"), "dim")]
    lines, cut = status_lines(head, tail, width)
    return [line.plain for line in lines], cut


def bar_at(width: int, message: str = "", **parts: str) -> list[str]:
    return bar_and_cut(width, message, **parts)[0]


def squeezed(text: str) -> str:
    """`text` without its white space: the words as they follow each other across lines."""
    return "".join(text.split())


def test_the_counts_have_a_long_a_short_and_no_form():
    assert count_forms(FOUR) == [FOUR, "1C 1X 1L 1N", ""]
    assert count_forms("2 claims · 1 note") == ["2 claims · 1 note", "2C 1N", ""]
    assert count_forms("12 claims") == ["12 claims", "12C", ""]


def test_a_database_path_is_shortened_to_its_name_then_left_out():
    assert where_forms(DB, home="/home/ana") == ["~/work/annotations/annotations.json", "~/…/annotations.json",
                                                  "annotations.json", ""]
    assert where_forms("/srv/db.json", home="/home/ana") == ["/srv/db.json", "…/db.json", "db.json", ""]
    assert where_forms("annotations/annotations.json", home="/home/ana") == [
        "annotations/annotations.json", "…/annotations.json", "annotations.json", ""]
    assert where_forms("key → lesson/key.json", home="/home/ana") == [
        "key → lesson/key.json", "key → …/key.json", "key → key.json", ""]
    assert where_forms("kept on the lesson's server") == ["kept on the lesson's server", ""]


@pytest.mark.parametrize(
    ("width", "line"),
    [
        (160, " ✓ saved │ 1 claim · 1 contradiction · 1 link · 1 note │ ana │ ~/work/annotations/annotations.json"),
        (90, " ✓ saved │ 1 claim · 1 contradiction · 1 link · 1 note │ ana │ ~/…/annotations.json"),
        (80, " ✓ saved │ 1 claim · 1 contradiction · 1 link · 1 note │ ana │ annotations.json"),
        (60, " ✓ saved │ 1 claim · 1 contradiction · 1 link · 1 note │ ana"),
        (50, " ✓ saved │ 1C 1X 1L 1N │ ana │ annotations.json"),  # the name fits again beside the letters
        (40, " ✓ saved │ 1C 1X 1L 1N │ ana"),
        (24, " ✓ saved │ 1C 1X 1L 1N"),
        (12, " ✓ saved"),
    ],
)
def test_without_a_message_the_database_gives_way_first_then_the_counts_words_then_the_author(width, line):
    assert bar_at(width) == [line]


@pytest.mark.parametrize(
    ("width", "line"),
    [
        (120, " ✓ saved │ Tagged claim: factual claim │ 1 claim · 1 contradiction · 1 link · 1 note │ ana │ "
              "~/…/annotations.json"),
        (80, " ✓ saved │ Tagged claim: factual claim │ 1C 1X 1L 1N │ ana │ annotations.json"),
        (60, " ✓ saved │ Tagged claim: factual claim │ 1C 1X 1L 1N │ ana"),
        (40, " ✓ saved │ Tagged claim: factual claim"),
    ],
)
def test_the_message_comes_whole_after_the_save_state(width, line):
    assert bar_at(width, "Tagged claim: factual claim") == [line]


def test_a_message_longer_than_the_line_wraps_whole_with_what_fits_after_it():
    message = "Exported to /home/ana/work/annotations/presscheck-export-20261201-234857.json"
    assert bar_at(80, message) == [
        " ✓ saved │ Exported to",
        " /home/ana/work/annotations/presscheck-export-20261201-234857.json │ 1C 1X 1L 1N",
    ]
    lines = bar_at(40, message)
    assert len(lines) == 3 and all(len(line) <= 40 for line in lines)
    assert squeezed(" ".join(lines)).startswith(squeezed("✓ saved │ " + message))
    assert "…" not in "".join(lines)


def test_a_message_too_long_even_for_three_lines_ends_with_an_ellipsis_and_says_so():
    message = "word " * 40
    head = [("✓ saved", "bold"), (message, "bold")]
    lines, cut = status_lines(head, [], 40)
    assert cut and len(lines) == MAX_LINES and lines[-1].plain.endswith("…")
    assert all(len(line.plain) <= 40 for line in lines)
    _, cut = status_lines([("✓ saved", "bold"), ("word " * 10, "bold")], [], 40)
    assert not cut


def test_a_failed_save_is_whole_whatever_the_width():
    reason = "✗ not saved: [Errno 28] No space left on device"
    lines = bar_at(40, save=reason)
    assert " ".join(line.strip() for line in lines).startswith(reason)


@pytest.mark.parametrize("width", [12, 20, 30, 40, 50, 60, 70, 80, 100, 120, 160])
@pytest.mark.parametrize("message", ["", "Undone: add claim · ctrl+y redoes it",
                                     "Deleted claim “Kim Jong Un demanded a total reversal” · u brings it back"])
def test_no_line_is_ever_wider_than_the_bar_and_no_word_of_the_message_is_lost(width, message):
    lines, cut = bar_and_cut(width, message)
    assert all(len(line) <= width for line in lines) and len(lines) <= MAX_LINES
    shown = " ".join(lines)
    assert shown.lstrip().startswith("✓ saved")
    if cut:  # too long for three lines: it ends with "…" (and the widget shows it in a toast)
        assert shown.endswith("…") and width < 30
    else:
        assert squeezed(message) in squeezed(shown)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar("annotations/annotations.json", "ana")


def drawn(bar: StatusBar, y: int = 0) -> str:
    return "".join(segment.text for segment in bar.render_line(y)).rstrip()


async def test_it_shows_the_save_state_author_database_and_counts():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        await pilot.pause()
        bar = app.query_one(StatusBar)
        assert drawn(bar) == " ✓ saved │ ana │ annotations/annotations.json"
        bar.counts = "2 claims · 1 note"
        bar.message = "Mark the other side"
        await pilot.pause()
        assert drawn(bar) == " ✓ saved │ Mark the other side │ 2 claims · 1 note │ ana │ annotations/annotations.json"


async def test_saving_and_a_failed_save_are_shown_until_saved_again():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.save_state = "saving"
        await pilot.pause()
        assert drawn(bar).startswith(" … saving │ ana")
        bar.save_state = "the disk is full"
        await pilot.pause()
        assert drawn(bar).startswith(" ✗ not saved: the disk is full │ ana")
        bar.save_state = "saved"
        await pilot.pause()
        assert drawn(bar).startswith(" ✓ saved")


async def test_untrusted_names_are_shown_as_text_and_an_unknown_author_is_said():
    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.author = ""
        bar.message = "opened [bold]x[/bold] \x1b[2J"
        await pilot.pause()
        assert drawn(bar) == " ✓ saved │ opened [bold]x[/bold] ␛[2J │ no author yet │ annotations/annotations.json"
        bar.author = "\x1b]0;TITLE\x07eve"
        await pilot.pause()
        assert "␛]0;TITLE␇eve" in drawn(bar)


async def test_a_long_message_takes_a_second_line_and_gives_it_back():
    app = Host()
    async with app.run_test(size=(40, 6)) as pilot:
        bar = app.query_one(StatusBar)
        assert bar.size.height == 1
        bar.message = "a message far too long for a bar of forty cells"
        await pilot.pause()
        assert bar.size.height == 2
        assert drawn(bar, 0) == " ✓ saved │ a message far too long for a"
        assert drawn(bar, 1) == " bar of forty cells │ ana"
        bar.message = ""
        await pilot.pause()
        assert bar.size.height == 1 and drawn(bar) == " ✓ saved │ ana │ …/annotations.json"


async def test_a_message_too_long_for_three_lines_is_shown_whole_in_a_toast():
    app = Host()
    async with app.run_test(size=(30, 8)) as pilot:
        bar = app.query_one(StatusBar)
        bar.message = "Undone: add claim · ctrl+y redoes it"  # three lines at most: no toast
        await pilot.pause()
        assert not list(app._notifications)
        long = "Exported to /home/ana/work/annotations/presscheck-export-20261201-234857.json"
        bar.message = long
        await pilot.pause()
        assert bar.size.height == MAX_LINES and drawn(bar, MAX_LINES - 1).endswith("…")
        assert [n.message for n in app._notifications] == [long]
