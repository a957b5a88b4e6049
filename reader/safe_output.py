"""What the command line writes to stdout and stderr, made safe for a terminal. No UI.

Every string a command prints may have come from someone else's file: a student's name,
a tag, a note, a quote, a file name, a pack's title, an error's echo of its input. A
terminal acts on the control characters in such a string (OSC 52 writes the clipboard,
`ESC [2J` clears the screen, a lone CR overwrites a line, a bidi override reorders it), so
nothing reaches stdout or stderr without passing here:

- `guard_streams()` wraps `sys.stdout` and `sys.stderr` for the whole command: every
  write shows a control character as a visible mark (see `reader.ingest.sanitize`),
  keeping only the newline, the tab and the CR of a CRLF. It is the net under everything
  else, tracebacks and library messages included.
- `write_document()` writes a rendered export or report: JSON escapes those characters
  as `\\uXXXX` (the same data, still valid JSON); text formats (Markdown, CSV) show them
  as visible marks like any other output.
- Files written with `-o` never pass here: they keep the data exactly, escaped as their
  format requires.

The app's own rendering does not go through these streams (Textual writes to the
terminal through `sys.__stderr__`), and the Rich table of `compare` writes its own styles
to the real stream with every cell already made safe (`display_line`).
"""

from __future__ import annotations

import io
import re
import sys
from typing import IO, Any

_UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
    "|\r(?!\n)"
)
"""Characters a terminal could act on: C0 but newline and tab (and CR before LF), DEL,
C1, bidi controls, the Unicode line separators."""
_UNSAFE_UTF8 = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)"
    rb"|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""The same characters in UTF-8 (a scan of a large export costs milliseconds)."""


def safe_text(text: str) -> str:
    """`text` with every character a terminal could act on shown as a visible mark;
    newlines, tabs and CRLF line ends are kept, so a table or a CSV keeps its shape."""
    if not _UNSAFE_TEXT.search(text):
        return text
    # imported only when needed: `presscheck --version` stays a few dozen modules
    from reader.ingest.sanitize import display_text

    return _UNSAFE_TEXT.sub(lambda match: display_text(match.group()), text)


def _json_escape(match: re.Match[bytes]) -> bytes:
    return b"".join(b"\\u%04x" % ord(char) for char in match.group().decode("utf-8"))


def safe_json(blob: bytes) -> bytes:
    """A UTF-8 JSON document with those characters written as `\\uXXXX` escapes: the same
    data once parsed. (In JSON they can only stand inside strings, where an escape is
    always allowed; the raw C0 ones are already escaped by any JSON encoder.)"""
    return _UNSAFE_UTF8.sub(_json_escape, blob)


def safe_bytes(blob: bytes) -> bytes:
    """UTF-8 text for a terminal: `safe_text` on bytes, with bytes that are not UTF-8
    shown as U+FFFD."""
    if not _UNSAFE_UTF8.search(blob):
        try:
            blob.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return blob
    return safe_text(blob.decode("utf-8", "replace")).encode("utf-8")


def write_document(blob: bytes, fmt: str, stream: IO[str] | None = None) -> None:
    """Write a rendered export or report to stdout (or `stream`): JSON formats escaped,
    text formats with visible marks."""
    # made safe here for its format, so it skips the guard's second scan of every byte
    stream = raw_stream(stream or sys.stdout)
    safe = safe_json(blob) if fmt in ("json", "w3c") else safe_bytes(blob)
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(safe)
    else:
        stream.write(safe.decode("utf-8"))
    stream.flush()


class _SafeBinary(io.RawIOBase):
    """The `.buffer` of a guarded stream: bytes made safe as UTF-8 text."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw

    def writable(self) -> bool:
        return True

    def write(self, blob: Any) -> int:
        self._raw.write(safe_bytes(bytes(blob)))
        return len(blob)

    def flush(self) -> None:
        self._raw.flush()


class SafeStream(io.TextIOBase):
    """A text stream that writes through `safe_text` to the stream it wraps."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.wrapped = stream
        raw = getattr(stream, "buffer", None)
        self._buffer = _SafeBinary(raw) if raw is not None else None

    @property
    def buffer(self) -> Any:  # noqa: D401 - the attribute of a text stream
        if self._buffer is None:
            raise AttributeError("buffer")
        return self._buffer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.wrapped, "encoding", "utf-8") or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.wrapped, "errors", None)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.wrapped.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.wrapped.flush()

    def isatty(self) -> bool:
        return self.wrapped.isatty()

    def fileno(self) -> int:
        return self.wrapped.fileno()


def guard_streams() -> tuple[IO[str], IO[str]]:
    """Wrap `sys.stdout` and `sys.stderr` (once); returns the streams as they were, for
    `restore_streams`."""
    before = (sys.stdout, sys.stderr)
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    return before


def restore_streams(streams: tuple[IO[str], IO[str]]) -> None:
    sys.stdout, sys.stderr = streams


def raw_stream(stream: IO[str]) -> IO[str]:
    """The stream a guarded one wraps: for Rich, which writes its own styles and is handed
    only text that `display_line` made safe."""
    return stream.wrapped if isinstance(stream, SafeStream) else stream
