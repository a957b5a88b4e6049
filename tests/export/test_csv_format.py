"""CSV: one row per target, a header, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from export_fixtures import check_golden
from reader.anchoring import describe
from reader.export import render_export
from reader.export.csv_format import COLUMNS, dumps, neutralise
from reader.ingest.sanitize import display_text
from reader.model import Annotation, Article, article_id_for

DANGEROUS = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
]


def _parse(blob: bytes) -> list[list[str]]:
    assert blob.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so spreadsheets read accents"
    return list(csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline="")))


def test_one_row_per_target_with_a_header(seeded):
    blob, count = render_export(seeded, "csv")
    rows = _parse(blob)
    assert rows[0] == list(COLUMNS)
    annotations = seeded.annotations()
    assert count == len(annotations)
    assert len(rows) - 1 == sum(len(a.targets) for a in annotations)
    by_id = {a.id: a for a in annotations}
    texts = {a.id: a.text for a in seeded.articles()}
    for row in rows[1:]:
        cell = dict(zip(COLUMNS, row))
        annotation = by_id[cell["annotation_id"]]
        target = annotation.targets[int(cell["target"]) - 1]
        assert cell["quote"] == target.quote.exact and cell["kind"] == annotation.kind
        if annotation.anchor != "orphaned":
            assert texts[cell["article_id"]][int(cell["start"]):int(cell["end"])] == cell["quote"]
    assert b"\r\n" in blob


def test_seed_csv_matches_the_golden_file(seeded):
    check_golden("seeds.csv", render_export(seeded, "csv")[0])


@pytest.mark.parametrize("payload", DANGEROUS)
def test_formula_injection_is_neutralised_in_every_text_column(payload):
    text = f"{payload}\nand then the article goes on."
    article = Article(id=article_id_for(text), title=payload, text=text, source=payload)
    target = describe(article.id, text, 0, len(payload))
    annotation = Annotation(kind="claim", targets=(target,), author=payload, tags=(payload,),
                            note=payload, relation=payload, created="2024-01-01T00:00:00+00:00")
    rows = _parse(dumps([article], [annotation]))
    body = rows[1]
    for column, cell in zip(COLUMNS, body):
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "＝")), (column, cell)
    cells = dict(zip(COLUMNS, body))
    for column in ("article_title", "article_source", "quote", "tags", "note", "relation", "author"):
        # kept and readable (controls shown as the app shows them), at most one quote mark
        # in front; a cell that starts with a placeholder (␍) is no formula and needs none
        assert cells[column] in ("'" + display_text(payload), display_text(payload)), column
        assert cells[column].startswith("'") or not display_text(payload).lstrip(" ").startswith(
            ("=", "+", "-", "@", "＝")
        ), column


def test_harmless_cells_are_left_alone():
    assert neutralise("Kim Jong Un said") == "Kim Jong Un said"
    assert neutralise("1950-53") == "1950-53"
    assert neutralise("") == ""
