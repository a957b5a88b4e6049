"""The stylesheets the first frame does not need are read just after it (styles/app.tcss is
the reading screen's; dialogs.tcss and plain_marks.tcss come later), unless the first
frame needs them: a dialog pushed before it, a student's sign-in screen, marks drawn in
text styles. Whatever is on screen is styled as if they had been read from the start."""

from __future__ import annotations

import os
import shutil

import pytest
from textual.widgets import Input

from reader.accessibility import MONO_THEME_NAME
from reader.app import LATER_STYLES, PresscheckApp
from reader.preferences import Preferences
from reader.screens.reading import ReadingScreen
from reader.widgets.find_bar import FindBar

PLAIN_MARKS, DIALOGS = LATER_STYLES
WIDE = (160, 45)


def _read(app: PresscheckApp) -> set[str]:
    """The names of the later stylesheets the app's stylesheet holds now."""
    return {path.name for path in LATER_STYLES if app.stylesheet.has_source(os.path.abspath(path))}


def _read_as_composed(monkeypatch: pytest.MonkeyPatch, cls: type) -> list[set[str]]:
    """What `_read` says each time a `cls` composes its children, which are styled as they
    mount, and drawn next."""
    seen: list[set[str]] = []
    compose = cls.compose

    def composing(self):  # type: ignore[no-untyped-def]
        seen.append(_read(self.app))
        return compose(self)

    monkeypatch.setattr(cls, "compose", composing)
    return seen


@pytest.fixture
def read_at_mount(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """What `_read` says as each reading screen composes (its first frame is drawn next)."""
    return _read_as_composed(monkeypatch, ReadingScreen)


async def test_the_reading_screen_is_drawn_first_and_the_rest_read_after(make_app, read_at_mount, monkeypatch):
    find_bar_composed = _read_as_composed(monkeypatch, FindBar)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert read_at_mount == [set()]
        assert find_bar_composed == [{"plain_marks.tcss", "dialogs.tcss"}]
        assert _read(app) == {"plain_marks.tcss", "dialogs.tcss"}
        bar = app.screen.query_one(FindBar)
        assert bar.styles.background.a > 0  # `FindBar { background: $boost; }` (dialogs.tcss)


@pytest.mark.parametrize("preferences", [
    Preferences(highlight="underline"), Preferences(highlight="reverse"), Preferences(theme=MONO_THEME_NAME),
])
async def test_marks_in_text_styles_are_read_before_the_first_frame(make_app, read_at_mount, preferences):
    app = make_app(preferences=preferences)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert read_at_mount == [{"plain_marks.tcss"}]


async def test_without_colour_the_marks_are_read_before_the_first_frame(make_app, read_at_mount, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert read_at_mount == [{"plain_marks.tcss"}]


async def test_a_dialog_pushed_before_the_first_frame_is_drawn_as_a_dialog(make_app, monkeypatch):
    from reader.screens.author_dialog import AuthorDialog

    composed = _read_as_composed(monkeypatch, AuthorDialog)
    app = make_app(author="")  # nobody named: the name dialog comes up at once
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AuthorDialog)
        assert composed == [{"plain_marks.tcss", "dialogs.tcss"}]
        frame = dialog.query_one(".dialog")
        assert frame.styles.border_top[0] == "round"  # `.dialog { border: round $accent; }`
        assert dialog.query_one(Input).has_focus


async def test_a_student_s_sign_in_screen_is_drawn_as_a_dialog(tmp_path, seeds):
    from reader.classroom.live_lesson import LiveLesson
    from reader.classroom.pack import load_pack

    pack = tmp_path / "lesson"
    shutil.copytree(seeds, pack)
    lesson = LiveLesson(load_pack(pack), tmp_path / "handins")
    lesson.prepare()
    app = PresscheckApp(lesson=lesson)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "SignInScreen"
        assert app.screen.query_one(".dialog").styles.border_top[0] == "round"
