"""The students' copy of an exercise pack (`presscheck pack handout`): the articles and a
`pack.toml` without the answer key, and nothing else. No UI.

An allow-list, not a copy with the key deleted: a teacher's pack folder also holds the key
file, key mode's hidden `.key/` database, hand-ins collected into it, notes. None of that
is read: the handout is a manifest written anew from the pack's title, instructions, tag
set and relations (no `key` entry, nor anything else the teacher's manifest says), and the
article files that manifest lists. It is written whole or not at all (`write_pack`), and
never over something already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.classroom.pack import PACK_FILE, Pack, load_pack
from reader.classroom.pack_create import is_taken, manifest_text, write_pack
from reader.errors import UserError
from reader.ingest.sanitize import display_line

HANDOUT_SUFFIX = "-handout.zip"


@dataclass(frozen=True)
class Handout:
    """What `write_handout` wrote."""

    path: Path
    articles: int
    had_key: bool
    """Whether the teacher's pack has an answer key (left out of the handout)."""


def default_handout_path(lesson: str | Path) -> Path:
    """`LESSON-handout.zip` beside the pack (folder or .zip) `lesson`."""
    lesson = Path(lesson)
    if not lesson.name or lesson.name == "..":  # `.` or `..`: the folder's own name
        lesson = lesson.resolve()
    name = lesson.stem if lesson.suffix.lower() == ".zip" and lesson.is_file() else lesson.name
    return lesson.parent / f"{name}{HANDOUT_SUFFIX}"


def handout_members(pack: Pack) -> dict[str, Path]:
    """The article files to hand out: their name in the handout (a relative POSIX path)
    → the file. A UserError when the manifest lists the answer key or a hidden file as an
    article: handing those out is what a handout must never do."""
    folder = pack.folder.resolve()
    key = pack.key.resolve() if pack.key is not None else None
    shown = pack.origin / PACK_FILE
    members: dict[str, Path] = {}
    for path in pack.articles:
        real = path.resolve()  # load_pack keeps it inside the pack folder
        name = real.relative_to(folder).as_posix()
        if key is not None and real == key:
            raise UserError(
                f"{shown}: the article {display_line(repr(name))} is the answer key; take it "
                "out of 'articles' before handing the pack out"
            )
        if any(part.startswith(".") for part in real.relative_to(folder).parts):
            raise UserError(
                f"{shown}: the article {display_line(repr(name))} is a hidden file; a handout "
                "holds no hidden files, so move it out of the hidden folder and name it again"
            )
        members.setdefault(name, path)
    return members


def write_handout(lesson: str | Path, output: str | Path | None = None) -> Handout:
    """Write the students' copy of the pack `lesson` (a folder or .zip) to `output` (a
    `.zip`, or a new folder), by default `LESSON-handout.zip` beside it. Refused (a
    UserError, nothing written) when the output exists already."""
    pack = load_pack(lesson)
    target = Path(output) if output else default_handout_path(lesson)
    if is_taken(target):
        raise UserError(
            f"{target}: already exists; move it away (or delete it) and run pack handout "
            "again, or write the handout elsewhere with -o FILE.zip"
        )
    members = handout_members(pack)
    text = manifest_text(pack.title, list(members), pack.instructions, pack.tags, pack.relations)
    write_pack(target, text, members)
    return Handout(target, len(members), pack.key is not None)
