"""Choose an export format; the file is written next to the database."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.screens.dialog import Dialog
from reader.widgets.option_lists import ChoiceList

FORMAT_NAMES = {
    "json": "presscheck JSON (hand-in, import, compare)",
    "w3c": "W3C Web Annotation JSON-LD (other annotation tools)",
    "csv": "CSV, one row per quote (spreadsheets)",
    "md": "Markdown report (reading, printing)",
}


class ExportDialog(Dialog[str | None]):
    """Enter exports in the highlighted format; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export annotations", classes="dialog-title")
            yield Label(Text(f"The file is written to {self.folder}"), classes="dialog-body")
            yield ChoiceList(
                *(Option(Text(name), id=key) for key, name in FORMAT_NAMES.items()), id="formats"
            )
            yield Label("↑↓ choose · Enter export · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = 0
        formats.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
