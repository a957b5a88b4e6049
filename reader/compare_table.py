"""The compare report as tables on the terminal (`presscheck compare` without --format): Rich,
so it lives outside the domain packages."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reader.classroom.compare import Report
from reader.ingest.sanitize import display_line
from reader.model import KINDS
from reader.safe_output import raw_stream


def print_compare_table(report: Report) -> None:
    """The students' scores, how many found each key item, and the class's agreement."""
    # Rich writes its own styles, so it gets the real stream and only text made safe here
    console = Console(file=raw_stream(sys.stdout), highlight=False)
    table = Table(title=Text(display_line(f"{report.key}: {len(report.key_items)} key items, IoU ≥ {report.threshold}")))
    table.add_column("student", min_width=18)
    for kind in KINDS:
        table.add_column(f"{kind[:7]}\nF1", justify="right")
    for name in ("P", "R", "F1"):
        table.add_column(name, justify="right")
    for s in report.students:
        p, r, f = s.overall
        table.add_row(
            Text(f"{display_line(s.author)}\n{display_line(str(s.file))}"),
            *(f"{s.kinds[kind].f1:.2f}" for kind in KINDS),
            f"{p:.2f}", f"{r:.2f}", f"{f:.2f}",
        )
    console.print(table)
    items = Table(title="key items: how many students found each")
    items.add_column("#", justify="right")
    items.add_column("kind")
    items.add_column("found by", justify="right")
    items.add_column("quotes")
    total = len(report.students)
    for n, (item, count) in enumerate(zip(report.key_items, report.found_by()), start=1):
        quotes = " <-> ".join(" ".join(display_line(q).split())[:70] for q in item.quotes)
        items.add_row(str(n), Text(display_line(item.kind)), f"{count}/{total}", Text(quotes))
    console.print(items)
    alpha = report.agreement.get("alpha")
    console.print(
        Text("agreement (Krippendorff's alpha, nominal): "
             + (f"{alpha:.3f}" if alpha is not None else display_line(f"undefined, {report.agreement.get('note')}")))
    )
