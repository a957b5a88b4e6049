"""One annotation read out plainly (r): a line per field, each labelled, the quotes whole,
top to bottom and nothing else on screen, for a screen reader, a braille display, or anyone
who finds the highlights and the sidebar's shortened quotes hard to follow."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.ingest.sanitize import display_text
from reader.model import Annotation
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import ChoiceList

HINT = "↑↓ line by line · Esc, q or r closes"


def plain(text: str) -> str:
    """Untrusted text on one line, its white space (line breaks too) single spaces."""
    return " ".join(display_text(text).split())


def read_aloud_lines(annotation: Annotation, titles: Mapping[str, str]) -> list[str]:
    """The annotation's fields, one a line, each with its label: kind, tags or relation,
    each end's article (`titles` by article id) and whole quote, note, author, and how its
    quotes were found again when not exactly where they were made."""
    lines = [f"Kind: {annotation.kind}"]
    if annotation.tags or annotation.kind == "claim":
        lines.append(f"Tags: {plain(', '.join(annotation.tags)) or 'none'}")
    if annotation.relation or annotation.kind == "link":
        lines.append(f"Relation: {plain(annotation.relation) or 'none'}")
    pair = len(annotation.targets) > 1
    for index, target in enumerate(annotation.targets):
        end = f" {'AB'[index]}" if pair else ""
        title = titles.get(target.article_id)
        article = plain(title) if title is not None else f"not open (id {plain(target.article_id)})"
        lines.append(f"Article{end}: {article}")
        lines.append(f"Quote{end}: “{plain(target.quote.exact)}”")
    lines.append(f"Note: {plain(annotation.note) or 'none'}")
    lines.append(f"Author: {plain(annotation.author) or 'unknown'}")
    if annotation.anchor != "exact":
        lines.append(f"Anchor: {annotation.anchor}")
    return lines


class ReadAloudScreen(Dialog[None]):
    """The annotation's fields as a list to go through line by line; Esc, q or r closes."""

    BINDINGS = [Binding("escape,q,r", "close", "Close")]

    def __init__(self, annotation: Annotation, titles: Mapping[str, str]) -> None:
        super().__init__()
        self.lines = read_aloud_lines(annotation, titles)

    def compose(self) -> ComposeResult:
        with Vertical(id="read-aloud"):
            yield ChoiceList(*(Option(Text(line)) for line in self.lines), id="read-aloud-fields")
            yield Label(HINT, id="read-aloud-hint")

    def on_mount(self) -> None:
        fields = self.query_one(OptionList)
        fields.highlighted = 0
        fields.focus()

    @on(OptionList.OptionSelected)
    def _keep_open(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on a line reads it; only Esc, q or r closes

    def action_close(self) -> None:
        self.dismiss(None)
