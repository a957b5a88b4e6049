"""The session's writes to the store, run in order off the event loop; a write that fails
waits, with the reason, to be tried again. No UI.

The app runs `SaveQueue.run` in a worker whenever a write is added (`on_add`) and on a
retry timer; the queue itself knows nothing of workers. Writes are numbered as they are
added, and `landed` says up to which number they are all on disk: a read of the store
made after that many had landed shows all of them (see `Workspace`).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from reader.store import Signature, Store, database_signature

T = TypeVar("T")

Write = Callable[[], None]
"""One write to the store (a `functools.partial` of a Store method)."""


class SaveQueue:
    """Writes not on disk yet, in the order they were made."""

    def __init__(self, store: Store, on_add: Callable[[], None] | None = None) -> None:
        self.store = store
        self.on_add = on_add
        """Called on every `add`: the app starts a worker that calls `run`."""
        self.follow_up: Write | None = None
        """Run once after the writes of a run, when there were any: key mode rewrites the
        pack's key file. It counts as a write: until it succeeds nothing is "saved"."""
        self._follow_up_due = False
        self._waiting: deque[tuple[int, Write]] = deque()
        self._added = 0
        self.landed = 0
        """Every write numbered up to this is on disk."""
        self.failure = ""
        """Why the last run stopped short; empty once a run saves everything waiting."""
        self._running = threading.Lock()
        # what this session last took in: its own saves don't make the database "changed"
        self._seen_foreign, self._known_signature = store.seen()

    def add(self, write: Write) -> int:
        """Queue a write (it runs on the next `run`); returns its number."""
        self._added += 1
        self._waiting.append((self._added, write))
        self._follow_up_due = self.follow_up is not None
        if self.on_add is not None:
            self.on_add()
        return self._added

    def run(self) -> bool:
        """Run the waiting writes in order (blocking: call it off the event loop). A write
        that fails stops the run: it and those after it wait for the next run, and
        `failure` says why. True when everything waiting was saved."""
        with self._running:
            return self._run_waiting()

    def after_saves(self, function: Callable[[], T]) -> T:
        """Run the waiting writes, then `function`, with no write in between (blocking):
        an export then holds every change made before it was asked for."""
        with self._running:
            self._run_waiting()
            return function()

    def _run_waiting(self) -> bool:
        while self._waiting:
            number, write = self._waiting[0]
            try:
                write()
            except Exception as error:  # noqa: BLE001 - any failure keeps the change
                self.failure = str(error) or type(error).__name__
                return False
            self._waiting.popleft()
            self.landed = number
        if self._follow_up_due and self.follow_up is not None:
            # cleared first: a write added while it runs sets it again, for the next run
            self._follow_up_due = False
            try:
                self.follow_up()
            except Exception as error:  # noqa: BLE001 - tried again on the next run
                self._follow_up_due = True
                self.failure = str(error) or type(error).__name__
                return False
        self.failure = ""
        foreign, signature = self.store.seen()
        if foreign == self._seen_foreign:
            # only our own saves since the session last took the database in: it still
            # has. Else a save took in another process's changes, and they must be shown.
            self._known_signature = signature
        return True

    @property
    def unsaved_count(self) -> int:
        """Writes not on disk yet: waiting, running, or failed and waiting to be retried."""
        return len(self._waiting) + self._follow_up_due

    @property
    def busy(self) -> bool:
        """Something is waiting or being saved."""
        return bool(self._waiting) or self._follow_up_due or self._running.locked()

    @property
    def state(self) -> str:
        """`saved`, `saving`, or why the last save failed (until a run saves everything)."""
        if self.failure:
            return self.failure
        return "saving" if self.busy else "saved"

    # changes by another process ----------------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """Whether another process saved to the database since this session last took it
        in (reads the files' stamps: call it off the event loop)."""
        signature: Signature = database_signature(self.store.path)
        return signature != self._known_signature and signature[0] is not None

    def caught_up(self) -> None:
        """The session has just read the database as it now is."""
        self._seen_foreign, self._known_signature = self.store.seen()
