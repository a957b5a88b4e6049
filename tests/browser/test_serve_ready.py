"""Student sessions started ahead (`presscheck serve LESSON --class --ready N`).

First the pool on its own (`reader.serve_ready`, asyncio, stand-in apps): what a ready
app's relay holds and passes on, how the pool fills, refills and stays within its room.
Then a real class server: a tab that takes a ready app sees exactly the screen a tab given
a new app sees (both rendered by a terminal emulator, pyte, at the tab's size), whatever
its size; `--max-sessions` bounds the ready apps too; Ctrl+C leaves none behind.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from pathlib import Path

import aiohttp
import pyte
import pytest

from reader import serve_ready
from reader.serve_ready import ReadySessions, Relay
from serve_helpers import app_processes

REPO = Path(__file__).resolve().parents[2]
PROMPT = b"Who is annotating?"
MODES = [b"\x1b[?1049h", b"\x1b[?1000h\x1b[?1003h", b"\x1b[?25l", b"\x1b[?2026$p", b"\x1b[?2004h"]
FRAME = b"\x1b[1;1H\x1b[38;2;1;2;3mWho is annotating?\x1b[0m"


class Tab:
    """What a browser tab's websocket would have been sent, in order."""

    def __init__(self) -> None:
        self.sent: list[bytes | str] = []
        self.closed = False

    async def write_bytes(self, data: bytes) -> None:
        await asyncio.sleep(0)  # a real send yields: the order must hold anyway
        self.sent.append(data)

    async def write_str(self, data: str) -> None:
        self.sent.append(data)

    async def close(self) -> None:
        self.closed = True


# the relay -----------------------------------------------------------------------------------


async def test_a_redrawn_tab_gets_the_terminal_modes_and_not_the_old_frame():
    relay = Relay()
    for mode in MODES:
        await relay.write_bytes(mode)
    assert not relay.drawn.is_set()  # modes are not a frame
    await relay.write_bytes(FRAME)
    assert relay.drawn.is_set()
    tab = Tab()
    await relay.attach(tab.write_bytes, tab.write_str, tab.close, redrawn=True)
    assert tab.sent == MODES
    await relay.write_bytes(b"the new frame")
    await relay.write_str('["open_url", {}]')
    assert tab.sent == [*MODES, b"the new frame", '["open_url", {}]'] and relay.held == []


async def test_a_tab_of_the_drawn_size_gets_everything_held_in_order():
    relay = Relay()
    for data in (*MODES, FRAME, b"\x1b[2;1Ha repaint"):
        await relay.write_bytes(data)
    tab = Tab()
    attaching = asyncio.create_task(relay.attach(tab.write_bytes, tab.write_str, tab.close, redrawn=False))
    writing = asyncio.create_task(relay.write_bytes(b"written while attaching"))
    await asyncio.gather(attaching, writing)
    assert tab.sent == [*MODES, FRAME, b"\x1b[2;1Ha repaint", b"written while attaching"]


async def test_an_app_that_ended_before_its_tab_came_closes_that_tab():
    relay = Relay()
    ended = []
    relay.on_closed = lambda: ended.append(True)
    await relay.write_bytes(FRAME)
    await relay.close()
    assert relay.closed.is_set() and ended == [True]
    tab = Tab()
    await relay.attach(tab.write_bytes, tab.write_str, tab.close, redrawn=True)
    assert tab.closed


# the pool ------------------------------------------------------------------------------------


class StandIn:
    """An app as the pool sees it: drawn (or not) once started, stoppable."""

    def __init__(self, relay: Relay, draws: bool | None = True) -> None:
        self.relay = relay
        self.stopped = False
        self.draws = draws
        """True: draws its screen; False: never draws; None: ends at once (a broken lesson)."""

    async def begin(self) -> None:
        await self.relay.write_bytes(MODES[0])
        if self.draws:
            await self.relay.write_bytes(FRAME)
        elif self.draws is None:
            await self.relay.close()

    async def stop(self) -> None:
        self.stopped = True


class Pool:
    """A ReadySessions over stand-ins, with `room` under the test's control."""

    def __init__(self, size: int, room: int, draws: bool | None = True) -> None:
        self.started: list[StandIn] = []
        self.room = room
        self.open = 0
        self.filled: list[int] = []
        self.draws = draws
        self.ready = ReadySessions(size, self.start, room=lambda: self.room - self.open,
                                   in_use=lambda: self.open, on_filled=self.filled.append)

    async def start(self, relay: Relay) -> StandIn:
        app = StandIn(relay, self.draws)
        self.started.append(app)
        await app.begin()
        return app

    async def until(self, condition, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "the pool never got there"
            await asyncio.sleep(0.01)


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(serve_ready, "QUIET_SECONDS", 0.2)
    monkeypatch.setattr(serve_ready, "BUSY_PATIENCE", 0.2)
    monkeypatch.setattr(serve_ready, "START_TIMEOUT", 0.3)


async def test_the_pool_fills_to_its_size_and_tabs_take_the_oldest_first(quick):
    pool = Pool(size=3, room=10)
    pool.ready.begin()
    try:
        await pool.until(lambda: pool.filled == [3])
        assert len(pool.started) == 3 and len(pool.ready.services()) == 3
        taken = pool.ready.take()
        assert taken is not None and taken[0] is pool.started[0]
        pool.open += 1
        await asyncio.sleep(0.1)
        assert len(pool.started) == 3  # not while tabs are opening
        await pool.until(lambda: pool.filled == [3, 3])
        assert len(pool.started) == 4
    finally:
        await pool.ready.close()


async def test_the_pool_keeps_within_the_room_max_sessions_leaves(quick):
    pool = Pool(size=5, room=3)
    pool.ready.begin()
    try:
        await pool.until(lambda: pool.filled == [3])
        for _ in range(3):
            assert pool.ready.take() is not None
            pool.open += 1
        assert pool.ready.take() is None  # empty: the tab starts its own app (or is refused)
        await asyncio.sleep(0.5)
        assert len(pool.started) == 3  # three open of three: no room for a ready one
        pool.open -= 2
        pool.ready.wake()  # as the server does when a session closes
        await pool.until(lambda: pool.filled == [3, 2])
        assert len(pool.started) == 5
    finally:
        await pool.ready.close()


async def test_an_app_that_ends_while_ready_is_never_handed_out_and_is_replaced(quick):
    pool = Pool(size=2, room=10)
    pool.ready.begin()
    try:
        await pool.until(lambda: pool.filled == [2])
        first = pool.started[0]
        await first.relay.close()  # it crashed, or was killed
        taken = pool.ready.take()
        assert taken is not None and taken[0] is pool.started[1]
        await pool.until(lambda: len(pool.ready.ready) == 2)
        assert all(service is not first for service in pool.ready.services())
    finally:
        await pool.ready.close()


async def test_an_app_that_draws_nothing_is_stopped_and_not_counted(quick):
    pool = Pool(size=1, room=10, draws=False)
    pool.ready.begin()
    try:
        await pool.until(lambda: len(pool.started) >= 1 and pool.started[0].stopped)
        assert pool.ready.ready == [] and pool.ready.take() is None and pool.filled == []
    finally:
        await pool.ready.close()


async def test_apps_that_end_at_once_are_retried_less_and_less_often(quick):
    pool = Pool(size=2, room=10, draws=None)
    pool.ready.begin()
    try:
        await asyncio.sleep(1.6)  # tries at 0, then after 0.2, 0.4, 0.8 s: 4 at most
        assert 2 <= len(pool.started) <= 4, len(pool.started)
        assert pool.ready.take() is None and pool.filled == []
    finally:
        await pool.ready.close()


def test_the_pool_of_size_0_never_starts_anything():
    async def run() -> None:
        pool = Pool(size=0, room=10)
        pool.ready.begin()
        await asyncio.sleep(0.2)
        assert pool.started == [] and pool.ready.take() is None
        await pool.ready.close()

    asyncio.run(run())


# a real class server -------------------------------------------------------------------------


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    folder = tmp_path / "hanoi"
    shutil.copytree(REPO / "seeds", folder)
    return folder


def _ready_lines(served, count: int, after: int = 0, timeout: float = 60.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [line for line in served.lines[after:] if re.search(r"student sessions? ready", line)]
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    raise AssertionError(f"the server did not say its sessions were ready:\n{served.output()}")


async def _screen(local: str, width: int, height: int) -> list[str]:
    """What a tab of that size shows once its app is quiet, as a terminal renders it."""
    screen = pyte.Screen(width, height)
    stream = pyte.ByteStream(screen)
    seen = b""
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(f"{local}/ws?width={width}&height={height}") as ws:
            deadline = time.monotonic() + 30
            quiet_until = None
            while quiet_until is None or time.monotonic() < quiet_until:
                assert time.monotonic() < deadline, f"no first screen; got {seen[-400:]!r}"
                try:
                    message = await ws.receive(timeout=0.1)
                except TimeoutError:
                    if PROMPT in seen and quiet_until is None:
                        quiet_until = time.monotonic() + 0.5
                    continue
                assert message.type == aiohttp.WSMsgType.BINARY, message
                seen += message.data
                stream.feed(message.data)
                quiet_until = None
    return [line.rstrip() for line in screen.display]


@pytest.mark.parametrize("size", [(120, 40), serve_ready.SIZE, (40, 12)], ids=["larger", "same", "smaller"])
async def test_a_tab_that_takes_a_ready_app_sees_what_a_new_app_draws(serve, lesson, tmp_path, size):
    ready = serve(str(lesson), "--class", "--ready", "1", "--handins", str(tmp_path / "a"), with_db=False)
    fresh = serve(str(lesson), "--class", "--ready", "0", "--handins", str(tmp_path / "b"), with_db=False)
    _ready_lines(ready, 1)
    taken = await _screen(ready.local, *size)
    assert "session opened from 127.0.0.1 (1 open)" in ready.output()
    drawn = await _screen(fresh.local, *size)
    assert any("Who is annotating?" in line for line in drawn)
    assert taken == drawn
    assert not any(re.search(r"student sessions? ready", line) for line in fresh.lines)


async def test_max_sessions_bounds_the_ready_apps_and_ctrl_c_stops_them(serve, lesson, tmp_path):
    import os
    import signal

    served = serve(str(lesson), "--class", "--ready", "5", "--max-sessions", "2", "--handins",
                   str(tmp_path / "h"), with_db=False)
    assert _ready_lines(served, 1)[0].startswith("presscheck serve: 2 student sessions ready")
    assert len(app_processes(served.process.pid)) == 2
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(f"{served.local}/ws?width=80&height=24")
        second = await http.ws_connect(f"{served.local}/ws?width=80&height=24")
        for ws in (first, second):
            seen = b""
            while PROMPT not in seen:
                seen += (await ws.receive(timeout=20)).data
        await asyncio.sleep(3 * serve_ready.QUIET_SECONDS)
        assert len(app_processes(served.process.pid)) == 2  # both taken, no room for more
        mark = len(served.lines)
        await first.close()
        assert _ready_lines(served, 1, after=mark)[0].startswith("presscheck serve: 1 student session ready")
        assert len(app_processes(served.process.pid)) == 2
        await second.close()
    os.kill(served.process.pid, signal.SIGINT)
    assert served.process.wait(timeout=30) == 0
    assert app_processes(served.process.pid, zygote=True) == []
