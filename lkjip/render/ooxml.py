"""Render stage helpers: raw OOXML that python-docx has no API for (fields, bookmarks, page numbers, rows)."""
from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.run import Run

from .. import __version__

# Children of w:sectPr that must follow w:pgNumType (ECMA-376 order).
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
# Children of w:settings that must follow w:updateFields.
_AFTER_UPDATEFIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                       "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                       "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                       "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                       "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")

# Child order of the property elements Word is strict about (ECMA-376 Part 1, wml.xsd, transitional).
SCHEMA_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
            "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "rPr": ("ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps",
            "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
            "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
            "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
            "rPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
              "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
              "tblCaption", "tblDescription", "tblPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"),
    "trPr": ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
             "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange"),
    "sectPr": (("headerReference", "footerReference"), "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
               "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def schema_rank(kind: str) -> dict:
    """Local name -> position for a property element kind; names sharing a tuple share a position."""
    rank = {}
    for i, entry in enumerate(SCHEMA_ORDER[kind]):
        for name in (entry if isinstance(entry, tuple) else (entry,)):
            rank[name] = i
    return rank


def sort_children(element, kind: str) -> None:
    """Reorder the w: children of a property element into schema order (stable for equal ranks)."""
    rank = schema_rank(kind)
    children = [c for c in element if isinstance(c.tag, str)]
    ordered = sorted(children, key=lambda c: rank.get(c.tag[len(_W):] if c.tag.startswith(_W) else "", len(rank)))
    for child in ordered:
        element.append(child)


def insert_in_order(parent, child, successors) -> None:
    """Insert child before the first existing successor tag, else append: keeps the schema's child order."""
    for tag in successors:
        try:
            found = parent.find(qn(tag))
        except KeyError:                 # a namespace prefix python-docx does not map: cannot be present
            continue
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def set_page_numbering(sectPr, fmt: str | None, start: int | None) -> None:
    for old in sectPr.findall(qn("w:pgNumType")):
        sectPr.remove(old)
    if fmt is None and start is None:
        return
    attrs = (f' w:fmt="{fmt}"' if fmt else "") + (f' w:start="{start}"' if start is not None else "")
    insert_in_order(sectPr, parse_xml(f"<w:pgNumType {nsdecls('w')}{attrs}/>"), _AFTER_PGNUMTYPE)


def enable_update_fields(settings_element) -> None:
    if settings_element.find(qn("w:updateFields")) is None:
        insert_in_order(settings_element, parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'), _AFTER_UPDATEFIELDS)


def add_field(paragraph, instruction: str, cached: str = "", dirty: bool = False):
    """Complex field: begin, instrText, separate, cached result, end. dirty: Word recomputes it on opening."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def wrap_in_field(first, last, instruction: str) -> None:
    """Make the paragraphs first..last the cached result of one complex field (a TOC, so that Word's Update
    Table rebuilds the same list): begin, instruction and separate open the first paragraph, end closes the last."""
    def run(child):
        r = OxmlElement("w:r")
        r.append(child)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    p = first._p
    at = 1 if len(p) and p[0].tag == qn("w:pPr") else 0
    for offset, child in enumerate((begin, instr, separate)):
        p.insert(at + offset, run(child))
    last._p.append(run(end))


def wrap_bookmark(paragraph, bookmark_id: int, name: str) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def make_hairline(p, after_pt: int = 0) -> None:
    """Turn a necessary empty paragraph (after a table: before a section break, between two tables, at the end of
    the document) into a 1 pt line that cannot push anything onto a new page. p: a w:p element."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    for old in ppr.findall(qn("w:spacing")) + ppr.findall(qn("w:rPr")):
        ppr.remove(old)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:before="0" w:after="{after_pt * 20}" w:line="20" w:lineRule="exact"/>'))
    ppr.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'))
    sort_children(ppr, "pPr")


def set_numbering(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:numPr")) is None:         # the usual case, built directly (python-docx's getters are slow)
        numPr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{int(level)}"/><w:numId w:val="{int(num_id)}"/>'
                          "</w:numPr>")
        rank = schema_rank("pPr")
        after = next((c for c in ppr if rank.get(_local(c), len(rank)) > rank["numPr"]), None)
        if after is None:
            ppr.append(numPr)
        else:
            after.addprevious(numPr)
        return
    numPr = ppr.get_or_add_numPr()
    numPr.get_or_add_ilvl().val = level
    numPr.get_or_add_numId().val = num_id


def _local(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[len(_W):] if tag.startswith(_W) else ""


APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def app_xml(pages: int | None = None) -> bytes:
    """docProps/app.xml naming this tool; the page count only when a layout pass measured it (Word and
    LibreOffice recompute every other statistic themselves)."""
    body = f"<Application>lkjip {__version__}</Application><DocSecurity>0</DocSecurity>"
    if pages is not None:
        body = f"<Pages>{pages}</Pages>" + body
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Properties xmlns="{APP_NS}">{body}</Properties>').encode("utf-8")


# python-docx's element API looks up every tag name and searches every possible successor on each call; the
# writer's hottest steps build the same elements directly (tests/test_writer_fast.py compares the XML).
_W_PPR, _W_PSTYLE, _W_VAL, _W_RPR = qn("w:pPr"), qn("w:pStyle"), qn("w:val"), qn("w:rPr")
_XML_SPACE = qn("xml:space")
_ELEMENTS: dict = {}


def element(tag: str):
    """OxmlElement(tag) (python-docx's element class and namespace declaration) with the tag resolved once."""
    made = _ELEMENTS.get(tag)
    if made is None:
        probe = OxmlElement(tag)
        made = _ELEMENTS[tag] = (probe.tag, dict(probe.nsmap), probe.makeelement)
    return made[2](made[0], nsmap=made[1])


def add_run(paragraph, text: str | None = None) -> Run:
    """paragraph.add_run(text) with the same XML, without python-docx's character-by-character text setter."""
    r = element("w:r")
    paragraph._p.append(r)
    run = Run(r, paragraph)
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            run.text = text                      # tabs and line breaks: python-docx's own elements
        else:
            t = element("w:t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    return run


def set_emphasis(run, bold: bool, italic: bool) -> None:
    """run.bold, run.italic = bold or None, italic or None: an rPr (empty when neither) as the run's first child."""
    rpr = element("w:rPr")
    if bold:
        rpr.append(element("w:b"))
    if italic:
        rpr.append(element("w:i"))
    run._r.insert(0, rpr)


def set_style_id(p, style_id: str) -> None:
    """p.get_or_add_pPr().style = style_id, without python-docx's search through every pPr child name: pPr is
    a paragraph's first child and pStyle the first child of pPr."""
    ppr = p.find(_W_PPR)
    if ppr is None:
        ppr = element("w:pPr")
        p.insert(0, ppr)
    style = ppr.find(_W_PSTYLE)
    if style is None:
        style = element("w:pStyle")
        ppr.insert(0, style)
    style.set(_W_VAL, style_id)


def escape(text: str) -> str:
    """XML character data (as xml.sax.saxutils.escape, without loading it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
