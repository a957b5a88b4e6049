"""The pane area while URLs and feed entries are fetched: a loading indicator, then the
articles, or a one-line error and the app keeps running."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, LoadingIndicator
from textual.worker import Worker, get_current_worker

from reader.errors import UserError
from reader.ingest.entry import FeedEntry
from reader.ingest.urls import fetch_timeout
from reader.ingest.sanitize import display_line
from reader.ingest.sources import open_source
from reader.model import Article
from reader.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from reader.workspace import StoredAnnotations, Workspace

IDLE_HINT = "No article open · o opens the library · q quits"
T = TypeVar("T")


def _name(item: str | FeedEntry) -> str:
    return item.title if isinstance(item, FeedEntry) else item


class _Cancelled(Exception):
    """The worker was cancelled (the app is quitting) while a fetch was under way."""


def _unless_cancelled(function: Callable[[], T], worker: Worker[None]) -> T:
    """Run `function` in a daemon thread and wait for it, unless the worker is cancelled.

    A fetch can take up to its timeout; quitting must not wait for it, and a worker's
    own thread (from the event loop's executor) is waited for when the app exits.
    """
    outcome: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="presscheck-fetch", daemon=True).start()
    while not done.wait(0.05):
        if worker.is_cancelled:
            raise _Cancelled
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


class SourceLoader(ReportsWorkerFailures, Vertical):
    """Fetches the workspace's URLs and feed entries to fetch, in a thread worker.

    While it works it shows a loading indicator and what it is fetching; when done it
    posts `Loaded`. With nothing to fetch and no article open it shows a hint (and opens
    the library when feeds were given). It also shows the session's notices once.
    """

    DEFAULT_CSS = """
    SourceLoader {
        width: 1fr;
        height: 1fr;
        align: center middle;
    }
    SourceLoader > LoadingIndicator {
        height: 3;
    }
    SourceLoader > Label {
        width: 1fr;
        text-align: center;
        padding: 0 2;
    }
    """

    @dataclass
    class Loaded(Message):
        """The sources to fetch were fetched: what they held, and what failed."""

        loader: SourceLoader
        articles: list[Article]
        entries: list[FeedEntry]
        stored: StoredAnnotations
        """The annotations the store holds for the fetched articles."""
        errors: list[str] = field(default_factory=list)

        @property
        def control(self) -> SourceLoader:
            return self.loader

    def __init__(self, workspace: Workspace, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.workspace = workspace
        self.to_fetch = list(workspace.to_fetch)
        self.display = bool(self.to_fetch or not workspace.articles)

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Label(id="source-loader-status")

    def on_mount(self) -> None:
        session = self.workspace.session
        notices, session.notices = session.notices, []
        for notice in notices:
            self.notify(display_line(notice), markup=False, timeout=8)
        if self.to_fetch:
            self._say(f"Opening {_name(self.to_fetch[0])} …")
            self._fetch(self.to_fetch)
        elif not self.workspace.articles:
            self.show_message(IDLE_HINT)
            if self.workspace.feed_entries:
                self.call_after_refresh(self.screen.run_action, "library")

    def _say(self, message: str) -> None:
        self.query_one("#source-loader-status", Label).update(Text(display_line(message)))

    def show_message(self, message: str) -> None:
        """Stop the indicator and show `message` (an error, or what to do next)."""
        self.query_one(LoadingIndicator).display = False
        self._say(message)

    def _progress(self, item: str | FeedEntry, number: int, total: int) -> None:
        count = f" ({number} of {total})" if total > 1 else ""
        verb = "Opening" if isinstance(item, FeedEntry) else "Fetching"
        self._say(f"{verb} {_name(item)}{count} · a fetch gives up after {fetch_timeout():g} s")

    @work(thread=True, exit_on_error=False, group="fetch")
    def _fetch(self, to_fetch: list[str | FeedEntry]) -> None:
        worker = get_current_worker()
        articles: list[Article] = []
        entries: list[FeedEntry] = []
        errors: list[str] = []
        for number, item in enumerate(to_fetch, start=1):
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._progress, item, number, len(to_fetch))
            try:
                opened = _unless_cancelled(lambda item=item: open_source(item), worker)
            except _Cancelled:
                return
            except UserError as error:
                errors.append(str(error))
                continue
            except Exception as error:  # noqa: BLE001 - one bad page must not end the app
                errors.append(f"{_name(item)}: cannot open it ({type(error).__name__}: {error})")
                continue
            articles.extend(opened.articles)
            entries.extend(opened.entries)
            errors.extend(opened.notices)
        try:
            stored = self.workspace.read_stored(a.id for a in articles)
        except UserError as error:
            errors.append(str(error))
            stored = self.workspace.read_stored(())
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._finished, articles, entries, stored, errors)

    def _finished(
        self,
        articles: list[Article],
        entries: list[FeedEntry],
        stored: StoredAnnotations,
        errors: list[str],
    ) -> None:
        for error in errors:
            self.notify(display_line(error), title="Cannot open", severity="error", markup=False, timeout=12)
        if not articles and not entries:
            self.show_message(f"✗ {errors[-1] if errors else 'nothing to open'}")
        else:
            self.show_message("Opening …")
        self.post_message(self.Loaded(self, articles, entries, stored, errors))
