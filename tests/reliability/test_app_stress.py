"""The app under stress: resizing from 20x5 to 300x100, and a monkey pressing random keys.

PRESSCHECK_MONKEY_KEYS sets the number of keystrokes (default 10 000)."""

from __future__ import annotations

import os
import random
import unicodedata

import pytest
from textual import events
from textual.keys import _get_unicode_name_from_key

from reader.store import Store
from reader.widgets.article_pane import ArticlePane

pytestmark = pytest.mark.slow

KEYSTROKES = int(os.environ.get("PRESSCHECK_MONKEY_KEYS", "10000"))
# every binding of the app except the ones that quit, plus keys a dialog needs
MONKEY_KEYS = (
    "j k J K up down shift+up shift+down pagedown pageup home end g G space x "
    "t c l n e d u ctrl+z ctrl+y f o slash f3 shift+f3 right_square_bracket "
    "left_square_bracket ctrl+b escape question_mark tab shift+tab enter a b backspace"
).split()


async def test_resizing_between_tiny_and_huge(make_app):
    app = make_app()
    rng = random.Random(7)
    async with app.run_test(size=(160, 45)) as pilot:
        sizes = [(20, 5), (300, 100), (40, 12), (99, 30), (100, 30), (21, 6)]
        sizes += [(rng.randint(20, 300), rng.randint(5, 100)) for _ in range(60)]
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await pilot.press(rng.choice(["j", "k", "pagedown", "end", "home"]))
            assert app.screen.narrow == (width < 100)
            for pane in app.screen.query(ArticlePane):
                if pane.display and pane.size.width:
                    assert pane.virtual_size.height >= 1


def _key_event(key: str) -> events.Key:
    """The event a terminal sends for `key` (as Pilot builds it)."""
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def test_monkey_keystrokes_leave_a_valid_database(make_app, db_path):
    """Keys arrive in bursts of 20, faster than the app settles (as a fast typist's do):
    Pilot's press() waits for idle after every key, which would take ~60 ms a key."""
    app = make_app()
    rng = random.Random(12345)
    pressed = 0
    async with app.run_test(size=(120, 40)) as pilot:
        while pressed < KEYSTROKES:
            for key in (rng.choice(MONKEY_KEYS) for _ in range(20)):
                event = _key_event(key)
                event.set_sender(app)
                app._driver.send_message(event)
            pressed += 20
            await pilot.pause()
            if pressed % 1000 == 0:
                await pilot.resize_terminal(rng.choice([60, 120, 200]), rng.choice([12, 40]))
                await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.is_running
        screen = app.reading_screen
        assert screen is not None, app.screen_stack
        shown = dict(screen.annotations)
        open_ids = {article.id for article in screen.workspace.articles}
        unsaved = app.unsaved_count
    assert unsaved == 0
    stored = {
        a.id: a
        for a in Store.open(db_path).annotations()
        if any(t.article_id in open_ids for t in a.targets)
    }
    assert len(stored) > 0  # the monkey did annotate
    assert stored == shown  # every change on screen reached the database, nothing else did
