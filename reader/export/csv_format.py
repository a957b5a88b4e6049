"""CSV export: one row per annotation target, safe to open in a spreadsheet. No UI.

A cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
or a carriage return, as OWASP lists them, or their full-width forms) gets a leading `'`,
which spreadsheets show as text and do not evaluate. The file is UTF-8 with a byte-order
mark, so spreadsheet programs read accents right, with CRLF line ends (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from reader.anchoring import has_position
from reader.ingest.sanitize import display_text
from reader.model import Annotation, Article

COLUMNS = (
    "annotation_id",
    "kind",
    "target",
    "targets",
    "article_id",
    "article_title",
    "article_source",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "tags",
    "relation",
    "note",
    "author",
    "created",
    "modified",
    "anchor",
)
TAG_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """`cell` as text a spreadsheet will not evaluate as a formula, and a terminal will not
    obey: control characters and bidi overrides become the app's visible placeholders."""
    cell = display_text(cell)
    if cell.lstrip(" ").startswith(FORMULA_STARTS) or cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def rows(articles: Iterable[Article], annotations: Iterable[Annotation]) -> list[list[str]]:
    """The header and one row per target, every text cell neutralised."""
    by_id = {a.id: a for a in articles}
    table: list[list[str]] = [list(COLUMNS)]
    for annotation in annotations:
        for number, target in enumerate(annotation.targets, start=1):
            article = by_id.get(target.article_id)
            placed = has_position(target)
            cells = {
                "annotation_id": annotation.id,
                "kind": annotation.kind,
                "target": str(number),
                "targets": str(len(annotation.targets)),
                "article_id": target.article_id,
                "article_title": article.title if article else "",
                "article_source": article.source if article else target.source,
                "start": str(target.start) if placed else "",
                "end": str(target.end) if placed else "",
                "quote": target.quote.exact,
                "prefix": target.quote.prefix,
                "suffix": target.quote.suffix,
                "tags": TAG_SEPARATOR.join(annotation.tags),
                "relation": annotation.relation,
                "note": annotation.note,
                "author": annotation.author,
                "created": annotation.created,
                "modified": annotation.modified,
                "anchor": annotation.anchor,
            }
            table.append([neutralise(cells[column]) for column in COLUMNS])
    return table


def dumps(articles: Iterable[Article], annotations: Iterable[Annotation]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows(articles, annotations))
    return buffer.getvalue().encode("utf-8-sig")
