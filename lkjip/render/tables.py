"""Render stage: every report table as a TableSpec of formatted cells (no arithmetic; figures come from compute)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..fmt import angka, persen, rupiah
from ..nip import format_nip


@dataclass
class Cell:
    text: str
    span: int = 1          # columns
    rowspan: int = 1
    align: str = "l"       # l, r, c
    bold: bool = False
    value: object = None   # the number behind the text (int or Decimal; a percentage as shown, 88.33), for XLSX


@dataclass
class TableSpec:
    caption: str
    widths: tuple          # column widths in cm
    header: list           # rows of Cell (cells covered by a rowspan above are omitted)
    rows: list = field(default_factory=list)   # (cells, bold)
    numbered: bool = True  # add the "(1) (2) ..." row
    landscape: bool = False
    small: bool = False
    note: str | None = None
    borders: bool = True
    cell_style: str | None = None   # one paragraph style for every body cell (e.g. signature blocks)


def header_grid(header: list, ncols: int) -> list:
    """Header rows laid out on the column grid: per row, (column, cell, continues) where `continues` marks the slot
    of a cell spanning down from a row above (a vMerge continuation in Word, the same label in Markdown)."""
    grid, pending = [], {}          # column -> (rows left, cell spanning down)
    for row in header:
        cells, placed, c = iter(row), [], 0
        while c < ncols:
            left, above = pending.get(c, (0, None))
            if left:
                pending[c] = (left - 1, above)
                placed.append((c, above, True))
                c += above.span
                continue
            cell = next(cells, None)
            if cell is None:
                break
            if cell.rowspan > 1:
                pending[c] = (cell.rowspan - 1, cell)
            placed.append((c, cell, False))
            c += cell.span
        grid.append(placed)
    return grid


def H(*labels) -> list:
    return [c if isinstance(c, Cell) else Cell(c, align="c", bold=True) for c in labels]


def number_of(value):
    """The number behind a cell: ints and Decimals as they are, a Measure's number; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return value
    return getattr(value, "number", None)


def L(text, value=None) -> Cell:
    return Cell("-" if text in (None, "") else str(text), value=number_of(text if value is None else value))


def R(text, value=None) -> Cell:
    return Cell("-" if text in (None, "") else str(text), align="r", value=number_of(text if value is None else value))


def C(text, value=None) -> Cell:
    return Cell("-" if text in (None, "") else str(text), align="c", value=number_of(text if value is None else value))


def with_unit(number, unit: str | None) -> str:
    """88.4 '%' -> '88,4%'; 1485 'lansia' -> '1.485 lansia'; None -> '-'."""
    if number is None:
        return "-"
    if unit == "%":
        return f"{angka(number)}%"
    return f"{angka(number)} {unit}" if unit else angka(number)


def measure(m) -> str:
    if m is None:
        return "-"
    return with_unit(m.number, m.unit) if m.is_number else m.text


def pct_or_dash(value) -> str:
    return persen(value) if value is not None else "-"


# --- BAB I ------------------------------------------------------------------------------------------------

def staff_table(table) -> TableSpec:
    header = H("No", "Unit Kerja", *table.columns, "Jumlah")
    rows = [([C(i), L(name), *[R(v) for v in values], R(total)], False)
            for i, (name, values, total) in enumerate(table.rows, start=1)]
    rows.append(([Cell("Jumlah", span=2, bold=True), *[R(v) for v in table.totals], R(table.grand_total)], True))
    n = len(table.columns)
    widths = (1.0, 5.4, *([(14.0 - 1.0 - 5.4 - 1.8) / n] * n), 1.8)
    note = "Sumber: rekapitulasi kepegawaian." if table.source == "rekapitulasi" else "Sumber: daftar pegawai."
    return TableSpec(table.title, widths, [header], rows, note=note)


def officials_table(report) -> TableSpec:
    rows = []
    for i, unit in enumerate((u for u in report.units if u.kepala_orang), start=1):
        person = unit.kepala_orang
        rows.append(([C(i), L(unit.nama), L(full_name(person)), L(format_nip(person["nip"]))], False))
    return TableSpec("Pejabat Struktural", (0.8, 4.3, 4.4, 4.5), [H("No", "Jabatan / Unit", "Nama", "NIP")], rows)


def signature_name(name: str) -> str:
    """'I Made Wiryana, S.Sos., MM' -> 'I MADE WIRYANA, S.Sos., MM': the name in capitals, degrees as written."""
    head, sep, degrees = name.partition(",")
    return head.upper() + sep + degrees


def full_name(person) -> str:
    name = person["nama"]
    if person.get("gelar_depan"):
        name = f"{person['gelar_depan']} {name}"
    if person.get("gelar_belakang"):
        name = f"{name}, {person['gelar_belakang']}"
    return name


# --- BAB II -----------------------------------------------------------------------------------------------

def iku_table(report) -> TableSpec:
    """Sasaran, indicator, baseline and the target of every Renstra year (the tujuan is stated in the text)."""
    years = [y for y, _t in report.iku.targets] if report.iku else []
    header = [H(Cell("Sasaran", rowspan=2, align="c", bold=True), Cell("Indikator Sasaran", rowspan=2, align="c", bold=True),
                Cell("Kondisi Awal", rowspan=2, align="c", bold=True),
                Cell("Target Tahun", span=len(years), align="c", bold=True)),
              H(*[str(y) for y in years])]
    rows = [([L(ind.sasaran), L(ind.uraian), R(pct_or_dash(ind.kondisi_awal), ind.kondisi_awal),
              *[R(with_unit(t, '%'), t) for _y, t in ind.targets]], False) for ind in report.indicators]
    return TableSpec(f"Indikator Kinerja Utama Renstra {report.renstra['periode']['awal']}–{report.renstra['periode']['akhir']}",
                     (3.0, 2.4, 1.4, *([7.2 / max(len(years), 1)] * len(years))), header, rows, small=True)


def pk_table(report) -> TableSpec:
    rows = [([C(i), L(ind.sasaran), L(ind.uraian), R(with_unit(ind.target, "%"), ind.target)], False)
            for i, ind in enumerate(report.indicators, start=1)]
    return TableSpec(f"Perjanjian Kinerja Tahun {report.tahun}", (1.0, 5.5, 5.0, 2.5),
                     [H("No", "Sasaran", "Indikator Sasaran", f"Target {report.tahun}")], rows)


def pk_budget_table(report) -> TableSpec:
    rows = [([C(i), L(p.nama), R(rupiah(p.budget.pagu), p.budget.pagu)], False) for i, p in enumerate(report.programs, start=1)]
    rows.append(([Cell("Jumlah", span=2, bold=True), R(rupiah(report.total.pagu), report.total.pagu)], True))
    return TableSpec(f"Program dan Anggaran Perjanjian Kinerja Tahun {report.tahun}", (1.0, 9.5, 3.5),
                     [H("No", "Program", "Anggaran (Rp)")], rows)


# --- BAB III ----------------------------------------------------------------------------------------------

def scale_table(report) -> TableSpec:
    rows, upper = [], None
    for i, row in enumerate(report.skala, start=1):
        low = angka(row["batas_bawah"])
        text = f"capaian ≥ {low}" if upper is None else f"{low} ≤ capaian < {angka(upper)}"
        rows.append(([C(i), C(text), L(row["predikat"])], False))
        upper = row["batas_bawah"]
    return TableSpec("Skala Nilai Predikat Capaian Kinerja", (1.0, 7.0, 6.0),
                     [H("No", "Interval Capaian (%)", "Predikat")], rows)


def achievement_table(report) -> TableSpec:
    rows = [([C(i), L(ind.sasaran), L(ind.uraian), R(with_unit(ind.target, "%"), ind.target),
              R(pct_or_dash(ind.realisasi), ind.realisasi), R(pct_or_dash(ind.capaian.value), ind.capaian.value),
              C(ind.capaian.predikat or "-")], False)
            for i, ind in enumerate(report.indicators, start=1)]
    return TableSpec(f"Target dan Realisasi Indikator Sasaran Tahun {report.tahun}", (0.8, 3.6, 3.2, 1.5, 1.6, 1.6, 1.7),
                     [H("No", "Sasaran", "Indikator", "Target", "Realisasi", "Capaian", "Predikat")], rows)


def iku_components_table(report) -> TableSpec:
    iku = report.iku
    rows = []
    for i, comp in enumerate(iku.komponen, start=1):
        status = "Dihitung" if comp.counted else f"Tidak dihitung: {comp.reason}"
        rows.append(([C(i), L(comp.uraian), C(comp.kode or "-"), R(angka(comp.jumlah) if comp.jumlah is not None else "-", comp.jumlah),
                      L(comp.satuan), L(status)], False))
    rows.append(([Cell("Jumlah PPKS tertangani (pembilang)", span=3, bold=True), R(angka(iku.pembilang), iku.pembilang), L(""), L("")], True))
    rows.append(([Cell("Jumlah PPKS awal Renstra (penyebut)", span=3, bold=True), R(angka(iku.penyebut), iku.penyebut), L(""), L("")], True))
    return TableSpec(f"Komponen Perhitungan {iku.uraian} Tahun {report.tahun}", (0.8, 4.5, 2.5, 1.5, 1.3, 3.4),
                     [H("No", "Komponen", "Kode", "Jumlah", "Satuan", "Keterangan")], rows, small=True)


def _subs(report):
    for prog in report.programs:
        for keg in prog.kegiatan:
            for sub in keg.sub_kegiatan:
                yield prog, keg, sub


def last_year_table(report) -> TableSpec:
    rows = []
    for _p, _k, sub in _subs(report):
        if sub.realisasi is None and sub.realisasi_lalu is None:
            continue
        rows.append(([L(sub.kode), L(sub.nama), L(measure(sub.realisasi_lalu), sub.realisasi_lalu),
                      L(measure(sub.realisasi), sub.realisasi)], False))
    return TableSpec(f"Perbandingan Realisasi Kinerja Tahun {report.tahun_lalu} dan Tahun {report.tahun}",
                     (2.5, 6.5, 2.5, 2.5), [H("Kode", "Sub Kegiatan", f"Realisasi {report.tahun_lalu}", f"Realisasi {report.tahun}")],
                     rows, small=True, note=f"Sumber realisasi {report.tahun_lalu}: {report.sumber_tahun_lalu}.")


def renstra_table(report) -> TableSpec:
    end = report.renstra["periode"]["akhir"]
    rows = []
    for _p, _k, sub in _subs(report):
        ry, re = sub.renstra_tahun_ini, sub.renstra_akhir
        if ry is None:
            continue
        target = with_unit(ry.target, ry.unit)
        target_end = with_unit(re.target, re.unit) if re else "-"
        rows.append(([L(sub.kode), L(sub.nama), L(target, ry.target), L(measure(sub.realisasi), sub.realisasi),
                      L(target_end, re.target if re else None), R(rupiah(ry.pagu), ry.pagu),
                      R(rupiah(sub.budget.pagu) if sub.budget else "-", sub.budget.pagu if sub.budget else None)], False))
    return TableSpec(f"Perbandingan Realisasi Tahun {report.tahun} dengan Target Renstra", (2.5, 6.8, 2.9, 2.9, 2.9, 2.8, 2.8),
                     [H("Kode", "Sub Kegiatan", f"Target Renstra {report.tahun}", f"Realisasi {report.tahun}",
                        f"Target Renstra {end}", f"Pagu Renstra {report.tahun} (Rp)", "Pagu DPA (Rp)")],
                     rows, landscape=True, small=True)


def predikat_spread_table(report) -> TableSpec:
    rows = [([C(i), L(predikat), R(angka(count), count)], False) for i, (predikat, count) in enumerate(report.sebaran_predikat, start=1)]
    rows.append(([Cell("Jumlah sub kegiatan terukur", span=2, bold=True),
                  R(angka(report.counts.sub_kegiatan_terukur), report.counts.sub_kegiatan_terukur)], True))
    return TableSpec(f"Sebaran Predikat Capaian Sub Kegiatan Tahun {report.tahun}", (1.0, 9.0, 4.0),
                     [H("No", "Predikat", "Jumlah Sub Kegiatan")], rows)


def below_target_table(report) -> TableSpec:
    rows = [([L(s.kode), L(s.nama), L(measure(s.target), s.target), L(measure(s.realisasi), s.realisasi),
              R(persen(s.capaian.value), s.capaian.value), C(s.capaian.predikat)], False) for s in report.sub_di_bawah_target]
    return TableSpec(f"Sub Kegiatan dengan Realisasi di Bawah Target Tahun {report.tahun}", (2.5, 4.7, 2.0, 2.0, 1.4, 1.4),
                     [H("Kode", "Sub Kegiatan", "Target", "Realisasi", "Capaian", "Predikat")], rows, small=True)


def efficiency_table(report) -> TableSpec:
    rows = []
    for i, prog in enumerate(report.programs, start=1):
        verdict = "-" if prog.efisien is None else ("Efisien" if prog.efisien else "Kurang efisien")
        rows.append(([C(i), L(prog.nama), R(pct_or_dash(prog.capaian_rata), prog.capaian_rata),
                      R(angka(prog.jumlah_terukur), prog.jumlah_terukur),
                      R(pct_or_dash(prog.budget.serapan), prog.budget.serapan), C(verdict)], False))
    return TableSpec(f"Efisiensi Penggunaan Anggaran per Program Tahun {report.tahun}", (0.8, 4.6, 2.0, 2.2, 2.0, 2.4),
                     [H("No", "Program", "Rata-rata Capaian", "Sub Kegiatan Terukur", "Serapan Anggaran", "Keterangan")], rows)


def performance_table(report) -> TableSpec:
    rows = []
    for prog in report.programs:
        rows.append(([L(prog.kode), Cell(prog.nama, bold=True), L(prog.kebijakan), L(prog.indikator), L(""), L(""), L(""), L("")], True))
        for keg in prog.kegiatan:
            rows.append(([L(keg.kode), Cell(f"Kegiatan {keg.nama}", bold=True), L(keg.kebijakan), L(keg.indikator),
                          L(keg.target), L(""), L(""), L("")], False))
            for sub in keg.sub_kegiatan:
                rows.append(([L(sub.kode), L(sub.nama), L(sub.kebijakan), L(sub.indikator), L(measure(sub.target), sub.target),
                              L(measure(sub.realisasi), sub.realisasi), R(pct_or_dash(sub.capaian.value), sub.capaian.value),
                              C(sub.capaian.predikat or "-")], False))
    return TableSpec(f"Indikator, Target dan Realisasi Program, Kegiatan dan Sub Kegiatan Tahun {report.tahun}",
                     (2.5, 5.2, 4.0, 4.4, 2.1, 2.1, 1.6, 1.8),
                     [H("Kode", "Program / Kegiatan / Sub Kegiatan", "Dasar Kebijakan", "Indikator Kinerja", "Target",
                        "Realisasi", "Capaian", "Predikat")], rows, landscape=True, small=True)


def budget_table(report) -> TableSpec:
    rows = []

    def line(code, name, budget, bold=False):
        return ([L(code), Cell(name, bold=bold), R(rupiah(budget.pagu), budget.pagu), R(rupiah(budget.realisasi), budget.realisasi),
                 R(pct_or_dash(budget.serapan), budget.serapan), R(rupiah(budget.sisa), budget.sisa)], bold)

    for prog in report.programs:
        rows.append(line(prog.kode, prog.nama, prog.budget, True))
        for keg in prog.kegiatan:
            rows.append(line(keg.kode, f"Kegiatan {keg.nama}", keg.budget))
            for sub in keg.sub_kegiatan:
                if sub.budget is not None:
                    rows.append(line(sub.kode, sub.nama, sub.budget))
    total = report.total
    rows.append(([Cell("Jumlah", span=2, bold=True), R(rupiah(total.pagu), total.pagu), R(rupiah(total.realisasi), total.realisasi),
                  R(pct_or_dash(total.serapan), total.serapan), R(rupiah(total.sisa), total.sisa)], True))
    return TableSpec(f"Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {report.tahun}",
                     (3.0, 9.2, 3.1, 3.1, 2.0, 3.1),
                     [H("Kode", "Program / Kegiatan / Sub Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Serapan", "Sisa (Rp)")],
                     rows, landscape=True)


# --- Lampiran ---------------------------------------------------------------------------------------------

def staff_list_table(report) -> TableSpec:
    rows = []
    for i, person in enumerate(report.pegawai, start=1):
        number = format_nip(person["nip"]) if person.get("nip") else person.get("nomor_kontrak", "-")
        rows.append(([C(i), L(full_name(person)), L(number), L(person["jabatan"]), C(person["status"])], False))
    return TableSpec(f"Daftar Pegawai {report.instansi['nama']} Tahun {report.tahun}", (0.7, 4.0, 3.4, 4.7, 1.2),
                     [H("No", "Nama", "NIP / Nomor Kontrak", "Jabatan", "Status")], rows, small=True)


def renstra_matrix_table(report, part: int) -> TableSpec:
    """The Renstra matrix in two tables of three years each (part 1 and 2), so amounts fit their cells."""
    period = report.renstra["periode"]
    all_years = list(range(period["awal"], period["akhir"] + 1))
    half = (len(all_years) + 1) // 2
    years = all_years[:half] if part == 1 else all_years[half:]
    header = [H(Cell("Kode", rowspan=2, align="c", bold=True), Cell("Program / Kegiatan / Sub Kegiatan", rowspan=2, align="c", bold=True),
                Cell("Indikator", rowspan=2, align="c", bold=True), Cell("Kondisi Awal", rowspan=2, align="c", bold=True),
                *[Cell(str(y), span=2, align="c", bold=True) for y in years]),
              H(*[label for _y in years for label in ("Target", "Rp")])]
    rows = []
    for row in report.matriks:
        unit = row.get("satuan") or ""
        cells = [L(row["kode"]), L(row["uraian"]), L(row.get("indikator")),
                 R(with_unit(row.get("kondisi_awal"), unit), row.get("kondisi_awal"))]
        for y in years:
            cell = row.get("target", {}).get(str(y), {})
            cells.append(R(with_unit(cell.get("target"), cell.get("satuan", unit)), cell.get("target")))
            cells.append(R(rupiah(cell.get("pagu")) if cell.get("pagu") is not None else "-", cell.get("pagu")))
        rows.append((cells, row["kode"].count(".") == 2))
    return TableSpec(f"Matriks Program Renstra {period['awal']}–{period['akhir']} (Tahun {years[0]}–{years[-1]})",
                     (2.4, 4.9, 4.0, 1.6, *([1.4, 2.2] * len(years))), header, rows, landscape=True, small=True)


TABLES = {
    "pejabat": officials_table, "iku": iku_table, "pk": pk_table, "pk-anggaran": pk_budget_table,
    "skala": scale_table, "capaian": achievement_table, "sebaran-predikat": predikat_spread_table,
    "di-bawah-target": below_target_table, "iku-komponen": iku_components_table,
    "tahun-lalu": last_year_table, "renstra": renstra_table, "efisiensi": efficiency_table,
    "kinerja": performance_table, "anggaran": budget_table, "pegawai-daftar": staff_list_table,
    "renstra-matriks-1": lambda report: renstra_matrix_table(report, 1),
    "renstra-matriks-2": lambda report: renstra_matrix_table(report, 2),
}


def build_table(name: str, report) -> TableSpec:
    if name.startswith("pegawai-rekap-"):
        return staff_table(report.staff_tables[int(name.rsplit("-", 1)[1])])
    return TABLES[name](report)
