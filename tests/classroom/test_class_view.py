"""The class view: the key's items over a heat overlay of how many students marked what."""

from __future__ import annotations

import re

import pytest
from classroom_helpers import key_annotations, write_native

from reader.app import PresscheckApp
from reader.classroom.class_view import build_class_view
from reader.classroom.pack import load_pack
from reader.launch import class_session
from reader.screens.reading import ReadingScreen
from reader.store import Store
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.key_bar import KeyBar
from reader.widgets.status_bar import StatusBar

STUDENTS = 5


@pytest.fixture
def class_files(tmp_path):
    key = key_annotations()
    files = [write_native(tmp_path / f"student{i}.json", key[: 3 * (i + 1)], f"student {i}") for i in range(STUDENTS)]
    return key, files


@pytest.fixture
def make_class_app(class_files, seeds, tmp_path):
    def make() -> PresscheckApp:
        _, files = class_files
        view = build_class_view(seeds / "key.json", files, seeds)
        session = class_session(view, load_pack(seeds), Store.open(tmp_path / "scratch.json"))
        return PresscheckApp(session)

    return make


def test_heat_counts_each_student_once_per_passage(class_files, seeds):
    key, files = class_files
    view = build_class_view(seeds / "key.json", files, seeds)
    assert view.students == STUDENTS
    first = key[0].targets[0]
    runs = [r for r in view.heat[first.article_id] if r[0] <= first.start < r[1]]
    assert runs and runs[0][2] == STUDENTS  # everybody has the first three items
    last = key[-1].targets[0]
    runs = [r for r in view.heat[last.article_id] if r[0] <= last.start < r[1]]
    counts = sorted(view.found_by.values())
    assert counts[-1] == STUDENTS and counts[0] == (1 if len(key) > 12 else 2)
    assert "5 students" in view.summary and "read only" in view.summary


async def test_the_class_view_shows_heat_and_key_and_writes_nothing(make_class_app, tmp_path):
    app = make_class_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        pane = screen.query_one("#pane-0", ArticlePane)
        assert pane._heat and max(count for _, _, count in pane._heat) == STUDENTS
        sidebar = screen.query_one(AnnotationSidebar)
        assert len(sidebar._annotations) == len(key_annotations())  # the key first, not the students'
        status = screen.query_one(StatusBar).render().plain
        assert "class view" in status and "saved" not in status
        before = dict(screen.annotations)
        await pilot.press("t", "c", "n", "d", "u", "ctrl+e", "o", "h")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)  # no dialog opened
        assert screen.annotations == before
    assert Store.open(tmp_path / "scratch.json").annotations() == []


async def test_the_class_view_lists_only_keys_that_work_there(make_class_app):
    app = make_class_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        hints, _ = app.screen.query_one(KeyBar).hints()
        shown = {hint.key for hint in hints}
        assert not shown & {"t", "c", "l", "n", "e", "d", "u,ctrl+z", "o", "h", "ctrl+e"}
        assert {"slash", "question_mark"} <= shown
        await pilot.press("question_mark")
        await pilot.pause()
        listed = {binding.action for _, bindings in app.screen.groups for binding in bindings}
        assert not listed & {"tag_claim", "hand_in", "export", "undo", "library"} and "find" in listed


async def test_key_items_show_their_tags_why_and_who_found_them(make_class_app, key):
    app = make_class_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AnnotationSidebar)
        entries = [str(option.prompt) for option in sidebar._list._options if option.id]
        claims = [a for a in key if a.kind == "claim"]
        assert claims and all(c.tags for c in claims)
        assert not any(e.startswith("key —") for e in entries)
        first = next(e for e in entries if claims[0].targets[0].quote.exact[:30] in e)
        assert first.startswith(claims[0].tags[0]) and re.search(r" · found by [1-5]/5\n", first)
        noted = next(a for a in key if a.note)
        assert any(noted.note[:40] in e for e in entries)


async def test_the_filter_lists_one_students_annotations(make_class_app, class_files):
    _, files = class_files
    app = make_class_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        labels = [c.label for c in dialog.choices]
        assert labels[:STUDENTS + 1] == ["Answer key", *(f"Student: student {i}" for i in range(STUDENTS))]
        dialog.query_one("#filters").highlighted = 1  # student 0 marked the first three key items
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        sidebar = screen.query_one(AnnotationSidebar)
        assert len(sidebar._annotations) == 3
        assert {a.author for a in sidebar._annotations.values()} == {"student 0"}
        pane = screen.query_one("#pane-0", ArticlePane)
        marked = {h.annotation_id for p in screen.panes for h in p._highlights}
        assert marked == set(sidebar._annotations)  # the panes mark what the sidebar lists


def test_class_view_snapshot(snap_compare, make_class_app):
    async def run(pilot):
        await pilot.pause()
        await pilot.press("j", "j")

    assert snap_compare(make_class_app(), run_before=run, terminal_size=(160, 45))


async def test_the_palette_offers_the_teachers_commands_that_work_here(make_class_app, tmp_path, monkeypatch):
    from reader.commands import PresscheckCommands

    monkeypatch.chdir(tmp_path)
    app = make_class_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        provider = PresscheckCommands(screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Write feedback files" in names and "Write the students' copy" not in names
        assert "Tag claim" not in names and "Find" in names
        await screen.run_action("write_feedback")
        await app.workers.wait_for_complete()
        await pilot.pause()
    written = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert "class.md" in written and len(written) == STUDENTS + 1


def test_two_hand_ins_by_one_name_stay_two_students(tmp_path, seeds):
    key = key_annotations()
    first = write_native(tmp_path / "ana-1.json", key[:2], "Ana")
    second = write_native(tmp_path / "ana-2.json", key[2:4], "Ana")
    view = build_class_view(seeds / "key.json", [first, second], seeds)
    assert view.student_names == ["Ana (ana-1.json)", "Ana (ana-2.json)"]
    assert {a.author for a in view.student_annotations} == set(view.student_names)
