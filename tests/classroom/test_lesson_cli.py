"""`compare LESSON HANDINS` and `class LESSON HANDINS`: the key from the pack, hand-ins from a
folder (what is not a hand-in said, links out of it never read), the old `KEY STUDENT
--pack` form, and the terminal table at 80 columns."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from classroom_helpers import KEY, SEED_FILES, SEEDS, key_annotations, respan, seed_articles, write_native
from rich.cells import cell_len
from rich.console import Console

from reader.classroom.compare import compare
from reader.classroom.lesson import resolve_lesson
from reader.classroom.pack_create import create_pack
from reader.cli import main
from reader.compare_table import fit, render_compare_tables
from reader.errors import UserError

SEED_PATHS = [SEEDS / name for name in SEED_FILES]
REPORT_SCHEMA = json.loads((Path(__file__).parent / "report.schema.json").read_text("utf-8"))


def make_lesson(folder: Path, name: str = "hanoi", key: Path | None = KEY) -> Path:
    """A teacher's pack with the seed key, and the clutter a real folder gathers: key mode's
    hidden database, a hand-in dropped into it, notes."""
    pack = create_pack(folder / name, "Hanoi", SEED_PATHS, "Read both reports.", key)
    if pack.suffix != ".zip":
        (pack / ".key").mkdir()
        (pack / ".key" / "key-db.json").write_text('{"secret": "the key database"}')
        write_native(pack / "ann-collected.json", key_annotations()[:1], "Ann")
        (pack / "teacher-notes.md").write_text("item 3 is the hard one")
    return pack


def by_kind(kind: str):
    return [a for a in key_annotations() if a.kind == kind]


def an_extra_claim():
    """A claim on the first words of the first article, which no key item covers."""
    claim = by_kind("claim")[0]
    return respan(claim, [(0, 24)], seed_articles(), note="Who says so?", tags=("my own tag",))


def make_handins(folder: Path) -> Path:
    """Ann (the contradictions, one extra claim), Bob (the links), José García and Jose
    Garcia (one contradiction each), in a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    write_native(folder / "ann.json", by_kind("contradiction") + [an_extra_claim()], "Ann")
    write_native(folder / "bob.json", by_kind("link"), "Bob")
    write_native(folder / "jose1.json", by_kind("contradiction")[:1], "José García")
    write_native(folder / "jose2.json", by_kind("contradiction")[:1], "Jose Garcia")
    return folder


def test_a_folder_of_hand_ins_is_read_by_name_and_the_rest_is_skipped_with_its_reason(tmp_path, capsys):
    lesson = make_lesson(tmp_path)
    handins = make_handins(tmp_path / "handins")
    (handins / "notes.txt").write_text("collected on Monday")
    (handins / "broken.json").write_text('{"annotations": [')
    (handins / "._ann.json").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    (handins / "old").mkdir()
    write_native(handins / "old" / "carl.json", by_kind("claim"), "Carl")
    # a valid export outside the folder, reached through a link in it: never read
    outside = write_native(tmp_path / "elsewhere.json", by_kind("claim"), "Mallory")
    (handins / "zz-link.json").symlink_to(outside)
    report_file = tmp_path / "report.json"

    assert main(["compare", str(lesson), str(handins), "--format", "json", "-o", str(report_file)]) == 0
    err = capsys.readouterr().err.splitlines()
    data = json.loads(report_file.read_text("utf-8"))
    jsonschema.validate(data, REPORT_SCHEMA)  # the report contract holds, skipped files and all
    assert [s["author"] for s in data["students"]] == ["Ann", "Bob", "José García", "Jose Garcia"]
    assert data["key"] == str(lesson / "key.json")
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert set(skipped) == {"._ann.json", "notes.txt", "broken.json", "old", "zz-link.json"}
    assert "not a hand-in (.json" in skipped["notes.txt"]
    assert skipped["._ann.json"] == "a hidden file" and skipped["old"].startswith("a folder")
    assert "not valid JSON" in skipped["broken.json"]
    assert "outside the folder" in skipped["zz-link.json"]
    assert "Mallory" not in report_file.read_text("utf-8") and "Carl" not in report_file.read_text("utf-8")
    lines = [line for line in err if line.startswith("skipped ")]
    assert len(lines) == 5 and any(line.startswith(f"skipped {handins / 'notes.txt'}: not a hand-in") for line in lines)
    assert any("zz-link.json" in line and "outside the folder" in line for line in lines)


def test_a_link_that_stays_in_the_folder_is_read(tmp_path):
    handins = make_handins(tmp_path / "handins")
    (handins / "same-bob.json").symlink_to(handins / "bob.json")
    lesson = resolve_lesson(KEY, [handins], SEEDS)
    assert [p.name for p in lesson.handins] == ["ann.json", "bob.json", "jose1.json", "jose2.json", "same-bob.json"]
    assert lesson.skipped == []


def test_the_key_comes_from_the_pack_and_the_old_form_still_works(tmp_path):
    lesson = make_lesson(tmp_path)
    resolved = resolve_lesson(lesson, [KEY], None)
    assert resolved.key_path == lesson / "key.json" and resolved.pack_folder == lesson
    old = resolve_lesson(KEY, [KEY], str(lesson))
    assert old.key_path == KEY and old.pack_folder == lesson and old.handins == [KEY]
    with pytest.raises(UserError, match="--pack names another"):
        resolve_lesson(lesson, [KEY], str(SEEDS))


def test_a_zipped_lesson_names_its_key_by_the_zip(tmp_path, capsys):
    zipped = make_lesson(tmp_path, "week3.zip")
    handins = make_handins(tmp_path / "handins")
    assert main(["compare", str(zipped), str(handins), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["key"] == str(zipped / "key.json") and len(data["students"]) == 4


@pytest.mark.parametrize("case", ["no key", "key file gone", "not a pack", "empty folder"])
def test_what_cannot_be_compared_is_one_line(tmp_path, capsys, case):
    handins = make_handins(tmp_path / "handins")
    lesson = tmp_path / "hanoi"
    if case == "no key":
        create_pack(lesson, "Hanoi", SEED_PATHS)
        expected = f"{lesson}: the pack has no answer key; write one with `presscheck key {lesson}`"
    elif case == "key file gone":
        make_lesson(tmp_path)
        (lesson / "key.json").unlink()
        expected = "key.json named by pack.toml is missing"
    elif case == "not a pack":
        lesson.mkdir()
        expected = "not an exercise pack"
    else:
        make_lesson(tmp_path)
        handins = tmp_path / "empty"
        handins.mkdir()
        (handins / "readme.txt").write_text("x")
        expected = "no hand-in files (.json or .jsonld) in it (1 other file(s) skipped)"
    assert main(["compare", str(lesson), str(handins)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if not line.startswith("skipped ")]) == 1


def test_class_takes_the_lesson_and_a_folder_too(tmp_path, monkeypatch, capsys):
    import reader.classroom.class_view as class_view

    lesson = make_lesson(tmp_path)
    handins = make_handins(tmp_path / "handins")
    (handins / "notes.txt").write_text("x")
    seen = []

    def build(key, students, pack_folder, threshold=0.5):
        seen.append((key, students, pack_folder, threshold))
        raise UserError("stop here: the app is not opened in this test")

    monkeypatch.setattr(class_view, "build_class_view", build)
    assert main(["class", str(lesson), str(handins), "--threshold", "0.6"]) == 1
    [(key, students, pack_folder, threshold)] = seen
    assert key == lesson / "key.json" and pack_folder == lesson and threshold == 0.6
    assert [p.name for p in students] == ["ann.json", "bob.json", "jose1.json", "jose2.json"]
    assert "skipped" in capsys.readouterr().err


def test_help_shows_the_new_forms(capsys):
    for argv in (["compare", "--help"], ["class", "--help"], ["pack", "handout", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
    out = capsys.readouterr().out
    assert "LESSON HANDINS" in out and "--feedback DIR" in out and "KEY STUDENT" in out
    assert "-o FILE.zip|DIR" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "presscheck pack create|check|handout" in capsys.readouterr().out


# ---------------------------------------------------------------------- the terminal table


def test_fit_cuts_on_a_word_with_an_ellipsis():
    quote = "foreign minister Ri Yong Ho claims Kim Jong Un has demanded the removal of only some of the sanctions"
    for width in (12, 20, 30, 40):
        cut = fit(quote, width)
        assert cut.endswith("…") and len(cut) <= 2 * width
        kept = cut[:-1]
        assert quote.startswith(kept) and quote[len(kept)] == " ", cut  # a whole word ends there
    assert fit(quote, 200) == quote
    long_word = "x" * 100
    assert fit(long_word, 20) == "x" * 19 + "…"
    assert fit(f"see {long_word} here", 20) == "see " + "x" * 19 + "… here"


def rendered(report, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    render_compare_tables(report, console)
    return console.file.getvalue()


def test_the_table_fits_80_columns_names_kinds_in_full_and_cuts_quotes_on_words(tmp_path):
    handins = make_handins(tmp_path / "handins")
    report = compare(KEY, sorted(handins.iterdir()), SEEDS)
    long_word = "Supercalifragilisticexpialidocious" * 3
    report.key_items[0] = replace(report.key_items[0], quotes=(report.key_items[0].quotes[0], f"a {long_word} b"))
    text = rendered(report, 80)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "contradiction" in lines[2] + lines[3]  # the header: the kind in full
    assert "contrad " not in text and "contradicti\n" not in text
    # the seeds' long quote is cut, and only after a whole word
    assert "demanded the remova" not in text.replace("removal", "")
    cells = [line.split("│")[4].strip() for line in lines if line.count("│") >= 5]
    ends = [cell for cell in cells if cell.endswith("…”")]
    assert ends, text
    for cell in ends:
        last = cell[:-2].split()[-1].lstrip("“")
        if not last.startswith("Supercali"):
            assert any(f"{last} " in q or q.endswith(last) for item in report.key_items for q in item.quotes), last
    assert "Supercalifragilisticexpialidocious" in text and long_word not in text  # cut, with "…"
    assert "why" not in text  # no room for the why at 80 columns
    wide = rendered(report, 140)
    assert "why" in wide and "All sanctions (Trump" in wide and max(cell_len(line) for line in wide.splitlines()) <= 140
    # wide, a row is as high as its item has quotes: four students and 14 items on one screen
    # (3 contradictions and 3 links of two quotes: 20 rows; 14 + 6 lines of the two titles,
    # borders and headers, and the agreement)
    assert len(wide.splitlines()) == 14 + 20 + 6
