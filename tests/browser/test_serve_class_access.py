"""`presscheck serve LESSON --class` without a browser: who gets into the teacher's routes,
what the students' routes never give away, and what is refused at start.

Plain HTTP and websockets (aiohttp), like test_serve_access.py. The students' and the
teacher's apps (`lesson-seat`, `lesson-watch`) are not needed: the routes' checks run
before any app starts, and the route → app choice is tested in-process with stand-in apps.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web

from serve_helpers import BIN, clean_env

REPO = Path(__file__).resolve().parents[2]
WS_QUERY = "?width=120&height=40"
STATIC = ("/static/js/textual.js", "/static/css/xterm.css", "/static/",
          "/static/fonts/RobotoMono-VariableFont_wght.ttf", "/static/images/background.png")


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    """A lesson pack folder: a copy of the repo's seed exercise (a folder with pack.toml)."""
    folder = tmp_path / "hanoi"
    shutil.copytree(REPO / "seeds", folder)
    return folder


def _token(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("token", [None])[0]


def _teacher_url(served, timeout: float = 10.0) -> str:
    """The teacher's link, from its own printed line (after the students' one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in list(served.lines):
            if line.startswith("presscheck serve: teacher:") and (found := re.search(r"https?://\S+", line)):
                return found.group(0)
        time.sleep(0.05)
    raise AssertionError(f"no teacher's link printed:\n{served.output()}")


def _start(serve, lesson: Path, *args: str):
    # one session kept ready (not a class's 30): the students' route hands it out
    served = serve(str(lesson), "--class", "--ready", "1", *args, with_db=False)
    teacher = _teacher_url(served)
    return served, teacher, _token(teacher)


async def _get(http: aiohttp.ClientSession, url: str, **kwargs) -> tuple[int, bytes, aiohttp.ClientResponse]:
    async with http.get(url, allow_redirects=False, **kwargs) as response:
        return response.status, await response.read(), response


async def _refused(http: aiohttp.ClientSession, url: str, **kwargs) -> None:
    status, body, response = await _get(http, url, **kwargs)
    assert status == 403 and b"403 Forbidden" in body, (url, status, body[:200])
    assert "Set-Cookie" not in response.headers, url


async def _ws_refused(http: aiohttp.ClientSession, url: str, **kwargs) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(url, **kwargs)
    assert refused.value.status == 403, url


def _headers_text(response: aiohttp.ClientResponse) -> str:
    return "\n".join(f"{k}: {v}" for k, v in response.headers.items())


async def _teacher_routes_refuse(http: aiohttp.ClientSession, local: str, port: int,
                                 student: str | None, teacher: str) -> None:
    """Every way in to the teacher's routes but the teacher's token is refused."""
    paths = ["/teacher", "/teacher/", "/teacher/static/js/textual.js", "/teacher/nothing", "/%74eacher"]
    for path in paths:
        await _refused(http, local + path)
        await _refused(http, local + path + "?token=")
        await _refused(http, local + path + f"?token={teacher[:-1]}")
        await _refused(http, f"{local}{path}?token={teacher}x")
    await _ws_refused(http, local + "/teacher/ws" + WS_QUERY)
    # the teacher's token in the students' cookie is no teacher's cookie
    await _refused(http, local + "/teacher", headers={"Cookie": f"presscheck_token_{port}={teacher}"})
    if student is not None:
        as_student = {"Cookie": f"presscheck_token_{port}={student}"}
        for path in paths:
            await _refused(http, f"{local}{path}?token={student}")
            await _refused(http, local + path, headers=as_student)
            await _refused(http, local + path, headers={"Cookie": f"presscheck_teacher_{port}={student}"})
        await _ws_refused(http, f"{local}/teacher/ws{WS_QUERY}&token={student}")
        await _ws_refused(http, local + "/teacher/ws" + WS_QUERY, headers=as_student)
        # and the teacher's token is no student's, but for the static files both pages load
        await _refused(http, f"{local}/?token={teacher}")
        await _ws_refused(http, f"{local}/ws{WS_QUERY}&token={teacher}")
        status, _, _ = await _get(http, f"{local}/static/js/textual.js?token={teacher}")
        assert status == 200


async def _teacher_page(http: aiohttp.ClientSession, local: str, port: int, teacher: str) -> dict[str, str]:
    """The teacher's page with the teacher's token: its websocket is /teacher/ws, and its
    cookie goes to /teacher only. Returns the cookie header the page's requests carry."""
    status, body, response = await _get(http, f"{local}/teacher?token={teacher}")
    assert status == 200, body[:300]
    page = body.decode()
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/teacher/ws"' in page
    assert 'href="/teacher/static/css/xterm.css"' in page and "fonts.googleapis.com" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    cookie = response.cookies[f"presscheck_teacher_{port}"]
    assert cookie.value == teacher and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/teacher"
    assert f"presscheck_token_{port}" not in response.cookies  # no students' cookie from here
    with_cookie = {"Cookie": f"presscheck_teacher_{port}={teacher}"}
    for path in ("/teacher/static/js/textual.js", "/teacher/static/css/xterm.css", "/teacher"):
        status, _, _ = await _get(http, local + path, headers=with_cookie)
        assert status == 200, path
    return with_cookie


async def test_on_this_computer_the_students_link_does_not_open_the_teacher_view(serve, lesson):
    served, teacher_url, teacher = _start(serve, lesson)
    assert served.token is None and teacher and len(teacher) >= 30
    assert urlsplit(teacher_url).path == "/teacher" and urlsplit(served.url).path == "/"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        status, page, _ = await _get(http, served.local + "/")  # the students' link: no token here
        assert status == 200
        await _teacher_routes_refuse(http, served.local, served.port, None, teacher)
        with_cookie = await _teacher_page(http, served.local, served.port, teacher)
        # another site's page can't open the class view with the teacher's cookie
        await _ws_refused(http, served.local + "/teacher/ws" + WS_QUERY,
                          headers={**with_cookie, "Origin": "http://evil.example"})
        # nor a site whose name resolves to 127.0.0.1, with the token
        await _refused(http, f"{served.local}/teacher?token={teacher}",
                       headers={"Host": f"evil.example:{served.port}"})
        async with http.ws_connect(served.local + "/teacher/ws" + WS_QUERY,
                                   headers={**with_cookie, "Origin": served.local}):
            pass  # let in (what the app then does is lesson-watch's)
    assert teacher.encode() not in page and b"/teacher" not in page


async def test_off_this_computer_the_teacher_needs_the_teacher_token(serve, lesson):
    served, teacher_url, teacher = _start(serve, lesson, "--host", "0.0.0.0")
    student = served.token
    assert student and teacher and student != teacher
    assert teacher not in served.url and student not in teacher_url  # no link holds the other's token
    assert urlsplit(teacher_url).netloc == urlsplit(served.url).netloc  # the same server
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        await _teacher_routes_refuse(http, served.local, served.port, student, teacher)
        await _teacher_page(http, served.local, served.port, teacher)


async def test_no_student_response_holds_the_teacher_token(serve, lesson):
    served, _, teacher = _start(serve, lesson, "--host", "0.0.0.0")
    assert teacher is not None
    secret = teacher.encode()
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        status, page, response = await _get(http, served.page)
        assert status == 200 and b"textual-terminal" in page
        assert secret not in page and teacher not in _headers_text(response)
        assert b"/teacher" not in page and b"teacher" not in page.lower()
        as_student = {"Cookie": f"presscheck_token_{served.port}={served.token}"}
        for path in STATIC:
            status, body, response = await _get(http, served.local + path, headers=as_student)
            assert status == 200, path
            assert secret not in body and teacher not in _headers_text(response), path
        # a student's session: nothing the server sends it (its app's output aside) holds it
        async with http.ws_connect(served.local + "/ws" + WS_QUERY, headers=as_student) as ws:
            seen = b""
            deadline = time.monotonic() + 3
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await ws.receive(timeout=left)
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data.encode()
                else:
                    break
            assert secret not in seen
            for pid in served.app_pids():  # nor the app's command line or environment
                for part in ("cmdline", "environ"):
                    try:
                        assert secret not in Path(f"/proc/{pid}/{part}").read_bytes(), part
                    except (FileNotFoundError, ProcessLookupError):
                        pass  # it already ended
    printed = served.output().splitlines()
    assert [line for line in printed if teacher in line] == [
        next(line for line in printed if line.startswith("presscheck serve: teacher:"))
    ]


async def test_the_printed_lines_name_both_links_and_the_folders(serve, lesson, tmp_path):
    handins = tmp_path / "drop" / "here"
    served, teacher_url, teacher = _start(serve, lesson, "--host", "0.0.0.0", "--handins", str(handins),
                                          "--max-sessions", "7")
    deadline = time.monotonic() + 10
    while "Ctrl+C" not in served.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = served.output().splitlines()
    host = urlsplit(served.url).netloc
    assert lines[:5] == [
        f"presscheck serve: students: http://{host}/?token={served.token}",
        f"presscheck serve: teacher:  http://{host}/teacher?token={teacher}  (yours only: it opens the class view)",
        "  hand the students' link out: requests without its token are refused; "
        "every browser tab asks for its student's name",
        f"  hand-ins go to {handins}; the lesson's state is kept in {lesson}/.class",
        "  at most 7 student sessions at once (--max-sessions), and 2 teacher tabs besides; "
        "Ctrl+C stops the server and every session",
    ], served.output()
    assert teacher_url in lines[1]
    assert handins.is_dir()
    state = lesson / ".class"
    assert state.is_dir() and stat.S_IMODE(state.stat().st_mode) == 0o700


def test_the_default_hand_ins_folder_is_next_to_where_serve_runs(serve, lesson, tmp_path):
    served, _, _ = _start(serve, lesson)  # the fixture runs it in tmp_path
    assert (tmp_path / "hanoi-handins").is_dir()
    assert f"hand-ins go to {tmp_path / 'hanoi-handins'};" in "\n".join(_wait_lines(served, 4))


def _wait_lines(served, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    while len(served.lines) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(served.lines)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), "serve", "--port", "0", *args], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_a_zipped_pack_db_and_wrong_paths_are_refused_in_one_line_exit_2(lesson, tmp_path):
    zipped = tmp_path / "hanoi.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for file in lesson.iterdir():
            archive.write(file, f"hanoi/{file.name}")
    not_a_pack = tmp_path / "articles"
    not_a_pack.mkdir()
    (not_a_pack / "a.txt").write_text("Some text.\n")
    cases = {
        (str(zipped), "--class"): "unzip it",
        (str(lesson), "--class", "--db", str(tmp_path / "db.json")): "leave out --db",
        (str(lesson), str(lesson), "--class"): "exactly one PATH",
        ("--class",): "exactly one PATH",
        (str(not_a_pack), "--class"): "not a lesson pack",
        (str(tmp_path / "missing"), "--class"): "not a lesson pack",
        (str(lesson), "--handins", str(tmp_path / "drop")): "--handins goes with --class",
    }
    for args, said in cases.items():
        result = _run(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        [line] = result.stderr.splitlines()
        assert line.startswith("presscheck serve: error: ") and said in line, (args, line)
        assert result.stdout == ""
    assert not (lesson / ".class").exists() and not (tmp_path / "drop").exists()
    assert not list(tmp_path.glob("*-handins"))


def test_a_pack_that_does_not_read_is_one_line_exit_1(lesson, tmp_path):
    (lesson / "pack.toml").write_text('articles = ["gone.txt"]\n')
    result = _run(str(lesson), "--class", cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "gone.txt" in line


# the route → app choice, in-process, with stand-in apps --------------------------------------

STAND_IN = r"""
import sys
out = sys.stdout.buffer
screen = sys.argv[1].encode()
out.write(b"__GANGLION__\n" + b"D" + len(screen).to_bytes(4, "big") + screen)
out.flush()
seen = b""
while b"quit" not in seen:  # textual-serve's quit meta packet, at the session's end
    chunk = sys.stdin.buffer.read1(4096)
    if not chunk:
        break
    seen = seen[-8:] + chunk
"""


def _stand_in(screen: str) -> list[str]:
    return [sys.executable, "-c", STAND_IN, screen]


async def _screen(ws: aiohttp.ClientWebSocketResponse, wanted: bytes, timeout: float = 20.0) -> None:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        try:
            message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"{wanted!r} never came through the websocket; got {seen!r}") from None
        assert message.type == aiohttp.WSMsgType.BINARY, (message, seen)
        seen += message.data


async def test_each_route_runs_its_own_app_and_the_teacher_is_never_counted(tmp_path):
    from reader.serve import STUDENT, TEACHER, TEACHER_SESSIONS, ClassroomServer

    with socket.socket() as probe:  # a free port, known before the cookie names are made
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ClassroomServer({STUDENT: _stand_in("a student's seat"), TEACHER: _stand_in("the class view")},
                             "127.0.0.1", port, None, max_sessions=1, teacher_token="teacher-token-123")
    runner = web.AppRunner(await server._make_app(), handle_signals=False, shutdown_timeout=2)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    local = f"http://127.0.0.1:{port}"
    teacher = {"Cookie": f"presscheck_teacher_{port}=teacher-token-123"}
    opened: list[aiohttp.ClientWebSocketResponse] = []
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            async with http.ws_connect(local + "/ws" + WS_QUERY) as student:
                await _screen(student, b"a student's seat")
                assert len(server.sessions) == 1
                status, _, _ = await _get(http, local + "/")  # the class is full (--max-sessions 1)
                assert status == 503
                status, _, _ = await _get(http, local + "/teacher", headers=teacher)
                assert status == 200  # the teacher is not
                views = [await http.ws_connect(local + "/teacher/ws" + WS_QUERY, headers=teacher)
                         for _ in range(TEACHER_SESSIONS)]
                opened.extend(views)
                for view in views:
                    await _screen(view, b"the class view", timeout=10)
                assert len(server.teacher_sessions) == TEACHER_SESSIONS and len(server.sessions) == 1
                commands = {tuple(s.argv) for s in server.all_sessions()}
                assert commands == {tuple(_stand_in("a student's seat")), tuple(_stand_in("the class view"))}
                status, _, _ = await _get(http, local + "/teacher", headers=teacher)
                assert status == 503  # a third teacher's tab: no
                async with http.ws_connect(local + "/teacher/ws" + WS_QUERY, headers=teacher) as extra:
                    message = await extra.receive(timeout=10)
                    while message.type == aiohttp.WSMsgType.BINARY:
                        message = await extra.receive(timeout=10)
                    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1013
                assert len(server.teacher_sessions) == TEACHER_SESSIONS
                for view in views:
                    await view.close()
            deadline = time.monotonic() + 10
            while server.all_sessions() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert server.all_sessions() == []
    finally:
        for ws in opened:
            await ws.close()
        await server.stop_sessions()
        await runner.cleanup()
        server.kill_sessions()


def test_a_live_lesson_runs_lesson_seat_for_students_and_lesson_watch_for_the_teacher(
        lesson, tmp_path, monkeypatch):
    import reader.serve as serving

    started = []

    async def run(self) -> None:
        started.append(self)

    monkeypatch.setattr(serving.ClassroomServer, "run", run)
    monkeypatch.setattr(serving, "log_to_console", lambda debug: None)
    monkeypatch.chdir(tmp_path)
    assert serving.serve_class(str(lesson), None, max_sessions=5) == 0
    [server] = started
    state, handins = lesson / ".class", tmp_path / "hanoi-handins"
    tail = [str(lesson), "--state", str(state), "--handins", str(handins)]
    assert server.commands == {
        serving.STUDENT: [sys.executable, "-m", "reader", "lesson-seat", *tail],
        serving.TEACHER: [sys.executable, "-m", "reader", "lesson-watch", *tail],
    }
    assert server.commands[serving.STUDENT] == serving.seat_command(lesson, state, handins)
    assert server.commands[serving.TEACHER] == serving.watch_command(lesson, state, handins)
    assert server.token is None and server.teacher_token and len(server.teacher_token) >= 30
    assert server.max_sessions == 5
