"""ARCHITECTURE.md stays true: every module under reader/ is in its code map, every module
it names exists, and no module grows past 500 lines."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAX_LINES = 500


def modules() -> set[str]:
    return {p.relative_to(REPO).as_posix() for p in (REPO / "reader").rglob("*.py")}


def named_in_the_map() -> set[str]:
    text = (REPO / "ARCHITECTURE.md").read_text("utf-8")
    return set(re.findall(r"`(reader/[\w/]+\.py)`", text))


def test_every_module_is_in_the_code_map():
    missing = sorted(modules() - named_in_the_map())
    assert not missing, f"add to ARCHITECTURE.md's code map: {missing}"


def test_every_module_the_map_names_exists():
    gone = sorted(named_in_the_map() - modules())
    assert not gone, f"ARCHITECTURE.md names modules that no longer exist: {gone}"


def test_no_module_is_over_500_lines():
    long = {m: n for m in sorted(modules()) if (n := len((REPO / m).read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these along what they hold: {long}"
