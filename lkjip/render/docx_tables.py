"""DOCX writer, tables: a TableSpec (render/tables.py) as one w:tbl built as XML text, widths scaled to the text
area, header rows repeated and marked; pipe tables from prose; the borderless signature table. A mixin of
DocxWriter (render/docx_writer.py), which owns the document, the sections and the captions."""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..base.xmltext import clean
from . import ooxml
from .ooxml import escape
from .columns import fit_widths
from .page import TWIPS_PER_CM, text_width_cm
from .tables import Cell, TableSpec, header_grid

ROWS_PER_PARSE = 50


class TableWriter:
    """The table half of DocxWriter: needs self.doc, self.pages, self.landscape, self._style_ids, self.after_table,
    self.caption, self._add and self._ensure_orientation from it."""

    def table(self, spec: TableSpec):
        self._ensure_orientation(spec.landscape)
        self.caption(spec.caption)
        self._append_table(spec, "Tabel LKjIP" if spec.borders else "Tabel Tanpa Garis")
        if spec.note:
            self._add(spec.note, "Catatan Tabel")
        else:
            self.after_table = True

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def _cell_xml(self, cell: Cell, width: int, style: str, bold: bool, span: int = 1, vmerge: str | None = None) -> str:
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if vmerge:
            props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
        runs = ""
        if cell.text and vmerge != "continue":
            rpr = "<w:rPr><w:b/></w:rPr>" if bold or cell.bold else ""
            parts = escape(clean(cell.text)).split("\n")
            runs = f'<w:r>{rpr}' + "<w:br/>".join(f'<w:t xml:space="preserve">{part}</w:t>' for part in parts) + "</w:r>"
        return (f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{self._style_id(style)}"/></w:pPr>'
                f"{runs}</w:p></w:tc>")

    def _append_table(self, spec: TableSpec, table_style: str):
        """Build the whole w:tbl as one XML string (python-docx's per-element API is the slow path).
        Column widths from the content (render/columns.py): scaled to the text area, no number or code broken."""
        widths = [int(w * TWIPS_PER_CM) for w in fit_widths(spec, text_width_cm(self.pages[self.landscape]))]
        small = " Kecil" if spec.small else ""
        head_style = f"Kepala Tabel{small}"
        body_styles = {"l": f"Isi Tabel{small}", "r": f"Isi Tabel{small} Angka", "c": f"Isi Tabel{small} Tengah"}
        if spec.cell_style:
            body_styles = dict.fromkeys(body_styles, spec.cell_style)
        out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{self._style_id(table_style)}"/>'
               f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        out.append("</w:tblGrid>")
        header_row = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        for row in header_grid(spec.header, len(widths)):
            out.append(header_row)
            for c, cell, continues in row:
                width = sum(widths[c:c + cell.span])
                if continues:
                    out.append(self._cell_xml(Cell(""), width, head_style, True, cell.span, "continue"))
                else:
                    vmerge = "restart" if cell.rowspan > 1 else None
                    out.append(self._cell_xml(cell, width, head_style, True, cell.span, vmerge))
            out.append("</w:tr>")
        if spec.numbered:
            out.append(header_row)
            out += [self._cell_xml(Cell(f"({c + 1})"), w, head_style, False) for c, w in enumerate(widths)]
            out.append("</w:tr>")
        out.append("</w:tbl>")
        rows = []
        for cells, bold in spec.rows:
            row = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
            c = 0
            for cell in cells:
                row.append(self._cell_xml(cell, sum(widths[c:c + cell.span]), body_styles[cell.align], bold, cell.span))
                c += cell.span
            row.append("</w:tr>")
            rows.append("".join(row))
        sentinel = self.doc.element.body.sectPr
        last = sentinel.getprevious()
        if last is not None and last.tag == qn("w:tbl"):
            # Word merges two adjacent tables into one: they need a paragraph between them (a 1 pt line with
            # the space a spacer line used to give).
            separator = parse_xml(f'<w:p {nsdecls("w")}/>')
            sentinel.addprevious(separator)
            ooxml.make_hairline(separator, after_pt=12)
        self.after_table = False
        table = parse_xml("".join(out))
        sentinel.addprevious(table)
        # Body rows parsed in slices: libxml2 parses and lxml moves one huge fragment in more than linear time
        # (a roster of thousands of rows), slices of rows cost the same per row at any length.
        for start in range(0, len(rows), ROWS_PER_PARSE):
            table.extend(list(parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows[start:start + ROWS_PER_PARSE])}</w:tbl>')))

    def markdown_table(self, tokens, start: int) -> int:
        """A simple pipe table from prose: header row then body rows, all left-aligned text."""
        header, rows, current, i = [], [], None, start
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open":
                current = []
            elif tok.type == "inline":
                current.append("".join(c.content for c in tok.children or () if c.type in ("text", "code_inline")))
            elif tok.type == "tr_close":
                (rows if header else header).append(current)
            i += 1
        ncols = len(header[0])
        spec = TableSpec("", tuple([14.0 / ncols] * ncols), [[Cell(t, align="c", bold=True) for t in header[0]]],
                         [([Cell(t) for t in row], False) for row in rows], numbered=False)
        self._ensure_orientation(False)
        self.table(spec)
        return i

    def _signature_table(self, spec: TableSpec):
        self._ensure_orientation(False)
        spec.cell_style = "Tanda Tangan Tabel"
        self._append_table(spec, "Tabel Tanpa Garis")
