"""Asked on quit when changes could not be saved: nothing is lost silently."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.ingest.sanitize import display_line
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import ChoiceList

RETRY, SAVE_COPY, DISCARD = "retry", "copy", "discard"


class UnsavedChangesDialog(Dialog[tuple[str, Path | None] | None]):
    """Try again, save a copy elsewhere, or quit and lose the changes; Esc stays."""

    BINDINGS = [Binding("escape", "stay", "Stay")]

    def __init__(self, count: int, reason: str, suggested_copy: Path) -> None:
        super().__init__()
        self.count = count
        self.reason = reason
        self.suggested_copy = suggested_copy

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-dialog", classes="dialog"):
            yield Label(f"{self.count} change(s) are not saved", classes="dialog-title")
            yield Label(Text(display_line(self.reason)), classes="dialog-body")
            yield ChoiceList(
                Option("Try saving again", id=RETRY),
                Option("Save all annotations to the file below, then quit", id=SAVE_COPY),
                Option("Quit and lose the unsaved changes", id=DISCARD),
                id="quit-choices",
            )
            yield Input(value=str(self.suggested_copy), id="copy-path")
            yield Label("Enter choose · Esc keep working", classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        path = Path(self.query_one("#copy-path", Input).value).expanduser()
        self.dismiss((event.option.id or RETRY, path if event.option.id == SAVE_COPY else None))

    @on(Input.Submitted)
    def _path_given(self, event: Input.Submitted) -> None:
        self.dismiss((SAVE_COPY, Path(event.value).expanduser()))

    def action_stay(self) -> None:
        self.dismiss(None)
