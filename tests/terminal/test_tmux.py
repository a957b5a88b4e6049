"""The real `presscheck` binary in a real terminal (tmux): launch, tag, quit, relaunch, export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from reader.export.json_format import schema

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")


SESSION = f"presscheck-test-{os.getpid()}"


def _launch(session, cmd, workdir: Path, db: Path) -> None:
    env = f"PRESSCHECK_DB={db} PRESSCHECK_AUTHOR=student TERM=xterm-256color"
    cmd("new-session", "-d", "-s", session, "-x", "160", "-y", "45", "-c", str(workdir),
        # the pause lets tmux give the pane its size before the app reads it
        f"sleep 0.5; env {env} {BIN}; echo EXITED=$?; sleep 30")


def _screen(cmd, session, escapes: bool = False) -> str:
    return cmd("capture-pane", "-p", *(["-e"] if escapes else []), "-t", session)


def _wait_for(cmd, session, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(cmd, session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def _wait_for_gone(cmd, session, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text in _screen(cmd, session):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} stayed on screen")
        time.sleep(0.1)


def test_tag_a_claim_in_tmux_and_find_it_after_relaunch(tmux, tmp_path):
    session, cmd = SESSION, tmux
    db = tmp_path / "db" / "annotations.json"
    # an empty folder: no ./seeds here, so the bundled seed exercise opens
    _launch(session, cmd, tmp_path, db)
    # the sidebar's list arrives a frame after the articles
    screen = _wait_for(cmd, session, "No annotations yet")
    assert "President Donald Trump confirmed on Thursday" in screen
    assert "Talks between US and North Korea collapse" in screen

    cmd("send-keys", "-t", session, "j")
    cmd("send-keys", "-t", session, "t")
    _wait_for(cmd, session, "Tag this claim")
    cmd("send-keys", "-t", session, "Enter")
    screen = _wait_for(cmd, session, "Claims · 1")
    assert "The president was speaking in a press" in screen.split("Claims · 1", 1)[1]
    _wait_for(cmd, session, "✓ saved")
    cmd("send-keys", "-t", session, "q")
    _wait_for(cmd, session, "EXITED=0")
    cmd("kill-session", "-t", session)

    _launch(session, cmd, tmp_path, db)
    screen = _wait_for(cmd, session, "Claims · 1")
    colored = _screen(cmd, session, escapes=True)
    # the gutter mark of the claim stands on the rows of the tagged sentence
    marked = [line for line in screen.splitlines() if line.startswith(" C ")]
    assert marked and any("press" in line or "sites in his country" in line for line in marked)
    assert "\x1b[" in colored  # highlighted, not plain
    cmd("send-keys", "-t", session, "q")
    _wait_for(cmd, session, "EXITED=0")

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


def test_two_apps_on_one_database_lose_nothing(tmux, tmp_path):
    session, cmd = SESSION, tmux
    db = tmp_path / "shared.json"
    first, second = f"{session}-a", f"{session}-b"
    _launch(first, cmd, tmp_path, db)
    _launch(second, cmd, tmp_path, db)
    _wait_for(cmd, first, "Annotations")
    _wait_for(cmd, second, "Annotations")
    # each app tags three different sentences, interleaved
    for round_ in range(3):
        for name, moves in ((first, ["j"]), (second, ["Tab", "j"])):
            if round_ == 0 or name == first:
                cmd("send-keys", "-t", name, *moves)
            else:
                cmd("send-keys", "-t", name, "j")
            cmd("send-keys", "-t", name, "t")
            _wait_for(cmd, name, "Tag this claim")
            cmd("send-keys", "-t", name, "Enter")
            _wait_for_gone(cmd, name, "Tag this claim")
            _wait_for(cmd, name, "✓ saved")
    for name in (first, second):
        _wait_for(cmd, name, "✓ saved")
        cmd("send-keys", "-t", name, "q")
        _wait_for(cmd, name, "EXITED=0")

    export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    annotations = json.loads(export.stdout)["annotations"]
    assert len(annotations) == 6
    assert len({a["targets"][0]["article_id"] for a in annotations}) == 2

    # a relaunch shows all six
    cmd("kill-session", "-t", first)
    _launch(first, cmd, tmp_path, db)
    _wait_for(cmd, first, "Claims · 6")


def test_contradiction_link_and_note_with_keys_only(tmux, tmp_path):
    session, cmd = SESSION, tmux
    db = tmp_path / "annotations.json"
    _launch(session, cmd, tmp_path, db)
    _wait_for(cmd, session, "Annotations")

    def keys(*names: str) -> None:
        for name in names:
            cmd("send-keys", "-t", session, name)
            time.sleep(0.05)

    keys("j", "c")
    _wait_for(cmd, session, "first side")
    keys("Tab", "j", "j", "c")
    _wait_for(cmd, session, "Mark a contradiction")
    keys("Enter")
    screen = _wait_for(cmd, session, "Contradictions · 1")
    sidebar = screen.split("Contradictions · 1", 1)[1]
    assert "“The president was speaking" in sidebar and "“The talks were happening" in sidebar

    keys("l", "BTab", "j", "j", "l")
    _wait_for(cmd, session, "Link two passages")
    keys("Enter")
    _wait_for(cmd, session, "Links · 1")

    keys("n")
    _wait_for(cmd, session, "Write a note")
    cmd("send-keys", "-t", session, "-l", "ask for the source")
    keys("Enter")
    _wait_for(cmd, session, "Notes · 1")
    _wait_for(cmd, session, "✓ saved")

    # scroll both panes away, then Enter on the contradiction in the sidebar brings both back
    keys("G", "Tab", "G")
    screen = _wait_for(cmd, session, "world will continue to watch")
    assert "Talks between North Korea Supreme Leader" not in screen
    keys("Tab", "Home", "Enter")  # the first entry: the contradiction

    def panes() -> str:  # the two article panes, without the sidebar's quotes
        return "\n".join(line[:118] for line in _screen(cmd, session).splitlines())

    deadline = time.monotonic() + 10
    while "The talks were happening in Hanoi" not in panes() and time.monotonic() < deadline:
        time.sleep(0.1)
    shown = panes()
    assert "The talks were happening in Hanoi" in shown, _screen(cmd, session)
    assert "The president was speaking in a" in shown
    assert "world will continue to watch" not in shown

    keys("q")
    _wait_for(cmd, session, "EXITED=0")
    cmd("kill-session", "-t", session)
    _launch(session, cmd, tmp_path, db)
    screen = _wait_for(cmd, session, "Notes · 1")
    assert "Contradictions · 1" in screen and "Links · 1" in screen
    keys("q")
    _wait_for(cmd, session, "EXITED=0")

    export = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    kinds = sorted(a["kind"] for a in json.loads(export.stdout)["annotations"])
    assert kinds == ["contradiction", "link", "note"]


def test_a_40x12_terminal_is_usable(tmux, tmp_path):
    session, cmd = SESSION, tmux
    env = f"PRESSCHECK_DB={tmp_path / 'db.json'} PRESSCHECK_AUTHOR=student"
    cmd("new-session", "-d", "-s", session, "-x", "40", "-y", "12", "-c", str(tmp_path),
        f"sleep 0.5; env {env} {BIN}; echo EXITED=$?; sleep 30")
    _wait_for(cmd, session, "President Donald")
    screen = _wait_for(cmd, session, "✓ saved")
    lines = screen.splitlines()
    assert all(len(line) <= 40 for line in lines)
    cmd("send-keys", "-t", session, "t")
    _wait_for(cmd, session, "Tag this claim")
    cmd("send-keys", "-t", session, "Enter")
    _wait_for(cmd, session, "C  President")
    cmd("send-keys", "-t", session, "C-b")
    _wait_for(cmd, session, "Claims · 1")
    cmd("send-keys", "-t", session, "C-b")
    cmd("send-keys", "-t", session, "]")
    _wait_for(cmd, session, "Talks between")
    cmd("send-keys", "-t", session, "q")
    _wait_for(cmd, session, "EXITED=0")
