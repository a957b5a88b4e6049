"""`presscheck serve` against clients that misbehave: half-open connections, malformed
requests, more tabs than it serves (issue 16).

Raw sockets and aiohttp's client, no browser. Every connection goes to 127.0.0.1 (also when
the server listens on 0.0.0.0); every loop is bounded in count and time, and every socket
is closed (the `serve` fixture kills the server's process group).
"""

from __future__ import annotations

import asyncio
import re
import selectors
import socket
import time
from contextlib import ExitStack

import aiohttp
import pytest

from serve_helpers import Served

TOKEN = "classroom-7b"
WS_QUERY = "/ws?width=120&height=40"
IDLE_SECONDS = 5.0
"""reader.connection_gate.IDLE_SECONDS: how long the server lets a connection sit without a request."""
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What must never reach the teacher's terminal from a client (ESC, BEL, C1 ...)."""


def _open_half_requests(port: int, count: int, seconds: float) -> tuple[list[socket.socket], int]:
    """`count` connections that each send a request line and never the end of the headers.
    Returns the sockets (all of them, to close) and how many got connected in `seconds`."""
    sockets, connected = [], 0
    with selectors.DefaultSelector() as selector:  # select() stops at descriptor 1024
        for _ in range(count):
            client = socket.socket()
            sockets.append(client)
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
            selector.register(client, selectors.EVENT_WRITE)
        deadline = time.monotonic() + seconds
        while connected < count and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                client = key.fileobj
                selector.unregister(client)
                if client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    try:
                        client.send(b"GET / HTTP/1.1\r\n")  # ... and never the blank line
                        connected += 1
                    except OSError:
                        pass
    return sockets, connected


def _wait_closed_by_server(sockets: list[socket.socket], seconds: float) -> int:
    """Read every socket until the server closes it (EOF or reset); how many stayed open."""
    open_ = set(sockets)
    with selectors.DefaultSelector() as selector:
        for client in open_:
            selector.register(client, selectors.EVENT_READ)
        deadline = time.monotonic() + seconds
        while open_ and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:  # reset: closed too
                    data = b""
                if not data:
                    selector.unregister(key.fileobj)
                    open_.discard(key.fileobj)
    return len(open_)


def _request(port: int, raw: bytes, timeout: float) -> bytes:
    """Send `raw` on a new connection; everything the server answers until it closes (or
    `timeout` passes)."""
    answer = b""
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(raw)
        while (left := deadline - time.monotonic()) > 0:
            client.settimeout(left)
            try:
                data = client.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            answer += data
    return answer


def _page(port: int, timeout: float = 2.0) -> tuple[float, bytes]:
    """A student's page load with the token: (seconds it took, the answer)."""
    started = time.monotonic()
    try:
        answer = _request(port, f"GET /?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                                "Connection: close\r\n\r\n".encode(), timeout)
    except OSError as error:
        answer = repr(error).encode()
    return time.monotonic() - started, answer


def _lines_after_banner(served: Served) -> list[str]:
    lines = list(served.lines)
    start = next(i for i, line in enumerate(lines) if "Ctrl+C" in line) + 1
    return lines[start:]


@pytest.mark.slow
def test_half_open_connections_neither_shut_a_student_out_nor_stay_open(serve):
    served = serve("--host", "0.0.0.0", "--token", TOKEN, open_files=256)
    half_open: list[socket.socket] = []
    try:
        half_open, connected = _open_half_requests(served.port, 500, seconds=10.0)
        took, answer = _page(served.port, timeout=2.0)
        head = answer.split(b"\r\n", 1)[0]
        assert head.endswith(b" 200 OK") and b"textual-terminal" in answer, (
            f"with {connected} half-open connections a student waited {took:.2f} s for {answer[:200]!r}\n"
            + served.output()[-3000:])
        assert took < 2.0
        assert connected == 500, f"only {connected} of 500 connections were taken"
        # a student's keep-alive connection, answered and then left idle
        kept = socket.create_connection(("127.0.0.1", served.port), timeout=2.0)
        half_open.append(kept)
        kept.sendall(f"GET /?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
        answer = b""
        while b"</html>" not in answer and (data := kept.recv(65536)):
            answer += data
        assert b" 200 OK" in answer.split(b"\r\n", 1)[0]
        kept.setblocking(False)
        # the server closes them all: none lasts much longer than its idle time
        still_open = _wait_closed_by_server(half_open, seconds=IDLE_SECONDS + 5.0)
        assert still_open == 0, f"{still_open} idle or half-open connections were never closed by the server"
        # and it is still there for the next student
        took, answer = _page(served.port, timeout=2.0)
        assert b" 200 OK" in answer.split(b"\r\n", 1)[0], answer[:200]
    finally:
        for client in half_open:
            client.close()
    assert "Traceback" not in served.output(), served.output()[-3000:]


MALFORMED = {
    "garbage request line": b"GARBAGE\r\n\r\n",
    "a TLS hello on the HTTP port": b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(32)),
    "a header line without a colon": b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    "an invalid HTTP version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "an absurd Content-Length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    "a negative Content-Length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "non-UTF-8 bytes in the path": b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "ESC in the path": b"GET /\x1b[2J\x1b[31mpwned HTTP/1.1\r\nHost: x\r\n\r\n",
    "an OSC sequence in a header": b"GET / HTTP/1.1\r\nHost: x\r\nX-Title: \x1b]0;pwned\x07\r\n\r\n",
    "a header line of 20 kB": b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"\x1b" * 20000 + b"\r\n\r\n",
}
ODD_BUT_WELL_FORMED = {
    "a percent-encoded ESC in the path": b"GET /%1b[2J%1b]0;x%07 HTTP/1.1\r\nHost: x\r\n\r\n",
    "non-UTF-8 bytes in a header value": b"GET / HTTP/1.1\r\nHost: x\r\nX-Name: \xff\xfe\x9b\r\n\r\n",
}


def test_malformed_requests_get_400_and_one_clean_line_each(serve):
    served = serve("--host", "0.0.0.0", "--token", TOKEN)
    for what, raw in MALFORMED.items():
        answer = _request(served.port, raw, timeout=5.0)
        head = answer.split(b"\r\n", 1)[0]
        assert answer == b"" or re.fullmatch(rb"HTTP/1\.[01] 400 Bad Request", head), (what, answer[:200])
    for what, raw in ODD_BUT_WELL_FORMED.items():  # well-formed: refused for want of the token
        head = _request(served.port, raw, timeout=5.0).split(b"\r\n", 1)[0]
        assert re.fullmatch(rb"HTTP/1\.1 403 Forbidden", head), (what, head)
    time.sleep(0.5)  # the server's last lines on their way through the pipe
    output = served.output()
    assert "Traceback" not in output, output
    lines = _lines_after_banner(served)
    assert len(lines) <= len(MALFORMED), lines
    assert not [line for line in lines if CONTROL.search(line)], lines
    assert any("400" in line and "127.0.0.1" in line for line in lines), lines
    # and the server still serves
    assert b" 200 OK" in _page(served.port, timeout=5.0)[1].split(b"\r\n", 1)[0]


async def _until_closed(ws: aiohttp.ClientWebSocketResponse, timeout: float = 10.0) -> tuple[bytes, aiohttp.WSMessage]:
    """What the server sends until it closes: (the terminal bytes, the close message)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return seen, message
    raise AssertionError(f"the websocket stayed open; got {seen[-500:]!r}")


async def _screen(ws: aiohttp.ClientWebSocketResponse, wanted: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{wanted!r} never came through the websocket; got {seen[-2000:]!r}"
        message = await ws.receive(timeout=left)
        assert message.type == aiohttp.WSMsgType.BINARY, (message, seen[-2000:])
        seen += message.data
    return seen


async def _wait_output(served: Served, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in served.output():
        assert time.monotonic() < deadline, f"{text!r} not in\n{served.output()}"
        await asyncio.sleep(0.1)


async def test_max_sessions_refuses_a_tab_beyond_it_with_a_message_and_no_process(serve):
    served = serve("--max-sessions", "1")
    full = b"this presscheck serves at most 1 session at once"
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(served.local + WS_QUERY)
        await _screen(first, b"Who is annotating?")
        assert len(served.app_pids()) == 1

        second = await http.ws_connect(served.local + WS_QUERY)
        shown, closing = await _until_closed(second)
        assert full in shown  # on the tab's terminal
        assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        assert full.decode() in (closing.extra or "")
        await second.close()
        async with http.get(served.local + "/") as page:  # a new tab's page says so at once
            assert page.status == 503 and full.decode() in await page.text()
        assert len(served.app_pids()) == 1, "a refused tab started an app"
        assert "session refused from 127.0.0.1" in served.output()

        await first.send_str('["stdin", "Zed"]')  # the first session still works
        await _screen(first, b"Zed")
        await first.close()
        await _wait_output(served, "session closed (0 open)")

        third = await http.ws_connect(served.local + WS_QUERY)  # its place is free again
        await _screen(third, b"Who is annotating?")
        await third.close()


# the rules themselves, in-process ------------------------------------------------------------


class _FakeConnection:
    """What ConnectionGate uses of a connection."""

    def __init__(self, name: str) -> None:
        self.name, self.handler, self.requests, self.closed = name, object(), 0, False

    def close(self) -> None:
        self.closed = True

    def idle_from_now(self) -> None:
        pass

    def __repr__(self) -> str:
        return self.name


def test_a_full_gate_closes_strangers_first_then_the_longest_idle_and_never_a_busy_one():
    from reader.connection_gate import ConnectionGate

    gate = ConnectionGate(limit=3)

    def admit(name: str) -> _FakeConnection | None:
        connection = _FakeConnection(name)
        if not gate.admit(connection):
            return None
        gate.attach(connection, connection.handler)
        return connection

    with ExitStack() as in_progress:
        stranger, known, student = admit("stranger"), admit("known"), admit("student")
        with gate.busy(known.handler):  # a request the server let in, answered: idle again
            pass
        in_progress.enter_context(gate.busy(student.handler))  # e.g. the student's websocket
        first = admit("first")
        assert stranger.closed and not known.closed and not student.closed
        second = admit("second")
        assert first.closed and not known.closed  # strangers before the others, oldest first
        in_progress.enter_context(gate.busy(second.handler))
        third = admit("third")  # no stranger is idle: the connection idle the longest
        assert known.closed
        in_progress.enter_context(gate.busy(third.handler))
        assert admit("fourth") is None and gate.refused == 1  # every one busy: refused
        assert gate.connections == {student, second, third}
        assert not any(c.closed for c in (student, second, third))


def test_capacity_leaves_room_below_the_open_file_limit():
    from reader.connection_gate import FDS_PER_SESSION, RESERVED_FDS, capacity

    for limit, wanted in ((256, 40), (1024, 40), (8192, 40), (8192, 1000), (128, 40)):
        sessions, connections = capacity(limit, wanted)
        assert 1 <= sessions <= wanted and connections >= sessions + 2
        # every session's pipes, every connection (websockets included), the server's own
        assert sessions * FDS_PER_SESSION + connections + RESERVED_FDS <= limit, (limit, wanted)
    assert capacity(8192, 40) == (40, 512)
    assert capacity(256, 40)[0] < 40  # a low limit: fewer sessions, said at start
