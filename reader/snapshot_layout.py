"""How a snapshot is laid out on disk, and the index beside it that lets a reader take only
the part it needs. No UI.

The snapshot stays one TinyDB JSON file, indented, readable by hand and by TinyDB. What
presscheck adds is the order inside it and an index: an article's annotations are written
next to each other (grouped by the article of their first target), and
`annotations.json.index` says where each table and each article's run of annotations
starts and ends in the file. Opening two articles of a database of 100,000 annotations
then reads the small `meta` and `articles` tables and two runs of a few kilobytes,
never the whole file.

The index names the snapshot it describes by its generation and by the size and
modification time the file had when written (not its inode: a copy that keeps the
modification time, `cp -p` or a backup tool, keeps its index). It is written after the snapshot is
in place, so a kill between the two, a hand edit or a `db recover` leaves an index that
does not match: the reader then parses the whole file (correct, only slower), and the
next compaction writes both again. An annotation that touches two articles is read with
either: its record sits in its first article's run, and the other article's entry lists
its own range. Records that name no article (damaged ones) are listed apart and read
with every run, so that they are always reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

import orjson

from reader.records import FROM_FACTORY, record
from reader.snapshot import GENERATION_KEY, Tables, is_record_key

Range = tuple[int, int]
INDEX_SUFFIX = ".index"
INDEX_FORMAT = 1
_RECORD_INDENT = b"\n    "


def index_path(path: Path) -> Path:
    """The index of the database file `path`, beside it."""
    return path.with_name(path.name + INDEX_SUFFIX)


def touched_articles(record: Any) -> list[str]:
    """The article ids an annotation record's targets name, first target first, each once;
    empty for a record that names none (a damaged one)."""
    if not isinstance(record, dict) or not isinstance(record.get("targets"), list):
        return []
    found: list[str] = []
    for target in record["targets"]:
        article = target.get("article_id") if isinstance(target, dict) else None
        if isinstance(article, str) and article and article not in found:
            found.append(article)
    return found


@record()
class Index:
    """Where the parts of one snapshot lie in its file."""

    generation: str | None
    snapshot: tuple[int, int] = (0, 0)
    """(size, modification time in ns) of the file it describes."""
    tables: dict[str, Range] = field(default_factory=dict)
    """The tables read whole (`meta`, `articles`, …): the range of their records."""
    runs: dict[str, Range] = field(default_factory=dict)
    """Article id → the range of the annotation records whose first target is on it."""
    shared: dict[str, list[Range]] = field(default_factory=dict)
    """Article id → ranges of single records in other articles' runs that also touch it."""
    unplaced: list[Range] = field(default_factory=list)
    """Annotation records that name no article, or whose key is not a record number."""
    next_annotation: int = 1
    """One past the largest annotation record number."""
    counts: dict[str, int] = field(default_factory=dict)
    """Article id → how many annotations touch it."""

    def __init__(
        self, generation: str | None, snapshot: tuple[int, int] = (0, 0),
        tables: dict[str, Range] = FROM_FACTORY, runs: dict[str, Range] = FROM_FACTORY,
        shared: dict[str, list[Range]] = FROM_FACTORY, unplaced: list[Range] = FROM_FACTORY,
        next_annotation: int = 1, counts: dict[str, int] = FROM_FACTORY
    ) -> None:
        self.generation = generation
        self.snapshot = snapshot
        self.tables = {} if tables is FROM_FACTORY else tables
        self.runs = {} if runs is FROM_FACTORY else runs
        self.shared = {} if shared is FROM_FACTORY else shared
        self.unplaced = [] if unplaced is FROM_FACTORY else unplaced
        self.next_annotation = next_annotation
        self.counts = {} if counts is FROM_FACTORY else counts

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "index": INDEX_FORMAT,
            "generation": self.generation,
            "snapshot": list(self.snapshot),
            "tables": self.tables,
            "runs": self.runs,
            "shared": self.shared,
            "unplaced": self.unplaced,
            "next_annotation": self.next_annotation,
            "counts": self.counts,
        }) + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Index | None:
        """The index in `raw`; None when it is not one presscheck wrote (it is then ignored)."""
        try:
            data = orjson.loads(raw)
            if not isinstance(data, dict) or data.get("index") != INDEX_FORMAT:
                return None
            index = cls(
                generation=data["generation"],
                snapshot=tuple(int(x) for x in data["snapshot"]),  # type: ignore[arg-type]
                tables={str(k): _range(v) for k, v in data["tables"].items()},
                runs={str(k): _range(v) for k, v in data["runs"].items()},
                shared={str(k): [_range(r) for r in v] for k, v in data["shared"].items()},
                unplaced=[_range(r) for r in data["unplaced"]],
                next_annotation=int(data["next_annotation"]),
                counts={str(k): int(v) for k, v in data["counts"].items()},
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            return None
        if len(index.snapshot) != 2 or not (index.generation is None or isinstance(index.generation, str)):
            return None
        return index


def _range(value: Any) -> Range:
    start, end = value
    if not (type(start) is int and type(end) is int and 0 <= start <= end):
        raise ValueError("not a range")
    return start, end


def _record_bytes(doc_id: str, record: Any) -> bytes:
    body = orjson.dumps(record, option=orjson.OPT_INDENT_2).replace(b"\n", _RECORD_INDENT)
    return b"    " + orjson.dumps(doc_id) + b": " + body


Encoded = dict[str, tuple[Any, bytes, list[str]]]
"""Annotation records encoded ahead, by key: (the record, its bytes in the file, the
articles it touches). A bulk change (an import of 100,000) encodes each record as it makes
it, while it is in the processor's cache: laying them out afterwards read 150 MB of
records again, from memory, and that made the work grow faster than the records."""


def encoded_record(key: str, record: Any) -> tuple[Any, bytes, list[str]]:
    """One entry of `Encoded`."""
    return record, _record_bytes(key, record), touched_articles(record)


def _grouped(records: dict[str, Any], encoded: Encoded) -> Iterator[tuple[str | None, str, Any, bytes | None, list[str]]]:
    """(first article or None, key, record, its bytes when encoded ahead, the articles it
    touches) with each article's records together, in the order the articles first appear."""
    groups: dict[str | None, list[tuple[str, Any, bytes | None, list[str]]]] = {}
    for key, record in records.items():
        ahead = encoded.get(key)
        if ahead is not None and ahead[0] is record:
            blob, touched = ahead[1], ahead[2]
        else:
            blob, touched = None, touched_articles(record) if is_record_key(key) else []
        groups.setdefault(touched[0] if touched else None, []).append((key, record, blob, touched))
    for article, members in groups.items():
        for key, record, blob, touched in members:
            yield article, key, record, blob, touched


CHUNK = 1 << 20
"""How many bytes a snapshot is written (or copied) in at a time."""


class Layout:
    """A snapshot file being put together, table by table, record by record (or a run of
    records copied whole from an older file), with the index of where each one lands."""

    def __init__(self, data: Tables) -> None:
        self.parts: list[bytes | tuple[int, int, int]] = [b"{"]
        """Bytes, or (file descriptor, start, end) of bytes to copy from an older file."""
        self.size = 1
        self.index = Index(generation=None)
        for record in data.get("meta", {}).values():
            if isinstance(record, dict) and record.get("key") == GENERATION_KEY:
                self.index.generation = record.get("value")
        self._tables = 0
        self._records = 0
        self._start = 0

    def _add(self, blob: bytes | tuple[int, int, int]) -> int:
        """Append `blob` (records, or where to copy them from) after the separator, and
        return where it starts."""
        separator = b",\n" if self._records else b"\n"
        self._records += 1
        length = len(blob) if isinstance(blob, bytes) else blob[2] - blob[1]
        if isinstance(blob, bytes):
            self.parts.append(separator + blob)
        else:
            self.parts += [separator, blob]
        start = self.size + len(separator)
        self.size += len(separator) + length
        return start

    def open_table(self, name: str) -> None:
        head = (b"," if self._tables else b"") + b"\n  " + orjson.dumps(name) + b": {"
        self._tables += 1
        self._records = 0
        self.parts.append(head)
        self.size += len(head)
        self._start = self.size + 1

    def close_table(self, name: str) -> None:
        if not self._records:
            self.parts.append(b"}")
            self.size += 1
            return
        if name != "annotations":
            self.index.tables[name] = (self._start, self.size)
        self.parts.append(b"\n  }")
        self.size += 4

    def record(self, key: str, record: Any) -> Range:
        start = self._add(_record_bytes(key, record))
        return start, self.size

    def annotation(self, article: str | None, key: str, record: Any, blob: bytes | None = None,
                   touched: list[str] | None = None) -> None:
        """An annotation record (its bytes and the articles it touches, when known), in its
        first article's run (or with the unplaced ones)."""
        start = self._add(_record_bytes(key, record) if blob is None else blob)
        if touched is None:
            touched = touched_articles(record) if article else []
        self.place(article, (start, self.size), touched if article else [])

    def copied_run(self, article: str, fd: int, where: Range) -> Range:
        """An article's whole run of records, copied when written from the file `fd` (an
        older file of this layout) at `where`."""
        start = self._add((fd, *where))
        self.index.runs[article] = (start, self.size)
        return start, self.size

    def place(self, article: str | None, here: Range, touched: list[str]) -> None:
        index = self.index
        if article is None:
            if index.unplaced and index.unplaced[-1][1] + 2 == here[0]:
                index.unplaced[-1] = (index.unplaced[-1][0], here[1])
            else:
                index.unplaced.append(here)
            return
        # an article's own records are written one after another: one range for all
        own = index.runs.get(article)
        index.runs[article] = (own[0] if own else here[0], here[1])
        for other in touched[1:]:
            index.shared.setdefault(other, []).append(here)
        for article_id in touched:
            index.counts[article_id] = index.counts.get(article_id, 0) + 1

    def pieces(self) -> Iterator[bytes]:
        """The file, piece by piece: records joined a megabyte at a time, the copied runs
        read a megabyte at a time (a fold of a big file never holds it whole in memory)."""
        self.parts.append(b"\n}\n" if self._tables else b"}\n")
        batch: list[bytes] = []
        size = 0
        for part in self.parts:
            if isinstance(part, bytes):
                batch.append(part)
                size += len(part)
                if size >= CHUNK:
                    yield b"".join(batch)
                    batch, size = [], 0
                continue
            if batch:
                yield b"".join(batch)
                batch, size = [], 0
            fd, start, end = part
            while start < end:
                chunk = os.pread(fd, min(end - start, CHUNK), start)
                if not chunk:
                    raise OSError(f"the old snapshot ended {end - start} bytes early")
                yield chunk
                start += len(chunk)
        if batch:
            yield b"".join(batch)


def table_names(data: Tables) -> list[str]:
    """The order tables are written in: the small ones, then the annotations."""
    names = sorted(name for name in data if name != "annotations")
    return names + ["annotations"] if "annotations" in data else names


def next_annotation(records: dict[str, Any]) -> int:
    return 1 + max((int(key) for key in records if is_record_key(key)), default=0)


def lay_out(data: Tables, encoded: Encoded | None = None) -> tuple[Iterator[bytes], Index]:
    """The tables as a snapshot file (TinyDB's JSON, indented as orjson's OPT_INDENT_2
    indents it) with the annotations grouped by article, and the index of that file
    (without the file's `stat`, known once it is in place). The file comes in pieces, to
    be written one after the other: joined, a snapshot of 100,000 annotations was another
    120 MB in memory at once. `encoded`: annotation records encoded ahead (`Encoded`)."""
    layout = Layout(data)
    layout.index.next_annotation = next_annotation(data.get("annotations", {}))
    for name in table_names(data):
        layout.open_table(name)
        if name == "annotations":
            for article, key, record, blob, touched in _grouped(data[name], encoded or {}):
                layout.annotation(article, key, record, blob, touched)
        else:
            for key, record in data[name].items():
                layout.record(key, record)
        layout.close_table(name)
    return layout.pieces(), layout.index


def ranges_of(index: Index, article: str) -> list[Range]:
    """Where the records that touch `article` are: its own run, then its shared records."""
    own = index.runs.get(article)
    return ([own] if own else []) + index.shared.get(article, [])


def read_range(handle: Any, where: Range) -> dict[str, Any]:
    """The records in one range of a snapshot (`"key": {…}, …`), read from an open file."""
    start, end = where
    raw = os.pread(handle.fileno(), end - start, start)
    if len(raw) != end - start:
        raise ValueError("the file is shorter than its index says")
    records = orjson.loads(b"{" + raw + b"}")
    if not isinstance(records, dict) or not all(
        isinstance(key, str) and key.isdecimal() and isinstance(doc, dict) for key, doc in records.items()
    ):
        raise ValueError("not records")
    return records


def read_index(path: Path) -> Index | None:
    """The index beside the database file `path`, None when there is none that reads."""
    try:
        raw = index_path(path).read_bytes()
    except OSError:
        return None
    return Index.from_bytes(raw)


def write_index(path: Path, index: Index, mode: int) -> bool:
    """Write the index of the snapshot now at `path` (whole or not at all); an index that
    cannot be written is removed, so that no stale one is left to match by chance. Whether
    it was written."""
    from reader.atomic_write import write_atomically

    try:
        info = os.stat(path)
        index.snapshot = (info.st_size, info.st_mtime_ns)
        write_atomically(index_path(path), index.to_bytes(), mode)
    except OSError:
        remove_index(path)
        return False
    return True


def remove_index(path: Path) -> None:
    try:
        os.unlink(index_path(path))
    except OSError:
        pass
