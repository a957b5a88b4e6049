"""A contradiction across the two articles in the real `presscheck` binary in tmux, at
80×24 and 40×12: at every step the line that says what the first side waits for is
whole on screen (never cut, as it was at the end of the status bar), and the dialog shows
both quotes and its note field; the tag dialog shows its choices."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")


def _waiting_row(screen: str) -> str:
    """The row above the status bar (the status bar is the one with `saved`)."""
    rows = screen.splitlines()
    status = next(i for i, row in enumerate(rows) if "✓ saved" in row)
    return rows[status - 1]


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_a_contradiction_across_articles_says_what_it_waits_for_at_every_step(launch, tmp_path, size):
    env = {"PRESSCHECK_DB": str(tmp_path / "db.json"), "PRESSCHECK_AUTHOR": "student"}
    app = launch([str(BIN)], name="pending", cwd=tmp_path, env=env, size=size)
    app.wait_for("Tag claim")
    app.keys("j", "c")
    screen = app.wait_for("Esc cancels")
    row = _waiting_row(screen).strip()
    assert row.endswith("c · Esc cancels") and "…" not in row.split("·")[-2], row
    app.keys("]")  # the other article (its tab: both sizes show one article at a time)
    row = _waiting_row(app.wait_for("Esc cancels")).strip()  # still said, whole
    assert row.endswith("c · Esc cancels"), row
    app.keys("j", "c")
    screen = app.wait_for("Note (optional)")
    assert "Mark a contradiction" in screen and "A: “" in screen and "B: “" in screen and "Note (optional)" in screen
    assert "Esc cancels" not in screen  # the pair is made: nothing waits any more
    app.keys("Enter")
    app.wait_for_gone("Mark a contradiction")
    app.keys("t")
    screen = app.wait_for("Note (optional)")
    assert "Tag this claim" in screen and "factual claim" in screen and "Esc cancel" in screen
    app.keys("Escape")
    app.wait_for_gone("Tag this claim")
    app.keys("q")
    app.wait_for("EXITED=0")
    exported = subprocess.run([str(BIN), "export", "--db", str(tmp_path / "db.json")], capture_output=True,
                              text=True, timeout=60, check=True)
    [made] = json.loads(exported.stdout)["annotations"]
    assert made["kind"] == "contradiction" and len({t["article_id"] for t in made["targets"]}) == 2
