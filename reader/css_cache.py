"""Parsed CSS kept across runs, in the user's cache folder.

Textual parses the app's stylesheet and every widget's DEFAULT_CSS again at every start:
about a twentieth of the work before the first frame. Loading the same rules pickled
takes a sixth of that. So the rules parsed in one run are written (once, just after the first
frame) to one file per set of theme variables, and the next run takes them from there.

A pickle runs code when it is loaded, so the file is read only when it is a plain file
owned by the user and writable by nobody else, in a folder that is too. Each entry is
keyed by the CSS text itself (and where it came from), the file by the versions of
Python, Textual and presscheck and the theme's variables: an edited stylesheet, an
upgrade or another theme misses, and is parsed. Any error reading or writing the file is
ignored: the CSS is parsed as it would be without the cache.

`PRESSCHECK_CSS_CACHE` names another folder for it (a test's temporary one), or `off`
for none.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import stat
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from textual.css.stylesheet import Stylesheet

CACHE_ENV = "PRESSCHECK_CSS_CACHE"
FORMAT = 1
"""Raised when what the file holds changes shape."""
MAX_ENTRIES = 200
"""More than any run parses; a file that grew past it starts again from this run's."""

_disk_enabled = True


def disable_disk_cache() -> None:
    """No file for this process (`fork_zygote` shares its parsed rules in memory instead)."""
    global _disk_enabled
    _disk_enabled = False


def cache_folder() -> Path | None:
    """Where the files go: `PRESSCHECK_CSS_CACHE`, else the user's cache folder; None for
    no cache (`off`, or a system without owners to check)."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen == "off" or not hasattr(os, "getuid"):
        return None
    if chosen:
        return Path(chosen)
    import platformdirs  # already imported by Textual

    return platformdirs.user_cache_path("presscheck") / "css"


@functools.cache
def _versions() -> tuple[str, ...]:
    """Python's, presscheck's and Textual's versions: read from Textual's installed
    metadata folder's name (importlib.metadata costs more than the cache saves)."""
    import textual

    import reader

    site = Path(textual.__file__).parent.parent
    installed = sorted(entry.name for entry in os.scandir(site)
                       if entry.name.startswith("textual-") and entry.name.endswith(".dist-info"))
    return (str(FORMAT), sys.version, reader.__version__, *installed)


def trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: nobody else could have put code in
    it."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_entries(path: Path, stamp: tuple[Any, ...]) -> dict[tuple[Any, ...], bytes]:
    """The entries in `path` if it is trusted, whole and written for `stamp`; else none."""
    try:
        if not trusted(os.stat(path.parent)):
            return {}
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return {}
    try:
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())  # the file read, whatever the path names by now
            if not stat.S_ISREG(info.st_mode) or not trusted(info):
                return {}
            saved_stamp, entries = pickle.loads(file.read())
    except Exception:  # noqa: BLE001 - a cut short or foreign file: parse as without the cache
        return {}
    if saved_stamp != stamp or not isinstance(entries, dict):
        return {}
    return {key: entry for key, entry in entries.items() if isinstance(entry, bytes)}


def write_entries(path: Path, stamp: tuple[Any, ...], entries: dict[tuple[Any, ...], bytes]) -> None:
    """Write `entries` to `path` whole or not at all: a temporary file (private to the
    user), renamed over it. No fsync: a file lost in a crash is parsed again."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not trusted(os.stat(path.parent)):  # it would never be read back
        raise PermissionError(f"{path.parent} is writable by others")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".css-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            pickle.dump((stamp, entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class CachedStylesheet(Stylesheet):
    """Textual's stylesheet, its parsed rules taken from (and later written to) the cache.

    Each source's rules are pickled on their own in the file, and unpickled only when that
    source is asked for: the stylesheets read after the first frame cost it nothing."""

    def __init__(self, *, variables: dict[str, str] | None = None, folder: Path | None = None) -> None:
        super().__init__(variables=variables)
        self._cache_folder = folder if folder is not None else (cache_folder() if _disk_enabled else None)
        self._forget()

    def _forget(self) -> None:
        self._place: tuple[Path, tuple[Any, ...]] | None = None
        """The file and stamp for the variables in force, once the first rules are asked for."""
        self._entries: dict[tuple[Any, ...], bytes] = {}
        """The file's entries: each source's rules, pickled."""
        self._used: set[tuple[Any, ...]] = set()
        self._parsed: dict[tuple[Any, ...], Any] = {}
        """Rules the file did not have: parsed here, written by `save_parsed`."""

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._forget()  # another theme: another file

    def _load(self, folder: Path) -> tuple[Path, tuple[Any, ...]]:
        """This stylesheet's file and stamp, its entries read the first time."""
        if self._place is None:
            variables = tuple(sorted(self._variables.items()))
            path = folder / f"rules-{zlib.crc32(repr(variables).encode()):08x}.pickle"
            stamp = (*_versions(), variables)
            self._place, self._entries = (path, stamp), read_entries(path, stamp)
        return self._place

    def _parse_rules(self, css: str, read_from: Any, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> Any:
        folder = self._cache_folder
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if folder is None or key in self._parse_cache:
            return super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        rules = None
        try:
            self._load(folder)
            if (entry := self._entries.get(key)) is not None:
                rules = pickle.loads(entry)
        except Exception:  # noqa: BLE001 - a cut short or foreign entry: parsed, as without a cache
            self._entries.pop(key, None)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._parsed[key] = rules
        else:
            self._parse_cache[key] = rules
        self._used.add(key)
        return rules

    def save_parsed(self) -> bool:
        """Write the rules parsed here that the file lacked; whether it was written. Errors
        are ignored: the next run parses them again."""
        if self._place is None or not self._parsed:
            return False
        path, stamp = self._place
        try:
            entries = {**self._entries, **{key: pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
                                           for key, rules in self._parsed.items()}}
            if len(entries) > MAX_ENTRIES:  # sources no run asks for any more: only this run's kept
                entries = {key: entry for key, entry in entries.items() if key in self._used}
            write_entries(path, stamp, entries)
        except Exception:  # noqa: BLE001 - a read-only or full disk: parsed next time too
            return False
        self._entries, self._parsed = entries, {}
        return True
