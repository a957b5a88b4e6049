"""Student sessions started before their students arrive (`presscheck serve --class`).

A class opens its tabs within the same few seconds. Each app, even forked from the warm
parent, composes, styles and draws its first frame (about a tenth of a second of CPU), and
thirty of those on two cores queue up to two seconds. So the server keeps `ReadySessions`:
app processes already drawn at the sign-in screen (the same for every student: nobody has
signed in yet), each writing into a `Relay` until a tab takes it. Taking one costs a resize:

- the tab's size differs from the one it was drawn at (the usual case): the relay passes
  on the terminal modes the app set at start (alternate screen, mouse, paste) and drops the
  frame, and the app, told the new size, draws the whole screen again at that size;
- the size is the same: the relay passes on everything it holds, which is that screen.

The pool is filled one app at a time (each drawn before the next starts). Once tabs took
some, it waits for a quiet while, and while sessions are open for the machine's CPUs to be
less than half busy, so filling never competes with tabs opening or students typing; it
never holds more than the room `--max-sessions` leaves beside the open sessions. A tab that
finds it empty gets an app started for it, as without the pool.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("presscheck.serve")

DEFAULT_READY = 30
"""Apps kept ready by default: a class (at most what `--max-sessions` leaves room for)."""
SIZE = (100, 30)
"""The size ready apps are drawn at (a tab of another size costs its app one redraw)."""
QUIET_SECONDS = 2.0
"""How long after the last tab took a ready app the pool starts filling again."""
BUSY_SHARE = 0.5
"""The pool waits to fill while the machine's CPUs are busier than this (students typing)..."""
BUSY_PATIENCE = 15.0
"""...but no longer than this at a time (a machine busy with something else still fills it)."""
START_TIMEOUT = 30.0
BACKOFF_LIMIT = 60.0
"""After apps that failed to start, the next try waits twice as long each time, up to this."""
"""A ready app that has drawn nothing by then is stopped and not counted."""

TERMINAL_MODES = re.compile(rb"(?:\x1b\[\?[0-9;]*(?:h|l|\$p))+")
"""What an app writes before its first frame, each in its own packet: modes (DEC private
set/reset, and the query of one), never screen content."""

Sender = Callable[..., Awaitable[Any]]


class Relay:
    """Where a ready app's output goes: held until a tab takes the app, then that tab's.

    Writes are serialised with the switch, so nothing held is sent after what follows it."""

    def __init__(self) -> None:
        self.held: list[tuple[str, Any]] = []
        self.drawn = asyncio.Event()
        """Set by the app's first frame (anything not a terminal mode)."""
        self.closed = asyncio.Event()
        """Set when the app ended (or its output did) before a tab took it."""
        self._lock = asyncio.Lock()
        self._bytes: Sender | None = None
        self._str: Sender | None = None
        self._close: Callable[[], Awaitable[Any]] | None = None
        self.on_closed: Callable[[], Any] = lambda: None

    async def write_bytes(self, data: bytes) -> None:
        async with self._lock:
            if self._bytes is not None:
                await self._bytes(data)
                return
            self.held.append(("bytes", data))
            if not TERMINAL_MODES.fullmatch(data):
                self.drawn.set()

    async def write_str(self, data: str) -> None:
        async with self._lock:
            if self._str is not None:
                await self._str(data)
            else:
                self.held.append(("str", data))

    async def close(self) -> None:
        async with self._lock:
            if self._close is not None:
                await self._close()
            else:
                self.closed.set()
                self.on_closed()

    async def attach(self, write_bytes: Sender, write_str: Sender, close: Callable[[], Awaitable[Any]],
                     redrawn: bool) -> None:
        """From now on the app writes to the tab; what it held goes first: all of it, or
        (`redrawn`: the app is about to draw its screen again) its terminal modes only."""
        async with self._lock:
            held, self.held = self.held, []
            for kind, data in held:
                if kind == "bytes":
                    if not redrawn or TERMINAL_MODES.fullmatch(data):
                        await write_bytes(data)
                else:
                    await write_str(data)
            self._bytes, self._str, self._close = write_bytes, write_str, close
            if self.closed.is_set():
                await close()


class ReadySessions:
    """Up to `size` apps kept ready; `start(relay)` makes and starts one (an AppProcess
    writing to that relay), `room()` says how many more the server may run, `in_use()` how
    many sessions are open."""

    def __init__(self, size: int, start: Callable[[Relay], Awaitable[Any]], room: Callable[[], int],
                 in_use: Callable[[], int] = lambda: 0,
                 on_filled: Callable[[int], Any] = lambda count: None) -> None:
        self.size = size
        self._in_use = in_use
        self.on_filled = on_filled
        """Told how many apps are ready each time the pool becomes full."""
        self._start = start
        self._room = room
        self.ready: list[tuple[Any, Relay]] = []
        self.starting: Any = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_taken = -QUIET_SECONDS
        self._failures = 0
        self.full = False
        """The pool was full when last looked at (said once each time it becomes full)."""

    def services(self) -> list[Any]:
        """Every app the pool holds (the one starting too), for stopping them."""
        return [service for service, _ in self.ready] + ([self.starting] if self.starting else [])

    def take(self) -> tuple[Any, Relay] | None:
        """A ready app for a tab, or None (the pool is empty, or off)."""
        while self.ready:
            service, relay = self.ready.pop(0)
            self._last_taken = asyncio.get_running_loop().time()
            self.full = False
            self._wake.set()
            if not relay.closed.is_set():
                return service, relay
        return None

    def wake(self) -> None:
        """There may be room for more (a session closed)."""
        self._wake.set()

    def begin(self) -> None:
        if self.size > 0 and self._task is None:
            self._task = asyncio.create_task(self._fill(), name="ready sessions")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def _wanted(self) -> int:
        return max(0, min(self.size, self._room()) - len(self.ready))

    async def _fill(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self.ready = [(service, relay) for service, relay in self.ready if not relay.closed.is_set()]
            if self._wanted() == 0:
                if self.ready and not self.full:
                    self.on_filled(len(self.ready))
                    self.full = True
                self._wake.clear()
                await self._wake.wait()
                continue
            self.full = False
            quiet = self._last_taken + QUIET_SECONDS - loop.time()
            if quiet > 0:  # tabs are opening: they have the CPU
                await asyncio.sleep(quiet)
                continue
            if self._in_use():  # students at work: their keys come first
                await self._until_idle()
            await self._add_one()

    async def _until_idle(self) -> None:
        """Wait (up to BUSY_PATIENCE) for the machine's CPUs to be less than BUSY_SHARE busy."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + BUSY_PATIENCE
        before = cpu_times()
        while before is not None and loop.time() < give_up:
            await asyncio.sleep(0.5)
            after = cpu_times()
            if after is None:
                return
            busy, total = after[0] - before[0], after[1] - before[1]
            if total <= 0 or busy / total < BUSY_SHARE:
                return
            before = after

    async def _add_one(self) -> None:
        relay = Relay()
        relay.on_closed = self._wake.set
        try:
            self.starting = service = await self._start(relay)
        except Exception:  # noqa: BLE001 - a tab then starts its own app, as without the pool
            log.exception("a ready session did not start")
            self.starting = None
            await self._back_off()
            return
        drawn = asyncio.ensure_future(relay.drawn.wait())
        closed = asyncio.ensure_future(relay.closed.wait())
        try:
            await asyncio.wait([drawn, closed], timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        finally:
            drawn.cancel()
            closed.cancel()
            self.starting = None
        if relay.drawn.is_set() and not relay.closed.is_set():
            self.ready.append((service, relay))
            self._failures = 0
            return
        if relay.closed.is_set():
            log.warning("a ready session ended before its first screen")
        else:
            log.warning("a ready session drew nothing in %g s; stopped", START_TIMEOUT)
        await service.stop()
        await self._back_off()

    async def _back_off(self) -> None:
        """Apps that do not start (a broken lesson folder) are not retried in a tight loop."""
        self._failures += 1
        await asyncio.sleep(min(BACKOFF_LIMIT, QUIET_SECONDS * 2 ** (self._failures - 1)))


def cpu_times() -> tuple[int, int] | None:
    """The machine's busy and total CPU time so far (Linux's /proc/stat, in ticks), None
    where there is none."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]  # guest time is in user
    except (OSError, ValueError):
        return None
    idle = sum(fields[3:5])  # idle, iowait
    return sum(fields) - idle, sum(fields)
