"""Which of a student's annotations is which key item: spans, their overlap, and the pairing.
No UI.

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
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reader.errors import UserError

DEFAULT_THRESHOLD = 0.5
"""Character IoU at or above which two spans are the same passage (0 < t <= 1)."""

Span = tuple[str, int, int]
"""(article id, start, end) in code points of the article's canonical text."""


@dataclass(frozen=True)
class Item:
    """One annotation reduced to what is scored: its kind and where its ends are."""

    kind: str
    spans: tuple[Span, ...]
    quotes: tuple[str, ...]
    note: str = ""
    """The annotation's note: for a key item, the "why" shown to students in feedback."""
    tags: tuple[str, ...] = ()
    relation: str = ""
    author: str = ""

    def to_report(self) -> dict[str, Any]:
        return {"kind": self.kind, "quotes": list(self.quotes), "note": self.note}


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


def check_threshold(threshold: float) -> float:
    """`threshold`, or a UserError when it is not in (0, 1]."""
    if not 0 < threshold <= 1:
        raise UserError(f"threshold {threshold} is not between 0 (excluded) and 1")
    return threshold
