"""Pernyataan Telah Direviu (reviu.yaml): the page after BAB IV and before the Lampiran, its blanks, and the
--strict warning when a final report has none."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from lkjip import pipeline
from lkjip.render import signature

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "contoh" / "reviu.yaml"


def _copy(tmp: Path) -> Path:
    dest = tmp / "content"
    shutil.copytree(ROOT / "content", dest)
    return dest


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """(content root, built DOCX) with the sample reviu.yaml."""
    tmp = tmp_path_factory.mktemp("reviu")
    root = _copy(tmp)
    shutil.copy(SAMPLE, root / "2022" / "reviu.yaml")
    result = pipeline.report(root, 2022, tmp / "out")
    assert result.output is not None, [p.format() for p in result.problems if p.severity == "error"]
    return root, result.output


def _body(path: Path) -> list:
    """(style name, text) of every body paragraph, in order."""
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def _index(paragraphs, style_prefix: str, text_start: str) -> int:
    return next(i for i, (style, text) in enumerate(paragraphs) if style.startswith(style_prefix) and text.startswith(text_start))


def test_page_sits_after_bab_iv_and_before_the_lampiran(reviewed):
    _root, docx = reviewed
    body = _body(docx)
    penutup = _index(body, "Heading 1", "PENUTUP")
    review = _index(body, "Judul Tanpa Nomor", "PERNYATAAN TELAH DIREVIU")   # front-matter style, not BAB V
    lampiran = _index(body, "Judul Tanpa Nomor", "LAMPIRAN 1")
    assert penutup < review < lampiran
    page = [text for _s, text in body[review:lampiran]]
    # the reviewer's block: own place and date, jabatan, name in capitals, NIP grouped 8-6-1-3
    assert "Kota Contoh, 24 Februari 2023" in page
    assert "Inspektur Kota Contoh," in page
    assert "DRA. NAMA PEREVIU, M.Si" in page
    assert "NIP. 19680101 199003 2 005" in page
    assert "Nomor: 700/45/IR/2023" in page
    # never the report's own signatory
    assert not any("WIRYANA" in text or "19711223" in text for text in page)


def test_page_starts_a_new_section_with_bab_iv_page_numbers(reviewed):
    _root, docx = reviewed
    doc = Document(str(docx))
    footers = ["".join(r.text for r in s.footer.paragraphs[0].runs) for s in doc.sections]
    body = doc.element.body
    # the section holding the review heading ends at the sectPr after it; its footer prefix continues BAB IV
    heading = next(p for p in doc.paragraphs if p.text == "PERNYATAAN TELAH DIREVIU")
    ends = [el for el in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")]
    position = list(body.iter()).index(heading._p)
    section_index = next(i for i, s in enumerate(ends) if list(body.iter()).index(s) > position)
    assert footers[section_index].startswith("IV.")
    assert footers[section_index + 1].startswith("L.")


def test_table_of_contents_lists_the_page_between_bab_iv_and_lampiran(reviewed):
    _root, docx = reviewed
    toc = [text for style, text in _body(docx) if style == "TOC 1"]
    entries = [t.split("\t")[0] for t in toc]
    assert entries.index("BAB IV PENUTUP") + 1 == entries.index("PERNYATAAN TELAH DIREVIU")
    assert entries.index("PERNYATAAN TELAH DIREVIU") + 1 == next(i for i, t in enumerate(entries) if t.startswith("LAMPIRAN 1"))
    assert toc[entries.index("PERNYATAAN TELAH DIREVIU")].split("\t")[1].startswith("IV.")     # "IV." + PAGEREF


def test_markdown_rendition_has_the_page_too(reviewed):
    _root, docx = reviewed
    text = docx.with_suffix(".md").read_text(encoding="utf-8")
    assert text.index("# PENUTUP") < text.index("# PERNYATAAN TELAH DIREVIU") < text.index("# LAMPIRAN 1")


def test_incomplete_statement_leaves_visible_blanks_and_warns(tmp_path):
    root = _copy(tmp_path)
    (root / "2022" / "reviu.yaml").write_text("nomor: 700/45/IR/2023\ncatatan:\n  - Komponen A belum didukung berita acara.\n",
                                             encoding="utf-8")
    result = pipeline.check(root, 2022)
    found = [p for p in result.problems if p.code == "reviu-belum-lengkap"]
    assert [(Path(p.file).name, p.line, p.severity) for p in found] == [("reviu.yaml", 1, "warning")]
    lines = [text for text, _bold, _gap in signature.review_lines(result.report.reviu)]
    assert lines == [f"{signature.DOTS}, {signature.DOTS}", f"{signature.DOTS},", signature.BLANK_NAME,
                     f"NIP. {signature.DOTS}"]
    assert "# PERNYATAAN TELAH DIREVIU" in result.plan.markdown
    assert "\n1. Komponen A belum didukung berita acara.\n" in result.plan.markdown     # the reviewer's matters, listed


def test_impossible_date_is_an_error_at_its_line(tmp_path):
    root = _copy(tmp_path)
    text = SAMPLE.read_text(encoding="utf-8").replace("tanggal: 2023-02-24", "tanggal: 2023-02-30")
    (root / "2022" / "reviu.yaml").write_text(text, encoding="utf-8")
    result = pipeline.check(root, 2022)
    line = text.splitlines().index("tanggal: 2023-02-30") + 1
    assert [(p.code, p.line, p.path) for p in result.problems if p.file.endswith("reviu.yaml")] == \
        [("format-tidak-valid", line, "tanggal")]
    assert result.report is None


def test_absent_statement_no_page_and_a_strict_warning_for_final_reports(report_2022, tmp_path):
    assert report_2022.report.reviu is None and not report_2022.report.draf
    assert "PERNYATAAN TELAH DIREVIU" not in report_2022.plan.markdown
    assert "reviu-tidak-ada" not in {p.code for p in report_2022.problems}          # only with --strict
    strict = pipeline.check(ROOT / "content", 2022, strict=True)
    found = [p for p in strict.problems if p.code == "reviu-tidak-ada"]
    assert [(Path(p.file).as_posix().endswith("2022/reviu.yaml"), p.severity) for p in found] == [(True, "warning")]
    assert pipeline.blocked(strict.problems, strict=True)
    root = _copy(tmp_path)                                                            # a draft needs no review yet
    laporan = root / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("draf: false", "draf: true"), encoding="utf-8")
    assert "reviu-tidak-ada" not in {p.code for p in pipeline.check(root, 2022, strict=True).problems}


def test_new_year_does_not_carry_the_review_or_the_lke_evidence(tmp_path):
    from lkjip.tools.years.scaffold import new_year
    root = _copy(tmp_path)
    shutil.copy(SAMPLE, root / "2022" / "reviu.yaml")
    shutil.copy(ROOT / "tests" / "contoh" / "lke.yaml", root / "2022" / "lke.yaml")
    target = new_year(root, 2023)
    assert not (target / "reviu.yaml").exists() and not (target / "lke.yaml").exists()
    assert (target / "laporan.yaml").exists()
