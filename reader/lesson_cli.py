"""The teacher's commands on the command line (`pack`, `key`, `compare`, `class`): parsing only, the
work is in `reader/classroom`. `reader.cli` dispatches to `COMMANDS` here, with its global
options, its `--debug` and its safe stdout and stderr.

A lesson in five commands (DESIGN.md "Classroom"): `pack create` → `key LESSON` →
`pack handout LESSON` → students hand in → `compare LESSON HANDINS --feedback DIR` →
`class LESSON HANDINS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import UserError

if TYPE_CHECKING:
    from reader.classroom.compare import Report
    from reader.classroom.lesson import Lesson

_FIRST_HELP = (
    "the lesson's pack (a folder with pack.toml, or a .zip of one): its answer key is the "
    "key; or an answer key export, with --pack for its exercise"
)
_HANDINS_HELP = (
    "hand-in files, or folders of them (every .json and .jsonld file directly in the folder; "
    "other files are listed as skipped)"
)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not in (0, 1]")
    return value


def _scoring_arguments(parser: argparse.ArgumentParser) -> None:
    """LESSON (or KEY), HANDINS..., --threshold, --pack and --debug, as compare and class take them."""
    parser.add_argument("lesson", metavar="LESSON", help=_FIRST_HELP)
    parser.add_argument("handins", nargs="+", metavar="HANDINS", help=_HANDINS_HELP)
    parser.add_argument(
        "--threshold", type=_threshold, default=0.5, metavar="X",
        help="character IoU needed for a match, in (0, 1] (default 0.5)",
    )
    parser.add_argument(
        "--pack", metavar="DIR", help="with an answer key export as the first argument: the "
        "exercise pack the exports annotate (default ./seeds, else the bundled seed exercise)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def _lesson(args: argparse.Namespace) -> Lesson:
    """The key, the pack and the hand-ins the arguments name; skipped files said on stderr."""
    from reader.classroom.lesson import resolve_lesson

    lesson = resolve_lesson(args.lesson, args.handins, args.pack)
    _say_skipped(lesson.skipped)
    return lesson


def _say_skipped(skipped: Sequence[tuple[str, str]]) -> None:
    """One line on stderr for each file not read, with the reason."""
    from reader.ingest.sanitize import display_line

    for file, reason in skipped:
        print(display_line(f"skipped {file}: {reason}"), file=sys.stderr)


def class_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck class",
        usage="presscheck class [-h] LESSON HANDINS [HANDINS ...] [--threshold X]\n"
        "       presscheck class [-h] KEY STUDENT [STUDENT ...] [--pack DIR] [--threshold X]",
        description="Open the exercise's articles with the class's heat overlay (how many "
        "students marked each passage) and the answer key's items in the sidebar, read only.",
    )
    _scoring_arguments(parser)
    _screen_reader_argument(parser)
    return parser


def _screen_reader_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--screen-reader", action="store_true",
                        help="the screen-reader mode (also `screen_reader = true` in the settings file)")


def run_class(argv: Sequence[str]) -> int:
    args = class_parser().parse_args(argv)
    import tempfile

    from reader.classroom.class_view import build_class_view
    from reader.classroom.pack import load_pack
    from reader.config_cli import checked_preferences
    from reader.launch import class_session
    from reader.store import Store

    preferences = checked_preferences(screen_reader=args.screen_reader)  # a bad file: before any work
    lesson = _lesson(args)
    view = build_class_view(lesson.key_path, lesson.handins, lesson.pack_folder, args.threshold)
    pack = load_pack(lesson.pack_folder)
    with tempfile.TemporaryDirectory(prefix="presscheck-class-") as scratch:
        # nothing is saved in the class view; the store is a scratch one
        session = class_session(view, pack, Store.open(Path(scratch) / "class.json"))
        from reader.app import PresscheckApp

        PresscheckApp(session, preferences=preferences).run()
    return 0


def compare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck compare",
        usage="presscheck compare [-h] LESSON HANDINS [HANDINS ...] [--feedback DIR] "
        "[--format {md,json,csv}] [-o FILE] [--threshold X]\n"
        "       presscheck compare [-h] KEY STUDENT [STUDENT ...] [--pack DIR] ...",
        description="Score students' hand-ins (presscheck json or W3C JSON-LD from any tool) "
        "against the lesson pack's answer key (or an answer key export). A student annotation "
        "matches a key item when the kinds agree and the spans' character overlap "
        "(intersection over union) is at least the threshold; contradictions and links must "
        "match at both ends, in either order; a key item matches at most one student item. "
        "Reports precision, recall and F1 per kind and student, what each missed, how many "
        "found each key item, and the class's agreement (Krippendorff's alpha). Files that "
        "can't be scored are listed as skipped.",
    )
    _scoring_arguments(parser)
    parser.add_argument(
        "--format", choices=["md", "json", "csv"], help="write a report in this format "
        "(default: a table on the terminal, or md with -o)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--feedback", metavar="DIR", help="also write one Markdown file per student (scores, "
        "what they found and missed with the key's why, what they marked that the key lacks) "
        "and class.md into DIR (made if missing)",
    )
    return parser


def run_compare(argv: Sequence[str]) -> int:
    args = compare_parser().parse_args(argv)
    from reader.classroom.compare import compare
    from reader.ingest.sanitize import display_line

    lesson = _lesson(args)
    report = compare(lesson.key_path, lesson.handins, lesson.pack_folder, args.threshold)
    report.key = lesson.key_label or report.key
    if not report.students:
        first, reason = report.skipped[0]
        raise UserError(f"no student file could be scored; {first}: {reason}")
    _say_skipped(report.skipped)
    report.skipped = lesson.skipped + report.skipped  # every file not scored, in the reports too
    if args.format is None and not args.output:
        from reader.compare_table import print_compare_table  # Rich: only for the table

        print_compare_table(report)
    else:
        _write_report(report, args.format, args.output)
    if args.feedback:
        from reader.classroom.feedback import write_feedback

        print(display_line(write_feedback(report, Path(args.feedback)).summary()), file=sys.stderr)
    return 0


def _write_report(report: Report, fmt: str | None, output: str | None) -> None:
    """The report as a file (`-o`), or on stdout in `fmt`."""
    from reader.classroom.report_formats import RENDERERS

    blob = RENDERERS[fmt or "md"](report)
    if output:
        from reader.atomic_write import write_atomically

        target = Path(output)
        try:
            write_atomically(target, blob, 0o644)  # a full disk leaves the old report, not half a new one
        except OSError as error:
            raise UserError(f"{target}: cannot write the report ({error.strerror})") from None
        print(f"wrote the report on {len(report.students)} student(s) to {target}", file=sys.stderr)
    else:
        from reader.safe_output import write_document

        write_document(blob, fmt or "md")


def pack_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck pack",
        description="Create an exercise pack, check one for problems, or write the students' copy.",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="create|check|handout")
    create = sub.add_parser(
        "create", help="build a pack (a folder, or DIR.zip) from article files",
        description="Copy article files into a new pack folder (or a .zip when DIR ends in .zip) "
        "and write its pack.toml with the default tag set.",
    )
    create.add_argument("dir", metavar="DIR", help="the new pack folder, or a .zip file")
    create.add_argument("files", nargs="+", metavar="FILE", help="article files")
    create.add_argument("--title", required=True, help="the exercise's title")
    create.add_argument("--instructions", default="", help="what students should do")
    create.add_argument("--key", metavar="FILE", help="an answer key export to include")
    create.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    check = sub.add_parser(
        "check", help="list a pack's problems; exit 1 if any",
        description="Report missing files, key quotes not found in the articles, and tags or "
        "relations the pack does not define; each problem once. Exit 1 if there are problems.",
    )
    check.add_argument("pack", metavar="PACK", help="a pack folder or .zip")
    check.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    handout = sub.add_parser(
        "handout", help="write the students' copy of a pack, without its answer key",
        description="Write the students' copy of the pack LESSON: its pack.toml without the "
        "answer key, and the articles it lists; nothing else of the folder (no key file, no "
        "hidden folders, no hand-ins). An existing output is never replaced.",
    )
    handout.add_argument("lesson", metavar="LESSON", help="the lesson's pack folder or .zip")
    handout.add_argument(
        "-o", "--output", metavar="FILE.zip|DIR",
        help="where to write it: a .zip, or a new folder (default LESSON-handout.zip beside the pack)",
    )
    handout.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def run_pack(argv: Sequence[str]) -> int:
    args = pack_parser().parse_args(argv)
    from reader.ingest.sanitize import display_line

    if args.action == "create":
        from reader.classroom.pack_create import create_pack

        made = create_pack(args.dir, args.title, args.files, args.instructions, args.key)
        print(f"created pack {made} with {len(args.files)} article(s)")
        return 0
    if args.action == "handout":
        from reader.classroom.pack_handout import write_handout

        done = write_handout(args.lesson, args.output)
        key = "without its answer key" if done.had_key else "(the pack has no answer key)"
        print(display_line(f"wrote the students' copy of {args.lesson} to {done.path}: "
                           f"pack.toml and {done.articles} article(s), {key}"), file=sys.stderr)
        return 0
    from reader.classroom.pack_check import check_pack

    problems = check_pack(args.pack)
    for line in problems:
        print(display_line(line))
    if problems:
        print(f"{args.pack}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{args.pack}: ok")
    return 0


def key_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presscheck key",
        description="Open the pack's articles in key mode: what you mark is the pack's answer "
        "key, kept in the pack (its own database in LESSON/.key/, and LESSON/key.json, which "
        "compare and class read, rewritten after every change), never in your own database. "
        "A note on a key item is its \"why\", shown to students in their feedback. With "
        "--from, the sidebar lists the class's candidate items (their annotations grouped by "
        "kind and overlapping passage, with how many marked each); Enter adds one to the key.",
    )
    parser.add_argument("lesson", metavar="LESSON", help="the lesson's pack folder")
    parser.add_argument("--from", dest="handins", nargs="+", metavar="HANDINS", default=[],
                        help=_HANDINS_HELP)
    parser.add_argument(
        "--threshold", type=_threshold, default=0.5, metavar="X",
        help="character IoU at which two marks are the same passage, in (0, 1] (default 0.5)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    _screen_reader_argument(parser)
    return parser


def run_key(argv: Sequence[str]) -> int:
    args = key_parser().parse_args(argv)
    from reader.classroom.key_mode import open_key_mode
    from reader.classroom.lesson import expand_handins
    from reader.classroom.pack import is_pack, load_pack
    from reader.config_cli import checked_preferences
    from reader.ingest.sanitize import display_line
    from reader.launch import key_session

    preferences = checked_preferences(screen_reader=args.screen_reader)  # a bad file: before any work
    if not is_pack(Path(args.lesson)):
        raise UserError(
            f"{args.lesson}: not an exercise pack (no pack.toml); make one with "
            "presscheck pack create LESSON FILE... --title T"
        )
    handins, skipped = expand_handins(args.handins) if args.handins else ([], [])  # none: a UserError
    mode = open_key_mode(load_pack(args.lesson), handins, args.threshold)
    _say_skipped(skipped + mode.skipped)
    from reader.app import PresscheckApp

    PresscheckApp(key_session(mode), preferences=preferences).run()
    key = mode.key
    items = len(key.store.annotations())
    if key.key_file.exists():
        print(display_line(f"the answer key of {args.lesson}: {items} item(s) in {key.key_file}"), file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "key": run_key,
    "compare": run_compare,
    "class": run_class,
    "pack": run_pack,
}
"""The teacher's commands, by name, as `reader.cli.main` dispatches them."""
