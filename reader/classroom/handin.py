"""A student's hand-in: their annotations on the pack's articles as `NAME-PACK-HASH.json`. No UI.

A teacher collects thirty of these in one folder, so:
- the file name is unique per student: the name as ASCII letters (`student` when none of
  it is Latin) plus a short hash of the exact name, so "José García" and "Jose Garcia",
  or "王伟" and "Дмитрий", never share a file; handing in again replaces one's own file,
  never someone else's;
- a hand-in holds the annotations on the pack's articles and names those articles by
  their file in the pack (or URL), never by where they sit on the student's machine;
- the pack a hand-in names is the pack the annotations are on, or nothing is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from reader.classroom.pack import PACK_FILE, Pack, load_pack
from reader.errors import UserError
from reader.export import write_export
from reader.ingest import load_article
from reader.ingest.sanitize import display_line
from reader.ingest.urls import is_url
from reader.model import Article
from reader.store import Store


def slug(text: str, limit: int = 40, fallback: str = "untitled") -> str:
    """`text` as a file-name part: ASCII letters, digits and dashes (`fallback` if none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cut = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
    return cut or fallback


def same_author(one: str, other: str) -> bool:
    """Whether two author names are the same name (as typed on any keyboard: NFC)."""
    return _author_key(one) == _author_key(other)


def _author_key(author: str) -> str:
    return unicodedata.normalize("NFC", author.strip())


def author_hash(author: str) -> str:
    """8 hex digits of the exact name: what keeps two students' files apart when their
    names look alike as ASCII (José García, Jose Garcia) or have no ASCII at all."""
    return hashlib.sha256(_author_key(author).encode("utf-8")).hexdigest()[:8]


def hand_in_name(author: str, pack: Pack) -> str:
    """`NAME-PACK-HASH.json`: the student, the exercise, and a hash of the student's exact
    name, so that the file names of different students never coincide."""
    # the students' copy (`pack handout`: LESSON-handout.zip) names the lesson, not the copy
    name = re.sub(r"[-_. ]?handout$", "", pack.name, flags=re.IGNORECASE)
    exercise = name if name not in ("seeds", "") else pack.title
    return f"{slug(author, fallback='student')}-{slug(exercise)}-{author_hash(author)}.json"


@dataclass(frozen=True)
class HandIn:
    """What writing a hand-in did."""

    path: Path
    count: int
    replaced: bool
    """True when it replaced the same student's earlier hand-in."""


def pack_sources(pack: Pack, articles: Sequence[Article] | None = None) -> dict[str, str]:
    """Article id → its file in the pack (a relative POSIX path), as the teacher has it;
    `articles` are the pack's articles in pack order when they are read already."""
    loaded = articles if articles is not None else [load_article(path) for path in pack.articles]
    # load_pack keeps the files inside the pack folder
    return {article.id: path.relative_to(pack.folder).as_posix() for article, path in zip(loaded, pack.articles)}


def _author_of(path: Path) -> str | None:
    """The author a hand-in file names, or None when it is not one presscheck can read."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    author = data.get("author") if isinstance(data, dict) else None
    return author if isinstance(author, str) else None


def _pack_label(pack: Pack) -> str:
    return f"“{display_line(pack.title)}” ({display_line(str(pack.origin))})"


def write_hand_in(
    store: Store, author: str, pack: Pack, folder: Path, *, only_mine: bool = False
) -> HandIn:
    """Write the hand-in file into `folder`.

    `only_mine` keeps the annotations `author` made and no one else's: a database that a
    class shares (`presscheck serve`) holds every student's. Refused (a UserError, nothing
    written) when the database holds annotations but none on the pack's articles, and when
    the file name is taken by another student's hand-in."""
    if not author.strip():
        raise UserError("no student name yet; give it with --author (or open the app once)")
    sources = pack_sources(pack)
    known = {article.id for article in store.articles()}
    ids = sorted(set(sources) & known)
    # the pack's articles' annotations only (a database of a year's work is not read whole)
    on_pack = [a for a in store.annotations(sources) if not only_mine or a.author == author]
    mine = on_pack or [a for a in store.annotations() if not only_mine or a.author == author]
    if mine and not on_pack:
        raise UserError(
            f"none of your {len(mine)} annotation(s) are on the exercise {_pack_label(pack)}; "
            "hand in from the pack you annotated (presscheck export --hand-in --pack DIR)"
        )
    path = folder / hand_in_name(author, pack)
    replaced = False
    if path.exists() or path.is_symlink():
        other = _author_of(path)
        if other is None or not same_author(other, author):
            whose = f"{display_line(other)}'s hand-in" if other else "a file that is not your hand-in"
            raise UserError(
                f"{path}: already holds {whose}; nothing written. Move that file away, or hand "
                "in from another folder"
            )
        replaced = True
    count = write_export(
        store, "json", path, ids, author, author if only_mine else None, sources=sources
    )
    return HandIn(path, count, replaced)


def hand_in(
    store: Store, author: str, pack: Pack, folder: Path, *, only_mine: bool = False
) -> tuple[Path, int]:
    """Write the hand-in file into `folder`; returns its path and how many annotations
    (see `write_hand_in`)."""
    done = write_hand_in(store, author, pack, folder, only_mine=only_mine)
    return done.path, done.count


# ----------------------------------------------------------- which pack, when none is named


def _pack_folders_near(source: str) -> list[Path]:
    """The folders holding an article file (and up to two above) that are packs."""
    if not source or is_url(source):
        return []
    found = []
    for parent in list(Path(source).parents)[:3]:
        if (parent / PACK_FILE).is_file():
            found.append(parent)
    return found


def annotated_pack(store: Store, default_folder: Path) -> Pack:
    """The pack the database's annotations are on, for a hand-in that names none.

    The default pack (`./seeds`, else the bundled exercise) when the annotations are on it
    (or there are none); else the one pack that holds the annotated articles' files. A
    UserError saying to name the pack with --pack otherwise: handing in the wrong
    exercise's name over another exercise's annotations is worse than asking."""
    default = load_pack(default_folder)
    annotated = {article for article, count in store.annotation_counts().items() if count}  # no record read
    if not annotated:
        return default
    folders: dict[Path, Path] = {default_folder.resolve(): default_folder}
    for article in store.articles():
        if article.id in annotated:
            for folder in _pack_folders_near(article.source):
                folders.setdefault(folder.resolve(), folder)
    hits: list[Pack] = []
    for resolved, folder in folders.items():
        try:
            pack = default if folder is default_folder else load_pack(folder)
            if annotated & set(pack_sources(pack)):
                hits.append(pack)
        except UserError:
            continue  # a folder that is no good pack is not the one annotated
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise UserError(
            f"your annotations are not on the exercise {_pack_label(default)}; name the pack "
            "you annotated: presscheck export --hand-in --pack DIR"
        )
    listed = "; ".join(_pack_label(pack) for pack in hits)
    raise UserError(
        f"your annotations are on {len(hits)} exercises ({listed}); name the one to hand in: "
        "presscheck export --hand-in --pack DIR"
    )
