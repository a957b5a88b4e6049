"""`presscheck serve` under a class's load: 30 browser tabs at once, through the websocket
a browser uses (aiohttp's client, no browser), against a server the measure starts on a
free port of 127.0.0.1 (`--port 0`; no token on loopback). The server's own start-up is
not counted: the clock starts only once it has printed its link.

- first screen: from opening a session's websocket (`/ws?width=120&height=40`, as the page
  does) until its terminal output (binary frames) holds `Who is annotating?`, the name
  prompt every student session shows first. `SESSIONS` sessions opened together (each
  timed on its own), against 1 session alone on the same server;
- key echo: once every session shows the prompt and the apps have settled (their CPU use
  below `SETTLE_CORES` over `SETTLE_WINDOW`, so the rest of their start-up is not counted
  as typing), every session types a name of `KEYS` letters into the name field at once, at
  5 to 10 keys a second each (seeded rhythm), without waiting for the echoes, as the
  browser sends keys: `["stdin", "x"]` text frames, after `["focus"]` as a browser's
  terminal sends when it is focused (before the settling). A key's echo is the time from sending
  it until output arrives that holds the name typed so far: the Input redraws its whole
  value as one styled segment (`…m` + value), so a frame holding the prefix up to that key
  shows it, also when one frame shows two keys; cursor-blink repaints show only keys
  echoed before and never match. The first key is typed but not timed (one letter is not a
  distinctive needle). Against 1 session typing alone;
- memory per app process: the PSS (and USS: Private_Clean + Private_Dirty) of every
  process descended from the server (the sessions' apps, those kept ready, whatever starts
  them) from /proc/PID/smaps_rollup, summed and divided by their number, after the typing;
  information only;
- where the time goes (information): the CPU time of the server and its apps per key
  typed, and the CPU time the apps used per session from the opening of the tabs until they
  settled (for a session kept ready: what taking it cost, not its start ahead); the notes give the
  cores the server, its apps and the whole machine used while the sessions opened and
  while they typed (the machine is shared: what others ran shows there).

The serve command comes from `serve_argv` alone: class mode (`presscheck serve LESSON
--class --handins DIR`, a copy of the seed pack with its key) when `presscheck serve
--help` mentions `--class`, else today's plain mode (`presscheck serve SEEDS --db DB`).
In class mode a plain server runs beside it, idle but for 1-session first screens
interleaved with class mode's ("1 session, plain serve"), to show class mode no slower.
When class mode keeps sessions ready (`--ready`, its default 30), every round starts once
the server has said all 30 are ready again, as a class finds a server the teacher started
before the lesson; a third server, with `--ready 0`, has its 30 tabs opened once (no
typing) for what the same crowd costs with nothing started ahead. Each server gets an untimed 1-session warm-up. Rounds: 1 session 5 times (quick 3) and
`SESSIONS` at once 2 times (quick 1), interleaved. Sessions are closed by closing their
websockets (the server asks each app to quit) and the servers are stopped with SIGINT, as
Ctrl+C does; any process of a server's session left after that is killed and reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from context import BENCH, Context, log, tail
from report import Figure, fmt, fmt_ratio, ratio

SESSIONS = 30
PROMPT = b"Who is annotating?"
WS_QUERY = "/ws?width=120&height=40"
KEYS = 16
"""Letters of each typed name; all but the first are timed."""
GAP = (0.1, 0.2)
"""Seconds between two keys of one session (5 to 10 keys a second), and the range of the
delay before a session's first key."""
READY_TIMEOUT = 60.0
"""Seconds for the server to print its link."""
SCREEN_TIMEOUT = 60.0
ECHO_TIMEOUT = 10.0
CLOSE_TIMEOUT = 30.0
SETTLE_CORES = 0.35
"""CPU use (in cores, all apps together) below which the apps count as settled. Idle, each
session still repaints its blinking cursor twice a second (about 0.5% of a core each)."""
SETTLE_WINDOW = 0.5
SETTLE_TIMEOUT = 20.0
FIRST_SCREEN_TARGET_MS = 2000.0
ECHO_P99_TARGET_MS = 100.0
_READY = re.compile(r"^presscheck serve: (\d+) student sessions? ready")
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]")


class ServeFailed(RuntimeError):
    """The server did not start, or stopped, while the measure needed it."""


# the server ----------------------------------------------------------------------------------


def class_mode(ctx: Context) -> bool:
    """Whether this presscheck's `serve` has a class mode (`--class`)."""
    done = subprocess.run([str(ctx.presscheck), "serve", "--help"], capture_output=True, text=True,
                          timeout=60, cwd=ctx.work, env=ctx.env(), check=False)
    return "--class" in done.stdout


def lesson(ctx: Context, mode: str = "class") -> Path:
    """A copy of the seed pack (two articles and the key): the lesson served."""
    target = ctx.folder("serve_load") / f"lesson-{mode}"
    if not target.exists():
        shutil.copytree(BENCH.parent / "seeds", target)
    return target


def keeps_ready(ctx: Context) -> bool:
    """Whether this presscheck's class mode starts sessions ahead (`--ready`)."""
    done = subprocess.run([str(ctx.presscheck), "serve", "--help"], capture_output=True, text=True,
                          timeout=60, cwd=ctx.work, env=ctx.env(), check=False)
    return "--ready" in done.stdout


def serve_argv(ctx: Context, mode: str, index: int) -> list[str]:
    """The one place the serve command is spelt: `mode` "class", "cold" (class mode with no
    session started ahead: `--ready 0`) or "plain"; `index` numbers the servers of a run
    (each gets its own database or hand-in folder)."""
    listen = ["--host", "127.0.0.1", "--port", "0"]
    if mode in ("class", "cold"):
        handins = ctx.folder(f"serve_load/handins-{index}")
        # each server its own lesson state (.class), as two lessons would have
        ready = ["--ready", "0"] if mode == "cold" else []
        return [str(ctx.presscheck), "serve", str(lesson(ctx, mode)), "--class", "--handins", str(handins),
                *ready, *listen]
    db = ctx.folder(f"serve_load/db-{index}") / "annotations.json"
    return [str(ctx.presscheck), "serve", str(lesson(ctx)), "--db", str(db), *listen]


class Server:
    """`presscheck serve` in its own process session, its output collected line by line."""

    def __init__(self, ctx: Context, argv: list[str]) -> None:
        self.argv = argv
        self.lines: list[str] = []
        self.port = 0
        self.process = subprocess.Popen(
            argv, cwd=ctx.work, env=ctx.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True,
        )
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_ready(self) -> float:
        """Wait for the link; the seconds the server took to start."""
        started = time.perf_counter()
        while time.perf_counter() - started < READY_TIMEOUT:
            for line in list(self.lines):
                if found := re.search(r"^presscheck serve: (?:students: )?http://127\.0\.0\.1:(\d+)/", line):
                    self.port = int(found.group(1))
                    return time.perf_counter() - started
            if self.process.poll() is not None:
                time.sleep(0.2)
                raise ServeFailed(f"presscheck serve exited {self.process.returncode}: {tail(self.output())}")
            time.sleep(0.02)
        raise ServeFailed(f"presscheck serve printed no link in {READY_TIMEOUT:g} s: {tail(self.output())}")

    def wait_pool(self, after: int, count: int) -> float | None:
        """Wait until the server says `count` (or more) sessions are ready, after its first
        `after` lines; the seconds it took, None if it did not within READY_TIMEOUT."""
        started = time.perf_counter()
        while time.perf_counter() - started < READY_TIMEOUT:
            for line in self.lines[after:]:
                if (found := _READY.search(line)) and int(found.group(1)) >= count:
                    return time.perf_counter() - started
            if self.process.poll() is not None:
                raise ServeFailed(f"presscheck serve exited {self.process.returncode}: {tail(self.output())}")
            time.sleep(0.05)
        return None

    def apps(self) -> list[int]:
        """Every live process descended from the server."""
        return descendants(self.process.pid)

    def wait_closed(self, after: int, processes: int, timeout: float) -> bool:
        """Whether every session closed: the server said "(0 open)" after its first `after`
        lines, or no more processes descend from it than `processes` (those it had before)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if any("(0 open)" in line for line in self.lines[after:]) or len(self.apps()) <= processes:
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def stop(self) -> list[str]:
        """SIGINT (Ctrl+C), wait; then SIGTERM and SIGKILL to its process group if need be,
        and kill any process of its session left. What went wrong, if anything."""
        notes = []
        for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            if self.process.poll() is not None:
                break
            if sig != signal.SIGINT:
                notes.append(f"the server did not stop on {'SIGINT' if sig == signal.SIGTERM else 'SIGTERM'}; "
                             f"sent {sig.name}")
            try:
                if sig == signal.SIGINT:
                    self.process.send_signal(sig)
                else:
                    os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        left = in_session(self.process.pid)
        if left:
            notes.append(f"{len(left)} process(es) outlived the server (killed)")
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        elif self.port and self.process.returncode not in (0, -signal.SIGINT):  # (a start that failed is reported)
            notes.append(f"the server exited with status {self.process.returncode}: {tail(self.output())}")
        self._reader.join(5)
        return notes


def _stats() -> dict[int, list[str]]:
    """pid → the fields of /proc/PID/stat after the command name (state, ppid, pgrp, session, …)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
    return found


def descendants(root: int) -> list[int]:
    stats = _stats()
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def in_session(session: int) -> list[int]:
    """Live processes of the process session `session` (the server's), other than it."""
    return [pid for pid, fields in _stats().items()
            if pid != session and int(fields[3]) == session and fields[0] != "Z"]


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def machine_busy() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy, and idle (all cores; from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK"), idle / os.sysconf("SC_CLK_TCK")


def memory(pids: list[int]) -> tuple[float, float]:
    """PSS and USS, in MB, of `pids` together (from /proc/PID/smaps_rollup)."""
    pss = uss = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        values = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in text.splitlines()[1:])}
        pss += values.get("Pss", 0)
        uss += values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return pss / 1024, uss / 1024


# the sessions --------------------------------------------------------------------------------


def readable(data: bytes | bytearray) -> str:
    return tail(_ANSI.sub(b" ", bytes(data[-20_000:])))


@dataclass
class Session:
    """One browser tab's websocket; what it was sent is all in `buffer`."""

    ws: aiohttp.ClientWebSocketResponse
    opened: float
    buffer: bytearray = field(default_factory=bytearray)
    waiters: list[tuple[bytes, int, asyncio.Future[float]]] = field(default_factory=list)
    ended: str = ""
    task: asyncio.Task[None] | None = None

    def expect(self, needle: bytes, start: int = 0) -> asyncio.Future[float]:
        """When output holding `needle` (from byte `start` on) arrived (perf_counter)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.buffer.find(needle, start) >= 0:
            future.set_result(time.perf_counter())
        elif self.ended:
            future.set_exception(ConnectionError(self.ended))
        else:
            self.waiters.append((needle, start, future))
        return future

    async def read(self) -> None:
        ws = self.ws
        try:
            async for message in ws:
                now = time.perf_counter()
                if message.type != aiohttp.WSMsgType.BINARY:
                    continue
                before = len(self.buffer)
                self.buffer += message.data
                for waiter in list(self.waiters):
                    needle, start, future = waiter
                    if self.buffer.find(needle, max(start, before - len(needle))) >= 0:
                        self.waiters.remove(waiter)
                        if not future.done():
                            future.set_result(now)
            self.ended = f"the server closed the websocket (code {ws.close_code})"
        except Exception as error:  # noqa: BLE001 - reported to whoever waits
            self.ended = f"the websocket failed: {type(error).__name__}: {error}"
        for _, _, future in self.waiters:
            if not future.done():
                future.set_exception(ConnectionError(self.ended))
        self.waiters.clear()

    async def close(self) -> None:
        await self.ws.close()
        if self.task is not None:
            await asyncio.wait([self.task], timeout=CLOSE_TIMEOUT)


@dataclass
class Round:
    """What one batch of sessions measured."""

    screens: list[float] = field(default_factory=list)
    echoes: list[float] = field(default_factory=list)
    screen_failures: list[str] = field(default_factory=list)
    echo_failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pss: float | None = None
    uss: float | None = None
    apps: int = 0
    settled_s: float | None = None
    start_cpu_s: float | None = None
    """CPU time of the apps once they settled, per session: what a session's start costs."""
    key_cpu_ms: float | None = None
    """CPU time of the apps and the server while the sessions typed, per key sent."""
    client_cpu_ms: float | None = None
    """The harness's own CPU time in that while, per key sent."""
    keys_per_s: float | None = None
    """Keys sent a second, all sessions together, while they typed."""
    cores: float | None = None
    """CPU used by the apps and the server while the sessions typed, in cores."""
    server_cores: float | None = None
    """...of which the server's own."""
    machine_cores: float | None = None
    """CPU used by every process of the machine in that while, in cores."""
    opening: tuple[float, float, float] | None = None
    """While the sessions opened (first websocket to last prompt): seconds, and the cores
    used by the server with its apps and by the whole machine."""


async def open_session(http: aiohttp.ClientSession, port: int, result: Round) -> Session | None:
    """Open a websocket and wait for the prompt: the session, its first screen in `result`."""
    opened = time.perf_counter()
    try:
        ws = await http.ws_connect(f"http://127.0.0.1:{port}{WS_QUERY}")
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        result.screen_failures.append(f"websocket not opened: {type(error).__name__}: {error}")
        return None
    session = Session(ws, opened)
    session.task = asyncio.create_task(session.read())
    try:
        shown = await asyncio.wait_for(session.expect(PROMPT), SCREEN_TIMEOUT)
    except (TimeoutError, ConnectionError) as error:
        why = str(error) or f"no {PROMPT.decode()!r} in {SCREEN_TIMEOUT:g} s"
        result.screen_failures.append(f"first screen: {why}; output: {readable(session.buffer)}")
        await session.close()
        return None
    result.screens.append((shown - opened) * 1000)
    return session


async def type_name(session: Session, name: str, rng: random.Random, result: Round) -> None:
    """Type `name` at the rhythm of `GAP`; each key but the first timed to its echo."""
    await asyncio.sleep(rng.uniform(*GAP))
    sent: list[tuple[str, float, asyncio.Future[float]]] = []
    for count in range(1, len(name) + 1):
        if session.ended:
            break
        waiter = session.expect(b"m" + name[:count].encode(), len(session.buffer)) if count > 1 else None
        began = time.perf_counter()
        await session.ws.send_str(json.dumps(["stdin", name[count - 1]]))
        if waiter is not None:
            sent.append((name[:count], began, waiter))
        await asyncio.sleep(rng.uniform(*GAP))
    for typed, began, waiter in sent:
        try:
            shown = await asyncio.wait_for(waiter, max(0.1, began + ECHO_TIMEOUT - time.perf_counter()))
        except (TimeoutError, ConnectionError) as error:
            why = str(error) or f"no echo in {ECHO_TIMEOUT:g} s"
            result.echo_failures.append(f"echo of {typed!r}: {why}; output: {readable(session.buffer)}")
            return
        result.echoes.append((shown - began) * 1000)


async def settle(server: Server) -> float | None:
    """Wait until the apps together use less than `SETTLE_CORES`; the seconds it took, None
    when they never did within `SETTLE_TIMEOUT`."""
    started = time.perf_counter()
    last_time, last_cpu = started, cpu_seconds(server.apps())
    while (now := time.perf_counter()) - started < SETTLE_TIMEOUT:
        await asyncio.sleep(SETTLE_WINDOW)
        now, cpu = time.perf_counter(), cpu_seconds(server.apps())
        if (cpu - last_cpu) / (now - last_time) < SETTLE_CORES:
            return now - started
        last_time, last_cpu = now, cpu
    return None


async def batch(server: Server, count: int, seed: int, typing: bool = True) -> Round:
    """`count` sessions opened together; once all show the prompt and the apps settled, all
    type at once; memory read; every session closed."""
    result = Round()
    mark, before = len(server.lines), len(server.apps())
    async with aiohttp.ClientSession() as http:
        apps_before = cpu_seconds(server.apps())
        cpu, busy, began = cpu_seconds([server.process.pid, *server.apps()]), machine_busy()[0], time.perf_counter()
        opened = await asyncio.gather(*(open_session(http, server.port, result) for _ in range(count)))
        took = time.perf_counter() - began
        result.opening = (took, (cpu_seconds([server.process.pid, *server.apps()]) - cpu) / took,
                          (machine_busy()[0] - busy) / took)
        sessions = [s for s in opened if s is not None]
        try:
            if sessions and typing:
                # a browser's terminal is focused before a key can reach it, and xterm.js
                # then sends ["focus"]: the app's focus restyles and redraws its screen once
                await asyncio.gather(*(s.ws.send_str(json.dumps(["focus"])) for s in sessions))
                result.settled_s = await settle(server)
                apps = server.apps()
                result.start_cpu_s = (cpu_seconds(apps) - apps_before) / len(sessions)
                rng = random.Random(seed)
                names = ["Z" + "".join(rng.choices("abcdefghijklmnopqrstuvwxy", k=KEYS - 1)) for _ in sessions]
                cpu, own = cpu_seconds([server.process.pid, *apps]), cpu_seconds([server.process.pid])
                client, busy, began = time.process_time(), machine_busy()[0], time.perf_counter()
                await asyncio.gather(*(type_name(s, n, random.Random(seed * 1000 + i), result)
                                       for i, (s, n) in enumerate(zip(sessions, names, strict=True))))
                keys, took = KEYS * len(sessions), time.perf_counter() - began
                used = cpu_seconds([server.process.pid, *apps]) - cpu
                result.key_cpu_ms = used / keys * 1000
                result.client_cpu_ms = (time.process_time() - client) / keys * 1000
                result.keys_per_s, result.cores = keys / took, used / took
                result.server_cores = (cpu_seconds([server.process.pid]) - own) / took
                result.machine_cores = (machine_busy()[0] - busy) / took
                await asyncio.sleep(0.3)
                apps = server.apps()
                result.apps = len(apps)
                result.pss, result.uss = memory(apps)
        finally:
            await asyncio.gather(*(s.close() for s in sessions))
    if not await asyncio.to_thread(server.wait_closed, mark, before, CLOSE_TIMEOUT):
        result.notes.append(f"the sessions did not all close within {CLOSE_TIMEOUT:g} s: {tail(server.output())}")
    return result


def run_batch(server: Server, count: int, seed: int, typing: bool = True) -> Round:
    if server.process.poll() is not None:
        raise ServeFailed(f"presscheck serve exited {server.process.returncode}: {tail(server.output())}")
    return asyncio.run(batch(server, count, seed, typing))


# the measure ---------------------------------------------------------------------------------


def p99(samples: list[float]) -> float | None:
    if not samples:
        return None
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def add(figure: Figure, samples: list[float], failures: list[str]) -> None:
    figure.samples += samples
    figure.failures += failures


def measure(ctx: Context) -> list[Figure]:
    mode = "class" if class_mode(ctx) else "plain"
    n = SESSIONS
    singles, crowds = ctx.repeats(5, 3), ctx.repeats(2, 1)
    screen_n = Figure("serve_load.first_screen", f"first screen, {n} sessions at once ({mode} serve)")
    screen_1 = Figure("serve_load.first_screen_1", f"first screen, 1 session ({mode} serve)")
    screen_plain = Figure("serve_load.first_screen_plain", "first screen, 1 session, plain serve")
    screen_cold = Figure("serve_load.first_screen_cold", f"first screen, {n} at once, none ready (--ready 0)")
    echo_n = Figure("serve_load.echo", f"key echo, {n} sessions typing")
    echo_1 = Figure("serve_load.echo_1", "key echo, 1 session typing")
    pss_n = Figure("serve_load.pss", f"PSS per app process, {n} sessions open", unit="MB")
    pss_1 = Figure("serve_load.pss_1", "PSS per app process, 1 session open", unit="MB")
    uss_n = Figure("serve_load.uss", f"USS per app process, {n} sessions open", unit="MB")
    uss_1 = Figure("serve_load.uss_1", "USS per app process, 1 session open", unit="MB")
    cpu_n = Figure("serve_load.key_cpu", f"CPU per key, {n} sessions typing (apps + server)")
    cpu_1 = Figure("serve_load.key_cpu_1", "CPU per key, 1 session typing (apps + server)")
    start_n = Figure("serve_load.start_cpu", f"CPU per session start, {n} at once")
    start_1 = Figure("serve_load.start_cpu_1", "CPU per session start, 1 alone")
    ours = [screen_n, screen_1, echo_n, echo_1, pss_n, pss_1, uss_n, uss_1, cpu_n, cpu_1, start_n, start_1]
    pooled = mode == "class" and keeps_ready(ctx)
    extra = [screen_plain, screen_cold] if pooled else [screen_plain]
    figures = [*ours[:2], *extra, *ours[2:]] if mode == "class" else ours
    settled: list[float | None] = []
    crowd_rounds: list[Round] = []

    def record(result: Round, sessions: int) -> None:
        one = sessions == 1
        screen, echo = (screen_1, echo_1) if one else (screen_n, echo_n)
        add(screen, result.screens, result.screen_failures)
        add(echo, result.echoes, result.echo_failures)
        screen.notes += result.notes
        if result.pss is not None and result.uss is not None and len(result.screens) == sessions and result.apps:
            (pss_1 if one else pss_n).samples.append(result.pss / result.apps)
            (uss_1 if one else uss_n).samples.append(result.uss / result.apps)
            (pss_1 if one else pss_n).extra.setdefault("app_processes", []).append(result.apps)
        if result.key_cpu_ms is not None and result.start_cpu_s is not None:
            (cpu_1 if one else cpu_n).samples.append(result.key_cpu_ms)
            (cpu_1 if one else cpu_n).extra.setdefault("harness_cpu_ms_per_key", []).append(result.client_cpu_ms)
            (start_1 if one else start_n).samples.append(result.start_cpu_s * 1000)
        if not one:
            settled.append(result.settled_s)
            if result.keys_per_s is not None:
                crowd_rounds.append(result)

    servers: dict[str, Server] = {}
    broken: dict[str, str] = {}
    owned = {mode: ours, "plain": [screen_plain]} if mode == "class" else {mode: ours}
    if pooled:
        owned["cold"] = [screen_cold]
    refills: list[float | None] = []

    def batch_on(serve_mode: str, count: int, seed: int, typing: bool = True) -> Round | None:
        """A batch on that server; None (the reason kept) once the server has failed. On
        the server that keeps sessions ready, the batch then waits for it to be full again,
        as a class would find it (the teacher starts it before the lesson)."""
        if serve_mode in broken:
            return None
        server = servers[serve_mode]
        try:
            mark = len(server.lines)
            result = run_batch(server, count, seed, typing)
            if pooled and serve_mode == mode:
                refills.append(server.wait_pool(mark, SESSIONS))
            return result
        except ServeFailed as error:
            broken[serve_mode] = str(error)
            return None

    try:
        for index, serve_mode in enumerate(owned):
            argv = serve_argv(ctx, serve_mode, index)
            log(f"serve_load: {Path(argv[0]).name} {' '.join(argv[1:])}")
            servers[serve_mode] = server = Server(ctx, argv)
            try:
                startup = server.wait_ready()
            except ServeFailed as error:
                broken[serve_mode] = str(error)
                continue
            screen_n.extra.setdefault("server_startup_s", {})[serve_mode] = round(startup, 3)
            if pooled and serve_mode == mode:
                try:
                    filled = server.wait_pool(0, SESSIONS)
                except ServeFailed as error:
                    broken[serve_mode] = str(error)
                    continue
                screen_n.extra["ready_after_start_s"] = filled
            batch_on(serve_mode, 1, seed=0)  # warm-up: the files read once, not timed
        for index in range(max(singles, crowds)):
            if index < singles:
                log(f"serve_load: 1 session ({index + 1}/{singles})")
                if (result := batch_on(mode, 1, seed=index + 1)) is not None:
                    record(result, 1)
                if "plain" in owned and mode != "plain":
                    if (result := batch_on("plain", 1, seed=index + 1, typing=False)) is not None:
                        add(screen_plain, result.screens, result.screen_failures)
                        screen_plain.notes += result.notes
            if index < crowds:
                log(f"serve_load: {n} sessions at once ({index + 1}/{crowds})")
                if (result := batch_on(mode, n, seed=100 + index)) is not None:
                    record(result, n)
                    screens, echoes = result.screens or [0.0], result.echoes or [0.0]
                    log(f"serve_load: first screens median {fmt(statistics.median(screens), 'ms')}, "
                        f"max {fmt(max(screens), 'ms')}; echo median {fmt(statistics.median(echoes), 'ms')}, "
                        f"p99 {fmt(p99(echoes), 'ms')}; {len(result.screen_failures)} sessions failed")
                if pooled and index == 0:
                    log(f"serve_load: {n} sessions at once, none ready (--ready 0)")
                    if (result := batch_on("cold", n, seed=200, typing=False)) is not None:
                        add(screen_cold, result.screens, result.screen_failures)
                        screen_cold.notes += result.notes
    finally:
        for serve_mode, server in servers.items():
            for note in server.stop():
                owned[serve_mode][0].notes.append(f"{serve_mode} serve: {note}")
                log(f"serve_load: {serve_mode} serve: {note}")
    for serve_mode, why in broken.items():
        for figure in owned[serve_mode]:
            figure.failures.append(why)

    screen_n.target = f"≤ {FIRST_SCREEN_TARGET_MS / 1000:.1f} s (median and max)"
    screen_n.reference = f"1 session {fmt(screen_1.median, 'ms')} {fmt_ratio(ratio(screen_n.median, screen_1.median))}"
    screen_n.judge(None if screen_n.max is None else screen_n.max <= FIRST_SCREEN_TARGET_MS)
    screen_n.extra["settle_s"] = settled
    if pooled:
        screen_n.extra["refill_s"] = refills
        started = screen_n.extra.get("ready_after_start_s")
        screen_n.notes.append(
            f"the server keeps {n} sessions ready (`--ready`, its default): they were all ready "
            f"{'?' if started is None else f'{started:.1f}'} s after it printed its link, and again "
            + ", ".join("not within 60" if r is None else f"{r:.1f}" for r in refills)
            + " s after each round; the tabs were opened once they were")
        screen_cold.reference = (f"{n} ready {fmt(screen_n.median, 'ms')}; cold / ready "
                                 f"{fmt_ratio(ratio(screen_cold.median, screen_n.median))}")
    if crowd_rounds:
        screen_n.notes.append("while they opened: " + "; ".join(
            f"{r.opening[0]:.1f} s, the server and its apps busy {r.opening[1]:.2f} cores, "
            f"the whole machine {r.opening[2]:.2f} of {os.cpu_count()}" for r in crowd_rounds if r.opening))
    if mode == "class":
        screen_1.reference = (f"plain serve {fmt(screen_plain.median, 'ms')} "
                              f"{fmt_ratio(ratio(screen_1.median, screen_plain.median))}")
    else:
        screen_1.notes.append("this serve has no class mode (`--class`): this is plain serve")

    worst = p99(echo_n.samples)
    echo_n.extra["p99_ms"] = worst
    echo_1.extra["p99_ms"] = p99(echo_1.samples)
    echo_n.target = f"p99 ≤ {ECHO_P99_TARGET_MS:.0f} ms"
    echo_n.reference = (f"p99 {fmt(worst, 'ms')}; 1 session {fmt(echo_1.median, 'ms')}, "
                        f"p99 {fmt(echo_1.extra['p99_ms'], 'ms')}")
    echo_n.judge(None if worst is None else worst <= ECHO_P99_TARGET_MS)
    echo_1.reference = f"p99 {fmt(echo_1.extra['p99_ms'], 'ms')}"
    if settled:
        echo_n.notes.append(f"{len(echo_n.samples)} keys timed ({KEYS - 1} a session); the typing began once the apps "
                            f"settled (CPU < {SETTLE_CORES:g} core) after the last prompt, which took "
                            + ", ".join("over 20 s" if s is None else f"{s:.1f} s" for s in settled))
    for many, one in ((pss_n, pss_1), (uss_n, uss_1), (cpu_n, cpu_1), (start_n, start_1)):
        many.reference = f"1 session {fmt(one.median, one.unit)} {fmt_ratio(ratio(many.median, one.median))}"
    if pss_n.samples:
        counts = pss_n.extra.get("app_processes", []) + pss_1.extra.get("app_processes", [])
        pss_n.notes.append("every process descended from the server (the sessions' apps, the ones kept ready, "
                           "the warm parent), summed, divided by their number ("
                           + ", ".join(str(c) for c in counts) + "); the server itself not counted")
    if crowd_rounds:
        cpu_n.notes.append("while they typed: " + "; ".join(
            f"{r.keys_per_s:.0f} keys/s in all, the apps and the server busy {r.cores:.2f} cores "
            f"(the server {r.server_cores:.2f}), the whole machine {r.machine_cores:.2f} of {os.cpu_count()}"
            for r in crowd_rounds) + " (idle cursor blinks included)")
    for figure in figures:
        if figure is not screen_n and figure is not echo_n:
            figure.judge(None)
    return figures
