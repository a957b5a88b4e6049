"""Shared fixtures: the repo's seed pack and a session on a fresh database."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# tests/data/corpus.py (the test corpus and its web server) is imported as `corpus`, and
# tests/support/pilots.py (`settle`) as `pilots`, by the tests that use them
sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

SEED_FILES = ("000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt")


@pytest.fixture(scope="session")
def _config_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty config folder for the whole run."""
    return tmp_path_factory.mktemp("config-home")


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder of the whole run (the parsed CSS, `reader.css_cache`), not the
    developer's: XDG_CACHE_HOME, which the programs tests run keep too."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def collector_as_it_was():
    """An app run holds full cycle collections for its process (`gc_policy.IdleCollections`):
    the tests after it get the collector's thresholds back."""
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)


@pytest.fixture(autouse=True)
def no_user_config(_config_home: Path, _cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the developer's own settings file: PRESSCHECK_CONFIG names one that is
    not there, and XDG_CONFIG_HOME an empty folder, for the programs tests run with the
    PRESSCHECK_ variables left out. A test that wants a settings file points
    PRESSCHECK_CONFIG at one of its own. Nor does any write its parsed CSS where the
    developer's presscheck keeps it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    path = _config_home / "presscheck" / "config.toml"
    monkeypatch.setenv("PRESSCHECK_CONFIG", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_config_home))
    return path


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, so the default DB path is relative and the same each run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRESSCHECK_DB", raising=False)
    monkeypatch.delenv("PRESSCHECK_AUTHOR", raising=False)
    return tmp_path


@pytest.fixture
def db_path(workdir: Path) -> Path:
    return Path("annotations") / "annotations.json"


@pytest.fixture
def make_app(db_path: Path, seeds: Path):
    """Build the app on the seed pack and a database in the test's own folder."""
    from reader.app import PresscheckApp
    from reader.launch import prepare_session

    def make(paths: list[str] | None = None, author: str = "tester", preferences=None):
        session = prepare_session(paths if paths is not None else [str(seeds)], db_path, author)
        return PresscheckApp(session, preferences=preferences)

    return make
