"""Render stage: every report table as a TableSpec of formatted cells (no arithmetic; figures come from compute)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..base.fmt import angka
from ..base.fmt import capaian as fmt_capaian
from ..base.fmt import bertanda, nilai, persen, rupiah, ukur
from ..base.nip import format_nip
from ..base.shape import NUMBER, QUARTERS, has_sub_kegiatan
from ..compute.quarters import RULE_NAMES, RULE_WORDS, budget_rows, leaf_rows, quarter_rows
from .prose import indicator_title


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


def measure(m) -> str:
    """A leaf's target or realisation: '1.485 orang', '88,4%' or its text ('refocusing')."""
    if m is None:
        return "-"
    return nilai(m.number, m.unit) if m.is_number else m.text


def pct_or_dash(value) -> str:
    return persen(value) if value is not None else "-"


def capaian_text(achievement) -> str:
    """An indicator's capaian cell (base/fmt.py capaian): the percentage with the agency's decimals; for a
    qualitative indicator judged by rank only, 'Tercapai' or 'Tidak tercapai'; '-' when there is none."""
    return fmt_capaian(achievement)


def _bare(value, ind) -> str:
    """An indicator's figure without its unit (the unit has its own column); a scale value as written."""
    return value if isinstance(value, str) else nilai(value, None, ind.desimal)


def _owner_label(report) -> str:
    """'Sasaran', or 'Tujuan / Sasaran' when some indicators measure a tujuan."""
    return "Tujuan / Sasaran" if any(i.tingkat == "tujuan" for i in report.indicators) else "Sasaran"


# --- BAB I ------------------------------------------------------------------------------------------------

def staff_table(table) -> TableSpec:
    header = H("No", "Unit Kerja", *table.columns, "Jumlah")
    rows = [([C(i), L(name), *[R(v) for v in values], R(total)], False)
            for i, (name, values, total) in enumerate(table.rows, start=1)]
    rows.append(([Cell("Jumlah", span=2, bold=True), *[R(v) for v in table.totals], R(table.grand_total)], True))
    n = len(table.columns)
    widths = (1.0, 5.4, *([(14.0 - 1.0 - 5.4 - 1.8) / n] * n), 1.8)
    return TableSpec(table.title, widths, [header], rows)


def officials_table(report) -> TableSpec:
    rows = []
    for i, unit in enumerate((u for u in report.units if u.kepala_orang), start=1):
        person = unit.kepala_orang
        number = format_nip(person["nip"]) if person.get("nip") else person.get("nomor_kontrak")
        rows.append(([C(i), L(unit.nama), L(full_name(person)), L(number)], False))
    return TableSpec("Pejabat Struktural", (0.8, 4.3, 4.4, 4.5), [H("No", "Jabatan / Unit", "Nama", "NIP")], rows)


def full_name(person) -> str:
    name = person["nama"]
    if person.get("gelar_depan"):
        name = f"{person['gelar_depan']} {name}"
    if person.get("gelar_belakang"):
        name = f"{name}, {person['gelar_belakang']}"
    return name


# --- BAB II ---------------------------------------------------------------------------------------------

def _years(report) -> list:
    """Renstra years that carry a target for at least one indicator, in order."""
    return sorted({y for ind in report.indicators for y, _t in ind.targets})


def iku_table(report) -> TableSpec:
    """Sasaran, indicator, unit, baseline (when any) and the target of every Renstra year (cells in the row's unit)."""
    years = _years(report)
    baseline = any(ind.kondisi_awal is not None for ind in report.indicators)
    fixed_labels = [_owner_label(report), "Indikator", "Satuan"] + (["Kondisi Awal"] if baseline else [])
    header = [H(*[Cell(label, rowspan=2, align="c", bold=True) for label in fixed_labels],
                Cell("Target Tahun", span=max(len(years), 1), align="c", bold=True)),
              H(*([str(y) for y in years] or ["-"]))]
    rows = []
    for ind in report.indicators:
        targets = dict(ind.targets)
        label = f"{ind.label} (IKU)" if ind.iku and len(report.ikus) != len(report.indicators) else ind.label
        cells = [L(ind.pemilik), L(label), C(ind.satuan)]
        if baseline:
            cells.append(R(_bare(ind.kondisi_awal, ind), ind.kondisi_awal))
        rows.append(([*cells, *[R(_bare(targets.get(y), ind), targets.get(y)) for y in years or [None]]], False))
    landscape = len(years) > 6
    width = 23.7 if landscape else 14.0
    n = max(len(years), 1)
    year_w = min(1.8, (width - 7.6 - (1.3 if baseline else 0)) / n)
    unit_w = 2.2
    rest = width - unit_w - (1.3 if baseline else 0) - year_w * n
    fixed = (rest / 2, rest / 2, unit_w) + ((1.3,) if baseline else ())
    period = report.renstra["periode"]
    return TableSpec(f"{indicator_title(report)} Renstra {period['awal']}–{period['akhir']}", (*fixed, *([year_w] * n)),
                     header, rows, small=True, landscape=landscape)


def _agreement(report, which: str):
    return report.pk_perubahan if which == "perubahan" else report.pk


def pk_table(report, which: str = "awal") -> TableSpec:
    pk = _agreement(report, which)
    rows = [([C(i), L(ind.pemilik), L(ind.label), R(ukur(target, ind), target)], False)
            for i, (ind, target) in enumerate(pk.baris, start=1)]
    owner = "Tujuan / Sasaran" if any(ind.tingkat == "tujuan" for ind, _t in pk.baris) else "Sasaran"
    borrowed = [ind.label for ind, _t in pk.baris if ind.id in pk.target_renstra]
    note = None
    if borrowed:
        which = "seluruh indikator" if len(borrowed) == len(pk.baris) else "indikator " + ", ".join(borrowed)
        note = (f"Target {which} tahun {pk.tahun} diambil dari Renstra; {pk.judul} dalam konten tidak menyatakan "
                "targetnya sendiri.")
    return TableSpec(pk.judul, (1.0, 5.5, 5.0, 2.5),
                     [H("No", owner, "Indikator Kinerja", f"Target {pk.tahun}")], rows, note=note)


def pk_budget_table(report, which: str = "awal") -> TableSpec:
    pk = _agreement(report, which)
    rows = [([C(i), L(nama), R(rupiah(jumlah), jumlah)], False) for i, (_kode, nama, jumlah) in enumerate(pk.anggaran, start=1)]
    rows.append(([Cell("Jumlah", span=2, bold=True), R(rupiah(pk.total_anggaran), pk.total_anggaran)], True))
    return TableSpec(f"Program dan Anggaran {pk.judul}", (1.0, 9.5, 3.5), [H("No", "Program", "Anggaran (Rp)")], rows)


def pk_programs_table(report) -> TableSpec:
    """The PK document's programs when the PK lists no budget of its own: each program of program.yaml with its
    pagu (a visible '-' where the DPA gives none)."""
    pk = report.pk_perubahan or report.pk
    rows = [([C(i), L(p.nama), R(rupiah(p.budget.pagu), p.budget.pagu)], False)
            for i, p in enumerate(report.programs, start=1)]
    rows.append(([Cell("Jumlah", span=2, bold=True), R(rupiah(report.total.pagu), report.total.pagu)], True))
    return TableSpec(f"Program dan Anggaran {pk.judul if pk else ''}".strip(), (1.0, 9.5, 3.5),
                     [H("No", "Program", "Anggaran (Rp)")], rows)


def pk_change_table(report) -> TableSpec:
    """PK Perubahan against the original PK: every indicator of either with both targets and what changed."""
    before = {ind.id: (ind, target) for ind, target in report.pk.baris}
    after = {ind.id: (ind, target) for ind, target in report.pk_perubahan.baris}
    rows = []
    for n, key in enumerate(dict.fromkeys([*before, *after]), start=1):
        ind = (after.get(key) or before[key])[0]
        old = before[key][1] if key in before else None
        new = after[key][1] if key in after else None
        status = ("Dihapus" if key not in after else "Ditambahkan" if key not in before
                  else "Tetap" if str(old) == str(new) else "Diubah")
        rows.append(([C(n), L(ind.label), R(ukur(old, ind), old), R(ukur(new, ind), new), C(status)], False))
    return TableSpec(f"Perubahan Target {report.pk_perubahan.judul}", (1.0, 6.0, 2.5, 2.5, 2.0),
                     [H("No", "Indikator Kinerja", "Target Awal", "Target Perubahan", "Keterangan")], rows)


def quarter_table(report, quarter: str) -> TableSpec:
    """Quarterly monitoring (build.py triwulan N): each Rencana Aksi indicator at quarter N, the year so far, the
    year's target, what it still needs and its status. Every figure from compute/quarters.py."""
    n = int(quarter)
    rows = []
    for i, row in enumerate(quarter_rows(report, n), start=1):
        ind = row.plan.indicator
        rows.append(([C(i), L(ind.label), R(ukur(row.target, ind), row.target), R(ukur(row.realisasi, ind), row.realisasi),
                      R(ukur(row.target_sd, ind), row.target_sd), R(ukur(row.realisasi_sd, ind), row.realisasi_sd),
                      R(capaian_text(row.capaian), row.capaian.nilai), R(ukur(row.target_tahun, ind), row.target_tahun),
                      R(ukur(row.kekurangan, ind) if row.kekurangan is not None else "-", row.kekurangan),
                      C(row.status or "-")], False))
    name = QUARTERS[n - 1]
    return TableSpec(f"Target dan Realisasi Triwulan {name} Tahun {report.tahun}",
                     (0.8, 5.2, 1.9, 1.9, 1.9, 1.9, 1.8, 1.9, 1.9, 2.3),
                     [H("No", "Indikator", f"Target Tw {name}", f"Realisasi Tw {name}", f"Target s.d. Tw {name}",
                        f"Realisasi s.d. Tw {name}", "Capaian s.d. Triwulan", f"Target {report.tahun}",
                        "Kekurangan", "Status")], rows, landscape=True, small=True)


def quarter_budget_table(report, quarter: str) -> TableSpec:
    """Budget absorption per program to the end of quarter N against the pagu and the quarterly plan (anggaran
    kas), from program.yaml anggaran.triwulan; "-" where a sub kegiatan has not given its figure."""
    n = int(quarter)
    rows = []
    for i, row in enumerate(budget_rows(report, n), start=1):
        last = not row.kode
        lead = [Cell(row.nama, span=2, bold=True)] if last else [C(i), L(f"{row.kode} {row.nama}")]
        rows.append(([*lead, R(rupiah(row.pagu), row.pagu),
                      R(rupiah(row.rencana_sd), row.rencana_sd), R(rupiah(row.realisasi_sd), row.realisasi_sd),
                      R(persen(row.serapan), row.serapan), R(persen(row.terhadap_rencana), row.terhadap_rencana)],
                     last))
    name = QUARTERS[n - 1]
    return TableSpec(f"Penyerapan Anggaran per Program sampai dengan Triwulan {name} Tahun {report.tahun}",
                     (0.7, 3.6, 2.1, 2.1, 2.1, 1.7, 1.7),
                     [H("No", "Program", "Pagu (Rp)", f"Rencana s.d. Tw {name} (Rp)", f"Realisasi s.d. Tw {name} (Rp)",
                        "Serapan thd Pagu", "Realisasi thd Rencana")], rows, small=True)


def quarter_leaves_table(report, quarter: str) -> TableSpec:
    """Physical and financial progress of each sub kegiatan to the end of quarter N (program.yaml
    anggaran.triwulan): money as shares of the pagu, physical progress as given, the physical deviation from plan."""
    n = int(quarter)
    rows = []
    for row in leaf_rows(report, n):
        rows.append(([L(row.kode), L(row.nama), R(rupiah(row.pagu), row.pagu),
                      R(persen(row.keuangan_rencana), row.keuangan_rencana), R(persen(row.keuangan), row.keuangan),
                      R(persen(row.fisik_rencana), row.fisik_rencana), R(persen(row.fisik), row.fisik),
                      R(bertanda(row.deviasi_fisik), row.deviasi_fisik)], False))
    name = QUARTERS[n - 1]
    return TableSpec(f"Realisasi Fisik dan Keuangan {_leaf_label(report)} sampai dengan Triwulan {name} Tahun "
                     f"{report.tahun}", (2.3, 4.3, 2.0, 1.1, 1.1, 1.1, 1.1, 1.0),
                     [[Cell("Kode", rowspan=2, align="c", bold=True), Cell(_leaf_label(report), rowspan=2, align="c",
                                                                         bold=True),
                       Cell("Pagu (Rp)", rowspan=2, align="c", bold=True),
                       Cell("Keuangan (% pagu)", span=2, align="c", bold=True),
                       Cell("Fisik (%)", span=2, align="c", bold=True),
                       Cell("Deviasi Fisik", rowspan=2, align="c", bold=True)],
                      H("Rencana", "Realisasi", "Rencana", "Realisasi")], rows, small=True)


def action_plan_table(report) -> TableSpec:
    """The Rencana Aksi: each indicator's rule and its quarterly targets and realisations."""
    rows = []
    for i, plan in enumerate(report.rencana_aksi, start=1):
        ind = plan.indicator
        rows.append(([C(i), L(ind.label), L(RULE_NAMES[plan.cara]),
                      *[R(ukur(v, ind), v) for v in plan.target], *[R(ukur(v, ind), v) for v in plan.realisasi]], False))
    rules = [RULE_WORDS[c] for c in RULE_NAMES if any(p.cara == c for p in report.rencana_aksi)]
    return TableSpec(f"Rencana Aksi Tahun {report.tahun}", (0.8, 5.2, 2.2, *([1.8] * 8)),
                     [H("No", "Indikator", "Cara", "Target I", "Target II", "Target III", "Target IV",
                        "Realisasi I", "Realisasi II", "Realisasi III", "Realisasi IV")], rows, landscape=True, small=True,
                     note=". ".join(rules) + "." if rules else None)


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
    """Every indicator: target and realisation in its unit (the unit in its own column), capaian and predikat."""
    raw = bool(report.laporan["capaian"].get("tampilkan_mentah"))
    rows = []
    for i, ind in enumerate(report.indicators, start=1):
        cells = [C(i), L(ind.pemilik), L(ind.label), C(ind.satuan), R(_bare(ind.target, ind), ind.target),
                 R(_bare(ind.realisasi, ind), ind.realisasi), R(capaian_text(ind.capaian), ind.capaian.nilai)]
        if raw:
            cells.append(R(persen(ind.capaian.mentah, ind.capaian.desimal) if ind.capaian.mentah is not None else "-",
                           ind.capaian.mentah))
        rows.append(([*cells, C(ind.capaian.predikat or "-")], False))
    labels = ["No", _owner_label(report), "Indikator", "Satuan", "Target", "Realisasi", "Capaian"]
    widths = [0.8, 2.6, 2.6, 1.8, 1.4, 1.6, 1.4]
    if raw:
        labels.append("Capaian sebelum dibatasi")
        widths = [0.8, 2.3, 2.3, 1.6, 1.4, 1.5, 1.3, 1.4]
    return TableSpec(f"Target dan Realisasi Indikator Kinerja Tahun {report.tahun}", (*widths, 14.0 - sum(widths)),
                     [H(*labels, "Predikat")], rows, small=True)


def _indicator(report, ind_id: str):
    return next(i for i in report.indicators if i.id == ind_id)


def indicator_years_table(report, ind_id: str) -> TableSpec:
    """One indicator over the years: target, realisation, capaian and predikat. Where a figure was taken from (last
    year's content or this year's stored history) is the tool's business, shown by reviu, never to readers."""
    ind = _indicator(report, ind_id)
    rows = [([C(str(h.year)), R(ukur(h.target, ind), h.target), R(ukur(h.realisasi, ind), h.realisasi), R(capaian_text(h.capaian), h.capaian.nilai),
              C(h.capaian.predikat or "-")], False) for h in ind.riwayat]
    return TableSpec(f"Target dan Realisasi {ind.label} per Tahun", (1.6, 3.2, 3.2, 2.6, 3.4),
                     [H("Tahun", "Target", "Realisasi", "Capaian", "Predikat")], rows, small=True)


def indicator_components_table(report, ind_id: str) -> TableSpec:
    ind = _indicator(report, ind_id)
    rows = []
    for i, comp in enumerate(ind.komponen, start=1):
        status = "Dihitung" if comp.counted else f"Tidak dihitung: {comp.reason}"
        rows.append(([C(i), L(comp.uraian), C(comp.kode or "-"), R(angka(comp.jumlah) if comp.jumlah is not None else "-", comp.jumlah),
                      L(comp.satuan), L(status)], False))
    rumus = ind.rumus or {}
    rows.append(([Cell(f"{rumus.get('pembilang', 'Pembilang')} (pembilang)", span=3, bold=True), R(angka(ind.pembilang), ind.pembilang),
                  L(""), L("")], True))
    rows.append(([Cell(f"{rumus.get('penyebut', 'Penyebut')} (penyebut)", span=3, bold=True), R(angka(ind.penyebut), ind.penyebut),
                  L(""), L("")], True))
    return TableSpec(f"Komponen Perhitungan {ind.label} Tahun {report.tahun}", (0.8, 4.5, 2.5, 1.5, 1.3, 3.4),
                     [H("No", "Komponen", "Kode", "Jumlah", "Satuan", "Keterangan")], rows, small=True)


def _sasaran(report, sasaran_id: str):
    return next(s for s in report.sasaran if s.id == sasaran_id)


def sasaran_program_table(report, sasaran_id: str) -> TableSpec:
    s = _sasaran(report, sasaran_id)
    rows = [([L(p.kode), L(p.nama), R(rupiah(p.budget.pagu), p.budget.pagu), R(rupiah(p.budget.realisasi), p.budget.realisasi),
              R(pct_or_dash(p.budget.serapan), p.budget.serapan), R(pct_or_dash(p.capaian_rata), p.capaian_rata)], False) for p in s.program]
    return TableSpec(f"Program Pendukung Sasaran {s.uraian}", (1.8, 3.9, 2.4, 2.4, 1.6, 1.9),
                     [H("Kode", "Program", "Pagu (Rp)", "Realisasi (Rp)", "Serapan", "Rata-rata Capaian")], rows, small=True)


def _leaf_label(report, plural: bool = False) -> str:
    return "Sub Kegiatan" if has_sub_kegiatan(report.nomenklatur) else "Kegiatan"


def _tree_label(report) -> str:
    return "Program / Kegiatan / Sub Kegiatan" if has_sub_kegiatan(report.nomenklatur) else "Program / Kegiatan"


def last_year_table(report) -> TableSpec:
    rows = []
    for leaf in report.leaves:
        if leaf.realisasi is None and leaf.realisasi_lalu is None:
            continue
        rows.append(([L(leaf.kode), L(leaf.nama), L(measure(leaf.realisasi_lalu), leaf.realisasi_lalu), L(measure(leaf.realisasi), leaf.realisasi)], False))
    return TableSpec(f"Perbandingan Realisasi Kinerja Tahun {report.tahun_lalu} dan Tahun {report.tahun}",
                     (2.5, 6.5, 2.5, 2.5), [H("Kode", _leaf_label(report), f"Realisasi {report.tahun_lalu}",
                                              f"Realisasi {report.tahun}")],
                     rows, small=True)


def renstra_table(report) -> TableSpec:
    end = report.renstra["periode"]["akhir"]
    rows = []
    for leaf in report.leaves:
        ry, re = leaf.renstra_tahun_ini, leaf.renstra_akhir
        if ry is None:
            continue
        target_end = nilai(re.target, re.unit) if re else "-"
        rows.append(([L(leaf.kode), L(leaf.nama), L(nilai(ry.target, ry.unit), ry.target), L(measure(leaf.realisasi), leaf.realisasi), L(target_end, re.target if re else None),
                      R(rupiah(ry.pagu), ry.pagu), R(rupiah(leaf.budget.pagu) if leaf.budget else "-", leaf.budget.pagu if leaf.budget else None)], False))
    return TableSpec(f"Perbandingan Realisasi Tahun {report.tahun} dengan Target Renstra", (2.5, 6.8, 2.9, 2.9, 2.9, 2.8, 2.8),
                     [H("Kode", _leaf_label(report), f"Target Renstra {report.tahun}", f"Realisasi {report.tahun}",
                        f"Target Renstra {end}", f"Pagu Renstra {report.tahun} (Rp)", "Pagu DPA (Rp)")],
                     rows, landscape=True, small=True)


def predikat_spread_table(report) -> TableSpec:
    rows = [([C(i), L(predikat), R(angka(count), count)], False) for i, (predikat, count) in enumerate(report.sebaran_predikat, start=1)]
    rows.append(([Cell(f"Jumlah {_leaf_label(report).lower()} terukur", span=2, bold=True),
                  R(angka(report.counts.sub_kegiatan_terukur), report.counts.sub_kegiatan_terukur)], True))
    return TableSpec(f"Sebaran Predikat Capaian {_leaf_label(report)} Tahun {report.tahun}", (1.0, 9.0, 4.0),
                     [H("No", "Predikat", f"Jumlah {_leaf_label(report)}")], rows)


def below_target_table(report) -> TableSpec:
    rows = [([L(s.kode), L(s.nama), L(measure(s.target), s.target), L(measure(s.realisasi), s.realisasi), R(capaian_text(s.capaian), s.capaian.nilai),
              C(s.capaian.predikat)], False) for s in report.sub_di_bawah_target]
    return TableSpec(f"{_leaf_label(report)} dengan Realisasi di Bawah Target Tahun {report.tahun}",
                     (2.5, 4.7, 2.0, 2.0, 1.4, 1.4),
                     [H("Kode", _leaf_label(report), "Target", "Realisasi", "Capaian", "Predikat")], rows, small=True)


VERDICTS = {"efisien": "Efisien", "kurang-efisien": "Kurang efisien", "serapan-rendah": "Serapan rendah, perlu ditinjau",
            None: "Tidak dapat dinilai"}


# the same comparison when the agency has not judged efficiency itself: stated, never called a verdict
COMPARISONS = {"efisien": "Capaian ≥ serapan", "kurang-efisien": "Capaian < serapan",
               "serapan-rendah": "Serapan di bawah batas", None: "Tidak dapat dibandingkan"}


def efficiency_table(report) -> TableSpec:
    own = bool(report.efisiensi.get("kesimpulan_instansi"))     # the source states the agency's own verdicts
    words = VERDICTS if own else COMPARISONS
    rows = []
    for i, prog in enumerate(report.programs, start=1):
        rows.append(([C(i), L(prog.nama), R(pct_or_dash(prog.capaian_rata), prog.capaian_rata), R(angka(prog.jumlah_terukur), prog.jumlah_terukur),
                      R(pct_or_dash(prog.budget.serapan), prog.budget.serapan), C(words[prog.efisiensi])], False))
    return TableSpec(f"{'Efisiensi Penggunaan' if own else 'Perbandingan Capaian dan Serapan'} Anggaran per Program "
                     f"Tahun {report.tahun}", (0.8, 4.2, 2.0, 2.6, 2.0, 2.4),
                     [H("No", "Program", "Rata-rata Capaian", f"{_leaf_label(report)} Terukur dengan Pagu",
                        "Serapan Anggaran", "Keterangan" if own else "Perbandingan (hasil hitung)")], rows, small=True)


def _leaf_cells(leaf) -> list:
    return [L(leaf.indikator), L(measure(leaf.target), leaf.target), L(measure(leaf.realisasi), leaf.realisasi), R(capaian_text(leaf.capaian), leaf.capaian.nilai),
            C(leaf.capaian.predikat or "-")]


def performance_table(report) -> TableSpec:
    rows = []
    for prog in report.programs:
        rows.append(([L(prog.kode), Cell(prog.nama, bold=True), L(prog.kebijakan), L(prog.indikator), L(""), L(""), L(""), L("")], True))
        for keg in prog.kegiatan:
            name = Cell(kegiatan_name(keg.nama), bold=True)
            if keg.leaf:
                rows.append(([L(keg.kode), name, L(keg.kebijakan), *_leaf_cells(keg.leaf)], False))
                continue
            rows.append(([L(keg.kode), name, L(keg.kebijakan), L(keg.indikator), L(keg.target), L(""), L(""), L("")], False))
            for sub in keg.sub_kegiatan:
                rows.append(([L(sub.kode), L(sub.nama), L(sub.kebijakan), *_leaf_cells(sub)], False))
    return TableSpec(f"Indikator, Target dan Realisasi {_tree_label(report).replace(' / ', ', ')} Tahun {report.tahun}",
                     (2.5, 5.2, 4.0, 4.4, 2.1, 2.1, 1.6, 1.8),
                     [H("Kode", _tree_label(report), "Dasar Kebijakan", "Indikator Kinerja", "Target",
                        "Realisasi", "Capaian", "Predikat")], rows, landscape=True, small=True)


def kegiatan_name(nama: str) -> str:
    """'Kegiatan <nama>' in a table that mixes levels, without doubling a word the agency already wrote."""
    return nama if nama.casefold().startswith("kegiatan ") else f"Kegiatan {nama}"


def budget_table(report) -> TableSpec:
    rows = []

    def line(code, name, budget, bold=False):
        return ([L(code), Cell(name, bold=bold), R(rupiah(budget.pagu), budget.pagu), R(rupiah(budget.realisasi), budget.realisasi),
                 R(pct_or_dash(budget.serapan), budget.serapan), R(rupiah(budget.sisa), budget.sisa)], bold)

    for prog in report.programs:
        rows.append(line(prog.kode, prog.nama, prog.budget, True))
        for keg in prog.kegiatan:
            rows.append(line(keg.kode, kegiatan_name(keg.nama), keg.budget))
            for sub in keg.sub_kegiatan:
                if sub.budget is not None:
                    rows.append(line(sub.kode, sub.nama, sub.budget))
    total = report.total
    rows.append(([Cell("Jumlah", span=2, bold=True), R(rupiah(total.pagu), total.pagu), R(rupiah(total.realisasi), total.realisasi),
                  R(pct_or_dash(total.serapan), total.serapan), R(rupiah(total.sisa), total.sisa)], True))
    return TableSpec(f"Realisasi Anggaran per {_tree_label(report).replace(' / ', ', ')} Tahun {report.tahun}",
                     (3.0, 9.2, 3.1, 3.1, 2.0, 3.1),
                     [H("Kode", _tree_label(report), "Pagu (Rp)", "Realisasi (Rp)", "Serapan", "Sisa (Rp)")],
                     rows, landscape=True)


# --- Lampiran ---------------------------------------------------------------------------------------------

def staff_list_table(report) -> TableSpec:
    rows = []
    for i, person in enumerate(report.pegawai, start=1):
        number = format_nip(person["nip"]) if person.get("nip") else person.get("nomor_kontrak", "-")
        rows.append(([C(i), L(full_name(person)), L(number), L(person["jabatan"]), C(person["status"])], False))
    return TableSpec(f"Daftar Pegawai {report.instansi['nama']} Tahun {report.tahun}", (0.7, 4.0, 3.4, 4.7, 1.2),
                     [H("No", "Nama", "NIP / Nomor Kontrak", "Jabatan", "Status")], rows, small=True)


def renstra_matrix_table(report, part: str) -> TableSpec:
    """The Renstra matrix in two tables (part 1 and 2) of half the period each, so amounts fit their cells."""
    period = report.renstra["periode"]
    all_years = list(range(period["awal"], period["akhir"] + 1))
    half = (len(all_years) + 1) // 2
    years = all_years[:half] if part == "1" else all_years[half:]
    if not years:
        years = all_years
    header = [H(Cell("Kode", rowspan=2, align="c", bold=True), Cell(_tree_label(report), rowspan=2, align="c", bold=True),
                Cell("Indikator", rowspan=2, align="c", bold=True), Cell("Kondisi Awal", rowspan=2, align="c", bold=True),
                *[Cell(str(y), span=2, align="c", bold=True) for y in years]),
              H(*[label for _y in years for label in ("Target", "Rp")])]
    rows = []
    for row in report.matriks:
        unit = row.get("satuan") or ""
        start = row.get("kondisi_awal")
        start_text = nilai(start, unit) if start is not None and _numeric(start) else (start or "-")
        cells = [L(row["kode"]), L(row["uraian"]), L(row.get("indikator")), R(start_text, Decimal(str(start)) if start is not None and _numeric(start) else None)]
        for y in years:
            cell = row.get("target", {}).get(str(y), {})
            cells.append(R(nilai(cell.get("target"), cell.get("satuan", unit)), cell.get("target")))
            cells.append(R(rupiah(cell.get("pagu")) if cell.get("pagu") is not None else "-", cell.get("pagu")))
        rows.append((cells, row["kode"].count(".") == 2))
    return TableSpec(f"Matriks Program Renstra {period['awal']}–{period['akhir']} (Tahun {years[0]}–{years[-1]})",
                     (2.4, 4.9, 4.0, 1.6, *([1.4, 2.2] * len(years))), header, rows, landscape=True, small=True)


def _numeric(text) -> bool:
    return bool(NUMBER.fullmatch(str(text).strip()))


TABLES = {
    "pejabat": officials_table, "iku": iku_table, "pk": pk_table, "pk-anggaran": pk_budget_table,
    "pk-program": pk_programs_table, "pk-perbandingan": pk_change_table,
    "triwulan": quarter_table, "anggaran-triwulan": quarter_budget_table, "rincian-triwulan": quarter_leaves_table,
    "rencana-aksi": action_plan_table,
    "skala": scale_table, "capaian": achievement_table, "sebaran-predikat": predikat_spread_table,
    "di-bawah-target": below_target_table, "indikator-tahunan": indicator_years_table,
    "indikator-komponen": indicator_components_table, "sasaran-program": sasaran_program_table,
    "tahun-lalu": last_year_table, "renstra": renstra_table, "efisiensi": efficiency_table,
    "kinerja": performance_table, "anggaran": budget_table, "pegawai-daftar": staff_list_table,
    "renstra-matriks": renstra_matrix_table,
    "pegawai-rekap": lambda report, index: staff_table(report.staff_tables[int(index)]),
}


def build_table(args: str, report) -> TableSpec:
    """args: 'NAME' or 'NAME ARG' as written in the outline's directive."""
    name, _, arg = args.partition(" ")
    builder = TABLES[name]
    return builder(report, arg) if arg else builder(report)
