"""Exports of annotations to files other tools read, and imports back. No UI.

`render_export` and `write_export` serve the command line and the app alike.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from reader.atomic_write import write_atomically
from reader.errors import UserError

FORMATS = ("json", "w3c", "csv", "md")

_INVISIBLE_UTF8 = re.compile(rb"\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
"""C1 controls (U+0080-U+009F, among them CSI) and bidi controls as UTF-8 bytes: orjson
writes them raw, and a terminal showing `presscheck export` would obey them."""


def escape_invisible(blob: bytes) -> bytes:
    """JSON text with C1 and bidi controls written as \\u escapes: the same JSON value, safe
    to print. These bytes can only stand inside JSON strings, where the escape is valid."""
    if blob.isascii():  # nothing to escape, found at memory speed
        return blob
    return _INVISIBLE_UTF8.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), blob)
SUFFIXES = {"json": ".json", "w3c": ".jsonld", "csv": ".csv", "md": ".md"}
"""The file suffix each format is written with by default."""


def select(
    store: Any, article_ids: Iterable[str] | None = None, only_author: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The articles and annotations of `store`, only those touching `article_ids` if given,
    and only `only_author`'s if given (a hand-in from a database a class shares); the
    annotations oldest first."""
    articles, batches = select_batches(store, article_ids, only_author)
    annotations = [annotation for batch in batches for annotation in batch]
    annotations.sort(key=lambda a: (a.created, a.id))
    return articles, annotations


def select_batches(
    store: Any, article_ids: Iterable[str] | None = None, only_author: str | None = None
) -> tuple[list[Any], Iterator[list[Any]]]:
    """As `select`, the annotations in batches in no order (`Store.annotation_batches`)."""
    wanted = None if article_ids is None else set(article_ids)
    articles = store.articles()
    if wanted:
        unknown = sorted(wanted - {a.id for a in articles})
        if unknown:
            raise UserError(f"{store.path}: no article with id {', '.join(unknown)}")
    batches = store.annotation_batches(wanted)
    if only_author is not None:
        batches = ([a for a in batch if a.author == only_author] for batch in batches)
    return articles, batches


def render_export(
    store: Any,
    format: str,
    article_ids: Iterable[str] | None = None,
    author: str | None = None,
    only_author: str | None = None,
    *,
    sources: Mapping[str, str] | None = None,
) -> tuple[bytes, int]:
    """The export of `store` in `format` (json, w3c, csv, md), and how many annotations it holds.

    `author` names who exported (the document's author); None takes the database's author.
    `sources` (json only; a hand-in) names articles by id as the receiver knows them (their
    file in the pack); articles it does not name get `public_source` of theirs.
    """
    if format not in FORMATS:
        raise UserError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    if author is None:
        author = str(store.get_meta("author", "") or "")
    if format == "json":  # encoded a batch at a time: a big database is never in memory whole
        from reader.export import json_format

        articles, batches = select_batches(store, article_ids, only_author)
        pieces, count = json_format.stream_document(articles, batches, author, sources=sources)
        return b"".join([escape_invisible(piece) for piece in pieces]), count
    articles, annotations = select(store, article_ids, only_author)
    if format == "w3c":
        from reader.export import w3c

        blob = escape_invisible(w3c.dumps(w3c.build_collection(annotations, author)))
    elif format == "csv":
        from reader.export import csv_format

        blob = csv_format.dumps(articles, annotations)
    else:
        from reader.export import markdown

        blob = markdown.dumps(articles, annotations, author)
    return blob, len(annotations)


def write_export(
    store: Any,
    format: str,
    path: str | os.PathLike[str],
    article_ids: Iterable[str] | None = None,
    author: str | None = None,
    only_author: str | None = None,
    *,
    sources: Mapping[str, str] | None = None,
) -> int:
    """Write the export to `path` (atomically: a temp file renamed over it); the annotation count.
    A path that exists and is not a regular file (/dev/null, a pipe, a terminal) is written
    into, never replaced.

    Raises a UserError with a one-line message naming the file when it cannot be written.
    """
    blob, count = render_export(store, format, article_ids, author, only_author, sources=sources)
    target = Path(path)
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False
    if special:
        try:
            with open(target, "wb") as handle:
                handle.write(blob)
        except OSError as error:
            raise UserError(f"{target}: cannot write the export ({error.strerror})") from None
        return count
    try:
        write_atomically(target, blob, 0o644)  # not private: an export is handed in
    except OSError as error:
        raise UserError(f"{target}: cannot write the export ({error.strerror})") from None
    return count
