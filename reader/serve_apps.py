"""How a session's app process starts for `presscheck serve`: forked from the warm parent
(`reader.session_forks`) while it runs, else a new `python -m reader` (its first start, a
platform without pidfds, a parent that died). Either way the app gets the web driver's
environment, without the server's own author or database."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import shlex
import signal
import sys
from collections.abc import Callable
from typing import Any

from textual_serve.app_service import AppService

from reader.session_forks import ForkedProcess, ForkServer, ForkServerError

log = logging.getLogger("presscheck.serve")

PRIVATE_VARIABLES = ("PRESSCHECK_AUTHOR", "PRESSCHECK_DB")
"""The server's settings no session may see: each student names themself; --db (or the
seat) is on the command line."""
PER_SESSION = ("COLUMNS", "ROWS")
"""The web driver's variables that differ per session (the rest are the zygote's)."""


class Forks:
    """The fork server of one `serve`, if it could start."""

    def __init__(self, warm_args: list[str] | None) -> None:
        self.warm_args = warm_args
        self.server: ForkServer | None = None

    async def start(self) -> None:
        environment = {key: value for key, value in web_environment().items() if key not in PER_SESSION}
        server = ForkServer(environment, warm_args=self.warm_args, unset=PRIVATE_VARIABLES)
        try:
            await server.start()
        except ForkServerError as error:
            log.warning("sessions start as new processes (slower): %s", error)
            await server.close()
            return
        self.server = server

    async def spawn(self, argv: list[str], width: int, height: int) -> ForkedProcess | None:
        """A forked session, or None when there is no fork server (any more)."""
        if self.server is None or not self.server.alive:
            return None
        try:
            return await self.server.spawn(argv, {"COLUMNS": str(width), "ROWS": str(height)})
        except ForkServerError as error:
            log.warning("a session starts as a new process: %s", error)
            return None

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None


def web_environment(width: int = 80, height: int = 24) -> dict[str, str]:
    """The environment textual-serve gives an app (its web driver's variables)."""
    return AppService("", write_bytes=_nothing, write_str=_nothing, close=_nothing,
                      download_manager=None)._build_environment(width, height)  # type: ignore[arg-type]


async def _nothing(*_: Any) -> None:
    return None


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
    """One session's app: forked when `forks` can, else started without a shell; never
    with the server's author or database."""

    def __init__(self, argv: list[str], forks: Forks | None = None, **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.forks = forks

    @property
    def process(self) -> asyncio.subprocess.Process | ForkedProcess | None:
        return self._process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for key in PRIVATE_VARIABLES:
            environment.pop(key, None)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # the zygote runs `python -m reader`'s main: other commands (tests' stand-ins) start anew
        runs_reader = self.argv[1:3] == ["-m", "reader"]
        forked = await self.forks.spawn(self.argv[3:], width, height) if self.forks and runs_reader else None
        if forked is not None:
            self._process = forked  # type: ignore[assignment] - it quacks like a Process
            self._stdin = forked.stdin
            return forked  # type: ignore[return-value]
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
