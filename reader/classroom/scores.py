"""A student's scores against the key: precision, recall and F1, per kind and overall. No UI.

Precision = matched / student items, recall = matched / key items, F1 their harmonic
mean; overall is micro-averaged over all kinds. A kind absent from both key and student
scores 1.0; a ratio with nothing below the line otherwise scores 0.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.classroom.matching import Item, match
from reader.classroom.submissions import Submission
from reader.model import KINDS


@dataclass
class KindScore:
    """One kind's scores for one student, and the items behind them."""

    precision: float
    recall: float
    f1: float
    matched: int
    missed: list[Item] = field(default_factory=list)
    extra: list[Item] = field(default_factory=list)

    def to_report(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "matched": self.matched,
            "missed": [i.to_report() for i in self.missed],
            "extra": [i.to_report() for i in self.extra],
        }


@dataclass
class StudentScore:
    """One student's scores: per kind, overall (P, R, F1), and which key items they found."""

    file: str
    author: str
    kinds: dict[str, KindScore]
    overall: tuple[float, float, float]
    found: list[bool]
    """For each key item, whether this student matched it."""

    def to_report(self) -> dict[str, Any]:
        p, r, f = self.overall
        return {
            "file": self.file,
            "author": self.author,
            "kinds": {kind: score.to_report() for kind, score in self.kinds.items()},
            "overall": {"precision": p, "recall": r, "f1": f},
        }


def _ratio(top: int, bottom: int) -> float:
    return top / bottom if bottom else 0.0


def prf(matched: int, n_student: int, n_key: int) -> tuple[float, float, float]:
    """Precision, recall, F1; 1.0 each when both sides are empty."""
    if n_student == 0 and n_key == 0:
        return 1.0, 1.0, 1.0
    p, r = _ratio(matched, n_student), _ratio(matched, n_key)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_student(key: Sequence[Item], submission: Submission, threshold: float) -> StudentScore:
    """Match `submission` against the key and score it."""
    pairs = match(key, submission.items, threshold)
    used = set(pairs.values())
    kinds: dict[str, KindScore] = {}
    for kind in KINDS:
        key_of = [i for i, item in enumerate(key) if item.kind == kind]
        student_of = [i for i, item in enumerate(submission.items) if item.kind == kind]
        matched = sum(1 for i in key_of if i in pairs)
        p, r, f = prf(matched, len(student_of), len(key_of))
        kinds[kind] = KindScore(
            p, r, f, matched,
            missed=[key[i] for i in key_of if i not in pairs],
            extra=[submission.items[i] for i in student_of if i not in used],
        )
    overall = prf(len(pairs), len(submission.items), len(key))
    return StudentScore(
        submission.file, submission.author, kinds, overall, [i in pairs for i in range(len(key))]
    )
