"""new-year edits YAML by node position: block and flow styles, comments after values, CRLF and BOM files all stay
valid and keep their layout (issue 13, item 4)."""
from __future__ import annotations

import json

from lkjip import pipeline
from lkjip.tools.years.scaffold import new_year
from lkjip.load.yamlsafe import parse_yaml


def _replace(path, old, new, newline="\n", bom=False):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8"))


def _flow_item(path, code):
    """Rewrite the block-style sub kegiatan `code` as one flow mapping line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == f'- kode: "{code}"')
    end = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- ") or not lines[i].startswith(" " * 12))
    block = "\n".join(line[lines[start].index("-") + 2:] for line in lines[start:end])
    item = parse_yaml(block.encode(), "x")[0].data
    flow = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items() if not isinstance(v, dict))
    lines[start:end] = [lines[start][:lines[start].index("-")] + "- {" + flow + "}"]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_new_year_over_block_flow_comments_crlf_and_bom(content):
    year = content / "2022"
    program, kinerja, laporan = year / "program.yaml", year / "kinerja.yaml", year / "laporan.yaml"
    _flow_item(program, "1.06.01.2.01.02")
    _replace(program, "    dinyatakan_sumber: {pagu: 3203475382, realisasi: 2949958312, serapan: 90}\n",
             "    dinyatakan_sumber:\n      pagu: 3203475382   # Tabel 3.10\n      realisasi: 2949958312\n      serapan: 90\n")
    _replace(program, "            realisasi: 2\n            realisasi_tahun_lalu: 2\n            anggaran: {pagu: 10020000, realisasi: 10020000}\n",
             "            realisasi: 2  # laporan triwulan IV\n            realisasi_tahun_lalu: 2\n"
             "            anggaran:\n              pagu: 10020000\n              realisasi: 10020000  # SP2D\n",
             newline="\r\n")
    _replace(kinerja, "        jumlah: 30\n", "        jumlah: 30  # orang\n", newline="\r\n")
    _replace(laporan, "draf: false\n", "draf: false   # final\n", bom=True)
    before = pipeline.check(content, 2022)
    assert not [p for p in before.problems if p.severity == "error"], [p.format() for p in before.problems]

    new_year(content, 2023)

    out = content / "2023"
    for name, crlf in (("program.yaml", True), ("kinerja.yaml", True), ("laporan.yaml", False)):
        raw = (out / name).read_bytes()
        assert (b"\r\n" in raw) == crlf and (raw.replace(b"\r\n", b"").count(b"\n") == 0) == crlf, name
    assert (out / "laporan.yaml").read_bytes().startswith(b"\xef\xbb\xbf")
    text = (out / "program.yaml").read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert "            realisasi:  # laporan triwulan IV\n" in text
    assert "              realisasi: null  # SP2D\n" in text
    body = "\n".join(line for line in text.split("\n") if not line.startswith("#"))
    assert "dinyatakan_sumber" not in body and "realisasi_tahun_lalu" not in body and "Tabel 3.10" not in body
    assert '- {kode: "1.06.01.2.01.02", nama: "Koordinasi dan Penyusunan Dokumen RKA-SKPD", ' in text
    assert b"        jumlah: null  # orang\r\n" in (out / "kinerja.yaml").read_bytes()
    assert "draf: true   # final\n" in (out / "laporan.yaml").read_text(encoding="utf-8-sig")

    result = pipeline.check(content, 2023)
    allowed = {p.code for p in before.problems if p.code != "angka-sumber-berbeda"} | {"realisasi-kosong"}
    assert {p.code for p in result.problems} <= allowed, [p.format() for p in result.problems if p.code not in allowed]
    todo = [p for p in result.problems if p.code == "realisasi-kosong"]
    assert len(todo) >= 43 + 39 and all("belum diisi" in p.message for p in todo)
    subs = {s.kode: s for p in result.report.programs for k in p.kegiatan for s in k.sub_kegiatan}
    assert subs["1.06.01.2.01.01"].budget.realisasi is None and subs["1.06.01.2.01.01"].budget.pagu == 10020000
    assert subs["1.06.01.2.01.02"].realisasi is None
