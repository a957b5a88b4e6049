"""How much a class agrees: Krippendorff's alpha (nominal, package ``krippendorff``) on the
students × key items matrix of found (1) / not found (0), and, with `class_agreement`,
Krippendorff's unitizing alpha (αu, `unitizing`) on where the students' passages start and
end. No UI.

It needs two students and some variation; otherwise alpha is reported as ``null`` with
the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reader.classroom.unitizing import unitizing_agreement

if TYPE_CHECKING:
    from reader.classroom.submissions import Submission

UNITIZING = "unitizing"
"""The key of αu's figures in the report's agreement."""


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


def class_agreement(
    found: Sequence[Sequence[bool]], submissions: Sequence[Submission], article_lengths: Mapping[str, int]
) -> dict[str, Any]:
    """The report's agreement: `agreement`'s figures (nominal alpha on found/missed, its keys
    as they were) and, under ``"unitizing"``, `unitizing_agreement`'s (αu on where the
    students' passages start and end; `submissions` in the order of `found`'s rows)."""
    result = agreement(found)
    result[UNITIZING] = unitizing_agreement(submissions, article_lengths)
    return result


def unitizing_kinds(unitizing: Mapping[str, Any], digits: int = 2, undefined: str = "n/a") -> str:
    """αu per kind on one line, "claim 0.70, contradiction 0.55, link n/a, note n/a"; empty
    when there are no per-kind figures."""
    by_kind = unitizing.get("by_kind")
    if not isinstance(by_kind, Mapping):
        return ""
    return ", ".join(f"{kind} {figure(value, digits, undefined)}" for kind, value in by_kind.items())


def figure(value: Any, digits: int = 2, undefined: str = "n/a") -> str:
    """An agreement figure: `digits` decimals (never "-0.00"), or `undefined` for null."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return undefined
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text
