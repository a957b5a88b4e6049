"""What `presscheck serve` prints as it runs: one safe line per log record. No UI."""

from __future__ import annotations

import logging
import sys
import time
import traceback

from aiohttp.http_exceptions import HttpProcessingError

from reader.ingest.sanitize import display_line, display_text

log = logging.getLogger("presscheck.serve")


class ConsoleLog(logging.Handler):
    """The server's and its libraries' log records, one line each on stderr, made safe.

    A malformed request is one line saying so (aiohttp logs its parse error with a
    traceback); what a client sent never reaches the terminal with a control character in
    it; at most LINES lines every WINDOW seconds, then a count of those left out. With
    --debug: every record, with its traceback (made safe too).
    """

    WINDOW = 10.0
    LINES = 20

    def __init__(self, debug: bool = False) -> None:
        super().__init__(logging.DEBUG if debug else logging.INFO)
        self.debug = debug
        self._window = -self.WINDOW
        self._shown = 0
        self._hidden = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            now = time.monotonic()
            if now - self._window >= self.WINDOW:
                if self._hidden:
                    self._write(f"presscheck serve: ({self._hidden} more such lines not shown)")
                self._window, self._shown, self._hidden = now, 0, 0
            if self._shown >= self.LINES and not self.debug:
                self._hidden += 1
                return
            self._shown += 1
            self._write(self.line(record))
            if self.debug and record.exc_info and record.exc_info[0] is not None:
                self._write(display_text("".join(traceback.format_exception(*record.exc_info))).rstrip("\n"))
        except Exception:  # a log line must never break the server
            pass

    @staticmethod
    def line(record: logging.LogRecord) -> str:
        message = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            message = (f"answered {error.code} to a malformed request from {remote}: "
                       f"{first_line(error.message)}")
        elif error is not None:
            message = f"{message}: {type(error).__name__}: {first_line(str(error))}"
        return "presscheck serve: " + display_line(message)[:300]

    @staticmethod
    def _write(text: str) -> None:
        print(text, file=sys.stderr, flush=True)


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0].rstrip(":") if lines else ""


def log_to_console(debug: bool) -> None:
    """aiohttp's, asyncio's and the server's own records: through ConsoleLog only."""
    handler = ConsoleLog(debug)
    for name in ("aiohttp", "asyncio", log.name):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, ConsoleLog)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(handler.level)
        logger.propagate = False
