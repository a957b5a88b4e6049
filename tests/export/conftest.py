"""Fixtures of the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from export_fixtures import fill
from reader.store import Store


@pytest.fixture
def seeded(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "seeded.json")
    fill(store)
    return store
