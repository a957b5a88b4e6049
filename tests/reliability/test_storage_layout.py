"""The database laid out for size (issue 21): texts in their own files, the snapshot read
through its index, an older database migrated on open.

`tests/data/databases/v1/` is a database written by presscheck before this layout (main
at 393b752): two seed articles, four annotations of every kind with hostile strings, two
of them folded into the snapshot and two left in the journal (an unclean exit), and the
export that presscheck made of it then.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.article_texts import texts_folder
from reader.model import Annotation
from reader.snapshot_layout import index_path, read_index
from reader.store import STORE_SCHEMA, Store, backup_paths

from random_annotations import numbered_article, random_annotation  # tests/support/random_annotations.py

V1 = Path(__file__).parent.parent / "data" / "databases" / "v1"


def _v1_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(V1, folder)
    return folder / "annotations.json"


def _without_times(export: dict) -> dict:
    export = {k: v for k, v in export.items() if k not in ("exported_at", "generator")}
    return export


def test_a_database_written_before_opens_migrates_and_keeps_every_annotation(tmp_path: Path) -> None:
    db = _v1_copy(tmp_path)
    store = Store.open(db)
    assert store.get_meta("schema_version") == STORE_SCHEMA
    # the file as it was is the newest backup, byte for byte (its journal's changes folded in first)
    kept = json.loads(backup_paths(db)[0].read_bytes())
    assert kept["meta"] and any(r.get("value") == 1 for r in kept["meta"].values() if r.get("key") == "schema_version")
    assert all("text" in record for record in kept["articles"].values())
    # texts are in their own files now, the snapshot names them
    snapshot = json.loads(db.read_bytes())
    assert all("text" not in r and len(r["text_sha256"]) == 64 for r in snapshot["articles"].values())
    assert sorted(p.name for p in texts_folder(db).iterdir()) == sorted(
        f"{r['text_sha256']}.txt" for r in snapshot["articles"].values()
    )
    assert read_index(db) is not None
    # every annotation and article, as the presscheck of then exported them
    out = tmp_path / "export.json"
    done = subprocess.run([sys.executable, "-m", "reader", "export", "--db", str(db), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    then = json.loads((V1 / "export.json").read_text())
    now = json.loads(out.read_text())
    assert len(now["annotations"]) == 4
    assert _without_times(now) == _without_times(then)


def test_the_first_command_on_an_old_database_may_be_a_read(tmp_path: Path) -> None:
    """`presscheck export` is often the first thing run on a copied database: it migrates."""
    db = _v1_copy(tmp_path)
    out = tmp_path / "export.json"
    done = subprocess.run([sys.executable, "-m", "reader", "export", "--db", str(db), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["annotations"]) == 4
    assert Store.open(db).get_meta("schema_version") == STORE_SCHEMA


@pytest.mark.parametrize("seed", range(4))
def test_reading_a_few_articles_sees_what_reading_everything_sees(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random saves, edits that move an annotation to other articles, deletes, folds (by
    copying the untouched runs, or whole) and a second writer; after each step a fresh
    store that reads two articles through the index finds exactly what the truth holds
    for them, its counts match, and the file alone holds the truth."""
    import reader.snapshot_fold

    copying_folds: list[int] = []
    real_fold = reader.snapshot_fold.fold_layout

    def counted(*args):  # type: ignore[no-untyped-def]
        copying_folds.append(1)
        return real_fold(*args)

    monkeypatch.setattr(reader.snapshot_fold, "fold_layout", counted)
    rng = random.Random(seed)
    db = tmp_path / "annotations.json"
    articles = [numbered_article(i) for i in range(8)]
    writer, other = Store.open(db), Store(db)
    writer.put_many(articles)
    truth: dict[str, Annotation] = {}
    for step in range(120):
        action = rng.random()
        who = writer if rng.random() < 0.7 else other
        if action < 0.5 or not truth:
            made = random_annotation(rng, articles)
            who.put_annotation(made)
            truth[made.id] = made
        elif action < 0.7:
            old = truth[rng.choice(sorted(truth))]
            moved = random_annotation(rng, articles)
            edited = Annotation(kind=moved.kind, targets=moved.targets, author=old.author, id=old.id,
                                relation=moved.relation, created=old.created, note=f"step {step}")
            who.annotations(t.article_id for t in old.targets)  # as the app: its articles are open
            who.put_annotation(edited)
            truth[edited.id] = edited
        elif action < 0.85:
            gone = rng.choice(sorted(truth))
            who.annotations(t.article_id for t in truth[gone].targets)
            who.delete_annotation(gone)
            del truth[gone]
        elif action < 0.95:
            with who.transaction():
                who._storage.compact()  # a fold, as a big journal or a clean close makes one
            on_file = json.loads(db.read_bytes())["annotations"]
            assert {r["id"] for r in on_file.values()} == set(truth), f"step {step}: the file after a fold"
        else:
            batch = [random_annotation(rng, articles) for _ in range(3)]
            who.put_many(annotations=batch)  # as an import does
            truth.update({a.id: a for a in batch})
        reader_ = Store(db)
        wanted = {a.id for a in rng.sample(articles, 2)}
        got = {a.id: a for a in reader_.annotations(wanted)}
        expected = {i: a for i, a in truth.items() if any(t.article_id in wanted for t in a.targets)}
        assert got == expected, f"step {step}"
        every = reader_.annotations()  # the rest run by run, the two articles read and the journal's from memory
        assert len(every) == len(truth) and {a.id: a for a in every} == truth, f"step {step}: every annotation"
        counts = reader_.annotation_counts()
        for article in articles:
            assert counts.get(article.id, 0) == sum(
                1 for a in truth.values() if article.id in {t.article_id for t in a.targets}
            ), f"step {step}: count of {article.id}"
    assert index_path(db).exists()
    assert copying_folds, "no fold copied the untouched runs"


def test_the_library_lists_every_article_with_its_count_without_reading_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.article_texts
    from reader.catalogue import catalogue

    db = tmp_path / "annotations.json"
    articles = [numbered_article(i) for i in range(5)]
    store = Store.open(db)
    rng = random.Random(3)
    made = [random_annotation(rng, articles) for _ in range(30)]
    store.put_many(articles, made)
    store.put_annotation(random_annotation(rng, articles))  # one in the journal too
    read: list[str] = []
    real_read = reader.article_texts.read_text
    monkeypatch.setattr(reader.article_texts, "read_text", lambda db, key: read.append(key) or real_read(db, key))
    listed = catalogue(Store(db))
    assert read == []
    truth = Store(db).annotations()
    assert {entry.id: entry.annotations for entry in listed} == {
        a.id: sum(1 for x in truth if a.id in {t.article_id for t in x.targets}) for a in articles
    }
    assert [entry.title for entry in listed] == [a.title for a in articles]
    assert listed[0].text == articles[0].text and len(read) == 1  # read when asked for


def test_an_index_that_lies_about_a_run_still_gives_every_annotation_once(tmp_path: Path) -> None:
    """A run read run by run (an export) that is not where the index says: the file is read
    whole for the records not given yet, none lost and none given twice."""
    from reader.snapshot_layout import write_index

    rng = random.Random(7)
    db = tmp_path / "annotations.json"
    articles = [numbered_article(i) for i in range(4)]
    store = Store.open(db)
    store.put_many(articles, [random_annotation(rng, articles) for _ in range(40)])
    truth = {a.id: a for a in store.annotations()}
    store.close()
    index = read_index(db)
    assert index is not None and len(index.runs) == 4
    last = list(index.runs)[-1]
    start, end = index.runs[last]
    index.runs[last] = (start, end - 10)  # cut short: the last run read, three others given already
    assert write_index(db, index, 0o600)
    reader_ = Store(db)
    every = reader_.annotations()
    assert len(every) == len(truth) and {a.id: a for a in every} == truth
