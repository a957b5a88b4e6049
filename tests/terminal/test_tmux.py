"""The real `presscheck` binary in a real terminal (tmux): launch, tag, quit, relaunch, export."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from reader.export.json_format import schema

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")


def _launch(launch, name: str, workdir: Path, db: Path, size: tuple[int, int] | None = None):
    """presscheck in `workdir` on `db`, as the student; a Program (tests/terminal/conftest.py)."""
    env = {"PRESSCHECK_DB": str(db), "PRESSCHECK_AUTHOR": "student"}
    return launch([str(BIN)], name=name, cwd=workdir, env=env, size=size)


def test_tag_a_claim_in_tmux_and_find_it_after_relaunch(launch, tmp_path):
    db = tmp_path / "db" / "annotations.json"
    # an empty folder: no ./seeds here, so the bundled seed exercise opens
    app = _launch(launch, "tag", tmp_path, db)
    # the sidebar's list arrives a frame after the articles
    screen = app.wait_for("No annotations yet")
    assert "President Donald Trump confirmed on Thursday" in screen
    assert "Talks between US and North Korea collapse" in screen

    app.keys("j", "t")
    app.wait_for("Tag this claim")
    app.keys("Enter")
    screen = app.wait_for("Claims · 1")
    assert "The president was speaking in a press" in screen.split("Claims · 1", 1)[1]
    app.wait_for("✓ saved")
    app.keys("q")
    app.wait_for("EXITED=0")
    app.kill()

    app = _launch(launch, "tag", tmp_path, db)
    screen = app.wait_for("Claims · 1")
    colored = app.screen(escapes=True)
    # the gutter mark of the claim stands on the rows of the tagged sentence
    marked = [line for line in screen.splitlines() if line.startswith(" C ")]
    assert marked and any("press" in line or "sites in his country" in line for line in marked)
    assert "\x1b[" in colored  # highlighted, not plain
    app.keys("q")
    app.wait_for("EXITED=0")

    export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert export.returncode == 0, export.stderr
    document = json.loads(export.stdout)
    jsonschema.validate(document, schema())
    [claim] = document["annotations"]
    assert claim["author"] == "student"
    position, quote = claim["targets"][0]["selectors"]
    from reader.ingest import load_article
    from reader.classroom.pack import bundled_seed_folder

    article = load_article(bundled_seed_folder() / "000_1aa975c49d58f58c.txt")
    assert article.text[position["start"] : position["end"]] == quote["exact"]
    assert quote["exact"] == "The president was speaking in a press conference in the Vietnamese capital Hanoi."


def test_two_apps_on_one_database_lose_nothing(launch, tmp_path):
    db = tmp_path / "shared.json"
    first = _launch(launch, "first", tmp_path, db)
    second = _launch(launch, "second", tmp_path, db)
    first.wait_for("Annotations")
    second.wait_for("Annotations")
    # each app tags three different sentences, interleaved
    for round_ in range(3):
        for app, moves in ((first, ["j"]), (second, ["Tab", "j"])):
            if round_ == 0 or app is first:
                app.keys(*moves)
            else:
                app.keys("j")
            app.keys("t")
            app.wait_for("Tag this claim")
            app.keys("Enter")
            app.wait_for_gone("Tag this claim")
            app.wait_for("✓ saved")
    for app in (first, second):
        app.wait_for("✓ saved")
        app.keys("q")
        app.wait_for("EXITED=0")

    export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    annotations = json.loads(export.stdout)["annotations"]
    assert len(annotations) == 6
    assert len({a["targets"][0]["article_id"] for a in annotations}) == 2

    # a relaunch shows all six
    first.kill()
    first = _launch(launch, "first", tmp_path, db)
    first.wait_for("Claims · 6")


def test_contradiction_link_and_note_with_keys_only(launch, tmp_path):
    db = tmp_path / "annotations.json"
    app = _launch(launch, "kinds", tmp_path, db)
    app.wait_for("Annotations")
    keys = app.keys

    keys("j", "c")
    app.wait_for("first side")
    keys("Tab", "j", "j", "c")
    app.wait_for("Mark a contradiction")
    keys("Enter")
    screen = app.wait_for("Contradictions · 1")
    sidebar = screen.split("Contradictions · 1", 1)[1]
    assert "“The president was speaking" in sidebar and "“The talks were happening" in sidebar

    keys("l", "BTab", "j", "j", "l")
    app.wait_for("Link two passages")
    keys("Enter")
    app.wait_for("Links · 1")

    keys("n")
    app.wait_for("Write a note")
    app.type("ask for the source")
    keys("Enter")
    app.wait_for("Notes · 1")
    app.wait_for("✓ saved")

    # scroll both panes away, then Enter on the contradiction in the sidebar brings both back
    keys("G", "Tab", "G")
    screen = app.wait_for("continue to watch as it all unravels")
    assert "Talks between North Korea Supreme Leader" not in screen
    keys("Tab", "Home", "Enter")  # the first entry: the contradiction

    def panes() -> str:  # the two article panes, without the sidebar's quotes
        return "\n".join(line[:118] for line in app.screen().splitlines())

    deadline = time.monotonic() + 10
    while "The talks were happening in Hanoi" not in panes() and time.monotonic() < deadline:
        time.sleep(0.1)
    shown = panes()
    assert "The talks were happening in Hanoi" in shown, app.screen()
    assert "The president was speaking in a" in shown
    assert "continue to watch as it all unravels" not in shown

    keys("q")
    app.wait_for("EXITED=0")
    app.kill()
    app = _launch(launch, "kinds", tmp_path, db)
    screen = app.wait_for("Notes · 1")
    assert "Contradictions · 1" in screen and "Links · 1" in screen
    app.keys("q")
    app.wait_for("EXITED=0")

    export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    kinds = sorted(a["kind"] for a in json.loads(export.stdout)["annotations"])
    assert kinds == ["contradiction", "link", "note"]


def test_a_40x12_terminal_is_usable(launch, tmp_path):
    app = _launch(launch, "small", tmp_path, tmp_path / "db.json", size=(40, 12))
    app.wait_for("President Donald")
    screen = app.wait_for("✓ saved")
    lines = screen.splitlines()
    assert all(len(line) <= 40 for line in lines)
    app.keys("t")
    app.wait_for("Tag this claim")
    app.keys("Enter")
    app.wait_for("C  President")
    app.keys("C-b")
    app.wait_for("Claims · 1")
    app.keys("C-b", "]")
    app.wait_for("Talks between")
    app.keys("q")
    app.wait_for("EXITED=0")


def test_undo_and_redo_outlive_opening_the_same_articles_from_the_library(launch, tmp_path):
    """Undo is the session's, not a screen's (issue 17): a claim tagged before the library
    opened the same two articles again is undone from screen and database; ctrl+y redoes it."""
    db = tmp_path / "db.json"

    def stored_kinds() -> list[str]:
        export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                                timeout=60, stdin=subprocess.DEVNULL)
        assert export.returncode == 0, export.stderr
        return [a["kind"] for a in json.loads(export.stdout)["annotations"]]

    app = _launch(launch, "undo", tmp_path, db)
    app.wait_for("No annotations yet")
    app.keys("j", "t")
    app.wait_for("Tag this claim")
    app.keys("Enter")
    app.wait_for("Claims · 1")
    app.keys("o")
    app.wait_for("Library · 2 articles")
    app.keys("Enter")  # the open articles come marked in the library: the same two again
    app.wait_for_gone("Library ·")
    app.wait_for("Claims · 1")
    app.keys("u")
    screen = app.wait_until(lambda s: "Undone: add claim" in s and "✓ saved" in s, "the undo, saved")
    assert "No annotations yet" in screen and "Claims · 1" not in screen
    assert stored_kinds() == []
    app.keys("C-y")
    screen = app.wait_until(lambda s: "Redone: add claim" in s and "✓ saved" in s, "the redo, saved")
    assert "Claims · 1" in screen
    assert stored_kinds() == ["claim"]
    app.keys("q")
    app.wait_for("EXITED=0")


def _page_until(app, text: str, pages: int = 8) -> str:
    """Page Down through the help until `text` shows (watched for through each page's
    scroll, which animates); the screen that shows it."""
    for _ in range(pages):
        try:
            return app.wait_for(text, timeout=1.5)
        except AssertionError:
            app.keys("NPage")
    return app.wait_for(text, timeout=2)


def test_help_names_tab_shift_tab_and_the_command_palette(launch, tmp_path):
    """? in an 80x24 terminal: the help scrolls down to Tab / Shift+Tab and to Ctrl+P (it
    left all three out, as Textual's rather than presscheck's keys); Esc closes it, and
    Ctrl+P opens the palette it names. In 40x12 it takes the whole terminal and scrolls."""
    app = _launch(launch, "help", tmp_path, tmp_path / "db.json", size=(80, 24))
    app.wait_for("✓ saved")
    app.keys("?")
    first = app.wait_for("presscheck keys")
    assert "Tag claim" in first and "Shift+Tab" not in first  # it has to scroll
    screen = _page_until(app, "Shift+Tab")
    assert re.search(r"(?<!\+)Tab +Next pane, then the sidebar", screen), screen
    assert re.search(r"Shift\+Tab +Previous pane or the sidebar", screen), screen
    screen = _page_until(app, "Ctrl+P")
    assert re.search(r"Ctrl\+P +Command palette", screen), screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    app.keys("Escape")
    app.wait_for_gone("Command palette")
    # a key typed within a moment of Esc closing a help paged down (PgDn, End) goes
    # astray in a real terminal, and the keys after it too (Ctrl+Q still quits): found
    # here, as it was before this help (the release before it does the same); not this
    # test's business, so it waits as a person would
    time.sleep(1.0)
    app.keys("C-p")
    app.wait_for("Search for commands")
    app.keys("Escape")
    app.wait_for_gone("Search for commands")
    app.keys("q")
    app.wait_for("EXITED=0")
    app.kill()

    small = _launch(launch, "help-small", tmp_path, tmp_path / "db.json", size=(40, 12))
    small.wait_for("✓ saved")
    small.keys("?")
    screen = small.wait_for("presscheck keys")
    assert "Tag claim" in screen and all(len(line) <= 40 for line in screen.splitlines())
    screen = _page_until(small, "Ctrl+P", pages=20)
    assert re.search(r"Ctrl\+P +Command palette", screen), screen
    small.keys("q")
    small.wait_for_gone("Command palette")
    time.sleep(1.0)  # as above
    small.keys("q")
    small.wait_for("EXITED=0")
