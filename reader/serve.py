"""`presscheck serve`: the app in web browsers (textual-serve), one app process per tab.

Every browser tab that connects gets its own `python -m reader PATH... --db DB --ask-author`
process, so every student is asked for their name, and all of them write to the one
database (the store's file lock makes that safe).

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
- A malformed request gets aiohttp's 400 and one line on the console, never a traceback
  (`--debug` shows them); nothing a client sent reaches the console with a control
  character in it, and a flood of such lines is cut to a few every ten seconds.

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
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from reader.connection_gate import IDLE_SECONDS, MAX_CONNECTIONS, ConnectionGate, GatedSite, capacity, raise_file_limit
from reader.errors import UserError
from reader.serve_log import log_to_console

log = logging.getLogger("presscheck.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

QUIT_SECONDS = 5.0
"""How long the sessions' apps get to quit on their own at shutdown before being terminated."""
KILL_SECONDS = 2.0

DEFAULT_MAX_SESSIONS = 40
"""App processes at once, by default: a class."""

FORBIDDEN = (
    "403 Forbidden: this presscheck needs the link with its access token "
    "(ask whoever runs `presscheck serve` for the link).\n"
)



def sessions_full(limit: int) -> str:
    """Why a session was refused (short enough for a websocket's close frame)."""
    return (f"this presscheck serves at most {limit} session{'s' if limit != 1 else ''} at once, "
            "and all are in use; try again when one closes")


_FONT = "/static/fonts/RobotoMono-VariableFont_wght.ttf"
_FONT_ITALIC = "/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf"
LOCAL_FONTS = (
    f'<link rel="preload" href="{_FONT}" as="font" type="font/ttf" crossorigin />\n'
    "    <style>\n"
    f'      @font-face {{ font-family: "Roboto Mono"; src: url("{_FONT}") format("truetype");'
    " font-weight: 100 700; font-style: normal; }\n"
    f'      @font-face {{ font-family: "Roboto Mono"; src: url("{_FONT_ITALIC}") format("truetype");'
    " font-weight: 100 700; font-style: italic; }\n"
    "    </style>"
)
"""The page's font from textual-serve's own static folder, not from Google Fonts: a
classroom network may have no internet, and students' browsers need not call anyone."""
_GOOGLE_FONTS = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""


def lan_address() -> str:
    """This computer's address on its network, for the link handed out with --host 0.0.0.0."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # UDP: nothing is sent; this picks the interface
            address = probe.getsockname()[0]
        if not is_loopback(address) and not _is_unspecified(address):
            return address
    except OSError:
        pass
    try:
        address = socket.gethostbyname(socket.gethostname())
        if not is_loopback(address):
            return address
    except OSError:
        pass
    return socket.gethostname()


def app_command(paths: list[str], db: Path) -> list[str]:
    """The command every session runs: absolute paths, so the working folder doesn't matter."""
    from reader.classroom.pack import default_pack_folder
    from reader.ingest.fetch import is_url

    arguments = [p if is_url(p) else str(Path(p).expanduser().resolve()) for p in paths]
    if not arguments:  # what `presscheck` alone opens: ./seeds, else the bundled exercise
        arguments = [str(default_pack_folder().resolve())]
    return [sys.executable, "-m", "reader", *arguments, "--db", str(db.resolve()), "--ask-author"]


def _exit_with_the_server() -> Callable[[], None] | None:
    """Linux: have the kernel send the app SIGTERM when the server dies, even by SIGKILL
    (which no handler sees), so that no app process outlives it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    server = os.getpid()
    set_parent_death_signal = 1  # PR_SET_PDEATHSIG

    def in_the_child() -> None:
        prctl(set_parent_death_signal, signal.SIGTERM)
        if os.getppid() != server:  # the server died before that
            os._exit(1)

    return in_the_child


class AppProcess(AppService):
    """One session's app: started without a shell, and without the server's author."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.pop("PRESSCHECK_AUTHOR", None)  # each student names themself
        environment.pop("PRESSCHECK_DB", None)  # --db is on the command line
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            preexec_fn=_exit_with_the_server(),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process


class ClassroomServer(Server):
    """textual-serve's Server with an access check on every route and managed app processes."""

    def __init__(self, argv: list[str], host: str, port: int, token: str | None,
                 max_sessions: int = DEFAULT_MAX_SESSIONS, max_connections: int = MAX_CONNECTIONS) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="presscheck")
        self.argv = argv
        self.token = token
        self.sessions: set[AppProcess] = set()
        self.max_sessions = max_sessions
        self.gate = ConnectionGate(max_connections)
        self.url = ""

    @property
    def cookie(self) -> str:
        return f"presscheck_token_{self.port}"  # cookies are shared across ports; names are not

    # access -------------------------------------------------------------------------------

    def allowed(self, request: web.Request) -> bool:
        try:
            return self._allowed(request)
        except ValueError:  # a Host or Origin header that is not one
            return False

    def _allowed(self, request: web.Request) -> bool:
        if self.token is not None:
            given = request.query.get("token") or request.cookies.get(self.cookie) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return False
        elif not is_loopback(urlsplit(f"//{request.host}").hostname or ""):
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
                if self.token is not None and "token" in request.query and not response.prepared:
                    # the page's scripts, styles and websocket then carry the token too
                    response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
                if not response.prepared:
                    try:
                        await response.prepare(request)
                        await response.write_eof()
                    except ConnectionError:
                        pass  # the client went away; aiohttp's own write sees that quietly too
            return response

        app.middlewares.insert(0, guard)
        return app

    # the page and the sessions -------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; `serve` prints the link itself."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, with URLs of the host the browser used (not 0.0.0.0) and the
        font served locally; or why there is no room for another session."""
        if len(self.sessions) >= self.max_sessions:
            full = web.Response(status=503,
                                text=f"503 Service Unavailable: {sessions_full(self.max_sessions)}.\n")
            full.headers["Retry-After"] = "30"
            full.headers["Cache-Control"] = "no-store"
            return full
        router = request.app.router
        websocket = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}://{request.host}{router['websocket'].url_for()}",
            "config": {"static": {"url": str(router["static"].url_for(filename="/")).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = _GOOGLE_FONTS.sub(LOCAL_FONTS, response.text or "", count=1)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the page's URL
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the session's app process kept track of."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppProcess | None = None
        try:
            await websocket.prepare(request)
            if len(self.sessions) >= self.max_sessions:  # counted and added with no await between
                await self._refuse_session(websocket, request)
                return websocket
            service = AppProcess(
                self.argv,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            self.sessions.add(service)
            _say(f"session opened from {request.remote} ({len(self.sessions)} open)")
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one broken session never stops the server
            log.exception("a session failed")
        finally:
            if service is not None:
                await service.stop()
                self.sessions.discard(service)
                _say(f"session closed ({len(self.sessions)} open)")
        return websocket

    async def _refuse_session(self, websocket: web.WebSocketResponse, request: web.Request) -> None:
        """No app process: the reason on the tab's terminal, then a close frame that says it too."""
        reason = sessions_full(self.max_sessions)
        _say(f"session refused from {request.remote}: {len(self.sessions)} open, "
             f"--max-sessions {self.max_sessions}")
        try:
            await websocket.send_bytes(f"\r\n  {reason}.\r\n".encode())
        except ConnectionError:
            pass
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason.encode()[:123])

    async def stop_sessions(self) -> None:
        """Ask every app to quit, wait a little, then terminate and kill what is left."""
        processes = [s.process for s in list(self.sessions) if s.process is not None]
        running = [p for p in processes if p.returncode is None]
        if not running:
            return
        _say(f"stopping {len(running)} session(s)")
        for service in list(self.sessions):
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
        for service in list(self.sessions):
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
            self.url = self.public_url = _public_url(self.host, self.port, self.token)
            _announce(self)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()

            def on_signal() -> None:
                if stop.is_set():  # a second Ctrl+C: no more waiting
                    self.kill_sessions()
                stop.set()

            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(number, on_signal)
            await stop.wait()
            await self.stop_sessions()
        finally:
            await runner.cleanup()
            self.kill_sessions()  # anything a cleanup race left behind
        _say("stopped")


async def _wait(processes: list[asyncio.subprocess.Process], seconds: float) -> bool:
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), seconds)
    except TimeoutError:
        return False
    return True


def _say(line: str) -> None:
    print(f"presscheck serve: {line}", flush=True)


def _public_url(host: str, port: int, token: str | None) -> str:
    shown = lan_address() if _is_unspecified(host) else host
    if ":" in shown:
        shown = f"[{shown.strip('[]')}]"
    query = f"?token={quote(token, safe='')}" if token else ""
    return f"http://{shown}:{port}/{query}"


def _announce(server: ClassroomServer) -> None:
    print(f"presscheck serve: {server.url}", flush=True)
    if server.token is None:
        where = "this computer only; --host 0.0.0.0 serves the classroom's network"
    else:
        where = "hand this link out: requests without its token are refused"
    print(f"  {where}; every browser tab asks for its student's name", flush=True)
    print(f"  at most {server.max_sessions} sessions at once (--max-sessions); "
          "Ctrl+C stops the server and every session", flush=True)


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


def serve(paths: list[str], db: Path, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, max_sessions: int = DEFAULT_MAX_SESSIONS, debug: bool = False) -> int:
    """Check what the sessions will open, then serve until Ctrl+C."""
    from reader.launch import prepare_session

    # the files and the database are checked once here, so a mistake is one line now,
    # not an app that fails in every student's browser
    prepare_session(list(paths), db, ask_author=True).store.close()
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
    file_limit = raise_file_limit()
    sessions, connections = capacity(file_limit, max_sessions)
    if sessions < max_sessions:
        _say(f"the open-file limit ({file_limit}) leaves room for {sessions} sessions, not {max_sessions}; "
             "raise it with `ulimit -n` for more")
    log_to_console(debug)
    server = ClassroomServer(app_command(list(paths), db), host, port, token,
                             max_sessions=sessions, max_connections=connections)
    asyncio.run(server.run())
    return 0
