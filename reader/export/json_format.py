"""The native JSON export: articles (metadata and text) and annotations with both selectors. No UI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import orjson

from reader import __version__
from reader.model import SCHEMA_VERSION, Annotation, Article, now_iso

SCHEMA_FILE = "presscheck-export.schema.json"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the native export format."""
    return json.loads(files("reader.export").joinpath(SCHEMA_FILE).read_text("utf-8"))


def article_summary(article: Article, *, with_text: bool = True, source: str | None = None) -> dict[str, Any]:
    """An article's entry in the export; with its text, an import can add the article.
    `source`, when given, is how the export names the article in place of its own."""
    summary = {
        "id": article.id,
        "title": article.title,
        "source": article.source if source is None else source,
        "byline": article.byline,
        "published": article.published,
        "added_at": article.added_at,
        "raw_sha256": article.raw_sha256,
        "text_sha256": hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
        "length": len(article.text),
    }
    site = getattr(article, "site", "")
    if site:
        summary["site"] = site
    if with_text:
        summary["furniture"] = [list(span) for span in article.furniture]
        summary["text"] = article.text
    return summary


def build_document(
    articles: Iterable[Article],
    annotations: Iterable[Annotation],
    author: str = "",
    *,
    with_text: bool = True,
    exported_at: str | None = None,
    sources: Mapping[str, str] | None = None,
    used: set[str] | None = None,
) -> dict[str, Any]:
    """The export document for `annotations` and the articles they point into (or the
    articles of `used`, when given).

    With `sources` (a hand-in, for someone else's machine), an article is named by
    `sources[id]` (its file in the pack), else by its URL or bare file name, and no
    local path is written anywhere in the document."""
    from reader.article_names import public_source

    annotations = list(annotations)
    if used is None:
        used = {target.article_id for a in annotations for target in a.targets}
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"presscheck {__version__}",
        "exported_at": exported_at or now_iso(),
    }
    if author:
        document["author"] = author
    document["articles"] = [
        article_summary(
            a,
            with_text=with_text,
            source=None if sources is None else sources.get(a.id) or public_source(a.source),
        )
        for a in articles
        if a.id in used
    ]
    document["annotations"] = [a.to_dict() for a in annotations]
    if sources is not None:
        for record in document["annotations"]:
            _public_targets(record)
    return document


def stream_document(
    articles: Iterable[Article],
    batches: Iterable[Iterable[Annotation]],
    author: str = "",
    *,
    exported_at: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> tuple[list[bytes], int]:
    """`dumps(build_document(...))` of the annotations `batches` hold (in any order), in
    pieces to join, and how many annotations: each is encoded as its batch comes and only
    its bytes are kept for the sort by (created, id), so a database of 100,000 annotations
    is never in memory as objects all at once (`Store.annotation_batches`)."""
    encoded: list[tuple[str, str, bytes]] = []
    used: set[str] = set()
    for batch in batches:
        for annotation in batch:
            record = annotation.to_dict()
            for target in annotation.targets:
                used.add(target.article_id)
            if sources is not None:
                _public_targets(record)
            # as orjson lays a record out at the list's depth: two levels in, four spaces
            blob = b"    " + orjson.dumps(record, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
            encoded.append((annotation.created, annotation.id, blob))
    encoded.sort()  # by (created, id): tuples, compared as they are (no key made for each)
    document = build_document(articles, (), author, exported_at=exported_at, sources=sources, used=used)
    head = dumps(document)
    empty = b'"annotations": []\n}\n'
    if not encoded:
        return [head], 0
    if not head.endswith(empty):  # orjson's layout is fixed; this would be a new orjson
        document["annotations"] = [orjson.loads(blob) for _, _, blob in encoded]
        return [dumps(document)], len(encoded)
    pieces = [head[: -len(empty)], b'"annotations": [\n']
    for _, _, blob in encoded:
        pieces += (blob, b",\n")
    pieces[-1] = b"\n  ]\n}\n"
    return pieces, len(encoded)


def _public_targets(record: dict[str, Any]) -> None:
    """A hand-in's record: a target another tool named by a path keeps only its name."""
    from reader.article_names import public_source

    for target in record["targets"]:
        for key in ("source", "uri"):
            if key in target:
                target[key] = public_source(target[key])


def dumps(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
