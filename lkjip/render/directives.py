"""Render stage helper: lkjip directives are recognised only where the outline template wrote them.

The outline's `<!-- lkjip:NAME ARGS -->` comments are marked with a token drawn afresh in every process before
the template is rendered; content values and prose cannot know it, so a directive typed in content or prose is
an ordinary comment (and `check` reports it). The token never reaches an output: directives are consumed.
"""
from __future__ import annotations

import re
import secrets

TOKEN = secrets.token_hex(8)
PATTERN = re.compile(rf"<!--\s*lkjip@{TOKEN}:(\S+)\s*(.*?)\s*-->", re.DOTALL)
LOOKALIKE = re.compile(r"<!--\s*lkjip\S*:", re.IGNORECASE)      # what an editor might type
# How the outline marks a missing mandatory prose section (render/prose.py prints it, nilai looks for it).
MISSING_PROSE = "[Bagian ini belum diisi"


def mark(template_text: str) -> str:
    """The outline template with its directives marked as genuine."""
    return re.sub(r"<!--\s*lkjip:", f"<!-- lkjip@{TOKEN}:", template_text)
