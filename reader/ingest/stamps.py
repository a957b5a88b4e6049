"""Files read before, known by their stat. No UI.

Reopening an article the database holds used to read the file and hash all of it to find
the article by its bytes' sha256: 5 MB read and hashed before the first frame. The
database now also keeps each file's stamp (size, modification time, inode) with the sha256
of the bytes read then; a file whose stamp is unchanged is not read again.

A stamp is trusted only when the file had not been modified for STABLE_NS before it was
recorded: a file still being written could change again within the filesystem's clock
tick and keep its stamp (git's "racily clean" entries). Such a file is read and hashed
again next time, and its stamp recorded anew. Like any stat cache, a file rewritten with
its old size, modification time and inode restored on purpose is taken as unchanged.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from reader.model import Article

STAMPS_KEY = "file_stamps"
"""The meta record that holds the stamps: {absolute path: [size, mtime_ns, inode, raw
sha256, when recorded (ns)]}."""
STABLE_NS = 2_000_000_000


def _key(path: Path) -> str:
    return os.path.abspath(path)


class FileStamps:
    # a plain class: start-up pays ~1 ms for each dataclass it defines

    def __init__(self, records: dict[str, list[Any]] | None = None) -> None:
        self.records = records if records is not None else {}
        self.changed = False
        """True when a stamp was added or renewed: the caller saves `records`."""

    @classmethod
    def from_meta(cls, value: object) -> FileStamps:
        """The stamps a database holds; a record that is not well formed (a hand-edited
        file) is dropped, which only means that file is read again."""
        records: dict[str, list[Any]] = {}
        if isinstance(value, dict):
            for path, record in value.items():
                if (
                    isinstance(path, str)
                    and isinstance(record, list)
                    and len(record) == 5
                    and all(isinstance(n, int) and not isinstance(n, bool) for n in record[:3] + record[4:])
                    and isinstance(record[3], str)
                ):
                    records[path] = record
        return cls(records)

    def sha_of(self, path: Path, stat: os.stat_result) -> str | None:
        """The sha256 of the file's bytes when its stamp is unchanged and trusted."""
        record = self.records.get(_key(path))
        if record is None:
            return None
        size, mtime_ns, inode, raw_sha256, recorded_ns = record
        if (size, mtime_ns, inode) != (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            return None
        if recorded_ns - mtime_ns < STABLE_NS:
            return None  # recorded while the file may still have been changing
        return str(raw_sha256)

    def note(self, path: Path, stat: os.stat_result, raw_sha256: str) -> None:
        """Record the stamp `stat` of a file just read, whose bytes hash to `raw_sha256`."""
        if self.sha_of(path, stat) == raw_sha256:
            return  # already known and trusted
        self.records[_key(path)] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, raw_sha256, time.time_ns()]
        self.changed = True


class KnownArticles:
    """The articles a database holds, by the sha256 of the bytes they were read from
    (callable as `reader.ingest.sources.Known`), and the stamps of the files read."""

    def __init__(self, by_raw: dict[str, Article], stamps: FileStamps) -> None:
        self.by_raw = by_raw
        self.stamps = stamps

    def __call__(self, raw_sha256: str) -> Article | None:
        return self.by_raw.get(raw_sha256)
