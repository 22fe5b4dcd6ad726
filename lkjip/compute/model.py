"""Compute stage: the computed report model (frozen dataclasses) that templates only format."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Measure:
    """A target or realisation: a number in `unit`, or a text such as 'refocusing'."""

    number: Decimal | None = None
    text: str | None = None
    unit: str | None = None

    @property
    def is_number(self) -> bool:
        return self.number is not None


@dataclass(frozen=True)
class Achievement:
    """Capaian of one indicator against one target.

    nilai: the value shown everywhere (tables, charts, prose, predikat): the raw value, or the configured cap when
    the raw value exceeds it. mentah: the raw value. None when not computable (reason in `alasan`)."""

    nilai: Decimal | None
    mentah: Decimal | None
    predikat: str | None
    alasan: str | None = None
    dibatasi: bool = False         # True when the cap replaced the raw value
    status: str | None = None      # qualitative indicators: "tercapai" | "tidak tercapai" (rank against the target)
    desimal: int = 2               # decimals the agency prints capaian with (laporan.yaml capaian.desimal)


@dataclass(frozen=True)
class Budget:
    pagu: int | None               # None: no part of it has a budget (unknown, never 0)
    realisasi: int | None          # None while not filled in ("belum diisi")
    serapan: Decimal | None        # percent
    sisa: int | None
    rencana_tw: tuple = (None, None, None, None)     # anggaran kas to the end of triwulan I-IV (cumulative, Rupiah)
    realisasi_tw: tuple = (None, None, None, None)   # realisasi keuangan to the end of triwulan I-IV (cumulative)
    rencana_fisik_tw: tuple = (None, None, None, None)    # planned physical progress to the end of each quarter, %
    realisasi_fisik_tw: tuple = (None, None, None, None)  # physical progress reached to the end of each quarter, %


@dataclass(frozen=True)
class RenstraYear:
    year: int
    target: Decimal | None
    unit: str | None
    pagu: int | None


@dataclass(frozen=True)
class SubKegiatan:
    """A measured leaf of the budget tree: a sub kegiatan (Permendagri 90/2019) or a kegiatan without sub
    kegiatan (Permendagri 13/2006). `tingkat` says which."""

    kode: str
    nama: str
    indikator: str | None
    satuan: str | None
    polaritas: str
    target: Measure | None
    realisasi: Measure | None
    realisasi_lalu: Measure | None
    capaian: Achievement
    budget: Budget | None
    kebijakan: str | None
    catatan: str | None
    renstra: tuple = ()            # RenstraYear rows for this code
    renstra_tahun_ini: RenstraYear | None = None
    renstra_akhir: RenstraYear | None = None
    path: tuple = ()
    tingkat: str = "sub_kegiatan"


@dataclass(frozen=True)
class Kegiatan:
    kode: str
    nama: str
    indikator: str | None
    target: str | None
    kebijakan: str | None
    sub_kegiatan: tuple
    budget: Budget
    renstra_tahun_ini: RenstraYear | None = None
    path: tuple = ()
    leaf: SubKegiatan | None = None    # the kegiatan's own measures when it has no sub kegiatan (13/2006)


@dataclass(frozen=True)
class Program:
    kode: str
    nama: str
    indikator: str | None
    kebijakan: str | None
    kegiatan: tuple
    budget: Budget
    capaian_rata: Decimal | None   # mean capaian of the measurable leaves that have a budget line
    jumlah_terukur: int            # number of leaves in that mean
    efisiensi: str | None          # efisien | kurang-efisien | serapan-rendah | None (not assessable)
    sasaran: tuple = ()            # ids of the sasaran this program supports (from content)
    renstra_tahun_ini: RenstraYear | None = None
    path: tuple = ()

    @property
    def leaves(self) -> tuple:
        return tuple(leaf for k in self.kegiatan for leaf in ((k.leaf,) if k.leaf else k.sub_kegiatan))


@dataclass(frozen=True)
class Component:
    uraian: str
    jumlah: int | None
    satuan: str | None
    kode: str | None
    counted: bool
    reason: str | None


@dataclass(frozen=True)
class YearValue:
    """One year of an indicator's history: target and realisation (None when unknown) with the capaian."""

    year: int
    target: Decimal | None
    realisasi: Decimal | None
    capaian: Achievement
    sumber: str | None             # where the realisation comes from ("konten 2021", "data tersimpan", ...)


@dataclass(frozen=True)
class Comparison:
    """Realisation compared with another figure, polarity applied: `membaik` is True when the realisation is
    better (higher for positive, lower for negative indicators), None when equal or not comparable."""

    pembanding: Decimal | None
    selisih: Decimal | None        # realisasi - pembanding
    membaik: bool | None
    sama: bool = False
    naik: bool | None = None       # the realisation is higher than the other figure (a higher rank: qualitative)


@dataclass(frozen=True)
class Indicator:
    id: str
    uraian: str
    satuan: str
    desimal: int | None            # display decimals of target/realisasi (None: as written, computed to 2)
    polaritas: str
    iku: bool
    tujuan: str
    tujuan_id: str
    sasaran: str
    sasaran_id: str
    rumus: object                  # {pembilang, penyebut, pengali} descriptions or None
    pengali: Decimal               # multiplier of pembilang / penyebut (100 for %, 1000 for per 1.000, ...)
    kondisi_awal: Decimal | None
    targets: tuple                 # (year, Decimal) over the Renstra period
    target: Decimal | None         # this year's target used for the capaian
    target_sumber: str | None      # "Perjanjian Kinerja Perubahan", "Perjanjian Kinerja" or "Renstra"
    target_akhir: Decimal | None
    realisasi: Decimal | None
    capaian: Achievement
    capaian_akhir: Achievement     # realisasi against the end-of-period target, same formula and cap
    pembilang: Decimal | None
    penyebut: Decimal | None
    komponen: tuple
    riwayat: tuple                 # YearValue per Renstra year up to this year (and earlier years in content)
    realisasi_lalu: Decimal | None
    realisasi_lalu_sumber: str | None
    banding_lalu: Comparison       # this year vs last year
    banding_akhir: Comparison      # this year vs the end-of-period target
    standar_nasional: Decimal | None
    standar_sumber: str | None
    banding_standar: Comparison
    pendukung: tuple               # codes of leaves the realisation is computed from (components)
    path: tuple = ()               # key path in renstra.yaml
    nomor: str | None = None       # the agency's own number ("B.2.1"), printed wherever the report names it
    skala: tuple = ()              # qualitative (ordinal) indicator: its values, lowest first; () for numbers
    tingkat: str = "sasaran"       # "tujuan" (indikator tujuan) or "sasaran"
    tujuan_nomor: str | None = None
    sasaran_nomor: str | None = None
    berlaku_mulai: int | None = None   # first year in force (None: the whole Renstra period)
    berakhir: int | None = None        # last year in force

    @property
    def kualitatif(self) -> bool:
        """Target and realisation are values of a declared scale (WTP, BB, Level 3), not numbers."""
        return bool(self.skala)

    @property
    def bergrafik(self) -> bool:
        """Drawn in the per-sasaran chart: numeric indicators only (a scale has no distances to draw)."""
        return not self.skala

    @property
    def label(self) -> str:
        """The indicator as the report names it: its own number first when it has one."""
        return f"{self.nomor} {self.uraian}" if self.nomor else self.uraian

    @property
    def pemilik(self) -> str:
        """What the indicator measures: its sasaran, or its tujuan for an indikator tujuan."""
        if self.tingkat == "tujuan":
            return f"Tujuan {self.tujuan_nomor}: {self.tujuan}" if self.tujuan_nomor else f"Tujuan: {self.tujuan}"
        return self.sasaran


@dataclass(frozen=True)
class Tujuan:
    """A tujuan of the Renstra with its own indicators (indikator tujuan) in force this year."""

    id: str
    nomor: str | None
    uraian: str
    indikator: tuple               # Indicator (tingkat "tujuan")
    program: tuple = ()            # (programs support sasaran; BAB III lists none under a tujuan)
    tingkat = "tujuan"


@dataclass(frozen=True)
class Replacement:
    """An indicator replaced by another (Renstra revision or PK Perubahan) in force this year: stated once."""

    lama_id: str
    lama: str                      # old wording (with its number)
    lama_target: object            # the old indicator's target of this year (else of its last year with one)
    lama_tahun: int | None         # the year of lama_target
    lama_satuan: str
    baru: Indicator
    tahun: int                     # first year of the new indicator
    dasar: str | None              # the document that made the change


@dataclass(frozen=True)
class Sasaran:
    id: str
    uraian: str
    tujuan: str
    tujuan_id: str
    indikator: tuple               # Indicator
    program: tuple                 # Program objects that declare they support this sasaran
    nomor: str | None = None       # the sasaran's own number in the source (e.g. "8"), else numbered in order
    urutan: int = 0                # position in Renstra order, from 1 (the number when `nomor` is absent)
    tingkat = "sasaran"


@dataclass(frozen=True)
class Signatory:
    nama: str | None
    nip: str | None
    jabatan: str | None
    pangkat: str | None


@dataclass(frozen=True)
class PerformanceAgreement:
    """A Perjanjian Kinerja (or its revision) with its own date and signatories; None fields are left blank."""

    judul: str
    tahun: int
    tempat: str | None
    tanggal: str | None            # YYYY-MM
    pihak_kesatu: Signatory
    pihak_kedua: Signatory
    baris: tuple                   # (Indicator, target Decimal | None)
    anggaran: tuple                # (kode, nama, jumlah) program budgets, when the PK lists them
    total_anggaran: int | None
    dukungan: tuple                # supporting activities as listed in the PK: (uraian, (rincian, ...))
    catatan: str | None
    perubahan: bool = False
    target_renstra: tuple = ()     # ids of the indicators whose target the PK does not state (the Renstra's is shown)


@dataclass(frozen=True)
class ReviewStatement:
    """Pernyataan Telah Direviu (reviu.yaml), signed by the Inspektorat; None fields are left blank, never filled
    from the report's own signatory."""

    instansi: str                  # the agency reviewed (instansi.yaml)
    nomor: str | None
    tempat: str | None
    tanggal: str | None            # YYYY-MM-DD or YYYY-MM
    inspektur: Signatory
    catatan: tuple = ()            # matters the reviewer points out, printed with the statement


@dataclass(frozen=True)
class StaffTable:
    title: str
    columns: tuple                 # column labels
    rows: tuple                    # (unit name, (values...), total)
    totals: tuple
    grand_total: int
    source: str                    # "daftar pegawai" or "rekapitulasi"


@dataclass(frozen=True)
class Report:
    tahun: int
    tahun_lalu: int
    draf: bool
    laporan: object
    instansi: object
    renstra: object
    organisasi: object
    dasar_hukum: tuple
    isu: object                    # isu_strategis.yaml or None
    kendala: tuple
    analisis: dict                 # "sasaran:S1", "tujuan:T1", "indikator:id" -> ((judul, butir), ...)
    pegawai: tuple
    kepala: object
    penandatangan: Signatory
    units: tuple
    programs: tuple
    total: Budget
    indicators: tuple
    sasaran: tuple                 # Sasaran, in Renstra order
    ikus: tuple                    # indicators flagged iku
    iku: Indicator | None          # the first IKU (short alias for prose)
    pk: PerformanceAgreement | None
    pk_perubahan: PerformanceAgreement | None
    counts: object
    staff_tables: tuple
    matriks: tuple
    skala: tuple
    sumber_tahun_lalu: str          # where last year's figures come from
    efisiensi: object              # method config from laporan.yaml (metode, uraian, serapan_minimum)
    keadaan_pegawai: str | None
    sub_di_bawah_target: tuple     # measurable leaves with capaian < 100, lowest first
    sebaran_predikat: tuple        # (predikat, count of leaves) in scale order
    renstra_programs: tuple        # matrix rows at program level
    nomenklatur: str               # permendagri-90-2019 | permendagri-13-2006
    kerangka: object               # outline configuration (numbering, extra sections, appendices)
    koreksi: tuple = ()            # declared corrections of source values (see corrections.py)
    reviu: ReviewStatement | None = None   # Pernyataan Telah Direviu, when content has reviu.yaml
    tujuan: tuple = ()             # Tujuan, in Renstra order
    penggantian: tuple = ()        # Replacement: indicators replaced by one in force this year
    rencana_aksi: tuple = ()       # ActionPlan (compute/quarters.py): quarterly targets and realisations

    @property
    def leaves(self) -> tuple:
        return tuple(leaf for p in self.programs for leaf in p.leaves)

    @property
    def bagian_indikator(self) -> tuple:
        """BAB III's parts in order: each tujuan with its own indicators, then every sasaran."""
        return tuple(t for t in self.tujuan if t.indikator) + tuple(self.sasaran)
