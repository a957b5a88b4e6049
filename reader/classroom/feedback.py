"""Feedback after `compare --feedback DIR`: one Markdown file per scored student, and
`class.md` for the teacher. No UI.

A student's file holds their scores, what they found and what they missed (each key item
with its quotes and the key's "why", the key item's note), and what they marked that the
key lacks (their own quotes, tags and note). `class.md` holds the scores table, how many
students found each key item, with its why, and the class's agreement figures: the nominal
alpha on found/missed key items and αu on where passages start and end, each in words,
then every figure the report's agreement holds.

Everything in these files came from someone else's file (names, quotes, notes, tags), so
each piece of it is one line with control characters made visible (`display_line`) and
Markdown's punctuation escaped: a name such as `# [x](javascript:…)` reads as those
characters, never as a heading or a link. File names come from `slug` and `author_hash`,
so they stay inside DIR and two students whose names look alike get two files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.classroom.agreement import UNITIZING, unitizing_kinds
from reader.classroom.compare import Report
from reader.classroom.handin import author_hash, slug
from reader.classroom.matching import Item
from reader.classroom.scores import StudentScore
from reader.errors import UserError
from reader.ingest.sanitize import display_line
from reader.model import KINDS

CLASS_FILE = "class.md"
QUOTE_LIMIT = 300
"""Characters of a quote shown in feedback (a whole article marked is cut, on a word)."""
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~&])")
"""Markdown's inline punctuation: emphasis, code, links, HTML and entities, tables, and
the `#` that would close a heading."""


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut to at most `limit` characters on a word boundary with "…";
    a single word longer than that is cut inside with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if text[len(cut)] != " ":  # the cut falls inside a word: go back to the word's start
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def md(text: str) -> str:
    """Untrusted text as inline Markdown: one line, controls visible, punctuation escaped."""
    return _MARKDOWN.sub(r"\\\1", display_line(" ".join(text.split())))


def _quotes(item: Item) -> str:
    return " ⟷ ".join(f"“{md(shorten(q, QUOTE_LIMIT))}”" for q in item.quotes)


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def feedback_file_names(students: Iterable[StudentScore]) -> list[str]:
    """One file name per student, in order: `NAME-HASH.md`, `-2`, `-3` … added when the
    same name comes twice (a student who handed in two files)."""
    names: list[str] = []
    taken = {CLASS_FILE}
    for student in students:
        base = f"{slug(student.author, fallback='student')}-{author_hash(student.author)}"
        name, n = f"{base}.md", 1
        while name in taken:
            n += 1
            name = f"{base}-{n}.md"
        taken.add(name)
        names.append(name)
    return names


# ---------------------------------------------------------------------- a student's file


def _item_lines(n: int, item: Item, details: list[tuple[str, str]], aside: str = "") -> list[str]:
    """A numbered item with its quotes, then one sub-item per detail that has a value."""
    head = f"{n}. "
    lines = [f"{head}**{md(item.kind)}**{aside}: {_quotes(item)}"]
    for label, value in details:
        if value:
            lines.append(f"{' ' * len(head)}- {label}: {value}")
    return lines


def _key_item_lines(n: int, item: Item, aside: str = "") -> list[str]:
    return _item_lines(n, item, [
        ("Tags", ", ".join(md(t) for t in item.tags)),
        ("Relation", md(item.relation)),
        ("Why", md(item.note)),
    ], aside)


def _extra_item_lines(n: int, item: Item) -> list[str]:
    return _item_lines(n, item, [
        ("Your tags", ", ".join(md(t) for t in item.tags)),
        ("Your relation", md(item.relation)),
        ("Your note", md(item.note)),
    ])


def student_feedback(report: Report, index: int) -> str:
    """The Markdown feedback for `report.students[index]`."""
    student = report.students[index]
    key = report.key_items
    found = [item for item, hit in zip(key, student.found) if hit]
    missed = [item for item, hit in zip(key, student.found) if not hit]
    extra = [item for kind in KINDS for item in student.kinds[kind].extra]
    p, r, f = student.overall
    lines = [
        f"# Feedback for {md(student.author)}",
        "",
        f"Your hand-in: {md(Path(student.file).name)}. The answer key has {len(key)} item(s); "
        f"one of yours matches a key item when the kinds agree and the passages overlap "
        f"(character overlap at least {report.threshold:g}; both ends for contradictions and links).",
        "",
        "## Your scores",
        "",
        "| | precision | recall | F1 | key items found |",
        "|---|---|---|---|---|",
        f"| **overall** | {_fmt(p)} | {_fmt(r)} | {_fmt(f)} | {len(found)} of {len(key)} |",
    ]
    for kind in KINDS:
        score = student.kinds[kind]
        of_kind = sum(1 for item in key if item.kind == kind)
        lines.append(
            f"| {kind} | {_fmt(score.precision)} | {_fmt(score.recall)} | {_fmt(score.f1)} | "
            f"{score.matched} of {of_kind} |"
        )
    lines += ["", f"## What you found ({len(found)} of {len(key)})", ""]
    lines += _numbered(found, _key_item_lines, "None of the key's items yet.")
    lines += ["", f"## What you missed ({len(missed)})", ""]
    lines += _numbered(missed, _key_item_lines, "Nothing: you found every key item.")
    lines += ["", f"## What you marked that the key lacks ({len(extra)})", ""]
    if extra:
        lines += [
            "These are not wrong by themselves: talk them over, the key may have missed something.",
            "",
        ]
    lines += _numbered(extra, _extra_item_lines, "Nothing: every item you marked is in the key.")
    return "\n".join(lines) + "\n"


def _numbered(items: list[Item], render: Any, empty: str) -> list[str]:
    if not items:
        return [empty]
    lines: list[str] = []
    for n, item in enumerate(items, start=1):
        lines += render(n, item)
    return lines


# ---------------------------------------------------------------------------- class.md


def _figure(value: Any) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return md(str(value))


def _agreement_lines(agreement: dict[str, Any], depth: int = 0) -> list[str]:
    """Every figure the report's agreement holds, as nested list items (new figures, such
    as a unitizing one under its own key, are listed as they come)."""
    lines: list[str] = []
    indent = "  " * depth
    for name, value in agreement.items():
        if value == "" or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines.append(f"{indent}- {md(str(name))}:")
            lines += _agreement_lines(value, depth + 1)
        else:
            lines.append(f"{indent}- {md(str(name))}: {_figure(value)}")
    return lines


def _unitizing_lines(unitizing: Any) -> list[str]:
    """αu in words: over all kinds and per kind, or why it is undefined."""
    if not isinstance(unitizing, dict) or "alpha_u" not in unitizing:
        return []
    alpha_u = unitizing["alpha_u"]
    line = (
        "Krippendorff's unitizing alpha (αu) on where the students' passages start and end "
        "(the articles end to end, each kind a category): " + _figure(alpha_u)
    )
    kinds = unitizing_kinds(unitizing, digits=3, undefined="undefined")
    if alpha_u is not None and kinds:
        line += f" — {md(kinds)}"
    note = unitizing.get("note")
    if isinstance(note, str) and note:
        line += f". Note: {md(note)}"
    return [line + ".", ""]


def class_feedback(report: Report, names: list[str] | None = None) -> str:
    """The teacher's `class.md`: scores, who found each key item (with its why), agreement."""
    total = len(report.students)
    names = names or feedback_file_names(report.students)
    lines = [
        "# Class feedback",
        "",
        f"Answer key: {md(report.key)} ({len(report.key_items)} items); a match needs a "
        f"character overlap of at least {report.threshold:g}. {total} student(s) scored.",
        "",
        "## Scores",
        "",
        "| student | hand-in | " + " | ".join(f"{kind} F1" for kind in KINDS)
        + " | precision | recall | F1 | found | feedback |",
        "|---|---|" + "---|" * (len(KINDS) + 5),
    ]
    for student, name in zip(report.students, names):
        p, r, f = student.overall
        lines.append(
            f"| {md(student.author)} | {md(Path(student.file).name)} | "
            + " | ".join(_fmt(student.kinds[kind].f1) for kind in KINDS)
            + f" | {_fmt(p)} | {_fmt(r)} | {_fmt(f)} | {sum(student.found)}/{len(report.key_items)}"
            f" | [{name}]({name}) |"
        )
    lines += ["", "## Key items: who found them", ""]
    for n, (item, count) in enumerate(zip(report.key_items, report.found_by()), start=1):
        lines += _key_item_lines(n, item, aside=f" (found by {count}/{total})")
    lines += ["", "## Agreement", ""]
    alpha = report.agreement.get("alpha")
    if "alpha" in report.agreement:
        lines += [
            "Krippendorff's alpha (nominal) over students × key items, found or missed: "
            + (f"{alpha:.3f}" if isinstance(alpha, (int, float)) else "undefined"),
            "",
        ]
    lines += _unitizing_lines(report.agreement.get(UNITIZING))
    lines += _agreement_lines(report.agreement) or ["No agreement figures."]
    if report.skipped:
        lines += ["", "## Skipped files", ""]
        lines += [f"- {md(file)}: {md(reason)}" for file, reason in report.skipped]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Feedback:
    """What `write_feedback` wrote."""

    folder: Path
    students: list[Path]
    class_file: Path

    def summary(self) -> str:
        n = len(self.students)
        return f"wrote feedback for {n} student{'s' if n != 1 else ''} and {CLASS_FILE} to {self.folder}"


def write_feedback(report: Report, folder: str | Path) -> Feedback:
    """Write every scored student's feedback and `class.md` into `folder` (made if missing),
    each file whole or not at all; an earlier run's files of the same names are replaced."""
    from reader.atomic_write import write_atomically

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: is a file, not a folder; give --feedback a folder")
    names = feedback_file_names(report.students)
    documents = {name: student_feedback(report, i) for i, name in enumerate(names)}
    documents[CLASS_FILE] = class_feedback(report, names)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in documents.items():
            write_atomically(folder / name, text.encode("utf-8"), 0o644)
    except OSError as error:
        raise UserError(f"{folder}: cannot write the feedback ({error.strerror or error})") from None
    return Feedback(folder, [folder / name for name in names], folder / CLASS_FILE)
