"""The find bar in the real `presscheck` binary in tmux: its count `n/m` appears as the
query is typed, changes on Enter and covers every open article after Ctrl+O."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")


def _hits(text: str, query: str) -> int:
    return len(re.findall(re.escape(query), text, re.IGNORECASE))


def _find_row(screen: str) -> str:
    """The find bar's row: the one that starts with `Find`."""
    return next(line for line in screen.splitlines() if line.lstrip().startswith("Find "))


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
def test_the_find_bar_counts_matches_and_the_count_follows_enter(launch, tmp_path, size):
    from reader.classroom.pack import bundled_seed_folder
    from reader.ingest import load_article

    first, second = (load_article(path).text for path in sorted(bundled_seed_folder().glob("0*.txt")))
    ones, total = _hits(first, "Kim"), _hits(first, "Kim") + _hits(second, "Kim")
    env = {"PRESSCHECK_DB": str(tmp_path / "db.json"), "PRESSCHECK_AUTHOR": "student"}
    # an empty folder: no ./seeds here, so the bundled seed exercise opens
    app = launch([str(BIN)], name="find", cwd=tmp_path, env=env, size=size)
    app.wait_for("Tag claim")  # the article and the key bar
    app.keys("/")
    app.wait_for("text to find")  # the bar open, its field focused
    app.type("Kim")
    screen = app.wait_for(f"1/{ones}")
    row = _find_row(screen)
    assert "Kim" in row and f"1/{ones}" in row and "in “President Donald Trump" in row
    assert "Next" in screen and "Close" in screen  # the key bar shows the find's keys
    app.keys("Enter")
    row = _find_row(app.wait_for(f"2/{ones}"))
    assert f"1/{ones}" not in row
    app.keys("C-o")  # all open articles: the count covers both
    row = _find_row(app.wait_for(f"2/{total}"))
    assert "in all 2 open articles" in row
    app.keys(*["Enter"] * (ones - 1))  # into the second article
    screen = app.wait_for(f"{ones + 1}/{total}")
    assert "Kim" in _find_row(screen)  # still typing in the bar
    app.keys("Escape")
    screen = app.wait_for_gone(f"/{total}")
    assert "Find " not in screen.splitlines()[-3]
    app.keys("q")
    app.wait_for("EXITED=0")
