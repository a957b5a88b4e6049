"""Article texts in their own files beside the database (`reader.article_texts`): written
once, read back, and a record from a damaged or hostile file never reads outside the
folder, never hangs on a FIFO, and says what is wrong in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.article_texts import MAP_FROM, TEXT_KEY, read_text, text_key, texts_folder
from reader.ingest.article import article_from_text
from reader.maintenance import check_database
from reader.store import Store


def _article(text: str = "A title\n\nThe body of the article, one sentence."):
    return article_from_text(text, source="a.txt")


def _stored(tmp_path: Path):
    db = tmp_path / "annotations.json"
    store = Store.open(db)
    article = _article()
    store.put_article(article)
    store.close()
    return db, article


def test_a_text_is_written_once_and_the_snapshot_names_it(tmp_path: Path) -> None:
    db, article = _stored(tmp_path)
    [record] = json.loads(db.read_bytes())["articles"].values()
    assert "text" not in record and record[TEXT_KEY] == text_key(article.text)
    file = texts_folder(db) / f"{record[TEXT_KEY]}.txt"
    assert file.read_text(encoding="utf-8") == article.text
    before = file.stat()
    store = Store.open(db)
    store.put_article(article)  # the same article again: its file is not written again
    store.put_many([article])
    assert (file.stat().st_ino, file.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert Store.open(db).article(article.id) == article
    assert Store.open(db).articles() == [article]


def _plant(db: Path, **fields: object) -> None:
    data = json.loads(db.read_bytes())
    [key] = data["articles"]
    data["articles"][key].update(fields)
    db.write_text(json.dumps(data))
    db.with_name(db.name + ".index").unlink()


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "0" * 63, "A" * 64, 7])
def test_a_record_naming_a_text_outside_the_folder_is_refused(tmp_path: Path, name: object) -> None:
    db, article = _stored(tmp_path)
    _plant(db, **{TEXT_KEY: name})
    store = Store.open(db)
    assert store.articles() == [] and store.article(article.id) is None
    [problem] = store.problems
    assert "not a sha256" in problem and "\n" not in problem


def test_a_missing_text_is_one_line_saying_what_to_do(tmp_path: Path) -> None:
    db, article = _stored(tmp_path)
    [file] = texts_folder(db).iterdir()
    file.unlink()
    store = Store.open(db)
    assert store.articles() == []
    [problem] = store.problems
    assert file.name in problem and "copy that folder with the database" in problem
    report = check_database(db)
    assert not report.ok and any(file.name in line for line in report.problems)


def test_a_fifo_in_place_of_a_text_is_refused_without_waiting(tmp_path: Path) -> None:
    db, article = _stored(tmp_path)
    [file] = texts_folder(db).iterdir()
    file.unlink()
    os.mkfifo(file)
    store = Store.open(db)
    assert store.articles() == []  # returns at once (a blocking open would hang the test)
    assert "not a regular file" in store.problems[0]


def test_db_check_finds_a_text_changed_by_hand(tmp_path: Path) -> None:
    db, article = _stored(tmp_path)
    [file] = texts_folder(db).iterdir()
    file.write_text(article.text.replace("one sentence", "two sentences"), encoding="utf-8")
    report = check_database(db)
    assert any("does not match its name" in line for line in report.problems)


@pytest.mark.parametrize("size", [MAP_FROM - 1, MAP_FROM, 3 * MAP_FROM])
def test_a_text_reads_back_the_same_whatever_its_size(tmp_path: Path, size: int) -> None:
    """Big texts are decoded from a mapping of their file (`MAP_FROM`), small ones read."""
    body = ("Ünïcödé line of the article, one sentence. " * (size // 40 + 1))[: size - 20]
    text = "A title\n\n" + body.rstrip()
    db = tmp_path / "annotations.json"
    store = Store.open(db)
    store.put_article(_article(text))
    store.close()
    [file] = texts_folder(db).iterdir()
    assert read_text(db, file.stem) == text


def test_a_big_text_that_is_not_utf8_is_one_clear_problem(tmp_path: Path) -> None:
    db, article = _stored(tmp_path)
    [file] = texts_folder(db).iterdir()
    file.write_bytes(b"caf\xe9 " * MAP_FROM)  # Latin-1, past the size read by mapping
    with pytest.raises(ValueError, match="is not UTF-8"):
        read_text(db, file.stem)
