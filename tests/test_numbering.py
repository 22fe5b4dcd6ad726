"""One outline numbering (lkjip/render/numbering.py): the DOCX captions, the Markdown rendition and the ekspor
workbook agree on every table and figure number, also when prose carries pipe tables (issue 20: the workbook said
'Tabel 3.11' where the DOCX said 'Tabel 3.12')."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.tools.spreadsheet.ekspor import run_export
from lkjip.render.numbering import FIGURE, TABLE, Numbering, captions

PIPE_TABLE = "\n\n| Uraian | Nilai |\n|---|---|\n| Satu | 1 |\n| Dua | 2 |\n\n"
# prose with pipe tables: the front matter (no chapter prefix), BAB II, and BAB III before its first directive table
PROSE_TABLES = {"ikhtisar_eksekutif": 1, "perencanaan_kinerja": 2, "pengukuran_kinerja": 1}
LABEL = r"(?:Tabel|Gambar) (?:[0-9]+\.[0-9]+|L\.[0-9]+|[0-9]+)"


def _add_pipe_tables(content: Path) -> None:
    for name, count in PROSE_TABLES.items():
        path = content / "2022" / "prosa" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + PIPE_TABLE * count, encoding="utf-8")


def _docx_captions(docx: Path) -> list[str]:
    """Caption-style paragraphs of the DOCX, label only ('Tabel 3.2')."""
    from docx import Document
    doc = Document(str(docx))
    out = []
    for p in doc.paragraphs:
        if p.style is not None and p.style.name in ("Judul Tabel", "Judul Gambar"):
            match = re.match(LABEL, p.text)
            assert match, p.text
            out.append(match.group(0))
    return out


def _md_captions(text: str) -> list[str]:
    return re.findall(rf"^\*\*?({LABEL})\b", text, re.MULTILINE)


def _sheet_names(xlsx: Path) -> list[str]:
    with zipfile.ZipFile(xlsx) as z:
        return re.findall(r'<sheet [^>]*\bname="([^"]+)"', z.read("xl/workbook.xml").decode("utf-8"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("numbering")
    import shutil
    content = root / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", content)
    _add_pipe_tables(content)
    out = root / "output"
    result = pipeline.report(content, 2022, out)
    assert result.output is not None, [p.format() for p in result.problems]
    assert run_export(content, 2022, out) == 0
    return result, out


def test_docx_md_and_workbook_agree_on_every_number(outputs):
    result, out = outputs
    docx = _docx_captions(out / "lkjip-2022.docx")
    md = _md_captions((out / "lkjip-2022.md").read_text(encoding="utf-8"))
    sheets = _sheet_names(out / "lkjip-2022-tabel.xlsx")
    assert docx == md
    assert [c for c in docx if c.startswith(TABLE)] == sheets
    assert len(docx) == len(set(docx)) > 30                     # every number once
    assert [c.label for c in captions(result.plan.markdown, result.plan.prose)] == docx


def test_prose_pipe_tables_take_their_numbers(outputs, report_2022):
    result, _out = outputs
    before = [c.label for c in captions(report_2022.plan.markdown, report_2022.plan.prose)]
    after = captions(result.plan.markdown, result.plan.prose)
    piped = [c.label for c in after if c.args is None]
    assert len(piped) == sum(PROSE_TABLES.values())
    assert "Tabel 1" in piped and "Tabel 3.1" in piped            # front matter: no prefix; BAB III: its first
    assert sum(1 for c in piped if c.startswith("Tabel 2.")) == 2
    # the directive tables of BAB III move up by one; the figures keep their numbers
    assert [c.label for c in after if c.args == "skala"] == ["Tabel 3.2"]
    assert "Tabel 3.1" in before and [c for c in before if c.startswith(FIGURE)] == \
        [c.label for c in after if c.kind == FIGURE]
    assert len(after) == len(before) + sum(PROSE_TABLES.values())


def test_pipe_table_caption_in_markdown_sits_before_its_table(outputs):
    _result, out = outputs
    text = (out / "lkjip-2022.md").read_text(encoding="utf-8")
    assert re.search(r"^\*\*Tabel 3\.1\*\*\n\n\| Uraian \| Nilai \|$", text, re.MULTILINE)


def test_numbering_rules():
    n = Numbering()
    n.section("depan")
    assert n.caption(TABLE) == "1"
    n.section("bab", "III")
    assert (n.caption(TABLE), n.caption(TABLE), n.caption(FIGURE)) == ("3.1", "3.2", "3.1")
    n.section("reviu")                                             # the review page: no prefix, no restart
    assert n.caption(TABLE) == "3"
    n.section("lampiran")
    assert (n.caption(TABLE), n.caption(FIGURE)) == ("L.1", "L.1")
    n.section_directive("bab IV")
    assert n.caption(TABLE) == "4.1"


@pytest.mark.parametrize("style, labels", [("bab-huruf-angka", ["BAB II", "A.", "1.", "2.", "B.", "1."]),
                                           ("angka", ["BAB II", "2.1", "2.1.1", "2.1.2", "2.2", "2.2.1"])])
def test_heading_labels(style, labels):
    n = Numbering(style)
    n.section("bab", "II")
    assert [n.heading(level) for level in (1, 2, 3, 3, 2, 3)] == labels
