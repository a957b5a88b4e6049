"""The cycle collector's policy belongs to the process: the storage leaves it alone, and the
command line settles start-up (the database's tables among it) once a command has read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.anchoring import describe
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
