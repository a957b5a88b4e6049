"""A settings file's keymap in the real `presscheck` binary in tmux: moved from `t` to F2,
"Tag claim" is F2 on the key bar and in the help, F2 tags and `t` does not; a bad keymap is
one line naming the file, exit 1, before anything is opened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")


def _key_bar(screen: str) -> str:
    """The key bar: the last row that is not the lingering shell's."""
    return [row for row in screen.splitlines() if row.strip()][-1]


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
def test_a_keymap_moves_tag_claim_to_f2_on_the_key_bar_in_the_help_and_in_use(launch, tmp_path, size):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ntag_claim = "F2"\n', encoding="utf-8")
    db = tmp_path / "db.json"
    env = {"PRESSCHECK_CONFIG": str(config), "PRESSCHECK_DB": str(db), "PRESSCHECK_AUTHOR": "student"}
    app = launch([str(BIN)], name="keymap", cwd=tmp_path, env=env, size=size)
    screen = app.wait_for("Tag claim")
    assert " F2 Tag claim " in _key_bar(screen) and " t Tag claim" not in screen
    app.keys("t")  # no longer tags: no dialog opens (the help, next, shows over the text)
    app.keys("?")
    screen = app.wait_for("presscheck keys")
    assert "Tag this claim" not in screen
    # the dialog's rows, between its borders (a toast may cover its right end)
    rows = [line.split("│")[1].split("▌")[0].split() for line in screen.splitlines() if line.count("│") >= 1]
    assert ["F2", "Tag", "claim"] in rows, screen
    app.keys("Escape")
    app.wait_for_gone("presscheck keys")
    app.keys("F2")
    screen = app.wait_for("Tag this claim")
    app.keys("Enter")
    app.wait_for_gone("Tag this claim")
    app.keys("q")
    app.wait_for("EXITED=0")
    exported = subprocess.run([str(BIN), "export", "--db", str(db)], capture_output=True, text=True,
                              timeout=60, check=True, env={"PRESSCHECK_CONFIG": str(config), "PATH": ""})
    assert [made["kind"] for made in json.loads(exported.stdout)["annotations"]] == ["claim"]


def test_a_bad_keymap_is_one_line_naming_the_file_and_exit_1(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ntag_claim = "F99"\n', encoding="utf-8")
    env = {"PRESSCHECK_CONFIG": str(config), "PRESSCHECK_DB": str(tmp_path / "db.json"), "PATH": ""}
    result = subprocess.run([str(BIN)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"presscheck: {config}: keymap: "), result.stderr
    assert '"F99" is not a key name' in result.stderr
    assert not (tmp_path / "db.json").exists()  # nothing was opened
