"""The settings file (`config.toml`): read, checked, put under the environment and the flags;
every problem one line that starts with the file's path; `presscheck config show` prints a
file that reads back the same."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reader.cli import author_override, db_path, main
from reader.config_cli import checked_preferences, render_settings
from reader.keymap import check_keymap, checked, known_ids, normalized_key
from reader.preferences import DEFAULT_DB, Preferences, config_path, load_preferences, overridden, toml_string


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`config(text)` writes the test's own settings file, PRESSCHECK_CONFIG naming it."""
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("PRESSCHECK_CONFIG", str(path))
    monkeypatch.delenv("PRESSCHECK_DB", raising=False)
    monkeypatch.delenv("PRESSCHECK_AUTHOR", raising=False)

    def write(text: str) -> Path:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_the_tests_never_read_the_developers_settings(no_user_config):
    assert config_path() == no_user_config and not no_user_config.exists()
    assert os.environ["PRESSCHECK_CONFIG"] == str(no_user_config)  # for the programs tests start
    assert Path(os.environ["XDG_CONFIG_HOME"]) / "presscheck" / "config.toml" == no_user_config  # if they drop it


def test_without_PRESSCHECK_CONFIG_the_file_is_in_the_platforms_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESSCHECK_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "presscheck" / "config.toml"


def test_no_file_is_the_defaults(tmp_path):
    assert load_preferences(tmp_path / "nothing.toml") == Preferences()


def test_every_setting_is_read(config, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = config('author = " Ada "\ntheme = "nord"\ndb = "~/notes/db.json"\nhighlight = "reverse"\n'
                  'screen_reader = true\n[keymap]\ntag_claim = "f2"\n')
    assert load_preferences(path) == Preferences(
        author="Ada", theme="nord", db=str(tmp_path / "notes" / "db.json"), keymap={"tag_claim": "f2"},
        highlight="reverse", screen_reader=True,
    )


def test_flags_beat_the_environment_which_beats_the_file_which_beats_the_defaults(config, monkeypatch):
    config('author = "From File"\ndb = "file.json"\n')
    args = argparse.Namespace(db=None, author=None)
    assert (db_path(args), author_override(args)) == (Path("file.json"), "From File")
    monkeypatch.setenv("PRESSCHECK_DB", "env.json")
    monkeypatch.setenv("PRESSCHECK_AUTHOR", "From Env")
    assert (db_path(args), author_override(args)) == (Path("env.json"), "From Env")
    args = argparse.Namespace(db="flag.json", author="From Flag")
    assert (db_path(args), author_override(args)) == (Path("flag.json"), "From Flag")
    assert overridden(Preferences(), environ={}).db == str(DEFAULT_DB)


def test_a_session_of_serve_takes_neither_the_files_author_nor_its_screen_reader_mode(config):
    config('author = "The Teacher"\nscreen_reader = true\nhighlight = "underline"\n')
    mine = checked_preferences()
    assert (mine.author, mine.screen_reader, mine.highlight) == ("The Teacher", True, "underline")
    session = checked_preferences(serve_session=True)
    assert (session.author, session.screen_reader, session.highlight) == ("", False, "underline")
    assert checked_preferences(screen_reader=True, serve_session=True).screen_reader  # the flag still


FILE_PROBLEMS = [
    ('author = "Ada', "not valid TOML"),
    ('colour = "red"', '"colour" is not a setting'),
    ("author = 3", "author: a string in quotes is expected"),
    ('screen_reader = "yes"', "screen_reader: true or false is expected"),
    ('highlight = "bold"', 'highlight: "bold" is not a highlight style; one of default, underline, reverse'),
    ('keymap = "f2"', "keymap: a table is expected"),
    ("[keymap]\ntag_claim = 2", "keymap: tag_claim: a string of keys is expected"),
    ("author = \"Zo\x01\"", "not valid TOML"),
]
"""Problems of the file itself: every command that reads it refuses it."""
APP_PROBLEMS = [
    ('theme = "dracla"', 'theme: "dracla" is not a theme; one of'),
    ('[keymap]\ntag_clam = "f2"', 'keymap: "tag_clam" is not a key binding id (`presscheck config show` lists them)'),
    ('[keymap]\ntag_claim = "F99"', '"F99" is not a key name'),
    ('[keymap]\ntag_claim = " "', "no key given"),
    ('[keymap]\ntag_claim = "t,,f2"', "an empty key between commas"),
    ('[keymap]\ntag_claim = "c"', '"c" would be both tag_claim (Tag claim) and contradiction (Contradiction)'),
    ('[keymap]\ntag_claim = "j"', '"j" would be both tag_claim (Tag claim) and cursor_down (Next sentence)'),
    ('[keymap]\ntag_claim = "tab"', '"tab" is already "Focus Next"'),
    ('[keymap]\nfind_bar_close = "x"', "the find bar's field types that character"),
    ('[keymap]\nfind_bar_close = "ctrl+x"', '"ctrl+x" is already "Cut selected text"'),
]
"""Problems only the app's bindings and themes show: the commands that open the app (and
`config`, `serve`) refuse them; `export` and the others, which use no keymap, need not."""


@pytest.mark.parametrize(("text", "says"), FILE_PROBLEMS + APP_PROBLEMS,
                         ids=[said for _, said in FILE_PROBLEMS + APP_PROBLEMS])
def test_every_problem_is_one_line_that_starts_with_the_files_path(config, capsys, text, says):
    path = config(text)
    for command in (["config", "check"], ["config", "show"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1, err
        assert err.startswith(f"presscheck: {path}: ") and says in err, err


@pytest.mark.parametrize(("text", "says"), FILE_PROBLEMS, ids=[said for _, said in FILE_PROBLEMS])
def test_every_command_that_reads_the_file_refuses_a_bad_one(config, workdir, capsys, text, says):
    path = config(text)
    assert main(["export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"presscheck: {path}: ") and says in err and err.count("\n") == 1, err


def test_an_unreadable_file_is_one_line_too(config, capsys):
    path = config("")
    path.unlink()
    path.mkdir()
    assert main(["config", "check"]) == 1
    assert capsys.readouterr().err == f"presscheck: {path}: cannot read it (Is a directory); make it a file you " \
        "can read, or point PRESSCHECK_CONFIG elsewhere\n"


def test_a_value_from_the_file_is_quoted_safely_and_short(config, capsys):
    config('[keymap]\n"tag\\u001b[31m_claim_and_then_a_very_long_name_indeed" = "f2"\n')
    assert main(["config", "check"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "␛[31m" in err and "…" in err and err.count("\n") == 1


def test_check_says_ok_with_the_path(config, capsys):
    path = config('theme = "nord"\n[keymap]\ntag_claim = "F2"\n')
    assert main(["config", "check"]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"
    path.unlink()
    assert main(["config", "check"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: ok (not there")


def test_path_prints_the_path_there_or_not(config, capsys):
    path = config("")
    path.unlink()
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{path}\n"


@pytest.mark.parametrize(("written", "textual"), [
    ("F2", "f2"), ("f2", "f2"), ("?", "question_mark"), ("question_mark", "question_mark"), ("T", "T"),
    ("shift+t", "T"), ("Ctrl+T", "ctrl+t"), ("Shift+Ctrl+Up", "ctrl+shift+up"), ("space", "space"),
    (" ", "space"), ("comma", "comma"), ("Escape", "escape"), ("+", "plus"), ("ctrl+?", "ctrl+question_mark"),
    ("é", "é"), ("pound_sign", "pound_sign"),
])
def test_keys_are_read_in_textuals_names(written, textual):
    assert normalized_key(written) == textual


@pytest.mark.parametrize("written", ["F99", "cmd+t", "ctrl+", "ctrl+ctrl+t", "PgDn", "\x1b", "hello"])
def test_a_key_textual_does_not_know_is_refused(written):
    assert normalized_key(written) is None


def test_a_keymap_may_swap_two_keys_and_name_a_key_twice(tmp_path):
    swapped = check_keymap({"tag_claim": "c", "contradiction": "t,T,t"}, tmp_path / "config.toml")
    assert swapped == {"tag_claim": "c", "contradiction": "t,T"}


def test_show_prints_a_file_that_reads_back_the_same_with_every_binding(config, capsys, monkeypatch):
    config('author = "Zoë \\u202e"\ntheme = "nord"\nhighlight = "underline"\n[keymap]\ntag_claim = "F2"\n')
    monkeypatch.setenv("PRESSCHECK_DB", "env.json")
    assert main(["config", "show", "--author", "Ada \\ \"Quote\""]) == 0
    shown = capsys.readouterr().out
    table = tomllib.loads(shown)
    assert table["author"] == 'Ada \\ "Quote"' and table["db"] == "env.json" and table["theme"] == "nord"
    assert table["highlight"] == "underline" and table["screen_reader"] is False
    assert set(table["keymap"]) == set(known_ids())
    assert table["keymap"]["tag_claim"] == "f2" and table["keymap"]["contradiction"] == "c"
    assert 'tag_claim = "f2"  # Tag claim' in shown.splitlines()
    # written back as the file, it is the same settings, and a valid file
    path = config(shown)
    assert checked(load_preferences(path), path) == checked_preferences()


def test_show_escapes_what_a_terminal_would_not_print():
    for text in ["Zoë", "a\nb", "\x1b[31m", "\u202e", "\x7f", "tab\there", 'q"\\', "😀"]:
        written = toml_string(text)
        assert written.isprintable() and tomllib.loads(f"x = {written}")["x"] == text


def test_render_settings_names_a_file_not_there_yet(tmp_path):
    assert "(not there yet)" in render_settings(overridden(Preferences()), tmp_path / "config.toml")


def test_the_help_lists_the_config_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "presscheck config path|show|check" in capsys.readouterr().out


def test_serve_says_a_bad_file_once_before_it_starts(config, tmp_path):
    path = config('[keymap]\nhelp = "t"\n')
    result = subprocess.run([sys.executable, "-m", "reader", "serve", "--port", "0"], cwd=tmp_path, timeout=60,
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"presscheck: {path}: keymap: \"t\" would be both help (Help) and tag_claim")


def test_open_gives_the_app_the_checked_settings_and_the_screen_reader_flag(config, workdir, seeds, monkeypatch):
    from reader.app import PresscheckApp

    given: list[Preferences] = []
    monkeypatch.setattr(PresscheckApp, "run", lambda app: given.append(app.preferences))
    config('author = "From File"\ntheme = "nord"\n[keymap]\ntag_claim = "F2"\n')
    assert main(["--screen-reader", str(seeds)]) == 0
    assert main(["--ask-author", str(seeds)]) == 0  # a session of `presscheck serve`
    mine, served = given
    assert (mine.author, mine.theme, dict(mine.keymap), mine.screen_reader) == ("From File", "nord", {"tag_claim": "f2"}, True)
    assert (served.author, served.theme, dict(served.keymap), served.screen_reader) == ("", "nord", {"tag_claim": "f2"}, False)
    assert mine.db == str(DEFAULT_DB) and (workdir / DEFAULT_DB).exists()


def test_global_options_before_config_are_its_own(config, capsys):
    config("")
    assert main(["--db", "other.json", "--author", "Ada", "config", "show"]) == 0
    table = tomllib.loads(capsys.readouterr().out)
    assert (table["db"], table["author"]) == ("other.json", "Ada")
