"""The line that says what a half-made contradiction or link waits for.

It used to be the status bar's message, after the save state, author, database and
counts: at 80 columns it ended at "contradiction: first side “The president was …", so
the instruction was never seen. It has a line of its own now, shown only while a first
side waits, and its wording is chosen by the width: the instruction (select the other
side, press the key again; Esc cancels) always fits, the quote of the first side gets
what room is left.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.ingest.sanitize import display_line
from reader.widgets.key_bar import key_named

QUOTE_MIN = 12
"""A quote cut shorter than this says nothing: that wording is skipped."""


def pending_text(kind: str, quote: str, key: str, width: int, cancel: str = "Esc") -> Text:
    """The longest wording that fits `width` cells: never the instruction cut. `key` makes
    the other side, `cancel` cancels (a keymap may have moved either)."""
    label = kind.capitalize()
    quote = display_line(" ".join(quote.split()))
    steps = [
        (f"{label}, first side ", f" marked: select the other side (in either pane) and press {key} · {cancel} cancels"),
        (f"{label}: ", f" · select the other side, press {key} · {cancel} cancels"),
    ]
    for before, after in steps:
        room = width - len(before) - len(after) - 3  # the quote marks, a space
        if room >= min(QUOTE_MIN, len(quote)):
            shown = Text(f"“{quote}”")
            if len(quote) > room:
                shown = Text(f"“{quote[:max(room - 1, 1)].rstrip()}…”")
            return Text.assemble(" ", (before, "bold"), shown, (after, "bold"))
    for short in (f" {label}: select the other side, press {key} · {cancel} cancels",
                  f" {label}: other side, then {key} · {cancel} cancels",
                  f" Other side, then {key} · {cancel} cancels",
                  f" Other side: {key} · {cancel}"):
        if len(short) <= width:
            return Text(short, style="bold")
    return Text(f" {key} · {cancel}"[:width], style="bold")


class PendingMark(Widget):
    """One line above the status bar while the first side of a pair waits."""

    DEFAULT_CSS = """
    PendingMark {
        height: 1;
        width: 1fr;
        display: none;
        background: $warning 25%;
    }
    PendingMark.-waiting {
        display: block;
    }
    """

    waiting: reactive[tuple[str, str, str] | None] = reactive(None)
    """(kind, quote of the first side, key) while a first side waits."""

    def watch_waiting(self, waiting: tuple[str, str, str] | None) -> None:
        self.set_class(waiting is not None, "-waiting")

    def render(self) -> Text:
        if self.waiting is None:
            return Text("")
        text = pending_text(*self.waiting, self.size.width, cancel=key_named(self, "cancel_mark"))
        text.no_wrap = True
        return text
