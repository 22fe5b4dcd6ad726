"""The page a DOCX is laid out on: size and margins as set in templates/base.docx, in portrait and landscape, and
the text area they leave (tables and figures are sized to it)."""
from __future__ import annotations

from ..base.resources import TEMPLATES_DIR

TEMPLATE = TEMPLATES_DIR / "base.docx"
TWIPS_PER_CM = 1440 / 2.54

# Bookmark of the line under Daftar Isi that says the page numbers are not filled in yet; the layout pass
# (render/layout.py) removes that paragraph when it fills them.
UNFILLED_MARK = "_LkjipHalamanBelumTerisi"
UNFILLED_TEXT = ("Nomor halaman daftar ini belum terisi: buka dokumen di Microsoft Word dan pilih Ya saat diminta "
                 "memperbarui bidang (atau klik kanan daftar lalu Perbarui Bidang), atau susun ulang laporan di "
                 "komputer yang memiliki LibreOffice.")


def page_geometry(doc) -> dict:
    """Page size and margins as set in templates/base.docx (portrait); landscape pages are the same sheet turned
    so that the binding margin (left in portrait) lies at the top. Keyed by `landscape`."""
    s = doc.sections[0]
    portrait = dict(width=s.page_width, height=s.page_height, left=s.left_margin, right=s.right_margin,
                    top=s.top_margin, bottom=s.bottom_margin)
    landscape = dict(width=s.page_height, height=s.page_width, top=s.left_margin, bottom=s.right_margin,
                     left=s.top_margin, right=s.bottom_margin)
    return {False: portrait, True: landscape}


def text_width_cm(geometry: dict) -> float:
    return (geometry["width"] - geometry["left"] - geometry["right"]) / 360000


def text_height_cm(geometry: dict) -> float:
    return (geometry["height"] - geometry["top"] - geometry["bottom"]) / 360000



def without_unfilled_note(document_xml: str) -> str:
    """document.xml without the paragraph holding UNFILLED_MARK (the layout pass, and a PDF, whose renderer fills
    the page references itself, do not need the line)."""
    at = document_xml.find(f'w:name="{UNFILLED_MARK}"')
    if at < 0:
        return document_xml
    start = max(document_xml.rfind("<w:p>", 0, at), document_xml.rfind("<w:p ", 0, at))
    end = document_xml.find("</w:p>", at) + len("</w:p>")
    return document_xml[:start] + document_xml[end:]
