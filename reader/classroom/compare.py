"""Score students' exports against an answer key, and measure how much a class agrees. No UI.

The pipeline of `presscheck compare` and `presscheck class` (DESIGN.md "Classroom"): each
file is read onto the pack's articles (`submissions`), its items are paired with the key's
(`matching`) and scored (`scores`); the class's agreement closes the report, which
`report_formats` writes as JSON, CSV or Markdown: on which key items the students found
(`agreement`, nominal alpha) and on where their passages start and end (`unitizing`, αu,
under the agreement's ``"unitizing"`` key).

A student file that can't be read, is empty, or annotates none of the pack's articles is
skipped with a reason; the others are still scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.classroom.agreement import class_agreement
from reader.classroom.matching import DEFAULT_THRESHOLD, Item, check_threshold
from reader.classroom.scores import StudentScore, score_student
from reader.classroom.submissions import Submission, SubmissionReader
from reader.errors import UserError

REPORT_SCHEMA_VERSION = 1


@dataclass
class Report:
    """What `compare` found: the key's items, each student's scores, the class's agreement,
    and the files it skipped with the reason."""

    key: str
    threshold: float
    key_items: list[Item]
    students: list[StudentScore]
    agreement: dict[str, Any]
    skipped: list[tuple[str, str]]
    submissions: list[Submission] = field(default_factory=list)
    """The scored students' items, in the order of `students` (not in the JSON report)."""

    def found_by(self) -> list[int]:
        return [sum(s.found[i] for s in self.students) for i in range(len(self.key_items))]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "key": self.key,
            "threshold": self.threshold,
            "students": [s.to_report() for s in self.students],
            "items": [
                {"kind": item.kind, "quotes": list(item.quotes), "found_by": count}
                for item, count in zip(self.key_items, self.found_by())
            ],
            "agreement": self.agreement,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }


def compare(
    key_path: str | Path,
    student_paths: Sequence[str | Path],
    pack_folder: str | Path,
    threshold: float = DEFAULT_THRESHOLD,
    reader: SubmissionReader | None = None,
) -> Report:
    """Score every student file against the key file; a bad key raises a UserError.
    `reader` (of the same pack) is one kept between runs, such as a live lesson's."""
    check_threshold(threshold)
    pack_reader = reader or SubmissionReader(Path(pack_folder))
    key_path = Path(key_path)
    key, off_pack = pack_reader.read(key_path)
    if off_pack:
        raise UserError(
            f"{key_path}: {off_pack} key item(s) are not on the articles of the pack "
            f"{pack_folder}; give the exercise's pack with --pack"
        )
    if not key.items:
        raise UserError(f"{key_path}: the answer key has no items")
    submissions, skipped = pack_reader.read_students(student_paths)
    students = [score_student(key.items, submission, threshold) for submission in submissions]
    # the pack's texts as the reader already holds them: the pack is read once
    lengths = {article_id: len(article.text) for article_id, article in pack_reader.library.pack.items()}
    return Report(
        str(key_path), threshold, key.items, students,
        class_agreement([s.found for s in students], submissions, lengths), skipped, submissions,
    )
