"""The warm parent of `presscheck serve`'s sessions: `python -m reader.fork_zygote CONFIG`.

A `python -m reader` spends about half a second of CPU importing Textual and the app, and
its first frame fills caches (lazy imports, regexes, parsed selectors, styles, colours)
that every later frame reuses. Thirty students opening the page in the same second paid
all of that thirty times over on two cores. This process pays it once: it imports the app
and the web driver (`reader.session_forks` puts the driver's environment in ours before
that, since `textual.constants` reads it at import), optionally draws one throwaway
session to its first frame, freezes the heap out of the cycle collector's reach (so the
forks keep sharing its pages), and then forks one child per session.

Requests come over the Unix socket `reader.session_forks.ForkServer` passes us: a JSON
line (argv, environment, working folder) with the session's stdin, stdout and stderr as
file descriptors. Answers go back on it: the child's pid with a pidfd for it (so the
server signals the right process, never a reused pid), and each child's exit status once
reaped, since only a parent can learn it.

Fork safety: this process never runs a thread or an event loop while it can fork (checked
before it says ready: one task in /proc/self/task). The child starts from a plain
single-threaded interpreter and makes itself look like a fresh `python -m reader`.
"""

from __future__ import annotations

import array
import atexit
import ctypes
import gc
import importlib
import json
import os
import pkgutil
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

REQUEST_BYTES = 1 << 18
"""The largest request (its environment included) a session may send."""
STREAMS = 3
"""stdin, stdout, stderr: the file descriptors each request carries."""
PARSED_CSS_LIMIT = 2048
"""Parsed CSS sources kept (a few hundred per theme)."""
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Linux: SIGTERM from the kernel when `parent` dies, even by SIGKILL; exit at once if
    it is already gone (we would have been adopted by then)."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    if prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


def module_names(patterns: Iterable[str]) -> list[str]:
    """Modules to import: a name, or `package.*` for the package and every module under it."""
    names: list[str] = []
    for pattern in patterns:
        if not pattern.endswith(".*"):
            names.append(pattern)
            continue
        package = importlib.import_module(pattern[:-2])
        names.append(package.__name__)
        names += [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return names


def preload(patterns: Iterable[str]) -> list[str]:
    """Import the modules; those that would not import, each with why (a child imports
    what it needs again, and fails as `python -m reader` would)."""
    failed = []
    for pattern in patterns:
        try:
            names = module_names([pattern])
        except Exception as error:  # noqa: BLE001
            failed.append(f"{pattern}: {type(error).__name__}: {error}")
            continue
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001
                failed.append(f"{name}: {type(error).__name__}: {error}")
    return failed


def warm_up(app_args: Sequence[str]) -> None:
    """Draw one session (`presscheck [PATH ...]` arguments; URLs left out, --db ignored)
    to its first frame, headless, on a throwaway database, then drop it: what a first
    frame fills once for the process (lazy imports, compiled regexes, parsed selectors and
    CSS, Rich's and Textual's caches) is then inherited by every child. Nothing of the app
    survives it: no thread, no event loop, no open file (checked before forking)."""
    import asyncio
    import tempfile
    from pathlib import Path

    from reader.cli import open_parser
    from reader.config_cli import checked_preferences
    from reader.ingest.urls import is_url
    from reader.launch import prepare_session

    args = open_parser().parse_args(list(app_args))
    paths = [path for path in args.paths if not is_url(path)]  # nothing is fetched here
    with tempfile.TemporaryDirectory(prefix="presscheck-warm-") as folder:
        session = prepare_session(paths, Path(folder) / "warm.json", ask_author=True)
        try:
            from reader.app import PresscheckApp

            # the sessions' settings (the server's file): the theme's CSS is what gets warm
            preferences = checked_preferences(serve_session=True)

            async def first_frame() -> None:
                app = PresscheckApp(session, preferences=preferences)
                size = (int(os.environ.get("COLUMNS", 120)), int(os.environ.get("ROWS", 40)))
                async with app.run_test(size=size) as pilot:
                    await pilot.pause()

            asyncio.run(first_frame())
        finally:
            session.store.close()


def share_parsed_css() -> bool:
    """Textual parses an app's CSS (the app's file, every widget's DEFAULT_CSS) again for
    every app, its cache being the app's own stylesheet's. All the forks parse the same
    CSS with the same variables: parsed once here, the rules (which Textual never changes
    once parsed, and reuses itself across a re-parse) serve them all. Skipped, not broken,
    if Textual's method is not the one this was written for."""
    import inspect

    from textual.css.stylesheet import Stylesheet

    from reader.css_cache import disable_disk_cache

    parse = Stylesheet._parse_rules
    if list(inspect.signature(parse).parameters) != [
            "self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]:
        return False
    disable_disk_cache()  # the forks share the rules parsed here: no cache file read or written per session
    parsed: dict[tuple[Any, ...], Any] = {}

    def _parse_rules(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> Any:
        variables = self._variables
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(variables.items()))
        rules = parsed.get(key)
        if rules is None:
            rules = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(parsed) < PARSED_CSS_LIMIT:
                parsed[key] = rules
        return list(rules)

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
    return True


def asyncio_policy_reset() -> None:
    """A fresh event loop policy, as a new interpreter has: the warm-up's `asyncio.run`
    left the old one marked as having had its loop set (and unset)."""
    if "asyncio" in sys.modules:
        sys.modules["asyncio"].set_event_loop_policy(None)


def open_fds() -> set[int]:
    """This process's open file descriptors (not the one the listing itself used)."""
    listed = {int(name) for name in os.listdir("/proc/self/fd")}
    return {fd for fd in listed if _is_open(fd)}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def threads() -> int:
    """Threads of this process as the kernel sees them (C extensions' included)."""
    return len(os.listdir("/proc/self/task"))


class Zygote:
    """The request loop: one fork per request, one report per reaped child."""

    def __init__(self, channel: socket.socket) -> None:
        self.channel = channel
        self.pid = os.getpid()
        self.wake_read, self.wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.fresh_signals: dict[int, Any] = {}

    def send(self, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
        self.channel.sendmsg([json.dumps(message).encode()], ancillary)

    def set_signal(self, number: int, handler: Any) -> None:
        """Change a handler, remembering what a fresh interpreter had, for the children."""
        self.fresh_signals.setdefault(number, signal.getsignal(number))
        signal.signal(number, handler)

    def serve(self) -> None:
        # SIGCHLD wakes the poll through the pipe; its handler itself does nothing
        self.set_signal(signal.SIGCHLD, lambda number, frame: None)
        signal.set_wakeup_fd(self.wake_write, warn_on_full_buffer=False)
        poller = select.poll()
        poller.register(self.channel.fileno(), select.POLLIN)
        poller.register(self.wake_read, select.POLLIN)
        while True:
            for fd, _events in poller.poll():
                if fd == self.wake_read:
                    self.reap()
                elif not self.take_request():
                    return  # the server closed its end

    def reap(self) -> None:
        try:
            while os.read(self.wake_read, 512):
                pass
        except BlockingIOError:
            pass
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.send({"exited": pid, "status": os.waitstatus_to_exitcode(status)})

    def take_request(self) -> bool:
        """Fork for one request; False once the server has gone."""
        try:
            data, ancillary, flags, _ = self.channel.recvmsg(
                REQUEST_BYTES, socket.CMSG_SPACE(STREAMS * 4), socket.MSG_CMSG_CLOEXEC)
        except InterruptedError:
            return True
        except ConnectionError:
            return False
        fds: list[int] = []
        for level, kind, blob in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += array.array("i", blob[: len(blob) - len(blob) % 4])
        if not data and not fds:
            return False
        try:
            request = json.loads(data)
            ident = request["id"]
        except (ValueError, KeyError, TypeError):
            for fd in fds:
                os.close(fd)
            self.send({"error": "unreadable request"})
            return True
        try:
            if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC) or len(fds) != STREAMS:
                self.send({"id": ident, "error": "the request was cut short or lacked its streams"})
                return True
            self.fork(request, fds)
        except OSError as error:  # EAGAIN from fork (process limit), ENOMEM
            self.send({"id": ident, "error": f"cannot fork: {error.strerror or error}"})
        finally:
            for fd in fds:
                os.close(fd)
        return True

    def fork(self, request: dict[str, Any], fds: list[int]) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # nothing of ours is written again by a child
        pid = os.fork()
        if pid == 0:
            self.become_session(request, fds)
        try:
            pidfd = os.pidfd_open(pid)  # the child is ours until reaped: this is that process
        except OSError:
            os.kill(pid, signal.SIGKILL)  # a session nobody could signal or follow
            raise
        try:
            self.send({"id": request["id"], "pid": pid}, [pidfd])
        finally:
            os.close(pidfd)

    def become_session(self, request: dict[str, Any], fds: list[int]) -> NoReturn:
        """In the child: a fresh `python -m reader ARGV` on the session's streams."""
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            for number, handler in self.fresh_signals.items():
                signal.signal(number, handler)
            die_with_parent(self.pid)
            self.channel.close()
            os.close(self.wake_read)
            os.close(self.wake_write)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the request's own fds, and any other
            os.environ.update(request.get("env") or {})
            if request.get("cwd"):
                os.chdir(request["cwd"])
            code = run_reader(list(request["argv"]))
        except BaseException:  # noqa: BLE001 - the child reports anything and exits
            try:
                traceback.print_exc()
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)


def run_reader(argv: list[str]) -> int:
    """Run `reader/__main__.py` as `python -m reader` would, and do what the interpreter
    does at exit (wait for threads, atexit, flush), without unwinding into the zygote."""
    import runpy

    sys.argv = ["-m", *argv]  # runpy puts the module's path in sys.argv[0]
    try:
        runpy.run_module("reader", run_name="__main__", alter_sys=True)
        code: Any = 0
    except SystemExit as exit_:
        code = exit_.code
    except KeyboardInterrupt:
        code = 128 + signal.SIGINT
    except BaseException:  # noqa: BLE001 - what an uncaught exception does
        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter's exit does
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    return code & 0xFF


def main(argv: Sequence[str] | None = None) -> int:
    config = json.loads((sys.argv[1:] if argv is None else argv)[0])
    started = time.monotonic()
    channel = socket.socket(fileno=config["socket"])
    zygote = Zygote(channel)
    # the server stops its sessions itself (Ctrl+C reaches our process group too), and
    # when it dies we die, and then the children
    zygote.set_signal(signal.SIGINT, signal.SIG_IGN)
    zygote.set_signal(signal.SIGHUP, signal.SIG_IGN)
    die_with_parent(config["server"])
    os.close(os.pidfd_open(zygote.pid))  # pidfds work here (Linux 5.3 and later)
    failed = preload(config["preload"])
    css_shared = share_parsed_css()
    warmed = None
    threshold = gc.get_threshold()
    if config.get("warm_args") is not None:
        try:
            warm_up(config["warm_args"])
            warmed = "done"
        except (Exception, SystemExit) as error:  # noqa: BLE001 - still a warm zygote without it
            warmed = f"failed ({type(error).__name__}: {error})"
    gc.set_threshold(*threshold)  # the warm-up app held full collections for its process (`gc_policy`)
    asyncio_policy_reset()
    if threads() != 1:
        raise SystemExit(f"fork_zygote: {threads()} threads after warming up; forking is not safe")
    expected = {0, 1, 2, channel.fileno(), zygote.wake_read, zygote.wake_write}
    stray = sorted(open_fds() - expected)  # none: a child would inherit it (and close it)
    gc.collect()
    gc.freeze()  # the children's collections never walk (and so never copy) these pages
    zygote.send({"ready": True, "pid": zygote.pid, "modules": len(sys.modules), "not_preloaded": failed,
                 "css_shared": css_shared,
                 "warm_up": warmed, "seconds": round(time.monotonic() - started, 3), "stray_fds": stray,
                 "gc_threshold": list(gc.get_threshold())})
    zygote.serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
