"""Shared by every stage: where schema/ and templates/ are, in a repository checkout or in an installed package."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent        # lkjip/ (this file is lkjip/base/resources.py)
_REPO = _PACKAGE.parent
# An installed wheel carries the top-level schema/ and templates/ as lkjip/data/schema and lkjip/data/templates
# (pyproject.toml maps them at build time); a checkout has them beside the package.
_INSTALLED = _PACKAGE / "data"


def resource_dir(name: str) -> Path:
    """The folder `name` ("schema" or "templates"): installed package data first, else the repository's."""
    installed = _INSTALLED / name
    return installed if installed.is_dir() else _REPO / name


SCHEMA_DIR = resource_dir("schema")
TEMPLATES_DIR = resource_dir("templates")
