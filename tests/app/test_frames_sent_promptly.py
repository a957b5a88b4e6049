"""The app's event loop hands Python's lock to Textual's writer thread within a millisecond,
not Python's 5 ms: a frame reaches the terminal while the work queued behind it goes on."""

from __future__ import annotations

import sys

import pytest

from reader.app import FRAME_SWITCH_INTERVAL, PresscheckApp


@pytest.fixture
def python_default_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield
    sys.setswitchinterval(before)


def test_the_app_lowers_the_switch_interval(python_default_interval) -> None:
    PresscheckApp()
    assert sys.getswitchinterval() <= FRAME_SWITCH_INTERVAL <= 0.001


def test_a_lower_interval_set_before_is_kept(python_default_interval) -> None:
    sys.setswitchinterval(0.0002)
    PresscheckApp()
    assert sys.getswitchinterval() < 0.0003  # kept: stored in whole microseconds
