"""The class heat: how many students marked each passage of the pack's articles. No UI."""

from __future__ import annotations

from collections.abc import Sequence

from reader.classroom.matching import Item
from reader.classroom.submissions import Submission

HeatRuns = list[tuple[int, int, int]]
"""(start, end, students) runs of one article, in text order."""


def heat(submissions: Sequence[Submission]) -> dict[str, HeatRuns]:
    """How many students marked each passage: article id → (start, end, students) runs.

    A student counts once for a character however many of their annotations cover it;
    characters nobody marked are left out. This is the data of a class heat overlay.
    """
    events: dict[str, list[tuple[int, int]]] = {}
    for submission in submissions:
        for article_id, merged in _union_by_article(submission.items).items():
            for start, end in merged:
                events.setdefault(article_id, []).extend(((start, 1), (end, -1)))
    result: dict[str, HeatRuns] = {}
    for article_id, points in events.items():
        points.sort()
        runs: HeatRuns = []
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
