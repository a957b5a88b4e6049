"""A student's hand-in: their annotations on the pack's articles as `NAME-PACK.json`. No UI."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from reader.classroom.pack import Pack
from reader.errors import UserError
from reader.export import write_export
from reader.ingest import load_article
from reader.store import Store


def slug(text: str, limit: int = 40) -> str:
    """`text` as a file-name part: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cut = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
    return cut or "untitled"


def hand_in_name(author: str, pack: Pack) -> str:
    """`NAME-PACK.json`: the student's name and the exercise, as the teacher collects them."""
    exercise = pack.folder.name if pack.folder.name not in ("seeds", "") else pack.title
    return f"{slug(author)}-{slug(exercise)}.json"


def hand_in(
    store: Store, author: str, pack: Pack, folder: Path, *, only_mine: bool = False
) -> tuple[Path, int]:
    """Write the hand-in file into `folder`; returns its path and how many annotations.

    `only_mine` keeps the annotations `author` made and no one else's: a database that a
    class shares (`presscheck serve`) holds every student's."""
    if not author.strip():
        raise UserError("no student name yet; give it with --author (or open the app once)")
    wanted = {load_article(path).id for path in pack.articles}
    known = {article.id for article in store.articles()}
    path = folder / hand_in_name(author, pack)
    count = write_export(
        store, "json", path, sorted(wanted & known) or None, author, author if only_mine else None
    )
    return path, count
