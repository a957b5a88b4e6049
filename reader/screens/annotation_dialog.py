"""The one dialog per annotation: a claim's tag, a link's relation, and a note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.classroom.pack import Tag
from reader.ingest.sanitize import display_line
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import ChoiceList

PREVIEW_CHARS = 160

TITLES = {
    "claim": "Tag this claim",
    "contradiction": "Mark a contradiction",
    "link": "Link two passages",
    "note": "Write a note",
}
EDIT_TITLES = {
    "claim": "Edit claim",
    "contradiction": "Edit contradiction",
    "link": "Edit link",
    "note": "Edit note",
}


@dataclass(frozen=True)
class AnnotationFields:
    """What the reader filled in: a tag for a claim, a relation for a link, a note."""

    tags: tuple[str, ...] = ()
    relation: str = ""
    note: str = ""


def preview(quote: str, limit: int = PREVIEW_CHARS) -> str:
    text = " ".join(display_line(quote).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class AnnotationDialog(Dialog[AnnotationFields | None]):
    """Enter accepts (the highlighted choice and the note as typed); Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        kind: str,
        quotes: list[str],
        *,
        tags: tuple[Tag, ...] = (),
        relations: tuple[str, ...] = (),
        initial: AnnotationFields | None = None,
        editing: bool = False,
        why: bool = False,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.quotes = quotes
        self.tags = tags
        self.relations = relations
        self.initial = initial or AnnotationFields()
        self.editing = editing
        self.why = why
        """Key mode: the note is the key item's "why", which students read in their feedback."""

    @property
    def has_choices(self) -> bool:
        return self.kind in ("claim", "link")

    def compose(self) -> ComposeResult:
        title = (EDIT_TITLES if self.editing else TITLES)[self.kind]
        with Vertical(id="annotation-dialog", classes="dialog"):
            yield Label(title, classes="dialog-title")
            for index, quote in enumerate(self.quotes):
                label = f"{'AB'[index]}: " if len(self.quotes) > 1 else ""
                yield Static(Text(f"{label}“{preview(quote)}”", style="italic"), classes="dialog-quote")
            if self.kind == "claim":
                options = []
                for tag in self.tags:
                    prompt = Text(display_line(tag.name), style="bold", end="")
                    if tag.description:
                        prompt.append("  " + display_line(tag.description), style="dim")
                    options.append(Option(prompt, id=tag.name))
                yield ChoiceList(*options, id="choices")
            elif self.kind == "link":
                yield ChoiceList(
                    *(Option(Text(display_line(r)), id=r) for r in self.relations), id="choices"
                )
            if self.why:
                placeholder = "Why (students read it in their feedback)"
            else:
                placeholder = "Note" if self.kind == "note" else "Note (optional)"
            # an edit keeps the note: the cursor waits at its end, nothing selected, so the
            # first key typed adds to it (Textual's Input selects all on focus by default)
            yield Input(value=self.initial.note, placeholder=placeholder, id="note", select_on_focus=False)
            keys = "↑↓ choose · Tab to the note · " if self.has_choices else ""
            yield Label(f"{keys}Enter accept · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        if self.has_choices:
            choices = self.query_one("#choices", OptionList)
            current = self.initial.tags[0] if self.initial.tags else self.initial.relation
            try:
                choices.highlighted = choices.get_option_index(current) if current else 0
            except Exception:  # the pack no longer has that tag or relation
                choices.highlighted = 0
            choices.focus()
        else:
            self.query_one("#note", Input).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _choice_taken(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._accept()

    @on(Input.Submitted, "#note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    def _accept(self) -> None:
        note = self.query_one("#note", Input).value.strip()
        choice = ""
        if self.has_choices:
            highlighted = self.query_one("#choices", OptionList).highlighted_option
            choice = highlighted.id if highlighted and highlighted.id else ""
            if not choice:
                self.notify("Choose one first.", severity="warning")
                return
        if self.kind == "note" and not note:
            self.notify("A note needs some text.", severity="warning")
            return
        self.dismiss(
            AnnotationFields(
                tags=(choice,) if self.kind == "claim" else self.initial.tags,
                relation=choice if self.kind == "link" else "",
                note=note,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
