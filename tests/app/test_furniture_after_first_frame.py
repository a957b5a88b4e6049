"""Opening the app from the command line draws an article read anew without its page
furniture, which is found just after the first frame (a 5 MB text's furniture was 30 ms of
its first open): the pane then folds it, and the article is saved with it, however the app
stops. Articles the database holds come back with theirs, and nothing waits for them."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.app import PresscheckApp
from reader.ingest import load_article
from reader.ingest.article import article_from_text, with_furniture
from reader.launch import prepare_session
from reader.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FURNISHED = SEEDS / "001_1c2accc8ffba02b5.txt"
"""The seed article that ends with scraped page furniture."""


def _copy(tmp_path: Path, name: str = "report.txt") -> Path:
    path = tmp_path / name
    shutil.copyfile(FURNISHED, path)
    return path


def _stored_furniture(db: Path) -> dict[str, tuple[tuple[int, int], ...]]:
    store = Store.open(db, create=False)
    try:
        return {article.id: article.furniture for article in store.articles()}
    finally:
        store.close()


def test_furniture_found_later_is_the_furniture_found_at_once() -> None:
    text = FURNISHED.read_text(encoding="utf-8")
    at_once = article_from_text(text, "a.txt")
    later = article_from_text(text, "a.txt", furniture_later=True)
    assert at_once.furniture and later.furniture == ()
    assert with_furniture(later) == at_once


def test_an_article_read_anew_waits_for_its_furniture(tmp_path: Path) -> None:
    expected = load_article(FURNISHED).furniture
    assert expected  # the seed does have furniture, or this test tests nothing
    session = prepare_session([str(_copy(tmp_path))], tmp_path / "db.json", "ann", defer_writes=True)
    [drawn] = session.articles
    assert drawn.furniture == ()
    later = session.furniture_later
    assert later is not None
    furnished = later.furnished(drawn)
    assert furnished.furniture == expected
    assert later.furnished(drawn) is furnished  # found once
    assert furnished.text == drawn.text and furnished.id == drawn.id
    session.save_unsaved()  # the app stopped before its first frame: saved with its furniture
    assert _stored_furniture(session.store.path) == {drawn.id: expected}
    session.store.close()


def test_a_stored_article_comes_back_with_its_furniture(tmp_path: Path) -> None:
    path, db = _copy(tmp_path), tmp_path / "db.json"
    prepare_session([str(path)], db, "ann").store.close()
    session = prepare_session([str(path)], db, "ann", defer_writes=True)
    [article] = session.articles
    assert article.furniture == load_article(FURNISHED).furniture
    assert session.furniture_later is not None
    assert session.furniture_later.furnished(article) is article  # nothing to find
    session.store.close()


def test_without_deferring_the_furniture_is_found_at_once(tmp_path: Path) -> None:
    session = prepare_session([str(_copy(tmp_path))], tmp_path / "db.json", "ann")
    assert session.articles[0].furniture == load_article(FURNISHED).furniture
    session.store.close()


async def test_the_app_folds_it_after_its_first_frame_and_saves_it(tmp_path: Path) -> None:
    expected = load_article(FURNISHED).furniture
    db = tmp_path / "db.json"
    session = prepare_session([str(_copy(tmp_path))], db, "ann", defer_writes=True)
    app = PresscheckApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        [pane] = app.screen.panes  # type: ignore[attr-defined]
        assert pane.article.furniture == expected
        assert app.workspace.articles[0].furniture == expected
        await pilot.press("end")
        await pilot.pause()
        shown = "\n".join(line.text for line in pane.render_lines(pane.region.reset_offset))
        assert "page furniture" in shown.lower()  # the fold row, not the furniture's lines
        assert _stored_furniture(db) == {pane.article.id: expected}
