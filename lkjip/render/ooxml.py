"""Render stage helpers: raw OOXML that python-docx has no API for (fields, bookmarks, page numbers, rows)."""
from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

# Children of w:sectPr that must follow w:pgNumType (ECMA-376 order).
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
# Children of w:settings that must follow w:updateFields.
_AFTER_UPDATEFIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                       "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                       "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                       "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                       "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


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


def add_field(paragraph, instruction: str, cached: str = ""):
    """Complex field: begin, instrText, separate, cached result, end."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
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


def set_numbering(paragraph, num_id: int, level: int) -> None:
    numPr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numPr.get_or_add_ilvl().val = level
    numPr.get_or_add_numId().val = num_id
