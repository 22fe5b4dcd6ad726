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
    """Capaian of one indicator: raw value (None when not computable), the shown value and predikat."""

    value: Decimal | None
    shown: Decimal | None          # after the configured cap, if any
    predikat: str | None
    reason: str | None = None      # why there is no value (text target, zero target, ...)


@dataclass(frozen=True)
class Budget:
    pagu: int
    realisasi: int | None          # None while not filled in ("belum diisi")
    serapan: Decimal | None        # percent
    sisa: int | None


@dataclass(frozen=True)
class RenstraYear:
    year: int
    target: Decimal | None
    unit: str | None
    pagu: int | None


@dataclass(frozen=True)
class SubKegiatan:
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


@dataclass(frozen=True)
class Program:
    kode: str
    nama: str
    indikator: str | None
    kebijakan: str | None
    kegiatan: tuple
    budget: Budget
    capaian_rata: Decimal | None   # mean capaian of measurable sub kegiatan
    jumlah_terukur: int
    efisien: bool | None           # capaian_rata >= serapan
    renstra_tahun_ini: RenstraYear | None = None
    path: tuple = ()


@dataclass(frozen=True)
class Component:
    uraian: str
    jumlah: int | None
    satuan: str | None
    kode: str | None
    counted: bool
    reason: str | None


@dataclass(frozen=True)
class Indicator:
    id: str
    uraian: str
    satuan: str
    polaritas: str
    iku: bool
    tujuan: str
    sasaran: str
    rumus: object
    kondisi_awal: Decimal | None
    targets: tuple                 # (year, Decimal) over the Renstra period
    target: Decimal | None         # this year's (PK, else Renstra)
    target_akhir: Decimal | None
    realisasi: Decimal | None
    capaian: Achievement
    capaian_akhir: Decimal | None  # realisasi vs end-of-period target
    pembilang: int | None
    penyebut: int | None
    komponen: tuple
    realisasi_lalu: Decimal | None
    realisasi_lalu_sumber: str | None
    perubahan: Decimal | None      # realisasi - realisasi_lalu (points)
    standar_nasional: Decimal | None


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
    isu: object
    kendala: tuple
    pegawai: tuple
    kepala: object
    penandatangan: object
    units: tuple
    programs: tuple
    total: Budget
    indicators: tuple
    iku: Indicator | None
    counts: object
    staff_tables: tuple
    matriks: tuple
    skala: tuple
    sumber_tahun_lalu: str          # where last year's figures come from
    efisiensi_metode: str
    keadaan_pegawai: str
    sub_di_bawah_target: tuple     # measurable sub kegiatan with capaian < 100, lowest first
    sebaran_predikat: tuple        # (predikat, count of sub kegiatan) in scale order
    renstra_programs: tuple        # matrix rows at program level
