"""Making an exercise pack (`presscheck pack create`): the articles copied into a new folder
(or a `.zip`) beside the `pack.toml` written for them. No UI."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from reader.classroom.pack import DEFAULT_RELATIONS, PACK_FILE, Tag, default_tags
from reader.errors import UserError
from reader.ingest import load_article


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def manifest_text(
    title: str,
    articles: Sequence[str],
    instructions: str = "",
    tags: Sequence[Tag] = (),
    relations: Sequence[str] = DEFAULT_RELATIONS,
    key: str | None = None,
) -> str:
    lines = [
        "# presscheck exercise pack",
        f"title = {_toml_string(title)}",
        f"instructions = {_toml_string(instructions.strip())}",
        "articles = [" + ", ".join(_toml_string(a) for a in articles) + "]",
        "relations = [" + ", ".join(_toml_string(r) for r in relations) + "]",
    ]
    if key:
        lines.append(f"key = {_toml_string(key)}")
    for tag in tags:
        lines += ["", "[[tags]]", f"name = {_toml_string(tag.name)}",
                  f"description = {_toml_string(tag.description)}"]
    return "\n".join(lines) + "\n"


def create_pack(
    destination: str | Path,
    title: str,
    files: Sequence[str | Path],
    instructions: str = "",
    key: str | Path | None = None,
) -> Path:
    """Build a pack at `destination` (a new folder, or a `.zip` file) from article files.

    The articles keep their file names; the tag set is the default one (edit `pack.toml`
    to change it). Every article is read first, so a file that can't be one is refused
    before anything is written.
    """
    destination = Path(destination)
    if not title.strip():
        raise UserError("pack create: give the pack a --title")
    if not files:
        raise UserError("pack create: give at least one article file")
    sources = [Path(f) for f in files]
    names = [p.name for p in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UserError(f"{twice[0]}: two article files have this name; rename one")
    for source in sources:
        load_article(source)  # raises an IngestError naming the file
    if key is not None:
        key = Path(key)
        if not key.is_file():
            raise UserError(f"{key}: no such answer key file")
        if key.name in names or key.name == PACK_FILE:
            raise UserError(f"{key}: the key's file name clashes with an article; rename it")
    if destination.exists() and (destination.is_file() or any(destination.iterdir())):
        raise UserError(f"{destination}: already exists; choose a new folder for the pack")
    text = manifest_text(
        title, names, instructions, default_tags(), DEFAULT_RELATIONS, key.name if key else None
    )
    members = {name: source for name, source in zip(names, sources)}
    if key is not None:
        members[key.name] = key
    try:
        if destination.suffix.lower() == ".zip":
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(PACK_FILE, text)
                for name, source in members.items():
                    archive.write(source, name)
        else:
            destination.mkdir(parents=True, exist_ok=True)
            for name, source in members.items():
                shutil.copyfile(source, destination / name)
            (destination / PACK_FILE).write_text(text, "utf-8")
    except OSError as error:
        raise UserError(f"{destination}: cannot write the pack ({error.strerror})") from None
    return destination
