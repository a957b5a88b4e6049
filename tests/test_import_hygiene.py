"""Domain code works without the UI: checked statically and in a fresh interpreter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOMAIN = [
    "reader.model",
    "reader.store",
    "reader.anchoring",
    "reader.sentences",
    "reader.ingest",
    "reader.export",
    "reader.export.json_format",
    "reader.export.w3c",
    "reader.export.csv_format",
    "reader.export.markdown",
    "reader.export.importing",
    "reader.classroom.pack",
    "reader.history",
    "reader.maintenance",
    "reader.launch",
    "reader.cli",
]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_loads_no_ui(module):
    code = (
        f"import sys, {module}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
