"""Fixtures of the `presscheck serve` tests (the helpers are in serve_helpers.py)."""

from serve_helpers import chromium, serve  # noqa: F401 - fixtures, found here by pytest
