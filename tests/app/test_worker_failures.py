"""No background task fails silently: Ctrl+E on a database with a record that does not
read exports the rest and says so; an unexpected failure of any worker is one toast."""

from __future__ import annotations

import copy
import json

import reader.export as export_module
from reader.screens.reading import ReadingScreen
from reader.store import Store

SIZE = (160, 45)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _export_json(app, pilot) -> None:
    await pilot.press("ctrl+e")
    await pilot.pause()
    await pilot.press("enter")  # json, the first format
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_ctrl_e_exports_around_a_record_that_does_not_read_and_says_so(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("t", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    Store.open(db_path).close()
    data = json.loads(db_path.read_bytes())
    bad = dict(copy.deepcopy(next(iter(data["annotations"].values()))), id="bad-record")
    bad["targets"][0]["selectors"][0]["start"] = 1.5e300  # crashed export before
    data["annotations"]["99"] = bad
    db_path.write_text(json.dumps(data))
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await _export_json(app, pilot)
        [written] = list(db_path.parent.glob("presscheck-export-*.json"))
        assert len(json.loads(written.read_text())["annotations"]) == 1
        said = toasts(app)
        assert any("could not be read were left out" in t for t in said), said


async def test_a_worker_that_fails_unexpectedly_says_so(make_app, db_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk said something odd")

    monkeypatch.setattr(export_module, "write_export", broken)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await _export_json(app, pilot)
        assert isinstance(app.screen, ReadingScreen) and app.is_running
        said = toasts(app)
        assert any("Export failed: RuntimeError: the disk said something odd" in t for t in said), said
