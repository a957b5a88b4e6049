"""The reader's own settings: `config.toml` in the platform's config folder. No UI.

The file says who is annotating, the theme, the default database, the keymap, how
annotations are highlighted and whether the screen-reader mode is on. The command line
reads it once, before anything else, and gives it to the app; the app never reads it
itself (tests build apps directly). The command line's flags beat the environment's
variables, which beat the file, which beats the built-in defaults (`overridden`).

Every problem is one line that starts with the file's path, says what is wrong and what to
do (a `UserError`). Here the keymap is only known to be a table of strings: which binding
ids and key names it may use is the app's business, checked in `reader/keymap.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from reader.errors import UserError
from reader.records import FROM_FACTORY, record

CONFIG_VARIABLE = "PRESSCHECK_CONFIG"
"""The environment variable naming the settings file, in place of the platform's."""
DB_VARIABLE = "PRESSCHECK_DB"
AUTHOR_VARIABLE = "PRESSCHECK_AUTHOR"
DEFAULT_DB = Path("annotations") / "annotations.json"
"""The database when neither a flag, the environment nor the file names one."""

HIGHLIGHTS: dict[str, str] = {
    "default": "a tint and a text style per kind",
    "underline": "no tints; every kind underlined, told apart by bold and italic",
    "reverse": "no tints; every kind in reverse video, told apart by text style",
}
"""How annotations are drawn in the panes (styles/plain_marks.tcss: the app's `-highlight-*` class)."""

SETTINGS: dict[str, tuple[type, str]] = {
    "author": (str, 'author = "Ada Lovelace"'),
    "theme": (str, 'theme = "nord"'),
    "db": (str, 'db = "~/presscheck/annotations.json"'),
    "highlight": (str, 'highlight = "underline"'),
    "screen_reader": (bool, "screen_reader = true"),
    "keymap": (dict, '[keymap] then tag_claim = "f2"'),
}
"""Every setting the file may hold: its type and an example line."""
QUOTED_CELLS = 40
"""A value quoted in an error is cut to this many characters."""


@record(frozen=True)
class Preferences:
    """What the settings file (and the environment, and the flags) say."""

    author: str = ""
    """Who is annotating; empty: the database's, else the app asks."""
    theme: str = ""
    """A Textual theme's name; empty: Textual's default."""
    db: str = ""
    """The annotation database; empty: DEFAULT_DB."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id → its keys, comma-separated (Textual's `App.set_keymap`)."""
    highlight: str = "default"
    """One of HIGHLIGHTS."""
    screen_reader: bool = False
    """The screen-reader mode (also `--screen-reader`)."""

    def __init__(
        self, author: str = "", theme: str = "", db: str = "", keymap: Mapping[str, str] = FROM_FACTORY,
        highlight: str = "default", screen_reader: bool = False
    ) -> None:
        object.__setattr__(self, "author", author)
        object.__setattr__(self, "theme", theme)
        object.__setattr__(self, "db", db)
        object.__setattr__(self, "keymap", {} if keymap is FROM_FACTORY else keymap)
        object.__setattr__(self, "highlight", highlight)
        object.__setattr__(self, "screen_reader", screen_reader)

def config_path() -> Path:
    """The settings file: $PRESSCHECK_CONFIG, else `config.toml` in the platform's config
    folder for presscheck (~/.config/presscheck on Linux, $XDG_CONFIG_HOME if set)."""
    named = os.environ.get(CONFIG_VARIABLE)
    if named:
        return Path(named).expanduser()
    import platformdirs

    return platformdirs.user_config_path("presscheck") / "config.toml"


def display_line(text: str) -> str:
    """`text` made safe for one line of a terminal; imported only when an error is written:
    every command reads the settings, `presscheck --version` included."""
    from reader.ingest.sanitize import display_line as safe

    return safe(text)


def quoted(value: object) -> str:
    """A value from the file as an error quotes it: in double quotes, on one line, cut short."""
    text = display_line(str(value))
    if len(text) > QUOTED_CELLS:
        text = text[: QUOTED_CELLS - 1] + "…"
    return f'"{text}"'


def where(path: Path) -> str:
    """The file's path as it starts an error line."""
    return display_line(str(path))


def load_preferences(path: Path | None = None) -> Preferences:
    """The settings of `path` (default: `config_path()`); the defaults when it is not there.
    A file that does not read, is not TOML, or holds a setting that is unknown or of the
    wrong kind is a UserError of one line naming the file."""
    path = config_path() if path is None else path
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return Preferences()
    except OSError as error:
        raise UserError(f"{where(path)}: cannot read it ({error.strerror or error}); "
                        f"make it a file you can read, or point {CONFIG_VARIABLE} elsewhere") from error
    import tomllib

    try:
        table = tomllib.loads(blob.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UserError(f"{where(path)}: not UTF-8 text; save it as UTF-8") from error
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{where(path)}: not valid TOML: {error}; "
                        "`presscheck config show` prints a valid file") from error
    return _settings(table, path)


def _settings(table: dict[str, Any], path: Path) -> Preferences:
    for name, value in table.items():
        if name not in SETTINGS:
            raise UserError(f"{where(path)}: {quoted(name)} is not a setting; the settings are "
                            f"{', '.join(SETTINGS)} (`presscheck config show` lists them)")
        kind, example = SETTINGS[name]
        if not isinstance(value, kind):
            expected = {str: "a string in quotes", bool: "true or false", dict: "a table"}[kind]
            raise UserError(f"{where(path)}: {name}: {expected} is expected, like {example}")
    highlight = table.get("highlight", "default")
    if highlight not in HIGHLIGHTS:
        raise UserError(f"{where(path)}: highlight: {quoted(highlight)} is not a highlight style; "
                        f"one of {', '.join(HIGHLIGHTS)}")
    keymap = table.get("keymap", {})
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str):
            raise UserError(f"{where(path)}: keymap: {display_line(binding_id)}: a string of keys is "
                            f'expected, like tag_claim = "f2" or tag_claim = "t,f2"')
    db = table.get("db", "").strip()
    return Preferences(
        author=table.get("author", "").strip(),
        theme=table.get("theme", "").strip(),
        db=str(Path(db).expanduser()) if db else "",
        keymap=dict(keymap),
        highlight=highlight,
        screen_reader=table.get("screen_reader", False),
    )


def overridden(preferences: Preferences, *, db: str | None = None, author: str | None = None,
               environ: Mapping[str, str] | None = None) -> Preferences:
    """`preferences` under the environment's and the command line's: a flag (`db`, `author`)
    beats PRESSCHECK_DB / PRESSCHECK_AUTHOR, which beat the file; the database is then
    always named (DEFAULT_DB at the last)."""
    environ = os.environ if environ is None else environ
    return replace(
        preferences,
        db=db or environ.get(DB_VARIABLE) or preferences.db or str(DEFAULT_DB),
        author=(author or environ.get(AUTHOR_VARIABLE) or preferences.author).strip(),
    )


def toml_string(text: str) -> str:
    """`text` as a TOML basic string that reads back the same: what TOML needs escaped, and
    anything a terminal would not print as it is, as \\u escapes."""
    escaped = []
    for char in json.dumps(text, ensure_ascii=False)[1:-1]:
        code = ord(char)
        if char.isprintable() or char == "\\":
            escaped.append(char)
        elif code > 0xFFFF:
            escaped.append(f"\\U{code:08x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return '"' + "".join(escaped) + '"'
