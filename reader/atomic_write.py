"""Writing a file whole or not at all: a temp file beside it, fsynced, renamed over it. No UI.

Every file presscheck replaces (the database, its journal, a recovered database, an
export) is written this way, so a kill or a full disk at any moment leaves either the old
file or the new one, never half of one. Errors are the OSError of the step that failed,
with no temp file left behind; each caller says it in its own words.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """How the temp files of writers of `path` begin: `.NAME.` (hidden, beside it)."""
    return f".{path.name}."


def temp_files(path: Path) -> list[Path]:
    """The temp files beside `path` of writers of it, or of files named after it (its
    journal): a writer killed mid-save leaves one; a live one is about to rename its own."""
    return list(path.parent.glob(f"{temp_prefix(path)}*{TEMP_SUFFIX}"))


def remove_temp_files(path: Path) -> None:
    """Remove the `temp_files` of `path` left by killed writers. Only while holding the
    database's lock, when no other writer can be between making its temp file and
    renaming it."""
    for leftover in temp_files(path):
        _remove(str(leftover))


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (the folder's entry, not only the file's bytes)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(beside: Path, blob: bytes | Iterable[bytes], mode: int) -> Path:
    """A temp file in `beside`'s folder (same file system, so the rename is atomic), named
    after it, holding `blob` (or the pieces it yields, one after another) with `mode`,
    fsynced. Removed again when a step fails."""
    tmp = ""
    try:
        # inside the try: a read-only folder refuses here, and that is a write that failed
        fd, tmp = tempfile.mkstemp(dir=beside.parent, prefix=temp_prefix(beside), suffix=TEMP_SUFFIX)
        os.fchmod(fd, mode)  # mkstemp makes 0600; the caller says what the file's mode is
        with os.fdopen(fd, "wb") as handle:
            for piece in (blob,) if isinstance(blob, bytes) else blob:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        _remove(tmp)
        raise
    return Path(tmp)


def write_temps(files: Iterable[tuple[Path, bytes]], mode: int, *, batch: int = 64) -> list[Path]:
    """`write_temp` for many files: the temp files of each batch written first, then
    fsynced (the first fsync's journal commit carries the others' data, so theirs are
    cheap, where writing and fsyncing one file after another waits for a commit each:
    2,000 texts took 2 s, not 0.3). Every temp file made is removed again when a step
    fails."""
    made: list[Path] = []
    handles: list[BinaryIO] = []
    try:
        for path, blob in files:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
            made.append(Path(tmp))
            handle = os.fdopen(fd, "wb")
            handles.append(handle)
            os.fchmod(fd, mode)
            handle.write(blob)
            if len(handles) >= batch:
                _sync_and_close(handles)
        _sync_and_close(handles)
    except BaseException:
        for handle in handles:
            handle.close()
        for tmp in made:
            _remove(str(tmp))
        raise
    return made


def _sync_and_close(handles: list[BinaryIO]) -> None:
    for handle in handles:
        handle.flush()
    while handles:
        os.fsync(handles[0].fileno())
        handles.pop(0).close()


def put_in_place(tmp: Path, path: Path) -> None:
    """Rename the temp file `tmp` over `path` in one step, then fsync the folder. A rename
    that fails removes `tmp`; a failed folder fsync comes after the rename (the new file is
    in place, but it may not be durable yet)."""
    try:
        os.replace(tmp, path)
    except OSError:
        _remove(str(tmp))
        raise
    fsync_folder(path.parent)


def write_atomically(
    path: Path, blob: bytes | Iterable[bytes], mode: int, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Replace `path` with `blob` whole: `write_temp`, then `before_replace` (the database
    keeps a backup of the file about to be replaced), then `put_in_place`."""
    tmp = write_temp(path, blob, mode)
    if before_replace is not None:
        try:
            before_replace()
        except BaseException:
            _remove(str(tmp))
            raise
    put_in_place(tmp, path)


def _remove(tmp: str) -> None:
    if not tmp:
        return
    try:
        os.unlink(tmp)
    except OSError:
        pass
