"""Score students' exports against an answer key, and measure how much a class agrees. No UI.

Matching (DESIGN.md "Classroom"):

- A student's annotation matches a key item when the kinds agree and the spans overlap
  enough: the character IoU (intersection over union of the two ``[start, end)`` spans,
  same article) is at least ``threshold`` (default ``DEFAULT_THRESHOLD`` = 0.5, so a span
  must cover at least half of the union of both: a whole paragraph marked for a
  one-sentence key item does not match, the sentence give or take a few characters does).
- Contradictions and links have two ends; both must match, in either order. Their score
  is the smaller IoU of the two ends, in the order that fits best.
- One key item matches at most one student item and the other way round: candidate pairs
  at or above the threshold are taken greedily, best score first (ties: key order, then
  student order). That is not a maximum matching in theory, but with spans that overlap
  this rarely differs and it is easy to explain.

Scores, per kind and overall (micro-averaged over all kinds): precision = matched /
student items, recall = matched / key items, F1 their harmonic mean. A kind absent from
both key and student scores 1.0; a ratio with nothing below the line otherwise scores 0.0.

Agreement: Krippendorff's alpha (nominal, package ``krippendorff``) on the students ×
key items matrix of found (1) / not found (0). It needs two students and some variation;
otherwise it is reported as ``null`` with the reason.

Input files are native presscheck exports or W3C Web Annotation JSON-LD from any tool;
quote-only targets are placed by quote against the pack's articles
(``reader.export.importing``). A student file that can't be read, is empty, or annotates
none of the pack's articles is skipped with a reason; the others are still scored.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.errors import UserError
from reader.model import KINDS, Annotation

DEFAULT_THRESHOLD = 0.5
"""Character IoU at or above which two spans are the same passage (0 < t <= 1)."""
REPORT_SCHEMA_VERSION = 1

Span = tuple[str, int, int]
"""(article id, start, end) in code points of the article's canonical text."""


@dataclass(frozen=True)
class Item:
    """One annotation reduced to what is scored: its kind and where its ends are."""

    kind: str
    spans: tuple[Span, ...]
    quotes: tuple[str, ...]
    note: str = ""

    def to_report(self) -> dict[str, Any]:
        return {"kind": self.kind, "quotes": list(self.quotes), "note": self.note}


@dataclass
class Submission:
    """A read export: whose it is and its items on the pack's articles."""

    file: str
    author: str
    items: list[Item]


@dataclass
class KindScore:
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


@dataclass
class Report:
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


# --------------------------------------------------------------------------- matching


def span_iou(a: Span, b: Span) -> float:
    """Character intersection over union of two spans; 0.0 on different articles."""
    if a[0] != b[0]:
        return 0.0
    inter = min(a[2], b[2]) - max(a[1], b[1])
    if inter <= 0:
        return 0.0
    union = max(a[2], b[2]) - min(a[1], b[1])
    return inter / union


def item_score(key: Item, student: Item) -> float:
    """How well `student` covers `key` (0..1): IoU, the weaker end for two-ended items."""
    if key.kind != student.kind or len(key.spans) != len(student.spans):
        return 0.0
    if len(key.spans) == 1:
        return span_iou(key.spans[0], student.spans[0])
    (k0, k1), (s0, s1) = key.spans, student.spans
    return max(
        min(span_iou(k0, s0), span_iou(k1, s1)),
        min(span_iou(k0, s1), span_iou(k1, s0)),
    )


def match(key: Sequence[Item], student: Sequence[Item], threshold: float) -> dict[int, int]:
    """Key index → student index, greedy by best score, each used at most once.

    Only pairs that can score above 0 are scored: a student item whose kind and number of
    ends are the key item's and one of whose spans overlaps the key item's first span
    (found by bisecting spans sorted by start), so a key against 10k items is not 10k
    comparisons per key item."""
    candidates = []
    for k, s in _overlapping_pairs(key, student):
        score = item_score(key[k], student[s])
        if score >= threshold and score > 0:
            candidates.append((-score, k, s))
    candidates.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, k, s in candidates:
        if k not in pairs and s not in used:
            pairs[k] = s
            used.add(s)
    return pairs


def _overlapping_pairs(key: Sequence[Item], student: Sequence[Item]) -> list[tuple[int, int]]:
    """(key index, student index) for every student item that shares a key item's kind and
    number of ends and has a span overlapping the key item's first span, in index order."""
    groups: dict[tuple[str, int, str], list[tuple[int, int, int]]] = {}
    for s, item in enumerate(student):
        for article, start, end in item.spans:
            groups.setdefault((item.kind, len(item.spans), article), []).append((start, end, s))
    index = {
        group: ([start for start, _, _ in entries], max(end - start for start, end, _ in entries), entries)
        for group, entries in ((g, sorted(e)) for g, e in groups.items())
    }
    pairs: list[tuple[int, int]] = []
    for k, item in enumerate(key):
        if not item.spans:
            continue
        article, start, end = item.spans[0]
        found = index.get((item.kind, len(item.spans), article))
        if found is None:
            continue
        starts, longest, entries = found
        low, high = bisect.bisect_left(starts, start - longest), bisect.bisect_left(starts, end)
        near = sorted({s for s_start, s_end, s in entries[low:high] if s_end > start})
        pairs.extend((k, s) for s in near)
    return pairs


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


def agreement(found: Sequence[Sequence[bool]]) -> dict[str, Any]:
    """Krippendorff's alpha (nominal) over students × key items, found or not."""
    result: dict[str, Any] = {
        "method": "krippendorff_alpha",
        "level": "nominal",
        "data": "students x key items, found (1) or missed (0)",
        "students": len(found),
        "items": len(found[0]) if found else 0,
        "alpha": None,
        "note": "",
    }
    values = {v for row in found for v in row}
    if len(found) < 2:
        result["note"] = "needs at least two students"
    elif not result["items"]:
        result["note"] = "the key has no items"
    elif len(values) < 2:
        result["note"] = "every student gave the same answer on every item; alpha is undefined"
    else:
        import krippendorff
        import numpy

        data = numpy.array([[1.0 if v else 0.0 for v in row] for row in found])
        alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        if alpha != alpha:  # NaN: no expected disagreement
            result["note"] = "no variation to measure; alpha is undefined"
        else:
            result["alpha"] = alpha
    return result


# ---------------------------------------------------------------------------- reading


class _Placer:
    """Places an export's targets on the pack's articles (reusing the importer's rules)."""

    def __init__(self, pack_folder: Path) -> None:
        from reader.classroom.pack import load_pack
        from reader.export.importing import Library
        from reader.ingest import load_article

        self.pack = load_pack(pack_folder)  # a broken pack is the teacher's error: raise
        articles = [load_article(path) for path in self.pack.articles]
        self.pack_ids = {a.id for a in articles}
        self.library = Library([], None)
        self.library._pack = {a.id: a for a in articles}

    def read(self, path: Path) -> tuple[Submission, int]:
        """The submission in `path`, and how many annotations are not on the pack."""
        from reader.export.importing import _place, read_file

        parsed = read_file(path)
        # the texts an export carries are not used: a target whose article id is not one of
        # the pack's is placed by quote on the pack article of the same file name (another
        # version of it), or else counted as not on the pack
        items: list[Item] = []
        off_pack = 0
        for annotation in parsed.annotations:
            spans: list[Span] = []
            on_pack = True
            for target in annotation.targets:
                placed, status, article = _place(target, self.library, parsed.names)
                if article is None or article.id not in self.pack_ids or status == "waiting":
                    on_pack = False
                spans.append((placed.article_id, placed.start, placed.end))
            if not on_pack:
                off_pack += 1
                continue
            items.append(_item(annotation, spans))
        return Submission(str(path), _author(path, parsed.annotations), items), off_pack


def _item(annotation: Annotation, spans: list[Span]) -> Item:
    return Item(
        annotation.kind,
        tuple(spans),
        tuple(t.quote.exact for t in annotation.targets),
        annotation.note,
    )


def _author(path: Path, annotations: Sequence[Annotation]) -> str:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("author"), str) and data["author"].strip():
        return data["author"].strip()
    names = Counter(a.author for a in annotations if a.author)
    return names.most_common(1)[0][0] if names else path.stem


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        raise UserError(f"threshold {threshold} is not between 0 (excluded) and 1")
    return threshold


def compare(
    key_path: str | Path,
    student_paths: Sequence[str | Path],
    pack_folder: str | Path,
    threshold: float = DEFAULT_THRESHOLD,
) -> Report:
    """Score every student file against the key file; a bad key raises a UserError."""
    check_threshold(threshold)
    placer = _Placer(Path(pack_folder))
    key_path = Path(key_path)
    key, off_pack = placer.read(key_path)
    if off_pack:
        raise UserError(
            f"{key_path}: {off_pack} key item(s) are not on the articles of the pack "
            f"{pack_folder}; give the exercise's pack with --pack"
        )
    if not key.items:
        raise UserError(f"{key_path}: the answer key has no items")
    students: list[StudentScore] = []
    submissions: list[Submission] = []
    skipped: list[tuple[str, str]] = []
    for raw in student_paths:
        path = Path(raw)
        try:
            submission, off_pack = placer.read(path)
        except UserError as error:
            reason = str(error)
            prefix = f"{path}: "
            skipped.append((str(path), reason[len(prefix):] if reason.startswith(prefix) else reason))
            continue
        if not submission.items:
            if off_pack:
                reason = (
                    f"none of its {off_pack} annotation(s) are on the pack's articles "
                    "(an export of another exercise?)"
                )
            else:
                reason = "the export has no annotations"
            skipped.append((str(path), reason))
            continue
        students.append(score_student(key.items, submission, threshold))
        submissions.append(submission)
    return Report(
        str(key_path), threshold, key.items, students,
        agreement([s.found for s in students]), skipped, submissions,
    )


def heat(submissions: Sequence[Submission]) -> dict[str, list[tuple[int, int, int]]]:
    """How many students marked each passage: article id → (start, end, students) runs.

    A student counts once for a character however many of their annotations cover it;
    characters nobody marked are left out. This is the data of a class heat overlay.
    """
    events: dict[str, list[tuple[int, int]]] = {}
    for submission in submissions:
        for article_id, merged in _union_by_article(submission.items).items():
            for start, end in merged:
                events.setdefault(article_id, []).extend(((start, 1), (end, -1)))
    result: dict[str, list[tuple[int, int, int]]] = {}
    for article_id, points in events.items():
        points.sort()
        runs: list[tuple[int, int, int]] = []
        count, at = 0, None
        for position, delta in points:
            if at is not None and position > at and count > 0:
                if runs and runs[-1][1] == at and runs[-1][2] == count:
                    runs[-1] = (runs[-1][0], position, count)
                else:
                    runs.append((at, position, count))
            count += delta
            at = position
        result[article_id] = runs
    return result


def _union_by_article(items: Sequence[Item]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        for article_id, start, end in item.spans:
            if end > start:
                spans.setdefault(article_id, []).append((start, end))
    merged: dict[str, list[tuple[int, int]]] = {}
    for article_id, ranges in spans.items():
        out: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        merged[article_id] = out
    return merged


# ---------------------------------------------------------------------------- writing


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _quote(quotes: Sequence[str], limit: int = 80) -> str:
    out = []
    for q in quotes:
        q = " ".join(q.split())
        out.append(q if len(q) <= limit else q[: limit - 1] + "…")
    return " ⟷ ".join(f"“{q}”" for q in out)


def render_json(report: Report) -> bytes:
    return orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


CSV_COLUMNS = ("file", "author", "kind", "precision", "recall", "f1", "matched", "missed", "extra")


def render_csv(report: Report) -> bytes:
    """One row per student and kind, and one `overall` row per student."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in report.students:
        for kind, k in s.kinds.items():
            writer.writerow(
                [s.file, s.author, kind, f"{k.precision:.4f}", f"{k.recall:.4f}", f"{k.f1:.4f}",
                 k.matched, len(k.missed), len(k.extra)]
            )
        p, r, f = s.overall
        matched = sum(k.matched for k in s.kinds.values())
        missed = sum(len(k.missed) for k in s.kinds.values())
        extra = sum(len(k.extra) for k in s.kinds.values())
        writer.writerow(
            [s.file, s.author, "overall", f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", matched, missed, extra]
        )
    return buffer.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_md(report: Report) -> bytes:
    lines = [
        "# Compare with the answer key",
        "",
        f"Key: `{report.key}` ({len(report.key_items)} items); "
        f"match threshold: character IoU ≥ {report.threshold}.",
        "",
        "## Students",
        "",
        "| student | file | " + " | ".join(f"{k} F1" for k in KINDS) + " | precision | recall | F1 |",
        "|---|---|" + "---|" * (len(KINDS) + 3),
    ]
    for s in report.students:
        p, r, f = s.overall
        lines.append(
            f"| {_cell(s.author)} | {_cell(s.file)} | "
            + " | ".join(_fmt(s.kinds[k].f1) for k in KINDS)
            + f" | {_fmt(p)} | {_fmt(r)} | {_fmt(f)} |"
        )
    lines += ["", "## Key items: who found them", "", "| # | kind | found by | quotes |", "|---|---|---|---|"]
    total = len(report.students)
    for n, (item, count) in enumerate(zip(report.key_items, report.found_by()), start=1):
        lines.append(f"| {n} | {item.kind} | {count}/{total} | {_cell(_quote(item.quotes))} |")
    lines += ["", "## Agreement", ""]
    alpha = report.agreement.get("alpha")
    lines.append(
        "Krippendorff's alpha (nominal, found/missed per key item): "
        + (f"{alpha:.3f}" if alpha is not None else f"undefined ({report.agreement.get('note')})")
    )
    for s in report.students:
        missed = [i for k in s.kinds.values() for i in k.missed]
        extra = [i for k in s.kinds.values() for i in k.extra]
        if not missed and not extra:
            continue
        lines += ["", f"## {s.author} ({s.file})", ""]
        for item in missed:
            why = f" — {item.note}" if item.note else ""
            lines.append(f"- missed {item.kind}: {_quote(item.quotes)}{why}")
        for item in extra:
            lines.append(f"- extra {item.kind}: {_quote(item.quotes)}")
    if report.skipped:
        lines += ["", "## Skipped", ""]
        lines += [f"- `{f}`: {r}" for f, r in report.skipped]
    return ("\n".join(lines) + "\n").encode("utf-8")


RENDERERS = {"json": render_json, "csv": render_csv, "md": render_md}
