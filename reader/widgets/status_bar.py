"""The status bar: save state, author, database file, counts and the last action's message."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.ingest.sanitize import display_line


class StatusBar(Widget):
    """One line at the bottom of the reading screen."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        width: 1fr;
    }
    """

    save_state: reactive[str] = reactive("saved")
    """`saved`, `saving`, or the one-line reason a save failed."""
    counts: reactive[str] = reactive("")
    """Annotation counts, e.g. `2 claims`."""
    message: reactive[str] = reactive("")
    """What the last action did, or what a half-made pair waits for."""
    author: reactive[str] = reactive("")
    """Who is annotating."""

    def __init__(self, db: str, author: str, *, id: str | None = None, read_only: bool = False,
                 banner: str = "") -> None:
        super().__init__(id=id)
        self.db = db
        self.banner = banner
        """The class view: what it shows, when no message stands in its place."""
        self.read_only = read_only
        """The class view: nothing is made or saved, so nothing about saving is said."""
        self.set_reactive(StatusBar.author, author)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.read_only:  # the class view: what it shows, never a word about saving
            if self.message or self.banner:
                text.append(f" {display_line(self.message or self.banner)} ", style="bold")
            if self.counts:
                text.append(f" │ showing {self.counts} ", style="dim")
        else:
            if self.save_state == "saved":
                text.append(" ✓ saved ", style="bold")
            elif self.save_state == "saving":
                text.append(" … saving ", style="bold")
            else:
                text.append(f" ✗ not saved: {display_line(self.save_state)} ", style="bold reverse")
            text.append(f" {display_line(self.author or 'no author yet')} ", style="italic")
            text.append(f" {display_line(self.db)} ", style="dim")
            if self.counts:
                text.append(f" {self.counts} ")
            if self.message:
                text.append(" │ ", style="dim")
                text.append(f"{display_line(self.message)} ", style="bold")
        # Textual 8 wraps a rendered Text despite no_wrap: cut it to the bar here, with "…"
        text.truncate(self.size.width, overflow="ellipsis")
        return text
