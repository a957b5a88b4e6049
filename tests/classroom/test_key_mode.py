"""Key mode (`presscheck key LESSON [--from HANDINS]`): the key is written into the pack, never
into another database; the class's candidates are listed, and accepting one puts it in the
key, which `compare` then counts."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from classroom_helpers import SEED_FILES, SEEDS, respan, write_native
from pilots import settle

from reader.app import PresscheckApp
from reader.classroom.compare import compare
from reader.classroom.key_mode import open_key_mode
from reader.classroom.key_store import KEY_AUTHOR, STORE_FOLDER, open_key_store
from reader.classroom.pack import load_pack
from reader.classroom.pack_create import create_pack
from reader.export.reading import read_file
from reader.launch import key_session
from reader.screens.annotation_dialog import AnnotationDialog
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.status_bar import StatusBar


@pytest.fixture
def lesson(tmp_path) -> Path:
    """A pack of the two seed articles, without a key."""
    return create_pack(tmp_path / "lesson", "Hanoi, two reports", [SEEDS / name for name in SEED_FILES],
                       "Tag the claims worth checking.")


@pytest.fixture
def handins(tmp_path, key, articles) -> list[Path]:
    """Three students: Ann and Ben mark the same sentence (Ben a little less of it), Cy
    marks another claim."""
    sentence, other = key[6], key[9]
    folder = tmp_path / "handins"
    folder.mkdir()
    ben = respan(sentence, [(sentence.targets[0].start + 9, sentence.targets[0].end)], articles)
    return [
        write_native(folder / "ann.json", [sentence], "Ann"),
        write_native(folder / "ben.json", [ben], "Ben"),
        write_native(folder / "cy.json", [other], "Cy"),
    ]


def key_app(lesson: Path, handins=()) -> PresscheckApp:
    return PresscheckApp(key_session(open_key_mode(load_pack(lesson), handins)))


def sidebar_entries(app) -> dict[str, str]:
    sidebar = app.screen.query_one(AnnotationSidebar)
    return {option.id: str(option.prompt) for option in sidebar._list._options if option.id}


async def test_a_candidate_of_two_of_three_is_accepted_into_the_key_and_compare_counts_it(lesson, handins):
    app = key_app(lesson, handins)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        entries = sidebar_entries(app)
        [two_thirds] = [entry_id for entry_id, text in entries.items() if text.startswith("2/3")]
        assert "⚑ spans differ" in entries[two_thirds] and "✓ in key" not in entries[two_thirds]
        sidebar = app.screen.query_one(AnnotationSidebar)
        sidebar.focus_list()
        sidebar._list.highlighted = sidebar._list.get_option_index(two_thirds)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog) and dialog.why
        assert dialog.query_one("#note").placeholder.startswith("Why")
        dialog.query_one("#note").focus()
        await pilot.press(*"No report is named.", "enter")
        await settle(pilot)
        assert app.unsaved_count == 0
        status = app.screen.query_one(StatusBar).render().plain
        assert "✓ saved" in status and "key.json" in status
        assert "✓ in key" in sidebar_entries(app)[two_thirds]

    manifest = tomllib.loads((lesson / "pack.toml").read_text("utf-8"))
    assert manifest["key"] == "key.json" and manifest["tags"]  # the key named, the tags kept
    [item] = read_file(lesson / "key.json").annotations
    assert item.note == "No report is named." and item.author == KEY_AUTHOR and item.tags
    report = compare(lesson / "key.json", handins, lesson)
    assert report.found_by() == [2]
    assert [s.author for s in report.students if s.found[0]] == ["Ann", "Ben"]


async def test_key_mode_writes_nothing_but_the_pack(lesson, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = key_app(lesson)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert not (tmp_path / "annotations").exists()  # no reader's database made or touched
    assert sorted(p.name for p in lesson.iterdir()) == sorted([*SEED_FILES, "pack.toml", "key.json", STORE_FOLDER])
    assert len(read_file(lesson / "key.json").annotations) == 1
    assert load_pack(lesson).key == lesson / "key.json"


async def test_undo_in_key_mode_takes_the_item_out_of_the_key_file(lesson):
    app = key_app(lesson)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("t", "enter")
        await settle(pilot)
        assert len(read_file(lesson / "key.json").annotations) == 1
        await pilot.press("u")
        await settle(pilot)
        assert read_file(lesson / "key.json").annotations == []


def test_a_key_file_replaced_outside_key_mode_wins(lesson, key):
    pack = load_pack(lesson)
    first = open_key_store(pack)
    first.store.put_many(annotations=key[:3])
    first.write_key_file()
    assert open_key_store(load_pack(lesson)).notices == []  # its own file: nothing to take in
    write_native(lesson / "key.json", key[3:5], "someone")  # the teacher swapped the file
    again = open_key_store(load_pack(lesson))
    assert again.notices and "2 item(s)" in again.notices[0]
    assert {a.id for a in again.store.annotations()} == {a.id for a in key[3:5]}


def test_a_zipped_pack_is_refused_with_what_to_do(tmp_path):
    zipped = create_pack(tmp_path / "lesson.zip", "T", [SEEDS / SEED_FILES[0]])
    from reader.errors import UserError

    with pytest.raises(UserError, match="unzip it"):
        open_key_store(load_pack(zipped))


async def test_a_failed_key_file_write_is_not_called_saved(lesson):
    app = key_app(lesson)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        (lesson / "key.json").mkdir()  # the key file cannot be written
        await pilot.press("t", "enter")
        await settle(pilot)
        assert app.unsaved_count == 1
        assert "✓ saved" not in app.screen.query_one(StatusBar).render().plain
        (lesson / "key.json").rmdir()
        await app._save()
        await settle(pilot)
        assert app.unsaved_count == 0
    assert len(read_file(lesson / "key.json").annotations) == 1


async def test_the_palette_writes_the_students_copy_from_key_mode(lesson):
    from reader.commands import PresscheckCommands

    app = key_app(lesson)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("t", "enter")
        await settle(pilot)
        names = [name for name, _, _ in PresscheckCommands(app.screen)._commands()]
        assert "Write the students' copy" in names and "Write feedback files" not in names
        assert "Hand in" not in names
        await app.screen.run_action("write_handout")
        await settle(pilot)
    copy = lesson.parent / "lesson-handout.zip"
    import zipfile

    members = zipfile.ZipFile(copy).namelist()
    assert members and not any("key" in m for m in members)


def test_key_mode_snapshot(snap_compare, lesson, handins, monkeypatch):
    """Key mode with the class's candidates, one of them just accepted with its why (the
    README's screenshot)."""
    monkeypatch.chdir(lesson.parent)

    async def run(pilot):
        await settle(pilot)
        sidebar = pilot.app.screen.query_one(AnnotationSidebar)
        sidebar.focus_list()
        two_thirds = next(i for i, text in sidebar_entries(pilot.app).items() if text.startswith("2/3"))
        sidebar._list.highlighted = sidebar._list.get_option_index(two_thirds)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#note").focus()
        await pilot.press(*"Which reports? None is named.", "enter")
        await settle(pilot)

    assert snap_compare(key_app(lesson, [h.relative_to(lesson.parent) for h in handins]), run_before=run,
                        terminal_size=(160, 45))
