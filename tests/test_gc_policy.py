"""The cycle collector's policy belongs to the process: the storage leaves it alone, and the
command line settles start-up (the database's tables among it) once a command has read it."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from reader.anchoring import describe
from reader.gc_policy import IDLE_SECONDS, NEVER, OVERDUE, IdleCollections
from reader.model import Annotation, Article, article_id_for
from reader.store import Store

TEXT = "The minister said exports rose by a third."


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "annotations.json"
    store = Store.open(db)
    article = Article(id=article_id_for(TEXT), title="t", text=TEXT)
    store.put_article(article)
    store.put_annotation(Annotation(kind="claim", targets=(describe(article.id, TEXT, 4, 12),), author="a"))
    store.close()
    return db


def _frozen_after(code: str) -> int:
    """How many objects a fresh interpreter has frozen out of the collector after `code`."""
    done = subprocess.run(
        [sys.executable, "-c", f"import gc\n{code}\nprint(gc.get_freeze_count())"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return int(done.stdout.split()[-1])


def test_reading_a_database_leaves_the_collector_alone(tmp_path: Path) -> None:
    db = _database(tmp_path)
    code = f"from reader.store import Store\nStore.open({str(db)!r}, create=False).annotations()"
    assert _frozen_after(code) == 0


@pytest.mark.parametrize("command", ["export", "import", "db check"])
def test_a_command_settles_start_up_once_the_database_is_read(tmp_path: Path, command: str) -> None:
    """Export and check settle once the database is read; an import holds the collector to
    the end (everything it makes lives till then)."""
    db = _database(tmp_path)
    out = tmp_path / "out.json"
    subprocess.run([sys.executable, "-m", "reader", "export", "--db", str(db), "-o", str(out)], check=True, timeout=60)
    argv = {
        "export": ["export", "--db", str(db), "-o", str(tmp_path / "again.json")],
        "import": ["import", str(out), "--db", str(db)],
        "db check": ["db", "check", "--db", str(db)],
    }[command]
    code = f"from reader.cli import main\nassert main({argv!r}) == 0\nprint(gc.isenabled())"
    done = subprocess.run([sys.executable, "-c", f"import gc\n{code}\nprint(gc.get_freeze_count())"],
                          capture_output=True, text=True, timeout=60, check=True)
    enabled, frozen = done.stdout.split()[-2:]
    if command == "import":
        assert (enabled, frozen) == ("False", "0")
    else:
        assert enabled == "True" and int(frozen) > 0


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def held_collector():
    """The collector as the app leaves it after its first frame, put back afterwards."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.enable()
    IdleCollections.hold()
    yield
    gc.set_threshold(*threshold)
    if not enabled:
        gc.disable()


def _full_collection_due() -> None:
    gc.collect(1)  # a middle-generation collection: one more towards a full one
    assert gc.get_count()[2] > 0


def test_held_full_collections_never_start_by_themselves(held_collector) -> None:
    assert gc.get_threshold()[2] == NEVER
    assert gc.get_threshold()[:2] == (700, 10)  # the young generations as before


def test_a_full_collection_waits_for_the_reader_to_be_idle(held_collector) -> None:
    clock = Clock()
    collections = IdleCollections(clock)
    _full_collection_due()
    clock.now += IDLE_SECONDS / 2
    assert not collections.tick()  # input a moment ago: not now
    collections.input_seen()
    clock.now += IDLE_SECONDS - 0.1
    assert not collections.tick() and gc.get_count()[2] > 0
    clock.now += 0.2
    assert collections.tick()  # idle long enough
    assert gc.get_count()[2] == 0
    clock.now += IDLE_SECONDS * 10
    assert not collections.tick()  # nothing due since


def test_an_overdue_full_collection_runs_while_the_reader_types(held_collector) -> None:
    clock = Clock()
    collections = IdleCollections(clock)
    for _ in range(OVERDUE):
        gc.collect(1)
    collections.input_seen()
    assert collections.tick()
    assert gc.get_count()[2] == 0
