"""Render-stage helper: plain text of a DOCX (paragraphs and table rows), for `git diff` textconv."""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    lines = []
    for block in root.find(W + "body"):
        if block.tag == W + "p":
            lines.append("".join(t.text or "" for t in block.iter(W + "t")))
        elif block.tag == W + "tbl":
            for row in block.iter(W + "tr"):
                cells = ["".join(t.text or "" for t in tc.iter(W + "t")) for tc in row.iter(W + "tc")]
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"
