"""The library: every article in the database and the pack, with annotation counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.ingest.entry import FeedEntry
from reader.ingest.sanitize import display_line
from reader.ingest.title import shorten
from reader.model import Article
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import SafePaging, StopsAtEnds

MAX_PANES = 4
LINE_CHARS = 78
"""Room for one entry's line in the list; a SelectionList shows one line per entry."""
SOURCE_CHARS = 26
TITLE_CHARS = 24
"""Sources are cut to SOURCE_CHARS and titles to what is left of LINE_CHARS, but never
below TITLE_CHARS, so that dates and counts stay in view."""
FEED_PREFIX = "feed:"
"""Library ids of feed entries not opened yet: the prefix and the entry's index."""


@dataclass(frozen=True)
class LibraryEntry:
    """One article as the library lists it."""

    article_id: str
    title: str
    source: str
    annotations: int
    is_open: bool
    published: str = ""
    feed_entry: bool = False
    """A feed's entry, not opened yet: opening it fetches and ingests it."""


def when(published: str) -> str:
    """The date of an ISO 8601 date or date and time, as the library shows it."""
    return published[:10] if len(published) > 10 and published[10] in "T " else published


def feed_library_entries(entries: list[FeedEntry], articles: list[Article]) -> list[LibraryEntry]:
    """Library rows for the feed entries that are not articles in the database yet."""
    ingested = {article.source for article in articles}
    return [
        LibraryEntry(f"{FEED_PREFIX}{index}", entry.title, entry.feed_title, 0, False, entry.published, True)
        for index, entry in enumerate(entries)
        if entry.source not in ingested
    ]


def chosen_feed_entries(entries: list[FeedEntry], ids: list[str]) -> list[FeedEntry]:
    """The feed entries among the library ids chosen."""
    indexes = [int(i[len(FEED_PREFIX):]) for i in ids if i.startswith(FEED_PREFIX)]
    return [entries[i] for i in indexes if 0 <= i < len(entries)]



class ArticleChecklist(SafePaging, StopsAtEnds, SelectionList[str]):
    """The library's list: Space marks an article, Enter opens the marked ones."""

class LibraryScreen(Dialog[list[str] | None]):
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
                # one line: a SelectionList shows only the first line of a prompt
                count = f"{entry.annotations} annotation{'s' if entry.annotations != 1 else ''}"
                if entry.feed_entry:
                    count = "feed entry"
                parts = [shorten(display_line(entry.source), SOURCE_CHARS), display_line(when(entry.published)), count]
                details = "".join(f" · {part}" for part in parts if part)
                title = shorten(display_line(entry.title), max(TITLE_CHARS, LINE_CHARS - len(details)))
                prompt = Text(title, style="bold", end="")
                prompt.append(details, style="dim")
                selections.append(Selection(prompt, entry.article_id, entry.is_open))
            yield ArticleChecklist(*selections, id="articles")
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
