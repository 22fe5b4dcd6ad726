"""Shared by every stage and tool: the registry of problem codes (frictionless-style). Each code is listed once
with its severity (the first is the usual one; a few codes are used at more than one), a short Indonesian title and
the README table that explains it to editors (group). tests/test_codes.py holds the code and the README to it:
a code used anywhere in lkjip/ must be registered here, and every registered code must be in its README table.

New code: add a line here and a row to the README table of its group. `problem()` creates a Problem from the
registry (the severity defaults to the code's own); older call sites still build Problem directly.
"""
from __future__ import annotations

from dataclasses import dataclass

from .problems import ERROR, NOTE, WARNING, Problem

CHECK = "check"                      # README "Membaca pesan `check`": content checks of every build command
IMPOR = "impor"                      # README "Impor realisasi anggaran dari sistem keuangan"
NILAI = "nilai"                      # README "Nilai mandiri LKE": lke.yaml answers and the criteria file
GROUPS = (CHECK, IMPOR, NILAI)


@dataclass(frozen=True)
class Code:
    code: str
    severities: tuple                # the first is the usual one
    title: str                       # short Indonesian title
    group: str                       # README table (GROUPS)

    @property
    def severity(self) -> str:
        return self.severities[0]


E, W, N = (ERROR,), (WARNING,), (NOTE,)
_TABLE = (
    # -- reading files (load stage) ---------------------------------------------------------------------------
    ("yaml-tidak-valid", E, "YAML tidak valid", CHECK),
    ("berkas-kosong", E, "Berkas kosong", CHECK),
    ("berkas-tidak-terbaca", E, "Berkas tidak dapat dibaca", CHECK),
    ("berkas-hilang", E, "Berkas tidak ada", CHECK),
    ("berkas-tidak-dikenal", W, "Berkas YAML tidak dikenal", CHECK),
    ("berkas-di-luar-konten", E, "Berkas di luar folder konten", CHECK),
    ("berkas-terlalu-besar", E, "Berkas terlalu besar", CHECK),
    ("yaml-terlalu-besar", E, "YAML terlalu besar", CHECK),
    ("yaml-terlalu-dalam", E, "YAML bersarang terlalu dalam", CHECK),
    ("terlalu-banyak-masalah", E, "Terlalu banyak masalah dalam satu berkas", CHECK),
    ("karakter-tidak-valid", E, "Karakter kendali tidak valid", CHECK),
    ("kunci-tidak-valid", E, "Kunci pemetaan tidak valid", CHECK),
    ("kunci-ganda", E, "Kunci ganda", CHECK),
    ("logo-tidak-valid", E, "Logo tidak valid", CHECK),
    ("tahun-tidak-ada", E, "Tahun tidak ada", CHECK),
    ("tahun-lalu-bermasalah", W, "Konten tahun lalu bergalat", CHECK),
    # -- schema (validate stage, shape) -------------------------------------------------------------------------
    ("kunci-wajib", E, "Kunci wajib belum diisi", CHECK),
    ("kunci-tidak-dikenal", E, "Kunci tidak dikenal", CHECK),
    ("tipe-salah", E, "Tipe nilai salah", CHECK),
    ("nilai-kosong", E, "Nilai kosong", CHECK),
    ("nilai-tidak-diizinkan", E, "Nilai tidak diizinkan", CHECK),
    ("format-tidak-valid", (ERROR, WARNING), "Format nilai tidak valid", CHECK),
    ("nilai-tidak-valid", E, "Nilai tidak valid", CHECK),
    ("terlalu-sedikit", E, "Daftar terlalu sedikit", CHECK),
    ("angka-berformat", E, "Angka berformat", CHECK),
    ("uang-negatif", E, "Uang negatif", CHECK),
    ("persen-di-luar-rentang", E, "Persentase di luar rentang", CHECK),
    ("nilai-terlalu-kecil", E, "Nilai terlalu kecil", CHECK),
    ("nilai-terlalu-besar", E, "Nilai terlalu besar", CHECK),
    ("tanggal-tidak-valid", E, "Tanggal tidak valid", CHECK),
    ("kode-tidak-valid", E, "Kode tidak valid", CHECK),
    ("nip-tidak-valid", (ERROR, WARNING), "NIP tidak valid", CHECK),
    # -- meaning checks (validate stage, checks.py) -----------------------------------------------------------
    ("kode-ganda", E, "Kode ganda", CHECK),
    ("kode-tingkat-salah", E, "Bentuk kode tidak sesuai tingkat", CHECK),
    ("kode-yatim", E, "Kode tidak di bawah induknya", CHECK),
    ("kode-tidak-dikenal", E, "Kode tidak dikenal", CHECK),
    ("id-ganda", E, "Id ganda", CHECK),
    ("nip-kontrak", E, "Tenaga kontrak ber-NIP", CHECK),
    ("nip-hilang", E, "NIP tidak ada", CHECK),
    ("nip-ganda", E, "NIP ganda", CHECK),
    ("nip-berbeda", W, "Satu orang dengan dua NIP", CHECK),
    ("orang-tidak-dikenal", E, "Orang tidak dikenal", CHECK),
    ("orang-di-luar-daftar", W, "Penandatangan di luar daftar pegawai", CHECK),
    ("unit-tidak-dikenal", E, "Unit tidak dikenal", CHECK),
    ("indikator-tidak-dikenal", E, "Indikator tidak dikenal", CHECK),
    ("sasaran-tidak-dikenal", E, "Sasaran tidak dikenal", CHECK),
    ("tujuan-tidak-dikenal", E, "Tujuan tidak dikenal", CHECK),
    ("misi-tidak-dikenal", E, "Misi tidak dikenal", CHECK),
    ("tanda-tangan-kosong", W, "Tanda tangan laporan belum lengkap", CHECK),
    ("pk-tanpa-tanda-tangan", W, "Tanda tangan Perjanjian Kinerja belum lengkap", CHECK),
    ("periode-terbalik", E, "Periode Renstra terbalik", CHECK),
    ("periode-tidak-wajar", E, "Periode Renstra tidak wajar", CHECK),
    ("tahun-di-luar-renstra", E, "Tahun di luar periode Renstra", CHECK),
    ("tahun-tidak-cocok", E, "Tahun tidak cocok dengan folder", CHECK),
    ("skala-tidak-urut", E, "Skala predikat tidak urut", CHECK),
    ("skala-bercelah", E, "Skala predikat bercelah", CHECK),
    ("reviu-belum-lengkap", W, "Pernyataan reviu belum lengkap", CHECK),
    ("reviu-tidak-ada", W, "Pernyataan reviu tidak ada", CHECK),
    ("induk-melingkar", E, "Induk unit melingkar", CHECK),
    ("akar-organisasi", E, "Pimpinan organisasi tidak tunggal", CHECK),
    ("kepala-kontrak", E, "Kepala berstatus kontrak", CHECK),
    # -- consistency (after compute) ----------------------------------------------------------------------------
    ("angka-sumber-berbeda", W, "Angka sumber berbeda dari hasil hitung", CHECK),
    ("realisasi-melebihi-pagu", E, "Realisasi melebihi pagu", CHECK),
    ("realisasi-kosong", W, "Realisasi belum diisi", CHECK),
    ("target-kosong", W, "Target belum diisi", CHECK),
    ("target-nol", W, "Target nol", CHECK),
    ("anggaran-tanpa-capaian", W, "Anggaran terealisasi tanpa capaian", CHECK),
    ("anggaran-tanpa-indikator", W, "Anggaran tanpa indikator", CHECK),
    ("keluaran-tanpa-anggaran", W, "Keluaran tanpa anggaran", CHECK),
    ("tanggal-sebelum-akhir-tahun", W, "Laporan bertanggal sebelum tahunnya berakhir", CHECK),
    ("tanggal-masa-depan", W, "Tanggal laporan di masa depan", CHECK),
    ("tanggal-pk-janggal", W, "Tanggal Perjanjian Kinerja janggal", CHECK),
    ("pk-tidak-ada", E, "Perjanjian Kinerja belum ditulis", CHECK),
    ("rencana-aksi-tidak-ada", E, "Rencana aksi belum ditulis", CHECK),
    ("rencana-aksi-berskala", E, "Rencana aksi untuk indikator berskala", CHECK),
    ("triwulan-belum-berakhir", W, "Realisasi triwulan yang belum berakhir", CHECK),
    ("rencana-aksi-tidak-sampai", W, "Rencana aksi tidak sampai target tahunan", CHECK),
    ("realisasi-triwulan-berbeda", W, "Realisasi triwulan berbeda dari realisasi tahunan", CHECK),
    ("triwulan-menurun", W, "Angka kumulatif triwulan menurun", CHECK),
    ("anggaran-kas-tidak-sampai", W, "Rencana triwulan IV tidak sama dengan pagu", CHECK),
    ("format-lama", E, "Kunci format konten lama", CHECK),
    ("format-baru", E, "Format konten lebih baru dari alat", CHECK),
    ("anggaran-tidak-tersedia", W, "Data anggaran tidak tersedia", CHECK),
    ("rekap-tidak-cocok", W, "Rekapitulasi pegawai tidak cocok", CHECK),
    ("tahun-basi", W, "Tahun basi dalam prosa", CHECK),
    # -- corrections of the source (koreksi.yaml) ---------------------------------------------------------------
    ("koreksi-sumber", N, "Koreksi atas sumber", CHECK),
    ("koreksi-belum-ditinjau", W, "Koreksi belum ditinjau", CHECK),
    ("koreksi-tidak-ditemukan", E, "Nilai yang dikoreksi tidak ditemukan", CHECK),
    ("koreksi-tidak-berbeda", W, "Koreksi tidak mengubah nilai", CHECK),
    # -- prose and the outline (render stage) -------------------------------------------------------------------
    ("markdown-tidak-didukung", E, "Markdown tidak didukung", CHECK),
    ("gambar-tidak-valid", E, "Gambar di prosa tidak valid", CHECK),
    ("markdown-diubah", W, "Markdown dicetak sebagai paragraf", CHECK),
    ("direktif-di-prosa", E, "Direktif di dalam prosa", CHECK),
    ("nama-tidak-dikenal", E, "Nama tidak dikenal dalam prosa", CHECK),
    ("templat-tidak-valid", E, "Templat tidak valid", CHECK),
    ("templat-gagal", E, "Templat gagal", CHECK),
    ("templat-melampaui-batas", E, "Templat melampaui batas", CHECK),
    ("prosa-hilang", W, "Berkas prosa tidak ada", CHECK),
    ("prosa-tidak-dipakai", W, "Berkas prosa tidak dipakai", CHECK),
    ("kunci-dibutuhkan", E, "Kunci dibutuhkan kerangka", CHECK),
    ("kode-setara", E, "Dua kode setara", CHECK),
    ("nilai-di-luar-skala", E, "Nilai di luar skala indikator", CHECK),
    ("skala-ganda", E, "Nilai skala ganda", CHECK),
    ("polaritas-skala", E, "Polaritas pada indikator berskala", CHECK),
    ("peringkat-tanpa-skala", E, "Capaian_peringkat tanpa skala", CHECK),
    ("rumus-pada-skala", E, "Rumus pada indikator berskala", CHECK),
    ("polaritas-kosong", W, "Polaritas belum diisi", CHECK),
    ("tahun-penggantian-kosong", E, "Tahun penggantian indikator belum diisi", CHECK),
    ("penggantian-melingkar", E, "Penggantian indikator melingkar", CHECK),
    ("indikator-tidak-berlaku", W, "Indikator tidak berlaku tahun ini", CHECK),
    ("indikator-lepas-pk", W, "Indikator tidak lagi dimuat PK Perubahan", CHECK),
    ("id-tidak-valid", E, "Id tidak valid", CHECK),
    ("isian-kosong", W, "Isian [ISI] belum diisi", CHECK),
    ("tautan-tidak-disalin", W, "Tautan tidak disalin ke tahun baru", CHECK),
    ("berkas-khusus-tidak-disalin", W, "Berkas khusus tidak disalin ke tahun baru", CHECK),
    ("target-renstra-tidak-ada", W, "Target Renstra tahun baru tidak ada", CHECK),
    ("satuan-renstra-berbeda", W, "Satuan Renstra berbeda dari satuan DPA", CHECK),
    ("satuan-berbeda", E, "Target atau realisasi dalam satuan lain", CHECK),
    # -- impor-anggaran (a finance export onto program.yaml) ----------------------------------------------------
    ("format-tidak-dikenal", E, "Format berkas tidak dikenal", IMPOR),
    ("bukan-utf8", W, "CSV bukan UTF-8", IMPOR),
    ("kolom-tidak-ditemukan", E, "Kolom tidak ditemukan", IMPOR),
    ("bukan-angka", E, "Sel bukan angka", IMPOR),
    ("angka-tidak-bulat", E, "Rupiah tidak bulat", IMPOR),
    ("rumus-tanpa-nilai", E, "Rumus tanpa nilai tersimpan", IMPOR),
    ("kode-tidak-di-konten", W, "Kode tidak ada di konten", IMPOR),
    ("kode-tidak-di-berkas", W, "Kode tidak ada di berkas", IMPOR),
    ("subtotal-berbeda", W, "Subtotal berbeda", IMPOR),
    ("sel-kosong", W, "Sel kosong", IMPOR),
    ("triwulan-berbeda", W, "Realisasi berbeda dari jumlah triwulan", IMPOR),
    ("kode-tidak-dikenali", W, "Sel kode bukan kode anggaran", IMPOR),
    ("csv-ambigu", E, "Pemisah kolom CSV tidak dapat ditentukan", IMPOR),
    ("desimal-ambigu", E, "Format angka berkas tidak dapat ditentukan", IMPOR),
    ("lembar-tersembunyi", W, "Berkas punya lembar tersembunyi", IMPOR),
    ("nilai-lewat-alias", E, "Nilai dipakai bersama lewat alias YAML", IMPOR),
    ("suntingan-gagal", E, "Berkas program.yaml tidak dapat disunting", IMPOR),
    # -- nilai (lke.yaml answers, templates/lke.yaml) -----------------------------------------------------------
    ("lke-kriteria-tidak-dikenal", W, "Kriteria LKE tidak dikenal", NILAI),
    ("lke-kriteria-otomatis", W, "Kriteria LKE dinilai otomatis", NILAI),
    ("lke-jawaban-tidak-sesuai", W, "Jawaban LKE tidak sesuai", NILAI),
    ("lke-jawaban-ganda", W, "Jawaban LKE ganda", NILAI),
    ("lke-kriteria-tidak-valid", E, "Berkas kriteria LKE tidak valid", NILAI),
)
CODES = {code: Code(code, severities, title, group) for code, severities, title, group in _TABLE}


def problem(code: str, file: str, line: int, path: str, message: str, severity: str | None = None) -> Problem:
    """A Problem of a registered code, at its usual severity unless another registered one is given."""
    entry = CODES[code]                              # KeyError: the code is not registered (a programming error)
    severity = severity or entry.severity
    if severity not in entry.severities:
        raise ValueError(f"{code}: severity {severity} not registered ({', '.join(entry.severities)})")
    return Problem(file, line, path, code, severity, message)
