"""The student's hand-in: NAME-PACK.json from the command line and from the app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from reader.classroom.handin import hand_in_name, slug
from reader.classroom.pack import load_pack
from reader.errors import UserError
from reader.store import Store


def test_names_are_safe_file_names(seeds):
    assert slug("Zoë O'Brien / 3B") == "zoe-o-brien-3b"
    # NAME-PACK-HASH.json: the hash (of the exact name) keeps look-alike names apart
    assert hand_in_name("Ada Lovelace", load_pack(seeds)) == (
        "ada-lovelace-hanoi-summit-february-2019-two-reports-76740216.json"
    )


async def test_hand_in_from_the_app_writes_name_pack_json(make_app, workdir):
    app = make_app(author="Ada Lovelace")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t", "enter", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    [handed] = list(workdir.glob("ada-lovelace-*.json"))
    document = json.loads(handed.read_text())
    assert document["author"] == "Ada Lovelace"
    assert [a["kind"] for a in document["annotations"]] == ["claim"]


def test_hand_in_from_the_command_line(make_app, workdir, db_path, seeds):
    store = Store.open(db_path)
    store.set_meta("author", "Grace")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--hand-in", "--db", str(db_path), "--pack", str(seeds)],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "grace-hanoi-summit" in result.stderr
    assert list(workdir.glob("grace-hanoi-summit-*.json"))


async def test_instructions_are_one_key_away_and_announced_once(make_app, db_path):
    from reader.screens.instructions import InstructionsScreen

    app = make_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.pause()
        assert any("Press i for the instructions" in n.message for n in app._notifications)
        await pilot.press("i")
        assert isinstance(app.screen, InstructionsScreen)
        assert "contradict" in app.screen.instructions
        await pilot.press("escape")
        assert not isinstance(app.screen, InstructionsScreen)
        await app.workers.wait_for_complete()
    again = make_app()
    async with again.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.pause()
        assert not any("Press i" in n.message for n in again._notifications)


async def test_a_hand_in_from_a_shared_database_holds_only_its_students_work(make_app, workdir, db_path, seeds):
    """presscheck serve: one database for the class; Bo's hand-in must not carry Ada's."""
    from reader.anchoring import describe
    from reader.ingest import load_article
    from reader.model import Annotation

    article = load_article(load_pack(seeds).articles[0])
    Store.open(db_path).put_many(
        [article],
        [Annotation(kind="claim", targets=(describe(article.id, article.text, 0, 20),), author="Ada")],
    )
    app = make_app(author="Bo")
    app.session.remember_author = False  # as `presscheck serve` runs it
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "t", "enter", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    [handed] = list(workdir.glob("bo-*.json"))
    document = json.loads(handed.read_text())
    assert [a["author"] for a in document["annotations"]] == ["Bo"]
    assert {a.author for a in Store.open(db_path).annotations()} == {"Ada", "Bo"}


# ------------------------------------------------------------------ issue 16: files for others


def _annotate(store: Store, files, author: str, count: int = 1) -> None:
    """`author` tags the first `count` sentences-ish of each article file (read from disk)."""
    from reader.anchoring import describe
    from reader.ingest import load_article
    from reader.model import Annotation

    articles = [load_article(path) for path in files]
    annotations = [
        Annotation(kind="claim", targets=(describe(a.id, a.text, 10 * n, 10 * n + 30),), author=author)
        for a in articles for n in range(count)
    ]
    store.put_many(articles, annotations)


def _other_pack(folder, name: str = "bridges-lesson", thing: str = "bridge"):
    from reader.classroom.pack_create import create_pack

    sources = folder / "drafts"
    sources.mkdir(parents=True, exist_ok=True)
    (sources / "report-a.txt").write_text(
        f"The minister said on Monday that the new {thing} would open in May, two years late.\n", "utf-8"
    )
    (sources / "report-b.txt").write_text(
        f"Officials now expect the {thing} to open in the autumn; the minister gave no date.\n", "utf-8"
    )
    return create_pack(folder / name, "Bridges", [sources / "report-a.txt", sources / "report-b.txt"])


def test_look_alike_and_non_latin_names_never_share_a_hand_in(tmp_path, seeds):
    """The reproduction: 王伟 and Дмитрий both handed in as `untitled-….json`, José García
    and Jose Garcia both as `jose-garcia-….json`; the second replaced the first."""
    from reader.classroom.handin import hand_in

    pack = load_pack(seeds)
    store = Store.open(tmp_path / "class.json")
    students = ["王伟", "Дмитрий", "José García", "Jose Garcia", "jose garcia"]
    for student in students:
        _annotate(store, pack.articles, student)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paths = [hand_in(store, student, pack, inbox, only_mine=True)[0] for student in students]
    assert len(set(paths)) == len(students) == len(list(inbox.glob("*.json")))
    for student, path in zip(students, paths):
        document = json.loads(path.read_text("utf-8"))
        assert document["author"] == student
        assert {a["author"] for a in document["annotations"]} == {student}
    assert paths[0].name.startswith("student-hanoi-summit") and paths[1].name.startswith("student-")
    assert paths[2].name.startswith("jose-garcia-") and paths[3].name.startswith("jose-garcia-")


def test_handing_in_again_replaces_only_ones_own_file(tmp_path, seeds):
    from reader.classroom.handin import hand_in_name, write_hand_in

    pack = load_pack(seeds)
    store = Store.open(tmp_path / "class.json")
    _annotate(store, pack.articles, "Ana")
    first = write_hand_in(store, "Ana", pack, tmp_path)
    again = write_hand_in(store, "Ana", pack, tmp_path)
    assert first.path == again.path and not first.replaced and again.replaced
    # a different student's file under that name (a hash collision, a hand-made file) stays
    taken = tmp_path / hand_in_name("Bo", pack)
    taken.write_text(json.dumps({"author": "Somebody Else", "annotations": []}), "utf-8")
    _annotate(store, pack.articles, "Bo")
    with pytest.raises(UserError, match="already holds Somebody Else's hand-in") as refused:
        write_hand_in(store, "Bo", pack, tmp_path)
    assert "\n" not in str(refused.value)
    assert json.loads(taken.read_text("utf-8"))["author"] == "Somebody Else"


def test_a_zipped_pack_hands_in_under_the_zips_name_every_time(tmp_path, seeds):
    from reader.classroom.handin import hand_in_name
    from reader.classroom import pack_zip
    from reader.classroom.pack import PACK_FILE
    from reader.classroom.pack_create import create_pack

    zipped = create_pack(tmp_path / "week-3.zip", "Week 3", list(load_pack(seeds).articles))
    name = hand_in_name("Ana", load_pack(zipped))
    pack_zip._extracted.clear()  # as another run of presscheck would: a new temporary folder
    assert pack_zip.extract_zip(zipped, PACK_FILE) and hand_in_name("Ana", load_pack(zipped)) == name
    assert name.startswith("ana-week-3-")


def test_a_hand_in_without_pack_names_the_pack_the_annotations_are_on(tmp_path):
    """The reproduction: `export --hand-in` in a folder without ./seeds named the file after
    the bundled Hanoi exercise while it held annotations on another pack."""
    pack = load_pack(_other_pack(tmp_path / "lessons"))
    student = tmp_path / "student"
    student.mkdir()
    store = Store.open(student / "annotations" / "annotations.json")
    store.set_meta("author", "Grace")
    _annotate(store, pack.articles, "Grace")
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--hand-in"],
        cwd=student, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    [handed] = list(student.glob("*.json"))
    assert handed.name.startswith("grace-bridges-lesson-"), handed.name
    document = json.loads(handed.read_text("utf-8"))
    assert len(document["annotations"]) == 2
    assert sorted(a["source"] for a in document["articles"]) == ["report-a.txt", "report-b.txt"]


def test_a_hand_in_refuses_when_it_cannot_tell_which_pack(tmp_path, seeds):
    from reader.classroom.handin import annotated_pack, write_hand_in

    pack = load_pack(_other_pack(tmp_path / "lessons"))
    store = Store.open(tmp_path / "db.json")
    _annotate(store, pack.articles, "Grace")
    shutil.rmtree(pack.folder)  # opened from a zip, or moved away: nowhere to find it now
    with pytest.raises(UserError) as refused:
        annotated_pack(store, seeds)
    message = str(refused.value)
    assert "\n" not in message and "--pack" in message and "Hanoi" in message
    # the bundled exercise named, annotations on another: refused by the writer itself too
    with pytest.raises(UserError, match="none of your 2 annotation"):
        write_hand_in(store, "Grace", load_pack(seeds), tmp_path)
    assert not list(tmp_path.glob("grace-*.json"))
    # annotations on two packs: which one is for the student to say
    again = load_pack(_other_pack(tmp_path / "more", "ferries", "ferry"))
    _annotate(store, again.articles, "Grace")
    _annotate(store, load_pack(seeds).articles, "Grace")
    with pytest.raises(UserError, match="on 2 exercises") as refused:
        annotated_pack(store, seeds)
    assert "ferries" in str(refused.value) and "--pack" in str(refused.value)


def test_a_hand_in_carries_no_local_paths_and_still_scores(tmp_path, seeds):
    """The reproduction: hand-ins carried `"source": "/home/<student>/…"` for each article."""
    from classroom_helpers import KEY, key_annotations

    from reader.classroom.compare import compare
    from reader.classroom.handin import hand_in

    home = tmp_path / "home" / "student-secret-name" / "lesson"
    shutil.copytree(seeds, home)
    (home / "texts").mkdir()
    (home / "001_1c2accc8ffba02b5.txt").rename(home / "texts" / "001_1c2accc8ffba02b5.txt")
    manifest = (home / "pack.toml").read_text("utf-8").replace(
        '"001_1c2accc8ffba02b5.txt"]', '"texts/001_1c2accc8ffba02b5.txt"]'
    )
    (home / "pack.toml").write_text(manifest, "utf-8")
    pack = load_pack(home.resolve())
    from reader.ingest import load_article

    store = Store.open(tmp_path / "db.json")
    articles = [load_article(path) for path in pack.articles]
    assert all(Path(a.source).is_absolute() for a in articles)
    store.put_many(articles, [replace(a, author="Ana") for a in key_annotations()])
    handed, _ = hand_in(store, "Ana", pack, tmp_path)
    raw = handed.read_text("utf-8")
    assert "student-secret-name" not in raw and str(tmp_path) not in raw
    document = json.loads(raw)
    assert [a["source"] for a in document["articles"]] == [
        "000_1aa975c49d58f58c.txt", "texts/001_1c2accc8ffba02b5.txt"
    ]
    # the teacher's copy of the pack places every annotation: by id, and by file name
    # when the teacher's article is another version of the student's
    report = compare(KEY, [handed], seeds)
    assert report.students[0].overall == (1.0, 1.0, 1.0)
    teacher = tmp_path / "teacher"
    shutil.copytree(seeds, teacher)
    with (teacher / "001_1c2accc8ffba02b5.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nCorrection: an earlier version of this report misspelled a name.\n")
    report = compare(KEY, [handed], teacher)
    assert report.students[0].overall == (1.0, 1.0, 1.0)


def test_a_hand_in_from_the_students_copy_names_the_lesson(tmp_path, seeds):
    from reader.classroom.handin import hand_in_name
    from reader.classroom.pack_handout import write_handout

    lesson = tmp_path / "hanoi"
    import shutil

    shutil.copytree(seeds, lesson)
    copy = write_handout(lesson, None).path
    assert copy.name == "hanoi-handout.zip"
    assert hand_in_name("Ana", load_pack(copy)) == hand_in_name("Ana", load_pack(lesson))
    assert hand_in_name("Ana", load_pack(lesson)).startswith("ana-hanoi-")
