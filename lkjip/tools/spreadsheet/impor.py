"""impor-anggaran tool: pagu and realisasi from a finance export (XLSX/CSV) onto the leaves of program.yaml.

Rows are matched to the leaves of the code tree by code; program/kegiatan rows are subtotals, checked against the
sum of their leaf rows in the same file. A dry run lists every change; --tulis edits only those values (yamledit).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ...base.fmt import rupiah
from ...base.output import write_keeping_mode
from ...base.problems import ERROR, WARNING, Problem, has_errors, sort_problems
from ...base.shape import QUARTERS, code_key, is_leaf, program_items, value_at
from ...compute.budget import sum_known
from ...load.content import load, relpath
from ...load.yamlsafe import format_path, parse_yaml
from ...validate.checks import Locator, check_equivalent_codes
from ...validate.schema import validate
from ..yamledit import YamlEditError, YamlEditor
from .sheetread import (
    TOTAL_LABEL,
    amount_convention,
    clean_code,
    column_letter,
    find_table,
    mark_formulas,
    parse_amount,
    read_sheets,
)

CODE_LIKE = re.compile(r"\d\W{0,3}\.\W{0,3}\d")      # '1.06.01' with anything stuck in it: reported, never dropped


@dataclass
class Change:
    kode: str
    nama: str
    path: tuple                      # of the leaf in program.yaml
    pagu: tuple                      # (old, new)
    realisasi: tuple                 # (old, new)
    add: bool = False                # the leaf had no `anggaran` yet
    quarter: int | None = None       # --triwulan N: realisasi is anggaran.triwulan.<N>.realisasi (to date)

    def format(self) -> str:
        def pair(label, old_new):
            old, new = old_new
            if old == new:
                return f"{label} {rupiah(old)} (tetap)"
            delta = f" ({'+' if new >= old else ''}{rupiah(new - old)})" if None not in (old, new) else ""
            return f"{label} {rupiah(old)} -> {rupiah(new)}{delta}"
        if self.quarter is not None:
            return f"{self.kode}: {pair(f'realisasi s.d. TW {QUARTERS[self.quarter - 1]}', self.realisasi)} - {self.nama}"
        return f"{self.kode}: {pair('pagu', self.pagu)}; {pair('realisasi', self.realisasi)} - {self.nama}"


@dataclass
class Plan:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    program_path: Path | None = None
    source: str = ""                 # file (and sheet) read
    columns: str = ""                # which column was taken for what, for the editor to check
    unreadable: bool = False         # the input file itself could not be used (exit code 2)
    original: bytes | None = None    # program.yaml as read
    result: bytes | None = None      # program.yaml after the changes, checked by the schema before anything is written
    quarter: int | None = None       # --triwulan N: the file's realisation is the one to the end of triwulan N


@dataclass
class _Row:
    number: int
    kode: str
    pagu: int | None
    realisasi: int | None
    bad: set                         # roles whose cell could not be read (reported already)


def _content(root: Path, year: int):
    """(typed program data, program Document, mapping, problems, documents) or Nones when the content cannot be
    used."""
    content, problems = load(root, year)
    typed, found = validate(content.docs)
    problems = [p for p in problems + found if p.severity == ERROR]
    if "program" not in typed or "laporan" not in typed or problems:
        return None, None, None, problems or [Problem(relpath(root / str(year)), 0, "", "tahun-tidak-ada", ERROR,
                                                      f"Konten {year} tidak dapat dibaca")], None
    return (typed["program"], content.docs["program"], dict(typed["laporan"].get("impor_anggaran") or {}), [],
            content.docs)


def _amounts(table, number, values, problems, convention=None, quarter=None) -> tuple:
    """(pagu, realisasi, roles that failed) of one row; quarterly columns summed when there is no realisasi column.
    quarter N (impor --triwulan N): with quarterly columns the realisation to date is TW I..N summed (unknown while
    one of them is empty); without them the realisasi column is taken as the realisation to date."""
    out, bad = {}, set()
    for role in ("pagu", "realisasi", "tw1", "tw2", "tw3", "tw4"):
        if role not in table.columns:
            continue
        value, code, detail = parse_amount(table.cell(values, role), convention)
        if code:
            bad.add("realisasi" if role.startswith("tw") else role)
            message = {"rumus-tanpa-nilai": f"Sel {role} berisi rumus {detail} tanpa nilai tersimpan; buka dan simpan "
                                            "ulang berkas di Excel/LibreOffice agar nilainya terhitung",
                       "bukan-angka": f"Sel {role} berisi teks '{detail}', bukan angka",
                       "angka-tidak-bulat": f"Sel {role} berisi {detail}; uang ditulis dalam Rupiah bulat",
                       "uang-negatif": f"Sel {role} berisi nilai negatif {detail}",
                       "nilai-terlalu-besar": f"Sel {role} berisi {detail}; nilai uang harus di bawah 10^15 Rupiah "
                                              "(batas yang sama dengan check)"}[code]
            problems.append(Problem(table.sheet.file, number, table.where(number, role), code, ERROR, message))
        out[role] = value
    quarters = [out[q] for q in ("tw1", "tw2", "tw3", "tw4") if out.get(q) is not None]
    realisasi = out.get("realisasi")
    columns = [f"tw{n}" for n in range(1, (quarter or 0) + 1)]
    if quarter is not None and all(c in table.columns for c in columns):
        return out.get("pagu"), sum_known(out.get(c) for c in columns), bad
    if quarters and realisasi is None and "realisasi" not in table.columns:
        realisasi = sum(quarters)
    elif quarters and realisasi is not None and sum(quarters) != realisasi:
        problems.append(Problem(table.sheet.file, number, table.where(number, "realisasi"), "triwulan-berbeda", WARNING,
                                f"Realisasi {rupiah(realisasi)} berbeda dari jumlah TW I-IV {rupiah(sum(quarters))}"))
    return out.get("pagu"), realisasi, bad


def _choose_table(sheets, mapping, problems):
    wanted = mapping.get("lembar")
    if wanted is not None:
        chosen = [s for s in sheets if s.name == wanted]
        if not chosen:
            names = ", ".join(s.name for s in sheets)
            problems.append(Problem(sheets[0].file, 0, "", "kolom-tidak-ditemukan", ERROR,
                                    f"Lembar '{wanted}' (impor_anggaran.lembar) tidak ada; lembar yang ada: {names}"))
            return None
        sheets = chosen
    columns = {role: text for role, text in (mapping.get("kolom") or {}).items()}
    tables = [t for t in (find_table(s, columns, mapping.get("baris_judul")) for s in sheets) if t is not None]
    visible = [t for t in tables if not t.sheet.hidden]
    hidden = [s.name for s in sheets if s.hidden]
    if visible and wanted is None:
        tables = visible                               # a hidden sheet is never preferred to a visible one
        if hidden:
            problems.append(Problem(sheets[0].file, 0, "", "lembar-tersembunyi", WARNING,
                                    f"Lembar tersembunyi tidak dibaca: {', '.join(hidden)} (pilih dengan "
                                    "impor_anggaran.lembar di laporan.yaml bila memang lembar itu yang dimaksud)"))
    elif tables and tables[0].sheet.hidden:
        best = max(tables, key=lambda t: len(t.columns))
        problems.append(Problem(sheets[0].file, 0, "", "lembar-tersembunyi", WARNING,
                                f"Yang dibaca lembar tersembunyi '{best.sheet.name}': periksa bahwa lembar itu "
                                "yang dimaksud"))
    if not tables:
        if not any(s.rows for s in sheets):
            problems.append(Problem(sheets[0].file, 0, "", "berkas-kosong", ERROR, "Berkas atau lembarnya kosong"))
        else:
            problems.append(Problem(sheets[0].file, 0, "", "kolom-tidak-ditemukan", ERROR,
                                    "Baris judul kolom tidak ditemukan: perlu kolom kode dan pagu atau realisasi "
                                    "(mis. 'Kode', 'Pagu', 'Realisasi'); nama lain dapat dipetakan di "
                                    "laporan.yaml, impor_anggaran.kolom"))
        return None
    return max(tables, key=lambda t: len(t.columns))    # first of the best


def plan_import(root: Path, year: int, source: Path, quarter: int | None = None) -> Plan:
    plan = Plan(quarter=quarter)
    file = relpath(source)
    sheets, plan.problems = read_sheets(source, file)           # an unreadable file needs no content
    if not sheets:
        plan.unreadable = True
        return plan
    program, doc, mapping, problems, docs = _content(root, year)
    if program is None:
        plan.problems += problems
        return plan
    plan.program_path = root / str(year) / "program.yaml"
    table = _choose_table(sheets, mapping, plan.problems)
    if table is None:
        plan.unreadable = any(p.code == "berkas-kosong" for p in plan.problems)
        plan.problems = sort_problems(plan.problems)
        return plan
    hidden = ", tersembunyi" if table.sheet.hidden else ""
    plan.source = f"{file} (lembar {table.sheet.name}{hidden})" if table.sheet.name else file
    mark_formulas(table, plan.problems)
    convention, found = amount_convention(table)
    plan.problems += found
    header = dict(table.sheet.rows).get(table.header_row, [])
    plan.columns = ", ".join(
        f"{role} = {column_letter(table.columns[role])}" + (f" '{header[table.columns[role]]}'" if table.columns[role]
                                                            < len(header) and header[table.columns[role]] else "")
        if role in table.columns else f"{role} = (tidak ada)" for role in ("kode", "uraian", "pagu", "realisasi"))

    items = [(p, m, is_leaf(level, m)) for level, p, m in program_items(program)]
    clash = _equivalent_codes(program, docs)
    if clash:                                  # two leaves one row could land on: check refuses them too
        plan.problems += clash
        plan.problems = sort_problems(plan.problems)
        return plan
    leaves = {code_key(m["kode"]): (p, m) for p, m, leaf in items if leaf}
    groups = {code_key(m["kode"]): (p, m) for p, m, leaf in items if not leaf}
    rows, totals = {}, []
    for number, values in table.data:
        code_cell = table.cell(values, "kode")
        key = code_key(clean_code(code_cell)) if code_cell is not None else None
        if key is None:
            label = next((str(v) for v in (code_cell, table.cell(values, "uraian")) if v not in (None, "")), "")
            if TOTAL_LABEL.match(label.strip()):
                pagu, realisasi, bad = _amounts(table, number, values, plan.problems, convention, plan.quarter)
                totals.append(_Row(number, label, pagu, realisasi, bad))
            elif (code_cell not in (None, "") and CODE_LIKE.search(str(code_cell))
                  and any(table.cell(values, r) not in (None, "") for r in ("pagu", "realisasi", "tw1", "tw2", "tw3",
                                                                            "tw4"))):
                plan.problems.append(Problem(file, number, table.where(number, "kode"), "kode-tidak-dikenali", WARNING,
                                             f"Kode {str(code_cell)!r} bukan kode anggaran (angka dipisah titik); "
                                             "baris ini tidak diimpor"))
            continue
        pagu, realisasi, bad = _amounts(table, number, values, plan.problems, convention, plan.quarter)
        if key in rows:
            plan.problems.append(Problem(file, number, table.where(number, "kode"), "kode-ganda", ERROR,
                                         f"Kode {code_cell} sudah ada di baris {rows[key].number}; baris ini diabaikan"))
            continue
        rows[key] = _Row(number, clean_code(code_cell), pagu, realisasi, bad)
        if key not in leaves and key not in groups:
            plan.problems.append(Problem(file, number, table.where(number, "kode"), "kode-tidak-di-konten", WARNING,
                                         f"Kode {code_cell} tidak ada di program.yaml {year}; baris ini tidak diimpor"))

    for key, (path, item) in leaves.items():
        row = rows.get(key)
        money = item.get("anggaran")
        if row is None:
            if money is not None:
                plan.problems.append(Problem(doc.file, doc.line_of(path + ("kode",)), _path(path), "kode-tidak-di-berkas",
                                             WARNING, f"{item['kode']} {item['nama']} tidak ada di {file}; "
                                                      "anggarannya tidak diubah"))
            continue
        if row.bad:                                        # a row with an unreadable cell changes nothing
            continue
        if plan.quarter is None:
            _leaf_change(plan, table, row, path, item, file)
        else:
            _quarter_change(plan, table, row, path, item, file)
    _check_subtotals(plan, table, rows, leaves, groups, totals, file)
    if convention is None and any(p.code == "desimal-ambigu" for p in plan.problems):
        plan.changes = []                                 # amounts read under no convention are not shown as changes
    if plan.changes and not has_errors(plan.problems):
        _prepare_result(plan, doc, docs, leaves)
    plan.problems = sort_problems(plan.problems)
    return plan


def _leaf_named(path, leaves) -> str:
    """'1.06.01.2.01.01 (program[0].kegiatan[0].sub_kegiatan[0])' for the leaf holding path, else the path."""
    for leaf_path, item in leaves.values():
        if tuple(path[:len(leaf_path)]) == tuple(leaf_path):
            return f"{item['kode']} ({_path(leaf_path)})"
    return _path(path)


def _prepare_result(plan, doc, docs, leaves) -> None:
    """The edited program.yaml, made now so that the dry run shows exactly what --tulis would write: no value reached
    through a YAML alias (it would change another leaf too), and the result must pass the schema as `check` reads it."""
    try:
        plan.original = plan.program_path.read_bytes()
        editor = YamlEditor(plan.original, doc.file)
    except (OSError, YamlEditError) as exc:
        plan.problems.append(Problem(doc.file, 0, "", "suntingan-gagal", ERROR, f"program.yaml tidak dapat disunting: {exc}"))
        return
    for change in plan.changes:
        target = change.path if change.add else change.path + ("anggaran",)
        shared = editor.shared(target)
        if shared:
            at, others = shared
            plan.problems.append(Problem(
                doc.file, doc.line_of(at), _path(at), "nilai-lewat-alias", ERROR,
                f"Anggaran {_leaf_named(target, leaves)} dipakai bersama dengan {', '.join(_leaf_named(o, leaves) for o in others)} "
                "melalui anchor/alias YAML (&/*): mengubah yang satu mengubah yang lain. Tulis anggaran masing-masing "
                "tanpa alias di program.yaml, lalu ulangi impor"))
    if has_errors(plan.problems):
        return
    try:
        for change in plan.changes:
            if change.quarter is not None:
                _write_quarter(editor, change)
                continue
            if change.add:
                editor.add(change.path, "anggaran", {"pagu": change.pagu[1], "realisasi": change.realisasi[1]})
                continue
            for role, (old, new) in (("pagu", change.pagu), ("realisasi", change.realisasi)):
                if old != new:
                    editor.set(change.path + ("anggaran", role), new)
        result = editor.result()
    except YamlEditError as exc:
        plan.problems.append(Problem(doc.file, 0, "", "suntingan-gagal", ERROR, f"program.yaml tidak dapat disunting: {exc}"))
        return
    edited, found = parse_yaml(result, doc.file)
    if edited is None:
        found = found or [Problem(doc.file, 0, "", "suntingan-gagal", ERROR, "hasil suntingan tidak terbaca")]
    else:
        _typed, found = validate({**docs, "program": edited})
    wrong = [p for p in found if p.severity == ERROR]
    for p in wrong:
        plan.problems.append(Problem(p.file, p.line, p.path, p.code, ERROR,
                                     f"Setelah impor program.yaml akan ditolak check: {p.message}; tidak ada yang ditulis"))
    if not wrong:
        plan.result = result


def _equivalent_codes(program, docs) -> list:
    try:
        return check_equivalent_codes({"program": program}, Locator(docs))
    except (KeyError, TypeError):              # a tree check_equivalent_codes does not know: compare the leaves
        seen, out = {}, []
        for _level, path, item in program_items(program):
            key = code_key(item["kode"])
            if key in seen and seen[key] != item["kode"]:
                out.append(Problem(docs["program"].file, docs["program"].line_of(path + ("kode",)), _path(path),
                                   "kode-setara", ERROR, f"Kode {item['kode']} sama dengan kode {seen[key]}"))
            seen.setdefault(key, item["kode"])
        return out


def _path(path) -> str:
    return format_path(path)


def _leaf_change(plan, table, row, path, item, file):
    money = item.get("anggaran")
    old_pagu = money["pagu"] if money else None
    old_real = money["realisasi"] if money else None
    pagu = row.pagu if row.pagu is not None else old_pagu
    realisasi = row.realisasi
    if realisasi is None:
        if old_real is not None and "realisasi" in table.columns:
            plan.problems.append(Problem(file, row.number, table.where(row.number, "realisasi"), "sel-kosong", WARNING,
                                         f"Realisasi {row.kode} kosong di berkas; nilai di konten "
                                         f"({rupiah(old_real)}) tidak diubah"))
        realisasi = old_real
    if row.pagu is None and money is not None and "pagu" in table.columns:
        plan.problems.append(Problem(file, row.number, table.where(row.number, "pagu"), "sel-kosong", WARNING,
                                     f"Pagu {row.kode} kosong di berkas; nilai di konten ({rupiah(old_pagu)}) tidak diubah"))
    if pagu is None:
        if realisasi is not None:
            plan.problems.append(Problem(file, row.number, table.where(row.number, "pagu"), "sel-kosong", WARNING,
                                         f"{row.kode} belum punya pagu di konten maupun di berkas; realisasinya tidak diimpor"))
        return
    if realisasi is not None and realisasi > pagu:
        plan.problems.append(Problem(file, row.number, table.where(row.number, "realisasi"), "realisasi-melebihi-pagu",
                                     ERROR, f"Realisasi {row.kode} {rupiah(realisasi)} melebihi pagu {rupiah(pagu)}"))
        return
    if money is None and pagu == 0 and not realisasi:
        return
    if (pagu, realisasi) != (old_pagu, old_real):
        plan.changes.append(Change(item["kode"], item["nama"], path, (old_pagu, pagu), (old_real, realisasi),
                                   add=money is None))


def _quarter_change(plan, table, row, path, item, file):
    """impor --triwulan N: the realisation to the end of triwulan N into anggaran.triwulan.<N>.realisasi; the pagu
    and the year's realisasi are left as they are (the year is not over)."""
    money = item.get("anggaran")
    name = QUARTERS[plan.quarter - 1]
    if money is None:
        if row.realisasi is not None:
            plan.problems.append(Problem(file, row.number, table.where(row.number, "pagu"), "sel-kosong", WARNING,
                                         f"{row.kode} belum punya anggaran di program.yaml; impor pagunya dahulu (tanpa "
                                         "--triwulan), lalu realisasi triwulannya"))
        return
    old = ((money.get("triwulan") or {}).get(name) or {}).get("realisasi")
    if row.realisasi is None:
        if old is not None:
            plan.problems.append(Problem(file, row.number, table.where(row.number, "realisasi"), "sel-kosong", WARNING,
                                         f"Realisasi {row.kode} kosong di berkas; nilai s.d. TW {name} di konten "
                                         f"({rupiah(old)}) tidak diubah"))
        return
    if row.realisasi > money["pagu"]:
        plan.problems.append(Problem(file, row.number, table.where(row.number, "realisasi"), "realisasi-melebihi-pagu",
                                     ERROR, f"Realisasi {row.kode} s.d. TW {name} {rupiah(row.realisasi)} melebihi pagu "
                                            f"{rupiah(money['pagu'])}"))
        return
    if row.realisasi != old:
        plan.changes.append(Change(item["kode"], item["nama"], path, (money["pagu"], money["pagu"]),
                                   (old, row.realisasi), quarter=plan.quarter))


def _write_quarter(editor, change) -> None:
    """anggaran.triwulan.<N>.realisasi set, adding the mappings on the way that are not there yet."""
    name = QUARTERS[change.quarter - 1]
    money = change.path + ("anggaran",)
    here = value_at(editor.expected, money)
    quarters = here.get("triwulan") if isinstance(here, dict) else None
    if not isinstance(quarters, dict) or not quarters:
        if "triwulan" in (here or {}):
            raise YamlEditError(f"{_path(money + ('triwulan',))} bukan pemetaan berisi; tulis triwulan: secara lengkap")
        editor.add(money, "triwulan", {name: {"realisasi": change.realisasi[1]}})
    elif not isinstance(quarters.get(name), dict) or not quarters.get(name):
        if name in quarters:
            raise YamlEditError(f"{_path(money + ('triwulan', name))} kosong; tulis rencana atau realisasinya")
        editor.add(money + ("triwulan",), name, {"realisasi": change.realisasi[1]})
    elif "realisasi" not in quarters[name]:
        editor.add(money + ("triwulan", name), "realisasi", change.realisasi[1])
    else:
        editor.set(money + ("triwulan", name, "realisasi"), change.realisasi[1])


def _check_subtotals(plan, table, rows, leaves, groups, totals, file):
    """Program/kegiatan rows and 'Jumlah' rows against the sum of the leaf rows below them in the same file."""
    leaf_rows = [(leaves[k][0], r) for k, r in rows.items() if k in leaves]
    checks = [(rows[k], [r for p, r in leaf_rows if p[:len(path)] == path], f"{rows[k].kode} di berkas",
               "rinciannya") for k, (path, _item) in groups.items() if k in rows]
    checks += [(total, [r for _p, r in leaf_rows], f"baris {total.kode} di berkas", "seluruh rincian") for total in totals]
    for row, parts, label, what in checks:
        for role in ("pagu", "realisasi"):
            stated = getattr(row, role)
            if stated is None or any(role in r.bad for r in parts):
                continue
            summed = sum(getattr(r, role) or 0 for r in parts)
            if stated != summed:
                plan.problems.append(Problem(
                    file, row.number, table.where(row.number, role), "subtotal-berbeda", WARNING,
                    f"{role.capitalize()} {label} {rupiah(stated)} berbeda dari jumlah {what} di berkas "
                    f"{rupiah(summed)} (selisih {rupiah(stated - summed)}); yang diimpor hanya rincian terbawah"))


def write_changes(plan: Plan) -> None:
    """Write the edited program.yaml prepared by plan_import, through a symlink to its target and keeping the file's
    mode; raises YamlEditError when the file changed since it was read (nothing is written then)."""
    path = plan.program_path
    if plan.result is None or path.read_bytes() != plan.original:
        raise YamlEditError(f"{relpath(path)} berubah sejak dibaca; jalankan impor lagi")
    write_keeping_mode(path, plan.result)


def run_import(root: Path, year: int, source: Path, write: bool, quarter: int | None = None) -> int:
    plan = plan_import(root, year, source, quarter)
    for problem in plan.problems:
        print(problem.format())
    errors = sum(p.severity == ERROR for p in plan.problems)
    print(f"{errors} galat, {len(plan.problems) - errors} peringatan", file=sys.stderr)
    if plan.unreadable:
        return 2                                       # the input file itself: refused or unreadable
    if plan.program_path is None or not plan.source:
        return 1
    target = relpath(plan.program_path)
    print(f"Dibaca: {plan.source}; kolom {plan.columns}.")
    if not plan.changes and errors:
        print(f"Tidak ada yang ditulis ke {target}: perbaiki galat di atas lalu ulangi.")
        return 1
    if not plan.changes:
        print(f"Tidak ada perubahan: pagu dan realisasi di {plan.source} sama dengan {target}.")
        return 0
    print(f"Perubahan dari {plan.source} untuk {target} (lama -> baru):")
    for change in plan.changes:
        print("  " + change.format())
    values = sum((c.pagu[0] != c.pagu[1]) + (c.realisasi[0] != c.realisasi[1]) for c in plan.changes)
    if has_errors(plan.problems):
        print(f"{values} nilai berubah pada {len(plan.changes)} kode; tidak ada yang ditulis karena masih ada galat.",
              file=sys.stderr)
        return 1
    if not write:
        print(f"{values} nilai berubah pada {len(plan.changes)} kode; belum ada yang ditulis (ulangi dengan --tulis).",
              file=sys.stderr)
        return 0
    try:
        write_changes(plan)
    except (YamlEditError, OSError) as exc:
        print(f"build.py: galat: {target} tidak ditulis: {exc}", file=sys.stderr)
        return 1
    print(f"{values} nilai ditulis ke {target}. Jalankan check --year {year} untuk memeriksa hasilnya.", file=sys.stderr)
    return 0
