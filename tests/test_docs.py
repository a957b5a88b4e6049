"""The README gets a person started and links to the reference, one page each in
`reader/docs/`; the links hold, every page is reachable, and the README's test command is
the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "reader" / "docs"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _links(page: Path) -> list[str]:
    return [t for t in LINK.findall(page.read_text("utf-8")) if not t.startswith(("http://", "https://", "#"))]


def test_every_relative_link_in_the_readme_and_the_docs_leads_to_a_file():
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    assert len(pages) >= 9
    broken = [(page.name, target) for page in pages for target in _links(page)
              if not (page.parent / target.split("#")[0]).exists()]
    assert broken == []


def test_every_reference_page_is_linked_from_the_readme():
    linked = {(ROOT / t).resolve() for t in _links(ROOT / "README.md")}
    assert {p.resolve() for p in DOCS.glob("*.md")} <= linked


def test_the_readme_stays_short_and_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme) < 12_000, "the reference goes in reader/docs/, one link away"
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[:2]
    assert commands[0].endswith(".venv/bin/presscheck")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci, "CI runs the README's test command exactly"


def test_the_reference_pages_ship_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"reader" = ["docs/*.md"]' in pyproject
