"""Making an exercise pack (`presscheck pack create`): the articles copied into a new folder
(or a `.zip`) beside the `pack.toml` written for them; and writing any pack whole or not at
all (`write_pack`, which `pack handout` uses too). No UI."""

from __future__ import annotations

import io
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from reader.atomic_write import TEMP_SUFFIX, fsync_folder, temp_prefix, write_atomically
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
    if is_taken(destination):
        raise UserError(f"{destination}: already exists; choose a new folder for the pack")
    text = manifest_text(
        title, names, instructions, default_tags(), DEFAULT_RELATIONS, key.name if key else None
    )
    members = {name: source for name, source in zip(names, sources)}
    if key is not None:
        members[key.name] = key
    write_pack(destination, text, members)
    return destination


def is_taken(destination: Path) -> bool:
    """Whether writing a pack at `destination` would replace something: a file, a link, or
    a folder that is not empty."""
    if destination.is_dir() and not destination.is_symlink():
        return any(destination.iterdir())
    return destination.exists() or destination.is_symlink()


def write_pack(destination: Path, manifest: str, members: Mapping[str, Path]) -> None:
    """Write a pack whole or not at all: `manifest` as `pack.toml` and each member (its name
    in the pack, a relative POSIX path → the file to copy) into a `.zip` or a new folder.

    A zip is built in memory and put in place by `write_atomically`; a folder is filled
    under a hidden temporary name beside it and renamed into place (onto nothing, or an
    empty folder), so a failure or a kill leaves no half pack. The caller has refused a
    destination that `is_taken`. A UserError names the destination when writing fails."""
    try:
        if destination.suffix.lower() == ".zip":
            destination.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(destination, _zip_blob(manifest, members), 0o644)
        else:
            _write_folder(destination, manifest, members)
    except OSError as error:
        raise UserError(f"{destination}: cannot write the pack ({error.strerror or error})") from None


def _zip_blob(manifest: str, members: Mapping[str, Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PACK_FILE, manifest)
        for name, source in members.items():
            archive.write(source, name)
    return buffer.getvalue()


def _write_folder(destination: Path, manifest: str, members: Mapping[str, Path]) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = destination.parent / f"{temp_prefix(destination)}{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    temp.mkdir()
    try:
        folders = {temp}
        files = {PACK_FILE: manifest.encode("utf-8")}
        files.update((name, Path(source).read_bytes()) for name, source in members.items())
        for name, blob in files.items():
            target = temp / name
            folders.add(target.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
        for folder in folders:
            fsync_folder(folder)
        os.rename(temp, destination)  # onto nothing, or an empty folder: one step
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    fsync_folder(destination.parent)
