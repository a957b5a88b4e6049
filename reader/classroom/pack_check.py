"""Checking an exercise pack (`presscheck pack check`): every problem once, as a line naming
the file: a manifest that does not read, missing or unreadable article files, a missing or
unreadable answer key, key quotes that are not in the articles, tags and relations the pack
does not define. A pack whose manifest names no key (a students' handout) has no key
problem. No UI."""

from __future__ import annotations

import tomllib
from pathlib import Path

from reader.classroom.pack import (
    ARTICLE_SUFFIXES,
    DEFAULT_RELATIONS,
    PACK_FILE,
    default_tags,
    inside_pack,
    outside_message,
)
from reader.classroom.pack_zip import extract_zip
from reader.errors import UserError
from reader.export.reading import read_file
from reader.ingest import load_article
from reader.ingest.sanitize import display_line
from reader.model import Article


def check_pack(path: str | Path) -> list[str]:
    """Every problem of the pack at `path`, each once, as lines naming the file; [] if fine."""
    path = Path(path)
    problems: dict[str, None] = {}

    def problem(text: str) -> None:
        problems.setdefault(text, None)

    try:
        folder = extract_zip(path, PACK_FILE) if path.is_file() and path.suffix.lower() == ".zip" else path
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
        names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
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
    file: Path, name: str, articles: list[Article], missing: set[str], tag_names: set[str], relations: set[str]
) -> list[str]:
    """The key's problems; quotes on an article already reported missing are not repeated."""
    name = display_line(name)
    if not file.is_file():
        # a pack with no `key` entry is fine (a handout); one naming a key it lacks is not
        return [
            f"{name}: answer key file not found (named by {PACK_FILE}); to give students the "
            "pack without its key, use `presscheck pack handout`"
        ]
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
