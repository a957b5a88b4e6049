"""Driving an app under test with Textual's Pilot: `settle` lets it finish what a key started.

Tests `from pilots import settle`: tests/conftest.py puts tests/support on sys.path.
"""

from __future__ import annotations

from textual.pilot import Pilot


async def settle(pilot: Pilot, seconds: float | None = None) -> None:
    """Let the app handle what is queued (after `seconds` more, if given), wait for every
    worker it started (saves, loads) to finish, then for the screen to show the result."""
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
