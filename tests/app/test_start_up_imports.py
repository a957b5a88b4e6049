"""What opening the app loads before its first frame leaves out: what only later screens,
a new article or the command palette need (each cost the start a few milliseconds)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

LATER = [
    "hashlib",  # OpenSSL: hashing a new text; the answer key's file
    "reader.classroom.key_store",  # the sidebar's filter in the class view
    "reader.commands",  # the command palette
    "reader.ingest.furniture",  # a new article
    "tomllib",  # the furniture rules of a new article
    "reader.widgets.find_bar",  # mounted after the first frame
    "reader.lesson_cli",  # the teacher's commands, imported when one runs
    "reader.live_lesson_cli",  # the live lesson's hidden commands, likewise
    "reader.anchoring",  # re-anchoring, only when a changed file is followed
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


FIRST_FRAME_LATER = [
    "hashlib",  # a file known by its stamp is not hashed; the class view's key needs it
    "reader.classroom.key_store",  # the sidebar's first filter, in the class view only
    "reader.ingest.furniture",  # a file the database holds is not scanned again
    "pysbd",  # the cursor's first sentence is found just after the first frame
    "reader.widgets.find_bar",  # mounted just after it
    "reader.history",  # the first change or undo
    "reader.ingest.entry",  # a feed's entries
    "reader.classroom.pack",  # a pack, or the default relations and tags
]

FIRST_FRAME = """
import sys
from pathlib import Path

from reader.app import PresscheckApp
from reader.launch import prepare_session

loaded = []


class App(PresscheckApp):
    def _after_first_frame(self):
        loaded.extend(sys.modules)
        super()._after_first_frame()


async def main():
    app = App(prepare_session([sys.argv[1]], Path(sys.argv[2]), "tester"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()


import asyncio

asyncio.run(main())
print(" ".join(sorted(loaded)))
"""


@pytest.fixture(scope="module")
def at_first_frame(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules loaded when a file the database holds is drawn (a fresh process)."""
    from reader.launch import prepare_session

    folder = tmp_path_factory.mktemp("first-frame")
    article = folder / "article.txt"
    article.write_text("A title line\n\nThe summit ended early. Officials said little.\n", encoding="utf-8")
    settled = time.time_ns() - 3600 * 10**9  # its stamp is trusted: it is not read again
    os.utime(article, ns=(settled, settled))
    db = folder / "db.json"
    prepare_session([str(article)], db, "tester").store.close()
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(article), str(db)],
                          capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", FIRST_FRAME_LATER)
def test_left_for_after_the_first_frame(at_first_frame: set[str], module: str) -> None:
    assert "reader.screens.reading" in at_first_frame
    assert module not in at_first_frame
