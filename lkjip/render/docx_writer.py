"""Render stage: maps the outline Markdown (with lkjip directives) onto templates/base.docx styles."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from ..base.fmt import bulan_tahun
from ..base.xmltext import clean
from ..load.files import ContentFileError, read_picture
from . import ooxml, signature
from .directives import PATTERN as DIRECTIVE
from .docx_tables import TableWriter
from .figures import figure_png, figure_spec
from .mdparse import lone_image, parse
from .metrics import leader_break, width_pt
from .numbering import FIGURE, TABLE, Numbering
from .ooxml import add_run, element, set_emphasis, set_style_id
from .page import TEMPLATE, UNFILLED_MARK, UNFILLED_TEXT, page_geometry, text_height_cm, text_width_cm
from .tables import Cell, TableSpec, build_table

ORDERED_ABSTRACT, BULLET_ABSTRACT = 11, 12
SIGN_LINE_PT = 13.8                      # one single-spaced 12 pt Arial line: three of them leave room to sign
SIGN_SIZE_PT, SIGN_SLACK = 12, 1.05      # the signature's text size; room for renderers' differences
# Captions of tables and of figures in styles of their own (based on Caption), which the TOC fields of Daftar Tabel
# and Daftar Gambar collect (TOC \t): Word's Update Table lists the same captions.
CAPTION_STYLES = {TABLE: "Judul Tabel", FIGURE: "Judul Gambar"}
PAGE_SAMPLE, LEADER_MIN_PT = "99", 12     # a list entry's last line keeps room for a page number and some dots


class DocxWriter(TableWriter):
    """Walks markdown-it tokens once; sections, captions and TOC entries are tracked as it goes."""

    def __init__(self, report, content_root: Path | None = None, figure_dir: Path | None = None,
                 specs: dict | None = None, toc_front_matter: bool = False, prose: dict | None = None,
                 logo: bytes | None = None):
        """specs: table and figure specs of the plan. toc_front_matter: list Kata Pengantar ... Ikhtisar Eksekutif
        in the Daftar Isi too; only when a layout pass fills their roman page numbers (LibreOffice prints PAGEREFs
        to roman pages in arabic). prose: rendered prose sections, parsed on their own. logo: cover picture bytes,
        checked by the load stage."""
        self.report = report
        self.numbering = report.kerangka.get("penomoran") or "bab-huruf-angka"
        # page numbers: continuous across chapters with the chapter's prefix (II.26), or restarting per chapter (II-1)
        self.per_chapter = report.kerangka.get("halaman") == "per-bab"
        self.toc_front_matter = toc_front_matter
        self.content_root = content_root
        self.figure_dir = figure_dir
        self.prose = prose or {}         # section name -> rendered prose Markdown, parsed on its own
        self.logo = logo                 # cover picture bytes, checked by the load stage
        self.doc = Document(str(TEMPLATE))
        self.pages = page_geometry(self.doc)     # read before any section is configured
        self._caption_styles()
        self._list_styles: dict = {}             # style name -> (size pt, first line pt, other lines pt)
        self.kind = "sampul"             # sampul, depan, bab, lampiran
        self.chapter = None              # roman numeral of the current chapter
        self.landscape = False
        self.toc: list = []              # (level, text, bookmark, prefix)
        self.table_list: list = []       # (caption, bookmark, prefix)
        self.figure_list: list = []      # (caption, bookmark, prefix)
        self.placed: list = []           # (("tabel"|"gambar", args), caption bookmark) in document order
        self.numbers = Numbering(self.numbering)     # chapter headings, tables and figures (render/numbering.py)
        self.bookmark = 0
        self.placeholders: dict = {}
        self.lists: list = []            # stack of [num_id, first_paragraph_pending]
        self.after_table = False         # the next body paragraph takes the space a spacer line used to give
        self._style_ids: dict = {}       # python-docx scans all styles per lookup; resolve each name once
        self._specs: dict = dict(specs or {})   # ("tabel"|"gambar", args) -> spec, from the plan or built once
        self._shape_id = None                               # next picture id (_picture)
        self._sentinel = self.doc.element.body.sectPr      # the body's last child; paragraphs go before it
        self._body = self.doc._body
        self._configure_section(self.doc.sections[-1], landscape=False, footer=None)

    # --- sections -----------------------------------------------------------------------------------------

    def _configure_section(self, section, landscape: bool, footer: str | None, fmt=None, start=None):
        geometry = self.pages[landscape]
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = geometry["width"], geometry["height"]
        section.left_margin, section.right_margin = geometry["left"], geometry["right"]
        section.top_margin, section.bottom_margin = geometry["top"], geometry["bottom"]
        ooxml.set_page_numbering(section._sectPr, fmt, start)
        section.footer.is_linked_to_previous = True          # drop the reference cloned from the previous section
        section.footer.is_linked_to_previous = False
        paragraph = section.footer.paragraphs[0]
        self._style(paragraph, "Footer")
        if footer is not None:
            if footer:
                add_run(paragraph, footer)
            ooxml.add_field(paragraph, "PAGE", "1")        # recomputed on every layout, never dirty
        section.header.is_linked_to_previous = True
        if self.report.draf:
            section.header.is_linked_to_previous = False
            section.header.paragraphs[0].text = "DRAF — belum final"
        self.landscape = landscape

    def _footer_prefix(self) -> str | None:
        if self.kind == "sampul":
            return None
        if self.kind in ("depan", "dokumen"):
            return ""
        separator = "-" if self.per_chapter else "."      # II-1 (pages restart per chapter) or II.26 (continuous)
        if self.kind == "lampiran":
            return f"L{separator}"
        return f"{self.chapter}{separator}"

    def _new_section(self, landscape: bool, fmt=None, start=None):
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._break_on_last_paragraph()
        self._configure_section(section, landscape, self._footer_prefix(), fmt, start)

    def _break_on_last_paragraph(self):
        """python-docx ends a section with an empty paragraph that only carries the w:sectPr; Word renders it (a
        blank line, or a blank page when the section is full) while LibreOffice drops it. Move the break into the
        pPr of the section's last real paragraph. Only a section that ends with a table keeps a break paragraph:
        Word needs a paragraph between a table and a section break, so it is made 1 pt high."""
        body = self.doc.element.body
        carrier = body.sectPr.getprevious()
        previous = carrier.getprevious()
        self.after_table = False
        if previous is not None and previous.tag == qn("w:p") and previous.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            sect = carrier.pPr.sectPr
            previous.set_sectPr(sect)
            body.remove(carrier)
        else:
            ooxml.make_hairline(carrier)

    def _ensure_orientation(self, landscape: bool):
        if landscape != self.landscape:
            self._new_section(landscape)

    def directive_bagian(self, args: str):
        parts = args.split()
        kind = parts[0]
        self.numbers.section_directive(args)
        if kind == "depan":
            self.kind = "depan"
            self._new_section(False, "lowerRoman", 1)
        elif kind == "bab":
            first_chapter = self.kind != "bab"
            self.kind, self.chapter = "bab", parts[1]
            self._new_section(False, "decimal", 1 if first_chapter or self.per_chapter else None)
        elif kind == "reviu":
            # Pernyataan Telah Direviu: a new page after BAB IV with an unnumbered heading; pages continue BAB IV's
            self.kind = "reviu"
            self._new_section(False, "decimal", None)
        elif kind == "lampiran":
            self.kind, self.chapter = "lampiran", None
            self._new_section(False, "decimal", 1)
        elif kind == "dokumen":
            # a document without cover or chapters (the Perjanjian Kinerja): pages 1, 2, ...; the first part
            # takes the first section instead of leaving it as an empty cover page
            first = self.kind == "sampul" and len(self.doc.element.body) == 1
            self.kind, self.chapter = "dokumen", None
            if first:
                self._configure_section(self.doc.sections[-1], False, "", "decimal", 1)
            else:
                self._new_section(False, "decimal", None)
        else:
            raise ValueError(f"bagian tidak dikenal: {kind}")

    # --- paragraphs ---------------------------------------------------------------------------------------

    def _style(self, paragraph, name: str):
        set_style_id(paragraph._p, self._style_id(name))
        return paragraph

    def _new_paragraph(self, text: str = "") -> Paragraph:
        """doc.add_paragraph(text): a w:p before the body's final sectPr (python-docx searches the whole body
        for it on every paragraph: quadratic in the length of the report)."""
        p = element("w:p")
        self._sentinel.addprevious(p)
        paragraph = Paragraph(p, self._body)
        if text:
            add_run(paragraph, text)
        return paragraph

    def _add(self, text: str = "", style: str | None = None):
        paragraph = self._new_paragraph(clean(text))
        if self.after_table:
            # No spacer line after a table: body text and list items keep their distance by space before
            # (captions, headings and pictures bring their own from their styles).
            self.after_table = False
            if style in (None, "List Paragraph"):
                paragraph.paragraph_format.space_before = Pt(12)
        return self._style(paragraph, style) if style else paragraph

    def _paragraph(self, style: str | None = None, landscape: bool = False):
        self._ensure_orientation(landscape)
        return self._add("", style)

    @staticmethod
    def _run(paragraph, text: str):
        """Every text run of the document goes through here (and _cell_xml): the one XML-sanitising step."""
        return add_run(paragraph, clean(text))

    def _inline(self, paragraph, children):
        bold = italic = False
        links: list = []
        for child in children or ():
            if child.type in ("text", "code_inline") or child.type == "html_inline" and not child.content.startswith("<!--"):
                if child.content:
                    set_emphasis(self._run(paragraph, child.content), bold, italic)
            elif child.type == "link_open":
                links.append((child.attrs.get("href", ""), len(paragraph.runs)))
            elif child.type == "link_close" and links:
                href, first = links.pop()
                shown = "".join(r.text for r in paragraph.runs[first:])
                if href and href not in (shown, f"mailto:{shown}"):
                    self._run(paragraph, f" ({href})")
            elif child.type == "image":
                self._run(paragraph, f"[gambar: {child.content or child.attrs.get('src', '')}]")
            elif child.type == "softbreak":
                add_run(paragraph, " ")
            elif child.type == "hardbreak":
                add_run(paragraph).add_break()
            elif child.type == "strong_open":
                bold = True
            elif child.type == "strong_close":
                bold = False
            elif child.type == "em_open":
                italic = True
            elif child.type == "em_close":
                italic = False

    def _bookmark_name(self) -> str:
        self.bookmark += 1
        return f"_Toc{self.bookmark:05d}"

    def heading(self, level: int, children, landscape: bool = False):
        if level > 3:                    # no numbered style below level 3: a bold paragraph that keeps with the next
            paragraph = self._paragraph(None, landscape)
            paragraph.paragraph_format.keep_with_next = True
            self._inline(paragraph, children)
            for run in paragraph.runs:
                run.bold = True
            return
        text = "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()
        numbered = self.kind == "bab"
        literal = None                   # a label written into the text instead of the style's numbering
        if numbered:
            style = f"Heading {level}"
            label = self.numbers.heading(level)
            if self.numbering == "angka" and level > 1:
                literal = label
            toc_text = f"{label} {text}"
        else:
            style = "Judul Tanpa Nomor" if level == 1 else f"Heading {level}"
            toc_text = text
        paragraph = self._paragraph(style, landscape)
        if literal:
            ooxml.set_numbering(paragraph, 0, 0)          # numId 0: no list numbering from the style
            add_run(paragraph, f"{literal} ")
        self._inline(paragraph, children)
        name = self._bookmark_name()
        ooxml.wrap_bookmark(paragraph, self.bookmark, name)
        # Front matter is numbered i, ii, ...; LibreOffice ignores PAGEREF's \* roman switch and would print
        # arabic numbers, so the table of contents starts at BAB I unless a layout pass writes them as text.
        if level <= 3 and (self.kind != "depan" or self.toc_front_matter):
            self.toc.append((level, toc_text, name, self._footer_prefix()))

    def list_paragraph(self, children):
        num_id, pending = self.lists[-1]
        paragraph = self._paragraph("List Paragraph")
        if pending:
            ooxml.set_numbering(paragraph, num_id, min(len(self.lists) - 1, 8))     # Word has levels 0-8
            self.lists[-1][1] = False
        else:
            paragraph.paragraph_format.left_indent = Cm(0.75 * min(len(self.lists), 9))
        self._inline(paragraph, children)
        return paragraph

    def open_list(self, ordered: bool):
        numbering = self.doc.part.numbering_part.element
        if ordered:
            num = numbering.add_num(ORDERED_ABSTRACT)
            for level in range(4):
                num.add_lvlOverride(ilvl=level).add_startOverride(1)
        else:
            num = numbering.add_num(BULLET_ABSTRACT)
        self.lists.append([num.numId, True])

    # --- tables -------------------------------------------------------------------------------------------

    def caption(self, text: str, kind: str = TABLE):
        label = clean(f"{kind} {self.numbers.caption(kind)} {text}")
        paragraph = self._add(label, CAPTION_STYLES[kind])
        name = self._bookmark_name()
        ooxml.wrap_bookmark(paragraph, self.bookmark, name)
        (self.table_list if kind == TABLE else self.figure_list).append((label, name, self._footer_prefix()))
        return paragraph

    def figure(self, spec):
        """Picture, then its caption below; the picture keeps with its caption."""
        self._ensure_orientation(spec.landscape)
        png = figure_png(spec, self.figure_dir)
        holder = self._add("", "Gambar")
        width = min(spec.width_cm, text_width_cm(self.pages[self.landscape]))
        self._picture(add_run(holder), str(png), Cm(width), alt=spec.alt_text)
        self.caption(spec.caption, FIGURE).paragraph_format.space_after = Pt(12)

    def prose_picture(self, image):
        """`![keterangan](gambar/foto.jpg)` in prose: the picture scaled to the text width (and to at most 60 % of
        the text height), its keterangan as caption (a numbered Gambar, listed in Daftar Gambar) and alt text."""
        keterangan = " ".join(image.content.split())
        try:
            data = read_picture(image.attrs.get("src", ""), self.content_root, self.content_root.parent)
        except (ContentFileError, AttributeError):         # check reports it; never reached after a clean check
            self._run(self._paragraph(), f"[gambar tidak dapat dibaca: {image.attrs.get('src', '')}]")
            return
        from docx.image.image import Image
        page = self.pages[self.landscape]
        picture = Image.from_blob(data)
        width = Cm(text_width_cm(page))
        cap = Cm(0.6 * text_height_cm(page))
        if picture.px_height * width > cap * picture.px_width:          # a tall picture: its height decides
            width = int(cap * picture.px_width / picture.px_height)
        holder = self._add("", "Gambar")
        self._picture(add_run(holder), io.BytesIO(data), width, alt=keterangan)
        self.caption(keterangan, FIGURE).paragraph_format.space_after = Pt(12)

    def _picture(self, run, source, width, alt: str | None = None) -> None:
        """run.add_picture(source, width=width), the shape ids counted on from the first: python-docx searches the
        whole document for the highest id on every picture (quadratic in a report with many charts)."""
        from docx.oxml.shape import CT_Inline
        part = self.doc.part
        rid, image = part.get_or_add_image(source)
        cx, cy = image.scaled_dimensions(width, None)
        if self._shape_id is None:
            self._shape_id = part.next_id
        shape_id, self._shape_id = self._shape_id, self._shape_id + 1
        inline = CT_Inline.new_pic_inline(shape_id, rid, image.filename, cx, cy)
        if alt:
            inline.docPr.set("descr", clean(alt))          # alt text for screen readers
        run._r.add_drawing(inline)

    # --- signatures, cover, lists of contents ------------------------------------------------------------

    def directive_tanda_tangan(self, args: str):
        if args in ("pk", "pk-perubahan"):
            pk = self.report.pk_perubahan if args == "pk-perubahan" else self.report.pk
            rows = [([Cell(left, align="c", bold=bold), Cell(right, align="c", bold=bold)], False)
                    for left, right, bold in signature.agreement_rows(pk)]
            self._signature_table(TableSpec("", (7.0, 7.0), [], rows, numbered=False, borders=False))
            return
        # (text, bold, space before): the room for the signature is space before the name, not empty lines
        block = signature.review_lines(self.report.reviu) if args == "reviu" else signature.report_lines(self.report)
        lines = [(text, bold, 18 if i == 0 else gap * SIGN_LINE_PT) for i, (text, bold, gap) in enumerate(block)]
        indent = self._signature_indent(lines)
        for i, (text, bold, before) in enumerate(lines):
            paragraph = self._paragraph("Tanda Tangan")
            paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
            if indent is not None:
                paragraph.paragraph_format.left_indent = indent
            if before:
                paragraph.paragraph_format.space_before = Pt(before)
            run = self._run(paragraph, text)
            run.bold = bold or None
            run.underline = bold or None

    def _caption_styles(self) -> None:
        """The caption styles the lists collect, based on the template's Caption (added when the template has none)."""
        styles = self.doc.styles
        for name in CAPTION_STYLES.values():
            try:
                styles[name]
            except KeyError:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Caption"]
                style.quick_style = True

    def _signature_indent(self, lines):
        """The block's left indent when its longest line would wrap at the style's (templates/base.docx 'Tanda
        Tangan'): moved left just enough for that line, every line of the block on the same axis. None: the
        style's indent fits."""
        style = self.doc.styles["Tanda Tangan"].paragraph_format.left_indent or 0
        room = Cm(text_width_cm(self.pages[False])) - style
        longest = max((width_pt(text, SIGN_SIZE_PT, bold) * SIGN_SLACK for text, bold, _b in lines), default=0)
        if Pt(longest) <= room:
            return None
        return max(0, Cm(text_width_cm(self.pages[False])) - Pt(longest))

    def directive_sampul(self, _args: str):
        r, laporan = self.report, self.report.laporan
        lines = [(laporan["judul"].upper(), "Title"), (f"({laporan['singkatan']})", "Sampul"),
                 (f"TAHUN {r.tahun}", "Sampul")]
        if r.draf:
            lines.append(("DRAF", "Sampul"))
        for text, style in lines:
            self._run(self._paragraph(style), text)
        gap = Cm(5)                      # between title and agency name; a logo sits in it when there is one
        if self.logo:
            holder = self._paragraph("Sampul")
            holder.paragraph_format.space_before = Cm(1)
            self._picture(add_run(holder), io.BytesIO(self.logo), Cm(4))
            gap = None
        province = r.instansi.get("provinsi")
        lines = [r.instansi["nama"].upper(), r.instansi["pemerintah_daerah"].upper(),
                 f"PROVINSI {province.upper()}" if province else None,
                 bulan_tahun(laporan["tanggal"]).split()[-1] if laporan.get("tanggal") else None]
        for text in dict.fromkeys(t for t in lines if t):          # a Pemda's own report: name and Pemda are one line
            paragraph = self._paragraph("Sampul")
            if gap is not None:
                paragraph.paragraph_format.space_before, gap = gap, None
            self._run(paragraph, text)
        self.numbers.headings = [0, 0, 0]

    def directive_placeholder(self, name: str):
        self.placeholders[name] = self._paragraph()

    def _fill_list(self, placeholder, entries, style_for, instruction: str):
        """The entries as paragraphs (text, tab, page number as a PAGEREF the layout pass fills in), together the
        cached result of a TOC field: Word's Update Table rebuilds the same list from the headings or captions."""
        made = []
        for level, text, bookmark, prefix in entries:
            style = style_for(level)
            paragraph = self._style(placeholder.insert_paragraph_before(), style)
            self._run(paragraph, self._keep_number_company(text, style, prefix or ""))
            add_run(paragraph, "\t")
            if prefix:
                add_run(paragraph, prefix)
            ooxml.add_field(paragraph, f"PAGEREF {bookmark} \\h", "", dirty=True)
            made.append(paragraph)
        if made and self.toc_front_matter:
            # Only when a layout pass fills the numbers: without one, LibreOffice fills a bare PAGEREF as it lays
            # the page out but shows a TOC field's stored result, and Word updates either on opening.
            ooxml.wrap_in_field(made[0], made[-1], instruction)
        placeholder._p.getparent().remove(placeholder._p)

    def _keep_number_company(self, text: str, style: str, prefix: str) -> str:
        """The entry with a line break before its last word when the page number would otherwise stand alone on
        a line of dots (measured in the template's font at the style's size and indents)."""
        if style not in self._list_styles:          # python-docx looks a style up by XPath: once per style
            fmt, font = self.doc.styles[style].paragraph_format, self.doc.styles[style].font
            width = Cm(text_width_cm(self.pages[False]))
            left, first = fmt.left_indent or 0, fmt.first_line_indent or 0
            self._list_styles[style] = ((font.size or Pt(12)).pt, (width - left - first) / Pt(1), (width - left) / Pt(1))
        size, first_line, other_lines = self._list_styles[style]
        reserve = width_pt(f"{prefix}{PAGE_SAMPLE}", size) + LEADER_MIN_PT       # the number, a few dots
        at = leader_break(text, size, first_line, other_lines, reserve)
        if at is None:
            return text
        words = text.split()
        return " ".join(words[:at]) + "\n" + " ".join(words[at:])

    def finish(self):
        if "daftar-isi" in self.placeholders:
            note = self._style(self.placeholders["daftar-isi"].insert_paragraph_before(), "Catatan Tabel")
            self._run(note, UNFILLED_TEXT)
            self.bookmark += 1
            ooxml.wrap_bookmark(note, self.bookmark, UNFILLED_MARK)
            self._fill_list(self.placeholders["daftar-isi"], self.toc, lambda level: f"TOC {min(level, 3)}",
                            'TOC \\o "1-3" \\h \\z \\u')
        for key, items, style in (("daftar-tabel", self.table_list, CAPTION_STYLES[TABLE]),
                                  ("daftar-gambar", self.figure_list, CAPTION_STYLES[FIGURE])):
            if key in self.placeholders:
                entries = [(1, caption, name, prefix) for caption, name, prefix in items]
                self._fill_list(self.placeholders[key], entries, lambda _l: "table of figures",
                                f'TOC \\h \\z \\t "{style},1"')
        self._final_paragraph()
        ooxml.enable_update_fields(self.doc.settings.element)

    def _final_paragraph(self):
        """Word needs a paragraph after a final table; make it a 1 pt mark so it cannot spill onto a blank page."""
        sentinel = self.doc.element.body.sectPr
        last = sentinel.getprevious()
        if last is not None and last.tag == qn("w:tbl"):
            mark = parse_xml(f'<w:p {nsdecls("w")}/>')
            sentinel.addprevious(mark)
            ooxml.make_hairline(mark)

    # --- driver -------------------------------------------------------------------------------------------

    def write(self, markdown: str):
        """markdown: the outline rendered by render.build (directives marked, prose as placeholders)."""
        self._write_tokens(parse(clean(markdown)))
        self.finish()
        return self.doc

    def _write_tokens(self, tokens):
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open":
                self.heading(int(tok.tag[1]), tokens[i + 1].children, self._landscape_table_follows(tokens, i + 3))
                i += 2
            elif tok.type == "paragraph_open" and not self.lists and lone_image(tokens, i) is not None:
                self.prose_picture(lone_image(tokens, i))
                i += 2
            elif tok.type == "paragraph_open":
                lead_in = tokens[i + 1].content.rstrip().endswith(":")
                if self.lists:
                    paragraph = self.list_paragraph(tokens[i + 1].children)
                else:
                    landscape = lead_in and self._landscape_table_follows(tokens, i + 3)
                    paragraph = self._paragraph(landscape=landscape)
                    self._inline(paragraph, tokens[i + 1].children)
                if lead_in:                          # a lead-in line stays on the page of what it introduces
                    paragraph.paragraph_format.keep_with_next = True
                i += 2
            elif tok.type in ("ordered_list_open", "bullet_list_open"):
                self.open_list(tok.type == "ordered_list_open")
            elif tok.type in ("ordered_list_close", "bullet_list_close"):
                self.lists.pop()
            elif tok.type == "list_item_open":
                self.lists[-1][1] = True
            elif tok.type == "table_open":
                i = self.markdown_table(tokens, i)
            elif tok.type in ("fence", "code_block"):
                self.literal_block(tok.content)
            elif tok.type == "html_block":
                self.html_block(tok.content)
            i += 1

    def html_block(self, content: str):
        """A genuine directive (the whole block), a comment (not printed), or raw HTML printed as it stands."""
        match = DIRECTIVE.fullmatch(content.strip())
        if match:
            self.directive(match.group(1), match.group(2))
        elif not content.lstrip().startswith("<!--"):
            self.literal_block(content)

    def literal_block(self, content: str):
        """Code blocks and raw HTML: the text as a plain paragraph, its lines kept (check warns about it)."""
        paragraph = self._paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT      # justified lines before a break would be stretched
        for n, line in enumerate(content.rstrip("\n").split("\n")):
            if n:
                add_run(paragraph).add_break()
            self._run(paragraph, line)

    def directive_prosa(self, name: str):
        """A prose section, parsed on its own: nothing in it can swallow or restructure the outline around it."""
        saved, self.lists = self.lists, []
        self._write_tokens(parse(clean(self.prose.get(name, ""))))
        self.lists = saved

    def _spec(self, args: str) -> TableSpec:
        if ("tabel", args) not in self._specs:
            self._specs[("tabel", args)] = build_table(args, self.report)
        return self._specs[("tabel", args)]

    def _figure_spec(self, args: str):
        if ("gambar", args) not in self._specs:
            self._specs[("gambar", args)] = figure_spec(args, self.report)
        return self._specs[("gambar", args)]

    def _landscape_table_follows(self, tokens, j: int) -> bool:
        """A heading directly followed by a landscape table or figure belongs on its landscape page."""
        if j < len(tokens) and tokens[j].type == "html_block":
            match = DIRECTIVE.search(tokens[j].content)
            if match and match.group(1) == "tabel":
                return self._spec(match.group(2)).landscape
            if match and match.group(1) == "gambar":
                return self._figure_spec(match.group(2)).landscape
        return False

    def directive(self, name: str, args: str):
        if name == "tabel":
            self.table(self._spec(args))
            self.placed.append(((name, args), self.table_list[-1][1]))
        elif name == "bagian":
            self.directive_bagian(args)
        elif name == "tanda-tangan":
            self.directive_tanda_tangan(args)
        elif name == "sampul":
            self.directive_sampul(args)
        elif name == "prosa":
            self.directive_prosa(args)
        elif name == "gambar":
            self.figure(self._figure_spec(args))
            self.placed.append(((name, args), self.figure_list[-1][1]))
        elif name in ("daftar-isi", "daftar-tabel", "daftar-gambar"):
            self.directive_placeholder(name)
        else:
            raise ValueError(f"direktif tidak dikenal: {name}")
