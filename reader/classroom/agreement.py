"""How much a class agrees: Krippendorff's alpha (nominal, package ``krippendorff``) on the
students × key items matrix of found (1) / not found (0). No UI.

It needs two students and some variation; otherwise alpha is reported as ``null`` with
the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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
