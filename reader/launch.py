"""Everything the app needs, loaded before it starts: database, pack, articles, author. No UI."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from pathlib import Path

from reader.classroom.pack import (
    ARTICLE_SUFFIXES,
    DEFAULT_RELATIONS,
    Pack,
    Tag,
    default_pack_folder,
    default_tags,
    is_pack,
    load_pack,
)
from reader.errors import UserError
from reader.ingest import load_article
from reader.model import Annotation, Article
from reader.store import Store


@dataclass
class Session:
    """One reading session: the open articles and where their annotations are kept."""

    store: Store
    articles: list[Article]
    author: str
    tags: tuple[Tag, ...]
    relations: tuple[str, ...] = DEFAULT_RELATIONS
    annotations: list[Annotation] = field(default_factory=list)
    pack: Pack | None = None
    notices: list[str] = field(default_factory=list)


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reader"


def _article_files(paths: list[str]) -> tuple[list[Path], Pack | None]:
    pack: Pack | None = None
    files: list[Path] = []
    if not paths:
        pack = load_pack(default_pack_folder())
        return list(pack.articles), pack
    for raw in paths:
        if raw.startswith(("http://", "https://")):
            raise UserError(f"{raw}: opening URLs is not supported yet; save the page and open the file")
        path = Path(raw)
        if path.is_dir():
            if is_pack(path):
                pack = pack or load_pack(path)
                files.extend(load_pack(path).articles)
            else:
                found = sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
                if not found:
                    raise UserError(f"{path}: no .txt or .md articles in this folder")
                files.extend(found)
        else:
            files.append(path)
    return files, pack


def prepare_session(paths: list[str], db: Path, author: str = "") -> Session:
    """Open the database, read the articles, and settle who is annotating."""
    files, pack = _article_files(paths)
    articles: list[Article] = []
    for path in files:
        article = load_article(path)
        if all(a.id != article.id for a in articles):
            articles.append(article)
    store = Store.open(db)
    for article in articles:
        store.put_article(article)
    remembered = store.get_meta("author", "")
    author = author or remembered  # when still empty, the app asks once
    if author and author != remembered:
        store.set_meta("author", author)
    tags = pack.tags if pack and pack.tags else default_tags()
    annotations = store.annotations(a.id for a in articles)
    return Session(
        store=store,
        articles=articles,
        author=author,
        tags=tags,
        relations=pack.relations if pack else DEFAULT_RELATIONS,
        annotations=annotations,
        pack=pack,
    )
