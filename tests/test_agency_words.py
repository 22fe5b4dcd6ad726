"""Issue 21 item 11: the agency's words, not the tool's. An agency whose report is called LKIP gets lkip-TAHUN files
(DOCX, Markdown, workbook), and its abbreviation in the diff and reviu texts."""
from __future__ import annotations

import sys
from pathlib import Path

from lkjip import cli
from lkjip.base.output import expected_files
from lkjip.base.shape import output_stem

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402

LKIP = {**FILES, "2024/laporan.yaml": FILES["2024/laporan.yaml"].replace("singkatan: LKjIP", "singkatan: LKIP")}


def test_output_stem_follows_the_abbreviation():
    assert output_stem({"singkatan": "LKjIP"}, 2022) == "lkjip-2022"
    assert output_stem({"singkatan": "LKIP"}, 2021) == "lkip-2021"
    assert output_stem({"singkatan": "L.A.K.I.P."}, 2021) == "lakip-2021"
    assert output_stem({"singkatan": "../../etc"}, 2021) == "etc-2021"          # never a path
    assert output_stem({}, 2021) == "lkjip-2021" and output_stem({"singkatan": "—"}, 2021) == "lkjip-2021"
    assert "koreksi-2021.md" in expected_files("lkip-2021") and "koreksi-2021.md" not in expected_files("reviu-2021")


def test_lkip_agency_gets_lkip_files(tmp_path, capsys):
    root = write_agency(tmp_path / "content", LKIP)
    out = tmp_path / "out"
    assert cli.main(["report", "--content", str(root), "--output", str(out), "--tanpa-tata-letak"]) == 0
    assert cli.main(["ekspor", "--content", str(root), "--output", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["lkip-2024-tabel.xlsx", "lkip-2024.docx", "lkip-2024.md"]
    assert "lkip-2024.docx" in capsys.readouterr().err


def test_section_titles_in_the_agencys_words(tmp_path):
    import re
    import shutil

    import yaml

    from lkjip import pipeline
    from lkjip.render.markdown import rendition
    from lkjip.tools.nilai.lke import Context, load_criteria, score
    from lkjip.tools.reviu.recount import Source
    root_dir = Path(__file__).resolve().parent.parent
    keys = yaml.safe_load((root_dir / "schema" / "laporan.yaml").read_text(encoding="utf-8"))["kerangka"]["schema"][
        "judul"]["keysrules"]["allowed"]
    outline = (root_dir / "templates" / "lkjip.md.j2").read_text(encoding="utf-8")
    assert sorted(re.findall(r'judul\("([a-z_]+)"', outline)) == sorted(keys)       # every key is a title there
    root = tmp_path / "content"
    shutil.copytree(root_dir / "content", root)
    laporan = root / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8") + "kerangka:\n  judul: {ikhtisar_eksekutif: Ringkasan "
                       "Eksekutif, realisasi_anggaran: Akuntabilitas Keuangan}\n", encoding="utf-8")
    result = pipeline.check(root, 2022)
    text = rendition(result.plan.markdown, result.report, result.plan.specs, result.plan.prose)
    assert "\n# RINGKASAN EKSEKUTIF\n" in text and "\n## Akuntabilitas Keuangan\n" in text
    assert "IKHTISAR EKSEKUTIF" not in text and "## Realisasi Anggaran" not in text
    criteria, _problems = load_criteria()
    ctx = Context(result.report, result.plan.markdown, result.prose or {}, Source(result.content.docs), root, 2022, [])
    found = {s.kode: s for _sub, scores in score(ctx, criteria) for s in scores}
    assert found["3b.1"].jawaban == "A"                        # the self-score still finds every part
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("ringkasan", "x").replace(
        "ikhtisar_eksekutif: Ringkasan", "ikhtisar: Ringkasan"), encoding="utf-8")
    assert [p.code for p in pipeline.check(root, 2022).problems if p.severity == "error"] == ["nilai-tidak-diizinkan"]


def _with_laporan(tmp_path, extra: str):
    import shutil
    root = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", root)
    laporan = root / "2022" / "laporan.yaml"
    text = laporan.read_text(encoding="utf-8")
    laporan.write_text(text.replace("capaian:\n  batas_atas: null\n", "capaian:\n  batas_atas: null\n" + extra)
                       if extra.startswith("  ") else text + extra, encoding="utf-8")
    return root


def test_capaian_printed_with_the_agencys_decimals(tmp_path):
    from decimal import Decimal

    from lkjip import pipeline
    from lkjip.render.markdown import rendition
    result = pipeline.check(_with_laporan(tmp_path, "  desimal: 0\n"), 2022)
    assert not [p for p in result.problems if p.severity == "error"]
    iku = result.report.iku
    assert iku.capaian.desimal == 0 and iku.capaian.nilai > Decimal("99.9")      # the value itself is not rounded
    text = rendition(result.plan.markdown, result.report, result.plan.specs, result.plan.prose)
    assert "capaiannya 100% dengan predikat" in text                 # the outline; prose chooses its own filter
    from lkjip.base.fmt import capaian
    assert capaian(iku.capaian) == "100%"
    row = next(cells for cells, _b in result.plan.specs[("tabel", "capaian")].rows)
    assert row[-2].text == "100%"


def test_pages_restart_per_chapter(tmp_path):
    import re
    import zipfile

    from lkjip import pipeline
    result = pipeline.report(_with_laporan(tmp_path / "c", "kerangka:\n  halaman: per-bab\n"), 2022, tmp_path / "out")
    with zipfile.ZipFile(result.output) as z:
        footers = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        document = z.read("word/document.xml").decode()
    assert ">II-<" in footers and ">L-<" in footers and ">II.<" not in footers
    chapters = re.findall(r'<w:pgNumType w:fmt="decimal"( w:start="1")?/>', document)
    assert chapters.count(' w:start="1"') >= 5                  # BAB I-IV and the appendices each start at 1
