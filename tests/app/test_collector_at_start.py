"""Opening the app holds Python's cycle collector from the start to the first frame (its
runs walked Textual's modules and the database again and again), then freezes what start-up
made and lets the collector run again."""

from __future__ import annotations

import gc

import pytest

import reader.launch
from reader.cli import run_open
from reader.gc_policy import NEVER, hold_collections


class Stop(Exception):
    pass


def test_the_collector_is_held_while_the_session_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    seen: list[bool] = []

    def prepare(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        raise Stop

    monkeypatch.setattr(reader.launch, "prepare_session", prepare)
    try:
        with pytest.raises(Stop):
            run_open(["--db", str(tmp_path / "db.json"), "--author", "a", str(tmp_path / "x.txt")])
    finally:
        gc.enable()
    assert seen == [False]


async def test_after_the_first_frame_it_runs_again_past_what_start_up_made(make_app) -> None:
    hold_collections()
    try:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[2] == NEVER  # full collections only while the reader is idle
            assert any(timer.name == "collect-when-idle" for timer in app._timers)
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_key_tells_the_idle_collections_the_reader_is_at_work(make_app, monkeypatch) -> None:
    app = make_app()
    seen: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app._collections, "input_seen", lambda: seen.append("input"))
        await pilot.press("down")
        await pilot.pause()
    assert seen
