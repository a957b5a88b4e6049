"""Hostile input through the real `presscheck` binary in tmux.

Every byte the app writes to its terminal is copied to a file with `pipe-pane`; none of
the corpus's escape sequences, C1 controls or bidi overrides may be in it. The screen
shows the literal markup, tmux's window title and paste buffers stay untouched (OSC 0/2
and OSC 52 did not act), and the app still answers keys afterwards. Refused files end
the binary with one line naming them. URLs are served from this test on 127.0.0.1.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")
FETCH_TIMEOUT = 3
TEXTUALS_OWN = re.compile(rb"\x1b\]22;[a-z-]*\x07")
"""Textual's own OSC 22 (mouse pointer shape), the one sequence it ends with BEL."""


import corpus  # tests/data/corpus.py; tests/conftest.py puts tests/data on sys.path


class App:
    """One presscheck in its own tmux session, its terminal output piped to a file."""

    def __init__(self, launch, name: str, workdir: Path, args: list[str]) -> None:
        self.name = name
        self.output = workdir / f"{name}.out"
        env = {
            "PRESSCHECK_DB": str(workdir / (name + ".json")),
            "PRESSCHECK_AUTHOR": "student",
            "PRESSCHECK_FETCH_TIMEOUT": str(FETCH_TIMEOUT),
        }
        # the pause lets tmux size the pane and start the pipe before the app writes
        self.program = launch([str(BIN), *args], name=name, cwd=workdir, env=env, pause=0.7, linger=60)
        self.terminal = self.program.terminal
        self.terminal.set_option("set-clipboard", "on")  # an OSC 52 would make a buffer
        self.terminal.pipe_output(self.program.pane, self.output)

    def screen(self) -> str:
        return self.program.screen()

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return self.program.wait_for(text, timeout)

    def keys(self, *names: str) -> None:
        self.program.keys(*names)

    def raw(self) -> bytes:
        return self.output.read_bytes() if self.output.exists() else b""

    def assert_nothing_leaked(self) -> None:
        raw = self.raw()
        assert len(raw) > 1000, f"{self.name}: the pipe caught only {len(raw)} bytes"
        raw = TEXTUALS_OWN.sub(b"", raw)
        leaked = [payload for payload in corpus.TERMINAL_PAYLOADS if payload in raw]
        assert not leaked, f"{self.name}: reached the terminal: {leaked}"
        title = self.terminal.title(self.program.pane)
        assert "PAYLOAD" not in title, f"{self.name}: the window title was set to {title!r}"
        assert self.terminal.buffers() == [], "an OSC 52 clipboard write reached tmux"

    def assert_answers_keys_and_quits(self) -> None:
        answers_keys_and_quits([self])


def answers_keys_and_quits(apps: list[App]) -> None:
    """Move, fold and unfold, open and close the help, quit: every app, all at once."""
    for app in apps:
        app.keys("j", "x", "x", "?")
    for app in apps:
        app.wait_for("presscheck keys")
        app.keys("Escape")
    deadline = time.monotonic() + 10
    for app in apps:
        while "presscheck keys" in app.screen():
            assert time.monotonic() < deadline, f"{app.name}: Escape did not close the help"
            time.sleep(0.1)
    time.sleep(0.2)  # a q right after Escape would read as alt+q
    for app in apps:
        app.keys("q")
    for app in apps:
        app.wait_for("EXITED=0")


def _first_words(path: Path) -> str:
    return path.read_text(encoding="utf-8")[:40].split("\n")[0].rsplit(" ", 1)[0]


def test_hostile_files_show_safely_and_the_app_keeps_answering(launch, tmp_path):
    big = corpus.write_big_files(tmp_path)
    apps: dict[str, tuple[App, str]] = {}
    for index, name in enumerate(sorted(corpus.OPENS)):
        apps[name] = (App(launch, f"open{index}", tmp_path, [str(corpus.HOSTILE / name)]), corpus.OPENS[name])
    for name, path in big.items():
        apps[name] = (App(launch, name.split(".")[0], tmp_path, [str(path)]), _first_words(path))
    started = time.monotonic()
    for name, (app, literal) in apps.items():
        app.wait_for("Annotations", timeout=60)
        screen = app.wait_for(literal)
        assert "EXITED" not in screen, name
        if name == "long-line.txt":
            print(f"all {len(apps)} apps showed their article {time.monotonic() - started:.1f} s after launch")
    markup = apps["markup.txt"][0].screen()
    for literal in ("[bold]not bold[/bold]", "[link=https://evil.example/steal]a link[/link]",
                    "[@click=app.quit]click to quit[/]", ":smile:"):
        assert literal in markup
    escapes = apps["escapes.txt"][0].screen()
    assert "␛]0;TITLE-PAYLOAD␇" in escapes and "␛[31;1;5mRED-PAYLOAD␛[0m" in escapes
    for app, _ in apps.values():
        app.assert_nothing_leaked()
    answers_keys_and_quits([app for app, _ in apps.values()])
    for app, _ in apps.values():
        app.assert_nothing_leaked()  # the help screen and the quit wrote nothing either


def test_refused_files_end_with_one_line_naming_them(launch, tmp_path):
    apps = {
        name: App(launch, f"refused{index}", tmp_path, [str(corpus.HOSTILE / name)])
        for index, name in enumerate(sorted(corpus.REFUSED))
    }
    for name, app in apps.items():
        screen = app.wait_for("EXITED=")
        lines = [line for line in screen.splitlines() if line.strip()]
        assert lines[-1] == "EXITED=1", screen
        assert lines[-2].startswith(f"presscheck: {corpus.HOSTILE / name}: "), screen
        assert corpus.REFUSED[name] in lines[-2]
        assert len(lines) == 2, screen  # one line of error, no traceback


def test_hostile_feed_entries_are_listed_literally(launch, tmp_path):
    app = App(launch, "feed", tmp_path, [str(corpus.HOSTILE / "hostile-feed.rss")])
    app.wait_for("Library · 2 articles")
    screen = app.wait_for(corpus.FEED_FILES["hostile-feed.rss"])
    assert "⇆Entry two reversed⇆" in screen
    app.keys("Enter")
    screen = app.wait_for("(summary)")
    assert "[@click=app.quit]Entry one[/] ␛]52;c;RkVFRC1QQVlMT0FE␇ (summary)" in screen
    assert "Summary with [link=https://evil.example]markup[/link] and ␛[2J escapes." in screen
    app.assert_nothing_leaked()
    app.assert_answers_keys_and_quits()


@pytest.fixture
def pages_server():
    """The test pages, and /slow/… answered after a pause (to see the progress), and
    /stall/… only after the fetch has timed out."""
    pages = corpus.page_routes()
    routes = {
        **pages,
        **{f"/slow{path}": replace(route, delay=1.5) for path, route in pages.items()},
        **{f"/stall{path}": replace(route, delay=FETCH_TIMEOUT + 2) for path, route in pages.items()},
    }
    with corpus.local_server(routes) as base:
        yield base


def test_a_url_opens_after_a_progress_indicator_and_a_dead_one_says_so(launch, tmp_path, pages_server):
    page = App(launch, "url", tmp_path, [f"{pages_server}/slow/harbour-bridge.html"])
    dead = App(launch, "dead", tmp_path, ["http://127.0.0.1:9/news"])
    page.wait_for("Fetching http://127.0.0.1")
    # Wait for the whole first frame: tmux can be captured halfway through a repaint.
    screen = page.program.wait_until(
        lambda screen: "Maria Okonkwo" in screen and "About 40,000 vehicles cross the bridge" in screen,
        "the article's byline and first paragraph",
        30.0,
    )
    assert "Harbour bridge closed after inspectors find cracked cables" in screen
    assert "Cheap flights" not in screen and "harbourwatcher" not in screen  # ads, comments
    started = time.monotonic()
    screen = dead.wait_for("connection was refused", timeout=FETCH_TIMEOUT + 10)
    assert time.monotonic() - started < FETCH_TIMEOUT + 10
    assert "http://127.0.0.1:9/news: cannot fetch it" in screen
    dead.assert_answers_keys_and_quits()  # still running, still answering
    page.assert_answers_keys_and_quits()


def test_quitting_does_not_wait_for_a_fetch(launch, tmp_path, pages_server):
    app = App(launch, "stall", tmp_path, [f"{pages_server}/stall/harbour-bridge.html"])
    app.wait_for("Fetching http://127.0.0.1")
    app.keys("q")
    started = time.monotonic()
    app.wait_for("EXITED=0", timeout=FETCH_TIMEOUT + 5)
    assert time.monotonic() - started < 1.5  # the fetch would take FETCH_TIMEOUT s


EVIL = "\x1b]52;c;cHdu\x1b\\\x1b[2J\x1b]0;TITLE-PAYLOAD\x07Eve\u009b31m\u202eevE\x1b[31;1;5m"
"""A student's name that, printed raw, writes `pwn` to the teacher's clipboard (OSC 52),
clears the screen, sets the window title and reorders the line."""


def test_a_hostile_hand_in_reaches_the_teachers_terminal_as_data(launch, tmp_path):
    """The reproduction of issue 16 through the real binary: `compare` (its table on a
    terminal, and md to stdout) and `class` on a hand-in whose author, tags, notes and
    file name carry escape sequences."""
    from dataclasses import replace

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "classroom"))
    from classroom_helpers import KEY, key_annotations, write_native

    annotations = [replace(a, note=EVIL, tags=tuple(EVIL for _ in a.tags)) for a in key_annotations()]
    evil = write_native(tmp_path / f"{EVIL}.json", annotations, EVIL)
    table = App(launch, "table", tmp_path, ["compare", str(KEY), str(evil)])
    report = App(launch, "report", tmp_path, ["compare", str(KEY), str(evil), "--format", "md"])
    klass = App(launch, "class", tmp_path, ["class", str(KEY), str(evil)])
    for app in (table, report):
        screen = app.wait_for("EXITED=0")
        assert "␛]52;c;cHdu" in screen  # the name is shown, as visible marks
    klass.wait_for("class view · 1 student")
    klass.keys("f")
    klass.wait_for("Enter show")
    klass.keys("Escape")
    time.sleep(0.3)
    klass.keys("q")
    klass.wait_for("EXITED=0")
    for app in (table, report, klass):
        app.assert_nothing_leaked()
