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
