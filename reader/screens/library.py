"""The library: every article in the database and the pack, with annotation counts."""

from __future__ import annotations

import gc
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import count
from typing import TYPE_CHECKING, overload

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.visual import Visual
from textual.widgets import Label, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from reader.article_names import readable_name
from reader.errors import UserError
from reader.ingest.entry import FeedEntry
from reader.ingest.sanitize import display_line
from reader.ingest.title import named_by_source, opening, shorten
from reader.model import Article
from reader.screens.dialog import Dialog
from reader.widgets.backdrop import Backdrop
from reader.widgets.option_lists import HighlightCursor, OneLineEntries, SafePaging, StopsAtEnds

if TYPE_CHECKING:
    from reader.catalogue import Listed

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
    """How the library lists an article (made as its line is first drawn: no sentence
    segmenter)."""
    return LibraryEntry(article.id, article.title, article.source.rsplit("/", 1)[-1] or article.id, annotations,
                        is_open, article.published, subtitle=untitled_opening(article))


def untitled_opening(article: Article) -> str:
    """An article named by its source: the opening of its text; else "". Its text is read
    only when its title is its source's name (it may then be untitled), and a text that
    does not read now gives none (the list is being drawn: nothing may fail)."""
    if not article.title or article.title != readable_name(article.source):
        return ""
    try:
        text = article.text
    except (UserError, OSError):
        return ""
    return opening(text) if named_by_source(article.title, text, article.source) else ""


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
    if not entries:
        return []
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


def collections_held_until_drawn(app: App[object]) -> None:
    """No cycle collection from `o` until the library is on screen: as at start-up
    (`reader.gc_policy`), a full collection walks every object made since the app settled,
    the reading screen's drawn rows among them (30-100 ms on a 2-core machine), and
    opening the library makes enough objects to set one off. It runs once it is drawn."""
    if gc.isenabled():  # not when held for the app's start, which lets it run again
        gc.disable()
        app.call_after_refresh(gc.enable)  # after the screen on top (the library) is drawn


class LibraryEntries(Sequence[LibraryEntry]):
    """The library's entries in order: the stored articles, each made into its entry when
    first asked for (`library_entry` may read an untitled article's text), then the ready
    ones (a feed's entries not opened yet). An article's id and mark are known at once, so
    the list is built without making a single entry; its lines make those they draw."""

    def __init__(self, articles: Sequence[Listed] = (), open_ids: Collection[str] = (),
                 ready: Sequence[LibraryEntry] = ()) -> None:
        self._articles = articles
        self._open_ids = open_ids
        self._ready = ready
        self._made: dict[int, LibraryEntry] = {}

    def __len__(self) -> int:
        return len(self._articles) + len(self._ready)

    @overload
    def __getitem__(self, index: int) -> LibraryEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[LibraryEntry]: ...

    def __getitem__(self, index: int | slice) -> LibraryEntry | list[LibraryEntry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index >= len(self._articles):
            return self._ready[index - len(self._articles)]
        entry = self._made.get(index)
        if entry is None:
            article = self._articles[index]
            entry = self._made[index] = library_entry(article, article.annotations, article.id in self._open_ids)
        return entry

    def values(self) -> list[str]:
        """The ids the library's choice returns, entry by entry."""
        return [article.id for article in self._articles] + [entry.article_id for entry in self._ready]

    def marks(self) -> list[bool]:
        """Whether each entry comes marked (its article is open)."""
        open_ids = self._open_ids
        return [article.id in open_ids for article in self._articles] + [entry.is_open for entry in self._ready]

    @property
    def made(self) -> int:
        """How many stored articles have been made into entries so far."""
        return len(self._made)


class Wording:
    """The library's lines worded for the room the list gives them, each when first drawn
    (or asked for): a list of thousands of articles words the few it shows."""

    def __init__(self, entries: Sequence[LibraryEntry]) -> None:
        self.entries = entries
        self.room = LINE_CHARS
        self._lines: dict[int, Content] = {}

    def fit(self, room: int) -> None:
        """Word the lines for `room` cells from now on (those worded for another, again)."""
        if room != self.room:
            self.room, self._lines = room, {}

    def line(self, index: int) -> Content:
        line = self._lines.get(index)
        if line is None:
            line = self._lines[index] = Content.from_text(entry_prompt(self.entries[index], self.room))
        return line

    @property
    def worded(self) -> int:
        """How many lines are worded for the present room."""
        return len(self._lines)


class EntrySelection(Selection[str]):
    """One entry of the library's list: its id and its mark given at once, its line worded
    when the list draws it (or it is asked for), for the room the list has then."""

    def __init__(self, wording: Wording, index: int, value: str, marked: bool) -> None:
        Option.__init__(self, "")  # not Selection's: it would word the line now
        self._value = value
        self._initial_state = marked
        self._wording = wording
        self._index = index

    @property
    def prompt(self) -> Content:
        return self._wording.line(self._index)


class ArticleChecklist(HighlightCursor, SafePaging, StopsAtEnds, OneLineEntries, SelectionList[str]):
    """The library's list: Space marks an article, Enter opens the marked ones. Each line
    is worded for the list's width as it is drawn (a 40-column terminal shows titles, not
    file names): opening a library of thousands words the lines on screen, not the rest."""

    wording: Wording | None = None
    """The entries' lines (None for a list of plain selections)."""

    @classmethod
    def of(cls, entries: LibraryEntries, *, id: str | None = None) -> ArticleChecklist:
        wording = Wording(entries)
        checklist = cls(id=id)  # given its entries once, not twice as Textual's constructor does
        checklist.add_options(map(partial(EntrySelection, wording), count(), entries.values(), entries.marks()))
        checklist.action_first()
        checklist.wording = wording
        return checklist

    def _get_visual(self, option: Option) -> Visual:
        """An entry's line, worded for the room the list has now (Textual asks only for the
        lines it draws: `OneLineEntries` lays the list out without them)."""
        if self.wording is None or not isinstance(option, EntrySelection):
            return super()._get_visual(option)
        if self.scrollable_content_region.width:
            padding = self.get_component_styles("option-list--option").padding
            room = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
            self.wording.fit(max(room, 1))
        return option.prompt


class LibraryScreen(Dialog[list[str] | None]):
    """Space marks up to four articles, Enter opens them (or the highlighted one)."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("enter", "open", "Open", priority=True),
    ]

    def __init__(self, entries: Sequence[LibraryEntry]) -> None:
        super().__init__(classes=" ".join(self._breakpoint_classes()))
        self.entries = entries if isinstance(entries, LibraryEntries) else LibraryEntries(ready=entries)
        self._resumed = False

    def _breakpoint_classes(self) -> set[str]:
        """The classes Textual gives the screen for its size on its first resize, given at
        once: that resize then changes no class, and restyles nothing."""
        app = self.app
        width, height = app.size
        horizontal = app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None else self.HORIZONTAL_BREAKPOINTS
        vertical = app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None else self.VERTICAL_BREAKPOINTS
        classes = self._get_breakpoint_classes(width, horizontal or [])
        return classes | self._get_breakpoint_classes(height, vertical or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="library", classes="dialog"):
            yield Label(f"Library · {len(self.entries)} articles", classes="dialog-title")
            yield ArticleChecklist.of(self.entries, id="articles")
            yield Label(
                f"↑↓ move · Space mark (up to {MAX_PANES}) · Enter open · Esc back",
                classes="dialog-hint",
            )

    def render(self) -> RenderResult:
        return Backdrop.replacing(super().render())  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first resume comes just after the mount, which styled every widget: Textual's
        restyle of the whole screen is skipped then (not on a later resume)."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

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
