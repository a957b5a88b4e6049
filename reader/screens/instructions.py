"""The exercise's instructions, one key away (i)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from reader.classroom.pack import reflowed
from reader.ingest.sanitize import display_text
from reader.screens.dialog import Dialog


class InstructionsScreen(Dialog[None]):
    """The pack's title and instructions; Esc, Enter, q or i closes."""

    BINDINGS = [Binding("escape,enter,q,i", "close", "Close")]

    def __init__(self, title: str, instructions: str) -> None:
        super().__init__()
        self.exercise = title
        self.instructions = instructions

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="instructions", classes="dialog"):
            yield Label(Text(display_text(self.exercise)), classes="dialog-title")
            yield Static(Text(display_text(reflowed(self.instructions) or "This pack has no instructions.")))
            yield Label("Esc closes · i shows this again", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
