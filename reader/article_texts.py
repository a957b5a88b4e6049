"""Article texts kept apart from the snapshot: one file per text, named by its sha256, in the
folder `annotations.json.texts/` beside the database. No UI.

A text is written once (whole or not at all, fsynced) before the record that names it is
saved, and never rewritten: a save, a compaction or a backup of the snapshot never copies
it, and a 5 MB article costs the snapshot one line. The record keeps every other field
and names its text by `text_sha256`. A record that still holds its `text` (written by an
older presscheck, or by hand) reads as it always did.

The name comes from the file (the database's own, but data all the same): only 64
lowercase hex digits name a text, so no record can point outside the folder, and a
folder, FIFO or device where a text should be is refused from its `stat`.
"""

from __future__ import annotations

import mmap
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader.model import Article

TEXTS_SUFFIX = ".texts"
MAP_FROM = 1 << 20
"""Texts this big (bytes) are decoded from a mapping of their file rather than read first."""
TEXT_KEY = "text_sha256"
"""The field of an article record that names its text file."""


def texts_folder(db: Path) -> Path:
    return db.with_name(db.name + TEXTS_SUFFIX)


def text_key(text: str) -> str:
    import hashlib  # with OpenSSL, ~3 ms to load: only a new text needs it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_text_key(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def text_file(db: Path, key: str) -> Path:
    if not is_text_key(key):
        raise ValueError(f"{TEXT_KEY} is not a sha256 in hex")
    return texts_folder(db) / f"{key}.txt"


def store_texts(db: Path, texts: Iterable[str], mode: int = 0o644) -> dict[str, str]:
    """Write the texts not yet in the folder (each fsynced, then the folder once); text →
    its key. An OSError is the caller's to report: nothing names a text not written."""
    from reader.atomic_write import fsync_folder, write_temps

    keys: dict[str, str] = {}
    folder = texts_folder(db)
    to_write: list[tuple[Path, bytes]] = []
    for text in texts:
        if text in keys:
            continue
        key = keys[text] = text_key(text)
        path = folder / f"{key}.txt"
        blob = text.encode("utf-8")
        try:
            if os.stat(path).st_size == len(blob):
                continue  # content-addressed: the same name holds the same text
        except FileNotFoundError:
            pass
        to_write.append((path, blob))
    if not to_write:
        return keys
    made = not folder.is_dir()
    folder.mkdir(exist_ok=True)
    if made:
        fsync_folder(folder.parent)
    temps = write_temps(to_write, mode)
    for index, (tmp, (path, _)) in enumerate(zip(temps, to_write)):
        try:
            os.replace(tmp, path)
        except OSError:
            for left in temps[index:]:
                left.unlink(missing_ok=True)
            raise
    fsync_folder(folder)
    return keys


def read_text(db: Path, key: str) -> str:
    """The text named `key`; ValueError (a message for `Store.problems`) when it is not
    there or does not read."""
    path = text_file(db, key)
    try:
        # O_NONBLOCK: a FIFO put where a text should be must not hold the read forever
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ValueError(f"{path.name} in {texts_folder(db).name} is not a regular file; move it aside")
            if info.st_size < MAP_FROM:
                raw: bytes | mmap.mmap = handle.read()
            else:
                # decoded straight from the page cache: a copy of 5 MB read into a new buffer
                # was ~3 ms of a reopen (page faults). A text file is never rewritten in place
                # (a new one replaces it), so the mapping cannot shrink under the decoding.
                raw = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise ValueError(
            f"its text {path.name} is missing from {texts_folder(db).name} (copy that folder with the database)"
        ) from None
    except IsADirectoryError:
        raise ValueError(f"{path.name} in {texts_folder(db).name} is a folder") from None
    except OSError as error:
        raise ValueError(f"its text {path.name} cannot be read ({error.strerror})") from None
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"its text {path.name} is not UTF-8") from None
    finally:
        if isinstance(raw, mmap.mmap):
            raw.close()


def record_without_text(record: dict[str, Any], key: str) -> dict[str, Any]:
    """An article record naming its text by `key` instead of holding it."""
    return {(TEXT_KEY if name == "text" else name): (key if name == "text" else value) for name, value in record.items()}


def article_records(db: Path, articles: Iterable[Article]) -> list[dict[str, Any]]:
    """The records of `articles` as stored, their texts written first."""
    articles = list(articles)
    keys = store_texts(db, (a.text for a in articles))
    return [record_without_text(a.to_dict(), keys[a.text]) for a in articles]


def article_from_record(db: Path, record: dict[str, Any]) -> Article:
    """The article a stored record describes, its text read from its file; KeyError,
    TypeError or ValueError when it does not read (as `Article.from_dict`)."""
    if "text" in record or TEXT_KEY not in record:
        return Article.from_dict(record)
    text = read_text(db, record[TEXT_KEY])
    return Article.from_dict({name: value for name, value in record.items() if name != TEXT_KEY} | {"text": text})


def check_text(db: Path, record: dict[str, Any]) -> str | None:
    """What is wrong with a record's text file (`db check`): None when it is there, reads,
    and its sha256 is its name."""
    key = record.get(TEXT_KEY)
    if "text" in record or key is None:
        return None
    try:
        text = read_text(db, key)
    except ValueError as error:
        return str(error)
    if text_key(text) != key:
        return f"its text {key[:12]}….txt does not match its name (changed by hand?)"
    return None
