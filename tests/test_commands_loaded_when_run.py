"""The teacher's commands (`reader.lesson_cli`) and the live lesson's hidden ones
(`reader.live_lesson_cli`) are loaded when one of them runs, not by every start (that they
are not is tests/app/test_start_up_imports.py's): each still runs and is still listed."""

from __future__ import annotations

import pytest

from reader import cli, lesson_cli, live_lesson_cli


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
