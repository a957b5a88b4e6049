"""What the first frame holds, and what comes a frame later (issue 10: the first frame).

The first frame is the article: columns, titles, panes, the sidebar's frame, the status
and key bars. The widgets hidden at the start (the find bar, the tabs of a wide terminal,
an idle source loader), the sidebar's list and the cursor's first sentence follow once
that frame is drawn; nothing the reader does may be lost in between."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.compose import compose
from textual.widgets import OptionList, Tabs

from reader.anchoring import describe
from reader.model import Annotation
from reader.screens.reading import ReadingScreen
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.find_bar import FindBar
from reader.widgets.source_loader import SourceLoader

WIDE, NARROW = (160, 45), (80, 30)


def _names(widgets) -> set[str]:
    names = set()
    for widget in widgets:
        names.add(type(widget).__name__)
        names |= _names(widget._pending_children)
    return names


async def test_the_first_frame_is_the_article_and_the_rest_follows(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        first = _names(compose(ReadingScreen(app.workspace)))
        assert {"ArticlePane", "AnnotationSidebar", "StatusBar", "KeyBar"} <= first
        assert not first & {"FindBar", "Tabs", "SourceLoader", "OptionList"}
        await pilot.pause()
        screen = app.screen
        assert screen.query(FindBar) and screen.query(Tabs) and screen.query(SourceLoader)
        assert screen.query_one(AnnotationSidebar).query(OptionList)
        assert all(pane.cursor_placed for pane in screen.query(ArticlePane))
        assert screen.query_one("#pane-0", ArticlePane).selection is not None


async def test_a_narrow_terminal_shows_its_tabs_in_the_first_frame(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        assert "Tabs" in _names(compose(ReadingScreen(app.workspace)))
        await pilot.pause()
        assert len(app.screen.query(Tabs)) == 1  # not mounted a second time


async def test_the_cursor_asked_for_before_it_is_drawn_is_the_first_sentence(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        placed = app.screen.query_one("#pane-0", ArticlePane).selection
        fresh = ArticlePane(app.session.articles[0])
        assert not fresh.cursor_placed
        assert fresh.selection == placed  # found on demand, not left empty
        assert fresh.cursor_placed


async def test_a_screen_replaced_before_its_first_frame_mounts_nothing_later(make_app):
    """What a reading screen leaves for after its first frame is queued on the app: if
    another session replaces the screen first (a feed's entry opened at once), it still
    runs, after the new screen's first refresh, on a screen whose widgets are gone."""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        replaced = app.screen
        await app.switch_screen(ReadingScreen(app.workspace))
        await pilot.pause()
        assert not replaced.is_attached
        await replaced._furnish()  # as the late callback runs it
        assert app.is_running and not replaced.query("*")
        assert app.screen.query(FindBar)


async def test_find_pressed_at_once_waits_for_the_find_bar(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"Hanoi", "enter")  # no pause: the bar may not exist yet
        await pilot.pause()
        pane = app.screen.query_one("#pane-0", ArticlePane)
        assert pane.selected_text.lower() == "hanoi"


async def test_find_pressed_as_the_find_bar_is_mounted_waits_for_its_field(make_app):
    """The instant the find bar is in the screen but its field not yet (tmux found it: / at
    once in a small terminal), / waits for the field rather than opening a bar without one."""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.query_one(FindBar).remove()
        screen._furnished.clear()
        mounting = screen.mount(FindBar(id="find-bar"), before="#status")  # its field comes later
        screen.action_find()
        await mounting
        screen._furnished.set()
        await pilot.pause()
        assert app.is_running
        assert screen.query_one(FindBar).has_class("-open")


class SidebarApp(App[None]):
    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__()
        self.annotations = annotations

    def compose(self) -> ComposeResult:
        yield AnnotationSidebar()

    def on_mount(self) -> None:
        sidebar = self.query_one(AnnotationSidebar)
        sidebar.show(self.annotations)  # before its list is mounted
        sidebar.highlight(self.annotations[1].id)


async def test_what_the_sidebar_is_told_before_its_list_exists_is_shown(seeds):
    from reader.ingest import load_article

    article = load_article(next(seeds.glob("*.txt")))
    claims = [
        Annotation(kind="claim", targets=(describe(article.id, article.text, start, start + 20),),
                   tags=("factual claim",), author="ann")
        for start in (0, 100, 200)
    ]
    app = SidebarApp(claims)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(AnnotationSidebar)
        option_list = sidebar.query_one(OptionList)
        assert [option_list.get_option_at_index(i).id for i in range(1, 4)] == [c.id for c in claims]
        assert sidebar.highlighted_annotation == claims[1]


async def test_page_down_in_a_sidebar_list_with_no_room_does_nothing(seeds):
    # Textual's OptionList raised KeyError here (its line index is only built with room)
    from reader.ingest import load_article

    article = load_article(next(seeds.glob("*.txt")))
    claims = [
        Annotation(kind="claim", targets=(describe(article.id, article.text, start, start + 20),),
                   tags=("factual claim",), author="ann")
        for start in range(0, 600, 50)
    ]
    app = SidebarApp(claims)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.styles.height = 1  # the title's row only: the list gets none
        await pilot.pause()
        sidebar.show(list(reversed(claims)))
        option_list = sidebar.query_one(OptionList)
        option_list.highlighted = 5
        option_list.focus()
        await pilot.press("pagedown", "pageup")
        assert app.is_running and option_list.highlighted == 5
