"""Hostile input through Pilot: every corpus file opens and shows safely, or is refused.

"Safely" is checked on what Textual would write to the terminal for the whole screen
(the compositor's full update, rendered as `App.export_screenshot` does): none of the
article's escape sequences, controls or bidi overrides in the bytes, the markup shown
literally, and the app still running and answering keys afterwards.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from reader.app import PresscheckApp
from reader.cli import main
from reader.errors import IngestError
from reader.launch import prepare_session
from reader.screens.help import HelpScreen
from reader.screens.library import LibraryScreen
from reader.widgets.article_pane import ArticlePane

from pilots import settle  # tests/support/pilots.py

SIZE = (160, 45)


import corpus  # tests/data/corpus.py; tests/conftest.py puts tests/data on sys.path


def terminal_output(app: PresscheckApp) -> tuple[str, bytes]:
    """The screen as text, and the bytes Textual writes to draw it in full."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    raw = console.file.getvalue().encode("utf-8")  # type: ignore[attr-defined]
    return console.export_text(styles=False), raw


def assert_safe(app: PresscheckApp) -> str:
    text, raw = terminal_output(app)
    leaked = [payload for payload in corpus.TERMINAL_PAYLOADS if payload in raw]
    assert not leaked, f"reached the terminal: {leaked}"
    shown = sorted({f"U+{ord(c):04X}" for c in text if c in corpus.FORBIDDEN_CHARACTERS})
    assert not shown, f"shown as themselves: {shown}"
    return text


async def _still_answers(app: PresscheckApp, pilot) -> None:
    """Keys still work: move, fold, help opens and closes, a click on the text acts not."""
    pane = app.screen.query_one(ArticlePane)
    await pilot.press("j", "end", "home", "x", "x")
    await pilot.click(ArticlePane, offset=(10, 1))
    await pilot.click(ArticlePane, offset=(40, 3))
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    assert_safe(app)
    await pilot.press("escape")
    await pilot.pause()
    assert app.is_running and app.return_code is None
    assert app.screen.query_one(ArticlePane) is pane


@pytest.fixture
def big_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "big"
    folder.mkdir()
    return corpus.write_big_files(folder)


@pytest.mark.parametrize("name", sorted(corpus.OPENS))
async def test_hostile_file_opens_and_shows_safely(name, db_path):
    path = corpus.HOSTILE / name
    app = PresscheckApp(prepare_session([str(path)], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = assert_safe(app)
        assert corpus.OPENS[name] in text
        await _still_answers(app, pilot)
        assert_safe(app)


@pytest.mark.parametrize("name", ["long-line.txt", "long-word.txt"])
async def test_huge_line_and_word_open_and_scroll(name, big_files, db_path):
    app = PresscheckApp(prepare_session([str(big_files[name])], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(ArticlePane)
        assert pane.virtual_size.height > 800  # wrapped into rows, not one endless row
        text = assert_safe(app)
        assert ("the" in text) if name == "long-line.txt" else ("x" * 100 in text)
        await _still_answers(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_offset.y > 0
        assert_safe(app)


@pytest.mark.parametrize("name", sorted(corpus.REFUSED))
def test_refused_with_one_line_naming_the_file(name, db_path, capsys):
    path = corpus.HOSTILE / name
    with pytest.raises(IngestError) as caught:
        prepare_session([str(path)], db_path, "tester")
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and corpus.REFUSED[name] in message
    assert main([str(path), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("presscheck: ") and name in err


async def test_hostile_feed_lists_its_entries_literally_and_opens_one(db_path):
    path = corpus.HOSTILE / "hostile-feed.rss"
    session = prepare_session([str(path)], db_path, "tester")
    assert not session.articles and len(session.feed_entries) == 2
    app = PresscheckApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)  # a feed alone opens on its entries
        text = assert_safe(app)
        assert corpus.FEED_FILES["hostile-feed.rss"] in text
        assert "⇆Entry two reversed⇆" in text and "[bold]Hostile[/bold]" in text  # feed title
        assert "2024-04-01" in text  # the entry's date
        await pilot.press("enter")  # the highlighted entry: the first
        await settle(pilot)
        await settle(pilot)
        pane = app.screen.query_one(ArticlePane)
        assert pane.article.title.endswith("(summary)")
        text = assert_safe(app)
        assert "[@click=app.quit]Entry one[/] ␛]52;c;" in text
        await _still_answers(app, pilot)


async def test_hostile_folder_opens_what_it_can_and_lists_the_rest(db_path):
    session = prepare_session([str(corpus.HOSTILE)], db_path, "tester")
    assert len(session.articles) == 4
    skipped = [n for n in session.notices if n.startswith("skipped")]
    assert len(skipped) == len(corpus.REFUSED) - 1  # image.png has no article suffix: not tried
    app = PresscheckApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.screen.query(ArticlePane)) == 4
        assert_safe(app)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = assert_safe(app)
        assert "Library · " in text
        assert corpus.FEED_FILES["hostile-feed.rss"] in text  # the folder's feed, listed by entry


async def test_annotating_hostile_text_keeps_sidebar_and_dialogs_safe(db_path):
    path = corpus.HOSTILE / "escapes.txt"
    app = PresscheckApp(prepare_session([str(path)], db_path, "tester"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(ArticlePane)
        for _ in range(8):
            if "]52;" in pane.selected_text:
                break
            await pilot.press("j")
        assert "\x1b]52;" in pane.selected_text  # the OSC 52 sentence
        await pilot.press("t")
        await pilot.pause()
        text = assert_safe(app)  # the tag picker quotes the sentence
        assert "␛]52;c;" in text
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"[bold]note[/bold]")
        await pilot.press("enter")
        await settle(pilot)
        text = assert_safe(app)  # the sidebar lists both, quotes and note as text
        assert "Claims · 1" in text and "Notes · 1" in text and "[bold]note[/bold]" in text
        assert app.is_running


async def test_toasts_show_a_hostile_message_safely(make_app):
    """Toasts quote file names, errors and authors from other people's files: whatever
    screen or widget raises one, its controls are shown as marks (`PresscheckApp.notify`)."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        payload = "".join(p.decode() for p in corpus.TERMINAL_PAYLOADS)
        app.screen.notify(f"evil.json: {payload}", title=f"title {payload}", timeout=30)
        await pilot.pause(0.3)
        text = assert_safe(app)
        assert "evil.json" in text and "␛]52;" in text, text
