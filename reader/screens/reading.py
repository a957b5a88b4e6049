"""The reading screen: articles side by side, the annotation sidebar, the status bar."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Label

from reader.history import Change, History
from reader.ingest.entry import FeedEntry
from reader.ingest.sanitize import display_line
from reader.launch import Session, login_name
from reader.model import Annotation, Article, Target
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter
from reader.widgets.article_pane import ArticlePane
from reader.widgets.key_bar import KeyBar
from reader.widgets.status_bar import StatusBar
from reader.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from textual.widgets import Tabs

    from reader.screens.annotation_dialog import AnnotationDialog, AnnotationFields
    from reader.screens.library import LibraryEntry
    from reader.widgets.find_bar import FindBar
    from reader.widgets.source_loader import SourceLoader

# The dialogs below are imported where they are opened: start-up does not need them.

WRITING_ACTIONS = frozenset(
    {"tag_claim", "mark_contradiction", "mark_link", "add_note", "edit", "delete", "undo", "redo",
     "library", "export", "hand_in"}
)
"""Actions that change or leave the open annotations: off in the read-only class view."""

PLURALS = {"claim": "claims", "contradiction": "contradictions", "link": "links", "note": "notes"}
NARROW_WIDTH = 100
"""Below this many columns the articles become tabs and the sidebar hides."""


def _annotation_dialog(*args: Any, **kwargs: Any) -> AnnotationDialog:
    from reader.screens.annotation_dialog import AnnotationDialog  # imported when first opened

    return AnnotationDialog(*args, **kwargs)


def _preview(quote: str) -> str:
    from reader.screens.annotation_dialog import preview

    return preview(quote, 40)


@dataclass(frozen=True)
class PendingMark:
    """The first side of a contradiction or link, waiting for the second."""

    kind: str
    target: Target


class ReadingScreen(ReportsWorkerFailures, Screen[None]):
    """Read and annotate the session's articles."""

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
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
    ]

    narrow: var[bool] = var(False, init=False)
    """True below NARROW_WIDTH columns: one article at a time, as tabs."""
    sidebar_visible: var[bool] = var(True, init=False)
    """Whether the annotation sidebar is shown (ctrl+b)."""
    # Both start as compose() sets them, with their classes: a class changed after mount
    # restyles the whole screen (~20 ms each at start-up).

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.annotations: dict[str, Annotation] = {a.id: a for a in session.annotations}
        self.history = History()
        self.pending: PendingMark | None = None
        self.sidebar_filter = SidebarFilter()
        self._active_pane_id = "pane-0"
        self._find_origin: int | None = None
        self._sidebar_chosen = False
        self._furnished = asyncio.Event()
        self._resumed = False

    # composition ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        narrow = self.app.size.width < NARROW_WIDTH
        self.set_reactive(ReadingScreen.narrow, narrow)
        self.set_reactive(ReadingScreen.sidebar_visible, not narrow)
        self.set_classes(self._layout_classes(narrow, not narrow))
        if narrow:  # the tabs are shown: part of the first frame
            yield self._tabs()
        with Horizontal(id="reading"):
            for index, article in enumerate(self.session.articles):
                current = " -current" if index == 0 else ""
                with Vertical(classes="article-column" + current, id=f"column-{index}"):
                    yield Label(Text(display_line(article.title)), classes="article-title")
                    yield Label(Text(display_line(self._source_line(article))), classes="article-source")
                    yield ArticlePane(article, id=f"pane-{index}")
            # URLs and feed entries still to fetch, notices, or the hint when nothing is open
            if self._loader_shown():
                yield self._source_loader()
            yield AnnotationSidebar(id="sidebar")
        where = "nothing is saved" if self.session.read_only else str(self.session.store.path)
        yield StatusBar(where, self.session.author, id="status")
        yield KeyBar(id="keys")

    # What is hidden at the start (the tabs in a wide terminal, the find bar, an idle
    # source loader) is mounted just after the first frame: styling and drawing them
    # before it would hold the article back (~10 ms), and nobody sees them yet. They are
    # imported then too, and their messages are handled by name (on_find_bar_search and
    # the like, not @on, which needs the class when this module is imported).

    def _tabs(self) -> Tabs:
        from textual.widgets import Tab, Tabs

        tabs = Tabs(
            *(Tab(Text(display_line(a.title)), id=f"tab-{i}") for i, a in enumerate(self.session.articles)),
            id="article-tabs",
        )
        tabs.can_focus = False
        return tabs

    def _source_loader(self) -> SourceLoader:
        from reader.widgets.source_loader import SourceLoader

        return SourceLoader(self.session, id="source-loader")

    def _loader_shown(self) -> bool:
        return bool(self.session.pending or not self.session.articles)

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
        for done in mounting:
            await done
        self._furnished.set()
        self._mark_current_column()  # the tab of the pane in use

    def _find_bar(self) -> FindBar | None:
        """The find bar, once mounted (just after the first frame)."""
        return next(iter(self.query("#find-bar")), None)  # type: ignore[return-value]

    @staticmethod
    def _source_line(article: Article) -> str:
        parts = [article.byline, article.published, article.source.rsplit("/", 1)[-1]]
        return " · ".join(part for part in parts if part)

    def on_mount(self) -> None:
        self.call_after_refresh(self._furnish)
        self._show_annotations()
        self.watch(self.app, "save_state", self._save_state_changed)
        panes = self.panes
        if panes:
            panes[0].focus()
        if self.session.heat:
            for pane in panes:
                pane.set_heat(self.session.heat.get(pane.article.id, []), self.session.heat_students)
        if self.session.banner:
            self._say(self.session.banner)
        self._first_open_instructions()
        if not self.session.author and not self.session.read_only:
            from reader.screens.author_dialog import AuthorDialog

            remember = self.session.remember_author
            self.app.push_screen(AuthorDialog(login_name() if remember else "", remember), self._author_chosen)

    def _first_open_instructions(self) -> None:
        """On a pack's first open in this database, say where the instructions are: a notice,
        not a dialog, so nothing stands between the reader and the text."""
        pack = self.session.pack
        if pack is None or not pack.instructions or self.session.read_only:
            return
        key = f"instructions_seen:{pack.title}"
        if self.session.store.get_meta(key):
            return
        first = pack.instructions.strip().split("\n\n")[0]
        self._say("Press i for the exercise's instructions")
        if not self.narrow:  # in a small terminal the notice would hide the text
            self.notify(f"{display_line(first)}\nPress i for the instructions.", title=display_line(pack.title),
                        timeout=12, markup=False)
        self.app.persist(partial(self.session.store.set_meta, key, True))  # type: ignore[attr-defined]

    def action_instructions(self) -> None:
        pack = self.session.pack
        if pack is None:
            self.notify("No exercise is open; instructions come with a pack.", severity="warning")
            return
        from reader.screens.instructions import InstructionsScreen

        self.app.push_screen(InstructionsScreen(pack.title, pack.instructions))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The class view shows annotations; it does not make or change them."""
        if self.session.read_only and action in WRITING_ACTIONS:
            return None  # shown disabled in the footer, and the key does nothing
        return True

    def _author_chosen(self, name: str | None) -> None:
        name = name or login_name()
        self.session.author = name
        self.query_one(StatusBar).author = name
        if self.session.remember_author:
            self.app.persist(partial(self.session.store.set_meta, "author", name))  # type: ignore[attr-defined]

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
            column.set_class(pane is not None and column.id == f"column-{(pane.id or '')[5:]}", "-current")
        tabs: Tabs | None = next(iter(self.query("#article-tabs")), None)  # type: ignore[assignment]  # mounted after the first frame
        if pane is not None and pane.id and tabs is not None:
            tab_id = f"tab-{pane.id[5:]}"
            if tabs.active != tab_id:
                tabs.active = tab_id

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if not self.narrow:
            return  # hidden tabs (their first activation as they mount, or set from a pane)
        if event.tab.id:
            pane = self.query_one(f"#pane-{event.tab.id[4:]}", ArticlePane)
            if pane is not self.active_pane or self.focused is not pane:
                self._focus_pane(pane)

    def _focus_pane(self, pane: ArticlePane | None) -> None:
        if pane is None:
            return
        self._active_pane_id = pane.id or self._active_pane_id
        self._mark_current_column()
        if self.narrow and self.sidebar_visible:
            self.sidebar_visible = False
        pane.focus()

    def _step_article(self, step: int) -> None:
        panes = self.panes
        if not panes:
            return
        current = self.active_pane
        index = panes.index(current) if current in panes else 0
        self._focus_pane(panes[(index + step) % len(panes)])

    def action_next_article(self) -> None:
        self._step_article(+1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    # state ------------------------------------------------------------------------------

    @property
    def panes(self) -> list[ArticlePane]:
        return list(self.query(ArticlePane))

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
        """A one-line message in the status bar (pending marks, deletions, undo)."""
        self.query_one(StatusBar).pending = message

    def _show_annotations(self) -> None:
        annotations = list(self.annotations.values())
        for pane in self.panes:
            pane.set_annotations(annotations)
        self.query_one(AnnotationSidebar).show(annotations, self.sidebar_filter)
        counts = Counter(a.kind for a in annotations)
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
        """Emphasise the annotation under the cursor, and its other end in any pane."""
        pane = pane or self.active_pane
        ids = frozenset(pane.annotations_under_cursor()[:1]) if pane and pane.cursor_placed else frozenset()
        for each in self.panes:
            each.set_related(ids)
        if ids and not self._sidebar_chosen:
            self.query_one(AnnotationSidebar).highlight(next(iter(ids)))
        self._sidebar_chosen = False

    def _selected_target(self) -> Target | None:
        pane = self.active_pane
        span = pane.selection if pane else None
        if pane is None or span is None:
            self.notify("Select a passage first (arrows or j/k, or drag with the mouse).", severity="warning")
            return None
        from reader.anchoring import describe  # quotes and their context: on the first mark

        return describe(pane.article.id, pane.article.text, span[0], span[1])

    def _current_annotation(self) -> Annotation | None:
        """The annotation highlighted in the sidebar (when it has focus) or under the cursor."""
        sidebar = self.query_one(AnnotationSidebar)
        if self.focused is not None and self.focused.id == "annotation-list":
            return sidebar.highlighted_annotation
        pane = self.active_pane
        ids = pane.annotations_under_cursor() if pane else []
        return self.annotations.get(ids[0]) if ids else None

    # changes ----------------------------------------------------------------------------

    def _apply(self, change: Change, *, record: bool = True) -> None:
        """Show a change at once and save it in the background."""
        store = self.session.store
        if change.after is None:
            assert change.before is not None
            self.annotations.pop(change.before.id, None)
            operation = partial(store.delete_annotation, change.before.id)
        else:
            self.annotations[change.after.id] = change.after
            operation = partial(store.put_annotation, change.after)
        if record:
            self.history.record(change)
        self._show_annotations()
        self.app.persist(operation)  # type: ignore[attr-defined]

    def _create(self, kind: str, targets: tuple[Target, ...], fields: AnnotationFields) -> None:
        annotation = Annotation(
            kind=kind,  # type: ignore[arg-type]
            targets=targets,
            tags=fields.tags,
            relation=fields.relation,
            note=fields.note,
            author=self.session.author,
        )
        self._apply(Change(f"add {kind}", None, annotation))
        self._say("")
        pane = self.active_pane
        if pane is not None:
            pane.clear_selection()

    def _quotes(self, targets: tuple[Target, ...]) -> list[str]:
        return [target.quote.exact for target in targets]

    def action_tag_claim(self) -> None:
        target = self._selected_target()
        if target is None:
            return
        dialog = _annotation_dialog("claim", self._quotes((target,)), tags=self.session.tags)
        self.app.push_screen(
            dialog, lambda fields: fields and self._create("claim", (target,), fields)
        )

    def action_add_note(self) -> None:
        target = self._selected_target()
        if target is None:
            return
        self.app.push_screen(
            _annotation_dialog("note", self._quotes((target,))),
            lambda fields: fields and self._create("note", (target,), fields),
        )

    def action_mark_contradiction(self) -> None:
        self._mark_pair("contradiction")

    def action_mark_link(self) -> None:
        self._mark_pair("link")

    def _mark_pair(self, kind: str) -> None:
        target = self._selected_target()
        if target is None:
            return
        key = kind[0]
        if self.pending is None or self.pending.kind != kind:
            if self.pending is not None:
                self.notify(f"The pending {self.pending.kind} mark was replaced.", timeout=3)
            self.pending = PendingMark(kind, target)
            self._say(
                f"{kind}: first side “{_preview(target.quote.exact)}” marked; select the other "
                f"side (in either pane) and press {key} · Esc cancels"
            )
            return
        first = self.pending.target
        if (first.article_id, first.start, first.end) == (target.article_id, target.start, target.end):
            self.notify(f"Select a different passage for the other side, then press {key}.", severity="warning")
            return
        targets = (first, target)
        self.pending = None
        self._say("")
        dialog = _annotation_dialog(kind, self._quotes(targets), relations=self.session.relations)
        self.app.push_screen(dialog, lambda fields: fields and self._create(kind, targets, fields))

    def action_cancel_mark(self) -> None:
        if self.pending is not None:
            self.notify(f"{self.pending.kind.capitalize()} mark cancelled.", timeout=3)
            self.pending = None
            self._say("")

    def action_edit(self) -> None:
        annotation = self._current_annotation()
        if annotation is None:
            self.notify("No annotation under the cursor to edit.", severity="warning")
            return
        from reader.screens.annotation_dialog import AnnotationFields

        dialog = _annotation_dialog(
            annotation.kind,
            self._quotes(annotation.targets),
            tags=self.session.tags,
            relations=self.session.relations,
            initial=AnnotationFields(annotation.tags, annotation.relation, annotation.note),
            editing=True,
        )

        def edited(fields: AnnotationFields | None) -> None:
            if fields is None:
                return
            current = self.annotations.get(annotation.id)
            if current is None:
                return
            new = current.edited(tags=fields.tags, relation=fields.relation, note=fields.note)
            if (new.tags, new.relation, new.note) != (current.tags, current.relation, current.note):
                self._apply(Change(f"edit {current.kind}", current, new))
                self._say(f"Edited {current.kind}.")

        self.app.push_screen(dialog, edited)

    def action_delete(self) -> None:
        annotation = self._current_annotation()
        if annotation is None:
            self.notify("No annotation under the cursor to delete.", severity="warning")
            return
        self._apply(Change(f"delete {annotation.kind}", annotation, None))
        self._say(
            f"Deleted {annotation.kind} “{_preview(annotation.targets[0].quote.exact)}” · u brings it back"
        )

    def action_undo(self) -> None:
        change = self.history.undo()
        if change is None:
            self._say("Nothing to undo.")
            return
        self._apply(change, record=False)
        self._say(f"Undone: {change.label[5:]} · ctrl+y redoes it")

    def action_redo(self) -> None:
        change = self.history.redo()
        if change is None:
            self._say("Nothing to redo.")
            return
        self._apply(change, record=False)
        self._say(f"Redone: {change.label}")

    def merge_external(self, annotations: list[Annotation]) -> None:
        """Show the database as another process left it (called when nothing of ours is
        waiting to be saved, so the database already holds every change of this screen)."""
        incoming = {a.id: a for a in sorted(annotations, key=lambda a: (a.created, a.id))}
        if incoming == self.annotations:
            return
        added = len(incoming.keys() - self.annotations.keys())
        removed = len(self.annotations.keys() - incoming.keys())
        self.annotations = incoming
        self._show_annotations()
        self._say(f"Updated from the database: {added} added, {removed} removed elsewhere")

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

    # sidebar filter ---------------------------------------------------------------------

    def action_filter(self) -> None:
        tags = sorted({tag for a in self.annotations.values() for tag in a.tags} | {t.name for t in self.session.tags})

        def chosen(where: SidebarFilter | None) -> None:
            if where is not None:
                self.sidebar_filter = where
                self._show_annotations()

        from reader.screens.filter_dialog import FilterDialog

        self.app.push_screen(FilterDialog(tags, self.sidebar_filter), chosen)

    # find -------------------------------------------------------------------------------

    def action_find(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # typing in a field (the find field itself): / is a character
        pane = self.active_pane
        self._find_origin = pane.selection[0] if pane and pane.selection else 0
        bar = self._find_bar()
        if bar is not None:
            bar.open()
        else:  # pressed before the find bar is mounted: open it then, without holding the app
            self.run_worker(self._open_find_when_furnished, group="find", exclusive=True)

    async def _open_find_when_furnished(self) -> None:
        await self._furnished.wait()
        bar = self._find_bar()
        if bar is not None:
            bar.open()

    def on_find_bar_search(self, event: FindBar.Search) -> None:
        self._find(event.query, event.forward, incremental=event.incremental)

    def _find(self, query: str, forward: bool, *, incremental: bool = False) -> None:
        from reader.widgets.find_bar import compile_query

        pattern = compile_query(query)
        pane = self.active_pane
        if pattern is None or pane is None:
            return
        origin = self._find_origin if incremental else None
        if not pane.find(pattern, forward=forward, origin=origin):
            self._say(f"Not found: {query}")
        else:
            self._say("")

    def on_find_bar_closed(self) -> None:
        self._focus_pane(self.active_pane)

    def action_find_next(self) -> None:
        bar = self._find_bar()
        if bar is not None:  # before it is mounted nothing was searched for yet
            self._find(bar.query_text, True)

    def action_find_previous(self) -> None:
        bar = self._find_bar()
        if bar is not None:
            self._find(bar.query_text, False)

    # other screens ----------------------------------------------------------------------

    def action_help(self) -> None:
        from reader.widgets.find_bar import FindBar as Bar

        groups = [
            ("Annotating and moving around", [b for b in self.BINDINGS if isinstance(b, Binding)]),
            ("In an article pane", [b for b in ArticlePane.BINDINGS if isinstance(b, Binding)]),
            ("Everywhere", [b for b in self.app.BINDINGS if isinstance(b, Binding)]),
            ("In the find bar", [b for b in Bar.BINDINGS if isinstance(b, Binding)]),
        ]
        from reader.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(groups))

    def action_export(self) -> None:
        def chosen(format: str | None) -> None:
            if format:
                self.run_worker(self._export(format), group="export", exit_on_error=False)

        from reader.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(str(self.session.store.path.parent)), chosen)

    async def _export(self, format: str) -> None:
        path = await self.app.export(format)  # type: ignore[attr-defined]
        if path is not None:
            self._say(f"Exported to {path}")

    def action_hand_in(self) -> None:
        if self.session.pack is None:
            self.notify("Hand-in is for exercise packs; use Ctrl+E to export.", severity="warning")
            return
        self.run_worker(self._hand_in(), group="export", exit_on_error=False)

    async def _hand_in(self) -> None:
        path = await self.app.hand_in()  # type: ignore[attr-defined]
        if path is not None:
            self._say(f"Handed in: {path}")

    def action_library(self) -> None:
        self._load_library()

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _load_library(self) -> None:
        from reader.screens.library import LibraryEntry, feed_library_entries

        store = self.session.store
        articles = store.articles()
        counts: Counter[str] = Counter()
        for annotation in store.annotations():
            for article_id in {t.article_id for t in annotation.targets}:
                counts[article_id] += 1
        open_ids = {a.id for a in self.session.articles}
        entries = [
            LibraryEntry(a.id, a.title, a.source.rsplit("/", 1)[-1] or a.id, counts[a.id], a.id in open_ids,
                         a.published)
            for a in articles
        ]
        entries += feed_library_entries(self.session.feed_entries, articles)
        by_id = {a.id: a for a in articles}
        self.app.call_from_thread(self._show_library, entries, by_id)

    def _show_library(self, entries: list[LibraryEntry], by_id: dict[str, Article]) -> None:
        from reader.screens.library import LibraryScreen, chosen_feed_entries

        def chosen(ids: list[str] | None) -> None:
            if ids:
                pending = chosen_feed_entries(self.session.feed_entries, ids)  # fetched by the next screen
                self._open_articles([by_id[i] for i in ids if i in by_id], pending)

        self.app.push_screen(LibraryScreen(entries), chosen)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _open_articles(self, articles: list[Article], pending: list[FeedEntry] | None = None) -> None:
        wanted = {a.id for a in articles}
        merged = {a.id: a for a in self.session.store.annotations(wanted)}
        # saves may still be on their way to disk: what this screen shows wins
        merged.update(
            (a.id, a) for a in self.annotations.values() if any(t.article_id in wanted for t in a.targets)
        )
        session = replace(
            self.session, articles=articles, annotations=list(merged.values()), pending=list(pending or [])
        )
        self.app.call_from_thread(self.app.switch_screen, ReadingScreen(session))

    # fetched sources --------------------------------------------------------------------

    def on_source_loader_loaded(self, event: SourceLoader.Loaded) -> None:
        """URLs or feed entries fetched in the background: open them (or list the feeds'
        entries in the library) on a new reading screen."""
        for article in event.articles:
            self.app.persist(partial(self.session.store.put_article, article))  # type: ignore[attr-defined]
        if event.errors:
            self._say(event.errors[-1])
        if event.articles or event.entries:
            self.app.switch_screen(ReadingScreen(event.session_for(self.session)))
