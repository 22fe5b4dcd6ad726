"""Render stage: plain-text (Markdown) rendition of the report from the same outline, for diffs and pandoc."""
from __future__ import annotations

import re

from ..base.xmltext import clean
from . import signature
from .directives import PATTERN as DIRECTIVE
from .figures import figure_spec
from .mdparse import lone_image, parse
from .numbering import FIGURE, TABLE, Numbering
from .tables import TableSpec, build_table, header_grid


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(spec: TableSpec, number: str) -> str:
    ncols = len(spec.widths)
    labels = [""] * ncols
    for row in header_grid(spec.header, ncols):
        for c, cell, continues in row:
            for cc in range(c, c + cell.span):
                if not continues and cell.text not in labels[cc]:
                    labels[cc] = f"{labels[cc]} {cell.text}".strip()
    lines = [f"**Tabel {number} {spec.caption}**", "", "| " + " | ".join(_escape(l) for l in labels) + " |",
             "|" + "|".join("---:" if any(cells[min(i, len(cells) - 1)].align == "r" for cells, _b in spec.rows[:1]) else "---"
                            for i in range(ncols)) + "|"]
    for cells, bold in spec.rows:
        texts = []
        for cell in cells:
            texts.append(_escape(f"**{cell.text}**" if (bold or cell.bold) and cell.text not in ("", "-") else cell.text))
            texts.extend([""] * (cell.span - 1))
        lines.append("| " + " | ".join(texts) + " |")
    if spec.note:
        lines += ["", f"*{spec.note}*"]
    return "\n".join(lines)


def _captioned_prose(text: str, numbers: Numbering) -> str:
    """A prose section as written, each pipe table in it preceded by its caption number and each picture followed
    by its caption, numbered in document order as in the DOCX."""
    tokens = parse(clean(text))
    before, after = {}, {}
    for i, tok in enumerate(tokens):
        if tok.type == "table_open" and tok.map:
            before[tok.map[0]] = f"**{TABLE} {numbers.caption(TABLE)}**"
        elif tok.type == "paragraph_open" and tok.map and lone_image(tokens, i) is not None:
            after[tok.map[1] - 1] = f"*{FIGURE} {numbers.caption(FIGURE)} {lone_image(tokens, i).content.strip()}*"
    if not before and not after:
        return text
    out = []
    for n, line in enumerate(text.split("\n")):
        if n in before:
            out += ["", before[n], ""]
        out.append(line)
        if n in after:
            out += ["", after[n]]
    return "\n".join(out)


def rendition(markdown: str, report, specs: dict | None = None, prose: dict | None = None) -> str:
    """Replace lkjip directives by Markdown equivalents; tables and figures numbered as in the DOCX (one
    Numbering, pipe tables in prose included); prose sections inserted."""
    specs = specs or {}
    prose = prose or {}
    numbers = Numbering()

    def spec(kind, args):
        if (kind, args) not in specs:
            specs[(kind, args)] = build_table(args, report) if kind == "tabel" else figure_spec(args, report)
        return specs[(kind, args)]

    def replace(match):
        name, args = match.group(1), match.group(2)
        if name == "bagian":
            numbers.section_directive(args)
            parts = args.split()
            return f"\n---\n\nBAB {parts[1]}\n" if parts[0] == "bab" else "\n---\n"
        if name == "prosa":
            return _captioned_prose(prose.get(args, "").strip("\n"), numbers)
        if name == "tabel":
            return "\n\n" + table_markdown(spec("tabel", args), numbers.caption(TABLE)) + "\n\n"
        if name == "gambar":
            return f"\n\n*{FIGURE} {numbers.caption(FIGURE)} {spec('gambar', args).caption}*\n\n"
        if name == "tanda-tangan":
            if args in ("pk", "pk-perubahan"):
                pk = report.pk_perubahan if args == "pk-perubahan" else report.pk
                rows = signature.agreement_rows(pk)
                return "\n\n".join(f"{l.strip() or ' '} | {r.strip() or ' '}" for l, r, _b in rows if (l + r).strip())
            block = signature.review_lines(report.reviu) if args == "reviu" else signature.report_lines(report)
            return "  \n".join("  \n" * gap + (f"**{t}**" if bold else t) for t, bold, gap in block)
        if name == "sampul":
            return (f"# {report.laporan['judul'].upper()} ({report.laporan['singkatan']}) TAHUN {report.tahun}\n\n"
                    f"{report.instansi['nama'].upper()}" + ("\n\n**DRAF**" if report.draf else ""))
        return ""

    return re.sub(r"\n{3,}", "\n\n", DIRECTIVE.sub(replace, markdown))
