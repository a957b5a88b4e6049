"""Parsed CSS kept across runs (`reader/css_cache.py`): a warm cache gives the rules parsing
gives, and a file that could hold someone else's code, or a cut-short one, or one written
for other CSS, is not used: the CSS is parsed as without the cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
import textual.css.stylesheet as textual_stylesheet
from textual.app import App
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

import reader.css_cache as css_cache
from reader.app import STYLES, PresscheckApp
from reader.css_cache import CACHE_ENV, CachedStylesheet
from reader.widgets.key_bar import KeyBar

WIDE = (160, 45)
SOURCES = [
    ((STYLES / "app.tcss").read_text(encoding="utf-8"), (str(STYLES / "app.tcss"), ""), False, 0, ""),
    (KeyBar.DEFAULT_CSS, ("key_bar.py", "KeyBar.DEFAULT_CSS"), True, -1, "KeyBar"),
]


@pytest.fixture
def variables() -> dict[str, str]:
    return App().get_css_variables()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where each CSS Textual really parses (not taken from a cache) came from."""
    seen: list[str] = []
    parse = textual_stylesheet.parse

    def counting(scope, css, read_from, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(read_from[0])
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return seen


def rules_css(stylesheet: Stylesheet) -> list[list[str]]:
    """Each source's rules, as CSS."""
    return [[rule.css for rule in stylesheet._parse_rules(*source)] for source in SOURCES]


def described(rule: RuleSet) -> tuple[object, ...]:
    """A rule as its selectors and styles (Textual's `RuleSet.css` fails on some of its own
    rules: `link-background: initial` and the like)."""
    return rule.selectors, repr(rule.styles), rule.is_default_rules, rule.tie_breaker


def warm(folder: Path, variables: dict[str, str]) -> Path:
    """Parse SOURCES with the cache in `folder` and write it; its file."""
    stylesheet = CachedStylesheet(variables=variables, folder=folder)
    rules_css(stylesheet)
    assert stylesheet.save_parsed()
    (path,) = folder.glob("rules-*.pickle")
    return path


def test_a_warm_cache_gives_the_rules_parsing_gives(tmp_path, variables, parsed):
    expected = rules_css(Stylesheet(variables=variables))
    assert len(parsed) == len(SOURCES)
    folder = tmp_path / "css"
    path = warm(folder, variables)
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    del parsed[:]
    stylesheet = CachedStylesheet(variables=variables, folder=folder)
    assert rules_css(stylesheet) == expected
    assert parsed == []
    assert not stylesheet.save_parsed()  # nothing new: not written again


def test_changed_css_misses_the_cache(tmp_path, variables, parsed):
    warm(tmp_path, variables)
    del parsed[:]
    changed = (SOURCES[1][0].replace("height: 1;", "height: 2;"), *SOURCES[1][1:])
    rules = CachedStylesheet(variables=variables, folder=tmp_path)._parse_rules(*changed)
    assert parsed == ["key_bar.py"]
    assert "height: 2;" in rules[0].css


def test_other_theme_variables_miss_the_cache(tmp_path, variables, parsed):
    warm(tmp_path, variables)
    del parsed[:]
    other = {**variables, "accent": "#123456"}
    assert rules_css(CachedStylesheet(variables=other, folder=tmp_path)) == rules_css(Stylesheet(variables=other))
    assert len(parsed) == 2 * len(SOURCES)


@pytest.mark.parametrize("spoil", ["cut short", "not a pickle", "another stamp", "writable by others",
                                   "writable by the group", "folder writable by others", "someone else's",
                                   "a link", "an entry spoiled"])
def test_a_file_that_could_not_be_ours_is_parsed_anew(tmp_path, variables, parsed, monkeypatch, spoil):
    expected = rules_css(Stylesheet(variables=variables))
    folder = tmp_path / "css"
    path = warm(folder, variables)
    if spoil == "cut short":
        path.write_bytes(path.read_bytes()[:1000])
    elif spoil == "not a pickle":
        path.write_bytes(b"not a pickle at all")
    elif spoil == "another stamp":
        monkeypatch.setattr(css_cache, "_versions", lambda: ("0", "another Textual"))
    elif spoil == "writable by others":
        path.chmod(0o602)
    elif spoil == "writable by the group":
        path.chmod(0o620)
    elif spoil == "folder writable by others":
        folder.chmod(0o703)
    elif spoil == "someone else's":
        uid = os.getuid()
        monkeypatch.setattr(css_cache.os, "getuid", lambda: uid + 1)
    elif spoil == "an entry spoiled":
        stamp, entries = pickle.loads(path.read_bytes())
        css_cache.write_entries(path, stamp, dict.fromkeys(entries, b"not a pickle"))
    elif spoil == "a link":
        real = tmp_path / "elsewhere.pickle"
        path.rename(real)
        path.symlink_to(real)
    del parsed[:]
    assert rules_css(CachedStylesheet(variables=variables, folder=folder)) == expected
    assert len(parsed) == len(SOURCES)


def test_nothing_is_written_where_it_would_not_be_read(tmp_path, variables):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    stylesheet = CachedStylesheet(variables=variables, folder=folder)
    rules_css(stylesheet)
    assert not stylesheet.save_parsed()
    assert list(folder.iterdir()) == []


def test_no_folder_to_write_to_is_no_error(tmp_path, variables):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    stylesheet = CachedStylesheet(variables=variables, folder=blocked / "css")
    rules_css(stylesheet)
    assert not stylesheet.save_parsed()


async def test_the_second_run_parses_no_css_for_its_first_frame_and_looks_the_same(
        make_app, tmp_path, monkeypatch, parsed):
    before_first_frame: list[list[str]] = []  # what was parsed when the app wrote the cache
    load_later_styles = PresscheckApp.load_later_styles

    def loading_later_styles(self: PresscheckApp) -> None:
        before_first_frame.append(list(parsed))
        load_later_styles(self)

    monkeypatch.setattr(PresscheckApp, "load_later_styles", loading_later_styles)
    shots, rules = [], []
    for cache in (str(tmp_path / "css"), str(tmp_path / "css"), "off"):  # cold, warm, none
        monkeypatch.setenv(CACHE_ENV, cache)
        del parsed[:]
        app = make_app()
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            shots.append(app.export_screenshot(title="presscheck"))
            rules.append([described(rule) for rule in app.stylesheet.rules])
    cold, warm, _none = before_first_frame
    assert cold  # the first run parses, and writes what it parsed
    assert warm == []
    assert rules[0] == rules[1] == rules[2]
    assert shots[1] == shots[2]  # (the first opening of the seeds says more in its status bar)


def test_off_means_no_cache(monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    assert css_cache.cache_folder() is None
