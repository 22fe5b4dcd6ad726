"""The DOCX writer's direct element building (ooxml.add_run, set_style_id, set_emphasis, set_numbering)
writes exactly the XML python-docx's own API writes."""
from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from lkjip.render import ooxml


def _xml(paragraph) -> bytes:
    return etree.tostring(paragraph._p)


def _pair():
    doc = Document()
    return doc.add_paragraph(), doc.add_paragraph()


def test_runs_match_python_docx():
    for text in ("Teks biasa", " spasi di depan", "di belakang ", "tab\tdi tengah", "baris\nbaru", "", None, "a&b<c>"):
        ours, theirs = _pair()
        ooxml.add_run(ours, text)
        theirs.add_run(text)
        assert _xml(ours) == _xml(theirs), text


def test_emphasis_and_style_match_python_docx():
    for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
        ours, theirs = _pair()
        ooxml.set_emphasis(ooxml.add_run(ours, "x"), bold, italic)
        run = theirs.add_run("x")
        run.bold, run.italic = bold or None, italic or None
        assert _xml(ours) == _xml(theirs)
    ours, theirs = _pair()
    for p in (ours, theirs):
        p.paragraph_format.space_before = 12700
    ooxml.set_style_id(ours._p, "Judul1")
    theirs._p.get_or_add_pPr().style = "Judul1"
    ooxml.set_style_id(ours._p, "Judul2")
    theirs._p.get_or_add_pPr().style = "Judul2"
    assert _xml(ours) == _xml(theirs)


def test_numbering_matches_python_docx():
    for setup in ("", "style", "spacing", "keep"):
        ours, theirs = _pair()
        for p in (ours, theirs):
            if setup == "style":
                p._p.get_or_add_pPr().style = "DaftarParagraf"
            elif setup == "spacing":
                p.paragraph_format.space_before = 12700
            elif setup == "keep":
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.space_after = 0
        ooxml.set_numbering(ours, 7, 2)
        numPr = theirs._p.get_or_add_pPr().get_or_add_numPr()
        numPr.get_or_add_ilvl().val = 2
        numPr.get_or_add_numId().val = 7
        assert _xml(ours) == _xml(theirs), setup
        assert ours._p.find(qn("w:pPr")).find(qn("w:numPr")) is not None
