"""What `compare` and `class` are given, resolved: the answer key, the pack, the hand-ins.
No UI.

Two forms (DESIGN.md "Command line"):
- `LESSON HANDINS...`: LESSON is a pack (a folder with `pack.toml`, or a .zip holding
  one); the key is the one its manifest names, and the pack is LESSON itself.
- `KEY STUDENT... [--pack DIR]`: an answer key export, and the pack given (default
  `./seeds`, else the bundled seed exercise).

Each HANDINS (or STUDENT) argument is a file or a folder. In a folder, every `.json` and
`.jsonld` file directly in it is a hand-in, taken in the order of their names; everything
else there is skipped with a reason, and so is a link that leads out of the folder: a
folder of hand-ins is never a way to read some other file of the machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.classroom.pack import PACK_FILE, default_pack_folder, is_pack, load_pack
from reader.errors import UserError
from reader.ingest.sanitize import display_line

HAND_IN_SUFFIXES = (".json", ".jsonld")


@dataclass
class Lesson:
    """The arguments of `compare` or `class`, resolved."""

    key_path: Path
    pack_folder: Path
    """The pack (a folder, or the .zip it was given as)."""
    handins: list[Path]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Files in the hand-in folders that are not read, with the reason."""
    key_label: str = ""
    """How reports name the key: the path given, or `LESSON.zip/key.json` for a zipped
    pack (never the temporary folder it is unzipped into)."""


def resolve_lesson(first: str | Path, rest: Sequence[str | Path], pack_option: str | Path | None) -> Lesson:
    """Resolve `compare`'s or `class`'s positionals and `--pack` (see the module's doc);
    a UserError names what is wrong and what to do."""
    first = Path(first)
    key_path, pack_folder, label = _key_and_pack(first, pack_option)
    handins, skipped = expand_handins(rest)
    return Lesson(key_path, pack_folder, handins, skipped, label)


def _key_and_pack(first: Path, pack_option: str | Path | None) -> tuple[Path, Path, str]:
    if is_pack(first):
        pack = load_pack(first)
        if pack_option is not None and Path(pack_option).resolve() != first.resolve():
            raise UserError(
                f"{first}: is a pack, and --pack names another ({pack_option}); give the "
                "lesson's pack once, as the first argument"
            )
        if pack.key is None:
            raise UserError(f"{first}: the pack has no answer key; write one with `presscheck key {first}`")
        label = pack.key.relative_to(pack.folder).as_posix()
        if not pack.key.is_file():
            raise UserError(
                f"{first}: the answer key {display_line(label)} named by {PACK_FILE} is missing; "
                f"write one with `presscheck key {first}`"
            )
        shown = first / label if pack.zip_file is not None else pack.key
        return pack.key, first, str(shown)
    if first.is_dir():
        raise UserError(
            f"{first}: a folder that is not an exercise pack (no {PACK_FILE}); give the lesson's "
            "pack (a folder or .zip) or the answer key export as the first argument"
        )
    if first.suffix.lower() == ".zip" and first.is_file():
        raise UserError(f"{first}: not an exercise pack (no {PACK_FILE} in the zip)")
    pack_folder = Path(pack_option) if pack_option is not None else default_pack_folder()
    return first, pack_folder, str(first)


def expand_handins(arguments: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The hand-in files the arguments name (a folder: its hand-ins, by name), and what was
    skipped in the folders, with the reason. Files named one by one are kept as they are
    (`compare` says why one cannot be read). A UserError when nothing is left to read."""
    handins: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in arguments:
        path = Path(raw)
        if path.is_dir():
            found, passed = _folder_handins(path)
            handins += found
            skipped += passed
        else:
            handins.append(path)
    if not handins:
        shown = display_line(", ".join(str(a) for a in arguments))
        others = f" ({len(skipped)} other file(s) skipped)" if skipped else ""
        raise UserError(
            f"{shown}: no hand-in files (.json or .jsonld) in it{others}; give the folder the "
            "students' exports were collected in"
        )
    return handins, skipped


def _folder_handins(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
        inside = folder.resolve()
    except OSError as error:
        raise UserError(f"{folder}: cannot list the folder ({error.strerror})") from None
    handins: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for entry in entries:
        reason = _not_a_hand_in(entry, inside)
        if reason:
            skipped.append((str(entry), reason))
        else:
            handins.append(entry)
    return handins, skipped


def _not_a_hand_in(entry: Path, inside: Path) -> str:
    """Why `entry` of a hand-in folder is not read, or "" when it is a hand-in to read."""
    if entry.is_symlink():
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a link that leads nowhere"
        if not target.is_relative_to(inside):
            return "a link to a file outside the folder; not read (copy the file in instead)"
    if entry.is_dir():
        return "a folder (only the files directly in a hand-in folder are read)"
    if entry.name.startswith("."):
        return "a hidden file"
    if entry.suffix.lower() not in HAND_IN_SUFFIXES:
        return "not a hand-in (.json or .jsonld)"
    if not entry.is_file():
        return "not a regular file"
    return ""
