"""The Markdown report: grouped by article, both ends of pairs, escaped, and a golden file."""

from __future__ import annotations

from export_fixtures import check_golden, seed_articles
from reader.anchoring import describe
from reader.export import render_export
from reader.export.markdown import escape, report
from reader.model import Annotation


def test_seed_report_matches_the_golden_file(seeded):
    blob, count = render_export(seeded, "md")
    assert count == 9
    check_golden("seeds-report.md", blob)


def test_report_groups_by_article_and_quotes_both_ends(seeded):
    text, _ = render_export(seeded, "md")
    text = text.decode()
    left, right = seed_articles()
    first, second, between = text.index(f"`{left.id}`"), text.index(f"`{right.id}`"), text.index("## Between articles")
    assert first < second < between
    # a claim on the right-hand article sits under it, the cross-article pair below both
    assert second < text.index("> Ri Yong Ho claims Kim Jong Un") < between
    pair = text[between:]
    assert "> demanded a total reversal of existing economic sanctions" in pair
    assert "> demanded the removal of only some of the sanctions" in pair
    assert "### Link (same event)" in pair
    # a link inside one article stays with that article, both ends quoted
    within = text[first:second]
    assert "### Link (elaborates)" in within and "> After the press conference" in within
    assert "*(orphaned: its quote is no longer in the article)*" in text


def test_article_text_cannot_inject_markdown_or_terminal_control():
    article_text = "# Not a heading\n[click](javascript:alert) <script>x</script> \x1b[2J *bold*\n1. one"
    target = describe("a" * 16, article_text, 0, len(article_text))
    note = Annotation(kind="note", targets=(target,), author="x", note="<b>hi</b>",
                      created="2024-01-01T00:00:00+00:00")
    text = report([], [note])
    assert "\x1b" not in text and "␛" in text
    assert "> \\# Not a heading" in text
    assert "\\[click\\](javascript:alert) \\<script\\>" in text
    assert "1\\. one" in text and "\\*bold\\*" in text
    assert "**Note:** \\<b\\>hi\\</b\\>" in text
    assert escape("2019-02-28 - fine") == "2019-02-28 - fine"


def test_a_local_article_is_shown_by_its_file_name_not_its_path():
    """Issue 16: the report carried `/home/<student>/…` for each article; a URL stays."""
    from dataclasses import replace

    from reader.ingest import article_from_text

    local = replace(article_from_text("The bridge opens in May.\n", "x"), source="/home/ana/private/lesson/a.txt")
    web = replace(article_from_text("The ferry sails at noon.\n", "y"), source="https://example.org/news/ferry")
    gone = describe("b" * 16, "Quoted text that waits.", 0, 6)
    gone = replace(gone, source="/home/ana/private/lesson/gone.txt")
    annotations = [
        Annotation(kind="claim", targets=(describe(a.id, a.text, 0, 10),), author="Ana",
                   created="2024-01-01T00:00:00+00:00")
        for a in (local, web)
    ] + [Annotation(kind="note", targets=(gone,), author="Ana", created="2024-01-01T00:00:00+00:00")]
    text = report([local, web], annotations, "Ana")
    assert "/home/ana" not in text and "private" not in text
    assert "`a.txt`" in text and "`https://example.org/news/ferry`" in text and "gone.txt" in text
