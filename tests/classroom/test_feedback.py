"""`compare LESSON HANDINS --feedback DIR`: one Markdown file per student (scores, what they
found and missed with the key's why, what they marked that the key lacks) and class.md."""

from __future__ import annotations

import json
import re

import pytest
from classroom_helpers import KEY, SEEDS, write_native
from test_lesson_cli import by_kind, make_handins, make_lesson

from reader.classroom.compare import compare
from reader.classroom.feedback import feedback_file_names, md, write_feedback
from reader.classroom.handin import author_hash
from reader.cli import main
from reader.errors import UserError

CONTRADICTION_WHY = "the two sides' accounts of the demand disagree"
LINK_WHY = "The first summit, in Singapore (June 2018), described in both reports."


def section(text: str, title: str) -> str:
    """The part of a Markdown file under the heading starting with `title`."""
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture
def class_feedback(tmp_path):
    handins = make_handins(tmp_path / "handins")
    report = compare(KEY, sorted(handins.iterdir()), SEEDS)
    done = write_feedback(report, tmp_path / "feedback" / "week 3")  # made, parents too
    return report, done


def test_a_student_reads_what_they_found_missed_and_added_with_the_why(class_feedback):
    report, done = class_feedback
    ann = done.students[0]
    assert ann.name == f"ann-{author_hash('Ann')}.md"
    text = ann.read_text("utf-8")
    assert text.startswith("# Feedback for Ann\n")
    scores = section(text, "Your scores")
    assert "| **overall** |" in scores and "| contradiction | 1.00 | 1.00 | 1.00 | 3 of 3 |" in scores
    assert "| link | 0.00 | 0.00 | 0.00 | 0 of 3 |" in scores
    found = section(text, "What you found (3 of 14)")
    assert found.count("**contradiction**") == 3 and CONTRADICTION_WHY in found
    assert "demanded a total reversal of existing economic sanctions" in found
    assert "**link**" not in found and "**claim**" not in found
    missed = section(text, "What you missed (11)")
    assert missed.count("**link**") == 3 and missed.count("**claim**") == 8 and "**contradiction**" not in missed
    assert md(LINK_WHY) in missed and "Relation: same event" in missed
    assert "Tags: unsourced claim" in missed and "Why: Which intelligence reports?" in missed
    extra = section(text, "What you marked that the key lacks (1)")
    assert "Your note: Who says so?" in extra and "Your tags: my own tag" in extra
    assert "**claim**" in extra


def test_names_that_slugify_alike_get_two_files_and_the_same_name_twice_too(class_feedback, tmp_path):
    report, done = class_feedback
    names = [p.name for p in done.students]
    assert len(set(names)) == 4 and all(n.endswith(".md") for n in names)
    jose, jose_plain = done.students[2], done.students[3]
    assert names[2].startswith("jose-garcia-") and names[3].startswith("jose-garcia-")
    assert jose.read_text("utf-8").startswith("# Feedback for José García\n")
    assert jose_plain.read_text("utf-8").startswith("# Feedback for Jose Garcia\n")
    twice = report.students + [report.students[0]]
    assert feedback_file_names(twice)[-1] == f"ann-{author_hash('Ann')}-2.md"
    assert sorted(p.name for p in done.folder.iterdir()) == sorted(names + ["class.md"])


def test_class_md_has_scores_found_by_with_the_why_and_every_agreement_figure(class_feedback):
    report, done = class_feedback
    text = done.class_file.read_text("utf-8")
    scores = section(text, "Scores")
    for name in ("Ann", "Bob", "José García", "Jose Garcia"):
        assert f"| {name} |" in scores
    items = section(text, "Key items: who found them")
    assert "1. **contradiction** (found by 3/4): “the North Korea summit collapsed" in items
    assert "**link** (found by 1/4)" in items and md(LINK_WHY) in items
    assert "**claim** (found by 0/4)" in items
    agreement = section(text, "Agreement")
    assert f"{report.agreement['alpha']:.3f}" in agreement and "- students: 4" in agreement
    # a figure added later under its own key is listed too
    report.agreement["unitizing"] = {"alpha_u": 0.25, "note": "spans laid end to end"}
    again = write_feedback(report, done.folder)
    agreement = section(again.class_file.read_text("utf-8"), "Agreement")
    assert "- unitizing:\n  - alpha\\_u: 0.250\n  - note: spans laid end to end" in agreement


def test_class_md_says_how_much_the_class_agrees_on_where_passages_start_and_end(class_feedback):
    report, done = class_feedback
    unitizing = report.agreement["unitizing"]
    by_kind = unitizing["by_kind"]
    assert unitizing["alpha_u"] is not None and by_kind["note"] is None
    agreement = section(done.class_file.read_text("utf-8"), "Agreement")
    lines = agreement.splitlines()
    [line] = [line for line in lines if line.startswith("Krippendorff's unitizing alpha (αu)")]
    assert line == (
        "Krippendorff's unitizing alpha (αu) on where the students' passages start and end (the articles "
        f"end to end, each kind a category): {unitizing['alpha_u']:.3f} — claim {by_kind['claim']:.3f}, "
        f"contradiction {by_kind['contradiction']:.3f}, link {by_kind['link']:.3f}, note undefined. "
        "Note: no passages marked as note."
    )
    # before the list of every figure, where αu's are under "unitizing"
    assert lines.index(line) < lines.index("- unitizing:")
    assert f"  - alpha\\_u: {unitizing['alpha_u']:.3f}" in lines and "    - note: undefined" in lines


def test_class_md_says_why_alpha_u_is_undefined(tmp_path):
    handins = make_handins(tmp_path / "handins")
    report = compare(KEY, [handins / "bob.json"], SEEDS)
    text = write_feedback(report, tmp_path / "fb").class_file.read_text("utf-8")
    assert (
        "(the articles end to end, each kind a category): undefined. Note: needs at least two students."
        in section(text, "Agreement")
    )


def test_a_hostile_name_stays_text_and_the_file_stays_inside(tmp_path):
    evil = "../../# [x](javascript:alert(1)) *Eve*\x1b]52;c;cHdu\x07\u202e | <b>"
    handins = tmp_path / "handins"
    handins.mkdir()
    write_native(handins / "eve.json", by_kind("claim")[:1], evil)
    report = compare(KEY, [handins / "eve.json"], SEEDS)
    done = write_feedback(report, tmp_path / "out")
    [path] = done.students
    assert path.parent == tmp_path / "out" and re.fullmatch(r"[a-z0-9-]+\.md", path.name)
    text = path.read_text("utf-8")
    heading = text.splitlines()[0]
    assert heading.startswith("# Feedback for ") and "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\[x\\](javascript:alert(1))" in heading and "\\*Eve\\*" in heading and "\\<b\\>" in heading
    assert "\\|" in heading and "\\#" in heading
    row = next(line for line in done.class_file.read_text("utf-8").splitlines() if "javascript" in line)
    assert row.count(" | ") == row.replace("\\|", "").count(" | ")  # the name adds no column


def test_feedback_goes_with_the_table_and_the_report(tmp_path, capsys):
    lesson = make_lesson(tmp_path)
    handins = make_handins(tmp_path / "handins")
    out = tmp_path / "fb"
    assert main(["compare", str(lesson), str(handins), "--feedback", str(out)]) == 0
    captured = capsys.readouterr()
    assert "found by" in captured.out  # the table, as without --feedback
    assert captured.err.strip().splitlines()[-1] == f"wrote feedback for 4 students and class.md to {out}"
    assert len(list(out.glob("*.md"))) == 5
    report = tmp_path / "report.json"
    assert main(["compare", str(lesson), str(handins), "--feedback", str(out), "--format", "json", "-o", str(report)]) == 0
    assert len(json.loads(report.read_text("utf-8"))["students"]) == 4
    assert len(list(out.glob("*.md"))) == 5  # the same files, written again


def test_a_feedback_folder_that_is_a_file_is_one_line(tmp_path, capsys):
    lesson = make_lesson(tmp_path)
    handins = make_handins(tmp_path / "handins")
    taken = tmp_path / "fb"
    taken.write_text("not a folder")
    assert main(["compare", str(lesson), str(handins), "--feedback", str(taken), "--format", "csv", "-o",
                 str(tmp_path / "r.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"presscheck: {taken}: is a file, not a folder; give --feedback a folder"
    assert taken.read_text() == "not a folder"


def test_each_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    import errno

    import reader.atomic_write as atomic_write

    handins = make_handins(tmp_path / "handins")
    report = compare(KEY, sorted(handins.iterdir()), SEEDS)
    out = tmp_path / "fb"
    out.mkdir()
    (out / "class.md").write_text("last week\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "fsync", full)
    with pytest.raises(UserError, match="cannot write the feedback"):
        write_feedback(report, out)
    assert [p.name for p in out.iterdir()] == ["class.md"] and (out / "class.md").read_text() == "last week\n"


def test_md_escapes_markdown_and_controls():
    assert md("a_b *c* [d](e) `f` <g> #h |i ~j &amp;") == "a\\_b \\*c\\* \\[d\\](e) \\`f\\` \\<g\\> \\#h \\|i \\~j \\&amp;"
    assert md("line\none\x1b[2J") == "line one␛\\[2J"
