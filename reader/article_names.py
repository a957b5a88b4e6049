"""How a file for other people names an article (its file name, or its web address), and the
names an import knows it by again. No UI."""

from __future__ import annotations

from reader.ingest.urls import is_url

FILE_SCHEME = "file:"


def public_source(source: str) -> str:
    """How a file for someone else names an article: a web address as it is, a local file
    by its name alone (the folders it sits in on this machine are nobody else's business;
    a file name is also how `import` and `compare` find an article again)."""
    source = source.strip()
    if not source or is_url(source):
        return source
    if source.lower().startswith(FILE_SCHEME):
        source = source[len(FILE_SCHEME):]
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def name_keys(source: str) -> set[str]:
    """A source path or URL, and its last path segment (how another tool may name it)."""
    source = source.strip()
    if not source:
        return set()
    keys = {source}
    bare = source.split("#", 1)[0].split("?", 1)[0].rstrip("/\\")
    last = bare.replace("\\", "/").rsplit("/", 1)[-1]
    if last:
        keys.add(last)
    return keys
