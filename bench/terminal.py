"""A real terminal driven through tmux: the benchmarks' and the terminal tests' one driver.

The harness starts a private tmux server (its own socket, no user config) holding an idle
"keeper" session, and attaches one `tmux -C` client to it. Every command after that (spawn
a program, capture its screen, send a key) is a line written to that client and one
`%begin … %end` block read back, so polling the screen costs a round trip to the tmux
server rather than a new `tmux` process each time: the poll interval is well under a
millisecond on an idle machine, and the harness prints what it achieved.

Programs run in their own detached sessions of `WIDTH` × `HEIGHT` (or a size of their own),
with `remain-on-exit` on, so a program that dies leaves its last screen to report.

Standard library only: `bench/run.py` imports it as `terminal`, and tests/terminal/conftest.py
loads it from here, so the benchmarks and the tests drive tmux the same way.
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import statistics
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

WIDTH, HEIGHT = 160, 45
POLL_SLEEP = 0.0005
"""Seconds slept between two screen captures while waiting: short enough that the
resolution stays about a millisecond, long enough that the poller leaves the two cores to
the program measured and to tmux."""
REPLY_TIMEOUT = 20.0
"""Seconds to wait for tmux to answer one command before the harness gives up."""


class TerminalError(RuntimeError):
    """tmux refused a command, or stopped answering."""


class WaitTimeout(TerminalError):
    """What was waited for did not appear in time; `screen` is the last one seen."""

    def __init__(self, message: str, screen: str) -> None:
        super().__init__(message)
        self.screen = screen


class ProgramDied(TerminalError):
    """The program in the pane exited while something was being waited for."""

    def __init__(self, message: str, screen: str) -> None:
        super().__init__(message)
        self.screen = screen


def tmux_quote(argument: str) -> str:
    """`argument` as one word of tmux's command syntax."""
    if "'" not in argument:
        return f"'{argument}'"
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


@dataclass
class Pane:
    """One program running in its own session."""

    session: str
    pane_id: str
    pid: int
    started: float
    """`time.perf_counter()` just before the spawn command was sent."""


@dataclass
class PollStats:
    """Intervals between consecutive screen captures while waiting (seconds)."""

    intervals: list[float] = field(default_factory=list)

    def add(self, interval: float) -> None:
        if len(self.intervals) < 200_000:
            self.intervals.append(interval)

    def summary(self) -> dict[str, float]:
        if not self.intervals:
            return {}
        ordered = sorted(self.intervals)
        return {
            "polls": len(ordered),
            "median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(len(ordered) * 0.95)] * 1000,
            "max_ms": ordered[-1] * 1000,
        }


class Terminal:
    """A private tmux server and a control-mode client to drive it. Use as a context
    manager: the server is killed on the way out, whatever happened."""

    def __init__(self, width: int = WIDTH, height: int = HEIGHT, poll_sleep: float = POLL_SLEEP) -> None:
        """`poll_sleep`: seconds between two captures while waiting (the tests, which time
        nothing, poll less often and leave the cores to the programs)."""
        if shutil.which("tmux") is None:
            raise TerminalError("tmux is not installed")
        self.width, self.height = width, height
        self.poll_sleep = poll_sleep
        self.socket = f"presscheck-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        """The server's own socket name: one server per Terminal, even several in a process."""
        self.polls = PollStats()
        self._client: subprocess.Popen[bytes] | None = None
        self._socket_path = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.socket
        """Where tmux puts the socket (asked from tmux once it runs)."""
        self._buffer = b""
        self._count = 0

    # server and client --------------------------------------------------------------

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=REPLY_TIMEOUT, check=False,
        )

    def start(self) -> None:
        done = self._tmux(
            "new-session", "-d", "-s", "keeper", "-x", str(self.width), "-y", str(self.height),
            "sleep", "86400",
        )
        if done.returncode != 0:
            hint = "" if Path("/dev/null").is_char_device() else " (/dev/null is not a device: tmux cannot daemonize)"
            raise TerminalError(f"cannot start tmux: {done.stderr.strip()}{hint}")
        self._client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-C", "attach-session", "-t", "keeper"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
        )
        # in step with the client: our first command's reply is the first block we read
        token = f"bench-sync-{uuid.uuid4().hex}"
        self._write(f"display-message -p {token}")
        while self._read_block()[1] != [token]:
            pass
        # exit-unattached: should the harness be killed outright, its client goes away and
        # the server, with every program in it, ends too
        for option in ("remain-on-exit on", "history-limit 0", "exit-unattached on"):
            self.command(f"set-option -g {option}")
        self._socket_path = Path(self.command("display-message -p '#{socket_path}'")[0])

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self._tmux("kill-server")
        except (OSError, subprocess.TimeoutExpired):
            pass
        if client is not None:
            try:
                client.wait(timeout=5)
            except subprocess.TimeoutExpired:
                client.kill()
        self._socket_path.unlink(missing_ok=True)  # tmux leaves its socket file behind

    def _write(self, line: str) -> None:
        if self._client is None or self._client.stdin is None:
            raise TerminalError("the tmux client is not running")
        try:
            self._client.stdin.write(line.encode() + b"\n")
        except OSError as error:
            raise TerminalError(f"the tmux client went away ({error})") from None

    def _read_line(self, deadline: float) -> str:
        assert self._client is not None and self._client.stdout is not None
        fd = self._client.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TerminalError("tmux did not answer in time")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise TerminalError("the tmux client exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8", errors="replace")

    def _read_block(self) -> tuple[bool, list[str]]:
        """The reply to the oldest command this client sent and has not read: the next
        `%begin … %end|%error` block whose flags say it ran a command of this client.
        Notifications between blocks are skipped, and so are blocks of commands that did
        not come from us (the attach itself answers with one, sometimes after our first)."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            begin = self._read_line(deadline)
            if not begin.startswith("%begin "):
                continue
            ours = begin.split()[-1] == "1"
            lines: list[str] = []
            while True:
                line = self._read_line(deadline)
                if line.startswith(("%end ", "%error ")):
                    break
                lines.append(line)
            if ours:
                return line.startswith("%end "), lines

    def command(self, line: str) -> list[str]:
        """Run one tmux command; its output lines, or TerminalError with tmux's message."""
        self._write(line)
        ok, lines = self._read_block()
        if not ok:
            raise TerminalError(f"tmux: {line.split()[0]}: {' '.join(lines)}")
        return lines

    # programs ---------------------------------------------------------------------------

    def spawn(
        self,
        argv: Sequence[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        *,
        name: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> Pane:
        """Start `argv` (run through `env`, no shell) in a new session of its own, named
        `name` (else numbered) and of `size` (width, height; else the terminal's)."""
        self._count += 1
        name = name or f"program-{self._count}"
        width, height = size or (self.width, self.height)
        settings = {"TERM": "xterm-256color", **(env or {})}
        # no COLUMNS or LINES from whoever started tmux (readline, as imported by pytest,
        # exports 80 × 24): the program reads its size from its terminal, as it would anywhere
        words = ["env", "-u", "COLUMNS", "-u", "LINES", *(f"{k}={v}" for k, v in settings.items()), *argv]
        started = time.perf_counter()
        lines = self.command(
            f"new-session -d -s {tmux_quote(name)} -x {width} -y {height} -c {tmux_quote(str(cwd))} "
            f"-P -F '#{{pane_id}} #{{pane_pid}}' " + " ".join(tmux_quote(word) for word in words)
        )
        pane_id, pid = lines[0].split()
        return Pane(name, pane_id, int(pid), started)

    def capture(self, pane: Pane, *, escapes: bool = False) -> str:
        """The pane's screen as text; with `escapes`, with its colours and styles as SGR
        sequences (`capture-pane -e`)."""
        return "\n".join(self.command(f"capture-pane -p {'-e ' if escapes else ''}-t {pane.pane_id}"))

    def send(self, pane: Pane, *keys: str) -> float:
        """Send tmux key names (`PageDown`, `End`, `Enter`, `q`); the time just before."""
        started = time.perf_counter()
        self.command(f"send-keys -t {pane.pane_id} " + " ".join(tmux_quote(key) for key in keys))
        return started

    def type(self, pane: Pane, text: str) -> None:
        """Send `text` literally, as typed."""
        self.command(f"send-keys -t {pane.pane_id} -l {tmux_quote(text)}")

    def pipe_output(self, pane: Pane, path: Path) -> None:
        """Append every byte the program writes to its terminal to `path` (`pipe-pane`)."""
        self.command(f"pipe-pane -o -t {pane.pane_id} {tmux_quote(f'cat >> {shlex.quote(str(path))}')}")

    def set_option(self, option: str, value: str) -> None:
        """Set a tmux option for the whole server (e.g. `set-clipboard on`)."""
        self.command(f"set-option -g {option} {tmux_quote(value)}")

    def title(self, pane: Pane) -> str:
        """The pane's title, as a program sets it with OSC 0 or 2."""
        return "\n".join(self.command(f"display-message -p -t {pane.pane_id} '#{{pane_title}}'"))

    def buffers(self) -> list[str]:
        """tmux's paste buffers (an OSC 52 clipboard write makes one)."""
        return self.command("list-buffers")

    def dead(self, pane: Pane) -> int | None:
        """The exit status when the program has exited, else None."""
        for line in self.command("list-panes -a -F '#{pane_id} #{pane_dead} #{pane_dead_status}'"):
            pane_id, dead, *status = line.split() + [""]
            if pane_id == pane.pane_id:
                return (int(status[0]) if status[0].lstrip("-").isdigit() else -1) if dead == "1" else None
        return -1  # the pane is gone altogether

    def kill(self, pane: Pane) -> None:
        try:
            self.command(f"kill-session -t {tmux_quote(pane.session)}")
        except TerminalError:
            pass

    def quit(self, pane: Pane, keys: Sequence[str] = ("q",), timeout: float = 10.0) -> bool:
        """Ask the program to quit with `keys` and wait for it to exit; kill its session in
        any case. Whether it exited by itself in time."""
        exited = False
        try:
            if self.dead(pane) is None:
                self.send(pane, *keys)
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if self.dead(pane) is not None:
                        exited = True
                        break
                    time.sleep(0.02)
            else:
                exited = True
        finally:
            self.kill(pane)
        return exited

    # waiting ----------------------------------------------------------------------------

    def wait_for(
        self,
        pane: Pane,
        ready: Callable[[str], bool],
        timeout: float,
        what: str = "the expected screen",
    ) -> tuple[float, str]:
        """Capture the screen in a tight loop until `ready(screen)`; returns the
        `time.perf_counter()` right after the capture that showed it, and that screen."""
        deadline = time.perf_counter() + timeout
        screen = ""
        last = None
        next_liveness = time.perf_counter() + 0.1
        while True:
            screen = self.capture(pane)
            now = time.perf_counter()
            if last is not None:
                self.polls.add(now - last)
            last = now
            if ready(screen):
                return now, screen
            if now > deadline:
                raise WaitTimeout(f"{what} did not appear within {timeout:g} s", screen)
            if now > next_liveness:
                status = self.dead(pane)
                if status is not None:
                    how = f"status {status}" if status >= 0 else "status unknown"
                    raise ProgramDied(f"the program exited ({how}) before {what} appeared",
                                      self._last_screen(pane, screen))
                next_liveness = time.perf_counter() + 0.1
                last = None  # the liveness check is not part of a poll interval
            time.sleep(self.poll_sleep)

    def _last_screen(self, pane: Pane, fallback: str) -> str:
        try:
            return self.capture(pane)
        except TerminalError:
            return fallback

    def settle(self, pane: Pane, quiet: float = 0.15, timeout: float = 5.0) -> str:
        """Wait until the screen has not changed for `quiet` seconds (at most `timeout`);
        the screen then. Not timed: it keeps one key's late redraws out of the next's."""
        deadline = time.monotonic() + timeout
        screen = self.capture(pane)
        since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.01)
            now_screen = self.capture(pane)
            if now_screen != screen:
                screen, since = now_screen, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return screen


def program_pid(pid: int, name: str) -> int:
    """The process in a pane whose command line mentions `name`: the pane's own process
    (`env` execs the program), else its first such descendant; `pid` when none does."""
    queue = [pid]
    while queue:
        current = queue.pop(0)
        try:
            cmdline = Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if name in cmdline and not cmdline.startswith("env "):
            return current
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in task.read_text().split())
            except (OSError, ValueError):
                pass
    return pid


def memory_of(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of a process, in MB (MiB)."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0]) / 1024
    return found
