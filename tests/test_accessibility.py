"""Issue 23 item 5: a DOCX for the agency's website. Every picture has alt text (its caption and the figures it
shows), table header rows are marked as such, the document title has no doubled word."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.base.fmt import join_title

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("root", "year"), [(ROOT / "content", 2022), (ROOT / "examples" / "kota-dumai-2016", 2016)],
                         ids=["2022", "dumai"])
def test_pictures_have_alt_text_and_title_is_clean(root, year, tmp_path):
    result = pipeline.report(root, year, tmp_path)
    with zipfile.ZipFile(result.output) as z:
        document = z.read("word/document.xml").decode()
        core = z.read("docProps/core.xml").decode()
    pictures = re.findall(r"<wp:docPr [^>]*>", document)
    assert pictures and all(re.search(r'descr="[^"]{10,}"', p) for p in pictures)
    assert "<w:tblHeader/>" in document
    title = re.search(r"<dc:title>([^<]*)</dc:title>", core).group(1).split()
    assert all(a.casefold() != b.casefold() for a, b in zip(title, title[1:])), title


def test_capaian_alt_text_carries_the_printed_figures(tmp_path):
    result = pipeline.check(ROOT / "content", 2022)
    alt = result.plan.specs[("gambar", "capaian")].alt_text
    assert alt == "Capaian Indikator Kinerja Tahun 2022: Persentase PPKS yang tertangani 99,92%"


def test_join_title():
    assert join_title("Laporan Kinerja Instansi Pemerintah", "Pemerintah Kota Dumai", "Tahun 2016") == \
        "Laporan Kinerja Instansi Pemerintah Kota Dumai Tahun 2016"
    assert join_title("Laporan Kinerja", "Dinas Sosial", "") == "Laporan Kinerja Dinas Sosial"
