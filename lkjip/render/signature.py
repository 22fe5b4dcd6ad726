"""Render stage: signature blocks (report, Perjanjian Kinerja, Pernyataan Telah Direviu); unknown parts stay visibly
blank for hand completion."""
from __future__ import annotations

from ..base.fmt import bulan_tahun, tanggal_teks
from ..base.nip import format_nip

DOTS = "........................"
BLANK_NAME = "(" + "." * 40 + ")"


def signature_name(name: str) -> str:
    """'I Made Wiryana, S.Sos., MM' -> 'I MADE WIRYANA, S.Sos., MM': the name in capitals, degrees as written."""
    head, sep, degrees = name.partition(",")
    return head.upper() + sep + degrees


def place_date(tempat: str | None, tanggal: str | None) -> str:
    return f"{tempat or DOTS}, {bulan_tahun(tanggal) if tanggal else DOTS}"


def name_line(sig) -> str:
    return signature_name(sig.nama) if sig.nama else BLANK_NAME


def nip_line(sig) -> str:
    return f"NIP. {format_nip(sig.nip)}" if sig.nip else f"NIP. {DOTS}"


def jabatan_line(sig) -> str:
    return sig.jabatan or DOTS


def report_lines(report) -> list:
    """(text, bold, blank lines before) of the report's signature block (Kata Pengantar, BAB IV); the room for
    the signature is the three blank lines before the name."""
    sig = report.penandatangan
    lines = [(place_date(report.laporan.get("tempat"), report.laporan.get("tanggal")), False, 0), (jabatan_line(sig) + ",", False, 0),
             (name_line(sig), True, 3), (sig.pangkat or "", False, 0), (nip_line(sig), False, 0)]
    return [line for line in lines if line[0]]


def review_lines(reviu) -> list:
    """(text, bold, blank lines before) of the reviewer's block on the Pernyataan Telah Direviu: the Inspektorat's
    own place, date and signatory from reviu.yaml, blank where unknown."""
    sig = reviu.inspektur
    when = f"{reviu.tempat or DOTS}, {tanggal_teks(reviu.tanggal) if reviu.tanggal else DOTS}"
    lines = [(when, False, 0), (jabatan_line(sig) + ",", False, 0), (name_line(sig), True, 3),
             (sig.pangkat or "", False, 0), (nip_line(sig), False, 0)]
    return [line for line in lines if line[0]]


def agreement_rows(pk) -> list:
    """Rows of the two-column PK signature table: (left = PIHAK KEDUA, right = PIHAK KESATU, bold)."""
    first, second = pk.pihak_kesatu, pk.pihak_kedua
    return [("", place_date(pk.tempat, pk.tanggal), False), ("PIHAK KEDUA,", "PIHAK KESATU,", True),
            (jabatan_line(second), jabatan_line(first), False), ("\n\n\n", "\n\n\n", False),
            (name_line(second), name_line(first), True), ("", nip_line(first), False)]
