"""The reading screen's annotating keys: tag, pair, note, edit, delete, read aloud, undo,
redo, filter.

Each asks for what it needs (a dialog) and sends the workspace one command; the screen
then shows the workspace again. A mixin of `ReadingScreen`, kept apart for its length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter
from reader.widgets.key_bar import key_named

if TYPE_CHECKING:
    from textual.screen import Screen

    from reader.model import Annotation, Kind, Target
    from reader.screens.annotation_dialog import AnnotationDialog, AnnotationFields
    from reader.widgets.article_pane import ArticlePane
    from reader.workspace import Workspace

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object

# The dialogs are imported where they are opened: start-up does not need them.


def _annotation_dialog(*args: Any, **kwargs: Any) -> AnnotationDialog:
    from reader.screens.annotation_dialog import AnnotationDialog

    return AnnotationDialog(*args, **kwargs)


def _preview(quote: str) -> str:
    from reader.screens.annotation_dialog import preview

    return preview(quote, 40)


def _quotes(targets: tuple[Target, ...]) -> list[str]:
    return [target.quote.exact for target in targets]


class AnnotatingActions(_ScreenBase):
    """`action_tag_claim` and the other keys that make or change annotations."""

    if TYPE_CHECKING:  # what the reading screen provides
        workspace: Workspace
        sidebar_filter: SidebarFilter

        @property
        def active_pane(self) -> ArticlePane | None: ...

        def _say(self, message: str) -> None: ...

        def _show_half_mark(self) -> None: ...

        def _show_annotations(self) -> None: ...

    def _dialog(self, *args: Any, **kwargs: Any) -> AnnotationDialog:
        """The annotation dialog; in key mode its note is the key item's "why"."""
        session = self.workspace.session
        writing_key = session.key_mode is not None or (session.lesson is not None and session.read_only)
        return _annotation_dialog(*args, why=writing_key, **kwargs)

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
        if self.focused is not None and self.focused.id == "annotation-list":
            return self.query_one(AnnotationSidebar).highlighted_annotation
        pane = self.active_pane
        ids = pane.annotations_under_cursor() if pane else []
        return self.workspace.annotations.get(ids[0]) if ids else None

    def _create(self, kind: Kind, targets: tuple[Target, ...], fields: AnnotationFields | None) -> None:
        if fields is None:
            return
        self.workspace.add(kind, targets, tags=fields.tags, relation=fields.relation, note=fields.note)
        self._show_annotations()
        self._say("")
        pane = self.active_pane
        if pane is not None:
            pane.clear_selection()

    def action_tag_claim(self) -> None:
        target = self._selected_target()
        if target is None:
            return
        dialog = self._dialog("claim", _quotes((target,)), tags=self.workspace.session.tags)
        self.app.push_screen(dialog, lambda fields: self._create("claim", (target,), fields))

    def action_add_note(self) -> None:
        target = self._selected_target()
        if target is None:
            return
        self.app.push_screen(
            self._dialog("note", _quotes((target,))),
            lambda fields: self._create("note", (target,), fields),
        )

    def action_mark_contradiction(self) -> None:
        self._mark_pair("contradiction")

    def action_mark_link(self) -> None:
        self._mark_pair("link")

    def _mark_pair(self, kind: Kind) -> None:
        target = self._selected_target()
        if target is None:
            return
        key = key_named(self, kind)  # the binding ids are the kinds; a keymap may move them
        marked = self.workspace.mark(kind, target)
        if marked.same_passage:
            self.notify(f"Select a different passage for the other side, then press {key}.", severity="warning")
            return
        self._show_half_mark()
        if marked.pair is None:
            if marked.replaced is not None:
                self.notify(f"The pending {marked.replaced.kind} mark was replaced.", timeout=3)
            self._say("")
            return
        pair = marked.pair
        self._say("")
        dialog = self._dialog(kind, _quotes(pair), relations=self.workspace.session.relations)
        self.app.push_screen(dialog, lambda fields: self._create(kind, pair, fields))

    def action_cancel_mark(self) -> None:
        half = self.workspace.cancel_mark()
        self._show_half_mark()
        if half is not None:
            self.notify(f"{half.kind.capitalize()} mark cancelled.", timeout=3)
            self._say("")

    def action_edit(self) -> None:
        annotation = self._current_annotation()
        if annotation is None:
            self.notify("No annotation under the cursor to edit.", severity="warning")
            return
        from reader.screens.annotation_dialog import AnnotationFields

        session = self.workspace.session
        dialog = self._dialog(
            annotation.kind,
            _quotes(annotation.targets),
            tags=session.tags,
            relations=session.relations,
            initial=AnnotationFields(annotation.tags, annotation.relation, annotation.note),
            editing=True,
        )

        def edited(fields: AnnotationFields | None) -> None:
            if fields is None:
                return
            if self.workspace.edit(annotation.id, tags=fields.tags, relation=fields.relation, note=fields.note):
                self._show_annotations()
                self._say(f"Edited {annotation.kind}.")

        self.app.push_screen(dialog, edited)

    def action_delete(self) -> None:
        annotation = self._current_annotation()
        if annotation is None:
            self.notify("No annotation under the cursor to delete.", severity="warning")
            return
        self.workspace.delete(annotation.id)
        self._show_annotations()
        undo = key_named(self, "undo")
        self._say(f"Deleted {annotation.kind} “{_preview(annotation.targets[0].quote.exact)}” · {undo} brings it back")

    def action_read_aloud(self) -> None:
        """The annotation under the cursor (or highlighted in the sidebar), a field a line."""
        annotation = self._current_annotation()
        if annotation is None:
            self.notify("No annotation under the cursor to read.", severity="warning")
            return
        from reader.screens.read_aloud import ReadAloudScreen

        titles = {article.id: article.title for article in self.workspace.articles}
        self.app.push_screen(ReadAloudScreen(annotation, titles))

    def action_undo(self) -> None:
        step = self.workspace.undo()
        if step is None:
            self._say("Nothing to undo.")
            return
        self._show_annotations()
        self._say(f"Undone: {step.label} · {key_named(self, 'redo')} redoes it")

    def action_redo(self) -> None:
        step = self.workspace.redo()
        if step is None:
            self._say("Nothing to redo.")
            return
        self._show_annotations()
        self._say(f"Redone: {step.label}")

    def action_filter(self) -> None:
        shown = self.workspace.annotations.values()
        tags = sorted({tag for a in shown for tag in a.tags} | {t.name for t in self.workspace.session.tags})

        def chosen(where: SidebarFilter | None) -> None:
            if where is not None:
                self.sidebar_filter = where
                self._show_annotations()

        from reader.classroom.key_store import KEY_AUTHOR  # not at start-up: it loads hashlib
        from reader.screens.filter_dialog import FilterDialog

        session = self.workspace.session
        people = [KEY_AUTHOR, *session.students] if session.students else []
        self.app.push_screen(FilterDialog(tags, self.sidebar_filter, people), chosen)
