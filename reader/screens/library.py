"""The library: every article in the database and the pack, with annotation counts."""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import count
from typing import TYPE_CHECKING, overload

from rich.style import Style as RichStyle
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content, Span
from textual.geometry import Size
from textual.style import Style
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
from reader.widgets.backdrop import Backdrop, Beneath
from reader.widgets.option_lists import (
    HighlightCursor,
    OneLineDrawing,
    OneLineEntries,
    SafePaging,
    StopsAtEnds,
    toggle_button,
)

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

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


def entry_parts(entry: LibraryEntry, room: int) -> tuple[str, str, str]:
    """One entry's line in `room` cells, in its three parts: its title, an untitled
    article's opening words (with their ` · `, else ""), then its source, date and count
    (the source left out first, then the date, when the title would get less than
    TITLE_CHARS); an article named by its source has its opening words in place of its
    source."""
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
    title = shorten(title, title_room)
    subtitle_room = title_room - len(title) - 3
    subtitle = ""
    if entry.subtitle and subtitle_room >= SUBTITLE_MIN:
        subtitle = " · " + shorten(display_line(entry.subtitle), subtitle_room)
    return title, subtitle, details


def entry_prompt(entry: LibraryEntry, room: int) -> Text:
    """One entry's line in `room` cells (`entry_parts`), bold, its opening words in
    italics, its details dim."""
    title, subtitle, details = entry_parts(entry, room)
    prompt = Text(title, style="bold", end="")
    prompt.append(subtitle, style="italic")
    prompt.append(details, style="dim")
    return prompt


ITALIC = Style.from_rich_style(RichStyle.parse("italic"))
DIM = Style.from_rich_style(RichStyle.parse("dim"))


def entry_content(entry: LibraryEntry, room: int) -> Content:
    """`entry_prompt` as the list draws it: the same `Content` as Textual makes from that
    Text, made straight from the parts (in half the time)."""
    title, subtitle, details = entry_parts(entry, room)
    plain = title + subtitle + details
    if not plain:
        return Content("")
    spans = [Span(0, len(plain), "bold")]
    if subtitle:
        spans.append(Span(len(title), len(title) + len(subtitle), ITALIC))
    if details:
        spans.append(Span(len(plain) - len(details), len(plain), DIM))
    return Content(plain, spans)


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
    """No cycle collection from `o` until the library is on screen: opening it makes
    enough objects to set off the young generations' collections, a few milliseconds in
    the way of its first frame (full ones wait for the reader to be idle anyway,
    `reader.gc_policy.IdleCollections`). They run once it is drawn."""
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
            line = self._lines[index] = entry_content(self.entries[index], self.room)
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


class ArticleChecklist(HighlightCursor, SafePaging, StopsAtEnds, OneLineEntries, OneLineDrawing, SelectionList[str]):
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

    def one_line(self, option: object, room: int) -> Content | None:
        """An entry's line, worded for `room` cells, drawn by `OneLineDrawing`."""
        if self.wording is None or not isinstance(option, EntrySelection):
            return None
        self.wording.fit(max(room, 1))
        return option.prompt

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
        size = self.app.size
        super().__init__(classes=" ".join(self._breakpoint_classes(size)))
        self.made_for = size
        """The terminal's size its classes were chosen for."""
        self.entries = entries if isinstance(entries, LibraryEntries) else LibraryEntries(ready=entries)
        self._checklist = ArticleChecklist.of(self.entries, id="articles")
        """Made with the screen (a library made ready before `o`, see `ReadyLibrary`, has
        its options added already)."""
        self._resumed = False
        self._sized = False

    def _breakpoint_classes(self, size: Size) -> set[str]:
        """The classes Textual gives the screen for `size` on its first resize, given at
        once: that resize then changes no class, and restyles nothing."""
        app = self.app
        width, height = size
        horizontal = app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None else self.HORIZONTAL_BREAKPOINTS
        vertical = app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None else self.VERTICAL_BREAKPOINTS
        classes = self._get_breakpoint_classes(width, horizontal or [])
        return classes | self._get_breakpoint_classes(height, vertical or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="library", classes="dialog"):
            yield Label(f"Library · {len(self.entries)} articles", classes="dialog-title")
            yield self._checklist
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

    def on_resize(self, event: events.Resize) -> None:
        """The first resize comes just after the mount, at the size the screen was made
        for, which the screens beneath have already: Textual would lay them out again
        for it (the reading screen reflowed and its scroll bars redrawn, the same, and its
        rows kept for the backdrop checked line by line again), so only this screen is
        laid out then (its classes are right from the start)."""
        first, self._sized = not self._sized, True
        beneath = self.app._background_screens
        if first and event.size == self.made_for and all(screen.size == event.size for screen in beneath):
            event.stop()
            event.prevent_default()  # not Textual's `Screen._on_resize`
            self._screen_resized(event.size)

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


class ReadyLibrary:
    """The library made ready while the reader reads, so that `o` has only to show it: its
    entries (the catalogue, 2,000 articles in a few milliseconds) for the state they were
    made in, one screen on them with its list's options added, which the next `o` takes,
    and the rows of the screen beneath (`Beneath`). `state()` says cheaply what the
    entries depend on (the database as last saved or seen, the open articles, the feeds'
    entries): entries made in another state are made again at once, and so is a screen
    made for another size of terminal."""

    def __init__(self, beneath: Screen[object], load: Callable[[], LibraryEntries],
                 state: Callable[[], object]) -> None:
        self.beneath = beneath
        self.app = beneath.app
        self._load = load
        self._state = state
        self._entries: LibraryEntries | None = None
        self._made_in: object = None
        self._screen: LibraryScreen | None = None

    def entries(self) -> LibraryEntries:
        """The entries as the database and the session stand now."""
        state = self._state()
        if self._entries is None or state != self._made_in:
            self._entries = self._screen = None
            self._entries, self._made_in = self._load(), state
        return self._entries

    def preparing(self) -> Iterator[None]:
        """Make the library ready, in steps of a few milliseconds at 2,000 articles (a key
        pressed meanwhile is handled between two): the entries, the screen and its list,
        its widgets' default styles and toggle button, the rows beneath."""
        entries = self.entries()
        yield
        if self._screen is None or self._screen.entries is not entries:
            self._screen = LibraryScreen(entries)
            yield
        warm_styles(self.app, self._screen, self._screen._checklist, Vertical(), Label())
        toggle_button()
        yield
        if self.app.screen is self.beneath:
            Beneath.of(self.beneath).keep()

    def keep_beneath(self) -> None:
        """Keep the rows of the screen beneath once it holds still (`Beneath`); not while
        another screen is on top."""
        if self.app.screen is self.beneath:
            Beneath.of(self.beneath).keep_when_still()

    def take(self) -> LibraryScreen:
        """The screen to push now: the one made ready if it still holds, else a new one;
        the rows of the screen beneath held for its first frame (`Beneath.hold`)."""
        entries = self.entries()
        screen, self._screen = self._screen, None
        if screen is None or screen.entries is not entries or screen.made_for != self.app.size:
            screen = LibraryScreen(entries)
        if self.app.screen is self.beneath:
            Beneath.of(self.beneath).hold()
        return screen


def warm_styles(app: App[object], *nodes: DOMNode) -> None:
    """Read the default styles of `nodes`' classes into the app's stylesheet, as Textual
    does when the first widget of a class is mounted, and parse them: at the library's
    first `o` that was 5-10 ms. Only the new rules are parsed (Textual keeps the others'),
    and no widget on screen is restyled: the rules are for widgets not mounted yet."""
    stylesheet = app.stylesheet
    added = False
    for node in nodes:
        for read_from, css, tie_breaker, scope in node._get_default_css():
            if not stylesheet.has_source(*read_from):
                stylesheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker,
                                      scope=scope)
                added = True
    if added:
        stylesheet.parse()
        stylesheet.rules_map  # noqa: B018 - built now, not by the first widget styled after
