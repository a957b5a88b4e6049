"""`presscheck serve` without a browser: who gets in, what it prints, how it stops.

The browser itself is in test_serve_browser.py; these talk HTTP and websockets directly,
so they run (and guard the token) on machines without Chromium too.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from serve_helpers import BIN, app_processes, clean_env

SEED_PHRASES = ("Trump", "Talks between US and North Korea", "Hanoi", "Kim Jong Un")
WS_QUERY = "/ws?width=120&height=40"


async def _get(session: aiohttp.ClientSession, url: str, **kwargs) -> tuple[int, str, aiohttp.ClientResponse]:
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        return response.status, await response.text(errors="replace"), response


async def _screen_bytes(ws: aiohttp.ClientWebSocketResponse, wanted: bytes, timeout: float = 30.0) -> bytes:
    """Read the app's output from the websocket until `wanted` shows up in it."""
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{wanted!r} never came through the websocket; got {seen[-2000:]!r}")
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise AssertionError(f"the session closed before {wanted!r}; got {seen[-2000:]!r}")
    return seen


async def test_off_this_computer_every_request_needs_the_token(serve):
    served = serve("--host", "0.0.0.0")
    printed = urlsplit(served.url)
    assert printed.hostname not in ("0.0.0.0", "", None), served.url  # a link students can use
    token = served.token
    assert token and len(token) >= 20, served.url
    refused = [
        "/", "/?token=", f"/?token={token[:-1]}", f"/?token={token}x", "/static/js/textual.js",
        "/static/", "/static/css/xterm.css", "/download/anything", "/no-such-page", WS_QUERY,
    ]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        for path in refused:
            status, body, _ = await _get(http, served.local + path)
            assert status == 403, (path, status)
            assert "403" in body and not any(p in body for p in SEED_PHRASES), (path, body)
            assert str(served.db) not in body
        for path in ("/", "/static/js/textual.js"):  # a wrong cookie is no better
            status, _, _ = await _get(http, served.local + path, headers={"Cookie": f"presscheck_token_{served.port}=nope"})
            assert status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused_ws:
            await http.ws_connect(served.local + WS_QUERY)
        assert refused_ws.value.status == 403

        # with the token: the page, and a cookie that lets the page's own requests in
        status, body, response = await _get(http, served.local + f"/?token={token}")
        assert status == 200 and "textual-terminal" in body
        assert "fonts.googleapis.com" not in body  # nothing fetched from elsewhere
        cookie = response.cookies[f"presscheck_token_{served.port}"]
        assert cookie.value == token and cookie["httponly"] and cookie["samesite"] == "Strict"
        with_cookie = {"Cookie": f"presscheck_token_{served.port}={token}"}
        for path in ("/static/js/textual.js", "/static/css/xterm.css"):
            status, _, _ = await _get(http, served.local + path, headers=with_cookie)
            assert status == 200, path
        # another site's page can't open a session with the user's cookie
        with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
            await http.ws_connect(served.local + WS_QUERY, headers={**with_cookie, "Origin": "http://evil.example"})
        assert foreign.value.status == 403
        async with http.ws_connect(served.local + WS_QUERY, headers={**with_cookie, "Origin": served.local}) as ws:
            await _screen_bytes(ws, b"Who is annotating?")


async def test_on_this_computer_no_token_but_only_local_names(serve):
    served = serve()
    assert urlsplit(served.url).hostname == "127.0.0.1" and served.token is None
    async with aiohttp.ClientSession() as http:
        status, _, _ = await _get(http, served.local + "/")
        assert status == 200
        status, _, _ = await _get(http, f"http://localhost:{served.port}/static/js/textual.js")
        assert status == 200
        # a site whose name resolves to 127.0.0.1 (DNS rebinding) is not let in
        status, body, _ = await _get(http, served.local + "/", headers={"Host": f"evil.example:{served.port}"})
        assert status == 403 and not any(p in body for p in SEED_PHRASES)
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(served.local + WS_QUERY, headers={"Origin": "http://evil.example"})


async def test_token_given_on_this_computer_is_required_too(serve):
    served = serve("--token", "classroom-7b")
    assert served.token == "classroom-7b"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        assert (await _get(http, served.local + "/"))[0] == 403
        assert (await _get(http, served.local + "/?token=classroom-7b"))[0] == 200


async def test_ctrl_c_stops_the_server_and_every_app_it_started(serve):
    served = serve()
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(served.local + WS_QUERY)
        second = await http.ws_connect(served.local + WS_QUERY)
        await asyncio.gather(_screen_bytes(first, b"Who is annotating?"), _screen_bytes(second, b"Who is annotating?"))
        apps = served.app_pids()
        assert len(apps) == 2, served.output()
        [zygote] = set(app_processes(served.process.pid, zygote=True)) - set(apps)
        for pid in apps:  # forked from the warm parent, which never had the server's author
            assert _parent(pid) == zygote
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert not any(v.startswith(b"PRESSCHECK_AUTHOR=") for v in environment)
        os.kill(served.process.pid, signal.SIGINT)  # what Ctrl+C sends the server
        returncode = await asyncio.to_thread(served.process.wait, 20)
        assert returncode == 0, served.output()
        for ws in (first, second):  # the sessions were closed, not left hanging
            message = await asyncio.wait_for(ws.receive(), 10)
            while message.type == aiohttp.WSMsgType.BINARY:  # the apps' last output
                message = await asyncio.wait_for(ws.receive(), 10)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), message
            await ws.close()
    assert app_processes(served.process.pid, zygote=True) == [], "app processes outlived the server"
    assert "stopped" in served.output()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
async def test_apps_do_not_outlive_a_server_killed_without_warning(serve):
    served = serve()
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(served.local + WS_QUERY) as ws:
            await _screen_bytes(ws, b"Who is annotating?")
            assert len(served.app_pids()) == 1
            os.kill(served.process.pid, signal.SIGKILL)  # no handler runs: the kernel tells the app
            await asyncio.to_thread(served.process.wait, 10)
            deadline = time.monotonic() + 15
            while app_processes(served.process.pid, zygote=True) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
    assert app_processes(served.process.pid, zygote=True) == []


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), "serve", *args], cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_a_port_in_use_a_bad_host_or_a_missing_file_is_one_line_exit_1(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("--port", str(port), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"presscheck: cannot listen on 127.0.0.1:{port}: the port is in use; choose another with --port"
    ]
    for host in ("192.0.2.1", "no-such-host.invalid"):  # not this computer's; no such name
        result = _run("--host", host, "--port", "0", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith(f"presscheck: cannot listen on {host}") and "--host 0.0.0.0" in line
    result = _run("missing.txt", cwd=tmp_path)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1 and "missing.txt" in result.stderr
    for bad in (["--token", "short"], ["--port", "70000"], ["--author", "x"]):
        assert _run(*bad, cwd=tmp_path).returncode == 2


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
