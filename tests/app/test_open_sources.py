"""Opening pages, feeds and URLs in the app (Pilot): fetching in a worker with a progress
indicator, clear errors that leave the app running, feed entries in the library."""

from __future__ import annotations

import time

from textual.widgets import LoadingIndicator

from reader.app import PresscheckApp
from reader.launch import prepare_session
from reader.screens.library import LibraryScreen
from reader.store import Store
from reader.widgets.article_pane import ArticlePane
from reader.widgets.source_loader import IDLE_HINT, SourceLoader
from reader.widgets.status_bar import StatusBar

SIZE = (160, 45)


import corpus  # tests/data/corpus.py; tests/conftest.py puts tests/data on sys.path
PAGE = corpus.PAGES / "harbour-bridge.html"


async def _until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.pause()


def _screen_text(app) -> str:
    from rich.console import Console
    import io

    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


async def test_a_saved_page_opens_with_title_and_byline(db_path):
    app = PresscheckApp(prepare_session([str(PAGE)], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ArticlePane)
        assert pane.article.title == "Harbour bridge closed after inspectors find cracked cables"
        text = _screen_text(app)
        assert "Maria Okonkwo · 2024-03-14 · harbour-bridge.html" in text
        assert "About 40,000 vehicles cross the bridge" in text
        assert "Cheap flights" not in text


async def test_a_url_is_fetched_in_a_worker_with_a_progress_indicator(db_path):
    routes = {"/bridge.html": corpus.Route(PAGE.read_bytes(), delay=1.0)}
    with corpus.local_server(routes) as base:
        url = f"{base}/bridge.html"
        started = time.monotonic()
        session = prepare_session([url], db_path, "tester")
        assert time.monotonic() - started < 0.5  # nothing fetched before the app runs
        assert session.articles == [] and session.to_fetch == [url]
        app = PresscheckApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            loader = app.screen.query_one(SourceLoader)
            assert loader.display and loader.query_one(LoadingIndicator).display
            assert f"Fetching {url}" in _screen_text(app)
            await pilot.press("question_mark", "escape")  # the app answers while it waits
            await _until(pilot, lambda: bool(app.screen.query(ArticlePane)))
            pane = app.screen.query_one(ArticlePane)
            assert pane.article.byline == "Maria Okonkwo" and pane.article.source == url
            assert not app.screen.query_one(SourceLoader).display
            await app.workers.wait_for_complete()
            await pilot.pause()
            await _until(pilot, lambda: app.save_state == "saved")
    assert [a.source for a in Store.open(db_path).articles()] == [url]


async def test_an_unreachable_url_says_so_and_the_app_keeps_running(db_path):
    app = PresscheckApp(prepare_session([corpus.CLOSED_PORT_URL], db_path, "tester"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        started = time.monotonic()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert time.monotonic() - started < 3
        message = f"{corpus.CLOSED_PORT_URL}: cannot fetch it: the connection was refused (is the server running?)"
        assert app.screen.query_one(StatusBar).message == message
        assert [n.message for n in app._notifications] == [message]
        loader = app.screen.query_one(SourceLoader)
        assert not loader.query_one(LoadingIndicator).display
        assert "✗ http://127.0.0.1:9/news/today: cannot fetch it" in _screen_text(app)
        await pilot.press("o")
        await _until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_a_page_and_a_dead_url_together_open_the_page(db_path):
    with corpus.local_server({"/p": corpus.Route(PAGE.read_bytes())}) as base:
        app = PresscheckApp(prepare_session([f"{base}/p", corpus.CLOSED_PORT_URL], db_path, "tester"))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await _until(pilot, lambda: bool(app.screen.query(ArticlePane)))
            assert len(app.screen.query(ArticlePane)) == 1
            [notice] = [n.message for n in app._notifications]
            assert notice.startswith(f"{corpus.CLOSED_PORT_URL}: cannot fetch it: the connection was refused")


async def test_feed_files_list_their_entries_and_opening_one_ingests_it(db_path):
    session = prepare_session([str(corpus.FEEDS / "coastal-courier.rss"), str(corpus.FEEDS / "coastal-courier.atom")],
                              db_path, "tester")
    assert session.articles == [] and len(session.feed_entries) == 5
    app = PresscheckApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        text = _screen_text(app)
        assert "Library · 5 articles" in text
        for title, date in [
            ("Harbour bridge closed after inspectors find cracked cables", "2024-03-14"),
            ("Ferry staff vote on strike action", "2024-03-12"),
            ("Drones to inspect the harbour bridge cables", "2024-03-16"),
        ]:
            [line] = [line for line in text.splitlines() if " ".join(title.split()[:3]) in line]
            assert f" · The Coastal Courier… · {date} · feed entry" in line
        await pilot.press("down", "down", "down", "space", "up", "up", "up", "space", "enter")
        await _until(pilot, lambda: len(app.screen.query(ArticlePane)) == 2)
        titles = sorted(p.article.title for p in app.screen.query(ArticlePane))
        assert titles == ["Drones to inspect the harbour bridge cables",
                          "Harbour bridge closed after inspectors find cracked cables"]
        await _until(pilot, lambda: app.save_state == "saved" and not app.workers._workers)
        stored = Store.open(db_path).articles()
        assert sorted(a.title for a in stored) == titles
        # the opened entries are articles now, the rest still feed entries
        await pilot.press("o")
        await _until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        text = _screen_text(app)
        assert text.count("feed entry") == 3 and text.count(" · 0 annotat") == 2
        assert "Drones to inspect the harbour… · drones-bridge · 2024-03-16 · 0 annotations" in text


async def test_nothing_open_shows_a_hint(db_path):
    app = PresscheckApp(prepare_session([str(corpus.FEEDS / "coastal-courier.atom")], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert IDLE_HINT in _screen_text(app)
        assert app.is_running


async def test_reopening_the_same_page_adds_no_duplicate(db_path, tmp_path):
    copy = tmp_path / "again.html"
    copy.write_bytes(PAGE.read_bytes())
    first = prepare_session([str(PAGE)], db_path, "tester")
    second = prepare_session([str(copy), str(PAGE)], db_path, "tester")
    assert [a.id for a in second.articles] == [first.articles[0].id]
    assert len(Store.open(db_path).articles()) == 1
