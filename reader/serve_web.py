"""The web server of `presscheck serve` (textual-serve's, guarded): who gets in, the pages,
and the sessions' app processes, one per browser tab. `reader.serve` starts it.

Security model:
- By default the server listens on 127.0.0.1 only, and answers only requests addressed to a
  loopback name (a web page that rebinds its own host name to 127.0.0.1 gets 403).
- Listening on any other address needs an access token (`--token`, or a random one made at
  start). The printed link carries it as `?token=`; a page loaded with it sets an HttpOnly
  cookie so that the page's own requests (scripts, the websocket) carry it too. Every
  request without it (page, websocket, static files, downloads, unknown paths) is refused
  with 403 before any handler runs, so no article or database content reaches it.
- A request whose `Origin` is another site (another web page opening a websocket in the
  background) is refused too.
- Nobody can hold the server: a connection that has no request in progress (before its first
  request's headers are complete, or between requests) is closed after `IDLE_SECONDS`, and
  at most `capacity()` connections are open at once, sized below the process's open-file
  limit (raised to its hard limit at start). A new connection beyond that closes the
  connection idle the longest, first among those that never made a request with the token,
  so half-open connections can't keep a student out; only when every connection is busy is
  the new one answered 503. A refused request (403) closes its connection.
- At most `--max-sessions` app processes run at once: beyond that the page (503) and the
  websocket (a line on the terminal, then close code 1013) say so, and no process starts.
  A live lesson's apps started ahead (`--ready`, `reader.serve_ready`) count in that too:
  they only fill the room the open sessions leave.
- A malformed request gets aiohttp's 400 and one line on the console, never a traceback
  (`--debug` shows them); nothing a client sent reaches the console with a control
  character in it, and a flood of such lines is cut to a few every ten seconds.

- A live lesson (`serve LESSON --class`) has a teacher's session too: its routes (`/teacher`,
  `/teacher/ws`, and its copy of the static files under `/teacher/static`) always need the
  teacher token, a second random token, never the students' one (nor their cookie); its
  page sets a cookie for `/teacher` only, and nothing a student route returns holds it.
  At most TEACHER_SESSIONS teacher tabs at once, not counted against `--max-sessions`, so
  a full class never locks the teacher out.

Ctrl+C (or SIGTERM, SIGHUP) asks every session's app to quit, waits for them, then
terminates what is left, so no app process outlives the server; on Linux an app also gets
SIGTERM from the kernel if the server dies without cleaning up (SIGKILL, a crash).
"""

from __future__ import annotations

import asyncio
import ctypes
import errno
import hmac
import ipaddress
import logging
import os
import re
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.server import Server, to_int

from reader.connection_gate import IDLE_SECONDS, MAX_CONNECTIONS, ConnectionGate, GatedSite
from reader.errors import UserError
from reader.serve_apps import AppProcess, Forks
from reader.serve_ready import SIZE as READY_SIZE
from reader.serve_ready import ReadySessions, Relay

log = logging.getLogger("presscheck.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

QUIT_SECONDS = 5.0
"""How long the sessions' apps get to quit on their own at shutdown before being terminated."""
KILL_SECONDS = 2.0

DEFAULT_MAX_SESSIONS = 40
"""App processes at once, by default: a class."""

STUDENT = "student"
TEACHER = "teacher"
"""The two kinds of session; `ClassroomServer.commands` says which app each one runs."""
TEACHER_SESSIONS = 2
"""The teacher's tabs at once in a live lesson, besides `--max-sessions` students'."""
TEACHER_PATH = "/teacher"
TEACHER_ROUTES = frozenset({"teacher_index", "teacher_websocket", "teacher_static"})

FORBIDDEN = (
    "403 Forbidden: this presscheck needs the link with its access token "
    "(ask whoever runs `presscheck serve` for the link).\n"
)



def sessions_full(limit: int) -> str:
    """Why a session was refused (short enough for a websocket's close frame)."""
    return (f"this presscheck serves at most {limit} session{'s' if limit != 1 else ''} at once, "
            "and all are in use; try again when one closes")


def local_fonts(static: str = "/static/") -> str:
    """The page's font from textual-serve's own static folder (served at `static`), not
    from Google Fonts: a classroom network may have no internet, and students' browsers
    need not call anyone."""
    font = f"{static}fonts/RobotoMono-VariableFont_wght.ttf"
    italic = f"{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf"
    return (
        f'<link rel="preload" href="{font}" as="font" type="font/ttf" crossorigin />\n'
        "    <style>\n"
        f'      @font-face {{ font-family: "Roboto Mono"; src: url("{font}") format("truetype");'
        " font-weight: 100 700; font-style: normal; }\n"
        f'      @font-face {{ font-family: "Roboto Mono"; src: url("{italic}") format("truetype");'
        " font-weight: 100 700; font-style: italic; }\n"
        "    </style>"
    )


LOCAL_FONTS = local_fonts()
_GOOGLE_FONTS = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ClassroomServer(Server):
    """textual-serve's Server with an access check on every route and managed app processes.

    `commands` says which app each kind of session runs: STUDENT (the page `/` and its
    websocket `/ws`) and, with a `teacher_token`, TEACHER (`/teacher`, `/teacher/ws`).
    `announce(server)` runs once the server listens (on its real port): it sets `url` (and
    `teacher_url`) and prints them."""

    def __init__(self, commands: Mapping[str, list[str]], host: str, port: int, token: str | None,
                 max_sessions: int = DEFAULT_MAX_SESSIONS, max_connections: int = MAX_CONNECTIONS,
                 teacher_token: str | None = None,
                 announce: Callable[[ClassroomServer], None] = lambda server: None,
                 warm_args: list[str] | None = None, ready: int = 0) -> None:
        super().__init__(shlex.join(commands[STUDENT]), host=host, port=port, title="presscheck")
        if teacher_token is not None and TEACHER not in commands:
            raise ValueError("a teacher token needs a teacher's command")
        self.commands = dict(commands)
        self.token = token
        self.teacher_token = teacher_token
        self.announce = announce
        self.sessions: set[AppProcess] = set()
        """The students' sessions (the ones `--max-sessions` counts)."""
        self.teacher_sessions: set[AppProcess] = set()
        self.max_sessions = max_sessions
        self.gate = ConnectionGate(max_connections)
        self.forks = Forks(warm_args)
        """Where sessions are forked from: the warm parent, started before the link is shown."""
        self.ready = ReadySessions(min(ready, max_sessions), self._start_ready,
                                   room=lambda: self.max_sessions - len(self.sessions),
                                   in_use=lambda: len(self.sessions),
                                   on_filled=lambda count: say(
                                       f"{count} student session{'s' if count != 1 else ''} ready "
                                       "(started ahead at the sign-in screen; --ready)"))
        """Students' apps already at their first screen, for the tabs that open next."""
        self.url = ""
        self.teacher_url = ""

    @property
    def cookie(self) -> str:
        return f"presscheck_token_{self.port}"  # cookies are shared across ports; names are not

    @property
    def teacher_cookie(self) -> str:
        return f"presscheck_teacher_{self.port}"

    def all_sessions(self) -> list[AppProcess]:
        return [*self.sessions, *self.teacher_sessions, *self.ready.services()]

    # access -------------------------------------------------------------------------------

    def allowed(self, request: web.Request) -> bool:
        try:
            return self._allowed(request)
        except ValueError:  # a Host or Origin header that is not one
            return False

    def is_teacher_route(self, request: web.Request) -> bool:
        """A teacher's route: by the route it resolved to, or by its path (also when unknown)."""
        if self.teacher_token is None:
            return False
        path = request.path
        return _route_name(request) in TEACHER_ROUTES or path == TEACHER_PATH or path.startswith(TEACHER_PATH + "/")

    def _teacher(self, request: web.Request) -> bool:
        """The request carries the teacher token (its link's query, or its page's cookie)."""
        assert self.teacher_token is not None
        given = request.query.get("token") or request.cookies.get(self.teacher_cookie) or ""
        return hmac.compare_digest(given.encode(), self.teacher_token.encode())

    def _student(self, request: web.Request) -> bool:
        """The request carries the students' token, or the server needs none."""
        if self.token is None:
            return True
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _allowed(self, request: web.Request) -> bool:
        if self.is_teacher_route(request):
            if not self._teacher(request):  # the students' token is no teacher's
                return False
        elif not self._student(request):
            # the static files serve the teacher's page too (with its own token)
            if not (self.teacher_token is not None and _route_name(request) == "static"
                    and self._teacher(request)):
                return False
        if self.token is None and not is_loopback(urlsplit(f"//{request.host}").hostname or ""):
            return False  # a loopback server answers to loopback names only (DNS rebinding)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return False  # another site's page, e.g. opening the websocket behind the user's back
        return True

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.allowed(request):
                refused = web.Response(status=403, text=FORBIDDEN)
                refused.force_close()  # a stranger keeps no connection open
                return refused
            with self.gate.busy(request.protocol):  # not idle, so not closed, till answered
                response = await handler(request)
                given = request.query.get("token")
                if given is not None and not response.prepared:
                    # the page's scripts, styles and websocket then carry the token too
                    if self.is_teacher_route(request):
                        assert self.teacher_token is not None
                        response.set_cookie(self.teacher_cookie, self.teacher_token, httponly=True,
                                            samesite="Strict", path=TEACHER_PATH)
                    elif self.token is not None and hmac.compare_digest(given.encode(), self.token.encode()):
                        response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
                # a file is sent by aiohttp itself (sendfile): preparing it here too sent it
                # twice, and aiohttp logged an AssertionError for every static file
                if not response.prepared and not isinstance(response, web.FileResponse):
                    try:
                        await response.prepare(request)
                        await response.write_eof()
                    except ConnectionError:
                        pass  # the client went away; aiohttp's own write sees that quietly too
            return response

        app.middlewares.insert(0, guard)
        if self.teacher_token is not None:
            app.add_routes([
                web.get(TEACHER_PATH, self.handle_teacher_index, name="teacher_index"),
                web.get(f"{TEACHER_PATH}/ws", self.handle_teacher_websocket, name="teacher_websocket"),
                # the page's own copy of the static files, where its cookie goes (Path=/teacher)
                web.static(f"{TEACHER_PATH}/static", self.statics_path, name="teacher_static"),
            ])
        return app

    # the page and the sessions -------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; `serve` prints the link itself."""

    def _room(self, role: str) -> tuple[set[AppProcess], int]:
        """The sessions of this kind, and how many of them may run at once."""
        if role == TEACHER:
            return self.teacher_sessions, TEACHER_SESSIONS
        return self.sessions, self.max_sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, with URLs of the host the browser used (not 0.0.0.0) and the
        font served locally; or why there is no room for another session."""
        return self._page(request, STUDENT, "websocket", "static")

    async def handle_teacher_index(self, request: web.Request) -> web.StreamResponse:
        """The same page for the teacher, with the teacher's websocket and static files."""
        return self._page(request, TEACHER, "teacher_websocket", "teacher_static")

    def _page(self, request: web.Request, role: str, websocket_route: str, static_route: str) -> web.Response:
        sessions, limit = self._room(role)
        if len(sessions) >= limit:
            full = web.Response(status=503, text=f"503 Service Unavailable: {sessions_full(limit)}.\n")
            full.headers["Retry-After"] = "30"
            full.headers["Cache-Control"] = "no-store"
            return full
        router = request.app.router
        websocket = "wss" if request.scheme == "https" else "ws"
        static = str(router[static_route].url_for(filename="/")).rstrip("/") + "/"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}://{request.host}{router[websocket_route].url_for()}",
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = _GOOGLE_FONTS.sub(local_fonts(static), response.text or "", count=1)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the page's URL
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the session's app process kept track of."""
        return await self._session(request, STUDENT)

    async def handle_teacher_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self._session(request, TEACHER)

    async def _session(self, request: web.Request, role: str) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        sessions, limit = self._room(role)
        what = "teacher session" if role == TEACHER else "session"
        service: AppProcess | None = None
        try:
            await websocket.prepare(request)
            if len(sessions) >= limit:  # counted and added with no await between
                await self._refuse_session(websocket, request, role)
                return websocket
            taken = self.ready.take() if role == STUDENT else None
            if taken is None:
                service = AppProcess(
                    self.commands[role],
                    forks=self.forks,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                )
            else:
                service = taken[0]
            sessions.add(service)
            say(f"{what} opened from {request.remote} ({len(sessions)} open)")
            if taken is None:
                await service.start(width, height)
            else:
                redrawn = (width, height) != READY_SIZE
                await taken[1].attach(websocket.send_bytes, websocket.send_str, websocket.close, redrawn)
                if redrawn:
                    await service.set_terminal_size(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one broken session never stops the server
            log.exception("a session failed")
        finally:
            if service is not None:
                await service.stop()
                sessions.discard(service)
                self.ready.wake()
                say(f"{what} closed ({len(sessions)} open)")
        return websocket

    async def _start_ready(self, relay: Relay) -> AppProcess:
        """A student's app drawn ahead of its tab, writing to `relay` until one takes it."""
        service = AppProcess(self.commands[STUDENT], forks=self.forks, write_bytes=relay.write_bytes,
                             write_str=relay.write_str, close=relay.close,
                             download_manager=self.download_manager)
        await service.start(*READY_SIZE)
        return service

    async def _refuse_session(self, websocket: web.WebSocketResponse, request: web.Request,
                              role: str = STUDENT) -> None:
        """No app process: the reason on the tab's terminal, then a close frame that says it too."""
        sessions, limit = self._room(role)
        reason = sessions_full(limit)
        if role == TEACHER:
            say(f"teacher session refused from {request.remote}: {len(sessions)} open, at most {limit}")
        else:
            say(f"session refused from {request.remote}: {len(sessions)} open, --max-sessions {limit}")
        try:
            await websocket.send_bytes(f"\r\n  {reason}.\r\n".encode())
        except ConnectionError:
            pass
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason.encode()[:123])

    async def stop_sessions(self) -> None:
        """Ask every app to quit, wait a little, then terminate and kill what is left."""
        processes = [s.process for s in self.all_sessions() if s.process is not None]
        running = [p for p in processes if p.returncode is None]
        if not running:
            return
        say(f"stopping {len(running)} session(s)")
        for service in self.all_sessions():
            await service.send_meta({"type": "quit"})
        if await _wait(running, QUIT_SECONDS):
            return
        for process in running:
            if process.returncode is None:
                process.terminate()
        if await _wait(running, KILL_SECONDS):
            return
        for process in running:
            if process.returncode is None:
                process.kill()
        await _wait(running, KILL_SECONDS)

    def kill_sessions(self) -> None:
        for service in self.all_sessions():
            process = service.process
            if process is not None and process.returncode is None:
                process.kill()

    # running ------------------------------------------------------------------------------

    def on_loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Out of files in accept(): fewer connections (see ConnectionGate.out_of_files);
        anything else goes to the log, one line."""
        error = context.get("exception")
        if isinstance(error, OSError) and error.errno in (errno.EMFILE, errno.ENFILE):
            self.gate.out_of_files()
            return
        loop.default_exception_handler(context)

    async def run(self) -> None:
        app = await self._make_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=5,
                               keepalive_timeout=IDLE_SECONDS)
        await runner.setup()
        asyncio.get_running_loop().set_exception_handler(self.on_loop_error)
        try:
            site = GatedSite(runner, self.host, self.port, self.gate)
            try:
                await site.start()
            except OSError as error:
                raise UserError(_listen_error(self.host, self.port, error)) from None
            self.port = next(
                (address[1] for address in runner.addresses if isinstance(address, tuple)), self.port
            )
            await self.forks.start()  # the link is shown once sessions start fast
            self.announce(self)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()

            def on_signal() -> None:
                if stop.is_set():  # a second Ctrl+C: no more waiting
                    self.kill_sessions()
                stop.set()

            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(number, on_signal)
            self.ready.begin()
            await stop.wait()
            await self.ready.close()
            await self.stop_sessions()
        finally:
            await runner.cleanup()
            await self.ready.close()
            self.kill_sessions()  # anything a cleanup race left behind
            await self.forks.close()
        say("stopped")


def _route_name(request: web.Request) -> str | None:
    resource = request.match_info.route.resource
    return resource.name if resource is not None else None


async def _wait(processes: list[asyncio.subprocess.Process], seconds: float) -> bool:
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), seconds)
    except TimeoutError:
        return False
    return True


def say(line: str) -> None:
    print(f"presscheck serve: {line}", flush=True)


def _listen_error(host: str, port: int, error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return (f"cannot listen on {host}: not a host name or address of this computer; "
                "try --host 0.0.0.0 (every network) or 127.0.0.1 (this computer only)")
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {host}:{port}: the port is in use; choose another with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {host}: not an address of this computer; "
                "try --host 0.0.0.0 (every network) or 127.0.0.1 (this computer only)")
    if error.errno == errno.EACCES:
        return f"cannot listen on port {port}: not allowed; choose a port above 1023 with --port"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"
