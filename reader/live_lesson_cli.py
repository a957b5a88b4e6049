"""The two apps `presscheck serve LESSON --class` runs in its sessions, as hidden commands
(`python -m reader lesson-seat|lesson-watch LESSON --handins DIR`): a student's seat, signed
into by name, and the teacher's live class view. Not for typing: `serve --class` runs them."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.errors import UserError


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"presscheck {prog}", description=__doc__)
    parser.add_argument("lesson", metavar="LESSON", help="the lesson pack folder")
    parser.add_argument("--handins", metavar="DIR", required=True, help="where hand-ins are written")
    parser.add_argument("--state", metavar="DIR", help="the lesson's live state (default LESSON/.class)")
    return parser


def _lesson(argv: Sequence[str], prog: str):  # -> LiveLesson
    from reader.classroom.live_lesson import LiveLesson
    from reader.classroom.pack import is_pack, load_pack

    args = _parser(prog).parse_args(argv)
    if not is_pack(Path(args.lesson)):
        raise UserError(f"{args.lesson}: not an exercise pack (no pack.toml)")
    state = Path(args.state) if args.state else None
    return LiveLesson(load_pack(args.lesson), Path(args.handins), state)


def run_seat(argv: Sequence[str]) -> int:
    """A student's session: the sign-in screen, then their own work."""
    from reader.app import PresscheckApp
    from reader.config_cli import checked_preferences

    # the server's settings file: its theme, keymap and highlight style (`serve` checked it)
    preferences = checked_preferences(serve_session=True)
    PresscheckApp(lesson=_lesson(argv, "lesson-seat"), preferences=preferences).run()
    return 0


def run_watch(argv: Sequence[str]) -> int:
    """The teacher's session: the class view of the students' live copies, kept up to date."""
    from reader.app import PresscheckApp
    from reader.classroom.class_view import LiveClass
    from reader.config_cli import checked_preferences
    from reader.launch import watch_session
    from reader.store import Store

    preferences = checked_preferences(serve_session=True)  # as a seat's
    live = LiveClass(_lesson(argv, "lesson-watch"))
    with tempfile.TemporaryDirectory(prefix="presscheck-class-") as scratch:
        # nothing is saved in the class view; the store is a scratch one
        session = watch_session(live, Store.open(Path(scratch) / "class.json"))
        PresscheckApp(session, preferences=preferences).run()
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "lesson-seat": run_seat,
    "lesson-watch": run_watch,
}
"""Hidden from the help: only `serve --class` runs them."""
