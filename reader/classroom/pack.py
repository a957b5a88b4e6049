"""Exercise packs: a folder (or a .zip of one) with articles and a `pack.toml`. No UI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.errors import UserError
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


def is_pack(folder: Path) -> bool:
    """True for a folder with a `pack.toml`, or a .zip holding one."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix.lower() == ".zip":
        from reader.classroom.packs import zip_has_manifest

        return zip_has_manifest(folder)
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


def load_pack(folder: str | Path) -> Pack:
    """Read a pack folder (or a .zip of one), or raise a UserError naming what is wrong."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix.lower() == ".zip":
        from reader.classroom.packs import extract_zip

        folder = extract_zip(folder)
    import tomllib  # read only when a pack is: not on the way to the first frame

    manifest = folder / PACK_FILE
    try:
        data = tomllib.loads(manifest.read_text("utf-8"))
    except FileNotFoundError:
        raise UserError(f"{folder}: not an exercise pack (no {PACK_FILE})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{manifest}: cannot read it ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{manifest}: not valid TOML ({error}); fix the file") from None

    names = data.get("articles")
    if names is None:
        paths = tuple(sorted(p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES))
    elif isinstance(names, list) and all(isinstance(n, str) for n in names):
        paths = tuple(folder / name for name in names)
    else:
        raise UserError(f"{manifest}: 'articles' must be a list of file names")
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise UserError(f"{manifest}: article file(s) not found: {', '.join(missing)}")

    raw_tags = data.get("tags", [])
    if not isinstance(raw_tags, list) or not all(
        isinstance(t, dict) and isinstance(t.get("name"), str) for t in raw_tags
    ):
        raise UserError(f"{manifest}: each [[tags]] entry needs a name")
    tags = tuple(Tag(t["name"], str(t.get("description", ""))) for t in raw_tags)
    relations = data.get("relations", list(DEFAULT_RELATIONS))
    if not isinstance(relations, list) or not relations or not all(isinstance(r, str) for r in relations):
        raise UserError(f"{manifest}: 'relations' must be a non-empty list of names")
    key = data.get("key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise UserError(f"{manifest}: 'key' must be the file name of the answer key")
    return Pack(
        folder=folder,
        title=str(data.get("title", folder.name)),
        instructions=str(data.get("instructions", "")).strip(),
        tags=tags or (default_tags() if folder != bundled_seed_folder() else ()),
        articles=paths,
        relations=tuple(relations),
        key=folder / key if key else None,
    )
