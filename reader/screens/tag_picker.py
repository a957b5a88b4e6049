"""The tag picker: choose one tag of the pack's tag set for a claim."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.classroom.pack import Tag
from reader.ingest.sanitize import display_line

PREVIEW_CHARS = 200


class TagPicker(ModalScreen[str | None]):
    """Pick a tag with the arrows; Enter takes the highlighted one, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, tags: tuple[Tag, ...], quote: str) -> None:
        super().__init__()
        self.tags = tags
        self.quote = quote

    def compose(self) -> ComposeResult:
        preview = " ".join(display_line(self.quote).split())
        if len(preview) > PREVIEW_CHARS:
            preview = preview[: PREVIEW_CHARS - 1] + "…"
        with Vertical(id="tag-picker", classes="dialog"):
            yield Label("Tag this claim", classes="dialog-title")
            yield Static(Text(f"“{preview}”", style="italic"), classes="dialog-quote")
            options = []
            for tag in self.tags:
                prompt = Text(display_line(tag.name), style="bold", end="")
                if tag.description:
                    prompt.append("\n" + display_line(tag.description), style="dim")
                options.append(Option(prompt, id=tag.name))
            yield OptionList(*options, id="tag-options")
            yield Label("↑↓ choose · Enter tag · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = 0
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
