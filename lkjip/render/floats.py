"""A landscape figure floats past the portrait tables right after it, as in print: the figure starts a new (turned)
page, and the tables it would have pushed onto the pages after it fill the page before it instead (an org chart
after a short list, followed by the table of its officials, no longer leaves a nearly empty page). Only tables move
ahead of it: tables and figures are numbered separately, so no number changes, and no text is reordered. Applied to
the plan's outline, so the DOCX and the Markdown rendition show the same order. Directives stand on lines of their
own (templates/*.md.j2), so the outline is read line by line, not parsed."""
from __future__ import annotations

from .directives import PATTERN as DIRECTIVE


def _kind(line: str, specs: dict) -> str | None:
    """'gambar-landscape', 'tabel-portrait', ... for a directive line of a table or figure with a spec, else None."""
    match = DIRECTIVE.fullmatch(line.strip())
    spec = specs.get((match.group(1), match.group(2))) if match else None
    if spec is None:
        return None
    return f"{match.group(1)}-{'landscape' if getattr(spec, 'landscape', False) else 'portrait'}"


def float_landscape_figures(markdown: str, specs: dict) -> str:
    """The outline with each landscape figure moved after the portrait tables that directly follow it (blank lines
    between them only); the text itself unchanged when nothing moves."""
    lines = markdown.split("\n")
    out, i, moved = [], 0, False
    while i < len(lines):
        if _kind(lines[i], specs) != "gambar-landscape":
            out.append(lines[i])
            i += 1
            continue
        figure, j, tables = lines[i], i + 1, []
        while True:
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and _kind(lines[k], specs) == "tabel-portrait":
                tables.append(lines[k])
                j = k + 1
            else:
                break
        if tables:
            for table in tables:
                out += [table, ""]
            out.append(figure)
            moved = True
            i = j
        else:
            out.append(figure)
            i += 1
    return "\n".join(out) if moved else markdown
