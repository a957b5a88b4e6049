"""The themes a settings file may name are the app's own, though they are listed without
making an app (that cost every start with a theme set about 20 ms)."""

from __future__ import annotations

from reader.accessibility import MONO_THEME_NAME
from reader.app import PresscheckApp
from reader.keymap import theme_names
from reader.preferences import Preferences


def test_the_themes_listed_are_the_ones_the_app_can_use() -> None:
    mono = PresscheckApp(preferences=Preferences(theme=MONO_THEME_NAME))
    assert set(theme_names()) == set(PresscheckApp().available_themes) | {MONO_THEME_NAME}
    assert set(theme_names()) == set(mono.available_themes)
    assert list(theme_names()) == sorted(theme_names())
