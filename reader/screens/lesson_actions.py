"""The reading screen in a lesson: key mode (`presscheck key`: the class's candidates in the
sidebar, Enter accepts one into the key) and the class view (`presscheck class`: read only,
the answer key or one student at a time). A mixin of `ReadingScreen`, kept apart for its
length; the work is in `reader.classroom.key_mode` and `class_view`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from reader.ingest.sanitize import display_line
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter, one_line
from reader.widgets.key_bar import key_named

if TYPE_CHECKING:
    from pathlib import Path

    from textual.screen import Screen

    from reader.classroom.class_view import ClassView
    from reader.classroom.compare import Report
    from reader.classroom.candidates import Candidate
    from reader.model import Annotation
    from reader.screens.annotation_dialog import AnnotationDialog, AnnotationFields
    from reader.workspace import Workspace

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object

CANDIDATE_PREFIX = "candidate-"
WRITING_ACTIONS = frozenset(
    {"tag_claim", "mark_contradiction", "mark_link", "add_note", "edit", "delete", "undo", "redo",
     "library", "export", "hand_in"}
)
"""Actions that change or leave the open annotations: not there in the read-only class view."""
NOT_IN_KEY_MODE = frozenset({"hand_in"})
"""Key mode writes the key, not a student's hand-in."""
QUOTE_CHARS = 90
NOTES_SHOWN = 2


def candidate_text(candidate: Candidate, in_key: bool) -> Text:
    """One candidate in the sidebar: how many marked it, its kind and tags, what the class
    disagreed on, the passage(s), and whether the key has it already."""
    text = Text(end="")
    text.append(f"{candidate.label} ", style="bold")
    what = ", ".join(f"{tag} ×{count}" for tag, count in candidate.tags) if candidate.tags else candidate.kind
    text.append(display_line(what), style="bold")
    if in_key:
        text.append("  ✓ in key", style="bold")
    for flag in candidate.flags:
        text.append(f"  ⚑ {display_line(flag)}", style="italic")
    pair = len(candidate.quotes) > 1
    for index, quote in enumerate(candidate.quotes):
        text.append(f"\n{'AB'[index] + ' ' if pair else ''}“{one_line(quote, QUOTE_CHARS)}”", style="italic")
    for student, note in candidate.notes[:NOTES_SHOWN]:
        text.append(f"\n{display_line(student)}: ", style="dim bold")
        text.append(one_line(note, QUOTE_CHARS), style="dim")
    if len(candidate.notes) > NOTES_SHOWN:
        text.append(f"\n+{len(candidate.notes) - NOTES_SHOWN} more notes", style="dim")
    return text


class LessonActions(_ScreenBase):
    """What key mode and the class view add to the reading screen."""

    if TYPE_CHECKING:  # what the reading screen provides
        workspace: Workspace
        sidebar_filter: SidebarFilter

        def _show_annotations(self) -> None: ...

        def _say(self, message: str) -> None: ...

        def jump_to(self, annotation: Annotation) -> None: ...

        def _dialog(self, *args: Any, **kwargs: Any) -> AnnotationDialog: ...

    def lesson_check_action(self, action: str) -> bool:
        """False for a key that does nothing here: it is then left out of the key bar, the
        help and the palette, rather than shown and silently ignored."""
        session = self.workspace.session
        if session.read_only and action in WRITING_ACTIONS:
            return False
        if action == "write_feedback":
            return session.class_report is not None
        if action == "write_handout":
            return session.key_mode is not None
        if action == "end_lesson":
            return self._live_view()
        return not (session.key_mode is not None and action in NOT_IN_KEY_MODE)

    PALETTE_ONLY = (
        ("Write feedback files", "write_feedback",
         "compare --feedback: one Markdown report per student and class.md, in ./feedback"),
        ("Write the students' copy", "write_handout",
         "pack handout: the pack without its answer key, as LESSON-handout.zip beside it"),
    )
    """The teacher's commands that have no key: (name, action, help), in the palette where
    `lesson_check_action` allows them."""

    # a live lesson (serve --class) ----------------------------------------------------------

    def show_class(self, view: ClassView) -> None:
        """The teacher's live view: the students saved; show the class as it now is."""
        from reader.widgets.status_bar import StatusBar

        session = self.workspace.session
        session.heat, session.heat_students = view.heat, view.students
        session.students = tuple(view.student_names)
        session.class_report = view.report
        session.candidates = view.candidates
        session.banner = view.summary
        session.badges = {key_id: f"found by {count}/{view.students}" for key_id, count in view.found_by.items()}
        shown = [*view.key_annotations, *view.student_annotations]
        self.workspace.annotations = {a.id: a for a in shown}
        for pane in self.panes:  # type: ignore[attr-defined]
            pane.set_heat(view.heat.get(pane.article.id, []), view.students)
        status = self.query_one(StatusBar)
        status.banner = view.summary
        status.refresh()
        self._show_annotations()
        self.refresh_bindings()  # feedback can be written once there are scores

    def action_end_lesson(self) -> None:
        from reader.screens.live_lesson_dialogs import EndLessonDialog

        lesson = self.workspace.session.lesson
        if lesson is None:
            return

        def chosen(end: bool | None) -> None:
            if end:
                self.run_worker(self._end_lesson(), group="export", exit_on_error=False)

        self.app.push_screen(EndLessonDialog(len(lesson.seats()), str(lesson.handins)), chosen)

    async def _end_lesson(self) -> None:
        import asyncio

        lesson = self.workspace.session.lesson
        assert lesson is not None
        ended = await asyncio.to_thread(lesson.end)
        message = f"The lesson has ended: {len(ended.handed_in)} hand-in(s) in {lesson.handins}"
        if ended.failed:
            seat, reason = ended.failed[0]
            message += f"; {len(ended.failed)} could not be written ({seat}: {reason})"
        self.notify(message, title="End of the lesson", severity="error" if ended.failed else "information",
                    timeout=20, markup=False)

    def action_write_feedback(self) -> None:
        report = self.workspace.session.class_report
        if report is not None:
            self.run_worker(self._write_feedback(report), group="export", exit_on_error=False)

    async def _write_feedback(self, report: Report) -> None:
        import asyncio
        from pathlib import Path

        from reader.classroom.feedback import write_feedback
        from reader.errors import UserError

        try:
            done = await asyncio.to_thread(write_feedback, report, Path.cwd() / "feedback")
        except UserError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self.notify(f"Feedback for {len(report.students)} student(s) and class.md in {done.folder}",
                    title="Feedback", timeout=12, markup=False)

    def action_write_handout(self) -> None:
        mode = self.workspace.session.key_mode
        if mode is not None:
            self.run_worker(self._write_handout(mode.pack.folder), group="export", exit_on_error=False)

    async def _write_handout(self, folder: Path) -> None:
        import asyncio

        from reader.classroom.pack_handout import write_handout
        from reader.errors import UserError

        try:
            done = await asyncio.to_thread(write_handout, folder, None)
        except UserError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self.notify(f"The students' copy, without the key: {done.path}", title="Hand-out", timeout=12,
                    markup=False)

    def first_filter(self) -> SidebarFilter:
        """The class view opens on the answer key; the filter (f) picks a student."""
        if not (self.workspace.session.students or self._live_view()):
            return SidebarFilter()
        from reader.classroom.key_store import KEY_AUTHOR  # and hashlib: not before a reader's first frame

        return SidebarFilter(author=KEY_AUTHOR)

    def pane_annotations(self, annotations: list[Annotation]) -> list[Annotation]:
        """What the panes mark: in the class view what the sidebar lists (the key, or one
        student's work over the class's heat); elsewhere every annotation."""
        if self.workspace.session.students or self._live_view():
            return [a for a in annotations if self.sidebar_filter.keeps(a)]
        return annotations

    def _live_view(self) -> bool:
        """The teacher's view of a live lesson (serve --class)."""
        session = self.workspace.session
        return session.lesson is not None and session.read_only

    def sidebar_extras(self, annotations: list[Annotation]) -> dict[str, Any]:
        """Key mode with hand-ins, and a live lesson's class view: the class's candidates,
        below the key's items (Enter takes one into the key)."""
        session = self.workspace.session
        mode = session.key_mode
        if mode is not None:
            candidates, title = mode.candidates, f"Candidates of {mode.handins} hand-ins"

            def in_key(candidate: Candidate) -> bool:
                return mode.in_key(candidate, annotations)
        elif self._live_view():
            from reader.classroom.candidates import covered
            from reader.classroom.key_store import KEY_AUTHOR

            if self.sidebar_filter.author != KEY_AUTHOR:
                return {}  # one student's work (f), on the projector: nobody else's notes below it
            key = [a for a in annotations if a.author == KEY_AUTHOR]
            candidates, title = session.candidates, f"What the class marked ({len(session.students)} students)"

            def in_key(candidate: Candidate) -> bool:
                return covered(candidate, key)
        else:
            return {}
        # key mode says what the list is; the class view's filter already does ("answer key")
        heading = {"title": "Answer key"} if mode is not None else {}
        if not candidates:
            return heading
        entries = [(f"{CANDIDATE_PREFIX}{index}", candidate_text(candidate, in_key(candidate)))
                   for index, candidate in enumerate(candidates)]
        return {**heading, "extra": entries, "extra_title": title}

    def on_annotation_sidebar_extra_chosen(self, event: AnnotationSidebar.ExtraChosen) -> None:
        session = self.workspace.session
        candidates = session.key_mode.candidates if session.key_mode is not None else session.candidates
        if not event.entry_id.startswith(CANDIDATE_PREFIX):
            return
        index = int(event.entry_id.removeprefix(CANDIDATE_PREFIX))
        if index < len(candidates):
            self.accept_candidate(candidates[index])

    def accept_candidate(self, candidate: Candidate) -> None:
        """Show the candidate's passage(s) and open the dialog to add it to the key, with
        the class's most common tag or relation chosen; the teacher writes the why."""
        from reader.classroom.candidates import candidate_annotation
        from reader.classroom.key_store import KEY_AUTHOR

        session = self.workspace.session
        try:
            if session.key_mode is not None:
                proposal = session.key_mode.proposal(candidate)
            else:  # the live class view: its session holds every article of the pack
                proposal = candidate_annotation(candidate, {a.id: a.text for a in session.articles}, KEY_AUTHOR)
        except (ValueError, KeyError):  # a student's mark that no longer lands in the text (orphaned)
            self.notify("That candidate's passage is not in the article as it is now; mark it by hand.",
                        severity="warning")
            return
        self.jump_to(proposal)
        from reader.screens.annotation_dialog import AnnotationFields

        dialog = self._dialog(
            proposal.kind,
            [t.quote.exact for t in proposal.targets],
            tags=session.tags,
            relations=session.relations,
            initial=AnnotationFields(proposal.tags, proposal.relation, ""),
        )

        def accepted(fields: AnnotationFields | None) -> None:
            if fields is None:
                return
            if session.key_mode is None:  # the live class view: straight into the pack's key
                from dataclasses import replace

                item = replace(proposal, tags=fields.tags, relation=fields.relation, note=fields.note)
                self.run_worker(self._add_to_key(item, candidate.label), group="export", exit_on_error=False)
                return
            self.workspace.add(proposal.kind, proposal.targets, tags=fields.tags, relation=fields.relation,
                               note=fields.note)
            self._show_annotations()
            undo = key_named(self, "undo")
            self._say(f"Added to the key: the {proposal.kind} {candidate.label} of the class marked · {undo} undoes")

        self.app.push_screen(dialog, accepted)

    async def _add_to_key(self, item: Annotation, label: str) -> None:
        import asyncio

        from reader.classroom.key_store import add_to_key
        from reader.errors import UserError

        session = self.workspace.session
        assert session.lesson is not None
        try:
            count = await asyncio.to_thread(add_to_key, session.lesson.pack, item)
        except (UserError, OSError) as error:
            self.notify(f"Not added to the key: {error}", severity="error", timeout=10, markup=False)
            return
        self._say(f"Added to the key ({count} items): the {item.kind} {label} of the class marked; "
                  "the scores follow in a moment")
