"""Asked once, when nobody has said who is annotating."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label
from reader.screens.dialog import Dialog


class AuthorDialog(Dialog[str]):
    """Type a name and press Enter; Esc keeps the suggested one.

    In a shared session (`presscheck serve`) there is no suggestion and nothing is
    remembered: each student types their own name.
    """

    BINDINGS = [Binding("escape", "keep_suggestion", "Keep suggestion")]

    def __init__(self, suggestion: str, remembered: bool = True) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.remembered = remembered

    def compose(self) -> ComposeResult:
        with Vertical(id="author-dialog", classes="dialog"):
            yield Label("Who is annotating?", classes="dialog-title")
            yield Label(
                "Your name goes on every annotation and on your exported work. "
                + ("It is remembered in this database." if self.remembered else "Type your own name."),
                classes="dialog-body",
            )
            yield Input(value=self.suggestion, placeholder="Your name", id="author")
            yield Label(
                "Enter accept · Esc keep the suggestion" if self.suggestion else "Enter accept",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if not name:
            self.notify("A name is needed; any name will do.", severity="warning")
            return
        self.dismiss(name)

    def action_keep_suggestion(self) -> None:
        if not self.suggestion:
            self.notify("A name is needed; any name will do.", severity="warning")
            return
        self.dismiss(self.suggestion)
