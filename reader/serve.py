"""`presscheck serve`: the app in web browsers (textual-serve), one app process per tab.

Every browser tab that connects gets its own `python -m reader PATH... --db DB --ask-author`
process, so every student is asked for their name, and all of them write to the one
database (the store's file lock makes that safe).

`serve LESSON --class` is a live lesson on a pack folder: every student's tab runs
`lesson-seat` (`seat_command`), a seat of the class with the student's own database, and
the teacher's link (`/teacher`, with a token of its own) runs the class view,
`lesson-watch` (`watch_command`). The lesson's state is kept in `LESSON/.class` (0o700);
hand-ins go to `--handins DIR`, by default `./PACK-handins`.

This module checks what the sessions will open, makes the tokens and folders, and prints
the links; the web server itself (who gets in, the pages, the sessions' app processes,
the security model) is `reader.serve_web`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from reader.connection_gate import capacity, raise_file_limit
from reader.errors import UserError
from reader.ingest.sanitize import display_line
from reader.serve_log import log_to_console
from reader.serve_ready import DEFAULT_READY
from reader.serve_web import (  # noqa: F401 - AppProcess: the one place a session's app starts
    DEFAULT_MAX_SESSIONS,
    STUDENT,
    TEACHER,
    TEACHER_PATH,
    TEACHER_SESSIONS,
    AppProcess,
    ClassroomServer,
    is_loopback,
    say,
)


class ServeUsageError(UserError):
    """`serve` was asked for something it does not do: one line, and exit status 2 (as for
    argparse's own usage errors)."""


@dataclass(frozen=True)
class LessonFolders:
    """A live lesson's folders: the pack, its live state, where hand-ins go (absolute)."""

    pack: Path
    state: Path
    handins: Path


# what the sessions run ---------------------------------------------------------------------

def app_command(paths: list[str], db: Path) -> list[str]:
    """The command every session runs: absolute paths, so the working folder doesn't matter."""
    from reader.classroom.pack import default_pack_folder
    from reader.ingest.fetch import is_url

    arguments = [p if is_url(p) else str(Path(p).expanduser().resolve()) for p in paths]
    if not arguments:  # what `presscheck` alone opens: ./seeds, else the bundled exercise
        arguments = [str(default_pack_folder().resolve())]
    return [sys.executable, "-m", "reader", *arguments, "--db", str(db.resolve()), "--ask-author"]


def _warm_args(command: list[str]) -> list[str]:
    """The local paths of a session's command: what the fork server draws once before the
    first session (never a URL: warming up fetches nothing)."""
    from reader.ingest.urls import is_url

    return [argument for argument in command[3:command.index("--db")] if not is_url(argument)]


def seat_command(pack: Path, state: Path, handins: Path) -> list[str]:
    """What a student's tab runs in a live lesson: one seat of the class, on the pack."""
    return [sys.executable, "-m", "reader", "lesson-seat", str(pack.resolve()),
            "--state", str(state.resolve()), "--handins", str(handins.resolve())]


def watch_command(pack: Path, state: Path, handins: Path) -> list[str]:
    """What the teacher's tab runs in a live lesson: the class view."""
    return [sys.executable, "-m", "reader", "lesson-watch", str(pack.resolve()),
            "--state", str(state.resolve()), "--handins", str(handins.resolve())]


# starting ------------------------------------------------------------------------------------

def serve(paths: list[str], db: Path, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, max_sessions: int = DEFAULT_MAX_SESSIONS, debug: bool = False) -> int:
    """Check what the sessions will open, then serve until Ctrl+C."""
    from reader.launch import prepare_session

    # the files and the database are checked once here, so a mistake is one line now,
    # not an app that fails in every student's browser
    prepare_session(list(paths), db, ask_author=True).store.close()
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
    sessions, connections = _fit_sessions(max_sessions)
    log_to_console(debug)
    command = app_command(list(paths), db)
    server = ClassroomServer({STUDENT: command}, host, port, token,
                             max_sessions=sessions, max_connections=connections, announce=_announce,
                             warm_args=_warm_args(command))
    asyncio.run(server.run())
    return 0


def serve_class(lesson: str | Path, handins: str | Path | None = None, host: str = "127.0.0.1",
                port: int = 8000, token: str | None = None, max_sessions: int = DEFAULT_MAX_SESSIONS,
                debug: bool = False, ready: int = DEFAULT_READY) -> int:
    """A live lesson: the students' seats at `/`, the teacher's class view at `/teacher`."""
    folders = class_folders(lesson, handins)
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
    sessions, connections = _fit_sessions(max_sessions, besides=TEACHER_SESSIONS)
    log_to_console(debug)
    commands = {
        STUDENT: seat_command(folders.pack, folders.state, folders.handins),
        TEACHER: watch_command(folders.pack, folders.state, folders.handins),
    }
    server = ClassroomServer(commands, host, port, token, max_sessions=sessions, max_connections=connections,
                             teacher_token=teacher_token_for(token),
                             announce=lambda server: _announce_lesson(server, folders),
                             warm_args=[str(folders.pack)], ready=ready)
    asyncio.run(server.run())
    return 0


def _fit_sessions(max_sessions: int, besides: int = 0) -> tuple[int, int]:
    """(sessions, connections) within the open-file limit (raised first), keeping room for
    `besides` more sessions (the teacher's); a line when that is fewer than asked."""
    file_limit = raise_file_limit()
    sessions, connections = capacity(file_limit, max_sessions + besides)
    sessions = max(1, sessions - besides)
    if sessions < max_sessions:
        say(f"the open-file limit ({file_limit}) leaves room for {sessions} sessions, not {max_sessions}; "
            "raise it with `ulimit -n` for more")
    return sessions, connections


def lesson_folder(lesson: str | Path) -> Path:
    """The lesson pack folder `serve --class` serves, or a ServeUsageError saying why not."""
    from reader.classroom.pack import is_pack

    path = Path(lesson).expanduser()
    shown = display_line(str(lesson))
    if path.is_file() and path.suffix.lower() == ".zip":
        raise ServeUsageError(
            f"{shown}: a live lesson keeps its state in the pack folder, and a .zip is not changed "
            "in place; unzip it and run presscheck serve --class on the folder")
    if not path.is_dir() or not is_pack(path):
        raise ServeUsageError(f"{shown}: not a lesson pack (a folder with pack.toml); "
                              "make one with presscheck pack create")
    return path.resolve()


def class_folders(lesson: str | Path, handins: str | Path | None) -> LessonFolders:
    """The pack (read once: a pack that does not read is one line now, not a failure in
    every tab), its state folder (made, 0o700) and the hand-ins folder (made)."""
    from reader.classroom.live_lesson import STATE_FOLDER, LiveLesson
    from reader.classroom.pack import load_pack

    pack = lesson_folder(lesson)
    read = load_pack(pack)
    state = pack / STATE_FOLDER
    drop = Path(handins).expanduser() if handins is not None else Path.cwd() / f"{pack.name}-handins"
    _make_folder(state, "the lesson's state folder", private=True)  # students' work: nobody else's
    _make_folder(drop, "the hand-ins folder")
    LiveLesson(read, drop.resolve(), state).prepare()  # its folders, and the lesson open (again)
    return LessonFolders(pack, state, drop.resolve())


def _make_folder(folder: Path, what: str, private: bool = False) -> None:
    try:
        folder.mkdir(mode=0o700 if private else 0o777, parents=True, exist_ok=True)
        if private:
            folder.chmod(0o700)  # also when it was made before, by hand
    except FileExistsError:
        raise UserError(f"{display_line(str(folder))}: {what} is a file; move it away") from None
    except OSError as error:
        raise UserError(f"{display_line(str(folder))}: cannot make {what} ({error.strerror or error})") from None


def teacher_token_for(student_token: str | None) -> str:
    """A new random teacher token: nothing to do with the students' one, and neither a part
    of the other (so no link holds the other's token)."""
    while True:
        token = secrets.token_urlsafe(24)
        if student_token is None or (token not in student_token and student_token not in token):
            return token


# the links and what is printed ---------------------------------------------------------------

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


def _public_url(host: str, port: int, token: str | None, path: str = "/") -> str:
    shown = lan_address() if _is_unspecified(host) else host
    if ":" in shown:
        shown = f"[{shown.strip('[]')}]"
    query = f"?token={quote(token, safe='')}" if token else ""
    return f"http://{shown}:{port}{path}{query}"


def _announce(server: ClassroomServer) -> None:
    server.url = server.public_url = _public_url(server.host, server.port, server.token)
    print(f"presscheck serve: {server.url}", flush=True)
    if server.token is None:
        where = "this computer only; --host 0.0.0.0 serves the classroom's network"
    else:
        where = "hand this link out: requests without its token are refused"
    print(f"  {where}; every browser tab asks for its student's name", flush=True)
    print(f"  at most {server.max_sessions} sessions at once (--max-sessions); "
          "Ctrl+C stops the server and every session", flush=True)


def _announce_lesson(server: ClassroomServer, lesson: LessonFolders) -> None:
    server.url = server.public_url = _public_url(server.host, server.port, server.token)
    server.teacher_url = _public_url(server.host, server.port, server.teacher_token, TEACHER_PATH)
    print(f"presscheck serve: students: {server.url}", flush=True)
    print(f"presscheck serve: teacher:  {server.teacher_url}  (yours only: it opens the class view)",
          flush=True)
    if server.token is None:
        where = "this computer only; --host 0.0.0.0 serves the classroom's network"
    else:
        where = "hand the students' link out: requests without its token are refused"
    print(f"  {where}; every browser tab asks for its student's name", flush=True)
    print(f"  hand-ins go to {display_line(str(lesson.handins))}; "
          f"the lesson's state is kept in {display_line(str(lesson.state))}", flush=True)
    print(f"  at most {server.max_sessions} student sessions at once (--max-sessions), and "
          f"{TEACHER_SESSIONS} teacher tabs besides; Ctrl+C stops the server and every session", flush=True)
