from __future__ import annotations

from pathlib import Path

import pytest

from reader.app import PresscheckApp
from reader.launch import prepare_session


@pytest.fixture
def make_app(db_path: Path, seeds: Path):
    """Build the app on the seed pack and a database in the test's own folder."""

    def make(paths: list[str] | None = None, author: str = "tester") -> PresscheckApp:
        session = prepare_session(paths if paths is not None else [str(seeds)], db_path, author)
        return PresscheckApp(session)

    return make
