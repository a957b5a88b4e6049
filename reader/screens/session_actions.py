"""The reading screen's keys for the session as a whole: open other articles (the library,
fetched sources), export, hand in, instructions, help.

Opening articles changes what the workspace has open and puts a new reading screen in
this one's place; the workspace, its undo history included, goes on. A mixin of
`ReadingScreen`, kept apart for its length.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from reader.errors import UserError
from reader.widgets.key_bar import key_named

if TYPE_CHECKING:
    from collections.abc import Iterator

    from textual.screen import Screen
    from textual.timer import Timer

    from reader.ingest.entry import FeedEntry
    from reader.model import Article
    from reader.screens.library import LibraryEntries, ReadyLibrary
    from reader.widgets.article_pane import ArticlePane
    from reader.widgets.source_loader import SourceLoader
    from reader.workspace import StoredAnnotations, Workspace

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object


BENEATH_SETTLES = 0.25
"""Seconds between the looks at the screen beneath the library, BENEATH_TRIES of them
after it is made ready: its rows are kept again once it has held still that long. What
the first frame left out (the sidebar's entries and scroll bar, the tabs) is drawn after
it; a look at a screen that did not change costs a check of its lines."""
BENEATH_TRIES = 4


class SessionActions(_ScreenBase):
    """`action_library`, `action_export`, `action_hand_in` and the like."""

    _library: ReadyLibrary | None = None
    _library_asked = False
    """Whether the library is to be made ready after the next frame."""
    _beneath_timer: Timer | None = None
    _beneath_looks = 0

    if TYPE_CHECKING:  # what the reading screen provides
        workspace: Workspace

        def _say(self, message: str) -> None: ...

        def _reopen(self) -> None: ...

        @property
        def active_pane(self) -> ArticlePane | None: ...

    # other articles -------------------------------------------------------------------------

    def action_library(self) -> None:
        from reader.screens.library import collections_held_until_drawn

        collections_held_until_drawn(self.app)
        try:
            screen = self._ready_library().take()
        except Exception as error:  # noqa: BLE001 - as the worker it replaced did: one toast, the app goes on
            self.notify(f"The library failed: {type(error).__name__}: {error}", severity="error", timeout=12,
                        markup=False)
            return
        self.app.push_screen(screen, self._library_closed)

    def library_ready_soon(self) -> None:
        """Make the library ready for `o` (`ReadyLibrary`) once the next frame is drawn:
        called when the reading screen is furnished, after the library closes, after a
        save. What `o` still had to make, it makes at once."""
        if self._library_asked or self.check_action("library", ()) is False:  # the class view has none
            return
        if self._library is None:  # the first call: a save changes the counts, the library is made again
            self.watch(self.app, "save_state", self._library_saved, init=False)
        self._library_asked = True
        self.call_after_refresh(self._prepare_library)

    def _library_saved(self, state: str) -> None:
        if state == "saved":
            self.library_ready_soon()

    def _prepare_library(self, steps: Iterator[None] | None = None) -> None:
        """One step of `ReadyLibrary.preparing`, the next queued behind whatever came
        meanwhile (a key). A step that fails leaves it to `o`, which says why."""
        if steps is None:
            self._library_asked = False  # asked again from now on, made again
        if not self.is_attached:
            return
        try:
            steps = steps or self._ready_library().preparing()
            next(steps)
        except StopIteration:
            self._look_beneath()
            return
        except Exception:  # noqa: BLE001 - a failure `o` will report
            return
        self.call_later(self._prepare_library, steps)

    def _look_beneath(self) -> None:
        """Look at the screen beneath the library BENEATH_TRIES more times, one every
        BENEATH_SETTLES seconds (`ReadyLibrary.keep_beneath`)."""
        self._beneath_looks = BENEATH_TRIES
        if self._beneath_timer is None:
            self._beneath_timer = self.set_interval(BENEATH_SETTLES, self._looked_beneath)

    def _looked_beneath(self) -> None:
        self._beneath_looks -= 1
        if self._beneath_looks <= 0 and self._beneath_timer is not None:
            self._beneath_timer.stop()
            self._beneath_timer = None
        if self._library is not None:
            self._library.keep_beneath()

    def _ready_library(self) -> ReadyLibrary:
        if self._library is None:
            from reader.screens.library import ReadyLibrary

            self._library = ReadyLibrary(self, self._load_library, self._library_state)
        return self._library

    def _library_state(self) -> tuple[object, ...]:
        """What the library's entries depend on, read in a few microseconds: the database
        (brought up to date first: two `stat` calls, unless another process saved), the open
        articles and the feeds' entries."""
        workspace = self.workspace
        store = workspace.store
        with store.reading():
            seen = store.seen()
        return seen, workspace.open_ids, tuple(workspace.feed_entries)

    def _load_library(self) -> LibraryEntries:
        """The library's entries, on the event loop: the catalogue reads no annotation and
        no text, and an entry is made (its text read, if it is untitled) only when its
        line is drawn. A worker thread cost more than the reading it saved."""
        from reader.catalogue import catalogue
        from reader.changed_files import current_versions
        from reader.screens.library import LibraryEntries, feed_library_entries

        workspace = self.workspace
        listed = catalogue(workspace.store)  # no annotation and no text read
        open_ids = workspace.open_ids
        counts = {a.id: a.annotations for a in listed}
        shown = current_versions(listed, lambda i: counts[i] or i in open_ids)  # not a changed file's old text
        return LibraryEntries(shown, open_ids, feed_library_entries(workspace.feed_entries, listed))

    def _library_closed(self, ids: list[str] | None) -> None:
        if not ids:
            self.library_ready_soon()  # for the next `o`
            return
        from reader.screens.library import FEED_PREFIX, chosen_feed_entries

        to_fetch = chosen_feed_entries(self.workspace.feed_entries, ids)  # by the next screen
        store = self.workspace.store
        found = [store.article(i) for i in ids if not i.startswith(FEED_PREFIX)]
        self._open_articles([a for a in found if a is not None], to_fetch)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _open_articles(self, articles: list[Article], to_fetch: list[FeedEntry]) -> None:
        stored = self.workspace.read_stored(a.id for a in articles)
        self.app.call_from_thread(self._opened, articles, stored, to_fetch)

    def _opened(self, articles: list[Article], stored: StoredAnnotations, to_fetch: list[FeedEntry]) -> None:
        self.workspace.open(articles, stored, list(to_fetch))
        self._reopen()

    def on_source_loader_loaded(self, event: SourceLoader.Loaded) -> None:
        """URLs or feed entries fetched in the background: open them (or list the feeds'
        entries in the library) on a new reading screen."""
        if event.errors:
            self._say(event.errors[-1])
        if event.articles or event.entries:
            self.workspace.add_fetched(event.articles, event.entries, event.stored)
            self._reopen()
        else:
            self.workspace.to_fetch = []  # tried: the next screen does not try again

    # files for someone else -----------------------------------------------------------------

    def action_export(self) -> None:
        def chosen(format: str | None) -> None:
            if format:
                self.run_worker(self._export(format), group="export", exit_on_error=False)

        from reader.screens.export_dialog import ExportDialog

        where = "your browser's downloads" if self.workspace.session.seat else str(self.workspace.store.path.parent)
        self.app.push_screen(ExportDialog(where), chosen)

    async def _export(self, format: str) -> None:
        try:
            path, count = await asyncio.to_thread(self.workspace.export, format)
        except UserError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        if self.workspace.session.seat is not None:
            # a student in a browser (serve --class): the file is theirs to download; where
            # it sits on the teacher's computer is none of their business
            self.app.deliver_binary(path, save_filename=path.name)
            self.notify(f"Exported {count} annotation(s): your browser downloads {path.name}", title="Export",
                        timeout=10, markup=False)
            self._say(f"Exported: {path.name}")
            return
        self.notify(f"Exported {count} annotation(s) to {path}", title="Export", timeout=10, markup=False)
        problems = self.workspace.store.problems
        if problems:
            self.notify(f"{len(problems)} record(s) that could not be read were left out; "
                        "`presscheck db check` lists them", severity="warning", timeout=12, markup=False)
        self._say(f"Exported to {path}")

    def action_hand_in(self) -> None:
        if self.workspace.session.pack is None:
            self.notify(f"Hand-in is for exercise packs; use {key_named(self, 'export')} to export.",
                        severity="warning")
            return
        self.run_worker(self._hand_in(), group="export", exit_on_error=False)

    async def _hand_in(self) -> None:
        try:
            path, count = await asyncio.to_thread(
                self.workspace.hand_in, self.workspace.session.hand_in_folder or Path.cwd()
            )
        except UserError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        if self.workspace.session.seat is not None:  # serve --class: it went to the teacher
            self.notify(f"{count} annotation(s) handed in to your teacher; hand in again after any "
                        "change", title="Hand in", timeout=12, markup=False)
            self._say(f"Handed in: {count} annotation(s)")
            return
        self.notify(f"{count} annotation(s) in {path}: hand in this file", title="Hand in", timeout=12,
                    markup=False)
        self._say(f"Handed in: {path}")

    # other screens --------------------------------------------------------------------------

    def action_instructions(self) -> None:
        pack = self.workspace.session.pack
        if pack is None:
            self.notify("No exercise is open; instructions come with a pack.", severity="warning")
            return
        from reader.screens.instructions import InstructionsScreen

        self.app.push_screen(InstructionsScreen(pack.title, pack.instructions))

    def action_help(self) -> None:
        """Every key that works here, from the live bindings: the focused part's, the
        screen's, the other parts' (a pane, the sidebar, the find bar) and the app's."""
        from reader.screens.help import HelpScreen, Place, live_key_groups

        places = []
        pane = self.active_pane
        if pane is not None:
            places.append(Place("In an article pane", pane))
        # the sidebar's list and the find bar are mounted just after the first frame
        places += [Place("In the sidebar", found, SIDEBAR_WORDING) for found in self.query("#annotation-list")]
        find = key_named(self, "find")
        places += [Place(f"In the find bar ({find} opens it)", found) for found in self.query("#find-bar")]
        self.app.push_screen(HelpScreen(live_key_groups(self, places)))


SIDEBAR_WORDING = {
    "select": "Jump: both panes scroll to the annotation",
    "cursor_down": "Next entry",
    "cursor_up": "Previous entry",
    "first": "First entry",
    "last": "Last entry",
    "page_down": "Page down",
    "page_up": "Page up",
}
"""The sidebar's keys (Textual's option list) said for what they do there."""
