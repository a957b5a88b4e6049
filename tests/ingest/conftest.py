"""Shared fixtures for the ingest unit tests: the two seed articles, loaded for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import load_article
from reader.model import Article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seed_000() -> Article:
    """The first seed: no title line, no page furniture."""
    return load_article(SEEDS / "000_1aa975c49d58f58c.txt")


@pytest.fixture(scope="session")
def seed_001() -> Article:
    """The second seed: a title line, and a page tail of furniture."""
    return load_article(SEEDS / "001_1c2accc8ffba02b5.txt")
