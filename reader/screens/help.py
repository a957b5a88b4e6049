"""The help screen: every key, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static
from reader.screens.dialog import Dialog

KeyGroup = tuple[str, list[Binding]]

EXTRA_KEYS: list[tuple[str, str]] = [
    ("mouse drag", "select exactly the dragged text; then t, c, l, n apply"),
    ("click", "put the cursor on a sentence (Shift+click extends); click an entry to jump"),
    ("Enter (sidebar)", "jump: scroll both panes to both ends of the annotation"),
    ("Enter / ↓ (find bar)", "next match"),
    ("Shift+Enter / ↑ (find bar)", "previous match"),
    ("Esc (find bar)", "close the find bar"),
]


class HelpScreen(Dialog[None]):
    """Every binding of the app, grouped where it applies."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Label("presscheck keys", classes="dialog-title")
            for title, bindings in self.groups:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=18)
                table.add_column()
                for binding in bindings:
                    keys = " / ".join(self.app.get_key_display(Binding(k, "")) for k in binding.key.split(","))
                    table.add_row(Text(keys), Text(binding.description))
                yield Label(title, classes="help-group")
                yield Static(table)
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", min_width=18)
            table.add_column()
            for keys, what in EXTRA_KEYS:
                table.add_row(Text(keys), Text(what))
            yield Label("Mouse and lists", classes="help-group")
            yield Static(table)
            yield Label("Esc, q or ? closes this screen", classes="dialog-hint")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
