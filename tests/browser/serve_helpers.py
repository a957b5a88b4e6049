"""`presscheck serve` as a teacher starts it, and a real Chromium as students use it.

`serve(*args)` starts `presscheck serve --port 0 --db DB ARGS` in its own session (process
group), reads the link it prints, and at teardown kills the whole group, so no app process
outlives a test even when the test failed half way.

`chromium` is Debian's chromium driven by Playwright (no browser download): headless, no
sandbox (CI runs as root), and no background networking (this machine has no internet, and
Chromium hangs on its closed connections otherwise).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

BIN = Path(sys.executable).with_name("presscheck")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
"""Screenshots the browser tests take (ignored by git)."""


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    """The link `presscheck serve` printed, as a teacher would hand it out."""
    db: Path
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    @property
    def token(self) -> str | None:
        return parse_qs(urlsplit(self.url).query).get("token", [None])[0]

    @property
    def local(self) -> str:
        """The same server through 127.0.0.1 (the tests run on the serving machine)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def page(self) -> str:
        """The page's local address with the token, when there is one."""
        return f"{self.local}/" + (f"?token={self.token}" if self.token else "")

    def output(self) -> str:
        return "\n".join(self.lines)

    def app_pids(self) -> list[int]:
        return app_processes(self.process.pid)

    def annotations(self) -> list[dict]:
        """What the database holds, read by `presscheck export` as a teacher would."""
        return export(self.db)


def export(db: Path) -> list[dict]:
    result = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL, env=clean_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["annotations"]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}


def app_processes(session: int, zygote: bool = False) -> list[int]:
    """Processes of the server's session other than the server: its apps (a /proc scan, so
    apps that lost their parent still count); the warm parent they are forked from too
    when `zygote`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == session:
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and fields[0] != "Z":  # fields: state ppid pgrp session
            if not zygote and int(fields[1]) == session and _is_zygote(entry):
                continue
            found.append(int(entry.name))
    return found


def _is_zygote(entry: Path) -> bool:
    """The server's own child that forks the sessions (`reader.fork_zygote`)."""
    try:
        return b"reader.fork_zygote" in (entry / "cmdline").read_bytes()
    except OSError:
        return False


@pytest.fixture
def serve(tmp_path: Path):
    started: list[Served] = []

    def start(*args: str, db: Path | None = None, timeout: float = 30.0, open_files: int | None = None,
              with_db: bool = True) -> Served:
        """`open_files`: the server's open-file limit, soft and hard (as `ulimit -n`);
        `with_db=False`: no `--db` (as `serve --class` wants)."""
        db = db or tmp_path / "class" / "annotations.json"
        env = clean_env()
        # a teacher's own name in the environment must not become every student's
        env["PRESSCHECK_AUTHOR"] = "the teacher"
        process = subprocess.Popen(
            [str(BIN), "serve", "--port", "0", *(["--db", str(db)] if with_db else []), *args],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
            preexec_fn=None if open_files is None else _limit_open_files(open_files),
        )
        served = Served(process, "", db)
        started.append(served)
        threading.Thread(target=_collect, args=(process, served.lines), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(served.lines):
                if found := re.search(r"https?://\S+", line):
                    served.url = found.group(0)
                    return served
            if process.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"presscheck serve exited {process.returncode}:\n{served.output()}")
            time.sleep(0.05)
        raise AssertionError(f"presscheck serve printed no link in {timeout} s:\n{served.output()}")

    yield start
    for served in started:
        _stop(served.process)


def _limit_open_files(count: int):
    def in_the_child() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))

    return in_the_child


def _collect(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))


def _stop(process: subprocess.Popen[str]) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)  # the server and every app it started
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if not app_processes(process.pid, zygote=True):
            return


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]


@pytest.fixture(scope="module")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


CAPTURE_TERMINAL = """
window.presscheckTerminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) window.presscheckTerminals.push(value);
  },
});
"""
"""textual-serve's page keeps its xterm.js Terminal in `this.terminal` of an object the page
never exposes; this setter (run before the page's scripts) hands it to the test, which then
reads the rows xterm.js draws on its canvas, cell by cell, from the terminal's buffer."""

SCREEN = """() => {
  const terminal = window.presscheckTerminals[0];
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def open_page(browser, url: str, size: tuple[int, int] = (1400, 900)):
    """A new browser profile (its own cookies) on `url`: returns the page and the response."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.add_init_script(CAPTURE_TERMINAL)
    response = page.goto(url)
    return page, response


def screen(page) -> str:
    return page.evaluate(SCREEN) or ""


def wait_screen(page, *texts: str, gone: tuple[str, ...] = (), timeout: float = 30.0) -> str:
    """Wait until every text is on the terminal's screen and none of `gone` is."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(page)
        if all(t in shown for t in texts) and not any(g in shown for g in gone):
            return shown
        time.sleep(0.1)
    raise AssertionError(f"waited for {texts} (and {gone} gone); the screen was:\n{shown}")


def keys(page, *presses: str) -> None:
    page.focus("textarea.xterm-helper-textarea")
    for press in presses:
        page.keyboard.press(press)


def wait_for(check, what: str, timeout: float = 20.0, shown=lambda: ""):
    """Poll `check` until it returns something true; `shown` says what there was instead."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen in {timeout} s\n{shown()}")
        time.sleep(0.25)
