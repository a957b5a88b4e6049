"""A live lesson (`presscheck serve LESSON --class`) without the server: the students'
seats, the sign-in screen, private work, the teacher's live view, the end of the lesson.
The browser tests drive the same through `serve`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from classroom_helpers import SEEDS, write_native
from pilots import settle

from reader.app import PresscheckApp
from reader.classroom.class_view import LiveClass, live_class_view
from reader.classroom.compare import compare
from reader.classroom.live_lesson import LiveLesson, SeatTaken, seat_key
from reader.classroom.pack import load_pack
from reader.export.reading import read_file
from reader.launch import watch_session
from reader.screens.export_dialog import ExportDialog
from reader.screens.live_lesson_dialogs import EndLessonDialog, LessonEndedScreen
from reader.screens.sign_in import SignInScreen
from reader.store import Store
from reader.widgets.annotation_sidebar import AnnotationSidebar

TAGGED = "The president was speaking in a press conference in the Vietnamese capital Hanoi."


@pytest.fixture
def lesson(tmp_path) -> LiveLesson:
    """The seed exercise (with its key) as a lesson being served."""
    pack = tmp_path / "lesson"
    shutil.copytree(SEEDS, pack)
    live = LiveLesson(load_pack(pack), tmp_path / "handins")
    live.prepare()
    return live


async def sign_in(pilot, name: str) -> None:
    assert isinstance(pilot.app.screen, SignInScreen)
    await pilot.press(*name, "enter")
    for _ in range(50):
        await settle(pilot, 0.05)
        if pilot.app.reading_screen is not None:
            break
    assert pilot.app.reading_screen is not None, "the reading screen did not open"
    if pilot.app.screen is not pilot.app.reading_screen:
        await pilot.press("escape")  # the pack's instructions, shown on a first open
        await settle(pilot)


def sign_in_problem(app) -> str:
    """The line under the sign-in screen's name field: why the name was not taken."""
    return str(app.screen.query_one("#sign-in-problem").render())


async def tag_second_sentence(pilot, note: str = "") -> None:
    await pilot.press("j", "t")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    if note:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*note, "enter")
        await settle(pilot)


def test_a_seat_is_a_name_without_case_or_spacing_and_one_session_holds_it(lesson):
    assert seat_key("  Ana   LEE ") == seat_key("ana lee")
    assert lesson.seat("Ana Lee").folder == lesson.seat("ana  lee").folder
    assert lesson.seat("Ana Lee").folder != lesson.seat("Ana Leé").folder
    hostile = lesson.seat("../../etc/passwd\x1b[2J")
    assert hostile.folder.parent == lesson.seats_folder  # never outside the seats
    first = lesson.seat("Ana Lee")
    first.take()
    with pytest.raises(SeatTaken):
        lesson.seat("ana lee").take()
    first.release()
    again = lesson.seat("ANA LEE")
    again.take()  # free once the first session let go
    again.release()


async def test_a_student_signs_in_and_their_work_reaches_the_teachers_live_folder(lesson):
    app = PresscheckApp(lesson=lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#author").value == ""  # nobody's name is offered
        await pilot.press("enter")
        await settle(pilot)
        assert "A name is needed" in sign_in_problem(app)
        await sign_in(pilot, "Ada")
        await tag_second_sentence(pilot, "Who was there?")
        assert app.saves.unsaved_count == 0
    [live] = lesson.live_files()
    view = live_class_view(lesson.key_path(), [live], lesson.pack.folder)
    assert view.student_names == ["Ada"]
    [claim, _note] = sorted(view.student_annotations, key=lambda a: a.kind)
    assert claim.targets[0].quote.exact == TAGGED


async def test_students_never_see_each_others_work_and_come_back_to_their_own(lesson):
    ada = PresscheckApp(lesson=lesson)
    async with ada.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AliceUniqueName")
        await tag_second_sentence(pilot, "SecretNoteOfAlice")
    ben = PresscheckApp(lesson=lesson)
    async with ben.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "Ben")
        assert ben.workspace.annotations == {}
        shown = ben.export_screenshot().replace("&#160;", " ")
        assert "AliceUniqueName" not in shown and "SecretNoteOfAlice" not in shown
        assert "No annotations yet" in shown
        assert ben.session.store.path != ada.session.store.path
    back = PresscheckApp(lesson=lesson)
    async with back.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "aliceuniquename")  # another day, in lower case
        assert back.session.author == "AliceUniqueName"
        assert sorted(a.kind for a in back.workspace.annotations.values()) == ["claim", "note"]


async def test_a_name_open_in_another_tab_is_refused_with_what_to_do(lesson):
    first = PresscheckApp(lesson=lesson)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "Ada")
        second = PresscheckApp(lesson=lesson)
        async with second.run_test(size=(120, 40)) as other:
            await settle(other)
            await other.press(*"ada", "enter")
            await settle(other, 0.2)
            assert isinstance(second.screen, SignInScreen)
            problem = sign_in_problem(second)
            assert "open in another tab" in problem and "close that one first" in problem


async def test_the_teachers_view_follows_the_class_and_ending_hands_everyone_in(lesson):
    scratch = Store.open(lesson.state.parent.parent / "teacher-scratch.json")
    teacher = PresscheckApp(watch_session(LiveClass(lesson), scratch))
    student = PresscheckApp(lesson=lesson)
    async with teacher.run_test(size=(160, 45)) as watching, student.run_test(size=(120, 40)) as pilot:
        await settle(watching)
        assert "0 students" in teacher.session.banner
        await settle(pilot)
        await sign_in(pilot, "Ada")
        await tag_second_sentence(pilot)
        for _ in range(40):  # the view polls every WATCH_CLASS_SECONDS
            await settle(watching, 0.1)
            if teacher.session.students:
                break
        assert teacher.session.students == ("Ada",)
        assert "1 student" in teacher.session.banner
        assert [c.label for c in teacher.session.candidates] == ["1/1"]  # the debrief's list follows too
        entries = teacher.screen.query_one(AnnotationSidebar)
        assert "— Ada" not in str(entries._list._options)  # the key is listed until f picks a student
        await watching.press("E")
        await settle(watching)
        assert isinstance(teacher.screen, EndLessonDialog)
        await watching.press("enter")
        await settle(watching, 0.2)
        assert lesson.ended
        for _ in range(40):
            await settle(pilot, 0.1)
            if isinstance(student.screen, LessonEndedScreen):
                break
        assert isinstance(student.screen, LessonEndedScreen)
        await pilot.press("t")  # nothing can be changed any more
        await settle(pilot)
        assert isinstance(student.screen, LessonEndedScreen)
    [handed_in] = sorted(lesson.handins.iterdir())
    assert handed_in.name.startswith("ada-lesson-")
    report = compare(lesson.key_path(), [handed_in], lesson.pack.folder)
    assert report.students[0].author == "Ada" and report.students[0].found


def test_a_lesson_served_again_is_open_again(lesson):
    lesson.end()
    assert lesson.ended
    lesson.prepare()
    assert not lesson.ended


def test_the_live_view_before_any_key_item_is_unscored_but_shows_the_class(tmp_path, lesson):
    (lesson.pack.folder / "key.json").unlink()
    bare = LiveLesson(load_pack_without_key(lesson.pack.folder), lesson.handins)
    view = live_class_view(bare.key_path(), [], bare.pack.folder)
    assert view.report is None and "unscored" in view.summary


def load_pack_without_key(folder: Path):
    toml = folder / "pack.toml"
    toml.write_text("\n".join(line for line in toml.read_text().splitlines() if not line.startswith("key")))
    return load_pack(folder)



async def test_in_the_debrief_what_two_students_marked_goes_into_the_key_and_is_scored(lesson, key):
    bare = LiveLesson(load_pack_without_key(lesson.pack.folder), lesson.handins)
    (bare.pack.folder / "key.json").unlink()
    for name in ("Ann", "Ben"):
        write_native(bare.live_folder / f"{name.lower()}.json", [key[6]], name)
    scratch = Store.open(bare.state.parent.parent / "teacher-scratch.json")
    teacher = PresscheckApp(watch_session(LiveClass(bare), scratch))
    assert teacher.session.class_report is None
    assert [c.label for c in teacher.session.candidates] == ["2/2"]
    async with teacher.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        sidebar = teacher.screen.query_one(AnnotationSidebar)
        sidebar.focus_list()
        options = [o.id for o in sidebar._list._options]
        sidebar._list.highlighted = options.index("candidate-0")
        await pilot.press("enter")
        await settle(pilot)
        assert "Why" in teacher.export_screenshot().replace("&#160;", " ")
        teacher.screen.query_one("#note").focus()
        await pilot.press(*"Both reports say so.", "enter")
        await settle(pilot, 0.2)
        for _ in range(40):
            await settle(pilot, 0.1)
            if teacher.session.class_report is not None:
                break
        assert teacher.session.class_report is not None, "the view was not scored against the new key"
        assert "2 students" in teacher.session.banner
        assert list(teacher.session.badges.values()) == ["found by 2/2"]
    [item] = read_file(bare.pack.folder / "key.json").annotations
    assert item.note == "Both reports say so." and item.targets == key[6].targets


async def test_a_students_hand_in_goes_to_the_teacher_and_an_export_to_their_browser(lesson, monkeypatch):
    delivered = []
    app = PresscheckApp(lesson=lesson)
    monkeypatch.setattr(app, "deliver_binary", lambda path, **kw: delivered.append((Path(path), kw)))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await sign_in(pilot, "Ada")
        await tag_second_sentence(pilot)
        await pilot.press("h")
        await settle(pilot, 0.2)
        assert [p.name for p in lesson.handins.iterdir()] == [lesson.hand_in_path("Ada").name]
        toast = [n.message for n in app._notifications][-1]
        assert "handed in to your teacher" in toast and str(lesson.handins) not in toast
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog) and app.screen.folder == "your browser's downloads"
        await pilot.press("enter")
        await settle(pilot, 0.2)
    [(path, options)] = delivered
    assert path.is_file() and options["save_filename"] == path.name
    assert lesson.seat("Ada").folder in path.parents


def test_sign_in_snapshot(snap_compare, lesson):
    """A student's first screen in a live lesson (the README's screenshot)."""

    async def run(pilot):
        await settle(pilot)
        await pilot.press(*"Ada Lovelace")
        await settle(pilot)

    assert snap_compare(PresscheckApp(lesson=lesson), run_before=run, terminal_size=(100, 24))


def test_live_class_view_snapshot(snap_compare, lesson, key):
    """The teacher's live view with two students' work in (the README's screenshot)."""
    write_native(lesson.live_folder / "ann.json", key[3:9], "Ann")
    write_native(lesson.live_folder / "ben.json", key[5:12], "Ben")
    app = PresscheckApp(watch_session(LiveClass(lesson), Store.open(lesson.state.parent.parent / "scratch.json")))
    assert snap_compare(app, run_before=settle, terminal_size=(160, 45))


async def test_after_the_end_nobody_signs_in(lesson):
    lesson.end()
    app = PresscheckApp(lesson=lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"Late Comer", "enter")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, SignInScreen)
        assert "lesson has ended" in sign_in_problem(app)
    assert lesson.seats() == []


def test_the_live_view_is_built_again_only_when_a_copy_changed(lesson, key):
    live = LiveClass(lesson)
    assert live.view_if_changed() is not None  # the first build
    assert live.view_if_changed() is None  # nothing changed
    write_native(lesson.live_folder / "ann.json", key[3:5], "Ann")
    assert live.view_if_changed().student_names == ["Ann"]
    assert live.view_if_changed() is None


async def test_one_students_work_in_the_live_view_shows_nobody_elses_notes(lesson, key):
    from dataclasses import replace

    write_native(lesson.live_folder / "ann.json", [replace(key[6], note="AnnsOwnNote")], "Ann")
    write_native(lesson.live_folder / "ben.json", [replace(key[6], note="BensOwnNote")], "Ben")
    teacher = PresscheckApp(watch_session(LiveClass(lesson), Store.open(lesson.state.parent.parent / "s.json")))
    async with teacher.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        options = lambda: str(teacher.screen.query_one(AnnotationSidebar)._list._options)  # noqa: E731
        assert "AnnsOwnNote" in options() and "BensOwnNote" in options()  # the key, and below it the class
        screen = teacher.screen
        screen.sidebar_filter = replace(screen.sidebar_filter, author="Ben")
        screen._show_annotations()
        await settle(pilot)
        assert "BensOwnNote" in options() and "AnnsOwnNote" not in options()


async def test_a_students_screens_never_show_the_servers_folders(lesson, tmp_path, monkeypatch):
    """The server's paths (the seat's database, the hand-ins folder) are not the student's
    business: nothing they can act on, and they tell a student how the server is laid out."""
    app = PresscheckApp(lesson=lesson)
    monkeypatch.setattr(app, "deliver_binary", lambda path, **kw: None)
    shown = []

    async def look(pilot) -> None:
        await settle(pilot)
        shown.append(app.export_screenshot())
        shown.extend(str(n.message) for n in app._notifications)

    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        await sign_in(pilot, "Ada")
        await look(pilot)
        await tag_second_sentence(pilot, note="a source?")
        await look(pilot)
        await pilot.press("h")
        await settle(pilot, 0.2)
        await look(pilot)
        await pilot.press("ctrl+e")
        await look(pilot)
        await pilot.press("escape")
        await look(pilot)
    assert lesson.handins.is_dir() and lesson.seat("Ada").folder.is_dir()
    for screen in shown:
        assert str(tmp_path) not in screen and "db.json" not in screen, screen[:300]
