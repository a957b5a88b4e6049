"""The library: every article in the database and the pack, with annotation counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.ingest.sanitize import display_line

MAX_PANES = 4


@dataclass(frozen=True)
class LibraryEntry:
    """One article as the library lists it."""

    article_id: str
    title: str
    source: str
    annotations: int
    is_open: bool


class LibraryScreen(ModalScreen[list[str] | None]):
    """Space marks up to four articles, Enter opens them (or the highlighted one)."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("enter", "open", "Open", priority=True),
    ]

    def __init__(self, entries: list[LibraryEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="library", classes="dialog"):
            yield Label(f"Library · {len(self.entries)} articles", classes="dialog-title")
            selections = []
            for entry in self.entries:
                prompt = Text(display_line(entry.title), style="bold", end="")
                count = f"{entry.annotations} annotation{'s' if entry.annotations != 1 else ''}"
                prompt.append(f"\n{display_line(entry.source)} · {count}", style="dim")
                selections.append(Selection(prompt, entry.article_id, entry.is_open))
            yield SelectionList[str](*selections, id="articles")
            yield Label(
                f"↑↓ move · Space mark (up to {MAX_PANES}) · Enter open · Esc back",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @on(SelectionList.SelectedChanged)
    def _at_most_four(self, event: SelectionList.SelectedChanged) -> None:
        selected = event.selection_list.selected
        if len(selected) > MAX_PANES:
            event.selection_list.deselect(selected[-1])
            self.notify(f"At most {MAX_PANES} articles open side by side.", severity="warning")

    def action_open(self) -> None:
        articles = self.query_one(SelectionList)
        chosen = list(articles.selected)
        if not chosen and articles.highlighted is not None:
            chosen = [articles.get_option_at_index(articles.highlighted).value]
        if chosen:
            self.dismiss(chosen[:MAX_PANES])

    def action_cancel(self) -> None:
        self.dismiss(None)
