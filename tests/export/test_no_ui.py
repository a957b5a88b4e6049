"""The export and import modules load no UI (the CLI and tests use them without a terminal)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["reader.export", "reader.export.w3c", "reader.export.csv_format", "reader.export.markdown",
           "reader.export.importing", "reader.anchoring"]


@pytest.mark.parametrize("module", MODULES)
def test_module_loads_no_textual_or_rich(module):
    code = (
        f"import sys, {module}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
