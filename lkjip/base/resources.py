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

# The outlines (Jinja2 templates of Markdown with directives) of the documents the tool writes.
OUTLINE = TEMPLATES_DIR / "lkjip.md.j2"                # the LKjIP
PK_OUTLINE = TEMPLATES_DIR / "pk.md.j2"                # the Perjanjian Kinerja as its own document (build.py pk)
QUARTER_OUTLINE = TEMPLATES_DIR / "triwulan.md.j2"     # quarterly monitoring (build.py triwulan N)
