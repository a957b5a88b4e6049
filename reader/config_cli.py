"""`presscheck config path|show|check`, and the settings every command that opens the app
runs with: the file's (`reader/preferences.py`), checked against the app's bindings and
themes (`reader/keymap.py`), under the environment's and the flags'.

Nothing here imports the UI until a keymap or a theme has to be checked, or `show` lists
the app's bindings: `export` and the other commands read the file without loading Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reader.preferences import (
    HIGHLIGHTS,
    Preferences,
    config_path,
    load_preferences,
    overridden,
    toml_string,
    where,
)

CONFIG_HELP = """\
  presscheck config path|show|check
                               the settings file (author, theme, database, keymap,
                               highlight style, screen reader): where it is, the settings
                               in force with every key binding id, or whether it is valid
"""
"""The lines `presscheck --help` lists for the command."""
COMMENT_WIDTH = 78


def checked_preferences(*, db: str | None = None, author: str | None = None, screen_reader: bool = False,
                        serve_session: bool = False) -> Preferences:
    """The settings the app runs with: the file's, checked, under PRESSCHECK_DB and
    PRESSCHECK_AUTHOR, under the flags (`db`, `author`, `screen_reader`). A session of
    `presscheck serve` (`serve_session`) takes neither the file's author (each student names
    themself) nor its screen-reader mode (the sessions are read in browsers); it takes its
    theme, keymap and highlight style."""
    path = config_path()
    preferences = load_preferences(path)
    if serve_session:
        preferences = replace(preferences, author="", screen_reader=False)
    preferences = overridden(preferences, db=db, author=author)
    if preferences.keymap or preferences.theme:
        from reader.keymap import checked

        preferences = checked(preferences, path)
    return replace(preferences, screen_reader=preferences.screen_reader or screen_reader)


def config_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck config",
        description="path: where the settings file is (PRESSCHECK_CONFIG, else the platform's "
        "config folder), there or not. show: the settings in force, the environment's and the "
        "flags' included, as TOML, with every key binding id, its keys and what it does: copy "
        "the lines to change into the file. check: whether the file is valid (exit 1 and one "
        "line saying what to fix when not).",
    )
    parser.add_argument("action", choices=["path", "show", "check"])
    parser.add_argument("--db", metavar="PATH", help="as every command takes it: shown by `show`")
    parser.add_argument("--author", metavar="NAME", help="as every command takes it: shown by `show`")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def run_config(argv: Sequence[str]) -> int:
    args = config_parser().parse_args(argv)
    path = config_path()
    if args.action == "path":
        print(path)
        return 0
    if args.action == "check":
        from reader.keymap import checked

        checked(load_preferences(path), path)
        there = "" if path.exists() else " (not there: presscheck runs with its defaults)"
        print(f"{where(path)}: ok{there}")
        return 0
    preferences = checked_preferences(db=args.db, author=args.author)
    sys.stdout.write(render_settings(preferences, path))
    return 0


def render_settings(preferences: Preferences, path: Path) -> str:
    """`preferences` as a settings file that reads back the same, every binding id listed
    with its keys now and what it does (comments say what each setting is)."""
    from reader.keymap import keymap_rows, theme_names

    source = where(path) + ("" if path.exists() else " (not there yet)")
    lines = [
        *_comment(f"presscheck's settings in force: the file {source}, under PRESSCHECK_DB "
                  "and PRESSCHECK_AUTHOR, under the flags. Copy into the file the lines to change."),
        "",
        "# who is annotating (empty: the name the database remembers, else asked)",
        f"author = {toml_string(preferences.author)}",
        *_comment(f"a theme (empty: Textual's default): {', '.join(theme_names())}"),
        f"theme = {toml_string(preferences.theme)}",
        "# the annotation database (a relative path is taken from the current folder)",
        f"db = {toml_string(preferences.db)}",
        "# how annotations are drawn:",
        *(line for name, what in HIGHLIGHTS.items() for line in _comment(f"  {name}: {what}")),
        f"highlight = {toml_string(preferences.highlight)}",
        "# the screen-reader mode (also --screen-reader)",
        f"screen_reader = {'true' if preferences.screen_reader else 'false'}",
        "",
        "[keymap]",
        '# binding id = "its keys, comma-separated", as Textual names them:',
        '# "f2", "ctrl+t", "T" (Shift+T), "question_mark", "space", "comma"',
    ]
    for title, rows in keymap_rows(preferences.keymap):
        lines += ["", f"# {title}"]
        lines += [f"{binding_id} = {toml_string(keys)}  # {what}" for binding_id, keys, what in rows]
    return "\n".join(lines) + "\n"


def _comment(text: str) -> list[str]:
    """`text` as TOML comment lines of at most COMMENT_WIDTH characters."""
    import textwrap

    return textwrap.wrap(text, COMMENT_WIDTH, initial_indent="# ", subsequent_indent="#   ", break_on_hyphens=False)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"config": run_config}
"""`presscheck config`, as `reader.cli.main` dispatches it."""
