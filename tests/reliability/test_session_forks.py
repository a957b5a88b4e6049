"""Sessions forked from the warm zygote (`reader.session_forks`, `reader.fork_zygote`): a
fork comes up and answers like `python -m reader`, reports its exit status, takes signals,
holds no other session's files, and nothing outlives the server: not on `close()`, not
when the zygote is killed, not when the server is.

The sessions speak textual-serve's protocol on their pipes: `__GANGLION__`, then packets
of a type byte, a 4-byte big-endian length and the payload.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
import pytest_asyncio

from reader.gc_policy import NEVER
from reader.session_forks import DEFAULT_PRELOAD, UNKNOWN_STATUS, ForkedProcess, ForkServer, ForkServerError

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"
WEB = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
    "TERM_PROGRAM_VERSION": version("textual-serve"),
}
SIZE = {"COLUMNS": "120", "ROWS": "40"}
FIRST_SCREEN = b"Who is annotating?"
HANG = 60.0
"""Seconds before a test that waits for something gives up (a hang, not a slow machine)."""


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def quit_packet() -> bytes:
    return packet(b"M", json.dumps({"type": "quit"}).encode())


async def first_screen(process: ForkedProcess, text: bytes = FIRST_SCREEN) -> None:
    """Read the session's output until a data packet holds `text`."""

    async def read() -> None:
        line = await process.stdout.readline()
        assert line == b"__GANGLION__\n", line + await process.stderr.read()
        while True:
            kind = await process.stdout.readexactly(1)
            size = int.from_bytes(await process.stdout.readexactly(4), "big")
            payload = await process.stdout.readexactly(size)
            if kind == b"D" and text in payload:
                return

    try:
        await asyncio.wait_for(read(), HANG)
    except asyncio.IncompleteReadError:
        pytest.fail(f"the session ended first: {(await process.stderr.read())[-2000:]!r}")


async def up(process: ForkedProcess) -> None:
    """Wait until the app runs (its driver said hello, its signal handlers are set)."""
    line = await asyncio.wait_for(process.stdout.readline(), HANG)
    assert line == b"__GANGLION__\n", line


async def finish(*processes: ForkedProcess) -> None:
    """Once they have exited, read what the sessions left on their pipes: the pipes close
    at their end of file (a paused, unread one would stay open until garbage collected)."""
    for process in processes:
        await asyncio.wait_for(process.wait(), HANG)
        await asyncio.wait_for(asyncio.gather(process.stdout.read(), process.stderr.read()), HANG)


def app_args(tmp_path: Path) -> list[str]:
    return [str(SEEDS), "--db", str(tmp_path / "annotations.json"), "--ask-author"]


def gone(pid: int) -> bool:
    """No such process, or only its zombie (dead, not yet reaped by whoever adopted it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


async def until_gone(*pids: int) -> None:
    deadline = time.monotonic() + HANG
    while not all(gone(pid) for pid in pids):
        assert time.monotonic() < deadline, f"still running: {[p for p in pids if not gone(p)]}"
        await asyncio.sleep(0.05)


def fd_targets(pid: int) -> dict[int, str]:
    targets = {}
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets[int(entry.name)] = os.readlink(entry)
        except FileNotFoundError:
            pass
    return targets


def pipe_of(stream: asyncio.StreamReader | asyncio.StreamWriter) -> str:
    """`pipe:[INODE]`, as /proc names the server's end of a session's stream."""
    transport = stream.transport if isinstance(stream, asyncio.StreamWriter) else stream._transport  # type: ignore[attr-defined]
    fd = transport.get_extra_info("pipe").fileno()
    return f"pipe:[{os.fstat(fd).st_ino}]"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def warm_server():
    """One zygote for the tests that leave it running: warmed on the seed pack."""
    server = ForkServer(WEB, warm_args=[str(SEEDS)])
    await server.start()
    yield server
    await server.close()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def teachers_server():
    """A zygote started by a server whose environment names its teacher, which no session
    may inherit; a module it cannot preload and wrong warm-up arguments cost that module
    and the warm-up, not the zygote."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSCHECK_AUTHOR", "the teacher")
        server = ForkServer(WEB, preload=[*DEFAULT_PRELOAD, "reader.no_such_module"],
                            warm_args=["--no-such-option"], unset=["PRESSCHECK_AUTHOR"])
        await server.start()
    yield server
    await server.close()


@pytest_asyncio.fixture
async def server():
    """A zygote of the test's own, for the tests that stop it (no warm-up: faster)."""
    started = ForkServer(WEB)
    await started.start()
    yield started
    await started.close()


# a session ------------------------------------------------------------------------------

@pytest.mark.asyncio(loop_scope="module")
async def test_a_forked_session_shows_its_first_screen_and_quits(warm_server, tmp_path):
    assert warm_server.alive and warm_server.ready["stray_fds"] == []
    assert warm_server.ready["warm_up"] == "done"
    assert warm_server.ready["gc_threshold"][2] != NEVER  # the warm-up app's hold ended with it
    process = await warm_server.spawn(app_args(tmp_path), SIZE)
    await first_screen(process)
    process.stdin.write(quit_packet())
    await process.stdin.drain()
    assert await asyncio.wait_for(process.wait(), HANG) == 0
    assert process.returncode == 0
    assert process not in warm_server.children
    await until_gone(process.pid)  # reaped by the zygote, not left a zombie
    await finish(process)


@pytest.mark.asyncio(loop_scope="module")
async def test_the_exit_status_and_stderr_are_the_sessions_own(warm_server, tmp_path):
    process = await warm_server.spawn([str(tmp_path / "no such file.txt"), "--db", str(tmp_path / "db.json")], SIZE)
    errors = await asyncio.wait_for(process.stderr.read(), HANG)
    assert await asyncio.wait_for(process.wait(), HANG) == 1
    assert b"presscheck: " in errors and b"no such file" in errors
    assert await process.stdout.read() == b""


@pytest.mark.asyncio(loop_scope="module")
async def test_terminate_and_kill_reach_the_session(warm_server, tmp_path):
    terminated = await warm_server.spawn(app_args(tmp_path), SIZE)
    killed = await warm_server.spawn(app_args(tmp_path), SIZE)
    await up(terminated)
    await up(killed)
    terminated.terminate()
    killed.kill()
    assert await asyncio.wait_for(killed.wait(), HANG) == -signal.SIGKILL
    status = await asyncio.wait_for(terminated.wait(), HANG)
    assert status in (0, -signal.SIGTERM)  # Textual's web driver quits the app on SIGTERM
    killed.kill()  # once it has exited: nothing, no error
    await until_gone(terminated.pid, killed.pid)
    await finish(terminated, killed)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_session_holds_its_own_streams_and_nobody_elses(warm_server, tmp_path):
    first = await warm_server.spawn(app_args(tmp_path), SIZE)
    second = await warm_server.spawn(app_args(tmp_path), SIZE)
    try:
        await up(first)
        await up(second)
        held = fd_targets(second.pid)
        assert held[0] == pipe_of(second.stdin)
        assert held[1] == pipe_of(second.stdout)
        assert held[2] == pipe_of(second.stderr)
        theirs = {pipe_of(first.stdin), pipe_of(first.stdout), pipe_of(first.stderr)}
        assert not theirs & set(held.values()), "the second session holds the first one's pipes"
        zygote = fd_targets(warm_server.pid)
        assert not set(zygote.values()) & set(held.values()), "a session holds the zygote's files"
        assert len(os.listdir(f"/proc/{warm_server.pid}/task")) == 1  # the zygote has no thread
    finally:
        for process in (first, second):
            process.kill()
        await finish(first, second)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_session_gets_its_environment_and_not_what_the_server_unsets(teachers_server, tmp_path):
    assert teachers_server.alive
    assert teachers_server.ready["warm_up"].startswith("failed")
    assert [line.split(":")[0] for line in teachers_server.ready["not_preloaded"]] == ["reader.no_such_module"]
    def fresh(name: str) -> list[str]:  # no --ask-author: the environment's name is used, and kept
        return [str(SEEDS), "--db", str(tmp_path / name / "annotations.json")]

    named = await teachers_server.spawn(fresh("named"), {**SIZE, "PRESSCHECK_AUTHOR": "Ada Lovelace"})
    await first_screen(named, b"Ada Lovelace")  # the status bar names who annotates
    asked = await teachers_server.spawn(fresh("asked"), SIZE)
    await first_screen(asked)  # nobody named: asked, never "the teacher"
    for process in (named, asked):
        process.stdin.write(quit_packet())
        await process.stdin.drain()
        assert await asyncio.wait_for(process.wait(), HANG) == 0
    await finish(named, asked)


# nothing outlives the server ------------------------------------------------------------

async def test_closing_the_server_ends_every_session_and_the_zygote(server, tmp_path):
    sessions = [await server.spawn(app_args(tmp_path), SIZE) for _ in range(2)]
    for process in sessions:
        await up(process)
    zygote = server.pid
    await asyncio.wait_for(server.close(), HANG)
    assert not server.alive
    assert all(process.returncode is not None for process in sessions)
    await until_gone(zygote, *(process.pid for process in sessions))
    await finish(*sessions)
    with pytest.raises(ForkServerError):
        await server.spawn(app_args(tmp_path), SIZE)


async def test_a_killed_zygote_takes_its_sessions_with_it(server, tmp_path):
    process = await server.spawn(app_args(tmp_path), SIZE)
    await up(process)
    assert server.pid is not None
    os.kill(server.pid, signal.SIGKILL)
    # the session's status is nobody's to report now: its pidfd says when it has ended
    assert await asyncio.wait_for(process.wait(), HANG) == UNKNOWN_STATUS
    await until_gone(process.pid)
    await finish(process)
    assert not server.alive
    with pytest.raises(ForkServerError):
        await server.spawn(app_args(tmp_path), SIZE)


SERVER_SCRIPT = """
import asyncio, json, sys
from reader.session_forks import ForkServer

async def main():
    server = ForkServer(json.loads(sys.argv[1]))
    await server.start()
    process = await server.spawn(json.loads(sys.argv[2]), {"COLUMNS": "80", "ROWS": "24"})
    assert await process.stdout.readline() == b"__GANGLION__\\n"
    print(server.pid, process.pid, flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_a_killed_server_takes_the_zygote_and_the_sessions_with_it(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, json.dumps(WEB), json.dumps(app_args(tmp_path))],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        line = await asyncio.wait_for(asyncio.to_thread(server.stdout.readline), HANG)  # type: ignore[union-attr]
        zygote, session = (int(pid) for pid in line.split())
        assert not gone(zygote) and not gone(session)
        server.kill()  # SIGKILL: no handler, no close(); only the kernel's parent-death signals
        server.wait()
        await until_gone(zygote, session)
    finally:
        server.kill()
        server.wait()
        server.stdout.close()  # type: ignore[union-attr]


async def test_a_zygote_that_would_fork_with_a_thread_running_refuses_to_start(tmp_path):
    (tmp_path / "starts_a_thread.py").write_text(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n")
    server = ForkServer({**WEB, "PYTHONPATH": str(tmp_path)}, preload=["reader.no_such_module", "starts_a_thread"])
    with pytest.raises(ForkServerError, match="2 threads"):
        await server.start()
    assert not server.alive
