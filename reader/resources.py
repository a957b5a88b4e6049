"""Data folders that ship inside the package: the seed exercise and the stylesheets."""

from __future__ import annotations

import importlib
from pathlib import Path


def resource_folder(name: str) -> Path:
    """The folder `reader/<name>` of an installed package, or `<repo>/<name>` in a checkout.

    pyproject maps the repo's top-level `seeds/` and `styles/` into the wheel as
    `reader.seeds` and `reader.styles`; an editable install cannot map folders without an
    `__init__.py`, so there the checkout's own folder is used.
    """
    try:
        module = importlib.import_module(f"reader.{name}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name
    return Path(next(iter(module.__path__)))
