"""What opening the app loads before its first frame leaves out: what only later screens,
a new article or the command palette need (each cost the start a few milliseconds)."""

from __future__ import annotations

import subprocess
import sys

import pytest

LATER = [
    "hashlib",  # OpenSSL: hashing a new text; the answer key's file
    "reader.classroom.key_store",  # the sidebar's filter in the class view
    "reader.commands",  # the command palette
    "reader.ingest.furniture",  # a new article
    "tomllib",  # the furniture rules of a new article
    "reader.widgets.find_bar",  # mounted after the first frame
]


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    code = ("import sys\nimport reader.cli, reader.launch, reader.app\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", LATER)
def test_left_for_later(loaded: set[str], module: str) -> None:
    assert "reader.app" in loaded
    assert module not in loaded
