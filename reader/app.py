"""The presscheck Textual app: wiring only; the work is done by the domain modules."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from textual.app import App
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.reactive import var
from textual.timer import Timer

from reader.commands import PresscheckCommands
from reader.errors import UserError
from reader.ingest.sanitize import display_line, display_text
from reader.launch import Session
from reader.resources import resource_folder
from reader.screens.reading import ReadingScreen
from reader.store import database_signature
from reader.widgets.worker_failures import ReportsWorkerFailures

RETRY_SECONDS = 5.0
"""How often a failed save is tried again."""
WATCH_SECONDS = 2.0
"""How often the database file is checked for changes by another presscheck."""


class PresscheckApp(ReportsWorkerFailures, App[None]):
    """Close reading of the news: articles side by side, annotated and saved at once."""

    CSS_PATH = resource_folder("styles") / "app.tcss"
    TITLE = "presscheck"
    COMMANDS = App.COMMANDS | {PresscheckCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (waits for saves to finish)"),
    ]

    save_state: var[str] = var("saved")
    """`saved`, `saving`, or the reason the last save failed."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._save_lock = asyncio.Lock()
        self._pending = 0
        self._unsaved: list[Callable[[], None]] = []
        self._retry_timer: Timer | None = None
        # what the screen shows: the store as prepare_session read it
        self._seen_foreign, self._known_signature = session.store.seen()

    def on_mount(self) -> None:
        self.sub_title = display_line(self.session.pack.title) if self.session.pack else "presscheck"
        self.call_after_refresh(self._freeze_start_up_objects)
        self.set_interval(WATCH_SECONDS, self._check_external_change, name="watch-db")

    def _freeze_start_up_objects(self) -> None:
        """What start-up made (Textual's modules, the stylesheet, the widgets) lives as long
        as the app: out of the cycle collector's reach, a full collection walks only what
        came since. Before, one took 50-70 ms with the 5 MB article open, a hitch in the
        middle of a Page Down or a find. (Refcounting still frees what is dropped.)"""
        gc.freeze()

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information",
        timeout: float | None = None, markup: bool = True,
    ) -> None:
        """Every toast, from any screen or widget, shows control characters as visible marks:
        messages quote file names, errors and authors that came from someone else's file."""
        super().notify(display_text(message), title=display_text(title), severity=severity,
                       timeout=timeout, markup=markup)

    def get_default_screen(self) -> ReadingScreen:
        """The first screen is the reading screen itself, rather than one pushed over
        Textual's default screen: that empty screen was composed, styled and drawn first
        (~15 ms before the first frame)."""
        screen = ReadingScreen(self.session)
        # What push_screen gives every screen it pushes, and switch_screen takes back from
        # the screen it replaces: without it opening other articles, a switch, fails
        # (IndexError; Textual issue #2650). A mode's base screen has the same problem,
        # and a mode made at start-up is also drawn once for nothing (~120 ms).
        screen._push_result_callback(self, None)
        return screen

    @property
    def reading_screen(self) -> ReadingScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReadingScreen):
                return screen
        return None

    # saving -----------------------------------------------------------------------------

    def persist(self, operation: Callable[[], None]) -> None:
        """Run a store write off the event loop; writes run one at a time, in order.

        A write that fails stays queued (the change is kept in memory and on screen) and
        is tried again every RETRY_SECONDS and before any later write.
        """
        self._pending += 1
        self.save_state = "saving"
        self.run_worker(self._persist(operation), group="save", exit_on_error=False)

    async def _persist(self, operation: Callable[[], None] | None) -> None:
        async with self._save_lock:
            queue = [*self._unsaved, *([operation] if operation else [])]
            self._unsaved = []
            try:
                for index, step in enumerate(queue):
                    try:
                        await asyncio.to_thread(step)
                    except Exception as error:  # noqa: BLE001 - any failure keeps the change
                        self._unsaved = queue[index:]
                        self._save_failed(str(error) or type(error).__name__)
                        return
                foreign, signature = self.session.store.seen()
                if foreign == self._seen_foreign:
                    # only our own saves since the screen was current: it still is. Else a
                    # save took in another process's changes, and the watch must show them.
                    self._known_signature = signature
            finally:
                if operation is not None:
                    self._pending -= 1
            if not self._unsaved:
                if self._retry_timer is not None:
                    self._retry_timer.stop()
                    self._retry_timer = None
                if self._pending == 0:
                    self.save_state = "saved"

    def _save_failed(self, reason: str) -> None:
        first_failure = self.save_state in ("saved", "saving")
        self.save_state = reason
        if first_failure:
            self.notify(f"{reason} (retrying every {RETRY_SECONDS:g} s)", severity="error", timeout=10, markup=False)
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self._retry, name="retry-save")

    def _retry(self) -> None:
        if self._unsaved and not self._save_lock.locked():
            self.run_worker(self._persist(None), group="save", exit_on_error=False)

    @property
    def unsaved_count(self) -> int:
        return len(self._unsaved)

    # exporting --------------------------------------------------------------------------

    def export_path(self, format: str) -> Path:
        """Where an export from the app goes: next to the database, stamped with the time."""
        from reader.export import SUFFIXES  # exports, quitting with unsaved changes: imported on use

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.session.store.path.parent / f"presscheck-export-{stamp}{SUFFIXES[format]}"

    async def export(self, format: str) -> Path | None:
        """Write an export after every change still on its way to disk has landed."""
        from reader.export import write_export

        path = self.export_path(format)
        async with self._save_lock:
            try:
                count = await asyncio.to_thread(write_export, self.session.store, format, path)
            except UserError as error:
                self.notify(str(error), severity="error", timeout=10, markup=False)
                return None
        self.notify(f"Exported {count} annotation(s) to {path}", title="Export", timeout=10, markup=False)
        problems = self.session.store.problems
        if problems:
            self.notify(f"{len(problems)} record(s) that could not be read were left out; "
                        "`presscheck db check` lists them", severity="warning", timeout=12, markup=False)
        return path

    async def hand_in(self) -> Path | None:
        """Write the student's NAME-PACK-HASH.json into the current folder, after pending saves."""
        from reader.classroom.handin import hand_in

        pack = self.session.pack
        if pack is None:
            return None
        async with self._save_lock:
            try:
                # on a shared database (presscheck serve), only this student's annotations
                only_mine = not self.session.remember_author
                path, count = await asyncio.to_thread(
                    partial(hand_in, only_mine=only_mine),
                    self.session.store, self.session.author, pack, Path.cwd(),
                )
            except UserError as error:
                self.notify(str(error), severity="error", timeout=10, markup=False)
                return None
        self.notify(f"{count} annotation(s) in {path}: hand in this file", title="Hand in", timeout=12,
                    markup=False)
        return path

    # changes by another process ---------------------------------------------------------

    async def _check_external_change(self) -> None:
        """Pick up a database changed by another presscheck (or `presscheck import`)."""
        if self._pending or self._unsaved or self._save_lock.locked() or self.session.read_only:
            return
        store = self.session.store
        signature = await asyncio.to_thread(database_signature, store.path)
        if signature == self._known_signature or signature[0] is None:
            return
        screen = self.reading_screen
        if screen is None:
            return
        wanted = [article.id for article in screen.session.articles]
        try:
            annotations = await asyncio.to_thread(store.annotations, wanted)
        except Exception as error:  # noqa: BLE001 - a bad file is reported, never written
            self.save_state = str(error)
            return
        if self._pending or self._unsaved:
            return  # a change of ours started meanwhile; look again on the next tick
        self._seen_foreign, self._known_signature = store.seen()
        screen.merge_external(annotations)

    # quitting ---------------------------------------------------------------------------

    async def action_quit(self) -> None:
        saves = [worker for worker in self.workers if worker.group == "save"]
        if saves:
            await self.workers.wait_for_complete(saves)
        if not self._unsaved:
            self.exit()
            return
        from reader.screens.quit_dialog import UnsavedChangesDialog

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        suggestion = Path.home() / f"presscheck-unsaved-{stamp}.json"
        self.push_screen(
            UnsavedChangesDialog(len(self._unsaved), self.save_state, suggestion), self._quit_choice
        )

    async def _quit_choice(self, choice: tuple[str, Path | None] | None) -> None:
        if choice is None:
            return
        from reader.export.json_format import build_document, dumps
        from reader.screens.quit_dialog import DISCARD, RETRY, SAVE_COPY

        action, path = choice
        if action == DISCARD:
            self.exit()
        elif action == RETRY:
            await self._persist(None)
            if not self._unsaved:
                self.exit()
        elif action == SAVE_COPY and path is not None:
            screen = self.reading_screen
            annotations = list(screen.annotations.values()) if screen else []
            document = build_document(self.session.articles, annotations, self.session.author)
            try:
                await asyncio.to_thread(path.write_bytes, dumps(document))
            except OSError as error:
                self.notify(
                    f"{path}: cannot write ({error.strerror}); choose another path", severity="error", markup=False
                )
                return
            self.exit(message=f"presscheck: the database could not be saved; all annotations were written to {path}")
