"""The find bar: a query typed at the bottom of the reading screen, what it searches (this
article or all open ones) and how many matches there are."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, Label

from reader.ingest.sanitize import display_line
from reader.widgets.key_bar import KeyHint, bound_keys

TITLE_CELLS = 48
"""The article's title in the bar is cut to this many cells (narrower still when the bar is)."""


def compile_query(query: str) -> re.Pattern[str] | None:
    """A case-insensitive literal pattern for `query`; None when it is empty."""
    return re.compile(re.escape(query), re.IGNORECASE) if query else None


class FindBar(Horizontal):
    """Type to search the active pane, or every open article (ctrl+o); Enter / Shift+Enter
    for next / previous. While it has focus the key bar shows its keys (`key_hints`)."""

    BINDINGS = [
        Binding("escape", "close", "Close find", show=False, id="find_bar_close"),
        Binding("shift+enter,up", "previous", "Previous match", show=False, id="find_bar_previous"),
        Binding("down", "next", "Next match", show=False, id="find_bar_next"),
        Binding("ctrl+o", "toggle_scope", "This article / all articles", show=False, id="find_bar_scope"),
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
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FindBar > #find-scope {
        max-width: 40%;
    }
    FindBar > #find-count {
        min-width: 5;
    }
    FindBar > Input, FindBar > Input:focus {
        /* Input's own :focus rule draws a tall border, which in one row left only its
           edge on screen: the typed query was invisible */
        width: 1fr;
        min-width: 8;
        max-width: 40;  /* the count right after the query, not at the far end of a wide bar */
        height: 1;
        border: none;
        padding: 0;
    }
    """

    all_articles: var[bool] = var(False)
    """Search every open article, not only the active one (ctrl+o)."""

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
    class ScopeToggled(Message):
        """The reader switched between searching this article and all open articles."""

        bar: FindBar
        all_articles: bool

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
        yield Label("Find", id="find-label")
        yield Input(placeholder="text to find", id="find-input")
        yield Label("", id="find-count", markup=False)
        yield Label("", id="find-scope", markup=False)

    def show_scope(self, title: str | None, articles: int) -> None:
        """Say what is searched: the article called `title` (from its file: shown literally,
        control characters as marks, cut to TITLE_CELLS), or all `articles` open ones."""
        if self.all_articles:
            shown = Text(f"in all {articles} open article{'' if articles == 1 else 's'}")
        else:
            name = Text(display_line(title or "this article"))
            name.truncate(TITLE_CELLS, overflow="ellipsis")
            shown = Text.assemble("in “", name, "”")
        self.query_one("#find-scope", Label).update(shown)

    def show_count(self, count: str) -> None:
        """`3/17`, `no match`, or nothing while nothing is typed."""
        label = self.query_one("#find-count", Label)
        label.update(Text(count))
        label.set_class(count == "no match", "-none")

    def key_hints(self) -> list[KeyHint]:
        """What the key bar shows while focus is in the find bar: its own keys only."""
        scope, short = ("This article", "One") if self.all_articles else ("All articles", "All")
        return [
            KeyHint("enter", "⏎", "Next", True, "Next"),
            self._hint("find_bar_previous", "up", "Previous", "Prev"),
            self._hint("find_bar_scope", "ctrl+o", scope, short),
            self._hint("find_bar_close", "escape", "Close", "Close"),
        ]

    def _hint(self, binding_id: str, usual: str, description: str, short: str) -> KeyHint:
        """The hint for a key of the bar: `usual` while it is bound, else the key the keymap
        gave the binding."""
        keys = bound_keys(self, binding_id) or [usual]
        key = usual if usual in keys else keys[0]
        return KeyHint(key, self.app.get_key_display(Binding(key, "")), description, True, short)

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

    def action_toggle_scope(self) -> None:
        self.all_articles = not self.all_articles
        self.screen.refresh_bindings()  # the key bar's hint for ctrl+o says the other scope
        self.post_message(self.ScopeToggled(self, self.all_articles))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(self))
