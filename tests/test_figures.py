"""Figures: in the DOCX with numbered captions, cached by data hash, and the PDF/preview commands."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lkjip import cli

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BUILD = """
import json, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from lkjip import pipeline
from lkjip.render import figures
result = pipeline.report(Path({content!r}), 2022, Path({out!r}))
print(json.dumps({{"drawn": figures.DRAWN, "matplotlib": "matplotlib" in sys.modules, "ok": result.output is not None}}))
"""


def _build(content: Path, out: Path) -> dict:
    code = BUILD.format(root=str(ROOT), content=str(content), out=str(out))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A copy of the content and its output folder after one build from scratch: (content, out, what it drew)."""
    base = tmp_path_factory.mktemp("drawn")
    shutil.copytree(ROOT / "content", base / "content")
    first = _build(base / "content", base / "out")
    return base / "content", base / "out", first


def _fresh(drawn, tmp_path):
    """This test's own copy of the drawn build: content and the figure cache."""
    content, out, _first = drawn
    shutil.copytree(content, tmp_path / "content")
    shutil.copytree(out / ".cache", tmp_path / "out" / ".cache")
    return tmp_path / "content", tmp_path / "out"


def test_figures_in_docx_with_captions(built_2022):
    from lxml import etree
    with zipfile.ZipFile(built_2022) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    pictures = root.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/picture}pic")
    assert len(pictures) == 7 and len(media) == 5            # the two organisation charts appear twice
    captions = ["".join(t.text for t in p.iter(W + "t")) for p in root.iter(W + "p")
                if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(W + "val") in ("JudulTabel", "JudulGambar")]
    figure_captions = [c for c in captions if c.startswith("Gambar ")]
    assert figure_captions[0] == "Gambar 1.1 Bagan Struktur Organisasi Jabatan Struktural Dinas Sosial Kota Metro"
    assert any(c.startswith("Gambar 3.3 Pagu dan Realisasi Anggaran per Program") for c in figure_captions)
    assert any(c.startswith("Gambar L.2 Bagan Struktur Organisasi Jabatan Fungsional") for c in figure_captions)


def test_cache_hit_draws_nothing_and_skips_matplotlib(drawn, tmp_path):
    first = drawn[2]
    assert first["ok"] and sorted(first["drawn"]) == ["anggaran", "capaian", "fungsional", "indikator-S1", "struktur"]
    content, out = _fresh(drawn, tmp_path)
    prose = content / "2022/prosa/penutup.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nKalimat tambahan.\n", encoding="utf-8")
    second = _build(content, out)
    assert second == {"drawn": [], "matplotlib": False, "ok": True}
    program = content / "2022/program.yaml"
    text = program.read_text(encoding="utf-8")
    program.write_text(text.replace("anggaran: {pagu: 3000000, realisasi: 3000000}",
                                    "anggaran: {pagu: 3000000, realisasi: 2900000}"), encoding="utf-8")
    third = _build(content, out)
    assert third["drawn"] == ["anggaran"] and third["matplotlib"]


def test_roster_change_redraws_org_chart(drawn, tmp_path):
    content, out = _fresh(drawn, tmp_path)
    staff = content / "2022/pegawai.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("nama: ARDAH\n", "nama: ARDAH BINTI X\n"), encoding="utf-8")
    assert sorted(_build(content, out)["drawn"]) == ["fungsional", "struktur"]


@pytest.mark.slow                                  # LibreOffice: make test-all / .ci/run
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice/poppler tidak terpasang (apt-get install libreoffice-writer-nogui poppler-utils)")
def test_pdf_and_preview_commands(tmp_path):
    out = tmp_path / "folder dengan spasi"          # a profile URL built by hand broke on spaces (issue 13)
    assert cli.main(["preview", "--output", str(out)]) == 0
    pdf = out / "lkjip-2022.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
    assert 55 <= pages <= 90
    # for the agency's website (issue 23 item 5): a structure tree for screen readers, a title, embedded fonts
    assert "Tagged:          yes" in info and "Title:           Laporan Kinerja Instansi Pemerintah" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    # marked PDF/A-2b and PDF/UA-1 in its XMP metadata, with the document's language
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"<pdfaid:part>2</pdfaid:part>\s*<pdfaid:conformance>B</pdfaid:conformance>", meta)
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    raw = pdf.read_bytes()                          # the catalog is written uncompressed by LibreOffice
    assert b"/StructTreeRoot" in raw and b"/Lang(id-ID)" in raw
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for title in ("PENDAHULUAN", "PERENCANAAN KINERJA", "AKUNTABILITAS KINERJA", "PENUTUP", "Gambar 3.3"):
        assert title in text
    footers = {p.strip().splitlines()[-1].strip() for p in text.split("\f") if p.strip()}
    assert {"i", "I.1", "L.1"} <= footers and any(f.startswith("IV.") for f in footers)
    previews = sorted((out / "preview").glob("page-*.png"))
    assert len(previews) == pages and previews[0].name == "page-01.png"


def _printed_sizes(root: Path, year: int, tmp_path: Path):
    """(figure name, smallest printed text in pt, printed height in cm) for every figure the report shows, drawn as the
    build draws it and scaled as the DOCX places it (frame width / PNG width)."""
    import struct

    import docx
    import matplotlib.text

    from lkjip import pipeline
    from lkjip.render import figures
    from lkjip.render.docx_writer import TEMPLATE
    from lkjip.render.page import page_geometry, text_width_cm
    pages = page_geometry(docx.Document(str(TEMPLATE)))
    result = pipeline.check(root, year)
    assert result.plan is not None
    out = []
    for (kind, _args), spec in result.plan.specs.items():
        if kind != "gambar" or spec.empty:
            continue
        plt = figures._pyplot()
        fig = figures._DRAW[spec.kind](plt, spec.data)
        fig.canvas.draw()
        sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
        path = tmp_path / f"{spec.name}.png"
        figures._save(fig, tmp_path, path)
        plt.close(fig)
        width_px, height_px = struct.unpack(">II", path.read_bytes()[16:24])
        frame_cm = min(spec.width_cm, text_width_cm(pages[spec.landscape]))
        scale = frame_cm / (width_px / 200 * 2.54)          # figures are saved at 200 dpi
        out.append((spec.name, min(sizes) * scale, height_px / 200 * 2.54 * scale, spec.landscape, pages))
    return out


@pytest.mark.parametrize("root,year", [(ROOT / "content", 2022), (ROOT / "examples" / "kota-dumai-2016", 2016),
                                       (ROOT / "tests" / "contoh" / "inspektorat-fiktif", 2022)],
                         ids=["contoh-2022", "kota-dumai-2016", "inspektorat-fiktif"])
def test_chart_text_is_readable_on_paper(root, year, tmp_path):
    """Issue 23 item 3: no chart text under 8 pt at its printed size, and every chart fits its page."""
    from lkjip.render.figures import MIN_PRINTED_PT
    measured = _printed_sizes(root, year, tmp_path)
    assert measured
    for name, smallest, height_cm, landscape, pages in measured:
        assert smallest >= MIN_PRINTED_PT, (name, round(smallest, 2))
        page = pages[landscape]
        text_height_cm = (page["height"] - page["top"] - page["bottom"]) / 360000
        assert height_cm <= text_height_cm - 1.5, (name, round(height_cm, 1), round(text_height_cm, 1))  # + caption


def test_one_font_file_per_face_whatever_the_font_cache_order():
    """Two installed copies of one face (fonts-liberation and fonts-liberation2) made the chart bytes depend on the
    order of matplotlib's font cache, which differs between machines and homes: the first file by path wins."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager as fm

    from lkjip.render import figures
    original = list(fm.fontManager.ttflist)
    picks = []
    try:
        for order in (original, original[::-1]):
            fm.fontManager.ttflist = list(order) + list(order[:3])      # a face listed twice, at least
            figures._one_file_per_font()
            picks.append(fm.findfont(fm.FontProperties(family=figures.FONTS), fallback_to_default=True))
            faces = [(e.name, e.style, e.variant, e.weight, e.stretch) for e in fm.fontManager.ttflist]
            assert len(faces) == len(set(faces))
    finally:
        fm.fontManager.ttflist = original
        fm.FontManager._findfont_cached.cache_clear()
    assert picks[0] == picks[1]


def test_a_font_installed_after_the_font_cache_is_used():
    """matplotlib does not rebuild its font cache when fonts are installed later: a cache written before
    fonts-liberation drew the charts in DejaVu Sans, a fresh one in Liberation Sans (seen: five PNGs differed between
    two homes). The system's font files missing from the cache are added before drawing."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager as fm

    from lkjip.render import figures
    original = list(fm.fontManager.ttflist)
    try:
        figures._one_file_per_font()
        fresh = fm.findfont(fm.FontProperties(family=figures.FONTS), fallback_to_default=True)
        stale = [e for e in fm.fontManager.ttflist if e.fname != fresh]          # the cache without that file
        fm.fontManager.ttflist = stale
        fm.FontManager._findfont_cached.cache_clear()
        figures._one_file_per_font()
        assert fm.findfont(fm.FontProperties(family=figures.FONTS), fallback_to_default=True) == fresh
    finally:
        fm.fontManager.ttflist = original
        fm.FontManager._findfont_cached.cache_clear()
