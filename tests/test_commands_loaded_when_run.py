"""Modules that only some commands need are loaded when those commands run, not by every
start: the teacher's commands (`reader.lesson_cli`), the live lesson's hidden ones
(`reader.live_lesson_cli`), and the anchoring a changed file needs (`reader.anchoring`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader import cli, lesson_cli, live_lesson_cli

LEFT_OUT = ["reader.lesson_cli", "reader.live_lesson_cli", "reader.anchoring"]


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    code = ("import sys\nimport reader.cli, reader.launch, reader.app\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", LEFT_OUT)
def test_not_loaded_by_a_start(loaded: set[str], module: str) -> None:
    assert "reader.changed_files" in loaded
    assert module not in loaded


def test_the_names_cli_dispatches_are_the_modules_commands() -> None:
    assert cli.LESSON_COMMAND_NAMES == tuple(lesson_cli.COMMANDS)
    assert cli.LIVE_LESSON_COMMAND_NAMES == tuple(live_lesson_cli.COMMANDS)
    assert set(lesson_cli.COMMANDS) | set(live_lesson_cli.COMMANDS) <= set(cli.COMMANDS)


@pytest.mark.parametrize("name", [*lesson_cli.COMMANDS, *live_lesson_cli.COMMANDS])
def test_a_command_runs_the_modules_own(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    module = lesson_cli if name in lesson_cli.COMMANDS else live_lesson_cli
    seen: list[list[str]] = []
    monkeypatch.setitem(module.COMMANDS, name, lambda argv: seen.append(list(argv)) or 7)
    assert cli.COMMANDS[name](["a", "b"]) == 7
    assert seen == [["a", "b"]]


def test_the_help_still_lists_the_teachers_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.open_parser().parse_args(["--help"])
    shown = capsys.readouterr().out
    assert "presscheck compare LESSON HANDINS" in shown
    assert "presscheck pack create|check|handout" in shown
