"""Issue 25 item 1: the Perjanjian Kinerja as its own document (build.py pk [--perubahan]): statement page signed by
both parties and its annex, from the year's content, blank where unknown, never borrowed from the LKjIP; the PK
Perubahan states what changed. January workflow: new-year then pk."""
from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from lkjip import cli

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PK_FILES = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + """\
perjanjian_kinerja:
  tempat: Kota Contoh
  tanggal: 2024-01
  pihak_kesatu: {nama: NAMA KEPALA, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}
  pihak_kedua: {nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}
  target:
    - {indikator: akb, target: 130}
    - {indikator: cakupan}
perjanjian_kinerja_perubahan:
  tempat: Kota Contoh
  tanggal: 2024-09
  pihak_kesatu: {nama: NAMA KEPALA, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}
  pihak_kedua: {nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}
  catatan: target angka kematian diturunkan setelah refocusing anggaran
  target:
    - {indikator: akb, target: 120}
    - {indikator: indeks, target: 3.2}
"""}


def _document_text(path: Path) -> str:
    import re
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_pk_of_the_example(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["pk", "--year", "2022", "--output", str(out)]) == 0
    docx = out / "pk-2022.docx"
    md = (out / "pk-2022.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["pk-2022.docx", "pk-2022.md"]
    assert "| 1 | Meningkatnya penanganan dan perlindungan sosial bagi Pemerlu Pelayanan Kesejahteraan Sosial (PPKS) " \
           "| Persentase PPKS yang tertangani | 88,4% |" in md
    assert "| **Jumlah** |  | **5.721.724.782** |" in md                     # programs and pagu from program.yaml
    text = _document_text(docx)
    assert "PERJANJIAN KINERJA TAHUN 2022" in text and "PIHAK KESATU" in text
    assert "I MADE WIRYANA" not in text                # the LKjIP's signatory is never borrowed
    assert "DRAF" not in text
    core = zipfile.ZipFile(docx).read("docProps/core.xml").decode()
    assert "Perjanjian Kinerja Tahun 2022 Dinas Sosial Kota Metro" in core
    first = docx.read_bytes()
    assert cli.main(["pk", "--year", "2022", "--output", str(out)]) == 0
    assert docx.read_bytes() == first                                       # same content, same bytes


def test_pk_passes_the_open_xml_validator(tmp_path):
    audit = pytest.importorskip("openxml_audit")
    out = tmp_path / "out"
    root = write_agency(tmp_path / "content", PK_FILES)
    for args in ([], ["--perubahan"]):
        assert cli.main(["pk", "--content", str(root), "--output", str(out), *args]) == 0
    for name in ("pk-2024.docx", "pk-perubahan-2024.docx"):
        result = audit.OpenXmlValidator().validate(out / name)
        assert [str(e) for e in result.errors if e.severity == audit.ValidationSeverity.ERROR] == []


def test_pk_perubahan_states_what_changed(tmp_path):
    root = write_agency(tmp_path / "content", PK_FILES)
    out = tmp_path / "out"
    assert cli.main(["pk", "--content", str(root), "--output", str(out), "--perubahan"]) == 0
    md = (out / "pk-perubahan-2024.md").read_text(encoding="utf-8")
    assert "# PERJANJIAN KINERJA PERUBAHAN TAHUN 2024" in md
    assert "mengubah Perjanjian Kinerja Tahun 2024: target angka kematian diturunkan setelah refocusing anggaran" in md
    assert "| 1 | Angka Kematian Contoh | 130 per 100.000 KH | 120 per 100.000 KH | Diubah |" in md
    assert "| 2 | Cakupan Layanan Contoh | 80% | - | Dihapus |" in md
    assert "| 3 | Indeks Kepuasan Contoh | - | 3,20 indeks | Ditambahkan |" in md
    assert "Kota Contoh, September 2024" in md and "NAMA WALI KOTA" in md


def test_no_pk_in_content_is_an_error_and_writes_nothing(tmp_path, capsys):
    root = write_agency(tmp_path / "content", FILES)
    out = tmp_path / "out"
    assert cli.main(["pk", "--content", str(root), "--output", str(out)]) == 1
    assert "[pk-tidak-ada]" in capsys.readouterr().out
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    root2 = write_agency(tmp_path / "c2", PK_FILES)
    text = (root2 / "2024" / "kinerja.yaml").read_text(encoding="utf-8")
    (root2 / "2024" / "kinerja.yaml").write_text(text.split("perjanjian_kinerja_perubahan:")[0], encoding="utf-8")
    assert cli.main(["pk", "--content", str(root2), "--output", str(out), "--perubahan"]) == 1


def test_pk_without_program_file_leaves_the_budget_out(tmp_path):
    files = {k: v for k, v in PK_FILES.items() if k != "2024/program.yaml"}
    root = write_agency(tmp_path / "content", files)
    out = tmp_path / "out"
    assert cli.main(["pk", "--content", str(root), "--output", str(out)]) == 0
    md = (out / "pk-2024.md").read_text(encoding="utf-8")
    assert "Anggaran (Rp)" not in md and "| 0 |" not in md


def test_january_workflow_new_year_then_pk(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new-year", "2023", "--content", "content"]) == 0
    assert cli.main(["pk", "--content", "content", "--output", "out"]) == 0
    md = (tmp_path / "out" / "pk-2023.md").read_text(encoding="utf-8")
    assert "# PERJANJIAN KINERJA TAHUN 2023" in md and "| Persentase PPKS yang tertangani | 91,5% |" in md


def test_output_name_taken_by_a_folder_is_left_alone(tmp_path):
    out = tmp_path / "out"
    (out / "pk-2022.docx").mkdir(parents=True)
    (out / "pk-2022.docx" / "catatan.txt").write_text("milik pengguna", encoding="utf-8")
    assert cli.main(["pk", "--year", "2022", "--output", str(out)]) == cli.EXIT_OUTPUT
    assert (out / "pk-2022.docx" / "catatan.txt").read_text(encoding="utf-8") == "milik pengguna"
