"""Issue 21 item 6: keberhasilan, kendala and upaya per sasaran, tujuan or indicator (kinerja.yaml `analisis`),
printed in that part's analysis; the README's example is pasted and built."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.render.markdown import rendition

ROOT = Path(__file__).resolve().parent.parent


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"  ```yaml\n(  analisis:\n.*?)  ```", readme, re.DOTALL).group(1)
    return "\n".join(line[2:] for line in block.splitlines()) + "\n"


def _with(tmp_path, text: str):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "2022" / "kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return pipeline.check(root, 2022)


def test_readme_example_prints_in_its_parts(tmp_path):
    result = _with(tmp_path, _readme_example())
    assert not [p for p in result.problems if p.severity == "error"]
    text = rendition(result.plan.markdown, result.report, result.plan.specs, result.plan.prose)
    section = text.split("### Sasaran 1", 1)[1].split("\n### ", 1)[0]
    order = [section.index(s) for s in ("Faktor keberhasilan:\n\n1. Data PPKS dimutakhirkan setiap triwulan.",
                                        "Kendala:\n\n1. Keterbatasan rumah singgah.",
                                        "Upaya yang dilakukan:\n\n1. Menambah pendamping sosial.",
                                        "Program yang mendukung sasaran ini")]
    assert order == sorted(order)
    assert result.report.analisis["sasaran:S1"] == (("Upaya yang dilakukan", ("Menambah pendamping sosial.",)),)


@pytest.mark.parametrize(("text", "code", "path"), [
    ("analisis:\n  - sasaran: S9\n    upaya: [x]\n", "sasaran-tidak-dikenal", "analisis[0].sasaran"),
    ("analisis:\n  - tujuan: T9\n    upaya: [x]\n", "tujuan-tidak-dikenal", "analisis[0].tujuan"),
    ("analisis:\n  - indikator: tidak-ada\n    upaya: [x]\n", "indikator-tidak-dikenal", "analisis[0].indikator"),
    ("analisis:\n  - upaya: [x]\n", "kunci-wajib", "analisis[0]"),
    ("analisis:\n  - {sasaran: S1, upaya: [x]}\n  - {sasaran: S1, kendala: [y]}\n", "id-ganda", "analisis[1].sasaran"),
    ("analisis:\n  - {sasaran: S1, indikator: iku-ppks, upaya: [x]}\n", "nilai-tidak-valid", "analisis[0].sasaran"),
])
def test_wrong_analysis_entries(tmp_path, text, code, path):
    errors = [(p.code, p.path) for p in _with(tmp_path, text).problems if p.severity == "error"]
    assert (code, path) in errors
