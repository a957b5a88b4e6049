"""The connections of `presscheck serve`: how many, and for how long. No UI.

Nobody can hold the server: a connection with no request in progress is closed after
IDLE_SECONDS, and at most `capacity()` connections are open at once, sized below the
process's open-file limit (raised toward its hard limit at start). A new connection
beyond that closes the one idle the longest, strangers first; only when every connection
is busy is the new one answered 503.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from aiohttp import web

log = logging.getLogger("presscheck.serve")

IDLE_SECONDS = 5.0
"""A connection with no request in progress (its first request's headers still incomplete,
or nothing asked since the last answer) is closed after this long."""
MAX_CONNECTIONS = 512
"""Open connections at most, whatever the open-file limit (a class's browsers use a few each)."""
FILE_LIMIT_WANTED = 8192
"""The soft open-file limit the server raises itself to (never above the hard limit)."""
ACCEPT_BATCH = 32
"""Connections asyncio accepts at once (its `backlog`), each a file before the gate sees it."""
LISTEN_QUEUE = 1024
"""Connections the kernel keeps waiting to be accepted (no file of ours each): a flood of
connections must not fill it, or a student's connection waits for TCP to try again."""
RESERVED_FDS = 32 + ACCEPT_BATCH
"""Files the server keeps for itself: its own streams, the listening sockets, the event loop,
the pipes of an app being started, and a batch of connections just accepted."""
FDS_PER_SESSION = 4
"""Files one session holds besides its websocket: the app's three pipes (and a pidfd)."""
SPARE_CONNECTIONS = 16
"""Connections left for page loads when every session is open."""

BUSY_TEXT = ("503 Service Unavailable: this presscheck is busy with all the connections it can take; "
             "try again.\n")
BUSY_RESPONSE = (
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    f"Content-Length: {len(BUSY_TEXT)}\r\nRetry-After: 10\r\nConnection: close\r\n\r\n{BUSY_TEXT}"
).encode()
"""What a connection beyond the cap gets when every open one is busy."""

def raise_file_limit() -> int:
    """Raise this process's soft limit on open files toward its hard limit (at most
    FILE_LIMIT_WANTED), so a class never runs the server out of them; return the limit."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return FILE_LIMIT_WANTED
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FILE_LIMIT_WANTED if hard == resource.RLIM_INFINITY else min(hard, FILE_LIMIT_WANTED)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # e.g. macOS refuses more than its own maximum
            pass
    return FILE_LIMIT_WANTED if soft == resource.RLIM_INFINITY else soft


def capacity(file_limit: int, max_sessions: int) -> tuple[int, int]:
    """(sessions, connections) that fit in `file_limit` open files: every session's pipes
    and websocket, SPARE_CONNECTIONS for page loads besides, and the server's own."""
    budget = file_limit - RESERVED_FDS
    sessions = max(1, min(max_sessions, (budget - SPARE_CONNECTIONS) // (FDS_PER_SESSION + 1)))
    connections = min(max(MAX_CONNECTIONS, sessions + SPARE_CONNECTIONS), budget - sessions * FDS_PER_SESSION)
    return sessions, max(connections, 2)


class ConnectionGate:
    """The server's open connections: at most `limit`, none idle for long.

    A connection is idle while no request of it is being handled: before its first
    request's headers are complete, and between requests. An idle one is closed after
    `idle_seconds`. When `limit` are open, a new connection closes the one idle the longest,
    first among strangers (connections that never made a request the server let in), then
    among the others; a browser whose idle connection goes opens another. Only when every
    connection is busy is the new one refused.
    """

    def __init__(self, limit: int, idle_seconds: float = IDLE_SECONDS) -> None:
        self.limit = limit
        self.idle_seconds = idle_seconds
        self.connections: set[_Connection] = set()
        self._by_handler: dict[Any, _Connection] = {}
        self._idle_strangers: OrderedDict[_Connection, None] = OrderedDict()
        self._idle_known: OrderedDict[_Connection, None] = OrderedDict()
        self.evicted = 0
        self.refused = 0
        self._warned = 0.0

    def admit(self, connection: _Connection) -> bool:
        if len(self.connections) >= self.limit:
            if not self.evict(1):
                self.refused += 1
                self.warn(f"all {self.limit} connections are busy: refused one (503)")
                return False
            self.warn(f"{self.limit} connections open, the most it takes: closing those idle the longest")
        self.connections.add(connection)
        self._idle_strangers[connection] = None
        return True

    def attach(self, connection: _Connection, handler: Any) -> None:
        self._by_handler[handler] = connection

    def evict(self, count: int) -> int:
        """Close up to `count` idle connections, strangers first, the longest idle first."""
        closed = 0
        for idle in (self._idle_strangers, self._idle_known):
            while idle and closed < count:
                connection, _ = idle.popitem(last=False)
                self.left(connection)
                connection.close()
                closed += 1
        self.evicted += closed
        return closed

    def out_of_files(self) -> None:
        """accept() found no file left (capacity() leaves room, so something else holds
        them): close some idle connections; asyncio tries accept() again in a second."""
        closed = self.evict(SPARE_CONNECTIONS)
        self.warn(f"out of open files with {len(self.connections)} connections open: "
                  f"closed {closed} idle ones")

    def left(self, connection: _Connection) -> None:
        self.connections.discard(connection)
        self._idle_strangers.pop(connection, None)
        self._idle_known.pop(connection, None)
        if connection.handler is not None:
            self._by_handler.pop(connection.handler, None)

    @contextmanager
    def busy(self, handler: Any) -> Iterator[None]:
        """A request the server let in is being handled on `handler`'s connection."""
        connection = self._by_handler.get(handler)
        if connection is None:
            yield
            return
        self._idle_strangers.pop(connection, None)
        self._idle_known.pop(connection, None)
        connection.requests += 1
        try:
            yield
        finally:
            connection.requests -= 1
            if connection.requests == 0 and connection in self.connections:
                self._idle_known[connection] = None
                connection.idle_from_now()

    def warn(self, line: str) -> None:
        now = time.monotonic()
        if now - self._warned >= 10.0:  # a flood of connections is one line now and then
            self._warned = now
            log.warning(line)


class _Connection(asyncio.Protocol):
    """One client connection: aiohttp's request handler inside, under the gate's rules."""

    def __init__(self, gate: ConnectionGate, make_handler: Callable[[], Any]) -> None:
        self.gate = gate
        self.make_handler = make_handler
        self.handler: Any = None
        self.transport: asyncio.Transport | None = None
        self.requests = 0
        self.idle_since = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport = cast(asyncio.Transport, transport)
        if not self.gate.admit(self):
            transport.write(BUSY_RESPONSE)
            transport.close()
            return
        self.handler = self.make_handler()
        self.gate.attach(self, self.handler)
        self.handler.connection_made(transport)
        self.idle_from_now()

    def data_received(self, data: bytes) -> None:
        if self.handler is not None:
            self.handler.data_received(data)

    def eof_received(self) -> bool | None:
        return self.handler.eof_received() if self.handler is not None else None

    def pause_writing(self) -> None:
        if self.handler is not None:
            self.handler.pause_writing()

    def resume_writing(self) -> None:
        if self.handler is not None:
            self.handler.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.gate.left(self)
        if self.handler is not None:
            self.handler.connection_lost(exc)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def idle_from_now(self) -> None:
        loop = asyncio.get_running_loop()
        self.idle_since = loop.time()
        if self._timer is None:
            self._timer = loop.call_at(self.idle_since + self.gate.idle_seconds, self._expire)

    def _expire(self) -> None:
        self._timer = None
        if self.requests:  # idle_from_now() starts the clock again when they are done
            return
        loop = asyncio.get_running_loop()
        due = self.idle_since + self.gate.idle_seconds
        if loop.time() >= due - 0.01:
            self.close()
        else:
            self._timer = loop.call_at(due, self._expire)


class GatedSite(web.BaseSite):
    """aiohttp's TCPSite, with every connection going through a ConnectionGate."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int, gate: ConnectionGate) -> None:
        super().__init__(runner)
        self.host, self.port, self.gate = host, port, gate

    @property
    def name(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        await super().start()
        handlers = self._runner.server
        assert handlers is not None
        self._server = server = await asyncio.get_running_loop().create_server(
            lambda: _Connection(self.gate, handlers), self.host, self.port, backlog=ACCEPT_BATCH
        )
        for listening in server.sockets:  # a longer queue in the kernel than asyncio's batch
            try:
                with listening.dup() as same:
                    same.listen(LISTEN_QUEUE)
            except OSError:
                pass
