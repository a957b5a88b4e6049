"""How much a class agrees on *where* the passages are: Krippendorff's unitizing alpha (αu).
No UI.

Pure Python: no maintained PyPI package computes αu. ``krippendorff`` does only the alpha of
coded units (used by `agreement`); ``pygamma-agreement`` computes gamma, a different
measure whose expected disagreement is sampled from random continua (not deterministic)
and which pulls cvxpy, cvxopt, numba and pyannote; ``krippendorff-unitized-alpha`` is a
single 2022 release (numpy < 2, pytest as a run-time dependency) checked only against its
own figure to 0.01.

The formulas are those of Krippendorff (1995) "On the reliability of unitizing continuous
data", Sociological Methodology 25:47-76, as implemented by DKPro Statistics
(github.com/dkpro/dkpro-statistics, ``dkpro-statistics-agreement``, class
``org.dkpro.statistics.agreement.unitizing.KrippendorffAlphaUnitizingAgreement``, at commit
f7f4f89, release 2.3.1 + #58), ported:

- a continuum ``[begin, begin + length)``; ``R`` coders; units ``(begin, length, coder,
  category)``; a coder's units of one category must not overlap (they may touch);
- per category ``c``, the stretches between a coder's units of ``c`` are gaps;
- observed disagreement ``D_O(c) = 2 Σ_{coder pairs} Σ δ / (R (R-1) L²)`` over the pairs of
  sections (unit or gap) of the two coders that the two partitions of the continuum
  intersect, with ``δ`` = ``(b1-b2)² + (e1-e2)²`` for two overlapping units, ``l²`` for a
  unit lying inside the other coder's gap, else 0;
- expected disagreement ``D_E(c) = (2/L) Σ_{units u of c} [ (N_c-1) (2l³-3l²+l)/3 +
  l² Σ_{gaps g ≥ l} (g-l+1) ] / (R L (R L-1) - Σ_{units of c} l (l-1))``, the gaps being
  every coder's gaps for ``c``;
- ``αu(c) = 1 - D_O(c)/D_E(c)``, and 0 when ``D_O(c) = D_E(c)``; the overall ``αu`` is
  ``1 - mean_c D_O(c) / mean_c D_E(c)``: 1 when both are 0 but some unit has a length, 0
  when no unit does, NaN for a study without units.

Sums are exact integers and the divisions `Fraction`s, so ``D_O = D_E`` is tested exactly.

Checked in tests/classroom/test_unitizing.py, to 0.001, against the figures of DKPro's tests
(Krippendorff2004Test, Krippendorff1995Test, UnitizingAgreementTest): Krippendorff (2004)
"Content Analysis", 2nd ed., p. 254 (continuum 150..450, categories c and k: αu = 0.8591
(computed 0.85867), αu(c) = 0.7286, αu(k) = 1, D_O(c) = 0.0144, D_E(c) = 0.0532,
D_E(k) = 0.0490); Krippendorff (1995) p. 57 (categories A-D, two coders each: D_O = 0.03125,
2.26736, 0.02777, 0.38715); DKPro's own example (D_O 0.9100, D_E 0.5351, αu -0.7003), its
distance figures and its degenerate studies; and against figures DKPro's class printed when
run here on the 1995 example and on a three-coder study. The 1995 paper's own D_E and αu
(αu(A..D) = 0.553, -0.926, 0.679, 0.066 at L = 1200) carry an error in its D_E, DKPro notes;
DKPro, and this module, reproduce them only to 0.02 (computed 0.552, -0.931, 0.692, 0.061).

`unitizing_agreement` reads a class's submissions as such a study (see there).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.classroom.submissions import Submission


@dataclass(frozen=True, order=True)
class Unit:
    """A stretch ``[begin, begin + length)`` of the continuum that one coder gave a category."""

    begin: int
    length: int
    coder: int
    category: str

    @property
    def end(self) -> int:
        return self.begin + self.length


class UnitizingStudy:
    """Coders' units on one continuum ``[begin, begin + length)``, and their αu.

    Mirrors DKPro's ``UnitizingAnnotationStudy`` + ``KrippendorffAlphaUnitizingAgreement``:
    coders are 0..coders-1; a unit added twice counts once.
    """

    def __init__(self, coders: int, length: int, begin: int = 0) -> None:
        if coders < 0 or length < 0:
            raise ValueError("coders and length must not be negative")
        self.coders = coders
        self.begin = begin
        self.length = length
        self._units: set[Unit] = set()
        self._by_coder: dict[tuple[str, int], list[Unit]] = {}
        self._categories: dict[str, None] = {}  # insertion-ordered set

    # -- building ---------------------------------------------------------------------------

    def add_unit(self, begin: int, length: int, coder: int, category: str) -> Unit:
        """Adds a unit; raises ValueError when it leaves the continuum or overlaps one of the
        same coder's units of its category (αu's sections of one coder must partition)."""
        unit = Unit(begin, length, coder, category)
        if not 0 <= coder < self.coders:
            raise ValueError(f"coder {coder} is not one of 0..{self.coders - 1}")
        if length < 0 or begin < self.begin or unit.end > self.begin + self.length:
            raise ValueError(f"unit {unit} is not inside the continuum")
        if unit in self._units:
            return unit
        same = self._by_coder.setdefault((category, coder), [])
        for other in same:
            if _overlap(unit, other):
                raise ValueError(f"unit {unit} overlaps {other} of the same coder and category")
        same.append(unit)
        self._units.add(unit)
        self._categories.setdefault(category, None)
        return unit

    def add_category(self, category: str) -> None:
        """Counts a category no unit has (D_O = D_E = 0 for it: it lowers both means, not αu)."""
        self._categories.setdefault(category, None)

    @property
    def categories(self) -> list[str]:
        return list(self._categories)

    def units(self, category: str | None = None, coder: int | None = None) -> list[Unit]:
        """The units, sorted by begin then length (zero-length units first)."""
        if category is not None and coder is not None:
            return sorted(self._by_coder.get((category, coder), ()))
        return sorted(
            u
            for u in self._units
            if (category is None or u.category == category) and (coder is None or u.coder == coder)
        )

    # -- disagreement -----------------------------------------------------------------------

    def observed(self, category: str) -> Fraction:
        """D_O for one category."""
        R, L = self.coders, self.length
        if R < 2 or L == 0:
            return Fraction(0)
        per_coder = [self.units(category, r) for r in range(R)]
        total = 0
        for r1 in range(R):
            for r2 in range(r1 + 1, R):
                total += _pair_disagreement(per_coder[r1], per_coder[r2], self.begin, L)
        return Fraction(2 * total, R * (R - 1) * L * L)

    def expected(self, category: str) -> Fraction:
        """D_E for one category."""
        R, L = self.coders, self.length
        units = self.units(category)
        if L == 0 or not units:
            return Fraction(0)
        n_c = len(units)
        squared_lengths = sum(u.length * (u.length - 1) for u in units)
        gaps = sorted(g for r in range(R) for g in self._gaps(category, r))
        # Σ_{g ≥ l} (g + 1) from the top: suffix sums over the sorted gaps
        suffix = [0] * (len(gaps) + 1)
        for i in range(len(gaps) - 1, -1, -1):
            suffix[i] = suffix[i + 1] + gaps[i] + 1
        total = 0
        for u in units:
            l = u.length
            within = (n_c - 1) * (2 * l**3 - 3 * l**2 + l) // 3  # l(l-1)(2l-1) is a multiple of 6
            first = bisect.bisect_left(gaps, l)
            placements = suffix[first] - l * (len(gaps) - first)  # Σ_{g ≥ l} (g - l + 1)
            total += within + l * l * placements
        denominator = R * L * (R * L - 1) - squared_lengths
        if denominator <= 0:
            return Fraction(0)
        return Fraction(2 * total, L * denominator)

    def _gaps(self, category: str, coder: int) -> Iterator[int]:
        """The lengths of the stretches of the continuum between one coder's units."""
        pos, stop = self.begin, self.begin + self.length
        for u in self.units(category, coder):
            if u.begin > pos:
                yield u.begin - pos
            pos = max(pos, u.end)
        if pos < stop:
            yield stop - pos

    def observed_overall(self) -> Fraction:
        """D_O: the mean of the categories' D_O."""
        return _mean(self.observed(c) for c in self._categories)

    def expected_overall(self) -> Fraction:
        """D_E: the mean of the categories' D_E."""
        return _mean(self.expected(c) for c in self._categories)

    # -- agreement --------------------------------------------------------------------------

    def category_alpha(self, category: str) -> float:
        """αu for one category: 1 - D_O/D_E, and 0.0 when D_O = D_E (as DKPro)."""
        d_o, d_e = self.observed(category), self.expected(category)
        return 0.0 if d_o == d_e else float(1 - d_o / d_e)

    def alpha(self) -> float:
        """αu over all categories; NaN when there is no category (as DKPro)."""
        if not self._categories:
            return math.nan
        d_o, d_e = self.observed_overall(), self.expected_overall()
        if d_o == d_e:
            if d_o == 0 and any(u.length > 0 for u in self._units):
                return 1.0  # full agreement on units that carry mass
            return 0.0
        return float(1 - d_o / d_e)


def distance(
    begin1: int, length1: int, unit1: bool, begin2: int, length2: int, unit2: bool
) -> int:
    """δ between two sections of two coders (``unit`` False: a gap), DKPro's ``measureDistance``."""
    begin_diff = begin1 - begin2
    length_diff = length1 - length2
    if unit1 and unit2 and -length1 < begin_diff < length2:
        return begin_diff * begin_diff + (begin_diff + length_diff) ** 2
    if unit1 and not unit2 and -length_diff >= begin_diff >= 0:
        return length1 * length1
    if not unit1 and unit2 and -length_diff <= begin_diff <= 0:
        return length2 * length2
    return 0


def _pair_disagreement(units1: Sequence[Unit], units2: Sequence[Unit], B: int, L: int) -> int:
    """Σ δ over the intersecting sections of two coders (DKPro's walk along the continuum)."""
    it1, it2 = iter(units1), iter(units2)
    next1, next2 = next(it1, None), next(it2, None)
    offset1 = offset2 = B
    length1 = length2 = 0
    is_unit1 = is_unit2 = False
    pos = B
    total = 0
    while pos < B + L and (next1 is not None or next2 is not None):
        if pos == offset1 + length1:
            if next1 is not None and pos == next1.begin:
                length1, is_unit1 = next1.length, True
                next1 = next(it1, None)
            else:
                length1, is_unit1 = (next1.begin if next1 is not None else B + L) - pos, False
            offset1 = pos
        if pos == offset2 + length2:
            if next2 is not None and pos == next2.begin:
                length2, is_unit2 = next2.length, True
                next2 = next(it2, None)
            else:
                length2, is_unit2 = (next2.begin if next2 is not None else B + L) - pos, False
            offset2 = pos
        total += distance(offset1, length1, is_unit1, offset2, length2, is_unit2)
        pos = min(offset1 + length1, offset2 + length2)
    return total


def _overlap(a: Unit, b: Unit) -> bool:
    """Whether two units of one coder and category cannot both be sections of its partition:
    they share a stretch, or a zero-length one lies strictly inside the other."""
    if a.length and b.length:
        return a.begin < b.end and b.begin < a.end
    if not a.length and not b.length:
        return False
    zero, other = (a, b) if not a.length else (b, a)
    return other.begin < zero.begin < other.end


def _mean(values: Iterable[Fraction]) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values) if values else Fraction(0)


# -- a class's submissions ---------------------------------------------------------------------

KINDS = ("claim", "contradiction", "link", "note")


def unitizing_agreement(
    submissions: Sequence[Submission], article_lengths: Mapping[str, int]
) -> dict[str, Any]:
    """Krippendorff's αu over the students' submissions: where they marked what.

    - coders: the students, one per submission, a student who marked nothing included (all
      gap: that is an answer too);
    - continuum: αu is defined on one continuum that every coder covers, so the pack's
      articles are laid end to end, in order of article id, each span moved by its article's
      offset (the sum of the lengths of the articles before it). Units never straddle two
      articles, so D_O is what it would be with the articles apart; the one effect of the
      seam is on D_E, where a student's gap at the end of an article and their gap at the
      start of the next count as one gap;
    - categories: the annotation kinds; every end of an item (a contradiction and a link have
      two) is a unit of the item's kind;
    - a student's overlapping or touching spans of one kind on one article are merged into
      one unit (αu needs one coder's units of one category not to overlap); spans of no
      length, and spans on articles not in ``article_lengths``, are left out (clipped to the
      article otherwise).

    Returns ``{"method", "alpha_u", "by_kind", "students", "articles", "continuum_length",
    "units", "note"}``: ``alpha_u`` over all kinds and ``by_kind`` per kind (every kind in
    `KINDS` and any other present), ``None`` where undefined, with the reason in ``note``.
    """
    lengths = {a: max(0, int(n)) for a, n in article_lengths.items()}
    offsets: dict[str, int] = {}
    total = 0
    for article_id in sorted(lengths):
        offsets[article_id] = total
        total += lengths[article_id]

    off_continuum = 0
    spans: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
    kinds: dict[str, None] = dict.fromkeys(KINDS)
    for coder, submission in enumerate(submissions):
        for item in submission.items:
            kinds.setdefault(item.kind, None)
            for article_id, start, end in item.spans:
                if article_id not in lengths:
                    off_continuum += 1
                    continue
                start, end = max(0, start), min(end, lengths[article_id])
                if end > start:
                    spans.setdefault((coder, item.kind, article_id), []).append((start, end))

    study = UnitizingStudy(len(submissions), total)
    for (coder, kind, article_id), found in spans.items():
        for start, end in _merged(found):
            study.add_unit(offsets[article_id] + start, end - start, coder, kind)

    result: dict[str, Any] = {
        "method": "krippendorff_unitizing_alpha",
        "data": "students x article text (articles end to end), kinds as categories",
        "students": len(submissions),
        "articles": len(lengths),
        "continuum_length": total,
        "units": len(study.units()),
        "alpha_u": None,
        "by_kind": dict.fromkeys(kinds),
        "note": "",
    }
    notes: list[str] = []
    if off_continuum:
        notes.append(f"{off_continuum} span(s) not on the pack's articles left out")
    if len(submissions) < 2:
        notes.insert(0, "needs at least two students")
    elif total == 0:
        notes.insert(0, "the articles have no text")
    elif not result["units"]:
        notes.insert(0, "no student marked a passage; alpha_u is undefined")
    else:
        for kind in study.categories:
            if study.expected(kind) == 0:
                notes.append(f"{kind}: no expected disagreement, alpha_u undefined")
            else:
                result["by_kind"][kind] = study.category_alpha(kind)
        absent = [k for k in kinds if k not in study.categories]
        if absent:
            notes.append("no passages marked as " + ", ".join(absent))
        if study.expected_overall() == 0:
            notes.insert(0, "no expected disagreement; alpha_u is undefined")
        else:
            result["alpha_u"] = study.alpha()
    result["note"] = "; ".join(notes)
    return result


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ``[start, end)`` spans joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
