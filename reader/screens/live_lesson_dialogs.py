"""The two ends of a live lesson (`presscheck serve LESSON --class`): the teacher's
"end the lesson?" and what a student's session says once it has ended."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from reader.ingest.sanitize import display_text
from reader.screens.dialog import Dialog


class EndLessonDialog(Dialog[bool]):
    """Enter ends the lesson, Esc goes back."""

    BINDINGS = [Binding("enter", "end", "End the lesson"), Binding("escape", "back", "Back")]

    def __init__(self, students: int, handins: str) -> None:
        super().__init__()
        self.students = students
        self.handins = handins

    def compose(self) -> ComposeResult:
        with Vertical(id="end-lesson", classes="dialog"):
            yield Label("End the lesson?", classes="dialog-title")
            yield Label(
                Text(display_text(
                    f"The work of every student who signed in ({self.students} so far) is handed in "
                    f"to {self.handins}, and their screens say the lesson has ended. Serving the "
                    "lesson again opens it again."
                )),
                classes="dialog-body",
            )
            yield Label("Enter end the lesson · Esc back", classes="dialog-hint")

    def action_end(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class LessonEndedScreen(Dialog[None]):
    """Over a student's reading screen once the teacher has ended the lesson: nothing more
    can be changed; q quits (the tab then shows the session closed)."""

    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="lesson-ended", classes="dialog"):
            yield Label("The lesson has ended", classes="dialog-title")
            yield Label(Text(display_text(self.message)), classes="dialog-body")
            yield Label("q close", classes="dialog-hint")
