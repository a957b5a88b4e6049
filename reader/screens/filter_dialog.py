"""Choose what the sidebar lists: everything, one kind, one tag, or (the class view) the
answer key or one student."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.ingest.sanitize import display_line
from reader.model import KINDS
from reader.widgets.annotation_sidebar import GROUP_TITLES, SidebarFilter
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import ChoiceList


@dataclass(frozen=True)
class _Choice:
    label: str
    value: SidebarFilter


class FilterDialog(Dialog[SidebarFilter | None]):
    """Enter takes the highlighted filter; Esc leaves the filter as it is."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, tags: list[str], current: SidebarFilter, people: list[str] | None = None) -> None:
        super().__init__()
        # the class view: the answer key, or one student at a time
        self.choices = [_Choice("Answer key" if i == 0 else f"Student: {person}", SidebarFilter(author=person))
                        for i, person in enumerate(people or [])]
        self.choices += [_Choice("Everything" + (" (every student)" if people else ""), SidebarFilter())]
        self.choices += [_Choice(GROUP_TITLES[kind], SidebarFilter(kind=kind)) for kind in KINDS]
        self.choices += [_Choice(f"Tag: {tag}", SidebarFilter(tag=tag)) for tag in tags]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label("Show in the sidebar", classes="dialog-title")
            yield ChoiceList(
                *(Option(Text(display_line(c.label)), id=str(i)) for i, c in enumerate(self.choices)),
                id="filters",
            )
            yield Label("↑↓ choose · Enter show · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        filters = self.query_one(OptionList)
        values = [c.value for c in self.choices]
        filters.highlighted = values.index(self.current) if self.current in values else 0
        filters.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)].value)

    def action_cancel(self) -> None:
        self.dismiss(None)
