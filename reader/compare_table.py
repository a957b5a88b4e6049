"""The compare report as tables on the terminal (`presscheck compare` without --format): Rich,
so it lives outside the domain packages.

Made to be read at 80 columns: kinds are named in full ("contradiction", never cut),
quotes and the key's "why" are cut on a word with "…" (a single word too long for its
column is cut with "…" too, never folded mid-word onto the next line). On a terminal wide
enough, a "why" column is added, and each quote takes one line: a row is as high as its
item has quotes, so the whole report stays on one screen.

The class's agreement: on which key items they found (nominal alpha) in the key items'
title, on where their passages start and end (unitizing alpha αu, per kind too) on the
line below the tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reader.classroom.agreement import UNITIZING, figure, unitizing_kinds
from reader.classroom.compare import Report
from reader.classroom.feedback import shorten
from reader.ingest.sanitize import display_line
from reader.model import KINDS
from reader.safe_output import raw_stream

WHY_FROM_WIDTH = 110
"""Terminal width from which the key items' table has a "why" column."""
_FOUND = "found by"
_ARROW = "<-> "


def print_compare_table(report: Report) -> None:
    """The students' scores, how many found each key item, and the class's agreement."""
    # Rich writes its own styles, so it gets the real stream and only text made safe here
    render_compare_tables(report, Console(file=raw_stream(sys.stdout), highlight=False))


def fit(text: str, width: int, lines: int = 2) -> str:
    """`text` on one line, cut on a word with "…" to fill at most about `lines` lines of
    `width` cells (one line exactly), with no word longer than `width` (such a word is cut
    with "…")."""
    width = max(width, 4)
    words = [w if len(w) <= width else w[: width - 1] + "…" for w in display_line(text).split()]
    limit = width if lines <= 1 else width * lines - width // 3  # what wrapping on words loses
    return shorten(" ".join(words), limit)


def _scores_table(report: Report) -> Table:
    title = f"{report.key}: {len(report.key_items)} key items, IoU ≥ {report.threshold}"
    table = Table(title=Text(display_line(title)))
    table.add_column("student", min_width=12, overflow="fold")
    for kind in KINDS:  # the kind's full name, never cut or wrapped
        table.add_column(f"{kind}\nF1", justify="right", no_wrap=True, min_width=len(kind))
    for name in ("P", "R", "F1"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in report.students:
        p, r, f = s.overall
        name = Text(display_line(s.author))
        name.append("\n" + display_line(Path(s.file).name), style="dim")  # the path is in --format
        table.add_row(name, *(f"{s.kinds[kind].f1:.2f}" for kind in KINDS), f"{p:.2f}", f"{r:.2f}", f"{f:.2f}")
    return table


def _items_table(report: Report, width: int) -> Table:
    numbers = len(str(max(len(report.key_items), 1)))
    kind_width = max(len(kind) for kind in KINDS)
    total = len(report.students)
    # what is left for the text columns: every column has one cell of padding each side,
    # and the table one border more than it has columns
    wide = width >= WHY_FROM_WIDTH
    columns = 5 if wide else 4
    text_width = width - (numbers + kind_width + len(_FOUND)) - 2 * columns - (columns + 1)
    quote_width = max(text_width * 3 // 5 if wide else text_width, 12)
    why_width = max(text_width - quote_width, 12)
    lines = 1 if wide else 2  # wide: a quote on one line, and a row as high as its quotes

    table = Table(title=Text(f"key items: how many students found each · {nominal_agreement(report)}"))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("kind", no_wrap=True, min_width=kind_width)
    table.add_column(_FOUND, justify="right", no_wrap=True)
    table.add_column("quotes", width=quote_width)
    if wide:
        table.add_column("why (the key's note)", width=why_width)
    for n, (item, count) in enumerate(zip(report.key_items, report.found_by()), start=1):
        quotes = [f"“{fit(q, quote_width - 2, lines)}”" for q in item.quotes[:1]]
        quotes += [f"{_ARROW}“{fit(q, quote_width - 2 - len(_ARROW), lines)}”" for q in item.quotes[1:]]
        row = [str(n), Text(display_line(item.kind)), f"{count}/{total}", Text("\n".join(quotes))]
        if wide:
            row.append(Text(fit(item.note, why_width, max(len(quotes), 1)), style="italic"))
        table.add_row(*row)
    return table


def render_compare_tables(report: Report, console: Console) -> None:
    """Print the report's tables on `console` (at its width)."""
    console.print(_scores_table(report))
    console.print(_items_table(report, console.width))
    console.print(Text(unitizing_agreement_line(report)))


def nominal_agreement(report: Report) -> str:
    """The class's agreement on which key items they found, in the key items' title (it is
    the agreement on that table's "found by" column)."""
    alpha = report.agreement.get("alpha")
    value = figure(alpha, 3) if alpha is not None else f"undefined, {report.agreement.get('note')}"
    return display_line(f"agreement on found key items (Krippendorff's alpha, nominal): {value}")


def unitizing_agreement_line(report: Report) -> str:
    """The class's agreement on where their passages start and end (αu), overall and per kind,
    or why it is undefined."""
    unitizing = report.agreement.get(UNITIZING)
    head = "agreement on where passages start and end (Krippendorff's unitizing alpha αu): "
    if not isinstance(unitizing, dict):
        return head + "not computed"
    alpha_u = unitizing.get("alpha_u")
    if alpha_u is None:
        return display_line(head + f"undefined, {unitizing.get('note') or 'no figures'}")
    kinds = unitizing_kinds(unitizing)
    return display_line(head + figure(alpha_u, 3) + (f" — {kinds}" if kinds else ""))
