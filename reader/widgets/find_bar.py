"""The find bar: a query typed at the bottom of the reading screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


def compile_query(query: str) -> re.Pattern[str] | None:
    """A case-insensitive literal pattern for `query`; None when it is empty."""
    return re.compile(re.escape(query), re.IGNORECASE) if query else None


class FindBar(Horizontal):
    """Type to search the active pane; Enter / Shift+Enter for next / previous."""

    BINDINGS = [
        Binding("escape", "close", "Close find", show=False),
        Binding("shift+enter,up", "previous", "Previous match", show=False),
        Binding("down", "next", "Next match", show=False),
    ]

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        display: none;
    }
    FindBar.-open {
        display: block;
    }
    FindBar > Label {
        width: auto;
        padding: 0 1;
    }
    FindBar > Input, FindBar > Input:focus {
        /* Input's own :focus rule draws a tall border, which in one row left only its
           edge on screen: the typed query was invisible */
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
    }
    """

    @dataclass
    class Search(Message):
        """Find the next (forward) or previous match of the query."""

        bar: FindBar
        query: str
        forward: bool
        incremental: bool = False

        @property
        def control(self) -> FindBar:
            return self.bar

    @dataclass
    class Closed(Message):
        """The reader closed the find bar."""

        bar: FindBar

        @property
        def control(self) -> FindBar:
            return self.bar

    def compose(self) -> ComposeResult:
        yield Label("Find")
        yield Input(placeholder="text to find (Enter next, Shift+Enter previous, Esc close)", id="find-input")

    @property
    def query_text(self) -> str:
        """What is typed; empty while the bar is mounted but its field not yet (F3 pressed
        in that instant: found by the monkey test)."""
        fields = self.query(Input)
        return fields.first().value if fields else ""

    def open(self) -> None:
        self.add_class("-open")
        field = self.query_one(Input)
        # focus now, not after the keys already queued (Widget.focus defers it): keys typed
        # right after / must land in the field
        self.screen.set_focus(field)
        if self.screen.focused is not field:  # just mounted, not focusable yet
            field.focus()
        field.select_all()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Search(self, event.value, True, incremental=True))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Search(self, event.value, True))

    def action_next(self) -> None:
        self.post_message(self.Search(self, self.query_text, True))

    def action_previous(self) -> None:
        self.post_message(self.Search(self, self.query_text, False))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(self))
