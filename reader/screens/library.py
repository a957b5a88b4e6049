"""The library: every article in the database and the pack, with annotation counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.ingest.entry import FeedEntry
from reader.ingest.sanitize import display_line
from reader.ingest.title import named_by_source, opening, shorten
from reader.model import Article
from reader.screens.dialog import Dialog
from reader.widgets.option_lists import HighlightCursor, SafePaging, StopsAtEnds

MAX_PANES = 4
LINE_CHARS = 78
"""Room for one entry's line before the list knows its width; a SelectionList shows one
line per entry."""
SOURCE_CHARS = 26
TITLE_CHARS = 24
"""Sources are cut to SOURCE_CHARS and titles to what is left of the line, but never below
TITLE_CHARS: in a narrow list the source goes first, then the date, then the count."""
SUBTITLE_MIN = 12
"""An untitled article's opening words follow its name when this much of them is seen."""
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
    subtitle: str = ""
    """An article named by its source: the opening of its text."""


def library_entry(article: Article, annotations: int, is_open: bool) -> LibraryEntry:
    """How the library lists an article (made in a worker thread: no sentence segmenter)."""
    subtitle = opening(article.text) if named_by_source(article.title, article.text, article.source) else ""
    return LibraryEntry(article.id, article.title, article.source.rsplit("/", 1)[-1] or article.id, annotations,
                        is_open, article.published, subtitle=subtitle)


def entry_prompt(entry: LibraryEntry, room: int) -> Text:
    """One entry's line in `room` cells: its title, then its source, date and count (the
    source left out first, then the date, when the title would get less than TITLE_CHARS);
    an article named by its source has its opening words in place of its source."""
    count = f"{entry.annotations} annotation{'s' if entry.annotations != 1 else ''}"
    if entry.feed_entry:
        count = "feed entry"
    source = "" if entry.subtitle else shorten(display_line(entry.source), SOURCE_CHARS)
    title = display_line(entry.title)
    for parts in ([source, display_line(when(entry.published)), count], [display_line(when(entry.published)), count],
                  [count], []):
        details = "".join(f" · {part}" for part in parts if part)
        if room - len(details) >= min(TITLE_CHARS, len(title)):
            break
    title_room = max(TITLE_CHARS // 2, room - len(details))
    prompt = Text(shorten(title, title_room), style="bold", end="")
    subtitle_room = title_room - len(prompt.plain) - 3
    if entry.subtitle and subtitle_room >= SUBTITLE_MIN:
        prompt.append(" · " + shorten(display_line(entry.subtitle), subtitle_room), style="italic")
    prompt.append(details, style="dim")
    return prompt


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



class ArticleChecklist(HighlightCursor, SafePaging, StopsAtEnds, SelectionList[str]):
    """The library's list: Space marks an article, Enter opens the marked ones. Each line
    is worded for the list's width (a 40-column terminal shows titles, not file names)."""

    entries: tuple[LibraryEntry, ...] = ()
    """The entries listed, in order: their lines are worded again when the width changes."""

    @classmethod
    def of(cls, entries: list[LibraryEntry], *, id: str | None = None) -> ArticleChecklist:
        checklist = cls(*(Selection(entry_prompt(e, LINE_CHARS), e.article_id, e.is_open) for e in entries), id=id)
        checklist.entries = tuple(entries)
        return checklist

    def on_resize(self, event: events.Resize) -> None:
        padding = self.get_component_styles("option-list--option").padding
        room = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
        for index, entry in enumerate(self.entries):
            self.replace_option_prompt_at_index(index, entry_prompt(entry, max(room, 1)))


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
            yield ArticleChecklist.of(self.entries, id="articles")
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
