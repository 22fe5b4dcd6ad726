"""The page a DOCX is laid out on: size and margins as set in templates/base.docx, in portrait and landscape, and
the text area they leave (tables and figures are sized to it)."""
from __future__ import annotations

from ..base.resources import TEMPLATES_DIR

TEMPLATE = TEMPLATES_DIR / "base.docx"
TWIPS_PER_CM = 1440 / 2.54


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

