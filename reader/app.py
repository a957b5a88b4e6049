"""The presscheck Textual app: wiring only; the work is done by the domain modules."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App
from textual.binding import Binding
from textual.reactive import var

from reader.commands import PresscheckCommands
from reader.errors import UserError
from reader.launch import Session
from reader.resources import resource_folder
from reader.screens.reading import ReadingScreen


class PresscheckApp(App[None]):
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
        self._warned_unsaved = False

    def on_mount(self) -> None:
        title = self.session.pack.title if self.session.pack else "presscheck"
        self.sub_title = title
        self.push_screen(ReadingScreen(self.session))

    def persist(self, operation: Callable[[], None]) -> None:
        """Run a store write off the event loop; writes run one at a time, in order."""
        self._pending += 1
        self.save_state = "saving"
        self.run_worker(self._persist(operation), group="save", exit_on_error=False)

    async def _persist(self, operation: Callable[[], None]) -> None:
        async with self._save_lock:
            queue = [*self._unsaved, operation]
            self._unsaved = []
            try:
                for index, step in enumerate(queue):
                    try:
                        await asyncio.to_thread(step)
                    except UserError as error:
                        self._unsaved = queue[index:]
                        self.save_state = str(error)
                        self.notify(str(error), severity="error", timeout=8)
                        return
            finally:
                self._pending -= 1
            if not self._unsaved and self._pending == 0:
                self.save_state = "saved"

    async def action_quit(self) -> None:
        saves = [worker for worker in self.workers if worker.group == "save"]
        if saves:
            await self.workers.wait_for_complete(saves)
        if self._unsaved and not self._warned_unsaved:
            self._warned_unsaved = True
            self.notify(
                f"{len(self._unsaved)} change(s) are not saved: {self.save_state}. "
                "Press q again to quit and lose them.",
                severity="error",
                timeout=15,
            )
            return
        self.exit()
