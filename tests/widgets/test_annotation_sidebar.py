"""The annotation sidebar alone in a tiny host app: what it lists, grouped by kind and
filtered, and the message Enter on an entry posts."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label, OptionList

from reader.anchoring import describe
from reader.model import Annotation, article_id_for
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter

TEXT = "Bridge closed on Monday. Inspectors found cracked cables. The mayor said it reopens in May."
ARTICLE_ID = article_id_for(TEXT)


def target(quote: str):
    start = TEXT.index(quote)
    return describe(ARTICLE_ID, TEXT, start, start + len(quote))


CLAIM = Annotation("claim", (target("Bridge closed on Monday."),), "ana", tags=("date",))
PAIR = Annotation("contradiction", (target("Inspectors found"), target("The mayor said")), "ben", note="which is it?")
NOTE = Annotation("note", (target("reopens in May"),), "[bold]eve[/bold]", note="ask \x1b]0;TITLE\x07 why")


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield AnnotationSidebar()


def listed(app: Host) -> list[str]:
    """Each row of the list, as plain text."""
    options = app.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_annotations_are_listed_by_kind_with_their_quotes_and_notes():
    app = Host()
    async with app.run_test() as pilot:
        app.query_one(AnnotationSidebar).show([NOTE, CLAIM, PAIR])  # before its list is mounted
        await pilot.pause()
        rows = listed(app)
        assert rows[0::2] == ["Claims · 1", "Contradictions · 1", "Notes · 1"]
        assert rows[1] == "date — ana\n“Bridge closed on Monday.”"
        assert rows[3] == "contradiction — ben\nA “Inspectors found”\nB “The mayor said”\nwhich is it?"
        # an author's markup is shown as typed, an escape in a note as a visible mark
        assert rows[5] == "note — [bold]eve[/bold]\n“reopens in May”\nask ␛]0;TITLE␇ why"


async def test_enter_on_an_entry_posts_the_annotation_chosen():
    messages: list[object] = []
    app = Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show([CLAIM, PAIR, NOTE])
        await pilot.pause()
        sidebar.focus_list()
        sidebar.highlight(PAIR.id)
        await pilot.press("enter")
        await pilot.press("down", "enter")  # past the Notes heading, which cannot be chosen
        await pilot.pause()
    chosen = {id(m): m for m in messages if isinstance(m, AnnotationSidebar.AnnotationChosen)}
    assert [m.annotation for m in chosen.values()] == [PAIR, NOTE]
    assert all(m.control is sidebar for m in chosen.values())


async def test_a_filter_keeps_one_kind_or_one_tag_and_says_which():
    app = Host()
    async with app.run_test() as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        await pilot.pause()
        sidebar.show([CLAIM, PAIR, NOTE], SidebarFilter(kind="note"))
        await pilot.pause()
        assert str(app.query_one("#sidebar-title", Label).content) == "Annotations · notes"
        assert listed(app)[0] == "Notes · 1" and len(listed(app)) == 2
        sidebar.show([CLAIM, PAIR, NOTE], SidebarFilter(tag="absent"))
        await pilot.pause()
        assert listed(app) == ["Nothing matches the filter (tag “absent”).\nPress f to change it."]


async def test_the_highlighted_entry_stays_when_the_list_is_shown_again():
    app = Host()
    async with app.run_test() as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show([CLAIM, PAIR])
        await pilot.pause()
        sidebar.highlight(PAIR.id)
        newer = Annotation("claim", (target("The mayor said"),), "ana")
        sidebar.show([CLAIM, newer, PAIR])  # a new claim comes before it
        await pilot.pause()
        assert sidebar.highlighted_annotation == PAIR


async def test_without_annotations_it_says_how_to_make_one():
    app = Host()
    async with app.run_test() as pilot:
        app.query_one(AnnotationSidebar).show([])
        await pilot.pause()
        assert listed(app) == ["No annotations yet.\nSelect a sentence and press t to tag a claim."]


async def test_arrows_stop_at_the_first_and_last_entries_and_show_the_heading():
    """↑ on the first entry stays there (it used to wrap round to the last, so four ↑ in
    a list of four came back where they started), and the list scrolls to its top: the
    heading above the first entry shows."""
    app = Host()
    async with app.run_test(size=(60, 8)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show([CLAIM, PAIR, NOTE])
        await pilot.pause()
        sidebar.focus_list()
        options = app.query_one(OptionList)
        await pilot.press("home", "down")
        assert sidebar.highlighted_annotation == PAIR
        options.scroll_to(y=2, animate=False)  # the "Claims" heading out of sight
        await pilot.press("up", "up", "up", "up")
        await pilot.pause()
        assert sidebar.highlighted_annotation == CLAIM
        assert options.scroll_y == 0
        await pilot.press("down", "down", "down", "down")
        await pilot.pause()
        assert sidebar.highlighted_annotation == NOTE
        assert options.scroll_y == options.max_scroll_y
