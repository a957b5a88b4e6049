"""The hostile and realistic test corpus: where the files are, what each must do, and the
two large files written at test time (a 2 MB single line, a 100 000-character word).

Also the one small web server on 127.0.0.1 that every URL test uses (`local_server`).
Tests `import corpus`: tests/conftest.py puts tests/data on sys.path.
"""

from __future__ import annotations

import http.server
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent
HOSTILE = DATA / "hostile"
PAGES = DATA / "pages"
FEEDS = DATA / "feeds"

OPENS: dict[str, str] = {
    # file name → a literal that must be on the screen once it is open
    "escapes.txt": "␛]52;c;",
    "controls.txt": "C1 controls: [",
    "bidi.txt": "⇆%01⇆",
    "markup.txt": "[@click=app.quit]click to quit[/]",
    "markup.md": "[bold]not bold[/bold]",
    "escapes.html": "[@click=app.quit]markup[/]",
    "wide.txt": "中文新闻",
    "utf16.txt": "The café’s owner said “we’re open” — at 8 €.",
    "cp1252.txt": "The café’s owner said “we’re open” — at 8 € … and Ærø’s ferry.",
}
"""Files that open as one article each."""

REFUSED: dict[str, str] = {
    # file name → words of its one-line refusal
    "empty.txt": "the file is empty",
    "whitespace.txt": "only white space",
    "nul.txt": "a binary file",
    "image.png": "a binary file",
    "picture-named-like-text.txt": "a binary file",
}
"""Files that are refused with a one-line error naming them."""

FEED_FILES: dict[str, str] = {"hostile-feed.rss": "[@click=app.quit]Entry… · [bold]Hostile[/bold]…"}
"""Feeds whose entries' titles are hostile: the library lists them literally (cut short)."""

BIG_LINE_BYTES = 2 * 1024 * 1024
LONG_WORD_CHARS = 100_000

TERMINAL_PAYLOADS: tuple[bytes, ...] = (
    b"\x1b]52;",  # OSC 52: write the clipboard
    b"\x1b]0;",  # OSC 0 / 2: set the window title
    b"\x1b]2;",
    b"\x1b]8;;https://evil",  # OSC 8 hyperlink from the article
    b"\x1bP",  # DCS
    b"\x1b[31;1;5m",  # the article's SGR (red, bold, blink)
    b"\x1b[6n",  # device status report: the terminal would type an answer
    b"\x1bc",  # RIS: full reset
    b"\x07",  # BEL (also what [@click=app.bell] would ring)
    "\u009b".encode(),  # C1 CSI, OSC, DCS, ST as UTF-8
    "\u009d".encode(),
    "\u0090".encode(),
    "\u009c".encode(),
    "\u202e".encode(),  # bidi override and isolates
    "\u2066".encode(),
    "\u2067".encode(),
    "\u2068".encode(),
)
"""Byte strings an article holds that must never reach the terminal."""

CONTROLS = {chr(c) for c in range(0x20) if c != 0x0A} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)}
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
FORBIDDEN_CHARACTERS = frozenset(CONTROLS | BIDI)
"""Characters that must never be on the screen as themselves."""


def write_big_files(folder: Path) -> dict[str, Path]:
    """Write the 2 MB single line and the 100 000-character word into `folder`."""
    rng = random.Random(6)
    words = (
        "the harbour bridge was closed after inspectors found cracked cables during a "
        "routine survey said the transport authority on thursday morning"
    ).split()
    parts: list[str] = []
    size = 0
    while size < BIG_LINE_BYTES:
        word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    line = " ".join(parts)[: BIG_LINE_BYTES - 1]
    long_line = folder / "long-line.txt"
    long_line.write_text(line + "\n", encoding="utf-8")
    long_word = folder / "long-word.txt"
    long_word.write_text(
        "A word of 100 000 characters\n\n" + "x" * LONG_WORD_CHARS + "\n\nThe end.\n", encoding="utf-8"
    )
    return {"long-line.txt": long_line, "long-word.txt": long_word}


def fixture_inputs() -> list[Path]:
    """Every committed fixture that opens (articles and feeds), for determinism checks."""
    return [
        *(HOSTILE / name for name in OPENS),
        *(HOSTILE / name for name in FEED_FILES),
        *sorted(PAGES.glob("*.html")),
        *sorted(FEEDS.iterdir()),
    ]


# a web server on 127.0.0.1 for the URL tests -------------------------------------------


@dataclass
class Route:
    """What the test server answers on one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    """Seconds to wait before answering."""
    drip: float = 0.0
    """Seconds to wait between single bytes of the body (a server that never finishes)."""
    headers: tuple[tuple[str, str], ...] = ()


def page_routes() -> dict[str, Route]:
    """The saved pages (tests/data/pages) as routes `/<file name>`."""
    return {f"/{path.name}": Route(path.read_bytes()) for path in sorted(PAGES.glob("*.html"))}


@contextmanager
def local_server(routes: dict[str, Route]) -> Iterator[str]:
    """Serve `routes` on 127.0.0.1 at a free port, in a thread; yields the base URL.

    `routes` may be changed while it runs; "{base}" in a body becomes the base URL.
    """

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                self.send_error(404, "Not Found")
                return
            time.sleep(route.delay)
            body = route.body.replace(b"{base}", base.encode())
            try:
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers:
                    self.send_header(name, value)
                if not route.drip:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if route.drip:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


CLOSED_PORT_URL = "http://127.0.0.1:9/news/today"
"""Nothing listens on port 9 (discard) here: the connection is refused at once."""
