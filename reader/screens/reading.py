"""The reading screen: articles side by side, the annotation sidebar, the status bar.

It shows the app's `Workspace` and sends it the keys' commands; the annotating keys are in
`annotating.py`, the keys for the session as a whole (library, export) in `session_actions.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Label

from reader.ingest.sanitize import display_line
from reader.launch import login_name
from reader.model import Annotation, Article
from reader.screens.annotating import AnnotatingActions
from reader.screens.find_actions import FindActions
from reader.screens.lesson_actions import LessonActions
from reader.screens.session_actions import SessionActions
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_titles import label_tabs, tab_labels, title_text
from reader.widgets.key_bar import KeyBar, key_named
from reader.widgets.plain_containers import PlainBackground, PlainHorizontal, PlainVertical
from reader.widgets.status_bar import StatusBar
from reader.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from textual.widgets import Tabs

    from reader.widgets.find_bar import FindBar
    from reader.widgets.source_loader import SourceLoader
    from reader.workspace import Merged, Workspace

PLURALS = {"claim": "claims", "contradiction": "contradictions", "link": "links", "note": "notes"}
NARROW_WIDTH = 100
"""Below this many columns the articles become tabs and the sidebar hides."""


def article_index(widget_id: str | None) -> str:
    """The open article's index in the id of its pane, column or tab (`pane-1` → `1`)."""
    return (widget_id or "").rpartition("-")[2]


class ReadingScreen(
    PlainBackground, AnnotatingActions, FindActions, SessionActions, LessonActions, ReportsWorkerFailures, Screen[None]
):
    """Read and annotate the workspace's open articles."""

    BINDINGS = [
        Binding("t", "tag_claim", "Tag claim", id="tag_claim", tooltip="Tag the selection as a claim"),
        Binding("c", "mark_contradiction", "Contradiction", id="contradiction",
                tooltip="Mark one side of a contradiction, then the other"),
        Binding("l", "mark_link", "Link", id="link", tooltip="Mark one passage, then the linked one"),
        Binding("n", "add_note", "Note", id="note", tooltip="Write a note on the selection"),
        Binding("e", "edit", "Edit", id="edit", tooltip="Edit the annotation under the cursor"),
        Binding("d", "delete", "Delete", id="delete", tooltip="Delete the annotation under the cursor"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding("ctrl+y", "redo", "Redo", id="redo", show=False, tooltip="Redo what was undone"),
        # priority: run as the key arrives, before the keys typed after it are handed to the
        # pane (a burst or a paste after / would otherwise run bindings: n opens a note)
        Binding("slash", "find", "Find", id="find", priority=True, tooltip="Find text in the article"),
        Binding("f3", "find_next", "Find next", show=False, id="find_next"),
        Binding("shift+f3", "find_previous", "Find previous", show=False, id="find_previous"),
        Binding("f", "filter", "Filter", id="filter", show=False, tooltip="Filter the sidebar"),
        Binding("o", "library", "Library", id="library", tooltip="Open other articles"),
        Binding("ctrl+e", "export", "Export", id="export", show=False,
                tooltip="Export the annotations next to the database"),
        Binding("h", "hand_in", "Hand in", id="hand_in", show=False,
                tooltip="Write NAME-PACK-HASH.json, your work on this exercise, to hand in"),
        Binding("right_square_bracket", "next_article", "Next article", show=False, id="next_article"),
        Binding("left_square_bracket", "previous_article", "Previous article", show=False,
                id="previous_article"),
        Binding("ctrl+b", "toggle_sidebar", "Sidebar", show=False, id="sidebar"),
        Binding("escape", "cancel_mark", "Cancel mark", show=False, id="cancel_mark"),
        Binding("i", "instructions", "Instructions", id="instructions", show=False,
                tooltip="The exercise's instructions"),
        Binding("E", "end_lesson", "End lesson", id="end_lesson",
                tooltip="Hand in every student's work and end the live lesson"),
        Binding("r", "read_aloud", "Read aloud", id="read_aloud", show=False, tooltip="The annotation, a field a line"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
    ]

    narrow: var[bool] = var(False, init=False)
    """True below NARROW_WIDTH columns: one article at a time, as tabs."""
    sidebar_visible: var[bool] = var(True, init=False)
    """Whether the annotation sidebar is shown (ctrl+b)."""
    # Both start as compose() sets them, with their classes: a class changed after mount
    # restyles the whole screen (~20 ms each at start-up).

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        # the layout classes before the screen is first styled: set in compose, they styled
        # it a second time (~2 ms of the first frame); compose sets them again if need be
        with contextlib.suppress(RuntimeError):  # Textual's NoActiveAppError: made outside an app
            narrow = self.app.size.width < NARROW_WIDTH
            self.add_class(*self._layout_classes(narrow, not narrow), update=False)
        self.workspace = workspace
        self.session = workspace.session
        self.sidebar_filter = self.first_filter()
        self._active_pane_id = "pane-0"
        self._find_origin: tuple[str, int] | None = None
        self._sidebar_chosen = False
        self._sidebar_follows: str | None = None
        self._furnished = asyncio.Event()
        self._resumed = False
        self._subtitles: dict[str, str] = {}
        """The first sentence of each open article named by its source, by id: found just
        after the first frame (pysbd), then shown beside its title and in its tab."""

    # composition ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        narrow = self.app.size.width < NARROW_WIDTH
        self.set_reactive(ReadingScreen.narrow, narrow)
        self.set_reactive(ReadingScreen.sidebar_visible, not narrow)
        self.set_classes(self._layout_classes(narrow, not narrow))
        if narrow:  # the tabs are shown: part of the first frame
            yield self._tabs()
        with PlainHorizontal(id="reading"):
            for index, article in enumerate(self.workspace.articles):
                current = " -current" if index == 0 else ""
                with PlainVertical(classes="article-column" + current, id=f"column-{index}"):
                    yield Label(Text(display_line(article.title)), classes="article-title")
                    yield Label(Text(display_line(self._source_line(article))), classes="article-source")
                    yield ArticlePane(article, id=f"pane-{index}")
            # URLs and feed entries still to fetch, notices, or the hint when nothing is open
            if self._loader_shown():
                yield self._source_loader()
            yield AnnotationSidebar(id="sidebar")
        yield StatusBar(self._status_where(), self.session.author, id="status",
                        read_only=self.session.read_only, banner=self.session.banner if self.session.read_only else "")
        yield KeyBar(id="keys")

    def _status_where(self) -> str:
        """Where the work goes, for the status bar: the database, or key mode's key file."""
        if self.session.read_only:
            return ""
        if self.session.key_mode is not None:
            key_file = self.session.key_mode.key.key_file
            with contextlib.suppress(ValueError):  # shown from the current folder when inside it
                key_file = key_file.absolute().relative_to(Path.cwd())
            return f"key → {key_file}"
        if self.session.seat is not None:  # the server's folders are not the student's business
            return "kept on the lesson's server"
        return str(self.session.store.path)

    # What is hidden at the start (the tabs in a wide terminal, the find bar, an idle
    # source loader) is mounted just after the first frame: styling and drawing them
    # before it would hold the article back (~10 ms), and nobody sees them yet. They are
    # imported then too, and their messages are handled by name (on_find_bar_search and
    # the like, not @on, which needs the class when this module is imported).

    def _tabs(self) -> Tabs:
        """One tab an article, each label cut to its share of the row (whole on hover)."""
        from textual.widgets import Tab, Tabs

        labels = tab_labels(self._article_names(), self.app.size.width)
        tabs = Tabs(*(Tab(label, id=f"tab-{i}") for i, label in enumerate(labels)), id="article-tabs")
        tabs.can_focus = False
        return tabs

    def _article_names(self) -> list[tuple[str, str]]:
        """(title, subtitle) of each open article, in order."""
        return [(a.title, self._subtitles.get(a.id, "")) for a in self.workspace.articles]

    def _label_tabs(self, width: int) -> None:
        for tabs in self.query("#article-tabs"):
            label_tabs(tabs, self._article_names(), width)  # type: ignore[arg-type]

    def _show_subtitles(self) -> None:
        """Beside the title of an article named by its source, and in its tab: its first
        sentence."""
        from reader.ingest.title import find_subtitle

        for index, article in enumerate(self.workspace.articles):
            subtitle = self._subtitles[article.id] = find_subtitle(article.title, article.text, article.source)
            if subtitle:
                for label in self.query(f"#column-{index} .article-title"):
                    label.update(title_text(article, subtitle))  # type: ignore[attr-defined]
        self._label_tabs(self.size.width)

    def _source_loader(self) -> SourceLoader:
        from reader.widgets.source_loader import SourceLoader

        return SourceLoader(self.workspace, id="source-loader")

    def _loader_shown(self) -> bool:
        return bool(self.workspace.to_fetch or not self.workspace.articles)

    async def _furnish(self) -> None:
        """Mount what the first frame left out; actions that need it wait for it."""
        found = self.query("#reading")
        if not found:
            # replaced before its first frame (another session opened at once): this was
            # queued on the app, so it runs anyway, after the new screen's first refresh
            return
        reading = found.first()
        mounting = []
        from reader.widgets.find_bar import FindBar

        if not self.query("#article-tabs"):
            mounting.append(self.mount(self._tabs(), before=reading))
        if not self.query("#source-loader"):
            mounting.append(reading.mount(self._source_loader(), before="#sidebar"))
        mounting.append(self.mount(FindBar(id="find-bar"), before="#status"))
        if not self.session.read_only:
            from reader.widgets.pending_mark import PendingMark

            mounting.append(self.mount(PendingMark(id="pending-mark"), before="#status"))
        for done in mounting:
            await done
        self._show_half_mark()  # a first side marked before the line was there
        self._furnished.set()
        self._mark_current_column()  # the tab of the pane in use
        self._show_subtitles()
        self.library_ready_soon()  # `o` then has only to show it

    def _find_bar(self) -> FindBar | None:
        """The find bar, once mounted with its field (just after the first frame). Between
        its mount and its field's, / found it and opened it: no field (NoMatches, a crash
        seen in tmux), so until then it is not there and / waits for it."""
        if not self._furnished.is_set():
            return None
        return next(iter(self.query("#find-bar")), None)  # type: ignore[return-value]

    @staticmethod
    def _source_line(article: Article) -> str:
        parts = [article.byline, article.published, article.source.rsplit("/", 1)[-1]]
        return " · ".join(part for part in parts if part)

    def on_mount(self) -> None:
        self.call_after_refresh(self._furnish)
        self._show_annotations()
        self.watch(self.app, "save_state", self._save_state_changed)
        self.workspace.subscribe(self._merged_elsewhere)
        panes = self.panes
        if panes:
            panes[0].focus()
        if self.session.heat:
            for pane in panes:
                pane.set_heat(self.session.heat.get(pane.article.id, []), self.session.heat_students)
        if self.session.banner and not self.session.read_only:
            self._say(self.session.banner)
        self._first_open_instructions()
        if not self.session.author and not self.session.read_only:
            from reader.screens.author_dialog import AuthorDialog

            remember = self.session.remember_author
            self.app.push_screen(AuthorDialog(login_name() if remember else "", remember), self._author_chosen)

    def on_unmount(self) -> None:
        self.workspace.unsubscribe(self._merged_elsewhere)

    def _first_open_instructions(self) -> None:
        """On a pack's first open in this database, say where the instructions are: a notice,
        not a dialog, so nothing stands between the reader and the text."""
        pack = self.session.pack
        if pack is None or not pack.instructions or self.session.read_only or self.session.key_mode:
            return  # the students' notice: not the class view's, nor the key's author's
        if not self.workspace.first_open_of_pack():
            return
        first = pack.instructions.strip().split("\n\n")[0]
        key = key_named(self, "instructions")
        self._say(f"Press {key} for the exercise's instructions")
        if not self.narrow:  # in a small terminal the notice would hide the text
            self.notify(f"{display_line(first)}\nPress {key} for the instructions.", title=display_line(pack.title),
                        timeout=12, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The class view shows annotations; it does not make or change them, and key mode
        does not hand in: those keys are left out of the key bar and the help."""
        return self.lesson_check_action(action)

    def _author_chosen(self, name: str | None) -> None:
        name = name or login_name()
        self.workspace.set_author(name)
        self.query_one(StatusBar).author = name

    # layout modes -----------------------------------------------------------------------

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first resume comes just after every widget was styled as it mounted, and
        Textual's handler (which runs after this one) would style them all again, about
        4 ms before the first frame. Later resumes, after a dialog, restyle as usual."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        self.narrow = event.size.width < NARROW_WIDTH
        self._label_tabs(event.size.width)  # each tab's share of the row

    def _layout_classes(self, narrow: bool, sidebar: bool) -> set[str]:
        """The screen's classes, with the layout ones set as `narrow` and `sidebar` say."""
        classes = set(self.classes) - {"-narrow", "-sidebar-open", "-sidebar-hidden"}
        classes.add("-sidebar-open" if sidebar else "-sidebar-hidden")
        if narrow:
            classes.add("-narrow")
        return classes

    def watch_narrow(self, narrow: bool) -> None:
        self.set_reactive(ReadingScreen.sidebar_visible, not narrow)
        self.set_classes(self._layout_classes(narrow, not narrow))  # one restyle, not three
        self._mark_current_column()
        self._leave_hidden_sidebar()

    def watch_sidebar_visible(self, visible: bool) -> None:
        self.set_classes(self._layout_classes(self.narrow, visible))
        self._leave_hidden_sidebar()

    def _leave_hidden_sidebar(self) -> None:
        """Focus does not stay in a sidebar that is no longer shown."""
        if not self.sidebar_visible and self.focused is not None and self.focused.id == "annotation-list":
            self._focus_pane(self.active_pane)

    def action_toggle_sidebar(self) -> None:
        self.sidebar_visible = not self.sidebar_visible
        if self.sidebar_visible and self.narrow:
            self.query_one(AnnotationSidebar).focus_list()

    def _mark_current_column(self) -> None:
        pane = self.active_pane
        for column in self.query(".article-column"):
            column.set_class(pane is not None and article_index(column.id) == article_index(pane.id), "-current")
        tabs: Tabs | None = next(iter(self.query("#article-tabs")), None)  # type: ignore[assignment]  # mounted after the first frame
        if pane is not None and pane.id and tabs is not None:
            tab_id = f"tab-{article_index(pane.id)}"
            # the Tabs widget is mounted a moment before its tabs: a key in between (Ctrl+B)
            # finds no tab of that id yet, and Tabs raises; `_furnish` marks it once they are
            if tabs.active != tab_id and tabs.query(f"#{tab_id}"):
                tabs.active = tab_id
        self._refresh_find()  # the find bar says which article it searches

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if not self.narrow:
            return  # hidden tabs (their first activation as they mount, or set from a pane)
        if event.tab.id:
            pane = self.query_one(f"#pane-{article_index(event.tab.id)}", ArticlePane)
            # a find that moved to this article keeps the focus in the find bar
            if pane is not self.active_pane or (self.focused is not pane and not self._typing_a_query()):
                self._focus_pane(pane)

    def _focus_pane(self, pane: ArticlePane | None) -> None:
        if pane is None:
            return
        self._active_pane_id = pane.id or self._active_pane_id
        self._mark_current_column()
        if self.narrow and self.sidebar_visible:
            self.sidebar_visible = False
        pane.focus()

    def _move_article(self, step: int) -> None:
        panes = self.panes
        if not panes:
            return
        current = self.active_pane
        index = panes.index(current) if current in panes else 0
        self._focus_pane(panes[(index + step) % len(panes)])

    def action_next_article(self) -> None:
        self._move_article(+1)

    def action_previous_article(self) -> None:
        self._move_article(-1)

    # state ------------------------------------------------------------------------------

    @property
    def panes(self) -> list[ArticlePane]:
        return list(self.query(ArticlePane))

    def take_furniture(self, article: Article) -> None:
        """An open article's page furniture, found after the first frame: its pane folds it."""
        for pane in self.panes:
            pane.take_furniture(article)

    @property
    def active_pane(self) -> ArticlePane | None:
        """The pane that has focus, else the one that had it last."""
        focused = self.focused
        if isinstance(focused, ArticlePane):
            return focused
        found = self.query(f"#{self._active_pane_id}")
        return found.first(ArticlePane) if found else None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ArticlePane) and event.widget.id:
            self._active_pane_id = event.widget.id
            self._mark_current_column()

    def _save_state_changed(self, state: str) -> None:
        self.query_one(StatusBar).save_state = state

    def _say(self, message: str) -> None:
        """A one-line message in the status bar (deletions, undo)."""
        self.query_one(StatusBar).message = message

    def _show_half_mark(self) -> None:
        """The line above the status bar says what a half-made pair waits for, or goes."""
        half = self.workspace.half_mark
        for line in self.query("#pending-mark"):
            line.waiting = None if half is None else (half.kind, half.target.quote.exact, key_named(self, half.kind))  # type: ignore[attr-defined]

    @property
    def annotations(self) -> dict[str, Annotation]:
        """What the screen shows: the workspace's annotations of the open articles."""
        return self.workspace.annotations

    def _show_annotations(self) -> None:
        annotations = list(self.workspace.annotations.values())
        shown = self.pane_annotations(annotations)
        for pane in self.panes:
            pane.set_annotations(shown)
        self.query_one(AnnotationSidebar).show(
            annotations, self.sidebar_filter, badges=self.session.badges, **self.sidebar_extras(annotations)
        )
        counts = Counter(a.kind for a in shown)
        self.query_one(StatusBar).counts = " · ".join(
            f"{counts[kind]} {kind if counts[kind] == 1 else PLURALS[kind]}"
            for kind in PLURALS
            if counts[kind]
        )
        self._update_related()

    @on(ArticlePane.SelectionChanged)
    def _selection_moved(self, event: ArticlePane.SelectionChanged) -> None:
        if event.pane.id:
            self._active_pane_id = event.pane.id
        self._update_related(event.pane)

    def _update_related(self, pane: ArticlePane | None = None) -> None:
        """Emphasise the annotation under the cursor, and its other end in any pane; the
        sidebar's highlight follows once the panes' rows are on screen (its move may scroll
        the whole list: drawn in the same frame, it held back the cursor's few rows)."""
        pane = pane or self.active_pane
        ids = frozenset(pane.annotations_under_cursor()[:1]) if pane and pane.cursor_placed else frozenset()
        for each in self.panes:
            each.set_related(ids)
        if self._sidebar_chosen:  # the reader chose in the sidebar: it does not follow
            self._sidebar_follows = None
        elif ids:
            self._sidebar_follows = next(iter(ids))
            self.call_after_refresh(self._follow_in_sidebar)
        self._sidebar_chosen = False

    def _follow_in_sidebar(self) -> None:
        """The sidebar's highlight to the annotation under the cursor now: of several
        moves made before a frame, the last (the others' callbacks find nothing to do)."""
        annotation_id, self._sidebar_follows = self._sidebar_follows, None
        if annotation_id is not None:
            self.query_one(AnnotationSidebar).highlight(annotation_id)

    def _merged_elsewhere(self, merged: Merged) -> None:
        """Another process changed the database; the workspace took the changes in."""
        self._show_annotations()
        self._say(f"Updated from the database: {merged.added} added, {merged.removed} removed elsewhere")

    def _reopen(self) -> None:
        """Show the workspace's articles as they now are, on a new reading screen."""
        self.app.switch_screen(ReadingScreen(self.workspace))

    # jumping ----------------------------------------------------------------------------

    @on(AnnotationSidebar.AnnotationChosen)
    def _jump(self, event: AnnotationSidebar.AnnotationChosen) -> None:
        self.jump_to(event.annotation)

    def jump_to(self, annotation: Annotation) -> None:
        """Select and scroll to every end of an annotation that is open in a pane."""
        panes = {pane.article.id: pane for pane in self.panes}
        shown: list[ArticlePane] = []
        for target in annotation.targets:
            pane = panes.get(target.article_id)
            if pane is None or annotation.anchor == "orphaned":
                continue
            pane.set_selection(target.start, target.end, scroll=False)
            pane.scroll_to_offset(target.start, center=True)
            shown.append(pane)
        if not shown:
            self.notify("That annotation's article is not open (o opens the library).", severity="warning")
            return
        self._sidebar_chosen = True
        self._active_pane_id = shown[0].id or self._active_pane_id
        self._mark_current_column()
        self._update_related(shown[0])
