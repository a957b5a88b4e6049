"""Reading exports back into a database: native JSON and W3C JSON-LD, merged by id. No UI.

Every file is read and checked before the database is touched, so a bad file (not JSON,
the wrong shape, a newer schema, truncated, too big, nested too deep) changes nothing.
Then each annotation is placed on the text the database has (`anchoring.reanchor`);
annotations whose article is nowhere to be found are kept, waiting for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import jsonschema
import orjson

from reader.anchoring import has_position, locate, reanchor
from reader.anchoring import describe as describe_span
from reader.errors import UserError
from reader.export import json_format, w3c
from reader.model import MAX_POSITION, SCHEMA_VERSION, Anchor, Annotation, Article, Target

MAX_IMPORT_BYTES = 32 * 1024 * 1024
"""Larger files are refused before they are read (a class's exports are far smaller)."""

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""`MIGRATIONS[n]` turns a native export of schema_version n into one of n + 1."""

Status = Literal["exact", "moved", "orphaned", "waiting"]


class ImportFileError(UserError):
    """An import file that cannot be read; the message names it."""


@dataclass
class ParsedFile:
    """What one import file holds, checked but not yet applied."""

    path: Path
    format: Literal["json", "w3c"]
    annotations: list[Annotation]
    articles: dict[str, Article] = field(default_factory=dict)
    """Articles the file carries with their text, by id."""
    names: dict[str, str] = field(default_factory=dict)
    """Article id → the file name or URL the export knew it by (for articles without text)."""
    skipped: list[str] = field(default_factory=list)


@dataclass
class FileReport:
    """What importing one file did."""

    path: Path
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    articles_added: int = 0
    moved: int = 0
    orphaned: int = 0
    waiting: dict[str, int] = field(default_factory=dict)
    """Article name (or id) → how many annotations kept wait for that article."""
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines for a terminal."""
        head = (
            f"{self.path}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.format})"
        )
        if self.articles_added:
            head += f"; {self.articles_added} article(s) added"
        lines = [head]
        if self.moved:
            lines.append(f"  {self.moved} moved to where their quote is in the current text")
        if self.orphaned:
            lines.append(
                f"  {self.orphaned} orphaned: the quote is no longer in the article; kept, "
                "and shown as orphaned"
            )
        for name, count in sorted(self.waiting.items()):
            lines.append(
                f"  {count} waiting for article {name}: not in the database; open it, or "
                "import an export that carries its text"
            )
        lines += [f"  skipped {reason}" for reason in self.skipped]
        return lines


# ----------------------------------------------------------------------- reading files


def read_file(path: str | Path) -> ParsedFile:
    """Read and check one import file, or raise a one-line UserError naming it."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFileError(f"{path}: is a folder; give the export files themselves")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFileError(_too_big(path, size))
        with path.open("rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read it ({error.strerror})") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_too_big(path, len(raw)))
    return parse_bytes(raw, path)


def _too_big(path: Path, size: int) -> str:
    return (
        f"{path}: {size / (1024 * 1024):.0f} MB is over the {MAX_IMPORT_BYTES // (1024 * 1024)} MB "
        "import limit; export fewer articles at a time (presscheck export --article ID)"
    )


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_bytes(raw: bytes, path: Path) -> ParsedFile:
    """Check the bytes of an import file named `path` and say what they hold."""
    what = "a presscheck export (presscheck export --format json|w3c)"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise ImportFileError(f"{path}: the file is empty; expected {what}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        reason = str(error)
        if "depth limit" in reason or "recursion" in reason.lower():
            reason = f"nested too deeply ({reason})"
        raise ImportFileError(
            f"{path}: not valid JSON ({_one_line(reason)}); is the file complete? expected {what}"
        ) from None
    try:
        if isinstance(data, dict) and "schema_version" in data:
            return _parse_native(data, path)
        if w3c.is_w3c(data):
            return _parse_w3c(data, path)
    except RecursionError:
        raise ImportFileError(f"{path}: nested too deeply to be {what}") from None
    raise ImportFileError(
        f"{path}: valid JSON but neither a presscheck export nor W3C Web Annotation JSON-LD; "
        f"expected {what}"
    )


_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
_ANCHORS = ("exact", "moved", "orphaned")


def _plainly_valid(record: Any, checker: jsonschema.FormatChecker) -> bool:
    """Whether an export's annotation record is valid without walking the schema: it is
    exactly what presscheck writes for the annotation it reads as (keys, order of
    selectors, types), and the values the model takes as they come meet the schema's
    formats, patterns and bounds. Anything else gets the schema's full check."""
    if not isinstance(record, dict):
        return False
    try:
        if Annotation.from_dict(record).to_dict() != record:
            return False
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if record["anchor"] not in _ANCHORS or not checker.conforms(record["id"], "uuid"):
        return False
    if not (checker.conforms(record["created"], "date-time") and checker.conforms(record["modified"], "date-time")):
        return False
    for target in record["targets"]:
        position, quote = target["selectors"]
        if not _ARTICLE_ID.fullmatch(target["article_id"]):
            return False
        if not all(type(position[key]) is int and position[key] >= 0 for key in ("start", "end")):
            return False
        if not quote["exact"] or len(quote["prefix"]) > 32 or len(quote["suffix"]) > 32:
            return False
    return True


def _parse_native(data: dict[str, Any], path: Path) -> ParsedFile:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(f"{path}: schema_version {version!r} is not one presscheck wrote")
    if version > SCHEMA_VERSION:
        raise ImportFileError(
            f"{path}: written by a newer presscheck (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade presscheck to import it"
        )
    while data["schema_version"] < SCHEMA_VERSION:
        data = MIGRATIONS[data["schema_version"]](data)
    checker = jsonschema.FormatChecker()
    validator = jsonschema.Draft202012Validator(json_format.schema(), format_checker=checker)
    # Records exactly as presscheck writes them skip the schema walk (about 300 µs each):
    # only the others are validated, and an error's position is mapped back.
    annotations = data.get("annotations")
    positions: list[int] = []
    if isinstance(annotations, list):
        positions = [i for i, record in enumerate(annotations) if not _plainly_valid(record, checker)]
        checked = {**data, "annotations": [annotations[i] for i in positions]}
    else:
        checked = data
    error = jsonschema.exceptions.best_match(validator.iter_errors(checked))
    if error is not None:
        steps = list(error.absolute_path)
        if len(steps) > 1 and steps[0] == "annotations" and positions:
            steps[1] = positions[steps[1]]
        where = "/".join(str(p) for p in steps) or "the top level"
        raise ImportFileError(
            f"{path}: not a valid presscheck export (at {where}: {_one_line(error.message, 120)})"
        )
    parsed = ParsedFile(path, "json", [])
    for entry in data["articles"]:
        name = entry.get("source") or entry.get("title") or ""
        if name:
            parsed.names[entry["id"]] = name
        text = entry.get("text")
        if text is None:
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != entry["text_sha256"] or digest[:16] != entry["id"] or len(text) != entry["length"]:
            raise ImportFileError(
                f"{path}: article {entry['id']}'s text does not match its id and sha256; "
                "the file was changed after export, export it again"
            )
        furniture = tuple((int(a), int(b)) for a, b in entry.get("furniture", ()))
        if any(not 0 <= a < b <= len(text) for a, b in furniture):
            raise ImportFileError(f"{path}: article {entry['id']} has furniture outside its text")
        try:  # the model is stricter than the schema's "integer" (1.0 is not a position)
            parsed.articles[entry["id"]] = Article.from_dict(
                {key: value for key, value in entry.items() if key not in ("text_sha256", "length")}
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ImportFileError(f"{path}: article {entry['id']}: {_one_line(str(error))}") from None
    seen: set[str] = set()
    for number, record in enumerate(data["annotations"], start=1):
        try:
            annotation = Annotation.from_dict(record)
        except (KeyError, TypeError, ValueError) as error:
            raise ImportFileError(f"{path}: annotation {number}: {_one_line(str(error))}") from None
        if annotation.id in seen:
            raise ImportFileError(f"{path}: annotation id {annotation.id} appears twice")
        seen.add(annotation.id)
        for target in annotation.targets:
            if target.start > target.end:
                raise ImportFileError(f"{path}: annotation {number} has a target that ends before it starts")
        parsed.annotations.append(annotation)
    return parsed


def _parse_w3c(data: Any, path: Path) -> ParsedFile:
    try:
        annotations, skipped = w3c.read_annotations(data)
    except w3c.W3CFormatError as error:
        raise ImportFileError(
            f"{path}: not W3C Web Annotation that presscheck can read ({_one_line(str(error))})"
        ) from None
    except orjson.JSONEncodeError:
        raise ImportFileError(f"{path}: an annotation without an id is nested too deeply") from None
    seen: set[str] = set()
    for annotation in annotations:
        if annotation.id in seen:
            raise ImportFileError(f"{path}: annotation id {w3c.annotation_iri(annotation.id)} appears twice")
        seen.add(annotation.id)
        if any(target.end > MAX_POSITION for target in annotation.targets):
            # stored, it would be a damaged record (see Annotation.from_dict): refuse it here
            raise ImportFileError(
                f"{path}: annotation {w3c.annotation_iri(annotation.id)} has a position over 2^53"
            )
    return ParsedFile(path, "w3c", annotations, skipped=skipped)


# ------------------------------------------------------------------- placing and merging


def _name_keys(source: str) -> set[str]:
    """A source path or URL, and its last path segment (how another tool may name it)."""
    source = source.strip()
    if not source:
        return set()
    keys = {source}
    bare = source.split("#", 1)[0].split("?", 1)[0].rstrip("/\\")
    last = bare.replace("\\", "/").rsplit("/", 1)[-1]
    if last:
        keys.add(last)
    return keys


class Library:
    """The texts an import can place annotations on: the database, the files, the pack."""

    def __init__(self, db_articles: Iterable[Article], pack_folder: Path | None) -> None:
        self.db: dict[str, Article] = {a.id: a for a in db_articles}
        self.carried: dict[str, Article] = {}
        self.pack_folder = pack_folder
        self._pack: dict[str, Article] | None = None

    @property
    def pack(self) -> dict[str, Article]:
        if self._pack is None:
            self._pack = {}
            if self.pack_folder is not None:
                from reader.classroom.pack import load_pack
                from reader.ingest import load_article

                try:
                    for file in load_pack(self.pack_folder).articles:
                        article = load_article(file)
                        self._pack[article.id] = article
                except UserError:
                    pass  # a broken pack only means fewer places to look
        return self._pack

    def get(self, article_id: str) -> Article | None:
        return self.db.get(article_id) or self.carried.get(article_id) or self.pack.get(article_id)

    def everything(self) -> list[Article]:
        merged = {**self.pack, **self.carried, **self.db}
        return list(merged.values())

    def named(self, name: str) -> list[Article]:
        keys = _name_keys(name)
        return [a for a in self.everything() if keys & _name_keys(a.source)]


def _place(target: Target, library: Library, names: dict[str, str]) -> tuple[Target, Status, Article | None]:
    """Place one target: by its article's id when the text is known, else by name and quote."""
    if not target.source:
        article = library.get(target.article_id)
        if article is not None:
            placed, anchor = reanchor(article.text, target)
            return placed, anchor, article
        named = library.named(names.get(target.article_id, ""))
        if named:  # another version of the article, known by the same file name or URL
            found = _best_by_quote(target, named)
            if found is not None:
                return found
            return replace(target, article_id=named[0].id), "orphaned", named[0]
        return target, "waiting", None
    named = library.named(target.source)
    found = _best_by_quote(target, named or library.everything())
    if found is not None:
        return found
    if named:
        return Target(named[0].id, target.position, target.quote), "orphaned", named[0]
    return target, "waiting", None


def _best_by_quote(target: Target, articles: Sequence[Article]) -> tuple[Target, Status, Article] | None:
    """The best place for `target`'s quote among `articles`, or None."""
    best: tuple[tuple[bool, float], Target, Anchor, Article] | None = None
    position = target.position if has_position(target) else None
    for article in articles:
        match = locate(article.text, target.quote, position)
        if match is None:
            continue
        rank = (match.anchor == "exact", match.score)
        if best is None or rank > best[0]:
            placed = describe_span(article.id, article.text, match.start, match.end)
            best = (rank, placed, match.anchor, article)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _newer(incoming: Annotation, existing: Annotation) -> bool:
    new, old = w3c.parse_datetime(incoming.modified), w3c.parse_datetime(existing.modified)
    if new is not None and old is not None:
        return new > old
    return incoming.modified > existing.modified


def _settle(annotation: Annotation, placed: list[tuple[Target, Status]]) -> Annotation:
    """The annotation with its placed targets and the anchor they add up to."""
    statuses = [status for _, status in placed]
    targets = tuple(target for target, _ in placed)
    known = [s for s in statuses if s != "waiting"]
    anchor: Anchor
    if "orphaned" in known or any(t.source for t in targets):
        anchor = "orphaned"  # a target no text holds, or one we can't even find the article of
    elif "moved" in known:
        anchor = "moved"
    elif known:
        anchor = "moved" if annotation.anchor == "moved" else "exact"
    else:
        anchor = annotation.anchor
    if targets == annotation.targets and anchor == annotation.anchor:
        return annotation
    return replace(annotation, targets=targets, anchor=anchor)


def import_files(
    store: Any, paths: Sequence[str | Path], pack_folder: Path | None = None
) -> list[FileReport]:
    """Import export files into `store`, all or nothing; what each did.

    Every file is read and checked first (a bad one raises a UserError and nothing is
    written). An annotation whose id is already in the database is replaced only by a copy
    modified later; importing the same file twice changes nothing, not even the file's bytes.
    """
    parsed = [read_file(path) for path in paths]
    return apply(store, parsed, pack_folder)


def apply(store: Any, parsed: Sequence[ParsedFile], pack_folder: Path | None = None) -> list[FileReport]:
    """Merge already-checked files into `store` in one transaction."""
    reports: list[FileReport] = []
    with store.transaction():
        library = Library(store.articles(), pack_folder)
        existing = {a.id: a for a in store.annotations()}
        articles_to_add: dict[str, Article] = {}
        to_save: dict[str, Annotation] = {}
        for file in parsed:
            report = FileReport(file.path, file.format, skipped=list(file.skipped))
            reports.append(report)
            library.carried.update(file.articles)
            used = {t.article_id for a in file.annotations for t in a.targets}
            for article in file.articles.values():  # in the file's order
                if article.id in used and article.id not in library.db and article.id not in articles_to_add:
                    articles_to_add[article.id] = article
                    report.articles_added += 1
            for annotation in file.annotations:
                old = existing.get(annotation.id)
                if old is not None and (old == annotation or not _newer(annotation, old)):
                    report.unchanged += 1
                    continue
                placed: list[tuple[Target, Status]] = []
                waits_for: set[str] = set()
                for target in annotation.targets:
                    new_target, status, article = _place(target, library, file.names)
                    placed.append((new_target, status))
                    if status == "waiting":
                        waits_for.add(target.source or file.names.get(target.article_id) or target.article_id)
                    if article is not None and article.id not in library.db and article.id not in articles_to_add:
                        articles_to_add[article.id] = article
                        report.articles_added += 1
                settled = _settle(annotation, placed)
                if old is not None and settled == old:
                    report.unchanged += 1
                    continue
                for name in waits_for:
                    report.waiting[name] = report.waiting.get(name, 0) + 1
                if old is None:
                    report.added += 1
                else:
                    report.updated += 1
                if settled.anchor == "moved" and any(s == "moved" for _, s in placed):
                    report.moved += 1
                if any(s == "orphaned" for _, s in placed):
                    report.orphaned += 1
                existing[settled.id] = settled
                to_save[settled.id] = settled
        if articles_to_add or to_save:
            store.put_many(articles_to_add.values(), to_save.values())
    return reports
