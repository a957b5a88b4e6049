"""A class of 30 generated students with known errors: exact scores and per-item counts.

Each student's plan says, for every key item, what they did with it; the expected scores are
counted from the plan alone, then checked against `compare`'s report.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from classroom_helpers import KEY, SEEDS, respan, write_native, write_w3c_quote_only

from reader.classroom.compare import compare
from reader.model import KINDS

OUTCOMES = ("exact", "jitter", "swap", "duplicate", "miss", "partial", "wrong_kind")
FOUND = {"exact", "jitter", "swap", "duplicate"}
STUDENTS = 30


def plan_for(student: int, n_items: int) -> list[str]:
    rng = random.Random(1000 + student)
    weights = (5, 3, 2, 1, 3, 2, 1) if student % 7 else (0, 0, 0, 0, 10, 1, 1)  # a few weak students
    return rng.choices(OUTCOMES, weights=weights, k=n_items)


def student_annotations(plan, key, articles):
    out = []
    for outcome, item in zip(plan, key):
        spans = [(t.start, t.end) for t in item.targets]
        if outcome == "exact":
            out.append(respan(item, spans, articles))
        elif outcome == "jitter":  # a few characters more or less on each end
            out.append(respan(item, [(s + 2, e + 3) if i % 2 else (max(0, s - 3), e - 2)
                                     for i, (s, e) in enumerate(spans)], articles))
        elif outcome == "swap":
            out.append(respan(replace(item, targets=item.targets[::-1]), spans[::-1], articles))
        elif outcome == "duplicate":  # the same passage twice: one match, one extra
            out.append(respan(item, spans, articles))
            out.append(respan(item, [(s, e - 1) for s, e in spans], articles))
        elif outcome == "partial":  # only the first 40% of the last end: IoU 0.4 < 0.5
            s, e = spans[-1]
            out.append(respan(item, spans[:-1] + [(s, s + (e - s) * 2 // 5)], articles))
        elif outcome == "wrong_kind":  # the right passage, marked as a note
            note = replace(item, kind="note", targets=item.targets[:1], tags=(), relation="")
            out.append(respan(note, spans[:1], articles))
    return out


def expected_scores(plan, key):
    scores = {}
    for kind in KINDS:
        outcomes = [o for o, item in zip(plan, key) if item.kind == kind]
        key_n = len(outcomes)
        matched = sum(o in FOUND for o in outcomes)
        student_n = matched + sum(o in ("partial", "duplicate") for o in outcomes)
        if kind == "note":
            student_n = sum(o == "wrong_kind" for o in plan)
        scores[kind] = (matched, student_n, key_n)
    totals = tuple(sum(v[i] for v in scores.values()) for i in range(3))
    return scores, totals


def prf(matched, student_n, key_n):
    if student_n == 0 and key_n == 0:
        return 1.0, 1.0, 1.0
    p = matched / student_n if student_n else 0.0
    r = matched / key_n if key_n else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def binary_alpha(rows):
    """Krippendorff's nominal alpha for complete binary data, from its coincidence matrix."""
    m = len(rows)
    o = {(a, b): 0.0 for a in (0, 1) for b in (0, 1)}
    for unit in zip(*rows):
        ones = sum(unit)
        zeros = m - ones
        o[1, 1] += ones * (ones - 1) / (m - 1)
        o[0, 0] += zeros * (zeros - 1) / (m - 1)
        o[0, 1] += ones * zeros / (m - 1)
        o[1, 0] += ones * zeros / (m - 1)
    n1, n0 = o[1, 1] + o[1, 0], o[0, 0] + o[0, 1]
    n = n0 + n1
    return 1 - ((o[0, 1] + o[1, 0]) / n) / (2 * n0 * n1 / (n * (n - 1)))


def test_a_class_of_thirty(tmp_path, key, articles):
    plans = [plan_for(s, len(key)) for s in range(STUDENTS)]
    files = []
    for s, plan in enumerate(plans):
        annotations = student_annotations(plan, key, articles)
        name = f"student{s:02d}"
        if s % 5 == 4:  # every fifth student hands in a quote-only W3C file from another tool
            files.append(write_w3c_quote_only(tmp_path / f"{name}.jsonld", annotations, name))
        else:
            files.append(write_native(tmp_path / f"{name}.json", annotations, name))
    assert {o for plan in plans for o in plan} == set(OUTCOMES)  # every kind of error occurs

    report = compare(KEY, files, SEEDS)
    data = report.to_json()
    assert data["skipped"] == []
    assert [s["author"] for s in data["students"]] == [f"student{s:02d}" for s in range(STUDENTS)]
    for plan, student in zip(plans, data["students"]):
        scores, totals = expected_scores(plan, key)
        for kind in KINDS:
            matched, student_n, key_n = scores[kind]
            got = student["kinds"][kind]
            assert got["matched"] == matched, (student["author"], kind)
            assert len(got["missed"]) == key_n - matched
            assert len(got["extra"]) == student_n - matched
            assert (got["precision"], got["recall"], got["f1"]) == pytest.approx(prf(*scores[kind]))
        assert tuple(student["overall"].values()) == pytest.approx(prf(*totals))

    found = [[o in FOUND for o in plan] for plan in plans]
    expected_counts = [sum(row[i] for row in found) for i in range(len(key))]
    assert [item["found_by"] for item in data["items"]] == expected_counts
    assert len(set(expected_counts)) > 3  # the counts really differ between items
    assert data["agreement"]["alpha"] == pytest.approx(binary_alpha(found))
    assert data["agreement"]["students"] == STUDENTS
