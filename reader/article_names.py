"""How a file for other people names an article (its file name, or its web address), the
names an import knows it by again, and the name an untitled article is shown by. No UI."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

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


def readable_name(source: str) -> str:
    """The name an article without a title is shown by: its file's name, or the last part of
    its web address (else the site), without the extension and with `_` and `-` as spaces
    (`hanoi-summit_report.txt` → `hanoi summit report`); "" without a source."""
    source = source.strip()
    name = public_source(source)
    if is_url(source):
        parts = urlsplit(source)
        name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        if not name:
            return parts.hostname or ""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.isalnum() and len(suffix) <= 8:  # `report.txt`, not `.bashrc` or `v1.2 draft`
        name = stem
    name = " ".join(re.sub(r"[_\s]+|(?<!\d)-|-(?!\d)", " ", name).split())
    return name if any(_is_word(token) for token in name.split()) else ""


_HASH = re.compile(r"(?=.*\d)[0-9a-f]{8,}", re.IGNORECASE)


def _is_word(token: str) -> bool:
    """A token a reader would call a word: three letters or more, and not a hash or an id
    (`000_1aa975c49d58f58c.txt`, the seed's name, names nothing: its first sentence does)."""
    return sum(c.isalpha() for c in token) >= 3 and not _HASH.fullmatch(token)
