"""Figures, verdicts and the printed table."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

PASS, FAIL, INFO, ERROR = "PASS", "FAIL", "info", "ERROR"


@dataclass
class Figure:
    """One measured quantity: its samples, and its verdict against a target if it has one.

    `samples` are in `unit` (ms, MB, or "" for a yes/no figure stored as 1/0). `failures`
    are the runs that produced no sample (the program died, the screen never showed what
    was waited for), each with the reason; they are never dropped silently, and a figure
    with a target that has any fails."""

    key: str
    label: str
    unit: str = "ms"
    samples: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    target: str = ""
    reference: str = ""
    verdict: str = INFO
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def max(self) -> float | None:
        return max(self.samples) if self.samples else None

    def judge(self, ok: bool | None) -> None:
        """Set the verdict: PASS/FAIL from `ok`, ERROR when nothing was measured, FAIL
        when some runs failed; `ok` None keeps it informational."""
        if not self.samples:
            self.verdict = ERROR if self.failures else INFO
        elif ok is None:
            self.verdict = INFO
        elif self.failures:
            self.verdict = FAIL
        else:
            self.verdict = PASS if ok else FAIL

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["median"] = self.median
        data["max"] = self.max
        return data


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or reference is None or reference <= 0:
        return None
    return value / reference


def fmt(value: float | None, unit: str) -> str:
    """A figure for the table: milliseconds to 0.1 below 10 ms, else whole ones."""
    if value is None:
        return "—"
    if unit == "":
        return "yes" if value else "no"
    if unit == "ms" and value >= 10_000:
        return f"{value / 1000:.1f} s"
    if unit == "x":
        return f"×{value:.1f}"
    if value < 10:
        return f"{value:.1f} {unit}"
    return f"{value:.0f} {unit}"


def fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"×{value:.2f}"


def table(figures: list[Figure]) -> str:
    """The figures as a plain-text table, notes and failures listed under it."""
    if not figures:
        return "(no figures)"
    header = ("figure", "median", "max", "target", "reference", "verdict")
    rows = [
        (f.label, fmt(f.median, f.unit), fmt(f.max, f.unit) if f.unit not in ("", "x") else "",
         f.target, f.reference, f.verdict + (f" ({len(f.failures)} failed)" if f.failures else ""))
        for f in figures
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    for row in rows:
        cells = [
            str(c).rjust(w) if i in (1, 2) else str(c).ljust(w)  # figures right-aligned
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    notes = [f"{f.label}: {note}" for f in figures for note in f.notes]
    for f in figures:
        if "same_runs_as" in f.extra:
            continue  # its failures are listed with the figure it shares its runs with
        for failure in dict.fromkeys(f.failures):  # each reason once, with its count
            times = f.failures.count(failure)
            notes.append(f"{f.label}: failed{f' ×{times}' if times > 1 else ''}: {failure}")
    if notes:
        out.append("")
        out.append("notes:")
        out.extend(f"  {note}" for note in notes)
    return "\n".join(out)
