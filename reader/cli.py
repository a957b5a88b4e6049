"""The `presscheck` command line: argument parsing and dispatch, no logic of its own.

Only opening the app imports Textual; `export` and the other commands never load it. The
teacher's commands (`pack`, `compare`, `class`) are parsed in `reader.lesson_cli`; `main`
dispatches to them like to the others, with the same `--debug` and safe output.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__
from reader.config_cli import COMMANDS as CONFIG_COMMANDS
from reader.config_cli import CONFIG_HELP, checked_preferences
from reader.errors import UserError
from reader.gc_policy import hold_collections, settle_after_start_up
from reader.preferences import load_preferences, overridden

if TYPE_CHECKING:
    from reader.store import Store

# `reader.lesson_cli` and `reader.live_lesson_cli` are loaded when one of their commands runs
# (`command_in`): opening the app needs neither, and every start imports this module

LESSON_HELP = """\
  presscheck pack create|check|handout
                               build an exercise pack, list a pack's problems, or write
                               the students' copy of a pack (without its answer key)
  presscheck key LESSON [--from HANDINS ...]
                               write the pack's answer key in the app (saved into the
                               pack); --from lists the class's hand-ins as candidates
  presscheck compare LESSON HANDINS ... [--feedback DIR]
                               score the hand-ins (files, or folders of them) against the
                               pack's answer key (table, or md/json/csv); --feedback
                               writes one report per student and class.md
                               (also: compare KEY STUDENT ... [--pack DIR])
  presscheck class LESSON HANDINS ...
                               the articles with the class's heat overlay and the key
"""
"""The lines `presscheck --help` lists for the teacher's commands (`reader.lesson_cli`)."""
LESSON_COMMAND_NAMES = ("key", "compare", "class", "pack")
"""`reader.lesson_cli.COMMANDS`, named here so that the module is loaded only to run one."""
LIVE_LESSON_COMMAND_NAMES = ("lesson-seat", "lesson-watch")
"""`reader.live_lesson_cli.COMMANDS`: hidden from the help; only `serve --class` runs them."""

COMMANDS_HELP = """\
commands:
  presscheck [PATH ...]        open articles (.txt, .md, folders, packs); with no PATH,
                               the exercise in ./seeds, else the bundled seed exercise
  presscheck export            write annotations as json, w3c (JSON-LD), csv or md
                               (stdout, or -o FILE)
  presscheck import FILE ...   merge exports (json or W3C JSON-LD) into the database
  presscheck db check          validate the database; list problems and orphans
  presscheck db recover        restore the newest backup that reads, with the journal's
                               later changes, keeping the bad file; safe to run again
{lesson}  presscheck serve [PATH ...]  the same app in web browsers, one session per tab
                               (127.0.0.1 only unless --host; then a token is needed)
  presscheck serve LESSON --class [--handins DIR]
                               a live lesson: each student's tab signs in to their own
                               work; the teacher's link shows the class view, live
{config}
Settings: flags beat the environment (PRESSCHECK_DB, PRESSCHECK_AUTHOR), which beats the
settings file (`presscheck config path`). Run `presscheck COMMAND --help` for its options.
""".format(lesson=LESSON_HELP, config=CONFIG_HELP)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the annotation database (env PRESSCHECK_DB, else the settings file's db; default "
        "./annotations/annotations.json)",
    )
    parser.add_argument(
        "--author", metavar="NAME", help="who is annotating (env PRESSCHECK_AUTHOR, else the settings file's)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def db_path(args: argparse.Namespace) -> Path:
    """--db, else PRESSCHECK_DB, else the settings file's db, else ./annotations/annotations.json."""
    return Path(overridden(load_preferences(), db=args.db).db)


def author_override(args: argparse.Namespace) -> str:
    """--author, else PRESSCHECK_AUTHOR, else the settings file's author; may be empty."""
    return overridden(load_preferences(), author=getattr(args, "author", None)).author


def open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck",
        description="Close reading of the news in a terminal.",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="articles, folders or packs")
    _common(parser)
    parser.add_argument("--screen-reader", action="store_true",
                        help="the screen-reader mode (also `screen_reader = true` in the settings file)")
    # `presscheck serve` runs the app with it: every session asks for its student's name
    parser.add_argument("--ask-author", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"presscheck {__version__}")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck export",
        description="Write the database's annotations: json (presscheck's own, with the "
        "articles' text), w3c (W3C Web Annotation JSON-LD), csv (one row per target) or md "
        "(a report grouped by article). The author given with --author (or remembered in "
        "the database) is named as the export's author.",
    )
    parser.add_argument(
        "--format", choices=["json", "w3c", "csv", "md"], default="json", help="output format"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    parser.add_argument(
        "--article", metavar="ID", action="append", help="only this article (repeatable)"
    )
    parser.add_argument(
        "--hand-in", action="store_true",
        help="write NAME-PACK-HASH.json in the current folder: your annotations on the "
        "exercise (--pack, else the pack they are on: ./seeds, the bundled one, or the "
        "folder of the articles you annotated), ready to hand in",
    )
    parser.add_argument("--pack", metavar="DIR", help="the exercise pack, with --hand-in")
    _common(parser)
    return parser


def import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck import",
        description="Merge exports (presscheck json, or W3C Web Annotation JSON-LD from any "
        "tool) into the database, by annotation id: importing a file twice changes nothing. "
        "Annotations are placed on the database's text (moved if it changed, orphaned if "
        "their quote is gone, never dropped). Every file is checked before anything is "
        "written: one bad file and nothing is imported.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="export files")
    parser.add_argument(
        "--pack",
        metavar="DIR",
        help="where to look for articles that W3C annotations name by file name or URL "
        "(default ./seeds, else the bundled seed exercise)",
    )
    _common(parser)
    return parser


def run_open(argv: Sequence[str]) -> int:
    hold_collections()  # until the app's first frame, which settles everything read till then
    args = open_parser().parse_args(argv)
    # `--ask-author`: a session of `presscheck serve`
    preferences = checked_preferences(db=args.db, author=args.author, screen_reader=args.screen_reader,
                                      serve_session=args.ask_author)
    from reader.launch import prepare_session

    # the articles read anew are saved once the app's first frame is drawn
    session = prepare_session(args.paths, Path(preferences.db), preferences.author, ask_author=args.ask_author,
                              defer_writes=True)
    from reader.app import PresscheckApp  # the only place the UI is imported

    try:
        PresscheckApp(session, preferences=preferences).run()
    finally:
        session.save_unsaved()  # the app stopped before its first frame: nothing is lost
        session.store.close()  # fold the journal in: the file alone holds everything
    return 0


def run_export(argv: Sequence[str]) -> int:
    args = export_parser().parse_args(argv)
    from reader.export import render_export, write_export
    from reader.store import Store

    store = Store.open(db_path(args), create=False)
    settle_after_start_up()  # the database is read
    author = author_override(args) or None
    if args.hand_in:
        from reader.classroom.handin import annotated_pack, write_hand_in
        from reader.classroom.pack import default_pack_folder, load_pack

        # no --pack: the pack the annotations are on, never just the default one's name
        pack = load_pack(args.pack) if args.pack else annotated_pack(store, default_pack_folder())
        name = author or str(store.get_meta("author", "") or "")
        done = write_hand_in(store, name, pack, Path.cwd())
        again = " (it replaces your earlier hand-in)" if done.replaced else ""
        print(f"wrote {done.count} annotation(s) to {done.path}{again}; hand in this file", file=sys.stderr)
        _warn_skipped(store)
        return 0
    if args.output:
        target = Path(args.output)
        count = write_export(store, args.format, target, args.article, author)
        print(f"wrote {count} annotation(s) to {target}", file=sys.stderr)
    else:
        from reader.safe_output import write_document

        blob, _ = render_export(store, args.format, args.article, author)
        write_document(blob, args.format)
    _warn_skipped(store)
    return 0


def _warn_skipped(store: Store) -> None:
    """One line on stderr when records that do not read were left out of what was written."""
    problems = store.problems
    if problems:
        print(f"presscheck: warning: {store.path}: {len(problems)} record(s) could not be read and "
              f"were left out (they stay in the file as they are); the first: {problems[0]}; "
              "`presscheck db check` lists them all", file=sys.stderr)


def run_import(argv: Sequence[str]) -> int:
    args = import_parser().parse_args(argv)
    from reader.classroom.pack import default_pack_folder, load_pack_articles
    from reader.export.importing import apply
    from reader.export.reading import read_file
    from reader.ingest.sanitize import display_line
    from reader.store import Store

    # held to the end: what an import makes (the files' records, then the database's) lives
    # till then and holds no cycle, and full collections over a growing heap made an import
    # of 100,000 annotations 30 % slower, and slower per record than one of 10,000
    hold_collections()
    parsed = [read_file(path) for path in args.files]  # all checked before the DB is opened
    store = Store.open(db_path(args), create=True)
    pack = Path(args.pack) if args.pack else default_pack_folder()
    try:
        reports = apply(store, parsed, load_pack_articles(pack))  # read only if needed
    finally:
        store.close()  # fold the journal in: when this exits, the file alone holds everything
    for report in reports:
        for line in report.lines():
            print(display_line(line))
    return 0


def db_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck db",
        description="check: validate every record (one line per problem), and say when the "
        "journal holds changes the file does not have yet. recover: restore the newest backup "
        "that reads, with the journal's changes folded in, keeping the unreadable file aside; "
        "safe to interrupt and run again.",
    )
    parser.add_argument("action", choices=["check", "recover"])
    _common(parser)
    return parser


def run_db(argv: Sequence[str]) -> int:
    args = db_parser().parse_args(argv)
    from reader.ingest.sanitize import display_line
    from reader.maintenance import check_store, recover_database

    path = db_path(args)
    if args.action == "check":
        from reader.store import Store

        store = Store.open(path, create=False)
        settle_after_start_up()  # the database is read
        report = check_store(store)
        for line in report.lines():
            print(display_line(line))
        return 0 if report.ok else 1
    print(display_line(recover_database(path).message()))
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _token(text: str) -> str:
    if len(text) < 8 or not all(c.isascii() and (c.isalnum() or c in "-_.~") for c in text):
        raise argparse.ArgumentTypeError("a token is at least 8 letters, digits or - _ . ~")
    return text


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck serve",
        description="Serve the app (the same PATHs as `presscheck PATH ...`) to web browsers "
        "with textual-serve: each browser tab runs its own presscheck, asks for its student's "
        "name, and saves to the one database. Listens on 127.0.0.1 (this computer) unless "
        "--host says otherwise; then every request needs the access token, which is part of "
        "the printed link to hand out. Ctrl+C stops the server and every session. "
        "With --class, a live lesson on one lesson pack folder: every student's tab is a seat "
        "of the class, and the teacher's own link (printed too, with a token of its own) "
        "opens the class view.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="articles, folders or packs; with --class, the lesson pack folder")
    parser.add_argument(
        "--class", dest="live_class", action="store_true",
        help="a live lesson on the pack PATH: students at the printed link, the teacher at "
        "the teacher's link; the lesson's state is kept in PATH/.class",
    )
    parser.add_argument(
        "--handins", metavar="DIR",
        help="with --class: where the students' hand-ins go (default ./PACK-handins)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for every network of this computer)",
    )
    parser.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument(
        "--token", type=_token,
        help="the access token to require (default: a new random one when --host is not local)",
    )
    parser.add_argument(
        "--max-sessions", type=_max_sessions, default=40, metavar="N",
        help="browser tabs served at once, each its own app process (default 40); "
        "beyond that a tab is told so and no process starts",
    )
    from reader.serve_ready import DEFAULT_READY

    parser.add_argument(
        "--ready", type=_ready, default=None, metavar="N",
        help=f"with --class: student sessions started ahead, waiting at the sign-in screen, so a "
        f"class opening its tabs together is served at once (default {DEFAULT_READY}, at most "
        "--max-sessions; about 20 MB each; 0: each starts when its tab opens)",
    )
    parser.add_argument(
        "--db", metavar="PATH",
        help="the annotation database (env PRESSCHECK_DB, else the settings file's db; default "
        "./annotations/annotations.json)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def _max_sessions(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError("a number of sessions from 1 to 1000")
    return int(text)


def _ready(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError("a number of sessions from 0 to 1000")
    return int(text)


def run_serve(argv: Sequence[str]) -> int:
    args = serve_parser().parse_args(argv)
    # the sessions run with the settings file's theme, keymap and highlight style (never its
    # author or screen-reader mode): a bad file is said once, here, not in every tab
    checked_preferences(serve_session=True)
    from reader.serve import ServeUsageError, serve, serve_class
    from reader.serve_ready import DEFAULT_READY

    try:
        if not args.live_class:
            if args.handins is not None:
                raise ServeUsageError("--handins goes with --class (a live lesson)")
            if args.ready is not None:
                raise ServeUsageError("--ready goes with --class (a live lesson)")
            return serve(args.paths, db_path(args), host=args.host, port=args.port, token=args.token,
                         max_sessions=args.max_sessions, debug=args.debug)
        if args.db is not None:
            raise ServeUsageError("--class gives every student a database of their own (in the "
                                  "lesson's .class folder): leave out --db")
        if len(args.paths) != 1:
            raise ServeUsageError(f"--class takes exactly one PATH, the lesson pack folder (got {len(args.paths)})")
        return serve_class(args.paths[0], args.handins, host=args.host, port=args.port, token=args.token,
                           max_sessions=args.max_sessions, debug=args.debug,
                           ready=DEFAULT_READY if args.ready is None else args.ready)
    except ServeUsageError as error:  # a usage error, as argparse's: exit 2, but one line
        from reader.ingest.sanitize import display_line

        print(f"presscheck serve: error: {display_line(str(error))}", file=sys.stderr)
        return 2


def command_in(module: str, name: str) -> Callable[[Sequence[str]], int]:
    """The command `name` of `module`'s COMMANDS, the module loaded when it runs."""

    def run(argv: Sequence[str]) -> int:
        import importlib

        return importlib.import_module(module).COMMANDS[name](argv)

    return run


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "export": run_export,
    "import": run_import,
    "db": run_db,
    # key, compare, class, pack: the teacher's commands
    **{name: command_in("reader.lesson_cli", name) for name in LESSON_COMMAND_NAMES},
    "serve": run_serve,
    **CONFIG_COMMANDS,  # config path|show|check
    # run by `serve --class` in its sessions, not listed
    **{name: command_in("reader.live_lesson_cli", name) for name in LIVE_LESSON_COMMAND_NAMES},
}


GLOBAL_OPTIONS = {"--db": True, "--author": True, "--debug": False}
"""Options every command takes (True: with a value), also written before the command:
`presscheck --db class.json export` is `presscheck export --db class.json`."""


def command_first(argv: Sequence[str]) -> list[str]:
    """`argv` with the global options written before a command moved after it (before a
    `--`, after which everything is a path); unchanged when no command follows them."""
    leading: list[str] = []
    index = 0
    while index < len(argv):
        name, has_value, _ = argv[index].partition("=")
        if name not in GLOBAL_OPTIONS:
            break
        takes = GLOBAL_OPTIONS[name] and not has_value
        if takes and index + 1 >= len(argv):
            return list(argv)  # `--db` and nothing: the open command's parser says so
        leading += argv[index:index + 1 + takes]
        index += 1 + takes
    if not leading or index >= len(argv) or argv[index] not in COMMANDS:
        return list(argv)
    command, rest = argv[index], list(argv[index + 1:])
    end = rest.index("--") if "--" in rest else len(rest)
    return [command, *rest[:end], *leading, *rest[end:]]


def main(argv: Sequence[str] | None = None) -> int:
    argv = command_first(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    from reader.safe_output import guard_streams, restore_streams

    # everything a command prints may carry someone else's text: no control byte gets out
    streams = guard_streams()
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:])
        return run_open(argv)
    except UserError as error:
        if debug:
            traceback.print_exc()
        from reader.ingest.sanitize import display_line

        print(f"presscheck: {display_line(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `presscheck export | head`: the reader went away; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        restore_streams(streams)
