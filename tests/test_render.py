"""Render stage: read the DOCX back at XML level and check structure, numbering, tables, figures, determinism."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from lkjip import cli, pipeline

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(built_2022):
    return built_2022


def _xml(path: Path):
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _style(p) -> str | None:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(W + "val") if ps is not None else None


def test_outline_order(built):
    body = _xml(built).find(W + "body")
    titles = [_text(p) for p in body.iter(W + "p") if _style(p) in ("Heading1", "JudulTanpaNomor")]
    assert titles == ["KATA PENGANTAR", "DAFTAR ISI", "DAFTAR TABEL", "DAFTAR GAMBAR", "IKHTISAR EKSEKUTIF",
                      "PENDAHULUAN", "PERENCANAAN KINERJA", "AKUNTABILITAS KINERJA", "PENUTUP",
                      "LAMPIRAN 1: PERJANJIAN KINERJA TAHUN 2022", "LAMPIRAN 2: INDIKATOR KINERJA UTAMA",
                      "LAMPIRAN 3: BAGAN STRUKTUR ORGANISASI", "LAMPIRAN 4: DAFTAR PEGAWAI",
                      "LAMPIRAN 5: MATRIKS PROGRAM RENSTRA"]
    subtitles = [_text(p) for p in body.iter(W + "p") if _style(p) == "Heading2"]
    assert subtitles[:3] == ["Latar Belakang", "Maksud dan Tujuan", "Dasar Hukum"]
    assert "Realisasi Anggaran" in subtitles


def _sections(path: Path):
    """(pgNumType fmt, start, orientation, footer text) per section, in order."""
    from docx import Document
    doc = Document(str(path))
    rows = []
    for section in doc.sections:
        pg = section._sectPr.find(W + "pgNumType")
        footer = "".join(p.text for p in section.footer.paragraphs) if not section.footer.is_linked_to_previous else None
        rows.append((pg.get(W + "fmt") if pg is not None else None, pg.get(W + "start") if pg is not None else None,
                     section.orientation, footer))
    return rows


def test_page_number_settings(built):
    rows = _sections(built)
    fmt, start, _o, footer = rows[0]
    assert (fmt, start, footer) == (None, None, "")                          # cover: no page number
    assert rows[1][:2] == ("lowerRoman", "1")                                 # front matter i, ii, ...
    chapters = [(f, s, foot) for f, s, _o, foot in rows if foot and foot[:-1].endswith(".") and foot[0] in "IV"]
    prefixes = [foot.rstrip("1") for _f, _s, foot in chapters]
    assert prefixes[0] == "I." and "IV." in prefixes
    assert chapters[0][:2] == ("decimal", "1")                                # body restarts at I.1 once...
    assert all(s is None for _f, s, foot in chapters[1:])                     # ...then runs on: II.n continues
    assert rows[-1][3] == "L.1" and rows[-1][:2] in (("decimal", "1"), (None, None))


def test_landscape_sections_for_wide_tables(built):
    from docx.enum.section import WD_ORIENT
    assert sum(1 for row in _sections(built) if row[2] == WD_ORIENT.LANDSCAPE) >= 4


def test_tables_repeat_headers_and_rows_do_not_split(built):
    body = _xml(built).find(W + "body")
    tables = list(body.iter(W + "tbl"))
    assert len(tables) >= 20
    for tbl in tables:
        rows = tbl.findall(W + "tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        style = tbl.find(f"{W}tblPr/{W}tblStyle").get(W + "val")
        if style == "TabelLKjIP":
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
            assert rows[-1].find(f"{W}trPr/{W}tblHeader") is None


def test_key_figures_present(built):
    text = _text(_xml(built))
    for figure in ("5.721.724.782", "5.206.757.104", "91,00%", "92,09%", "88,33%", "99,92%", "Sangat Tinggi",
                   "12.295", "13.920", "6 (enam) program", "48 (empat puluh delapan) sub kegiatan",
                   "43 (empat puluh tiga) memiliki indikator", "39 (tiga puluh sembilan) memiliki pagu", "Maret 2023",
                   "19711223 199203 1 002", "I MADE WIRYANA, S.Sos., MM", "Serapan di bawah batas"):
        assert figure in text, figure
    for wrong in ("5.210.417.104", "91,06%", "Belum terdapat standar nasional", "saling sesuai", "Ke depan"):
        assert wrong not in text, wrong      # contradicted figures and invented claims never reach the report


def test_captions_numbered_per_chapter(built):
    body = _xml(built).find(W + "body")
    captions = [_text(p) for p in body.iter(W + "p") if _style(p) == "JudulTabel" and _text(p).startswith("Tabel")]
    assert captions[0].startswith("Tabel 1.1 ")
    assert any(c.startswith("Tabel 3.1 ") for c in captions)
    assert any(c.startswith("Tabel L.1 ") for c in captions)


def test_toc_uses_chapter_prefix_and_pageref(built):
    body = _xml(built).find(W + "body")
    toc = [p for p in body.iter(W + "p") if (_style(p) or "").startswith("TOC")]
    assert toc
    first = toc[0]
    instr = "".join(t.text for t in first.iter(W + "instrText"))
    assert "PAGEREF _Toc" in instr and _text(first) == "BAB I PENDAHULUANI."
    assert first.find(f"{W}r/{W}tab") is not None


def test_same_content_same_bytes(built, tmp_path):
    again = pipeline.report(ROOT / "content", 2022, tmp_path).output
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(built.read_bytes()).hexdigest()
    with zipfile.ZipFile(again) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(2023, 3, 1, 0, 0, 0)}


def test_failed_build_keeps_previous_output(content, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["report", "--content", str(content), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    # the build lists warnings but only counts the declared corrections (check lists them)
    assert "[keluaran-tanpa-anggaran]" in printed.out and "[koreksi-sumber]" not in printed.out
    assert "49 koreksi" in printed.err
    before = (out / "lkjip-2022.docx").read_bytes()
    prose = content / "2022/prosa/penutup.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n{{ nama_tak_dikenal }}\n", encoding="utf-8")
    assert cli.main(["report", "--content", str(content), "--output", str(out)]) == 1
    assert (out / "lkjip-2022.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "koreksi-2022.md", "lkjip-2022.docx", "lkjip-2022.md"]


def test_markdown_rendition(built):
    text = built.with_suffix(".md").read_text(encoding="utf-8")
    assert re.search(r"BAB I\n+# PENDAHULUAN", text) and re.search(r"\*\*Tabel 3\.\d+ Realisasi Anggaran", text)
    assert "| **1.06.01** | **Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota** | **3.203.475.382** |" in text


_EXPR = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)


@pytest.mark.parametrize("path", sorted(ROOT.glob("templates/*.j2")) + sorted(ROOT.glob("content/*/prosa/*.md")),
                         ids=lambda p: p.name)
def test_templates_do_no_arithmetic(path):
    for match in _EXPR.finditer(path.read_text(encoding="utf-8")):
        expr = re.sub(r"\"[^\"]*\"|'[^']*'", "", match.group(1) or match.group(2))
        assert not re.search(r"[+*/%]|\s-\s", expr), f"{path.name}: {expr.strip()}"


@pytest.mark.slow                                  # LibreOffice: make test-all / .ci/run
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice/poppler tidak terpasang (apt-get install libreoffice-writer-nogui poppler-utils)")
def test_libreoffice_pdf_has_numbered_pages_and_filled_toc(built, tmp_path):
    shutil.copy(built, tmp_path / "r.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "r.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    toc_page = next(p for p in pages if "DAFTAR ISI" in p and "PENDAHULUAN" in p)
    assert re.search(r"BAB I PENDAHULUAN\.*\s*I\.1\b", toc_page)
    assert re.search(r"BAB IV PENUTUP\.*\s*IV\.\d+", toc_page)
    footers = [p.strip().splitlines()[-1].strip() for p in pages if p.strip()]
    assert footers[1] == "i"
    assert "I.1" in footers and any(f.startswith("III.") for f in footers) and any(f.startswith("L.") for f in footers)


def test_prose_markdown_maps_onto_styles(report_2022):
    """Nested numbered/lettered lists, bullets, bold, italic and a simple table from prose Markdown."""
    from lkjip.render.directives import mark
    from lkjip.render.docx_writer import DocxWriter
    md = mark("<!-- lkjip:bagian bab I -->\n\n# JUDUL\n\nTeks **tebal** dan *miring*.\n\n"
          "1. satu\n    1. anak a\n    2. anak b\n2. dua\n\n- butir\n\n| A | B |\n|---|---|\n| x | y |\n")
    body = DocxWriter(report_2022.report).write(md).element.body
    paras = list(body.iter(W + "p"))
    levels = [(_text(p), p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(W + "val")) for p in paras
              if p.find(f"{W}pPr/{W}numPr") is not None and _style(p) == "ListParagraph"]
    assert levels == [("satu", "0"), ("anak a", "1"), ("anak b", "1"), ("dua", "0"), ("butir", "0")]
    runs = {(_text(r), r.find(f"{W}rPr/{W}b") is not None, r.find(f"{W}rPr/{W}i") is not None)
            for p in paras for r in p.iter(W + "r") if _text(r).strip()}
    assert ("tebal", True, False) in runs and ("miring", False, True) in runs
    table = next(body.iter(W + "tbl"))
    assert [_text(tc) for tc in table.iter(W + "tc")] == ["A", "B", "x", "y"]
    assert _style(next(p for p in paras if _text(p) == "JUDUL")) == "Heading1"


def test_every_table_fits_its_text_width(built):
    """Each table's width is at most its section's text width (page geometry comes from templates/base.docx)."""
    body = _xml(built).find(W + "body")
    pending, checked = [], 0
    for block in body:
        if block.tag == W + "tbl":
            pending.append(int(block.find(f"{W}tblPr/{W}tblW").get(W + "w")))
        sect = block.find(f"{W}pPr/{W}sectPr") if block.tag == W + "p" else (block if block.tag == W + "sectPr" else None)
        if sect is not None:
            width = int(sect.find(W + "pgSz").get(W + "w"))
            margins = sect.find(W + "pgMar")
            text = width - int(margins.get(W + "left")) - int(margins.get(W + "right"))
            assert all(w <= text for w in pending), (pending, text)
            checked += len(pending)
            pending = []
    assert checked >= 20


def test_landscape_geometry_follows_template():
    from docx import Document
    from lkjip.render.docx_writer import TEMPLATE
    from lkjip.render.page import page_geometry
    pages = page_geometry(Document(str(TEMPLATE)))
    assert pages[True]["top"] == pages[False]["left"]            # binding edge on top of turned pages
    assert pages[True]["width"] == pages[False]["height"]


def test_cover_logo_when_content_provides_one(content, tmp_path):
    from PIL import Image
    Image.new("RGB", (40, 40), (31, 78, 121)).save(content / "2022" / "logo.png")
    instansi = content / "2022/instansi.yaml"
    instansi.write_text(instansi.read_text(encoding="utf-8").replace("tipe: C\n", "tipe: C\nlogo: logo.png\n"), encoding="utf-8")
    out = pipeline.report(content, 2022, tmp_path).output
    body = _xml(out).find(W + "body")
    first_section = []
    for block in body:
        first_section.append(block)
        if block.find(f"{W}pPr/{W}sectPr") is not None:
            break
    pictures = [b for b in first_section if b.find(".//{http://schemas.openxmlformats.org/drawingml/2006/picture}pic") is not None]
    assert len(pictures) == 1


def test_tables_are_designed_for_the_template_width(report_2022):
    """Designed widths fit the default template, so no table is scaled (and re-wrapped) unless an agency narrows it."""
    from docx import Document
    from lkjip.render.docx_writer import TEMPLATE
    from lkjip.render.page import page_geometry, text_width_cm
    pages = page_geometry(Document(str(TEMPLATE)))
    tables = {args: spec for (kind, args), spec in report_2022.plan.specs.items() if kind == "tabel"}
    assert len(tables) >= 20
    for name, spec in tables.items():
        assert sum(spec.widths) <= text_width_cm(pages[spec.landscape]) + 0.01, name


def _entry(p) -> str:
    """A list entry's text: what comes before its tab (the page number follows the tab)."""
    out = []
    for el in p.iter(W + "t", W + "tab", W + "br"):
        if el.tag == W + "tab":
            break
        out.append(" " if el.tag == W + "br" else el.text or "")   # a break kept a word with its page number
    return "".join(out)


def _fields(body):
    """(instruction, [entry texts]) of every TOC field: the paragraphs from its begin to its end."""
    out, current, depth = [], None, 0
    for p in body.iter(W + "p"):
        inside = current is not None
        for r in p.iter(W + "r"):
            char = r.find(W + "fldChar")
            kind = char.get(W + "fldCharType") if char is not None else None
            instr = "".join(t.text or "" for t in r.findall(W + "instrText")).strip()
            depth += (kind == "begin") - (kind == "end")
            if instr.startswith("TOC") and depth == 1:
                current, inside = (instr, []), True
        if inside:
            current[1].append(_entry(p))
        if current is not None and depth == 0:
            out.append(current)
            current = None
    return out


def test_lists_are_toc_fields_word_can_update(built):
    """Issue 23 item 6: Daftar Isi, Daftar Tabel and Daftar Gambar are TOC fields (\\o headings; \\t the caption
    styles), their cached entries exactly the captions those styles carry, so Update Table gives the same list."""
    from lkjip.render.docx_writer import DocxWriter
    result = pipeline.check(ROOT / "content", 2022)          # as the layout pass gets it: numbers to be filled
    doc = DocxWriter(result.report, ROOT / "content" / "2022", built.parent / ".cache" / "gambar", result.plan.specs,
                     toc_front_matter=True).write(result.plan.markdown)
    body = doc.element.body
    fields = _fields(body)
    assert _fields(_xml(built).find(W + "body")) == []       # no layout pass: bare PAGEREFs LibreOffice fills
    assert [instr for instr, _e in fields] == ['TOC \\o "1-3" \\h \\z \\u', 'TOC \\h \\z \\t "Judul Tabel,1"',
                                              'TOC \\h \\z \\t "Judul Gambar,1"']
    for (_instr, entries), style in zip(fields[1:], ("JudulTabel", "JudulGambar")):
        captions = [_text(p) for p in body.iter(W + "p") if _style(p) == style]
        assert entries == captions and len(captions) >= 3
