"""Making, checking and unzipping exercise packs. No UI.

- `create_pack` copies articles into a new folder (or a `.zip`) and writes its `pack.toml`.
- `check_pack` lists every problem of a pack once: a manifest that does not read, missing
  or unreadable article files, a missing or unreadable answer key, key quotes that are not
  in the articles, tags and relations the pack does not define.
- `extract_zip` unpacks a zipped pack into a private temporary folder (once per process
  and zip file), refusing members that would land outside it.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from stat import S_ISLNK

from reader.classroom.pack import DEFAULT_RELATIONS, PACK_FILE, Tag, default_tags, inside_pack, outside_message
from reader.errors import UserError
from reader.ingest.sanitize import display_line

MAX_ZIP_BYTES = 64 * 1024 * 1024
"""Uncompressed size above which a zipped pack is refused."""
MAX_ZIP_MEMBERS = 1000
"""Files and folders a zipped pack may hold (a million empty members would still unzip)."""

_extracted: dict[tuple[str, int, int], Path] = {}


# ------------------------------------------------------------------------------- zips


def _manifest_member(names: Sequence[str]) -> str | None:
    """`pack.toml` at the top of the zip, or inside its single top-level folder."""
    if PACK_FILE in names:
        return PACK_FILE
    candidates = [n for n in names if PurePosixPath(n).name == PACK_FILE and len(PurePosixPath(n).parts) == 2]
    return candidates[0] if len(candidates) == 1 else None


def zip_has_manifest(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_member(archive.namelist()) is not None
    except (OSError, zipfile.BadZipFile):
        return False


def extract_zip(path: Path) -> Path:
    """The folder holding the pack of the zip `path` (extracted once per process)."""
    try:
        stat = path.stat()
        cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if cache_key in _extracted and (_extracted[cache_key] / PACK_FILE).is_file():
            return _extracted[cache_key]
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            manifest = _manifest_member([i.filename for i in infos])
            if manifest is None:
                raise UserError(f"{path}: not an exercise pack (no {PACK_FILE} in the zip)")
            if len(infos) > MAX_ZIP_MEMBERS:
                raise UserError(f"{path}: over {MAX_ZIP_MEMBERS} files in the zip; too many for a pack")
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                raise UserError(f"{path}: over {MAX_ZIP_BYTES // (1024 * 1024)} MB unzipped; too big for a pack")
            for info in infos:
                name = PurePosixPath(info.filename)
                shown = display_line(repr(info.filename))
                drive = PureWindowsPath(info.filename).anchor  # C: is a way out on Windows
                if name.is_absolute() or ".." in name.parts or "\\" in info.filename or drive:
                    raise UserError(f"{path}: member {shown} would be written outside the pack; refused")
                if S_ISLNK(info.external_attr >> 16):
                    raise UserError(f"{path}: member {shown} is a symbolic link; a pack holds files only, refused")
            target = Path(tempfile.mkdtemp(prefix="presscheck-pack-"))
            atexit.register(shutil.rmtree, target, True)
            archive.extractall(target)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except zipfile.BadZipFile:
        raise UserError(f"{path}: not a valid zip file; zip the pack folder again") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    folder = target / PurePosixPath(manifest).parent
    _extracted[cache_key] = folder
    return folder


# ----------------------------------------------------------------------------- create


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
    from reader.ingest import load_article

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


# ------------------------------------------------------------------------------ check


def check_pack(path: str | Path) -> list[str]:
    """Every problem of the pack at `path`, each once, as lines naming the file; [] if fine."""
    from reader.ingest import load_article

    path = Path(path)
    problems: dict[str, None] = {}

    def problem(text: str) -> None:
        problems.setdefault(text, None)

    try:
        folder = extract_zip(path) if path.is_file() and path.suffix.lower() == ".zip" else path
    except UserError as error:
        return [str(error)]
    manifest = folder / PACK_FILE
    shown = path / PACK_FILE if folder != path else manifest
    try:
        data = tomllib.loads(manifest.read_text("utf-8"))
    except FileNotFoundError:
        return [f"{path}: not an exercise pack (no {PACK_FILE})"]
    except (OSError, UnicodeDecodeError) as error:
        return [f"{shown}: cannot read it ({error})"]
    except tomllib.TOMLDecodeError as error:
        return [f"{shown}: not valid TOML ({error})"]

    names = data.get("articles")
    if names is None:
        names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md"))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problem(f"{shown}: 'articles' must be a list of file names")
        names = []
    if not names:
        problem(f"{shown}: the pack has no articles")
    articles = []
    missing: set[str] = set()
    for name in dict.fromkeys(names):
        file = inside_pack(folder, name)
        if file is None:
            problem(outside_message(shown, "article", name))
            missing.add(name)
            continue
        if not file.is_file():
            problem(f"{shown}: article file not found: {display_line(name)}")
            missing.add(name)
            continue
        try:
            articles.append(load_article(file))
        except UserError as error:
            problem(f"{shown}: article {display_line(name)} cannot be read ({error})")

    raw_tags = data.get("tags", [])
    tag_names: set[str] = set()
    if not isinstance(raw_tags, list) or not all(isinstance(t, dict) and isinstance(t.get("name"), str) for t in raw_tags):
        problem(f"{shown}: each [[tags]] entry needs a name")
    else:
        tag_names = {t["name"] for t in raw_tags} or {t.name for t in default_tags()}
    relations = data.get("relations", list(DEFAULT_RELATIONS))
    if not isinstance(relations, list) or not relations or not all(isinstance(r, str) for r in relations):
        problem(f"{shown}: 'relations' must be a non-empty list of names")
        relations = list(DEFAULT_RELATIONS)

    key = data.get("key")
    if key is not None:
        if not isinstance(key, str) or not key.strip():
            problem(f"{shown}: 'key' must be the file name of the answer key")
        elif inside_pack(folder, key) is None:
            problem(outside_message(shown, "key", key))
        else:
            for line in _check_key(folder / key, key, articles, missing, tag_names, set(relations)):
                problem(line)
    return list(problems)


def _check_key(
    file: Path, name: str, articles: list, missing: set[str], tag_names: set[str], relations: set[str]
) -> list[str]:
    """The key's problems; quotes on an article already reported missing are not repeated."""
    from reader.export.importing import read_file

    name = display_line(name)
    if not file.is_file():
        return [f"{name}: answer key file not found (named by {PACK_FILE})"]
    try:
        parsed = read_file(file)
    except UserError as error:
        return [str(error).replace(str(file), name, 1)]
    problems: list[str] = []
    by_id = {a.id: a for a in articles}
    for number, annotation in enumerate(parsed.annotations, start=1):
        for target in annotation.targets:
            exact = target.quote.exact
            home = by_id.get(target.article_id)
            if home is None and Path(parsed.names.get(target.article_id, "")).name in missing:
                continue  # its article file is missing: reported once already
            candidates = [home] if home is not None else articles
            if not exact or not any(exact in a.text for a in candidates):
                short = " ".join(exact.split())
                short = short if len(short) <= 60 else short[:59] + "…"
                problems.append(
                    f"{name}: item {number} ({annotation.kind}): quote “{display_line(short)}” is not in the articles"
                )
        for tag in annotation.tags:
            if tag not in tag_names:
                problems.append(f"{name}: unknown tag {display_line(repr(tag))} (not in the pack's tag set)")
        if annotation.kind == "link" and annotation.relation and annotation.relation not in relations:
            problems.append(
                f"{name}: unknown relation {display_line(repr(annotation.relation))} (not in the pack's relations)"
            )
    if not parsed.annotations:
        problems.append(f"{name}: the answer key has no items")
    return problems
