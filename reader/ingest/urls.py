"""What counts as an address to fetch, and how long a fetch may take. No UI, and none of
the HTTP machinery (reader.ingest.fetch), so that opening local files never loads it."""

from __future__ import annotations

import os

DEFAULT_TIMEOUT = 10.0
"""Seconds a fetch may take in all (connecting, waiting and reading); the environment
variable PRESSCHECK_FETCH_TIMEOUT changes it."""


def is_url(text: str) -> bool:
    """True for an http:// or https:// address."""
    return text.lower().startswith(("http://", "https://"))


def fetch_timeout() -> float:
    """The fetch timeout in seconds: PRESSCHECK_FETCH_TIMEOUT, else DEFAULT_TIMEOUT."""
    raw = os.environ.get("PRESSCHECK_FETCH_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT
