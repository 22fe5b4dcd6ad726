"""Regenerate templates/base.docx: every look of the report lives in its styles (edit it in Word, or here).

Run: .venv/bin/python templates/make_base.py   (the result is committed; builds never run this)
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lkjip import __version__  # noqa: E402
from lkjip.render.ooxml import app_xml, sort_children  # noqa: E402

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
TEXT_WIDTH_CM = 21.0 - 4.0 - 3.0
CAPTION_HANG_CM = 2.6       # "Gambar 3.10 " at 12 pt: wrapped caption lines start under the caption text

# abstractNum ids used by the renderer (lkjip/render/docx_writer.py)
HEADING_NUM, ORDERED_ABSTRACT, BULLET_ABSTRACT = 1, 11, 12


def _font(style, size, bold=False, italic=False):
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = BLACK
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _para(style, align=None, before=0, after=6, spacing=1.5, keep_next=False, indent_cm=None, first_cm=None):
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE if spacing != 1 else WD_LINE_SPACING.SINGLE
    if spacing != 1:
        fmt.line_spacing = spacing
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    if indent_cm is not None:
        fmt.left_indent = Cm(indent_cm)
    if first_cm is not None:
        fmt.first_line_indent = Cm(first_cm)


def _contents_line(style):
    style.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _style(doc, name, base="Normal"):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style


def _numbering(doc):
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    levels_heading = [
        ("upperRoman", "BAB %1", "center", 0, 0, "Heading1"),
        ("upperLetter", "%2.", "left", 567, 567, "Heading2"),
        ("decimal", "%3.", "left", 567, 567, "Heading3"),
    ]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style}"/>'
        f'<w:suff w:val="{"space" if i == 0 else "tab"}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr></w:lvl>'
        for i, (fmt, text, _jc, left, hang, style) in enumerate(levels_heading))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="10">'
                               f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'))
    ordered = [("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."), ("decimal", "%4)")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{425 * (i + 1)}" w:hanging="425"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(ordered))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ORDERED_ABSTRACT}">'
                               f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{ch}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{425 * (i + 1)}" w:hanging="425"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/></w:rPr></w:lvl>'
        for i, ch in enumerate(["•", "–", "•", "–"]))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{BULLET_ABSTRACT}">'
                               f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{HEADING_NUM}"><w:abstractNumId w:val="10"/></w:num>'))


def _link_heading(style, level):
    num = style.element.get_or_add_pPr().get_or_add_numPr()      # python-docx inserts it in schema order
    num.get_or_add_ilvl().val = level
    num.get_or_add_numId().val = HEADING_NUM


def _schema_order(doc):
    """Every style's pPr/rPr children in schema order: Word ignores properties it finds out of order."""
    for style in doc.styles.element.iter(qn("w:pPr"), qn("w:rPr")):
        sort_children(style, "pPr" if style.tag == qn("w:pPr") else "rPr")


def _language(doc, lang="id-ID"):
    """Default proofing language: Word and LibreOffice spell-check the text as Indonesian."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/>'))
    sort_children(rpr, "rPr")
    settings = doc.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), lang)


def _settings(doc):
    """Word 2013+ layout (no 'Compatibility Mode'), zoom 100 %, no stale proofing or preview flags."""
    settings = doc.settings.element
    zoom = settings.find(qn("w:zoom"))
    for attr in list(zoom.attrib):
        del zoom.attrib[attr]
    zoom.set(qn("w:percent"), "100")
    for name in ("w:proofState", "w:savePreviewPicture", "w:rsids"):
        for old in settings.findall(qn(name)):
            settings.remove(old)
    for compat in settings.find(qn("w:compat")).findall(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")


def _package(doc):
    """Drop python-docx's default-template debris: stylesWithEffects (a stale copy of the styles), the
    bibliography customXml, the blank thumbnail; replace app.xml (Word recomputes statistics itself)."""
    main = doc.part
    for rId, rel in list(main.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del main.rels[rId]
    package = main.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rId]
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = app_xml()


def _table_style(doc):
    style = doc.styles.add_style("Tabel LKjIP", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    style.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    plain = doc.styles.add_style("Tabel Tanpa Garis", WD_STYLE_TYPE.TABLE)
    plain.base_style = doc.styles["Normal Table"]


def build() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(4.0), Cm(3.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(3.0)
    section.header_distance, section.footer_distance = Cm(1.25), Cm(1.25)

    normal = doc.styles["Normal"]
    _font(normal, 12)
    _para(normal, WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)

    h1 = doc.styles["Heading 1"]
    _font(h1, 14, bold=True)
    _para(h1, WD_ALIGN_PARAGRAPH.CENTER, before=0, after=18, keep_next=True, indent_cm=0, first_cm=0)
    _link_heading(h1, 0)
    for level, name in ((1, "Heading 2"), (2, "Heading 3")):
        style = doc.styles[name]
        _font(style, 12, bold=True)
        _para(style, WD_ALIGN_PARAGRAPH.LEFT, before=12, after=6, keep_next=True)
        _link_heading(style, level)

    unnumbered = _style(doc, "Judul Tanpa Nomor")
    _font(unnumbered, 14, bold=True)
    _para(unnumbered, WD_ALIGN_PARAGRAPH.CENTER, before=0, after=18, keep_next=True)
    unnumbered.paragraph_format.page_break_before = True
    unnumbered.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))

    title = doc.styles["Title"]
    _font(title, 22, bold=True)
    _para(title, WD_ALIGN_PARAGRAPH.CENTER, after=12, spacing=1.15)
    title.element.get_or_add_pPr()
    for border in title.element.pPr.findall(qn("w:pBdr")):
        title.element.pPr.remove(border)
    cover = _style(doc, "Sampul")
    _font(cover, 16, bold=True)
    _para(cover, WD_ALIGN_PARAGRAPH.CENTER, after=6, spacing=1.15)

    caption = doc.styles["Caption"]
    _font(caption, 11, bold=True)
    _para(caption, WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6, spacing=1, keep_next=True)

    for suffix, size in (("", 10), (" Kecil", 8)):
        cell = _style(doc, f"Isi Tabel{suffix}")
        _font(cell, size)
        _para(cell, WD_ALIGN_PARAGRAPH.LEFT, after=0, spacing=1)
        number = _style(doc, f"Isi Tabel{suffix} Angka", f"Isi Tabel{suffix}")
        _para(number, WD_ALIGN_PARAGRAPH.RIGHT, after=0, spacing=1)
        centered = _style(doc, f"Isi Tabel{suffix} Tengah", f"Isi Tabel{suffix}")
        _para(centered, WD_ALIGN_PARAGRAPH.CENTER, after=0, spacing=1)
        head = _style(doc, f"Kepala Tabel{suffix}", f"Isi Tabel{suffix}")
        _font(head, size, bold=True)
        _para(head, WD_ALIGN_PARAGRAPH.CENTER, after=0, spacing=1, keep_next=True)
    picture = _style(doc, "Gambar")
    _para(picture, WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0, spacing=1, keep_next=True)
    note = _style(doc, "Catatan Tabel")
    _font(note, 9, italic=True)
    _para(note, WD_ALIGN_PARAGRAPH.LEFT, before=3, after=9, spacing=1)

    # The list of tables and figures hangs wrapped caption lines under the caption text, not under "Tabel 3.10".
    # No right indent for the page-number column (Word's usual way): LibreOffice 7.4 then drops the number standing
    # beyond the indent from its PDF.
    for level in (1, 2, 3):
        toc = _style(doc, f"TOC {level}")
        _font(toc, 12, bold=level == 1)
        _para(toc, WD_ALIGN_PARAGRAPH.LEFT, after=1, spacing=1, indent_cm=0.8 * (level - 1))
        _contents_line(toc)
    figures = _style(doc, "table of figures")
    _font(figures, 12)
    _para(figures, WD_ALIGN_PARAGRAPH.LEFT, after=1, spacing=1, indent_cm=CAPTION_HANG_CM, first_cm=-CAPTION_HANG_CM)
    _contents_line(figures)
    sign = _style(doc, "Tanda Tangan")
    _para(sign, WD_ALIGN_PARAGRAPH.CENTER, after=0, spacing=1, indent_cm=7.5)
    sign_table = _style(doc, "Tanda Tangan Tabel")
    _para(sign_table, WD_ALIGN_PARAGRAPH.CENTER, after=0, spacing=1)
    item = doc.styles["List Paragraph"]
    _para(item, WD_ALIGN_PARAGRAPH.JUSTIFY, after=3)
    footer = doc.styles["Footer"]
    _font(footer, 10)
    _para(footer, WD_ALIGN_PARAGRAPH.CENTER, after=0, spacing=1)
    _numbering(doc)
    _table_style(doc)
    _language(doc)
    _settings(doc)
    _schema_order(doc)
    _package(doc)
    for paragraph in list(doc.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    core = doc.core_properties
    core.author = core.last_modified_by = "LKjIP"
    core.title = "Templat LKjIP"
    core.subject = core.keywords = ""
    core.comments = f"Templat gaya, dibuat oleh lkjip {__version__} (templates/make_base.py)"
    core.language = "id-ID"
    core.created = core.modified = dt.datetime(2022, 1, 1)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "base.docx"
    # Fixed zip timestamps keep the committed template byte-stable across regenerations.
    src = zipfile.ZipFile(io.BytesIO(build()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            dst.writestr(zipfile.ZipInfo(info.filename, (2022, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    target.write_bytes(buf.getvalue())
    print(f"wrote {target}")
