"""Ground floor: the content's vocabulary, defined once. How the program tree and the Renstra are walked, the
Perjanjian Kinerja kinds and which one is in force, the nomenclatures, polarity, what a number is, the figures a
source may declare, and key-path lookup. Imports nothing of the project's: every stage and tool may use it.

Walkers accept raw content (the YAML as written, possibly incomplete): a missing or non-list child list, or a
non-mapping entry, is skipped rather than raised on, so that tools reading unvalidated files (new-year,
impor-anggaran, the reviewer's recount) walk the same tree as the stages do on validated content.
"""
from __future__ import annotations

import re
from decimal import Decimal

# --- program tree (program.yaml) ---------------------------------------------------------------------------

LEVELS = ("program", "kegiatan", "sub_kegiatan")
LEVEL_WORDS = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}


def _mappings(value):
    """(index, mapping) of a list (a tuple once frozen); nothing for anything else."""
    if not isinstance(value, (list, tuple)):
        return ()
    return ((i, item) for i, item in enumerate(value) if isinstance(item, dict))


def program_items(program_data):
    """(level, path, item) of every program, kegiatan and sub kegiatan, in content order, each parent before its
    children. path is the key path inside program.yaml, e.g. ('program', 0, 'kegiatan', 1)."""
    if not isinstance(program_data, dict):
        return
    for i, prog in _mappings(program_data.get("program")):
        ppath = ("program", i)
        yield "program", ppath, prog
        for j, keg in _mappings(prog.get("kegiatan")):
            kpath = ppath + ("kegiatan", j)
            yield "kegiatan", kpath, keg
            for k, sub in _mappings(keg.get("sub_kegiatan")):
                yield "sub_kegiatan", kpath + ("sub_kegiatan", k), sub


def is_leaf(level: str, item) -> bool:
    """A measured leaf: a sub kegiatan (Permendagri 90/2019), or a kegiatan without a sub_kegiatan list (13/2006)."""
    return level == "sub_kegiatan" or level == "kegiatan" and item.get("sub_kegiatan") is None


def program_leaves(program_data):
    """(path, item) of every measured leaf, in content order."""
    for level, path, item in program_items(program_data):
        if is_leaf(level, item):
            yield path, item


CODE_TEXT = re.compile(r"[0-9]+(\.[0-9]+)*")


def code_key(code) -> tuple | None:
    """Codes compared by their numbers, so '1.06.01.2.01.0001' (newer nomenclature) matches '1.06.01.2.01.01'."""
    text = str(code).strip()
    if not CODE_TEXT.fullmatch(text):
        return None
    return tuple(int(part) for part in text.split("."))


# --- Renstra (renstra.yaml) --------------------------------------------------------------------------------

def renstra_sasaran(renstra_data):
    """(path, tujuan, sasaran) of every sasaran, in Renstra order."""
    if not isinstance(renstra_data, dict):
        return
    for ti, tujuan in _mappings(renstra_data.get("tujuan")):
        for si, sasaran in _mappings(tujuan.get("sasaran")):
            yield ("tujuan", ti, "sasaran", si), tujuan, sasaran


def indicator_places(renstra_data):
    """(path, tujuan, sasaran or None, indicator) of every Renstra indicator, in Renstra order: a tujuan's own
    indicators (indikator_tujuan) before its sasaran's (tujuan -> indikator_tujuan, sasaran -> indikator)."""
    if not isinstance(renstra_data, dict):
        return
    for ti, tujuan in _mappings(renstra_data.get("tujuan")):
        for ii, ind in _mappings(tujuan.get("indikator_tujuan")):
            yield ("tujuan", ti, "indikator_tujuan", ii), tujuan, None, ind
        for si, sasaran in _mappings(tujuan.get("sasaran")):
            for ii, ind in _mappings(sasaran.get("indikator")):
                yield ("tujuan", ti, "sasaran", si, "indikator", ii), tujuan, sasaran, ind


def renstra_indicators(renstra_data):
    """(path, indicator) of every Renstra indicator (tujuan and sasaran indicators), in Renstra order."""
    for path, _tujuan, _sasaran, ind in indicator_places(renstra_data):
        yield path, ind


def indicators_by_id(renstra_data) -> dict:
    """indicator id -> indicator mapping (the last one wins when an id is written twice; check reports it)."""
    return {ind.get("id"): ind for _path, ind in renstra_indicators(renstra_data)}


# --- Perjanjian Kinerja (kinerja.yaml) ---------------------------------------------------------------------

ANALYSIS_TARGETS = ("sasaran", "tujuan", "indikator")        # what a kinerja.yaml `analisis` entry belongs to

# --- Rencana Aksi and quarterly monitoring (kinerja.yaml rencana_aksi) ---------------------------------------------

QUARTERS = ("I", "II", "III", "IV")                 # triwulan, in order; each ends in month 3, 6, 9, 12
KUMULATIF, PER_PERIODE, NILAI_TERAKHIR = "kumulatif", "per_periode", "nilai_terakhir"
QUARTER_RULES = (KUMULATIF, PER_PERIODE, NILAI_TERAKHIR)
# how the quarters make the year: kumulatif - each quarter's value is the year so far (Q IV is the year's);
# per_periode - each quarter stands alone and the year is their sum; nilai_terakhir - the latest value stands
MONITOR_DEFAULT = {"ambang_sesuai": 100, "ambang_waspada": 85}  # capaian to date: on track / at risk / off track


# A quarter of a year as the command line writes it: 2023-TW2, 2023-TWII, 2023TW2, 2023-Q2 (TW: triwulan)
PERIOD = re.compile(r"([0-9]{4})-?(?:TW|T|Q)\s*-?\s*([1-4]|IV|III|II|I)", re.IGNORECASE)


def quarter_number(name) -> int | None:
    """'II' -> 2; also 2 or '2'; None for anything else."""
    text = str(name).strip().upper()
    if text in QUARTERS:
        return QUARTERS.index(text) + 1
    return int(text) if text in ("1", "2", "3", "4") else None

PK = "perjanjian_kinerja"
PK_PERUBAHAN = "perjanjian_kinerja_perubahan"
PK_KINDS = (PK, PK_PERUBAHAN)                     # report order: the agreement, then its revision
PK_PRECEDENCE = (PK_PERUBAHAN, PK)                # the revision, when present, is the one in force
PK_LABELS = {PK: "Perjanjian Kinerja", PK_PERUBAHAN: "Perjanjian Kinerja Perubahan"}


def pk_in_force(kinerja_data) -> str | None:
    """The key of the Perjanjian Kinerja in force (the revision when there is one), or None without any."""
    return next((key for key in PK_PRECEDENCE if (kinerja_data or {}).get(key)), None)


# --- nomenclatures (laporan.yaml `nomenklatur`) ------------------------------------------------------------

NOMENKLATUR_90 = "permendagri-90-2019"            # program -> kegiatan -> sub kegiatan (the measured leaves)
NOMENKLATUR_13 = "permendagri-13-2006"            # program -> kegiatan (kegiatan are the leaves)
NOMENKLATUR_DEFAULT = NOMENKLATUR_90
NOMENKLATUR_LABELS = {NOMENKLATUR_90: "Permendagri 90/2019", NOMENKLATUR_13: "Permendagri 13/2006"}
# Code shapes per nomenclature and level: Permendagri 90/2019 (urusan.bidang.program.kegiatan.sub kegiatan,
# sub kegiatan in 2 or 4 digits) and Permendagri 13/2006 (urusan.bidang[.unit].program.kegiatan); with an example.
CODE_FORMS = {
    NOMENKLATUR_90: {"program": (r"[0-9]\.[0-9]{2}\.[0-9]{2}", "1.06.02"),
                     "kegiatan": (r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}", "1.06.02.2.02"),
                     "sub_kegiatan": (r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}\.([0-9]{2}|[0-9]{4})",
                                      "1.06.02.2.02.01")},
    NOMENKLATUR_13: {"program": (r"[0-9]\.[0-9]{2}(\.[0-9]{2})?\.[0-9]{2}", "1.02.15 atau 1.02.01.15"),
                     "kegiatan": (r"[0-9]\.[0-9]{2}(\.[0-9]{2})?\.[0-9]{2}\.[0-9]{2,3}", "1.02.15.01")},
}


OUTPUT_STEM_DEFAULT = "lkjip"


def output_stem(laporan, year: int) -> str:
    """Name of a report's output files without suffix: the agency's own abbreviation (laporan.yaml `singkatan`:
    LKjIP, LKIP, LAKIP) in lower-case ASCII, then the year: lkjip-2022, lkip-2021."""
    abbreviation = re.sub(r"[^a-z0-9]+", "", str((laporan or {}).get("singkatan") or "").lower())
    return f"{abbreviation or OUTPUT_STEM_DEFAULT}-{year}"


def nomenclature(laporan) -> str:
    """The nomenclature of a report from its laporan.yaml mapping (the default when not written)."""
    return (laporan or {}).get("nomenklatur") or NOMENKLATUR_DEFAULT


def has_sub_kegiatan(nomenklatur: str) -> bool:
    """Whether the leaves of this nomenclature are sub kegiatan (else kegiatan)."""
    return nomenklatur == NOMENKLATUR_90


# --- polarity (indicators and leaves: `polaritas`) ---------------------------------------------------------

POSITIF = "positif"                               # higher is better
NEGATIF = "negatif"                               # lower is better
POLARITIES = (POSITIF, NEGATIF)
POLARITY_DEFAULT = POSITIF

# --- numbers as written in the YAML ------------------------------------------------------------------------

# A plain decimal with a point, ASCII digits only: full-width or other scripts' digits are not numbers here.
NUMBER_PATTERN = r"-?[0-9]+(\.[0-9]+)?"
NUMBER = re.compile(NUMBER_PATTERN)


def is_number(value) -> bool:
    return value is not None and NUMBER.fullmatch(str(value).strip()) is not None


def number(value) -> Decimal | None:
    """A number as written ('1485', '88.4', 88.4), else None (empty, or a text such as 'refocusing')."""
    if value is None:
        return None
    text = str(value).strip()
    return Decimal(text) if NUMBER.fullmatch(text) else None


# --- figures the source printed (`dinyatakan_sumber`), cross-checked against the computed ones --------------

DECLARED = "dinyatakan_sumber"
DECLARED_BUDGET = ("pagu", "realisasi", "serapan")            # on a program or kegiatan of program.yaml
# laporan.yaml dinyatakan_sumber: counts (key = "jumlah_" + the attribute of Report.counts) and totals, with labels
DECLARED_COUNTS = {"jumlah_program": "Jumlah program", "jumlah_kegiatan": "Jumlah kegiatan",
                   "jumlah_sub_kegiatan": "Jumlah sub kegiatan",
                   "jumlah_sub_kegiatan_berindikator": "Jumlah sub kegiatan dengan indikator",
                   "jumlah_sub_kegiatan_beranggaran": "Jumlah sub kegiatan dengan pagu",
                   "jumlah_pegawai": "Jumlah pegawai", "jumlah_pns": "Jumlah PNS",
                   "jumlah_kontrak": "Jumlah tenaga kontrak"}
DECLARED_TOTALS = {"total_pagu": "Total pagu", "total_realisasi": "Total realisasi",
                   "serapan_tabel": "Serapan total (tabel)", "serapan_teks": "Serapan total (teks)",
                   "iku_realisasi": "Realisasi IKU", "iku_capaian_bab_iv": "Capaian IKU (BAB IV)"}


def count_attribute(key: str) -> str:
    """The Report.counts attribute a declared count is compared with: 'jumlah_pns' -> 'pns'."""
    return key.removeprefix("jumlah_")


# --- key paths -----------------------------------------------------------------------------------------------

def value_at(data, path):
    """The value at a key path (keys and list indices); KeyError/IndexError/TypeError when it is not there."""
    for step in path:
        data = data[step]
    return data


# --- indicator life cycle and scale values (issue 21) -----------------------------------------------------------

def lifecycle(renstra) -> dict:
    """{id: (first year, last year, replaced by, replaces, basis)} of every indicator. A replacement may be written
    on either side (`diganti_oleh` on the old one, `menggantikan` on the new one); the old one's last year is its
    `berakhir`, else the year before the new one's `berlaku_mulai`; the new one's first year is its
    `berlaku_mulai`, else the year after the old one's last year."""
    rows = {ind["id"]: ind for _p, _t, _s, ind in indicator_places(renstra)}
    pairs = {}                                   # old id -> new id
    for ind in rows.values():
        if ind.get("diganti_oleh") in rows:
            pairs[ind["id"]] = ind["diganti_oleh"]
        if ind.get("menggantikan") in rows:
            pairs.setdefault(ind["menggantikan"], ind["id"])
    out = {i: [ind.get("berlaku_mulai"), ind.get("berakhir"), None, None, ind.get("dasar_perubahan")]
           for i, ind in rows.items()}
    for old, new in pairs.items():
        out[old][2], out[new][3] = new, old
        if out[old][1] is None and out[new][0] is not None:
            out[old][1] = out[new][0] - 1
        if out[new][0] is None and out[old][1] is not None:
            out[new][0] = out[old][1] + 1
        out[new][4] = out[new][4] or out[old][4]
    return {i: tuple(v) for i, v in out.items()}


def in_force(span, year: int) -> bool:
    first, last = span[0], span[1]
    return (first is None or first <= year) and (last is None or year <= last)


def scale_text(value) -> str | None:
    """A scale value as written: the schema reads `3` as a number, the scale lists it as text."""
    if value is None or isinstance(value, str):
        return value
    return str(value)
