"""The real `presscheck` binary in tmux at 80×24 and 40×12: both seed articles' tabs share
the tab row; after tagging a claim the status bar says it is saved and counts it; after an
export its message is in the status bar, whole, while the export's toast is shown at the
top, over neither the status bar nor the key bar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")
TOAST_EDGE = "▌"
"""The left edge Textual draws along a toast."""


def _status_rows(screen: str) -> list[str]:
    """The status bar's rows: from the one that starts with the save state to the key bar
    (none while it says `… saving`)."""
    rows = screen.splitlines()
    first = next((i for i, row in enumerate(rows) if row.startswith(" ✓ saved")), len(rows))
    return rows[first:-1]


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_tabs_status_bar_and_toasts_fit_a_small_terminal(launch, tmp_path, size):
    width, _ = size
    # a database named from the test's folder: the export's message says a short path
    env = {"PRESSCHECK_DB": "db.json", "PRESSCHECK_AUTHOR": "student"}
    app = launch([str(BIN)], name="fit", cwd=tmp_path, env=env, size=size)
    screen = app.wait_for("Tag claim")
    tab_row = screen.splitlines()[0]
    assert "President" in tab_row and "Talks" in tab_row, tab_row  # both tabs, one row

    app.keys("j", "t")
    app.wait_for("Tag this claim")
    app.keys("Enter")
    screen = app.wait_until(lambda s: "Tag this claim" not in s and any(
        "1 claim" in row or "1C" in row for row in _status_rows(s)), "the claim counted")
    status = _status_rows(screen)
    assert all(len(row) <= width for row in status) and "…" not in status[0], status

    app.keys("C-e")
    app.wait_for("Export annotations")
    app.keys("Enter")  # presscheck JSON, the first format
    screen = app.wait_until(lambda s: "Exported 1" in s and "✓ saved │ Exported to" in s, "the toast and the message")
    status = _status_rows(screen)
    said = " ".join(" ".join(status).split())  # the message as one line, wrapped or not
    assert said.split("Exported to ", 1)[1].startswith("presscheck-export-"), status
    assert ".json" in " ".join(status) and not any(TOAST_EDGE in row for row in status), status
    keys = screen.splitlines()[-1]
    assert "Tag claim" in keys and TOAST_EDGE not in keys, keys
    toast_rows = [i for i, row in enumerate(screen.splitlines()) if TOAST_EDGE in row]
    assert toast_rows and min(toast_rows) >= 1, screen  # below the tab row's labels
    app.keys("q")
    app.wait_for("EXITED=0")
