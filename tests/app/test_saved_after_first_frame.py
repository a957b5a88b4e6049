"""Opening the app from the command line saves the articles it reads anew (and the files'
stamps, and a new name to remember) once its first frame is drawn, not before it: a 5 MB article's text file, written
and synced, held its first open back. Nothing of them is lost on the way, whenever the app
stops."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

import reader.app
from reader.app import PresscheckApp
from reader.cli import run_open
from reader.ingest.stamps import STAMPS_KEY
from reader.launch import prepare_session
from reader.store import Store

TEXT = "A title line\n\nThe summit ended early. Officials said little.\n"
OTHER = "Another title\n\nThe talks went on. Nobody said why.\n"
HOUR_NS = 3600 * 10**9


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    then = time.time_ns() - HOUR_NS  # settled: its stamp is recorded
    os.utime(path, ns=(then, then))
    return path


def _stored_ids(db: Path) -> set[str]:
    store = Store.open(db, create=False)
    try:
        return {article.id for article in store.articles()}
    finally:
        store.close()


def test_the_articles_read_anew_wait_and_the_stored_ones_do_not(tmp_path: Path) -> None:
    old, new, db = _file(tmp_path, "old.txt", TEXT), _file(tmp_path, "new.txt", OTHER), tmp_path / "db.json"
    prepare_session([str(old)], db, "ann").store.close()
    session = prepare_session([str(old), str(new)], db, "ann", defer_writes=True)
    stored_before, fresh = session.articles
    assert len(session.unsaved) == 2  # the new article, then the stamps that name its bytes
    assert fresh.id not in _stored_ids(db)
    assert stored_before.id in _stored_ids(db)
    session.save_unsaved()
    assert session.unsaved == []
    assert fresh.id in _stored_ids(db)
    stamps = session.store.get_meta(STAMPS_KEY)
    assert {os.path.abspath(new), os.path.abspath(old)} <= set(stamps)
    session.store.close()


def test_a_new_database_is_made_by_the_first_save_after_the_first_frame(tmp_path: Path) -> None:
    path, db = _file(tmp_path, "new.txt", OTHER), tmp_path / "db" / "annotations.json"
    session = prepare_session([str(path)], db, "ann", defer_writes=True)
    assert not db.exists() and list(db.parent.iterdir()) == []  # no file, no lock, no fsync before it
    session.save_unsaved()
    assert _stored_ids(db) == {session.articles[0].id}
    session.store.close()


def test_without_deferring_everything_is_saved_at_once(tmp_path: Path) -> None:
    path, db = _file(tmp_path, "new.txt", OTHER), tmp_path / "db.json"
    session = prepare_session([str(path)], db, "ann")
    assert session.unsaved == []
    assert session.articles[0].id in _stored_ids(db)
    session.store.close()


async def test_the_app_saves_them_after_its_first_frame(tmp_path: Path) -> None:
    path, db = _file(tmp_path, "new.txt", OTHER), tmp_path / "db.json"
    session = prepare_session([str(path)], db, "ann", defer_writes=True)
    article = session.articles[0]
    assert len(session.unsaved) == 3  # the article, the file's stamp, the name to remember
    assert session.store.get_meta("author") is None
    app = PresscheckApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert session.unsaved == []
        assert app.unsaved_count == 0
        assert article.id in _stored_ids(db)
        assert session.store.get_meta("author") == "ann"
        assert app.save_state == "saved"


def test_an_app_that_stops_before_its_first_frame_loses_nothing(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path, db = _file(tmp_path, "new.txt", OTHER), tmp_path / "db.json"

    def run(self: PresscheckApp) -> None:
        raise KeyboardInterrupt  # gone before anything was drawn

    monkeypatch.setattr(reader.app.PresscheckApp, "run", run)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_open(["--db", str(db), "--author", "ann", str(path)])
    finally:
        gc.enable()  # held by the command line until a first frame that never came
    [article] = Store.open(db, create=False).articles()
    assert article.source == str(path)
