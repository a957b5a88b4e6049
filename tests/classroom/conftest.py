"""Fixtures for classroom tests (helpers live in classroom_helpers.py)."""

from __future__ import annotations

import pytest
from classroom_helpers import key_annotations, seed_articles

from reader.model import Annotation, Article


@pytest.fixture
def articles() -> dict[str, Article]:
    return seed_articles()


@pytest.fixture
def key() -> list[Annotation]:
    return key_annotations()
