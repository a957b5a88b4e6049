"""A bulk change (an import) encodes its annotation records as it makes them: the snapshot
written from those bytes is the one the records themselves lay out, byte for byte."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from reader.durable_storage import DurableStorage
from reader.model import Annotation, Article
from reader.snapshot_layout import encoded_record, lay_out, read_index
from reader.store import Store

from random_annotations import numbered_article, random_annotation  # tests/support/random_annotations.py


def _articles(count: int) -> list[Article]:
    return [numbered_article(n) for n in range(count)]


def _annotations(rng: random.Random, articles: list[Article], count: int) -> list[Annotation]:
    return [random_annotation(rng, articles, author=f"student {n % 3}", tags=("numbers",) if n % 2 else (),
                              note="a\nnote \u202e" * (n % 3))
            for n in range(count)]


def _laid_out_again(path: Path) -> tuple[bytes, object]:
    tables = orjson.loads(path.read_bytes())
    pieces, index = lay_out(tables)
    return b"".join(pieces), index


@pytest.mark.parametrize("seed", range(3))
def test_a_bulk_put_writes_the_snapshot_its_records_lay_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    articles = _articles(6)
    store = Store.open(tmp_path / "annotations.json")
    first = _annotations(rng, articles, 20)
    store.put_many(articles[:3], first[:10])  # some already there, in the journal and the file
    store.put_annotation(first[10])
    calls = []
    real_write = DurableStorage.write

    def write(self, data, encoded=None):  # type: ignore[no-untyped-def]
        calls.append(len(encoded or {}))
        real_write(self, data, encoded)

    monkeypatch.setattr(DurableStorage, "bulk", lambda self, changes: True)
    monkeypatch.setattr(DurableStorage, "write", write)
    edited = [replace(a, note="edited", modified="2099-01-01T00:00:00Z") for a in first[:5]]
    bulk = edited + first[11:] + _annotations(rng, articles, 30)
    store.put_many(articles, bulk)
    assert calls and calls[0] == len(bulk)  # every record it saved was encoded ahead
    store.close()
    written = store.path.read_bytes()
    again, index = _laid_out_again(store.path)
    assert written == again
    assert read_index(store.path) is not None
    expected = {a.id: a for a in first[:11] + bulk}
    reread = Store.open(store.path, create=False)
    assert {a.id: a for a in reread.annotations()} == expected


def test_a_record_encoded_ahead_but_replaced_since_is_laid_out_anew() -> None:
    rng = random.Random(7)
    articles = _articles(3)
    records = {str(n): a.to_dict() for n, a in enumerate(_annotations(rng, articles, 8), start=1)}
    tables = {"annotations": records}
    encoded = {key: encoded_record(key, record) for key, record in records.items()}
    records["3"] = {**records["3"], "note": "changed after it was encoded"}  # a new dict: not the one encoded
    with_ahead, index_ahead = lay_out(tables, encoded)
    fresh, index_fresh = lay_out(tables)
    assert b"".join(with_ahead) == b"".join(fresh)
    assert index_ahead == index_fresh
    assert b"changed after it was encoded" in b"".join(lay_out(tables, encoded)[0])
