"""An independent reader of presscheck's database files (the stdlib `json` parser, none of
reader.store's code): the snapshot, with the changes of its journal applied.

Tests use it to check what is really on disk after kills, failures and concurrent writers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def read_database(db: Path) -> dict[str, dict[str, Any]]:
    """The tables as a presscheck opening `db` would see them (raises ValueError when the
    files do not parse)."""
    data = json.loads(db.read_bytes())
    if not isinstance(data, dict):
        raise ValueError(f"top level is {type(data).__name__}")
    generation = next(
        (r.get("value") for r in data.get("meta", {}).values() if r.get("key") == "journal_generation"),
        None,
    )
    try:
        raw = journal_of(db).read_bytes()
    except FileNotFoundError:
        return data
    lines = raw.split(b"\n")[:-1]  # a last line without its newline was torn by a kill
    if not lines or json.loads(lines[0]).get("generation") != generation:
        return data  # a journal of an older snapshot: already folded in
    for number, line in enumerate(lines[1:], start=2):
        try:
            change = json.loads(line)
        except ValueError:
            if number == len(lines):
                break  # a damaged last line: never acknowledged
            raise
        table = data.setdefault(change["t"], {})
        if change["d"] is None:
            table.pop(change["k"], None)
        else:
            table[change["k"]] = change["d"]
    return data


def database_bytes(db: Path) -> tuple[bytes, bytes | None]:
    """Both files' bytes, to show that a failed or refused save changed nothing."""
    journal = journal_of(db)
    return db.read_bytes(), journal.read_bytes() if journal.exists() else None
