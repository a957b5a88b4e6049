"""The `presscheck` command line: argument parsing and dispatch, no logic of its own.

Only opening the app imports Textual; `export` and the other commands never load it.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from reader import __version__
from reader.errors import UserError

DEFAULT_DB = Path("annotations") / "annotations.json"

COMMANDS_HELP = """\
commands:
  presscheck [PATH ...]        open articles (.txt, .md, folders, packs); with no PATH,
                               the exercise in ./seeds, else the bundled seed exercise
  presscheck export            write annotations as json, w3c (JSON-LD), csv or md
                               (stdout, or -o FILE)
  presscheck import FILE ...   merge exports (json or W3C JSON-LD) into the database
  presscheck db check          validate the database; list problems and orphans
  presscheck db recover        restore the newest backup that reads, keeping the bad file

Run `presscheck COMMAND --help` for a command's options.
"""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the annotation database (env PRESSCHECK_DB; default ./annotations/annotations.json)",
    )
    parser.add_argument(
        "--author", metavar="NAME", help="who is annotating (env PRESSCHECK_AUTHOR)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db or os.environ.get("PRESSCHECK_DB") or DEFAULT_DB)


def author_override(args: argparse.Namespace) -> str:
    return (args.author or os.environ.get("PRESSCHECK_AUTHOR") or "").strip()


def open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck",
        description="Close reading of the news in a terminal.",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="articles, folders or packs")
    _common(parser)
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
    args = open_parser().parse_args(argv)
    from reader.launch import prepare_session

    session = prepare_session(args.paths, db_path(args), author_override(args))
    from reader.app import PresscheckApp  # the only place the UI is imported

    PresscheckApp(session).run()
    return 0


def run_export(argv: Sequence[str]) -> int:
    args = export_parser().parse_args(argv)
    from reader.export import render_export, write_export
    from reader.store import Store

    store = Store.open(db_path(args), create=False)
    author = author_override(args) or None
    if args.output:
        target = Path(args.output)
        count = write_export(store, args.format, target, args.article, author)
        print(f"wrote {count} annotation(s) to {target}", file=sys.stderr)
    else:
        blob, _ = render_export(store, args.format, args.article, author)
        sys.stdout.buffer.write(blob)
        sys.stdout.flush()
    return 0


def run_import(argv: Sequence[str]) -> int:
    args = import_parser().parse_args(argv)
    from reader.classroom.pack import default_pack_folder
    from reader.export.importing import apply, read_file
    from reader.ingest.sanitize import display_line
    from reader.store import Store

    parsed = [read_file(path) for path in args.files]  # all checked before the DB is opened
    store = Store.open(db_path(args), create=True)
    pack = Path(args.pack) if args.pack else default_pack_folder()
    for report in apply(store, parsed, pack):
        for line in report.lines():
            print(display_line(line))
    return 0


def db_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck db", description="Check the database, or recover it from a backup."
    )
    parser.add_argument("action", choices=["check", "recover"])
    _common(parser)
    return parser


def run_db(argv: Sequence[str]) -> int:
    args = db_parser().parse_args(argv)
    from reader.ingest.sanitize import display_line
    from reader.maintenance import check_database, recover_database

    path = db_path(args)
    if args.action == "check":
        report = check_database(path)
        for line in report.lines():
            print(display_line(line))
        return 0 if report.ok else 1
    restored, aside = recover_database(path)
    kept = f"; the unreadable file is kept as {aside}" if aside else ""
    print(f"restored {path} from {restored.name}{kept}")
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "export": run_export,
    "import": run_import,
    "db": run_db,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:])
        return run_open(argv)
    except UserError as error:
        if debug:
            traceback.print_exc()
        print(f"presscheck: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `presscheck export | head`: the reader went away; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
