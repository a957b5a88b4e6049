"""Exercise packs: a folder (or a .zip of one) with articles and a `pack.toml`; the Pack
model, where packs are found, and reading one. No UI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from reader.errors import UserError
from reader.ingest.sanitize import display_line
from reader.model import Article
from reader.resources import resource_folder

PACK_FILE = "pack.toml"
DEFAULT_RELATIONS = ("same event", "corroborates", "elaborates", "cites", "other")
"""Relations a link can have when the pack names none."""
ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Tag:
    """One tag of a pack's tag set."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Pack:
    """An exercise: its title, instructions, tag set and article files."""

    folder: Path
    title: str
    instructions: str
    tags: tuple[Tag, ...]
    articles: tuple[Path, ...]
    relations: tuple[str, ...] = DEFAULT_RELATIONS
    key: Path | None = None
    """The answer key file (a presscheck export) when `pack.toml` names one; it may be
    absent from a pack handed out to students."""
    zip_file: Path | None = None
    """The .zip the pack was read from (then `folder` is a temporary copy of it)."""

    @property
    def name(self) -> str:
        """The pack's file name as its author gave it: the zip's stem, or the folder's name."""
        return self.zip_file.stem if self.zip_file is not None else self.folder.name

    @property
    def origin(self) -> Path:
        """Where the pack was read from: the zip, or the folder."""
        return self.zip_file if self.zip_file is not None else self.folder


def is_pack(folder: Path) -> bool:
    """True for a folder with a `pack.toml`, or a .zip holding one."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix.lower() == ".zip":
        from reader.classroom.pack_zip import zip_has_manifest  # zipfile: only for a zip

        return zip_has_manifest(folder, PACK_FILE)
    return (folder / PACK_FILE).is_file()


def bundled_seed_folder() -> Path:
    """The seed exercise that ships inside the installed package."""
    return resource_folder("seeds")


def default_pack_folder(cwd: Path | None = None) -> Path:
    """`./seeds` when it is a pack, else the bundled seed exercise."""
    local = (cwd or Path.cwd()) / "seeds"
    return local if is_pack(local) else bundled_seed_folder()


def default_tags() -> tuple[Tag, ...]:
    """The tag set used when no pack gives one: the seed exercise's."""
    return load_pack(bundled_seed_folder()).tags


def inside_pack(folder: Path, name: str) -> Path | None:
    """`folder / name` when `name` is a file name inside the pack folder, else None.

    A manifest comes from someone else: an absolute path, a `..` that climbs out of the
    folder, or a link (the file itself or a folder on the way) that leads out of it would
    let a pack open any file of the machine. The path is resolved and must stay within the
    resolved pack folder."""
    if not name or "\0" in name or PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor:
        return None
    path = folder / name
    try:
        if not path.resolve().is_relative_to(folder.resolve()):
            return None
    except (OSError, RuntimeError, ValueError):  # a link loop, an unreadable folder
        return None
    return path


def outside_message(manifest: Path | str, what: str, name: str) -> str:
    """The one line refusing a manifest entry that points out of the pack."""
    return (
        f"{manifest}: {what} {display_line(repr(name))} is outside the pack (an absolute path, "
        "'..' or a link out of the folder); put the file in the pack folder and name it "
        "relative to it, e.g. \"article.txt\""
    )


def load_pack(folder: str | Path) -> Pack:
    """Read a pack folder (or a .zip of one), or raise a UserError naming what is wrong."""
    folder = Path(folder)
    shown = folder / PACK_FILE  # how messages name the manifest (a zip's, not a temp folder's)
    zipped = None
    if folder.is_file() and folder.suffix.lower() == ".zip":
        from reader.classroom.pack_zip import extract_zip

        zipped, folder = folder, extract_zip(folder, PACK_FILE)
    import tomllib  # read only when a pack is: not on the way to the first frame

    manifest = folder / PACK_FILE
    try:
        data = tomllib.loads(manifest.read_text("utf-8"))
    except FileNotFoundError:
        raise UserError(f"{folder}: not an exercise pack (no {PACK_FILE})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{shown}: cannot read it ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{shown}: not valid TOML ({error}); fix the file") from None

    names = data.get("articles")
    if names is None:
        names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
    elif not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise UserError(f"{shown}: 'articles' must be a list of file names")
    paths_or_none = [inside_pack(folder, name) for name in names]
    for name, path in zip(names, paths_or_none):
        if path is None:
            raise UserError(outside_message(shown, "article", name))
    paths = tuple(p for p in paths_or_none if p is not None)
    missing = [display_line(name) for name, p in zip(names, paths) if not p.is_file()]
    if missing:
        raise UserError(f"{shown}: article file(s) not found: {', '.join(missing)}")

    raw_tags = data.get("tags", [])
    if not isinstance(raw_tags, list) or not all(
        isinstance(t, dict) and isinstance(t.get("name"), str) for t in raw_tags
    ):
        raise UserError(f"{shown}: each [[tags]] entry needs a name")
    tags = tuple(Tag(t["name"], str(t.get("description", ""))) for t in raw_tags)
    relations = data.get("relations", list(DEFAULT_RELATIONS))
    if not isinstance(relations, list) or not relations or not all(isinstance(r, str) for r in relations):
        raise UserError(f"{shown}: 'relations' must be a non-empty list of names")
    key = data.get("key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise UserError(f"{shown}: 'key' must be the file name of the answer key")
    key_path = inside_pack(folder, key) if key else None
    if key and key_path is None:
        raise UserError(outside_message(shown, "key", key))
    return Pack(
        folder=folder,
        title=str(data.get("title", folder.name)),
        instructions=str(data.get("instructions", "")).strip(),
        tags=tags or (default_tags() if folder != bundled_seed_folder() else ()),
        articles=paths,
        relations=tuple(relations),
        key=key_path,
        zip_file=zipped,
    )


def load_pack_articles(folder: str | Path) -> Iterator[Article]:
    """The articles of the pack at `folder`, read one at a time, when first asked for (a
    UserError names what does not read)."""
    from reader.ingest import load_article

    for path in load_pack(folder).articles:
        yield load_article(path)


_LIST_ITEM = re.compile(r"\s*(?:[-*+\u2022]|\d{1,3}[.)])\s")


def reflowed(text: str) -> str:
    """Instructions as a teacher writes them in pack.toml (lines broken at the editor's
    width) with each paragraph and list item on one line, for the screen to wrap at its own
    width: a line joins the one before unless either is blank or it starts a list item
    (`-`, `*`, `+`, `•`, `1.`, `1)`)."""
    lines: list[str] = []
    for line in text.splitlines():
        if lines and line.strip() and lines[-1].strip() and not _LIST_ITEM.match(line):
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line.rstrip())
    return "\n".join(lines)
