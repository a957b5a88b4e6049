"""The compare report as files: JSON, CSV (one row per student and kind) and Markdown. No UI;
the terminal table is `reader.compare_table`.

Each carries the class's agreement: JSON its every figure (`Report.to_json`), Markdown its
"Agreement" section, CSV two columns of class-wide figures, repeated on every student's rows:
`class_alpha` (nominal, on found/missed key items; on the `overall` rows only) and
`class_alpha_u` (αu, on where passages start and end: the kind's on a kind's rows, over all
kinds on the `overall` rows); a cell is empty where the figure is undefined."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import orjson

from reader.classroom.agreement import UNITIZING, figure
from reader.classroom.compare import Report
from reader.model import KINDS


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


CSV_COLUMNS = (
    "file", "author", "kind", "precision", "recall", "f1", "matched", "missed", "extra",
    "class_alpha", "class_alpha_u",
)


def _unitizing(report: Report) -> dict:
    unitizing = report.agreement.get(UNITIZING)
    return unitizing if isinstance(unitizing, dict) else {}


def _csv_figure(value: object) -> str:
    return figure(value, 4, undefined="")


def render_csv(report: Report) -> bytes:
    """One row per student and kind, and one `overall` row per student."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    unitizing = _unitizing(report)
    by_kind = unitizing.get("by_kind") if isinstance(unitizing.get("by_kind"), dict) else {}
    alpha = _csv_figure(report.agreement.get("alpha"))
    for s in report.students:
        for kind, k in s.kinds.items():
            writer.writerow(
                [s.file, s.author, kind, f"{k.precision:.4f}", f"{k.recall:.4f}", f"{k.f1:.4f}",
                 k.matched, len(k.missed), len(k.extra), "", _csv_figure(by_kind.get(kind))]
            )
        p, r, f = s.overall
        matched = sum(k.matched for k in s.kinds.values())
        missed = sum(len(k.missed) for k in s.kinds.values())
        extra = sum(len(k.extra) for k in s.kinds.values())
        writer.writerow(
            [s.file, s.author, "overall", f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", matched, missed, extra,
             alpha, _csv_figure(unitizing.get("alpha_u"))]
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
    lines += _unitizing_md(report)
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


def _unitizing_md(report: Report) -> list[str]:
    """αu in the Markdown report: over all kinds, then a row per kind, and the note."""
    unitizing = _unitizing(report)
    if not unitizing:
        return []
    alpha_u = unitizing.get("alpha_u")
    note = _cell(str(unitizing.get("note") or ""))
    lines = [
        "",
        "Krippendorff's unitizing alpha αu (where passages start and end; the articles end to end, "
        "each kind a category): "
        + (figure(alpha_u, 3) if alpha_u is not None else f"undefined ({note or 'no figures'})"),
    ]
    by_kind = unitizing.get("by_kind")
    if alpha_u is not None and isinstance(by_kind, dict) and by_kind:
        lines += ["", "| kind | αu |", "|---|---|"]
        lines += [f"| {_cell(str(kind))} | {figure(value, 3, 'undefined')} |" for kind, value in by_kind.items()]
        if note:
            lines += ["", f"Note: {note}."]
    return lines


RENDERERS = {"json": render_json, "csv": render_csv, "md": render_md}
