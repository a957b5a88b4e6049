"""Screen-reader mode in the real `presscheck` binary in tmux: the terminal's cursor is shown
and, after every move, sits on the first cell of the focused sentence (in either pane) or of
the sidebar's highlighted entry, as tmux reports it (`#{cursor_x},#{cursor_y}`), which is
what a screen reader or braille display reads. And without colour (NO_COLOR) the four kinds
are still drawn in four text styles, the cursor in a fifth."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")
WAIT = 20.0
"""Seconds a wait for the screen (or the cursor) goes on before the test fails."""


def _sentences() -> list[list[str]]:
    """The seed articles' sentences, as the app's own sentence index finds them."""
    from reader.classroom.pack import bundled_seed_folder
    from reader.ingest import load_article
    from reader.sentences import SentenceIndex

    found = []
    for path in sorted(bundled_seed_folder().glob("0*.txt")):
        article = load_article(path)
        index = SentenceIndex(article.text, article.furniture)
        spans, span = [], index.first()
        while span is not None and len(spans) < 6:
            spans.append(" ".join(article.text[span[0] : span[1]].split()))
            span = index.after(span)
        found.append(spans)
    return found


def _cursor(app) -> tuple[int, int, bool]:
    """Where tmux has the terminal's cursor, and whether it is shown."""
    [line] = app.terminal.command(
        f"display-message -p -t {app.pane.pane_id} '#{{cursor_x}},#{{cursor_y}},#{{cursor_flag}}'"
    )
    x, y, shown = line.split(",")
    return int(x), int(y), shown == "1"


def _starts_there(screen: str, x: int, y: int, text: str) -> bool:
    """The screen shows the start of `text` from cell (x, y): at least 12 characters of it
    (or all), or up to the end of its first row (the match stops just after a space)."""
    rows = screen.splitlines()
    if y >= len(rows):
        return False
    shown = rows[y][x:]
    matched = 0
    while matched < min(len(shown), len(text)) and shown[matched] == text[matched]:
        matched += 1
    return matched >= min(len(text), 12) or (matched >= 4 and text[matched - 1] == " ")


def _wait_for_cursor_on(app, text: str, what: str, moved_from: tuple[int, int] | None = None) -> tuple[int, int]:
    """The cursor's cell once the screen shows the start of `text` there and the cursor is
    shown (and is no longer at `moved_from`); AssertionError with the screen and the cursor
    when that does not come."""
    deadline = time.monotonic() + WAIT
    while True:
        screen = app.screen()
        x, y, shown = _cursor(app)
        if shown and _starts_there(screen, x, y, text) and (x, y) != moved_from:
            return x, y
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: the cursor is at {(x, y)} (shown: {shown}), not on the start of "
                                 f"{text[:40]!r}; the screen was:\n{screen}")
        time.sleep(0.05)


def _tag_claim(app) -> None:
    app.keys("t")
    app.wait_for("Tag this claim")
    app.keys("Enter")
    app.wait_for_gone("Tag this claim")


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
def test_the_cursor_is_on_the_focused_sentence_after_each_move(launch, tmp_path, size):
    first, second = _sentences()
    env = {"PRESSCHECK_DB": str(tmp_path / "db.json"), "PRESSCHECK_AUTHOR": "student",
           "PRESSCHECK_CONFIG": str(tmp_path / "config.toml")}
    app = launch([str(BIN), "--screen-reader"], name="reader", cwd=tmp_path, env=env, size=size)
    app.wait_for("Tag claim")
    _wait_for_cursor_on(app, first[0], "at the start")
    _tag_claim(app)  # the sidebar gets an entry
    left = _wait_for_cursor_on(app, first[0], "after tagging")
    app.keys("Down")
    _wait_for_cursor_on(app, first[1], "one sentence down")
    app.keys("Down")
    _wait_for_cursor_on(app, first[2], "two sentences down")
    wide = size[0] >= 100
    app.keys("Tab" if wide else "]")  # the other pane (a narrow terminal shows one, as tabs)
    right = _wait_for_cursor_on(app, second[0], "in the other pane")
    assert right[0] > left[0] if wide else right[0] == left[0]
    app.keys("Down")
    _wait_for_cursor_on(app, second[1], "one sentence down in the other pane")
    _tag_claim(app)
    app.keys("Tab" if wide else "C-b")  # the sidebar: its entry for the claim just made
    second_entry = _wait_for_cursor_on(app, "factual claim — student", "in the sidebar")
    app.keys("Home")
    top = _wait_for_cursor_on(app, "factual claim — student", "on the sidebar's first entry", second_entry)
    app.keys("Down")
    below = _wait_for_cursor_on(app, "factual claim — student", "on the sidebar's second entry", top)
    assert top[1] < below[1] == second_entry[1]
    app.keys("q")
    app.wait_for("EXITED=0")


def test_out_of_screen_reader_mode_the_cursor_stays_hidden(launch, tmp_path):
    env = {"PRESSCHECK_DB": str(tmp_path / "db.json"), "PRESSCHECK_AUTHOR": "student",
           "PRESSCHECK_CONFIG": str(tmp_path / "config.toml")}
    app = launch([str(BIN)], name="plain", cwd=tmp_path, env=env, size=(160, 45))
    app.wait_for("Tag claim")
    app.keys("Down", "Tab")
    app.wait_for("Tag claim")
    assert _cursor(app)[2] is False
    app.keys("q")
    app.wait_for("EXITED=0")


SGR = re.compile(r"\x1b\[([0-9;:]*)m")
FLAGS = {"1": "bold", "2": "dim", "3": "italic", "4": "underline", "7": "reverse", "53": "overline"}


def _styled_cells(line: str) -> list[tuple[str, frozenset[str]]]:
    """Each character of a `capture-pane -e` line with the text styles it is drawn in."""
    cells: list[tuple[str, frozenset[str]]] = []
    styles: set[str] = set()
    position = 0
    for match in SGR.finditer(line + "\x1b[m"):
        cells.extend((char, frozenset(styles)) for char in line[position : match.start()])
        position = match.end()
        params = match.group(1).split(";") if match.group(1) else ["0"]
        skip = 0
        for param in params:
            if skip:
                skip -= 1
                continue
            if param in ("38", "48"):
                skip = 2  # 5;n (the capture's colours are 256-colour)
            elif param == "0":
                styles.clear()
            elif param.split(":")[0] == "4" or param == "5:3":  # 4:2 double underline; tmux writes 53 as 5:3
                styles.add("overline" if param == "5:3" else "underline")
            elif param in FLAGS:
                styles.add(FLAGS[param])
    return cells


def _style_at(screen_with_escapes: str, text: str) -> frozenset[str]:
    """The text styles the first character of `text` (its first 16 characters, found in
    the first pane's text, right of its gutter: not in its title, nor in the sidebar) has."""
    for line in screen_with_escapes.splitlines():
        cells = _styled_cells(line)
        plain = "".join(char for char, _ in cells)
        at = plain.find(text[:16], 4, max(plain.find("▕"), 0))
        if at >= 0:
            return cells[at][1]
    raise AssertionError(f"{text[:16]!r} is not on the screen:\n{SGR.sub('', screen_with_escapes)}")


def test_without_colour_the_kinds_and_the_cursor_keep_styles_of_their_own(launch, tmp_path):
    """Under NO_COLOR Textual draws every colour grey: claim, contradiction, link and note
    still differ, each from the others and from the cursor (reversed)."""
    first, _ = _sentences()
    env = {"PRESSCHECK_DB": str(tmp_path / "db.json"), "PRESSCHECK_AUTHOR": "student",
           "PRESSCHECK_CONFIG": str(tmp_path / "config.toml"), "NO_COLOR": "1"}
    app = launch([str(BIN)], name="nocolor", cwd=tmp_path, env=env, size=(160, 45))
    app.wait_for("Tag claim")
    _tag_claim(app)  # first sentence: a claim
    app.keys("j", "c", "Tab", "j", "j", "c")  # second: a contradiction with the other article
    app.wait_for("Mark a contradiction")
    app.keys("Enter")
    app.wait_for_gone("Mark a contradiction")
    app.keys("j", "l", "BTab", "j", "l")  # third: a link with the other article
    app.wait_for("Link two passages")
    app.keys("Enter")
    app.wait_for_gone("Link two passages")
    app.keys("j", "n")  # fourth: a note
    app.wait_for("Write a note")
    app.type("check it")
    app.keys("Enter")
    app.wait_for("1 note")
    app.keys("j")  # the cursor on the fifth sentence, off the annotations
    deadline = time.monotonic() + WAIT
    while True:
        screen = app.screen(escapes=True)
        styles = {name: _style_at(screen, first[index]) for index, name in
                  enumerate(["claim", "contradiction", "link", "note", "cursor"])}
        if "reverse" in styles["cursor"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    shown = SGR.sub("", screen)
    assert "reverse" in styles["cursor"], f"{styles}\n{shown}"
    assert all(styles.values()) and len(set(styles.values())) == 5, f"{styles}\n{shown}"
    app.keys("q")
    app.wait_for("EXITED=0")
