"""One line on a stored record that does not read: its key, its id, what is wrong, every
character from the file made safe to show. No UI."""

from __future__ import annotations

from typing import Any

from reader.snapshot import is_record_key


def shown_key(key: str) -> str:
    """A record's key for a message: shortened when it is not a sane record number."""
    if is_record_key(key):
        return key
    from reader.ingest.sanitize import display_line

    return display_line(key[:12]) + f"… ({len(key)} characters)" if len(key) > 12 else display_line(key)


def problem_line(what: str, doc_id: str, record: Any, error: Exception) -> str:
    """One line on a record that does not read: its key, its id when it has one, and what
    is wrong (shortened, control characters from the file made visible)."""
    from reader.ingest.sanitize import display_line

    name = record.get("id") if isinstance(record, dict) else None
    if isinstance(name, str) and name:
        what = f"{what} {doc_id} (id {name[:40]}{'…' if len(name) > 40 else ''})"
    else:
        what = f"{what} {doc_id}"
    if isinstance(error, KeyError):
        reason = f"no {error.args[0]!r} field" if error.args else "a field is missing"
    else:
        reason = str(error) or type(error).__name__
    reason = " ".join(reason.split())
    if len(reason) > 160:
        reason = reason[:159] + "…"
    return display_line(f"{what}: {reason}")
