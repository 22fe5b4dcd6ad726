"""Issue 10: any agency's LKjIP. A small agency written from scratch (three indicators with their own units,
polarity and cap, Permendagri 13/2006 budget, only the required files), outline variants, organisation charts of
any width, and no word of the 2022 example in code or templates."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.base.fmt import persen
from lkjip.render.markdown import rendition

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FILES = {
    "2024/laporan.yaml": """\
tahun: 2024
renstra: renstra
judul: Laporan Kinerja Instansi Pemerintah
singkatan: LKjIP
tempat: Kota Contoh
tanggal: 2025-02
draf: false
nomenklatur: permendagri-13-2006
penandatangan:
  nama: NAMA KEPALA, S.KM.
  nip: "197001012000031001"
  jabatan: Kepala Dinas Contoh
skala_predikat:
  - {batas_bawah: 90, predikat: Sangat Baik}
  - {batas_bawah: 70, predikat: Baik}
  - {batas_bawah: 0, predikat: Kurang}
capaian:
  batas_atas: null
  rumus_negatif: selisih
""",
    "2024/instansi.yaml": """\
nama: Dinas Contoh Kota Contoh
nama_singkat: Dinas Contoh
pemerintah_daerah: Pemerintah Kota Contoh
daerah: Kota Contoh
""",
    "2024/program.yaml": """\
program:
  - kode: "1.02.15"
    nama: Program Pelayanan Contoh
    sasaran: [S1]
    kegiatan:
      - kode: "1.02.15.01"
        nama: Kegiatan Contoh Pertama
        indikator: Jumlah layanan
        satuan: layanan
        target: 100
        realisasi: 80
        anggaran: {pagu: 100000000, realisasi: 50000000}
      - kode: "1.02.15.02"
        nama: Kegiatan Contoh Kedua
        indikator: Jumlah kunjungan
        satuan: kunjungan
        target: 10
        realisasi: 12
        anggaran: {pagu: 20000000, realisasi: 19000000}
""",
    "2024/kinerja.yaml": """\
realisasi_indikator:
  - indikator: akb
    pembilang: 9
    penyebut: 8233
    riwayat: {"2023": 145.75}
  - indikator: cakupan
    realisasi: 95
  - indikator: indeks
    realisasi: 3.6
""",
    "renstra/renstra.yaml": """\
periode: {awal: 2021, akhir: 2026}
visi: Visi contoh
tujuan:
  - id: T1
    uraian: Meningkatnya derajat kesehatan
    sasaran:
      - id: S1
        uraian: Menurunnya angka kematian
        indikator:
          - id: akb
            uraian: Angka Kematian Contoh
            iku: true
            satuan: per 100.000 KH
            polaritas: negatif
            rumus: {pembilang: Jumlah kematian, penyebut: Jumlah kelahiran hidup, pengali: 100000}
            standar_nasional: {nilai: 183, sumber: Target nasional contoh}
            target: {"2024": 125, "2026": 100}
          - id: cakupan
            uraian: Cakupan Layanan Contoh
            iku: true
            satuan: "%"
            polaritas: positif
            target: {"2024": 80, "2026": 90}
      - id: S2
        uraian: Meningkatnya kepuasan
        indikator:
          - id: indeks
            uraian: Indeks Kepuasan Contoh
            satuan: indeks
            desimal: 2
            polaritas: positif
            batas_atas: 100
            target: {"2024": 3, "2026": 3.5}
""",
}


def write_agency(root: Path, files: dict = FILES) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    root = write_agency(tmp_path_factory.mktemp("agency") / "content")
    result = pipeline.check(root, 2024)
    assert not [p for p in result.problems if p.severity == "error"], [p.format() for p in result.problems]
    return result


@pytest.fixture(scope="module")
def agency_text(agency):
    return rendition(agency.plan.markdown, agency.report, agency.plan.specs)


def _ind(result, ind_id):
    return next(i for i in result.report.indicators if i.id == ind_id)


def test_rate_per_100000_lower_is_better(agency):
    akb = _ind(agency, "akb")
    assert akb.realisasi == Decimal(9) / Decimal(8233) * 100000           # 109,3162...
    assert persen(akb.capaian.nilai) == "112,55%"                        # (2 x 125 - 109,3162) / 125 x 100
    assert akb.capaian.predikat == "Sangat Baik"
    assert (akb.banding_lalu.naik, akb.banding_lalu.membaik) == (False, True)     # 145,75 -> 109,32: better
    assert akb.banding_akhir.membaik is False                           # 109,32 has not reached the end target 100
    assert persen(akb.capaian_akhir.nilai) == "90,68%"                   # (2 x 100 - 109,3162) / 100 x 100
    assert akb.banding_standar.membaik is True                          # below the national 183


def test_units_print_with_their_unit(agency_text):
    assert "109,32 per 100.000 KH" in agency_text and "125 per 100.000 KH" in agency_text
    assert "95% terhadap target 80%" in agency_text                      # a percentage indicator keeps its %
    assert "3,60 indeks" in agency_text and "3,60%" not in agency_text     # an index never gets a % sign
    assert "109,32%" not in agency_text and "125%" not in agency_text
    assert "turun 36,43 per 100.000 KH, yang berarti kinerja membaik" in agency_text
    assert "Indikator ini makin rendah makin baik" in agency_text
    assert "lebih baik standar tersebut" in agency_text or "lebih baik" in agency_text.split("standar nasional")[1]


def test_cap_is_one_value_everywhere(agency, agency_text):
    """Indeks 3,6 against 3: raw 120%, capped at the indicator's batas_atas 100: table, chart, prose and predikat
    all use 100%, the raw value shown beside it in the prose, labelled."""
    indeks = _ind(agency, "indeks")
    assert (indeks.capaian.mentah, indeks.capaian.nilai, indeks.capaian.dibatasi) == (Decimal(120), Decimal(100), True)
    assert indeks.capaian.predikat == "Sangat Baik"
    table = next(spec for (kind, args), spec in agency.plan.specs.items() if kind == "tabel" and args == "capaian")
    row = next(cells for cells, _bold in table.rows if cells[2].text == "Indeks Kepuasan Contoh")
    assert row[6].text == "100,00%"
    chart = agency.plan.specs[("gambar", "capaian")].data
    assert chart["shown"][chart["labels"].index("Indeks Kepuasan Contoh")] == "100,00%"
    assert "capaiannya 100,00%" in agency_text and "nilai sebelum dibatasi 120,00%" in agency_text
    assert "120,00%" not in table_text(table)


def table_text(spec) -> str:
    return " ".join(c.text for cells, _b in spec.rows for c in cells)


def test_every_sasaran_and_indicator_gets_its_section(agency, agency_text):
    assert "### Sasaran 1: Menurunnya angka kematian" in agency_text
    assert "### Sasaran 2: Meningkatnya kepuasan" in agency_text
    for ind in ("Angka Kematian Contoh", "Cakupan Layanan Contoh", "Indeks Kepuasan Contoh"):
        assert f"**{ind}.**" in agency_text
    assert ("gambar", "indikator S1") in agency.plan.specs and ("gambar", "indikator S2") in agency.plan.specs
    panels = agency.plan.specs[("gambar", "indikator S1")].data["panels"]
    assert [p["satuan"] for p in panels] == ["per 100.000 KH", "%"]
    assert "tidak tersedia" not in agency_text and "Belum terdapat standar nasional" not in agency_text


def test_optional_parts_are_left_out(agency, agency_text):
    """Only laporan, instansi, program, kinerja and renstra: no organisation, staff, legal basis, strategic issues,
    Renstra matrix, PK or corrections; their sections are left out with their headings."""
    for heading in ("## Dasar Hukum", "## Gambaran Umum Organisasi", "## Isu Strategis", "Perjanjian Kinerja Tahun",
                    "Strategi dan Arah Kebijakan", "Analisis Efisiensi", "DAFTAR PEGAWAI", "BAGAN STRUKTUR", "MATRIKS"):
        assert heading not in agency_text, heading
    assert re.findall(r"^# LAMPIRAN.*$", agency_text, re.M) == ["# LAMPIRAN 1: INDIKATOR KINERJA"]
    missing = {p.file.rsplit("/", 1)[-1] for p in agency.problems if p.code == "prosa-hilang"}
    assert "kata_pengantar.md" in missing                                # mandatory prose: a visible blank
    assert "*[Bagian ini belum diisi:" in agency_text


def test_budget_13_2006_kegiatan_are_the_leaves(agency):
    report = agency.report
    assert report.counts.sub_kegiatan == 0 and report.counts.rincian == 2
    keg = report.programs[0].kegiatan[0]
    assert keg.leaf is not None and keg.budget.pagu == 100000000 and persen(keg.budget.serapan) == "50,00%"
    assert persen(keg.leaf.capaian.nilai) == "80,00%"
    budget = agency.plan.specs[("tabel", "anggaran")]
    assert budget.header[0][1].text == "Program / Kegiatan"
    assert [c.text for c in budget.rows[-1][0]][1:] == ["120.000.000", "69.000.000", "57,50%", "51.000.000"]


def test_report_builds_from_required_files_only(agency, tmp_path):
    result = pipeline.report(agency.content.root, 2024, tmp_path)
    assert result.output is not None and result.output.is_file()


def test_outline_variants(tmp_path):
    """Decimal heading numbers, an extra section in BAB III, a PK and a revised PK with their own signatories, and
    the chosen appendices in the chosen order."""
    files = dict(FILES)
    files["2024/laporan.yaml"] += """\
kerangka:
  penomoran: angka
  bagian_tambahan:
    - {judul: Inovasi, bab: III, prosa: inovasi}
  lampiran: [pk-perubahan, pk]
"""
    files["2024/kinerja.yaml"] += """\
perjanjian_kinerja:
  tempat: Kota Contoh
  tanggal: 2024-01
  pihak_kesatu: {nama: NAMA KEPALA, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}
  pihak_kedua: {nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}
  target:
    - {indikator: akb, target: 130}
perjanjian_kinerja_perubahan:
  tempat: Kota Contoh
  tanggal: 2024-09
  pihak_kesatu: {nama: NAMA KEPALA, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}
  pihak_kedua: {nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}
  target:
    - {indikator: akb, target: 120}
"""
    files["2024/prosa/inovasi.md"] = "Inovasi tahun {{ tahun }} adalah layanan contoh.\n"
    root = write_agency(tmp_path / "content", files)
    result = pipeline.report(root, 2024, tmp_path / "out")
    assert result.output is not None, [p.format() for p in result.problems]
    assert not [p for p in result.problems if p.code == "pk-tanpa-tanda-tangan"]
    akb = _ind(result, "akb")
    assert (akb.target, akb.target_sumber) == (Decimal(120), "Perjanjian Kinerja Perubahan")   # the revision wins
    from lxml import etree
    body = etree.fromstring(zipfile.ZipFile(result.output).read("word/document.xml")).find(W + "body")
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in body.iter(W + "p")
             if not (p.find(f"{W}pPr/{W}pStyle") is not None
                     and p.find(f"{W}pPr/{W}pStyle").get(W + "val").startswith("TOC"))]
    assert "1.1 Latar Belakang" in texts and "3.1 Capaian Kinerja Organisasi" in texts
    assert any(t.startswith("3.") and t.endswith("Inovasi") for t in texts)
    assert "Inovasi tahun 2024 adalah layanan contoh." in texts
    lampiran = [t for t in texts if t.startswith("LAMPIRAN ")]
    assert lampiran == ["LAMPIRAN 1: PERJANJIAN KINERJA PERUBAHAN TAHUN 2024", "LAMPIRAN 2: PERJANJIAN KINERJA TAHUN 2024"]
    assert "NAMA WALI KOTA" in texts and "Kota Contoh, September 2024" in " ".join(texts)


@pytest.mark.parametrize("children", [3, 5, 8])
def test_org_chart_boxes_never_overlap(children):
    from lkjip.render.figures import org_layout
    long = "BIDANG PENCEGAHAN DAN PENGENDALIAN PENYAKIT MENULAR DAN TIDAK MENULAR"
    cols = [{"head": {"text": [f"{long} {i}", "NAMA PEJABAT, S.KM., M.Kes.", "NIP. 19700101 200003 1 001"]},
             "below": [{"text": [f"SEKSI {j} {long}", "NAMA, S.ST", "NIP. 19800101 200501 2 001"]} for j in range(3)]}
            for i in range(children)]
    layout = org_layout({"root": {"text": ["KEPALA DINAS", "NAMA KEPALA"]}, "columns": cols, "title": "X"})
    boxes = layout["boxes"]
    # a chart taller than its landscape page summarises the lower boxes (issue 23: text stays >= 8 pt on paper);
    # every unit is still counted
    from lkjip.render.figures import ORG_MAX_HEIGHT
    summaries = [int(b["lines"][0].split()[1]) for b in boxes if b["lines"][0].startswith("DAN ")]
    shown = len(boxes) - 1 - children - len(summaries)
    assert shown + sum(summaries) == children * 3
    assert layout["height"] + 0.15 <= ORG_MAX_HEIGHT or shown + len(summaries) == children
    for a in boxes:
        assert 0 <= a["x"] and a["x"] + a["w"] <= layout["width"] + 1e-9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                     or a["y"] - a["h"] >= b["y"] or b["y"] - b["h"] >= a["y"])
            assert apart, (a["lines"][0], b["lines"][0])


def test_org_chart_titles_come_from_content(report_2022):
    from lkjip.render.figures import org_chart_data
    data = org_chart_data(report_2022.report, functional=False)
    assert data["root"]["text"][0] == "KEPALA DINAS"            # the unit's own name in content/2022/organisasi.yaml
    assert len(data["columns"]) == 3


def test_missing_content_key_names_the_content_file():
    """A template that asks content for a key it lacks names the content file and line, not Python internals."""
    from lkjip.base.frozen import freeze
    from lkjip.render.prose import environment
    from lkjip.render.sandbox import ContentKeyMissing
    from lkjip.load.yamlsafe import parse_yaml
    doc, _ = parse_yaml(b"nama: Dinas Contoh\ndaerah: Kota Contoh\n", "content/2024/instansi.yaml")
    instansi = freeze(doc.data, doc)
    with pytest.raises(ContentKeyMissing) as exc:
        environment().from_string("Tipe {{ instansi.tipe }}").render(instansi=instansi)
    assert exc.value.origin[:2] == ("content/2024/instansi.yaml", 1) and exc.value.key == "tipe"


EXAMPLE_WORDS = re.compile(r"ppks|pmks|psks|sosial|metro|lampung|\bpkh\b|\bkpm\b|lansia|bpnt|sembako|tagana|"
                           r"makam|kesejahteraan|wali ?kota|dinas sosial", re.I)


@pytest.mark.parametrize("path", sorted(p for p in ROOT.glob("lkjip/**/*.py")) + sorted(ROOT.glob("templates/*.j2"))
                         + [ROOT / "templates" / "make_base.py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_word_of_the_example_in_code_or_templates(path):
    hits = EXAMPLE_WORDS.findall(path.read_text(encoding="utf-8"))
    assert hits == [], f"{path.relative_to(ROOT)}: {sorted(set(hits))}"


def _readme_example(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- contoh: {re.escape(name)} -->\n```yaml\n(.*?)```", text, re.S)
    assert match, name
    return match.group(1)


def test_readme_examples_build_an_agency(tmp_path):
    """The README's YAML examples for several IKUs, units, polarity, caps, outline variants and 13/2006 budgets,
    pasted where the README says, give a report that builds, with the figures the README quotes."""
    files = dict(FILES)
    files["renstra/renstra.yaml"] = "periode: {awal: 2021, akhir: 2026}\nvisi: Visi contoh\n" + _readme_example("renstra")
    files["2024/kinerja.yaml"] = _readme_example("kinerja")
    files["2024/program.yaml"] = _readme_example("program-13-2006")
    files["2024/laporan.yaml"] += _readme_example("kerangka")
    files["2024/prosa/inovasi.md"] = "Uraian inovasi.\n"
    files["2024/prosa/tindak_lanjut_lhe.md"] = "Uraian tindak lanjut.\n"
    root = write_agency(tmp_path / "content", files)
    result = pipeline.report(root, 2024, tmp_path / "out")
    assert result.output is not None, [p.format() for p in result.problems if p.severity == "error"]
    text = rendition(result.plan.markdown, result.report, result.plan.specs)
    for quoted in ("109,32 per 100.000 KH", "92,5%", "3,40 indeks", "turun 36,43 per 100.000 KH, yang berarti kinerja membaik"):
        assert quoted in text, quoted
    assert "Inovasi" in text and "Tindak Lanjut atas LHE SAKIP" in text
    assert result.report.nomenklatur == "permendagri-13-2006" and result.report.programs[0].kegiatan[0].leaf


def test_readme_correction_example_is_valid(content):
    (content / "2022/koreksi.yaml").write_text(_readme_example("koreksi"), encoding="utf-8")
    result = pipeline.check(content, 2022)
    assert not [p for p in result.problems if p.severity == "error"], [p.format() for p in result.problems]
    notes = [p for p in result.problems if p.code == "koreksi-sumber"]
    assert {p.path for p in notes} == {"program[0].kegiatan[1].sub_kegiatan[2].anggaran.realisasi",
                                       "dinyatakan_sumber.serapan_teks"}


def test_readme_indicator_kinds_build_an_agency(tmp_path):
    """Issue 21: the README's YAML for qualitative, polarity-free, tujuan and replaced indicators, pasted as the
    README says, builds with the figures the README quotes."""
    files = dict(FILES)
    files["renstra/renstra.yaml"] = "periode: {awal: 2021, akhir: 2026}\nvisi: Visi contoh\n" + _readme_example("renstra-jenis")
    files["2024/kinerja.yaml"] = _readme_example("kinerja-jenis")
    files["2024/program.yaml"] = FILES["2024/program.yaml"].replace("sasaran: [S1]", "sasaran: [B1]")
    root = write_agency(tmp_path / "content", files)
    result = pipeline.report(root, 2024, tmp_path / "out")
    assert result.output is not None, [p.format() for p in result.problems if p.severity == "error"]
    text = rendition(result.plan.markdown, result.report, result.plan.specs)
    for quoted in ("| WTP | WTP | Tercapai |", "| BB | B | 80,00% |", "naik dari WDP menjadi WTP, yang berarti kinerja membaik",
                   "naik 12 kasus dari 40 kasus menjadi 52 kasus.",
                   "Sejak Tahun 2024, indikator Jumlah laporan hasil pengawasan (target Tahun 2023: 40 laporan) diganti "
                   "dengan indikator B.1.4"):
        assert quoted in text, quoted
    assert "jumlah-lhp" not in {i.id for i in result.report.indicators}
