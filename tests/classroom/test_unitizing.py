"""Krippendorff's unitizing alpha (αu) against published worked examples and DKPro Statistics.

Reference: DKPro Statistics, github.com/dkpro/dkpro-statistics at commit f7f4f89 (2.3.1 +
#58), ``dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/``:
``Krippendorff2004Test`` (Krippendorff 2004, Content Analysis 2nd ed., p. 254),
``Krippendorff1995Test`` (Krippendorff 1995, Sociological Methodology 25, p. 57) and
``UnitizingAgreementTest`` (DKPro's own example, distances and degenerate studies).

Figures marked "DKPro ran" were printed by DKPro's ``KrippendorffAlphaUnitizingAgreement``
itself (compiled from that commit and run on the same studies), not by this module.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.classroom.matching import Item
from reader.classroom.submissions import Submission
from reader.classroom.unitizing import KINDS, UnitizingStudy, distance, unitizing_agreement

ABS = 1e-3


def study(coders: int, begin: int, length: int, units) -> UnitizingStudy:
    s = UnitizingStudy(coders, length, begin)
    for b, l, r, c in units:
        s.add_unit(b, l, r, c)
    return s


# -- Krippendorff (2004: 254) -------------------------------------------------------------------

K2004 = [
    (225, 70, 0, "c"), (370, 30, 0, "c"),
    (220, 80, 1, "c"), (355, 20, 1, "c"), (400, 20, 1, "c"),
    (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"), (300, 50, 1, "k"),
]  # fmt: skip


def k2004() -> UnitizingStudy:
    return study(2, 150, 300, K2004)


def test_krippendorff_2004_overall():
    assert k2004().alpha() == pytest.approx(0.8591, abs=ABS)


def test_krippendorff_2004_by_category():
    s = k2004()
    assert float(s.observed("c")) == pytest.approx(0.0144, abs=1e-4)
    assert float(s.expected("c")) == pytest.approx(0.0532, abs=1e-4)
    assert s.category_alpha("c") == pytest.approx(0.7286, abs=ABS)
    assert float(s.observed("k")) == pytest.approx(0.0, abs=1e-4)
    assert float(s.expected("k")) == pytest.approx(0.0490, abs=1e-4)
    assert s.category_alpha("k") == pytest.approx(1.0, abs=ABS)


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        # Krippendorff (2004) via DKPro's Krippendorff2004Test
        ([(2, 3, False, 2, 2, True), (5, 6, True, 4, 7, False)], 40),
        ([(3, 2, False, 3, 2, True), (5, 6, True, 5, 6, False)], 40),
        ([(5, 6, True, 4, 2, True)], 26),
        ([(5, 6, True, 5, 2, True)], 16),
        ([(5, 6, True, 6, 2, True)], 10),
        ([(5, 6, True, 7, 2, True)], 8),
        ([(5, 6, True, 6, 4, True)], 2),
        ([(5, 6, True, 5, 6, True)], 0),
        ([(225, 70, True, 220, 80, True)], 50),
        ([(370, 30, True, 355, 20, True)], 850),
        ([(400, 50, False, 400, 20, True)], 400),
        # DKPro's UnitizingAgreementTest
        ([(0, 1, False, 0, 2, False)], 0),
        ([(1, 8, True, 0, 2, False)], 0),
        ([(1, 8, True, 2, 1, True)], 37),
        ([(1, 8, True, 3, 1, False)], 0),
        ([(1, 8, True, 4, 1, True)], 25),
        ([(1, 8, True, 5, 1, False)], 0),
        ([(1, 8, True, 6, 1, True)], 29),
        ([(1, 8, True, 7, 4, False)], 0),
        ([(9, 2, False, 7, 4, False)], 0),
    ],
)
def test_distance(sections, expected):
    assert sum(distance(*s) for s in sections) == expected


# -- Krippendorff (1995: 57): four categories A-D, two coders each ------------------------------


def k1995(stretch: float) -> UnitizingStudy:
    units = [
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
        (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
        (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
        (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]  # fmt: skip
    return study(
        2, 0, int(24 * stretch), [(int(b * stretch), int(l * stretch), r, c) for b, l, r, c in units]
    )


@pytest.mark.parametrize("stretch", [1, 50, 500])
def test_krippendorff_1995_observed(stretch):
    # published; D_O does not change when the whole example is stretched
    s = k1995(stretch)
    for category, d_o in {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}.items():
        assert float(s.observed(category)) == pytest.approx(d_o, abs=1e-4)


@pytest.mark.parametrize(
    ("stretch", "figures", "overall"),
    [
        # DKPro ran: category -> (D_E, αu)
        (1, {"A": (0.064471, 0.515288), "B": (1.089513, -1.081079),
             "C": (0.070031, 0.603348), "D": (0.320796, -0.206849)}, -0.756553),
        (50, {"A": (0.069780, 0.552165), "B": (1.174022, -0.931277),
              "C": (0.090044, 0.691508), "D": (0.412465, 0.061369)}, -0.553871),
    ],
)  # fmt: skip
def test_krippendorff_1995_as_dkpro_computes_it(stretch, figures, overall):
    s = k1995(stretch)
    for category, (d_e, alpha) in figures.items():
        assert float(s.expected(category)) == pytest.approx(d_e, abs=ABS)
        assert s.category_alpha(category) == pytest.approx(alpha, abs=ABS)
    assert s.alpha() == pytest.approx(overall, abs=ABS)


def test_krippendorff_1995_published_expected_within_dkpros_tolerance():
    # The paper's own D_E (and so its αu) is slightly off: DKPro's test notes "a small error in
    # the computation of D_E in the original reference" and checks these figures only to 0.005
    # (D_E) and 0.02 (αu). Same tolerances here; the tight check is the test above.
    s = k1995(1200 / 24)
    published = {"A": (0.06990, 0.553), "B": (1.17731, -0.926), "C": (0.08642, 0.679), "D": (0.41445, 0.066)}
    for category, (d_e, alpha) in published.items():
        assert float(s.expected(category)) == pytest.approx(d_e, abs=0.005)
        assert s.category_alpha(category) == pytest.approx(alpha, abs=0.02)


# -- DKPro's own examples -------------------------------------------------------------------------


def test_dkpro_example():
    # r0: -11111111-   r1: --1-1-1---
    s = study(2, 0, 10, [(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")])
    assert float(s.observed("A")) == pytest.approx(0.9100, abs=1e-4)
    assert float(s.expected("A")) == pytest.approx(0.5351, abs=1e-4)
    assert s.category_alpha("A") == pytest.approx(-0.7003, abs=ABS)


def test_three_coders_as_dkpro_computes_it():
    units = [
        (5, 10, 0, "a"), (30, 8, 0, "a"), (20, 5, 0, "b"),
        (6, 9, 1, "a"), (31, 10, 1, "a"), (18, 6, 1, "b"),
        (4, 12, 2, "a"), (20, 4, 2, "b"), (50, 5, 2, "b"),
    ]  # fmt: skip
    s = study(3, 0, 60, units)
    # DKPro ran
    assert float(s.observed("a")) == pytest.approx(0.016852, abs=1e-5)
    assert float(s.expected("a")) == pytest.approx(0.047917, abs=1e-5)
    assert s.category_alpha("a") == pytest.approx(0.648311, abs=ABS)
    assert s.category_alpha("b") == pytest.approx(0.620064, abs=ABS)
    assert s.alpha() == pytest.approx(0.641707, abs=ABS)


def test_single_unit_is_no_agreement():
    s = study(3, 0, 20, [(0, 1, 0, "X")])
    assert s.alpha() == 0.0


def test_empty_study_is_nan():
    assert math.isnan(UnitizingStudy(3, 20).alpha())


@pytest.mark.parametrize("second", ["A", "B"])
def test_only_zero_length_units_are_no_agreement(second):
    s = study(2, 0, 15, [(0, 0, 0, "A"), (0, 0, 1, second)])
    assert float(s.observed_overall()) == 0.0
    assert float(s.expected_overall()) == 0.0
    assert s.alpha() == 0.0


def test_zero_length_unit_beside_agreeing_units():
    s = study(2, 0, 15, [(0, 0, 0, "A"), (2, 5, 0, "A"), (2, 5, 1, "A")])
    assert s.expected_overall() > 0
    assert s.alpha() == pytest.approx(1.0, abs=ABS)


# -- the study's rules -----------------------------------------------------------------------------


def test_a_coders_units_of_one_category_must_not_overlap():
    s = UnitizingStudy(2, 100)
    s.add_unit(10, 10, 0, "A")
    s.add_unit(20, 5, 0, "A")  # touching is fine
    s.add_unit(12, 5, 0, "B")  # another category is fine
    s.add_unit(12, 5, 1, "A")  # another coder is fine
    with pytest.raises(ValueError, match="overlaps"):
        s.add_unit(15, 10, 0, "A")
    with pytest.raises(ValueError, match="overlaps"):
        s.add_unit(15, 0, 0, "A")


@pytest.mark.parametrize(("begin", "length", "coder"), [(-1, 5, 0), (95, 10, 0), (0, -1, 0), (0, 5, 2)])
def test_units_stay_in_the_study(begin, length, coder):
    with pytest.raises(ValueError):
        UnitizingStudy(2, 100).add_unit(begin, length, coder, "A")


@st.composite
def random_studies(draw):
    coders = draw(st.integers(2, 4))
    length = draw(st.integers(10, 120))
    units = []
    for coder in range(coders):
        for category in draw(st.sets(st.sampled_from("xy"), min_size=1)):
            pos = draw(st.integers(0, length // 3))
            while True:
                size = draw(st.integers(1, max(1, length // 4)))
                if pos + size > length:
                    break
                units.append((pos, size, coder, category))
                pos += size + draw(st.integers(0, length // 4))
    return coders, length, units


@settings(max_examples=60, deadline=None)
@given(random_studies(), st.integers(0, 500), st.randoms(use_true_random=False))
def test_alpha_ignores_where_the_continuum_starts_and_the_coders_order(drawn, shift, rng):
    coders, length, units = drawn
    base = study(coders, 0, length, units)
    order = list(range(coders))
    rng.shuffle(order)
    moved = study(coders, shift, length, [(b + shift, l, order[r], c) for b, l, r, c in units])
    assert moved.alpha() == pytest.approx(base.alpha(), abs=1e-12)
    for category in base.categories:
        assert moved.category_alpha(category) == pytest.approx(base.category_alpha(category), abs=1e-12)


# -- the class's submissions ------------------------------------------------------------------------


def submission(name: str, *items: tuple[str, tuple[tuple[str, int, int], ...]]) -> Submission:
    return Submission(f"{name}.json", name, [Item(kind, spans, tuple("q" for _ in spans)) for kind, spans in items])


def claim(article: str, start: int, end: int) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    return ("claim", ((article, start, end),))


LENGTHS = {"a": 200, "b": 100}


def test_identical_spans_agree_fully():
    same = [claim("a", 10, 40), claim("b", 5, 25), ("note", (("a", 100, 120),))]
    result = unitizing_agreement([submission("Ann", *same), submission("Bob", *same)], LENGTHS)
    assert result["method"] == "krippendorff_unitizing_alpha"
    assert result["alpha_u"] == pytest.approx(1.0)
    assert result["by_kind"]["claim"] == pytest.approx(1.0)
    assert result["by_kind"]["note"] == pytest.approx(1.0)
    assert result["by_kind"]["link"] is None and result["by_kind"]["contradiction"] is None
    assert set(KINDS) <= set(result["by_kind"])
    assert result["students"] == 2 and result["continuum_length"] == 300 and result["units"] == 6


def test_disjoint_spans_disagree():
    result = unitizing_agreement(
        [submission("Ann", claim("a", 10, 40), claim("a", 120, 150)), submission("Bob", claim("a", 60, 90))],
        LENGTHS,
    )
    assert result["alpha_u"] < 0
    assert result["by_kind"]["claim"] == result["alpha_u"]


def test_close_spans_agree_more_than_far_ones():
    close = unitizing_agreement([submission("Ann", claim("a", 10, 40)), submission("Bob", claim("a", 12, 41))], LENGTHS)
    far = unitizing_agreement([submission("Ann", claim("a", 10, 40)), submission("Bob", claim("a", 25, 55))], LENGTHS)
    assert 1 > close["alpha_u"] > 0.8 > far["alpha_u"]


def test_the_published_example_read_as_submissions():
    # Krippendorff (2004: 254) moved to start at 0 on one 300-character article: c as claims,
    # k as notes
    def items(coder: int):
        for b, l, r, c in K2004:
            if r == coder:
                yield ("claim" if c == "c" else "note", (("art", b - 150, b - 150 + l),))

    result = unitizing_agreement([submission("i", *items(0)), submission("j", *items(1))], {"art": 300})
    assert result["alpha_u"] == pytest.approx(0.8591, abs=ABS)
    assert result["by_kind"]["claim"] == pytest.approx(0.7286, abs=ABS)
    assert result["by_kind"]["note"] == pytest.approx(1.0, abs=ABS)


@pytest.mark.parametrize(
    "pieces",
    [
        [claim("a", 10, 30), claim("a", 20, 50)],  # overlapping
        [claim("a", 10, 30), claim("a", 30, 50)],  # touching
        [claim("a", 10, 50), claim("a", 15, 25)],  # one inside the other
        [claim("a", 30, 50), claim("a", 10, 30), claim("a", 10, 30)],  # out of order, twice
    ],
)
def test_a_students_overlapping_or_touching_spans_are_one_unit(pieces):
    result = unitizing_agreement([submission("Ann", *pieces), submission("Bob", claim("a", 10, 50))], LENGTHS)
    assert result["alpha_u"] == pytest.approx(1.0)
    assert result["units"] == 2


def test_spans_of_different_kinds_are_not_merged():
    ann = submission("Ann", claim("a", 10, 30), ("note", (("a", 20, 50),)))
    bob = submission("Bob", claim("a", 10, 30), ("note", (("a", 20, 50),)))
    result = unitizing_agreement([ann, bob], LENGTHS)
    assert result["units"] == 4 and result["alpha_u"] == pytest.approx(1.0)


def test_articles_are_laid_end_to_end():
    # the same offsets on different articles are different places
    result = unitizing_agreement([submission("Ann", claim("a", 10, 40)), submission("Bob", claim("b", 10, 40))], LENGTHS)
    assert result["alpha_u"] < 0
    # ... at the offset of their article, in order of article id
    by_hand = study(2, 0, 300, [(10, 30, 0, "claim"), (200 + 10, 30, 1, "claim")])
    assert result["alpha_u"] == pytest.approx(by_hand.alpha(), abs=1e-12)
    reordered = unitizing_agreement(
        [submission("Ann", claim("a", 10, 40)), submission("Bob", claim("b", 10, 40))], {"b": 100, "a": 200}
    )
    assert reordered["alpha_u"] == result["alpha_u"]


def test_both_ends_of_a_contradiction_are_units():
    both = ("contradiction", (("a", 10, 40), ("b", 50, 80)))
    one_end = ("contradiction", (("a", 10, 40), ("b", 0, 20)))
    same = unitizing_agreement([submission("Ann", both), submission("Bob", both)], LENGTHS)
    half = unitizing_agreement([submission("Ann", both), submission("Bob", one_end)], LENGTHS)
    assert same["units"] == 4 and same["by_kind"]["contradiction"] == pytest.approx(1.0)
    assert half["by_kind"]["contradiction"] < 0.5


def test_a_student_who_marked_nothing_is_a_coder():
    three = unitizing_agreement(
        [submission("Ann", claim("a", 10, 40)), submission("Bob", claim("a", 10, 40)), submission("Cy")], LENGTHS
    )
    assert three["students"] == 3
    assert three["alpha_u"] < 0.8


@pytest.mark.parametrize(
    ("submissions", "lengths", "reason"),
    [
        ([submission("Ann", claim("a", 10, 40))], LENGTHS, "two students"),
        ([], LENGTHS, "two students"),
        ([submission("Ann"), submission("Bob")], LENGTHS, "no student marked"),
        ([submission("Ann", claim("z", 1, 5)), submission("Bob")], LENGTHS, "no student marked"),
        ([submission("Ann", claim("a", 10, 40)), submission("Bob")], {}, "no text"),
    ],
)
def test_undefined_alpha_says_why(submissions, lengths, reason):
    result = unitizing_agreement(submissions, lengths)
    assert result["alpha_u"] is None
    assert all(v is None for v in result["by_kind"].values())
    assert reason in result["note"]


def test_spans_off_the_articles_are_counted_and_clipped():
    ann = submission("Ann", claim("a", 190, 260), claim("z", 0, 10), claim("a", 30, 30))
    bob = submission("Bob", claim("a", 190, 200))
    result = unitizing_agreement([ann, bob], LENGTHS)
    assert result["alpha_u"] == pytest.approx(1.0)  # 190..260 clipped to 190..200; 30..30 no mass
    assert "1 span(s) not on the pack's articles" in result["note"]


def test_many_students_stay_quick():
    rng = random.Random(7)
    students = []
    for n in range(40):
        items = []
        for _ in range(15):
            start = rng.randrange(0, 5000)
            items.append((rng.choice(KINDS), (("a", start, start + rng.randint(5, 200)),)))
        students.append(submission(f"s{n}", *items))
    result = unitizing_agreement(students, {"a": 5000})
    assert result["alpha_u"] is not None and -1.5 < result["alpha_u"] < 1
