"""compare: matching rules and scores, checked on the seed key and hand-made students."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from classroom_helpers import KEY, SEEDS, respan, seed_articles, write_native, write_w3c_quote_only
from rich.cells import cell_len
from rich.console import Console

from reader.classroom.agreement import agreement
from reader.classroom.compare import compare
from reader.classroom.matching import DEFAULT_THRESHOLD, span_iou
from reader.classroom.report_formats import render_csv, render_json, render_md
from reader.classroom.unitizing import unitizing_agreement
from reader.compare_table import render_compare_tables
from reader.errors import UserError
from reader.model import KINDS

REPORT_SCHEMA = json.loads((Path(__file__).parent / "report.schema.json").read_text("utf-8"))


def kinds_of(report, n=0):
    return report.to_json()["students"][n]["kinds"]


def assert_perfect(student: dict) -> None:
    for kind in KINDS:
        score = student["kinds"][kind]
        assert (score["precision"], score["recall"], score["f1"]) == (1.0, 1.0, 1.0), kind
        assert score["missed"] == [] and score["extra"] == []
    assert student["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_seed_key_has_contradictions_links_and_claims_with_notes(key):
    counts = {kind: sum(a.kind == kind for a in key) for kind in KINDS}
    assert counts["contradiction"] == 3 and counts["link"] >= 3 and counts["claim"] >= 5
    assert all(a.note.strip() and "\n" not in a.note for a in key)
    assert all(len({t.article_id for t in a.targets}) == 2 for a in key if a.kind == "contradiction")


def test_seed_key_is_what_the_generator_writes():
    from keygen import build

    expected = build()
    actual = json.loads(KEY.read_text("utf-8"))
    assert actual["annotations"] == json.loads(json.dumps(expected["annotations"]))
    assert [a["id"] for a in actual["articles"]] == [a["id"] for a in expected["articles"]]


def test_key_against_itself_scores_one_everywhere():
    report = compare(KEY, [KEY, KEY], SEEDS)
    data = report.to_json()
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["threshold"] == DEFAULT_THRESHOLD == 0.5
    for student in data["students"]:
        assert_perfect(student)
        assert student["author"] == "presscheck answer key"
    assert all(item["found_by"] == 2 for item in data["items"])
    assert len(data["items"]) == 14 and data["skipped"] == []


def test_swapping_both_ends_of_every_contradiction_and_link_still_scores_one(tmp_path, key):
    swapped = [replace(a, targets=a.targets[::-1]) if len(a.targets) == 2 else a for a in key]
    assert sum(a.targets != b.targets for a, b in zip(swapped, key)) == 6
    student = write_native(tmp_path / "swapped.json", swapped, "Swapper")
    assert_perfect(compare(KEY, [student], SEEDS).to_json()["students"][0])


def test_two_of_three_contradictions_gives_recall_two_thirds(tmp_path, key):
    contradictions = [a for a in key if a.kind == "contradiction"]
    student = write_native(tmp_path / "two.json", contradictions[:2], "Two")
    score = kinds_of(compare(KEY, [student], SEEDS))["contradiction"]
    assert score["recall"] == pytest.approx(2 / 3)
    assert score["precision"] == 1.0 and score["f1"] == pytest.approx(0.8)
    assert score["matched"] == 2 and score["extra"] == []
    [missed] = score["missed"]
    assert missed["quotes"] == [t.quote.exact for t in contradictions[2].targets]
    assert missed["note"] == contradictions[2].note


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right == -1 else right


def test_whole_paragraph_does_not_match_a_sentence_but_the_sentence_give_or_take_does(tmp_path, key, articles):
    item = next(a for a in key if a.kind == "claim" and a.targets[0].quote.exact.startswith("However, recent intel"))
    target = item.targets[0]
    text = articles[target.article_id].text
    para = paragraph_around(text, target.start, target.end)
    assert para[1] - para[0] > 3 * (target.end - target.start)  # really a paragraph
    wide = respan(item, [para], articles)
    near = respan(item, [(target.start + 4, target.end - 3)], articles)
    over = respan(item, [(target.start - 5, min(len(text), target.end + 6))], articles)
    files = [
        write_native(tmp_path / "paragraph.json", [wide], "Wide"),
        write_native(tmp_path / "near.json", [near], "Near"),
        write_native(tmp_path / "over.json", [over], "Over"),
    ]
    report = compare(KEY, files, SEEDS)
    wide_s, near_s, over_s = (s.kinds["claim"] for s in report.students)
    assert wide_s.matched == 0 and len(wide_s.extra) == 1
    assert near_s.matched == 1 and over_s.matched == 1
    assert near_s.precision == 1.0 and near_s.recall == pytest.approx(1 / sum(a.kind == "claim" for a in key))
    # the threshold is configurable: a low one accepts the paragraph
    assert compare(KEY, files[:1], SEEDS, threshold=0.1).students[0].kinds["claim"].matched == 1


def test_one_key_item_matches_one_student_item(tmp_path, key, articles):
    claim = next(a for a in key if a.kind == "claim")
    t = claim.targets[0]
    twice = [respan(claim, [(t.start, t.end)], articles), respan(claim, [(t.start + 1, t.end)], articles)]
    score = kinds_of(compare(KEY, [write_native(tmp_path / "twice.json", twice, "Twice")], SEEDS))["claim"]
    assert score["matched"] == 1 and len(score["extra"]) == 1
    assert score["precision"] == 0.5


def test_a_kind_only_the_student_has_counts_as_extra_and_absent_kinds_score_one(tmp_path, key, articles):
    claim = next(a for a in key if a.kind == "claim")
    note = respan(claim, [(claim.targets[0].start, claim.targets[0].end)], articles, kind="note", tags=())
    report = compare(KEY, [write_native(tmp_path / "n.json", [note], "N"), KEY], SEEDS)
    student, keyself = report.to_json()["students"]
    assert student["kinds"]["note"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "matched": 0, "missed": [],
        "extra": [{"kind": "note", "quotes": [claim.targets[0].quote.exact], "note": claim.note}],
    }
    assert keyself["kinds"]["note"]["f1"] == 1.0  # neither key nor student has notes
    assert student["kinds"]["claim"]["recall"] == 0.0 and student["overall"]["precision"] == 0.0


def test_w3c_quote_only_students_are_placed_on_the_pack_and_match(tmp_path, key):
    student = write_w3c_quote_only(tmp_path / "hypothesis.jsonld", key, "Hypo")
    data = compare(KEY, [student], SEEDS).to_json()
    assert_perfect(data["students"][0])
    assert data["students"][0]["author"] == "Hypo"


def test_bad_student_files_are_skipped_with_a_reason_and_the_rest_scored(tmp_path, key):
    from reader.anchoring import describe
    from reader.export import json_format
    from reader.model import Annotation, Article, article_id_for

    (tmp_path / "notjson.json").write_text("{this is not json")
    (tmp_path / "empty.json").write_bytes(b"")
    other_text = "A different exercise about a different summit entirely."
    other = Article(id=article_id_for(other_text), title="Other", text=other_text, source="other.txt")
    claim = Annotation("claim", (describe(other.id, other_text, 2, 20),), "Elsewhere")
    (tmp_path / "other.json").write_bytes(
        json_format.dumps(json_format.build_document([other], [claim], "Elsewhere"))
    )
    write_native(tmp_path / "nothing.json", [], "Nobody")
    good = write_native(tmp_path / "good.json", key, "Good")
    names = ["notjson.json", "empty.json", "good.json", "other.json", "nothing.json", "missing.json"]
    report = compare(KEY, [tmp_path / n for n in names], SEEDS)
    data = report.to_json()
    jsonschema.validate(data, REPORT_SCHEMA)
    assert [s["file"] for s in data["students"]] == [str(good)]
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert list(skipped) == ["notjson.json", "empty.json", "other.json", "nothing.json", "missing.json"]
    assert "not valid JSON" in skipped["notjson.json"]
    assert "empty" in skipped["empty.json"]
    assert "another exercise" in skipped["other.json"]
    assert "no annotations" in skipped["nothing.json"]
    assert "no such file" in skipped["missing.json"]


def test_a_bad_key_or_threshold_is_a_user_error(tmp_path):
    (tmp_path / "bad.json").write_text("[1, 2")
    with pytest.raises(UserError, match="bad.json"):
        compare(tmp_path / "bad.json", [KEY], SEEDS)
    with pytest.raises(UserError, match="threshold"):
        compare(KEY, [KEY], SEEDS, threshold=0)


def test_span_iou():
    assert span_iou(("a", 0, 10), ("a", 0, 10)) == 1.0
    assert span_iou(("a", 0, 10), ("a", 5, 15)) == pytest.approx(5 / 15)
    assert span_iou(("a", 0, 10), ("b", 0, 10)) == 0.0
    assert span_iou(("a", 0, 10), ("a", 10, 20)) == 0.0


def test_agreement_is_krippendorffs_alpha_with_reasons_when_undefined():
    # hand-computed nominal alpha: o11=4, o00=2, o01=o10=1, n=8 -> 1 - (2/8) / (2*5*3/(8*7)) = 16/30
    result = agreement([[True, True, False, True], [True, False, False, True]])
    assert result["alpha"] == pytest.approx(16 / 30)
    assert result["method"] == "krippendorff_alpha" and result["students"] == 2 and result["items"] == 4
    assert agreement([[True, False]])["alpha"] is None
    same = agreement([[True, True], [True, True]])
    assert same["alpha"] is None and "same" in same["note"]


def test_md_and_csv_reports(tmp_path, key):
    two = write_native(tmp_path / "two.json", [a for a in key if a.kind != "link"], "Ann")
    report = compare(KEY, [KEY, two], SEEDS)
    md = render_md(report).decode()
    assert "| Ann |" in md and "missed link" in md and "Krippendorff" in md
    rows = render_csv(report).decode().splitlines()
    assert rows[0] == "file,author,kind,precision,recall,f1,matched,missed,extra,class_alpha,class_alpha_u"
    assert len(rows) == 1 + 2 * 5
    assert any(row.startswith(f"{two},Ann,link,0.0000,0.0000,0.0000,0,3,0,,") for row in rows)
    assert json.loads(render_json(report))["students"][1]["author"] == "Ann"


def test_an_export_of_another_version_of_a_pack_article_is_placed_by_quote(tmp_path, key, articles):
    from reader.anchoring import describe
    from reader.export import json_format
    from reader.model import Article, article_id_for

    first = next(a for a in articles.values() if a.source.endswith("000_1aa975c49d58f58c.txt"))
    text = "Updated: a correction was added.\n" + first.text
    shift = len(text) - len(first.text)
    version = Article(id=article_id_for(text), title=first.title, text=text, source="000_1aa975c49d58f58c.txt")
    claims = [a for a in key if a.kind == "claim" and a.targets[0].article_id == first.id]
    moved = [
        replace(c, targets=(describe(version.id, text, c.targets[0].start + shift, c.targets[0].end + shift),))
        for c in claims
    ]
    path = tmp_path / "v2.json"
    path.write_bytes(json_format.dumps(json_format.build_document([version], moved, "V2")))
    [student] = compare(KEY, [path], SEEDS).students
    assert student.kinds["claim"].matched == len(claims) == 5
    assert student.kinds["claim"].extra == []


def test_heat_counts_students_per_passage_once_each(tmp_path, key, articles):
    from reader.classroom.heat import heat

    claim = next(a for a in key if a.kind == "claim")
    t = claim.targets[0]
    s, e = t.start, t.end
    first = [respan(claim, [(s, e)], articles), respan(claim, [(s + 2, e - 2)], articles)]  # overlapping: once
    second = [respan(claim, [(s + 10, e + 10)], articles)]
    files = [write_native(tmp_path / "a.json", first, "A"), write_native(tmp_path / "b.json", second, "B")]
    report = compare(KEY, files, SEEDS)
    runs = heat(report.submissions)
    assert runs == {t.article_id: [(s, s + 10, 1), (s + 10, e, 2), (e, e + 10, 1)]}
    assert heat(compare(KEY, [KEY], SEEDS).submissions)[t.article_id][0][2] == 1


# -- the class's agreement on where passages start and end (αu) ----------------------------------

PICKS = (range(0, 9), range(0, 11), range(3, 14), range(1, 12))
"""Which key items each of four students marks: a found/missed pattern with variation."""
TRIMS = ((0.0, 0.0), (0.4, 0.0), (0.0, -0.6), (0.2, 0.2))
"""How much of each passage a student leaves out (negative: adds) at its start and at its end
when the spans are not exact: never so much that the item stops matching its key item (IoU
0.6 and more)."""


def trimmed(annotation, articles, start: float, end: float):
    """`annotation` with every passage cut (or grown) by those fractions of its length at each
    end, within its article."""
    spans = []
    for t in annotation.targets:
        length, text = t.end - t.start, articles[t.article_id].text
        spans.append((max(0, t.start + int(length * start)), min(len(text), t.end - int(length * end))))
    return respan(annotation, spans, articles)


def a_class(folder: Path, key, articles, exact: bool) -> list[Path]:
    folder.mkdir()
    files = []
    for n, (picked, (start, end)) in enumerate(zip(PICKS, TRIMS)):
        items = [key[i] if exact else trimmed(key[i], articles, start, end) for i in picked]
        files.append(write_native(folder / f"s{n}.json", items, f"Student {n}"))
    return files


def table_text(report, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    render_compare_tables(report, console)
    return console.file.getvalue()


@pytest.fixture
def exact_and_shifted(tmp_path, key, articles):
    exact = compare(KEY, a_class(tmp_path / "exact", key, articles, exact=True), SEEDS)
    shifted = compare(KEY, a_class(tmp_path / "shifted", key, articles, exact=False), SEEDS)
    return exact, shifted


def test_spans_that_differ_in_extent_lower_alpha_u_but_not_the_nominal_alpha(exact_and_shifted):
    exact, shifted = exact_and_shifted
    # the same students found the same key items ...
    assert [s.found for s in shifted.students] == [s.found for s in exact.students]
    assert len({tuple(s.found) for s in exact.students}) == len(PICKS)
    # ... on passages that start and end elsewhere
    assert [i.spans for i in shifted.submissions[1].items] != [i.spans for i in exact.submissions[1].items]
    assert [i.spans for i in shifted.submissions[0].items] == [i.spans for i in exact.submissions[0].items]
    nominal = exact.agreement["alpha"]
    assert nominal is not None and shifted.agreement["alpha"] == nominal  # blind to where spans lie
    exact_u, shifted_u = exact.agreement["unitizing"], shifted.agreement["unitizing"]
    assert exact_u["alpha_u"] is not None and shifted_u["alpha_u"] is not None
    assert shifted_u["alpha_u"] < exact_u["alpha_u"] - 0.1  # αu sees it (0.51 against 0.76)
    for kind in ("claim", "contradiction", "link"):
        assert shifted_u["by_kind"][kind] < exact_u["by_kind"][kind], kind
    assert exact_u["by_kind"]["note"] is None and "no passages marked as note" in exact_u["note"]


def test_the_json_report_carries_alpha_u_as_unitizing_agreement_computes_it(exact_and_shifted):
    lengths = {a.id: len(a.text) for a in seed_articles().values()}
    for report in exact_and_shifted:
        data = json.loads(render_json(report))
        jsonschema.validate(data, REPORT_SCHEMA)
        unitizing = data["agreement"]["unitizing"]
        assert unitizing == unitizing_agreement(report.submissions, lengths)  # the scored students, not the key
        assert unitizing["method"] == "krippendorff_unitizing_alpha"
        assert unitizing["students"] == len(data["students"]) == len(PICKS)
        assert unitizing["continuum_length"] == sum(lengths.values())
        # the nominal figures are there as before, under their own keys
        nominal = agreement([s.found for s in report.students])
        assert {k: v for k, v in data["agreement"].items() if k != "unitizing"} == nominal
        assert data["agreement"]["method"] == "krippendorff_alpha" and data["agreement"]["level"] == "nominal"


def test_the_table_shows_both_agreements(exact_and_shifted):
    for report in exact_and_shifted:
        text = table_text(report)
        unitizing = report.agreement["unitizing"]
        assert f"agreement on found key items (Krippendorff's alpha, nominal): {report.agreement['alpha']:.3f}" in text
        [line] = [line for line in text.splitlines() if "αu" in line]
        assert line.startswith(
            "agreement on where passages start and end (Krippendorff's unitizing alpha αu): "
            f"{unitizing['alpha_u']:.3f} — claim {unitizing['by_kind']['claim']:.2f}, "
        ), line
        assert line.endswith(", note n/a")
    # and why, when αu is undefined
    lone = compare(KEY, [KEY], SEEDS)
    assert "unitizing alpha αu): undefined, needs at least two students" in table_text(lone)
    assert max(cell_len(line) for line in table_text(exact_and_shifted[1], 80).splitlines()) <= 80


def test_md_and_csv_reports_carry_alpha_u(exact_and_shifted):
    _, report = exact_and_shifted
    unitizing = report.agreement["unitizing"]
    md = render_md(report).decode()
    agreement_section = md[md.index("## Agreement") :]
    assert f"Krippendorff's alpha (nominal, found/missed per key item): {report.agreement['alpha']:.3f}" in md
    assert f"Krippendorff's unitizing alpha αu (where passages start and end" in agreement_section
    assert f"each kind a category): {unitizing['alpha_u']:.3f}" in agreement_section
    assert f"| claim | {unitizing['by_kind']['claim']:.3f} |" in agreement_section
    assert "| note | undefined |" in agreement_section and "Note: no passages marked as note." in agreement_section
    rows = list(csv.DictReader(io.StringIO(render_csv(report).decode())))
    for row in rows:
        if row["kind"] == "overall":
            assert float(row["class_alpha"]) == pytest.approx(report.agreement["alpha"], abs=1e-4)
            assert float(row["class_alpha_u"]) == pytest.approx(unitizing["alpha_u"], abs=1e-4)
        elif row["kind"] == "note":
            assert row["class_alpha"] == row["class_alpha_u"] == ""  # undefined: empty
        else:
            assert float(row["class_alpha_u"]) == pytest.approx(unitizing["by_kind"][row["kind"]], abs=1e-4)
