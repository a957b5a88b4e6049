"""The terminal tests' tmux: a private server per test, killed afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture
def tmux(tmp_path):
    """`cmd(*args)`: run a tmux command on this test's own server and return its output.
    Without tmux the test is skipped, except in CI, where that is a failure."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run installs it")
        pytest.skip("tmux is not installed")
    socket = str(tmp_path / "tmux.sock")

    def cmd(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", socket, *args], capture_output=True, text=True, check=True
        ).stdout

    yield cmd
    subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)
