"""Reading import files: native presscheck exports, W3C JSON-LD and Hypothesis's API JSON,
checked whole before anything is done with them; this is the one place that decides a
file's format. No UI.

A bad file (not JSON, the wrong shape, a newer schema, truncated, too big, nested too
deep) raises one line naming it; a good one becomes a `ParsedFile`, which
`reader.export.importing` applies to a database and `reader.classroom.submissions` places
on an exercise's articles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jsonschema
import orjson

from reader.errors import UserError
from reader.export import hypothesis, json_format, w3c, w3c_reading
from reader.model import MAX_POSITION, SCHEMA_VERSION, Annotation, Article

MAX_IMPORT_BYTES = 32 * 1024 * 1024
"""Larger files are refused before they are read (a class's exports are far smaller)."""

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""`MIGRATIONS[n]` turns a native export of schema_version n into one of n + 1."""


class ImportFileError(UserError):
    """An import file that cannot be read; the message names it."""


@dataclass
class ParsedFile:
    """What one import file holds, checked but not yet applied."""

    path: Path
    format: Literal["json", "w3c", "hypothesis"]
    annotations: list[Annotation]
    articles: dict[str, Article] = field(default_factory=dict)
    """Articles the file carries with their text, by id."""
    names: dict[str, str] = field(default_factory=dict)
    """Article id → the file name or URL the export knew it by (for articles without text)."""
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the import should say about how it read the file (how kinds were chosen)."""


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
        if w3c_reading.is_w3c(data):
            return _parse_w3c(data, path)
        if hypothesis.is_api(data):
            return _parse_hypothesis(data, path)
    except RecursionError:
        raise ImportFileError(f"{path}: nested too deeply to be {what}") from None
    raise ImportFileError(
        f"{path}: valid JSON but neither a presscheck export nor W3C Web Annotation JSON-LD nor "
        f"Hypothesis API JSON; expected {what}"
    )


_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
_ANCHORS = ("exact", "moved", "orphaned")


def _plain_annotation(record: Any, checker: jsonschema.FormatChecker) -> Annotation | None:
    """The annotation an export's record is, when it is valid without walking the schema: it is
    exactly what presscheck writes for the annotation it reads as (keys, order of
    selectors, types), and the values the model takes as they come meet the schema's
    formats, patterns and bounds. None for anything else: it gets the schema's full check."""
    if not isinstance(record, dict):
        return None
    try:
        annotation = Annotation.from_dict(record)
        if annotation.to_dict() != record:
            return None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if record["anchor"] not in _ANCHORS or not checker.conforms(record["id"], "uuid"):
        return None
    if not (checker.conforms(record["created"], "date-time") and checker.conforms(record["modified"], "date-time")):
        return None
    for target in record["targets"]:
        position, quote = target["selectors"]
        if not _ARTICLE_ID.fullmatch(target["article_id"]):
            return None
        if not all(type(position[key]) is int and position[key] >= 0 for key in ("start", "end")):
            return None
        if not quote["exact"] or len(quote["prefix"]) > 32 or len(quote["suffix"]) > 32:
            return None
    return annotation


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
    plain: dict[int, Annotation] = {}
    """The records read as they were checked, by position (not read twice)."""
    if isinstance(annotations, list):
        for i, record in enumerate(annotations):
            annotation = _plain_annotation(record, checker)
            if annotation is None:
                positions.append(i)
            else:
                plain[i] = annotation
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
            annotation = plain.get(number - 1) or Annotation.from_dict(record)
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
        annotations, skipped = w3c_reading.read_annotations(data)
    except w3c_reading.W3CFormatError as error:
        raise ImportFileError(
            f"{path}: not W3C Web Annotation that presscheck can read ({_one_line(str(error))})"
        ) from None
    except orjson.JSONEncodeError:
        raise ImportFileError(f"{path}: an annotation without an id is nested too deeply") from None
    parsed = _checked(ParsedFile(path, "w3c", annotations, skipped=skipped))
    if hypothesis.is_jsonld(data):
        parsed.skipped = hypothesis.read_jsonld_skips(skipped)
        parsed.notes.append(hypothesis.kind_summary(annotations))
    return parsed


def _parse_hypothesis(data: Any, path: Path) -> ParsedFile:
    try:
        annotations, skipped = hypothesis.read_api(data)
    except hypothesis.HypothesisFormatError as error:
        raise ImportFileError(
            f"{path}: not Hypothesis API JSON that presscheck can read ({_one_line(str(error))})"
        ) from None
    parsed = _checked(ParsedFile(path, "hypothesis", annotations, skipped=skipped))
    parsed.notes.append(hypothesis.kind_summary(annotations))
    return parsed


def _checked(parsed: ParsedFile) -> ParsedFile:
    """`parsed`, once no id appears twice and no position is past what a record may hold."""
    path, annotations = parsed.path, parsed.annotations
    seen: set[str] = set()
    for annotation in annotations:
        if annotation.id in seen:
            raise ImportFileError(f"{path}: annotation id {_iri(annotation)} appears twice")
        seen.add(annotation.id)
        if any(target.end > MAX_POSITION for target in annotation.targets):
            # stored, it would be a damaged record (see Annotation.from_dict): refuse it here
            raise ImportFileError(
                f"{path}: annotation {_iri(annotation)} has a position over 2^53"
            )
    return parsed


def _iri(annotation: Annotation) -> str:
    """How an error names an annotation: the IRI its file gave it (on one line)."""
    return _one_line(annotation.canonical, 100) if annotation.canonical else w3c.annotation_iri(annotation.id)
