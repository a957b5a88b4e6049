"""The app when saving fails, when quitting with unsaved changes, and when another process
changes the database: nothing is lost silently."""

from __future__ import annotations

import errno
import json
import subprocess
import sys

import pytest

import reader.app as app_module
from reader.screens.quit_dialog import UnsavedChangesDialog
from reader.store import Store
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.status_bar import StatusBar

from pilots import settle  # tests/support/pilots.py

pytestmark = pytest.mark.slow
SIZE = (160, 45)


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch):
    monkeypatch.setattr(app_module, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.2)


@pytest.fixture
def failing_disk(monkeypatch):
    """After `.fill()`, appending to the journal and replacing the database's files fail
    with ENOSPC until `.heal()`."""
    import os

    import reader.store as store_module

    real_replace = store_module.os.replace
    real_write = store_module.os.write

    class Disk:
        full = False

        def fill(self):
            self.full = True

        def heal(self):
            self.full = False

    disk = Disk()

    def replace(src, dst):
        # the database's disk is full; a copy written elsewhere (the quit dialog's) is not
        if disk.full and os.path.basename(dst).startswith("annotations.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    def write(fd, data):
        if disk.full and os.readlink(f"/proc/self/fd/{fd}").endswith(".journal"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(store_module.os, "replace", replace)
    monkeypatch.setattr(store_module.os, "write", write)
    return disk


async def test_a_failed_save_is_kept_shown_and_retried(make_app, db_path, failing_disk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # what the app saves on opening lands first
        failing_disk.fill()
        before = db_path.read_bytes()
        await pilot.press("t", "enter")
        await settle(pilot)
        bar = app.screen.query_one(StatusBar)
        assert "No space left on device" in bar.save_state
        assert len(app.screen.query_one(AnnotationSidebar)._annotations) == 1  # still shown
        assert db_path.read_bytes() == before
        await pilot.pause(0.5)  # retries keep failing, the change stays queued
        assert app.unsaved_count == 1
        failing_disk.heal()
        await settle(pilot, 0.5)
        assert bar.save_state == "saved" and app.unsaved_count == 0
        [claim] = Store.open(db_path).annotations()
        assert claim.kind == "claim"


async def test_quit_with_unsaved_changes_asks_and_can_save_a_copy(make_app, db_path, failing_disk, tmp_path):
    app = make_app()
    copy = tmp_path / "rescue.json"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        failing_disk.fill()
        await pilot.press("t", "enter", "j", "n", *"keep me", "enter")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # keep working
        assert not isinstance(app.screen, UnsavedChangesDialog) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        app.screen.query_one("#copy-path").value = str(copy)
        await pilot.press("down", "enter")
        await pilot.pause()
    document = json.loads(copy.read_text())
    assert sorted(a["kind"] for a in document["annotations"]) == ["claim", "note"]
    assert Store.open(db_path).annotations() == []  # the disk never took them


async def test_quit_and_lose_needs_an_explicit_choice(make_app, failing_disk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        failing_disk.fill()
        await pilot.press("t", "enter")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


async def test_changes_by_another_process_appear_without_losing_ours(make_app, db_path, seeds):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")
        await settle(pilot)
        article_id = app.screen.query_one("#pane-1").article.id
        code = (
            "from reader.store import Store\n"
            "from reader.anchoring import describe\n"
            "from reader.model import Annotation\n"
            f"store = Store.open({str(db_path)!r})\n"
            f"article = store.article({article_id!r})\n"
            "store.put_annotation(Annotation(kind='note', targets=(describe(article.id, article.text, 0, 20),),"
            " note='from elsewhere', author='other'))\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True, cwd=db_path.parent.parent, timeout=60)
        await settle(pilot, 0.8)
        shown = app.screen.annotations
        assert sorted(a.kind for a in shown.values()) == ["claim", "note"]
        assert "Updated from the database" in app.screen.query_one(StatusBar).message
        await pilot.press("j", "t", "enter")  # and our next change keeps theirs
        await settle(pilot)
    kinds = sorted(a.kind for a in Store.open(db_path).annotations())
    assert kinds == ["claim", "claim", "note"]


async def test_the_app_and_presscheck_import_at_the_same_time_lose_nothing(make_app, db_path, seeds, tmp_path):
    from reader.export import write_export
    from reader.ingest import load_article

    # an export from another student's database: 60 notes on the left article
    other = Store.open(tmp_path / "other" / "db.json")
    article = load_article(seeds / "000_1aa975c49d58f58c.txt")
    other.put_article(article)
    from reader.anchoring import describe
    from reader.model import Annotation

    notes = [
        Annotation(kind="note", targets=(describe(article.id, article.text, i, i + 30),),
                   note=f"note {i}", author="other")
        for i in range(60)
    ]
    other.put_many(annotations=notes)
    handed_in = tmp_path / "other.json"
    write_export(other, "json", handed_in)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        importer = subprocess.Popen(
            [sys.executable, "-m", "reader", "import", str(handed_in), "--db", str(db_path.resolve())],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        )
        for _ in range(8):  # our own claims, saved while the import runs
            await pilot.press("j", "t", "enter")
        assert importer.wait(timeout=60) == 0, importer.stderr.read()
        await settle(pilot, 0.8)
        shown = app.screen.annotations
    stored = {a.id: a for a in Store.open(db_path).annotations()}
    assert sum(a.kind == "claim" for a in stored.values()) == 8
    assert {a.id for a in notes} <= stored.keys()
    assert len(stored) == 68
    assert shown.keys() == stored.keys()  # the app picked the import up
