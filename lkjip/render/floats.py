"""A landscape figure floats past the portrait tables right after it, as in print: the figure starts a new (turned)
page, and the tables it would have pushed onto the pages after it fill the page before it instead (an org chart
after a short list, followed by the table of its officials, no longer leaves a nearly empty page). Only tables move
ahead of it: tables and figures are numbered separately, so no number changes, and no text is reordered. Applied to
the plan's outline, so the DOCX and the Markdown rendition show the same order."""
from __future__ import annotations

from .directives import PATTERN as DIRECTIVE
from .mdparse import parse


def _blocks(markdown: str) -> list[tuple[int, int, tuple | None]]:
    """Top-level blocks as (first line, end line, (directive kind, args) or None)."""
    out = []
    for tok in parse(markdown):
        if tok.level == 0 and tok.map and not tok.type.endswith("_close") and tok.type != "inline":
            match = DIRECTIVE.search(tok.content) if tok.type == "html_block" else None
            out.append((tok.map[0], tok.map[1], (match.group(1), match.group(2)) if match else None))
    return out


def float_landscape_figures(markdown: str, specs: dict) -> str:
    """The outline with each landscape figure moved after the portrait tables that directly follow it; the text
    itself unchanged when nothing moves."""
    blocks = _blocks(markdown)

    def kind(block) -> str | None:
        found = block[2]
        spec = specs.get(found) if found else None
        if spec is None:
            return None
        return f"{found[0]}-{'landscape' if getattr(spec, 'landscape', False) else 'portrait'}"
    order, i, moved = list(range(len(blocks))), 0, False
    while i < len(order):
        if kind(blocks[order[i]]) != "gambar-landscape":
            i += 1
            continue
        j = i + 1
        while j < len(order) and kind(blocks[order[j]]) == "tabel-portrait":
            j += 1
        if j > i + 1:
            order[i:j] = order[i + 1:j] + [order[i]]
            moved = True
        i = j
    if not moved:
        return markdown
    lines = markdown.split("\n")
    head = "\n".join(lines[:blocks[0][0]])
    body = ["\n".join(lines[blocks[k][0]:blocks[k][1]]) for k in order]
    tail = "\n".join(lines[blocks[-1][1]:])
    return "\n\n".join(part for part in (head, *body) if part) + ("\n" + tail if tail else "\n")
