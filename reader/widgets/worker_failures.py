"""One line for a background task that failed, wherever it ran: none fails silently.

Textual's `Worker.StateChanged` does not bubble, so each node that starts workers (the
app, the reading screen, the source loader) takes this mixin, and a failure reaches the
reader as one toast. The failures a task expects (a save that did not work, a page that
did not fetch) are handled where they happen; this is for everything else.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

WORKER_TASKS = {"save": "Saving", "export": "Export", "library": "The library", "fetch": "Fetching"}
"""What each worker group does, for the line that says it failed."""


class ReportsWorkerFailures:
    """`on_worker_state_changed` for an App, Screen or Widget that runs workers."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            task = WORKER_TASKS.get(event.worker.group, "A background task")
            self.app.notify(  # type: ignore[attr-defined]
                f"{task} failed: {type(error).__name__}: {error}", severity="error", timeout=12, markup=False
            )
