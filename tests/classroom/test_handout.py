"""`presscheck pack handout LESSON`: the students' copy of a pack, without its key and without
anything else the teacher keeps in the folder; written whole or not at all, never over
something already there."""

from __future__ import annotations

import errno
import tomllib
import zipfile

import pytest
from test_lesson_cli import make_lesson

from reader.classroom.pack import load_pack
from reader.classroom.pack_check import check_pack
from reader.classroom.pack_handout import write_handout
from reader.cli import main
from reader.errors import UserError

SEED_ARTICLES = {"000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt"}


def manifest_of(pack_path) -> dict:
    return tomllib.loads((load_pack(pack_path).folder / "pack.toml").read_text("utf-8"))


def test_the_handout_is_the_manifest_without_the_key_and_the_articles_only(tmp_path, capsys):
    lesson = make_lesson(tmp_path)
    assert check_pack(lesson) == [] and load_pack(lesson).key is not None

    assert main(["pack", "handout", str(lesson)]) == 0
    handout = tmp_path / "hanoi-handout.zip"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(handout) in err[0] and "without its answer key" in err[0]

    with zipfile.ZipFile(handout) as archive:
        assert set(archive.namelist()) == {"pack.toml"} | SEED_ARTICLES  # no key, .key/, hand-in, notes
    assert check_pack(handout) == []
    assert main(["pack", "check", str(handout)]) == 0
    student = load_pack(handout)
    teacher = load_pack(lesson)
    assert student.key is None and "key" not in manifest_of(handout)
    assert (student.title, student.instructions, student.tags, student.relations) == (
        teacher.title, teacher.instructions, teacher.tags, teacher.relations)
    assert [p.read_bytes() for p in student.articles] == [p.read_bytes() for p in teacher.articles]


def test_a_zipped_lesson_hands_out_to_a_folder(tmp_path):
    zipped = make_lesson(tmp_path, "week3.zip")
    done = write_handout(zipped, tmp_path / "students")
    assert done.path == tmp_path / "students" and done.articles == 2 and done.had_key
    assert {p.name for p in done.path.iterdir()} == {"pack.toml"} | SEED_ARTICLES
    assert check_pack(done.path) == [] and load_pack(done.path).key is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp folder left
    # the default name is the zip's, beside it
    assert write_handout(zipped).path == tmp_path / "week3-handout.zip"


def test_an_existing_output_is_never_replaced(tmp_path, capsys):
    lesson = make_lesson(tmp_path)
    taken = tmp_path / "hanoi-handout.zip"
    taken.write_bytes(b"last year's handout")
    assert main(["pack", "handout", str(lesson)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(taken) in err[0] and "already exists" in err[0] and "-o" in err[0]
    assert taken.read_bytes() == b"last year's handout"
    folder = tmp_path / "students"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(UserError, match="already exists"):
        write_handout(lesson, folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("output", ["out.zip", "out"])
def test_a_handout_that_cannot_be_written_whole_leaves_nothing(tmp_path, monkeypatch, output):
    import reader.atomic_write as atomic_write
    import reader.classroom.pack_create as pack_create

    lesson = make_lesson(tmp_path)
    before = set(tmp_path.iterdir())

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "fsync", full)
    monkeypatch.setattr(pack_create.os, "fsync", full)
    with pytest.raises(UserError, match="cannot write the pack"):
        write_handout(lesson, tmp_path / output)
    assert set(tmp_path.iterdir()) == before  # no half pack, no temp file or folder


def test_a_pack_without_a_key_hands_out_and_checks_clean(tmp_path, capsys):
    lesson = make_lesson(tmp_path, key=None)
    assert check_pack(lesson) == []
    done = write_handout(lesson)
    assert not done.had_key and check_pack(done.path) == []


def test_a_key_deleted_by_hand_says_to_use_handout(tmp_path):
    lesson = make_lesson(tmp_path)
    (lesson / "key.json").unlink()
    [problem] = check_pack(lesson)
    assert "answer key file not found" in problem and "presscheck pack handout" in problem


def test_an_article_that_is_the_key_is_refused(tmp_path):
    lesson = make_lesson(tmp_path)
    manifest = lesson / "pack.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(
        'articles = ["000_1aa975c49d58f58c.txt"', 'articles = ["key.json", "000_1aa975c49d58f58c.txt"'), "utf-8")
    with pytest.raises(UserError, match="is the answer key"):
        write_handout(lesson)
    assert not (tmp_path / "hanoi-handout.zip").exists()
