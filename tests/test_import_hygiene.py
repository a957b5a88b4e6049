"""Domain code works without the UI, and imports point one way: checked statically and in a
fresh interpreter."""

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
    "reader.export.reading",
    "reader.export.importing",
    "reader.placing",
    "reader.classroom.pack",
    "reader.classroom.pack_check",
    "reader.classroom.pack_create",
    "reader.classroom.compare",
    "reader.classroom.report_formats",
    "reader.classroom.class_view",
    "reader.history",
    "reader.maintenance",
    "reader.launch",
    "reader.workspace",
    "reader.save_queue",
    "reader.journal",
    "reader.snapshot",
    "reader.durable_storage",
    "reader.atomic_write",
    "reader.safe_output",
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


@pytest.fixture(scope="module")
def import_graph():
    import grimp

    return grimp.build_graph("reader", cache_dir=None)  # imports inside functions count too


def test_no_module_reaches_itself_through_its_imports(import_graph):
    """No import circle: for every import a -> b, no chain leads from b back to a (a package's
    `__init__` counts as a module of its own)."""
    circles = set()
    for module in import_graph.modules:
        for imported in import_graph.find_modules_directly_imported_by(module):
            chain = import_graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                circles.add(" -> ".join((module, *chain)))
    assert not circles, "import circles:\n" + "\n".join(sorted(circles))


def test_classroom_builds_on_export_and_both_on_placing(import_graph):
    """Packages point one way: classroom reads exports, both place annotations with
    `reader.placing`; export knows nothing of exercise packs."""
    illegal = import_graph.find_illegal_dependencies_for_layers(
        layers=("reader.classroom", "reader.export", "reader.placing")
    )
    assert not illegal, [(d.importer, d.imported, d.routes) for d in illegal]
