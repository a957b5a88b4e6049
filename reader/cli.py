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
  presscheck export            write annotations as JSON (stdout, or -o FILE)

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
        prog="presscheck export", description="Write the database's annotations."
    )
    parser.add_argument("--format", choices=["json"], default="json", help="output format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    parser.add_argument("--article", metavar="ID", action="append", help="only this article")
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
    from reader.export.json_format import build_document, dumps
    from reader.store import Store

    store = Store.open(db_path(args), create=False)
    wanted = set(args.article) if args.article else None
    annotations = store.annotations(wanted)
    if wanted:
        known = {a.id for a in store.articles()}
        unknown = sorted(wanted - known)
        if unknown:
            raise UserError(f"{store.path}: no article with id {', '.join(unknown)}")
    document = build_document(store.articles(), annotations, store.get_meta("author", ""))
    blob = dumps(document)
    if args.output:
        target = Path(args.output)
        try:
            target.write_bytes(blob)
        except OSError as error:
            raise UserError(f"{target}: cannot write the export ({error.strerror})") from None
        print(f"wrote {len(annotations)} annotation(s) to {target}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(blob)
        sys.stdout.flush()
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"export": run_export}


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
