"""`presscheck serve`'s sessions forked from a warm parent instead of started from scratch.

Every browser tab used to start `python -m reader ...`: ~0.5 s of CPU importing Textual and
the app before the first frame, so thirty students opening the page in the same second
waited many seconds on a two-core machine. `ForkServer` starts one warm parent
(`reader.fork_zygote`) that has imported all of it once; a session is then a fork of it,
which goes straight to the app's own work.

`ForkServer.spawn` returns a `ForkedProcess`, which quacks like the
`asyncio.subprocess.Process` textual-serve's `AppService` and `serve.py` use: pipes for
stdin, stdout and stderr (made here, passed to the zygote over a Unix socket), `pid`,
`returncode`, `wait()`, `terminate()`, `kill()`. The zygote reports each child's exit
status (only a parent can learn it); signals go through a pidfd, so they reach that
process and never one that reused its pid.

Nobody outlives the server: the zygote dies with it (PR_SET_PDEATHSIG) and every child
dies with the zygote; `close()` terminates what is left. If the zygote dies, `alive`
turns false (serve falls back to plain subprocesses) and the sessions it leaves are
followed by their pidfds; their status is then unknown, reported as 255 as asyncio does.

Linux only (pidfds, PR_SET_PDEATHSIG): elsewhere `start()` raises `ForkServerError`.
"""

from __future__ import annotations

import array
import asyncio
import itertools
import json
import logging
import os
import signal
import socket
import sys
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

log = logging.getLogger("presscheck.serve.forks")

DEFAULT_PRELOAD: tuple[str, ...] = (
    "textual.app",
    "textual.drivers.web_driver",
    "reader.cli",
    "reader.launch",
    "reader.app",
    "reader.screens.*",
    "reader.widgets.*",
    "reader.classroom.*",
    "reader.export.*",
    "reader.ingest.*",
    # imported lazily on the way to the first frame: once here, not in every session
    "reader.safe_output",
    "filelock",
    "pysbd",
    "concurrent.futures.thread",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "textual.widgets._tabs",
    "textual.renderables.bar",
)
"""What the zygote imports: the app's whole tree (`package.*`: every module under it), and
what the first frame would import on its way."""

READY_SECONDS = 60.0
"""How long the zygote gets to import and warm up before `start()` gives up."""
FORK_SECONDS = 10.0
"""How long a fork may take to be answered."""
STOP_SECONDS = 2.0
"""At `close()`: how long the sessions left get after SIGTERM, and after SIGKILL."""
UNKNOWN_STATUS = 255
"""The exit status of a session whose zygote died before it: nobody can learn it."""


class ForkServerError(RuntimeError):
    """The zygote could not start, has died, or could not fork a session."""


class _StdinProtocol(asyncio.streams.FlowControlMixin):
    """The write end of a session's stdin: drain() and wait_closed() as a subprocess's."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop=loop)
        self._closed = loop.create_future()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self._closed.done():
            self._closed.set_result(None)

    def _get_close_waiter(self, stream: asyncio.StreamWriter) -> asyncio.Future[None]:
        return self._closed


class ForkedProcess:
    """One session forked by the zygote, as an `asyncio.subprocess.Process` looks."""

    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    stderr: asyncio.StreamReader

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd: int | None = pidfd
        self._exited: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def __repr__(self) -> str:
        return f"<ForkedProcess {self.pid} returncode={self.returncode}>"

    async def wait(self) -> int:
        return await asyncio.shield(self._exited)

    def send_signal(self, number: int) -> None:
        """Signal the session (nothing once it has exited)."""
        if self.returncode is not None or self._pidfd is None:
            return
        try:
            signal.pidfd_send_signal(self._pidfd, number)
        except ProcessLookupError:
            pass  # exited; its status is on its way

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _set_exited(self, status: int) -> None:
        if self.returncode is not None:
            return
        self.returncode = status
        if self._pidfd is not None:
            asyncio.get_running_loop().remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        self._exited.set_result(status)

    def _follow_without_zygote(self) -> None:
        """The zygote is gone: the pidfd turns readable when the process ends."""
        if self._pidfd is not None and self.returncode is None:
            asyncio.get_running_loop().add_reader(self._pidfd, self._set_exited, UNKNOWN_STATUS)

    async def _connect(self, stdin: int, stdout: int, stderr: int) -> None:
        loop = asyncio.get_running_loop()
        self.stdout = await _reader(loop, stdout)
        self.stderr = await _reader(loop, stderr)
        transport, protocol = await loop.connect_write_pipe(
            lambda: _StdinProtocol(loop), os.fdopen(stdin, "wb", buffering=0))
        self.stdin = asyncio.StreamWriter(transport, protocol, None, loop)


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=2**16, loop=loop)  # asyncio's subprocess limit
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop),
                                 os.fdopen(fd, "rb", buffering=0))
    return reader


class ForkServer:
    """The zygote, seen from the server: start it, fork sessions from it, close it.

    `environment`: what every app's environment adds to the server's own (the web driver's
    variables); it is the zygote's before Textual is imported. `unset`: variables of the
    server's environment that no app may see. `warm_args`: the arguments of a session
    (`python -m reader` style) the zygote draws once, headless, on a throwaway database,
    so that the first frame's one-time work is done before any fork; None skips it.
    """

    def __init__(self, environment: Mapping[str, str], preload: Sequence[str] = DEFAULT_PRELOAD,
                 warm_args: list[str] | None = None, *, unset: Sequence[str] = ()) -> None:
        self.environment = dict(environment)
        self.preload = list(preload)
        self.warm_args = warm_args
        self.unset = list(unset)
        self.ready: dict[str, Any] = {}
        """What the zygote said when ready: its pid, how many modules it holds and which
        would not import, whether it shares parsed CSS, how its warm-up went, seconds to
        get ready, stray fds."""
        self._zygote: asyncio.subprocess.Process | None = None
        self._channel: socket.socket | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[ForkedProcess]] = {}
        self._children: dict[int, ForkedProcess] = {}
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._send_lock = asyncio.Lock()
        self._stderr_task: asyncio.Task[None] | None = None
        self._last_words: deque[str] = deque(maxlen=20)
        self._lost = False
        self._closing = False

    @property
    def alive(self) -> bool:
        return (self._zygote is not None and self._zygote.returncode is None
                and self._channel is not None and not self._lost)

    @property
    def pid(self) -> int | None:
        return self._zygote.pid if self._zygote is not None else None

    @property
    def children(self) -> list[ForkedProcess]:
        """The sessions that have not exited yet."""
        return [child for child in self._children.values() if child.returncode is None]

    # starting ---------------------------------------------------------------------------

    async def start(self, timeout: float = READY_SECONDS) -> None:
        """Start the zygote and wait until it has imported (and warmed) everything. Call it
        from the thread that lives as long as the server (the event loop's): the kernel
        ends the zygote when the thread that started it ends."""
        if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"):
            raise ForkServerError("forked sessions need Linux (pidfds, PR_SET_PDEATHSIG)")
        if self._zygote is not None:
            raise ForkServerError("already started")
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"socket": theirs.fileno(), "server": os.getpid(), "preload": self.preload,
                  "warm_args": self.warm_args}
        environment = {**os.environ, **self.environment}
        for name in self.unset:
            environment.pop(name, None)
        try:
            self._zygote = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "reader.fork_zygote", json.dumps(config),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE, env=environment, pass_fds=(theirs.fileno(),))
        except OSError as error:
            ours.close()
            raise ForkServerError(f"cannot start the fork server: {error}") from error
        finally:
            theirs.close()
        ours.setblocking(False)
        self._channel = ours
        self._ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._on_messages)
        assert self._zygote.stderr is not None
        self._stderr_task = asyncio.create_task(self._relay_stderr(self._zygote.stderr))
        try:
            self.ready = await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except (TimeoutError, ForkServerError) as error:
            await self.close()  # which waits for the zygote's last words, for the message
            said = "; ".join(self._last_words) or "no message"
            raise ForkServerError(f"the fork server did not start: {said}") from error
        for failure in self.ready.get("not_preloaded") or ():
            log.warning("fork server: not preloaded: %s", failure)
        if (self.ready.get("warm_up") or "done") != "done":
            log.warning("fork server: the warm-up session %s", self.ready["warm_up"])
        if self.ready.get("stray_fds"):
            log.warning("fork server: the zygote holds file descriptors %s its children inherit",
                        self.ready["stray_fds"])

    async def _relay_stderr(self, stream: asyncio.StreamReader) -> None:
        """The zygote's own errors, a line at a time, to the log (the sessions' stderr is
        theirs, not this)."""
        while True:
            try:
                line = await stream.readline()
            except ValueError:  # a line beyond the limit: take it in pieces
                line = await stream.read(2**16)
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                self._last_words.append(text)
                log.warning("fork server: %s", text)

    # forking ----------------------------------------------------------------------------

    async def spawn(self, argv: list[str], environment: Mapping[str, str],
                    cwd: str | None = None) -> ForkedProcess:
        """A session: `python -m reader ARGV` with `environment` added to the zygote's, in
        `cwd` (default: the server's working folder now)."""
        if not self.alive:
            raise ForkServerError("the fork server is not running")
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        ours = (stdin_w, stdout_r, stderr_r)
        ident = next(self._ids)
        answer: asyncio.Future[ForkedProcess] = asyncio.get_running_loop().create_future()
        self._pending[ident] = answer
        request = {"id": ident, "argv": list(argv), "env": dict(environment), "cwd": cwd or os.getcwd()}
        try:
            try:
                await self._send(json.dumps(request).encode(), (stdin_r, stdout_w, stderr_w))
            finally:
                for fd in (stdin_r, stdout_w, stderr_w):
                    os.close(fd)  # the child has them now; ours would hide its end of file
            process = await asyncio.wait_for(asyncio.shield(answer), FORK_SECONDS)
        except BaseException as error:
            self._pending.pop(ident, None)
            if answer.done() and not answer.cancelled() and answer.exception() is None:
                answer.result().kill()  # forked, but the caller has gone
            for fd in ours:
                os.close(fd)
            if isinstance(error, TimeoutError):
                raise ForkServerError("the fork server did not answer") from error
            if isinstance(error, OSError):
                raise ForkServerError(f"cannot reach the fork server: {error}") from error
            raise
        self._pending.pop(ident, None)
        await process._connect(*ours)
        return process

    async def _send(self, payload: bytes, fds: Sequence[int]) -> None:
        async with self._send_lock:
            loop = asyncio.get_running_loop()
            while True:
                channel = self._channel
                if channel is None or self._lost:
                    raise ForkServerError("the fork server is not running")
                try:
                    channel.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
                    return
                except BlockingIOError:
                    writable = loop.create_future()
                    loop.add_writer(channel.fileno(), lambda: writable.done() or writable.set_result(None))
                    try:
                        await writable
                    finally:
                        loop.remove_writer(channel.fileno())

    def _on_messages(self) -> None:
        channel = self._channel
        while channel is not None:
            try:
                data, ancillary, _, _ = channel.recvmsg(2**16, socket.CMSG_SPACE(4), socket.MSG_CMSG_CLOEXEC)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data, ancillary = b"", []
            fds = [fd for level, kind, blob in ancillary
                   if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS
                   for fd in array.array("i", blob[: len(blob) - len(blob) % 4])]
            if not data:
                for fd in fds:
                    os.close(fd)
                self._on_lost()
                return
            self._on_message(json.loads(data), fds)

    def _on_message(self, message: dict[str, Any], fds: list[int]) -> None:
        if "exited" in message:
            child = self._children.pop(message["exited"], None)
            if child is not None:
                child._set_exited(message["status"])
        elif message.get("ready"):
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(message)
        elif "id" in message:
            answer = self._pending.get(message["id"])
            if "pid" in message and fds:
                process = ForkedProcess(message["pid"], fds.pop(0))
                self._children[process.pid] = process
                if answer is not None and not answer.done():
                    answer.set_result(process)
                else:  # nobody waits for it any more (spawn was cancelled)
                    process.kill()
            elif answer is not None and not answer.done():
                answer.set_exception(ForkServerError(message.get("error", "the fork failed")))
        for fd in fds:
            os.close(fd)

    def _on_lost(self) -> None:
        """The zygote has gone: no more forks; follow its sessions by their pidfds."""
        if self._lost:
            return
        self._lost = True
        if self._channel is not None:
            asyncio.get_running_loop().remove_reader(self._channel.fileno())
        error = ForkServerError("the fork server has stopped")
        for answer in self._pending.values():
            if not answer.done():
                answer.set_exception(error)
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(error)
        for child in list(self._children.values()):
            child._follow_without_zygote()
        if not self._closing:
            log.warning("fork server: the zygote has stopped; sessions start without it")

    # stopping ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Terminate the sessions still running (then kill them), then stop the zygote."""
        self._closing = True
        running = self.children
        for signal_number in (signal.SIGTERM, signal.SIGKILL):
            for child in running:
                child.send_signal(signal_number)
            if await _wait_all(running, STOP_SECONDS):
                break
        if self._channel is not None:
            if not self._lost:
                asyncio.get_running_loop().remove_reader(self._channel.fileno())
            self._channel.close()  # end of file for the zygote, which exits
            self._channel = None
        self._lost = True
        zygote = self._zygote
        if zygote is not None and zygote.returncode is None:
            try:
                await asyncio.wait_for(zygote.wait(), STOP_SECONDS)
            except TimeoutError:
                zygote.kill()
                await zygote.wait()
        for child in self.children:  # reported by nobody now; their pidfds tell
            child._follow_without_zygote()
        await _wait_all(self.children, STOP_SECONDS)
        if self._stderr_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._stderr_task), STOP_SECONDS)
            except TimeoutError:
                self._stderr_task.cancel()  # a child of the zygote holding its stderr open


async def _wait_all(processes: Sequence[ForkedProcess], seconds: float) -> bool:
    if not processes:
        return True
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), seconds)
    except TimeoutError:
        return False
    return True
