"""diff tool: what changed between two report years, as Markdown a reviewer reads in a minute."""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import sys
from decimal import Decimal
from pathlib import Path

from ... import pipeline
from ...base.fmt import angka, beda, persen, rupiah, ukur
from ...base.output import folder_lock, write_atomic
from ...base.problems import has_errors
from ...base.shape import NEGATIF, PK, PK_PERUBAHAN, number
from ...compute.measure import compare
from ...load.content import relpath
from ...render.tables import full_name, measure


def _subs(report) -> dict:
    return {s.kode: (s, k, p) for p in report.programs for k in p.kegiatan for s in ((k.leaf,) if k.leaf else k.sub_kegiatan)}


def _items(report) -> dict:
    """kode -> (level, name, Budget or None) for every program, kegiatan and sub kegiatan."""
    out = {}
    for p in report.programs:
        out[p.kode] = ("Program", p.nama, p.budget)      # program names already start with "Program"
        for k in p.kegiatan:
            out[k.kode] = ("Kegiatan", k.nama, k.budget)
            for s in k.sub_kegiatan:
                out[s.kode] = ("Sub kegiatan", s.nama, s.budget)
            if k.leaf:
                out[k.kode] = ("Kegiatan", k.nama, k.budget)
    return out


def _change_rp(a, b) -> str:
    if a is None or b is None:
        return "-"
    delta = b - a
    sign = "+" if delta > 0 else ""
    pct = f" ({sign}{angka(Decimal(delta) / Decimal(a) * 100, 2)}%)" if a else ""
    return f"{sign}{rupiah(delta)}{pct}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["Tidak ada perubahan.", ""]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines + [""]


SERAPAN_JUMP = Decimal(20)           # serapan moving by this many points is material
MAX_MARKS = 40                       # lines of the material-changes summary (the noise budget)


def _below_renstra(value, renstra, polaritas) -> bool:
    """A target that asks less than the Renstra's for the same year (lower for higher-is-better)."""
    if not isinstance(value, Decimal) or not isinstance(renstra, Decimal) or polaritas is None:
        return False
    return value > renstra if polaritas == NEGATIF else value < renstra


def where(docs: dict, name: str, path: tuple):
    """(file, line) of a key path in this year's documents, for annotations; None when the file is absent."""
    doc = (docs or {}).get(name)
    return None if doc is None else (doc.file, doc.line_of(tuple(path)))


def _agreement_marks(a, b, docs) -> list:
    """The Perjanjian Kinerja in force each year: who signs it, and its targets."""
    pk_a, pk_b = a.pk_perubahan or a.pk, b.pk_perubahan or b.pk
    key = PK_PERUBAHAN if b.pk_perubahan else PK
    if pk_a is None or pk_b is None:
        return [] if pk_a is pk_b else [(1, f"Perjanjian Kinerja: {'tidak ada' if pk_b is None else 'baru ada'} pada "
                                            f"{b.tahun}", where(docs, "kinerja", (key,)))]
    marks = []
    for side, label in (("pihak_kesatu", "PIHAK KESATU"), ("pihak_kedua", "PIHAK KEDUA")):
        before, after = getattr(pk_a, side), getattr(pk_b, side)
        at = where(docs, "kinerja", (key, side))
        if before.nama and after.nama and before.nama != after.nama:
            marks.append((1, f"Perjanjian Kinerja {label}: {before.nama} → **{after.nama}**", at))
        if before.jabatan and after.jabatan and before.jabatan != after.jabatan:
            marks.append((1, f"Perjanjian Kinerja jabatan {label}: {before.jabatan} → **{after.jabatan}**", at))
    old = {ind.id: (ind, t) for ind, t in pk_a.baris}
    for ind, target in pk_b.baris:
        if ind.id not in old:
            marks.append((1, f"Perjanjian Kinerja {b.tahun}: indikator baru {ind.label} (target {ukur(target, ind)})",
                          where(docs, "kinerja", (key, "target"))))
    gone = set(old) - {ind.id for ind, _t in pk_b.baris}
    for key_id in sorted(gone):
        marks.append((1, f"Perjanjian Kinerja {b.tahun}: indikator {old[key_id][0].label} tidak lagi diperjanjikan",
                      where(docs, "kinerja", (key, "target"))))
    return marks


def years(a, b) -> tuple[str, str]:
    """Column labels of the two sides: the years, or for one year before and after a change (--dasar) which is which."""
    return (f"{a.tahun} (dasar)", f"{b.tahun} (baru)") if a.tahun == b.tahun else (str(a.tahun), str(b.tahun))


def _indicator_edits(prev, ind, docs) -> list:
    """An indicator's Renstra (targets per year, wording, unit, polarity) as edited between the two contents: seen
    when they are two years of one repository's history or the same year before and after a change (--dasar)."""
    marks = []
    at = where(docs, "renstra", ind.path)
    before, after = dict(prev.targets), dict(ind.targets)
    for year in sorted(set(before) | set(after)):
        old, new = before.get(year), after.get(year)
        if old != new:
            marks.append((1, f"Renstra, indikator {ind.label}: target {year} {ukur(old, prev)} → **{ukur(new, ind)}**",
                          where(docs, "renstra", ind.path + ("target",)) if at else None))
    for label, old, new in (("uraian", prev.uraian, ind.uraian), ("satuan", prev.satuan, ind.satuan),
                            ("polaritas", prev.polaritas or "tanpa polaritas", ind.polaritas or "tanpa polaritas")):
        if old != new:
            marks.append((1, f"Renstra, indikator {ind.id}: {label} {old} → **{new}**", at))
    return marks


def material_marks(a, b, problems_b=(), docs_b=None) -> list:
    """(rank, text, (file, line) or None) of every material change, most material first: judgements that moved
    (predikat, status), the PK, targets below the Renstra, serapan that jumped, prose that still names an earlier
    year. The place is where the change is written in year b's content (for annotations on a pull request)."""
    marks: list = []
    realised = {row.get("indikator"): i for i, row in
                enumerate(((docs_b or {}).get("kinerja").data.get("realisasi_indikator") or ())
                          if (docs_b or {}).get("kinerja") is not None else ())}
    old = {i.id: i for i in a.indicators}
    for ind in b.indicators:
        prev = old.get(ind.id)
        at = where(docs_b, "kinerja", ("realisasi_indikator", realised[ind.id])) if ind.id in realised else None
        if prev is not None and prev.capaian.predikat and ind.capaian.predikat and prev.capaian.predikat != ind.capaian.predikat:
            marks.append((0, f"Indikator {ind.label}: predikat {prev.capaian.predikat} → **{ind.capaian.predikat}** "
                             f"(capaian {persen(prev.capaian.nilai)} → {persen(ind.capaian.nilai)})", at))
        if prev is not None and prev.capaian.status and ind.capaian.status and prev.capaian.status != ind.capaian.status:
            marks.append((0, f"Indikator {ind.label}: target {prev.capaian.status} → **{ind.capaian.status}**", at))
        if prev is not None:
            marks += _indicator_edits(prev, ind, docs_b)
        renstra = dict(ind.targets).get(b.tahun)
        if ind.target_sumber != "Renstra" and _below_renstra(ind.target, renstra, ind.polaritas):
            marks.append((1, f"Indikator {ind.label}: target {ind.target_sumber} {ukur(ind.target, ind)} di bawah "
                             f"target Renstra {b.tahun} {ukur(renstra, ind)}", where(docs_b, "renstra", ind.path)))
    marks += _agreement_marks(a, b, docs_b)
    subs = {s.kode: s for s in a.leaves}
    for leaf in b.leaves:
        prev = subs.get(leaf.kode)
        if prev is not None and prev.capaian.predikat and leaf.capaian.predikat and prev.capaian.predikat != leaf.capaian.predikat:
            marks.append((0, f"{leaf.kode} {leaf.nama}: predikat {prev.capaian.predikat} → **{leaf.capaian.predikat}** "
                             f"(capaian {persen(prev.capaian.nilai)} → {persen(leaf.capaian.nilai)})",
                          where(docs_b, "program", leaf.path + ("realisasi",))))
        row = leaf.renstra_tahun_ini
        if row is not None and leaf.target is not None and leaf.target.is_number and (row.unit or leaf.satuan) == leaf.satuan:
            planned = number(row.target)
            if _below_renstra(leaf.target.number, planned, leaf.polaritas):
                marks.append((1, f"{leaf.kode} {leaf.nama}: target {measure(leaf.target)} di bawah target Renstra "
                                 f"{b.tahun} {angka(planned)}", where(docs_b, "program", leaf.path + ("target",))))
    paths = {p.kode: p.path for p in b.programs}
    paths.update({k.kode: k.path for p in b.programs for k in p.kegiatan})
    paths.update({leaf.kode: leaf.path for leaf in b.leaves})
    budgets = _items(a)
    for code, (_level, name, budget) in _items(b).items():
        before = budgets.get(code, (None, None, None))[2]
        if budget is None or before is None or None in (budget.serapan, before.serapan):
            continue
        if abs(budget.serapan - before.serapan) >= SERAPAN_JUMP:
            marks.append((2, f"{code} {name}: serapan {persen(before.serapan)} → **{persen(budget.serapan)}**",
                          where(docs_b, "program", paths[code]) if code in paths else None))
    for p in problems_b:
        if p.code == "tahun-basi":
            marks.append((3, f"Prosa {Path(p.file).name}:{p.line} masih menyebut tahun lalu: {p.message}",
                          (p.file, p.line)))
    return sorted(marks, key=lambda m: m[0])


def material_section(a, b, problems_b=(), docs_b=None) -> list[str]:
    """The material changes as the diff's first section (noise budget MAX_MARKS lines)."""
    marks = material_marks(a, b, problems_b, docs_b)
    lines = ["## Perubahan penting", ""]
    if not marks:
        return lines + ["Tidak ada predikat yang berubah, target di bawah Renstra, lonjakan serapan atau tahun basi.", ""]
    lines += [f"{n}. {text}" for n, (_k, text, _at) in enumerate(marks[:MAX_MARKS], start=1)]
    if len(marks) > MAX_MARKS:
        lines.append(f"\n*Dan {len(marks) - MAX_MARKS} perubahan lain dengan jenis yang sama (lihat tabel di bawah).*")
    return lines + [""]


def github_annotations(marks) -> str:
    """`diff --format github`: one GitHub Actions notice per material change, on the line of year b's content where
    it is written, so that a pull request shows it beside the changed line."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")
    out = []
    for _rank, text, at in marks:
        plain = text.replace("**", "")
        where = f"file={prop(str(at[0]))},line={at[1]}," if at else ""
        out.append(f"::notice {where}title=lkjip diff::{escape(plain)}")
    return "\n".join(out) + ("\n" if out else "")


def indicators_section(a, b) -> list[str]:
    ya, yb = years(a, b)
    old = {i.id: i for i in a.indicators}
    rows = []
    for ind in b.indicators:
        prev = old.get(ind.id)
        change = "-"
        if prev is not None:
            c = compare(ind.realisasi, prev.realisasi, ind.polaritas)
            if c.sama:
                change = "tetap"
            elif c.selisih is not None:
                change = f"{'naik' if c.naik else 'turun'} {beda(c.selisih, ind)} ({'membaik' if c.membaik else 'menurun'})"
        rows.append([ind.uraian,
                     ukur(prev.target, prev) if prev else "-", ukur(prev.realisasi, prev) if prev else "-",
                     persen(prev.capaian.nilai) if prev else "-",
                     ukur(ind.target, ind), ukur(ind.realisasi, ind), persen(ind.capaian.nilai), change])
    return ["## Indikator kinerja", ""] + table(
        ["Indikator", f"Target {ya}", f"Realisasi {ya}", f"Capaian {ya}", f"Target {yb}",
         f"Realisasi {yb}", f"Capaian {yb}", "Perubahan realisasi"], rows)


def budget_section(a, b) -> list[str]:
    ya, yb = years(a, b)
    old, new = _items(a), _items(b)
    rows = []
    for code, (level, name, budget) in new.items():
        if code not in old or budget is None or old[code][2] is None:
            continue
        before = old[code][2]
        realisasi_changed = None not in (before.realisasi, budget.realisasi) and before.realisasi != budget.realisasi
        if before.pagu == budget.pagu and not realisasi_changed:
            continue
        rows.append([code, name if name.casefold().startswith(level.casefold()) else f"{level} {name}", rupiah(before.pagu), rupiah(budget.pagu), _change_rp(before.pagu, budget.pagu),
                     rupiah(before.realisasi), rupiah(budget.realisasi), _change_rp(before.realisasi, budget.realisasi),
                     f"{persen(before.serapan)} → {persen(budget.serapan)}"])
    total = ["", "**Jumlah**", rupiah(a.total.pagu), rupiah(b.total.pagu), _change_rp(a.total.pagu, b.total.pagu),
             rupiah(a.total.realisasi), rupiah(b.total.realisasi), _change_rp(a.total.realisasi, b.total.realisasi),
             f"{persen(a.total.serapan)} → {persen(b.total.serapan)}"]
    return ["## Anggaran (pagu dan realisasi, Rp)", ""] + table(
        ["Kode", "Uraian", f"Pagu {ya}", f"Pagu {yb}", "Perubahan", f"Realisasi {ya}",
         f"Realisasi {yb}", "Perubahan", "Serapan"], rows + ([total] if rows else []))


def performance_section(a, b) -> list[str]:
    ya, yb = years(a, b)
    old, new = _subs(a), _subs(b)
    rows = []
    for code, (sub, _k, _p) in new.items():
        if code not in old:
            continue
        prev = old[code][0]
        target_changed = measure(prev.target) != measure(sub.target)
        # an unfilled realisasi (a draft) is not a change; a filled one that differs is
        realised_changed = None not in (prev.realisasi, sub.realisasi) and measure(prev.realisasi) != measure(sub.realisasi)
        if target_changed or realised_changed:
            rows.append([code, sub.nama, measure(prev.target), measure(prev.realisasi), measure(sub.target),
                         measure(sub.realisasi)])
    return ["## Target dan realisasi sub kegiatan", ""] + table(
        ["Kode", "Sub kegiatan", f"Target {ya}", f"Realisasi {ya}", f"Target {yb}", f"Realisasi {yb}"], rows)


def added_removed_section(a, b) -> list[str]:
    old, new = _items(a), _items(b)
    added = [[c, lvl, name] for c, (lvl, name, _b) in new.items() if c not in old]
    removed = [[c, lvl, name] for c, (lvl, name, _b) in old.items() if c not in new]
    lines = ["## Program, kegiatan dan sub kegiatan yang ditambah atau dihapus", ""]
    lines += ["### Ditambah", ""] + table(["Kode", "Tingkat", "Uraian"], added)
    lines += ["### Dihapus", ""] + table(["Kode", "Tingkat", "Uraian"], removed)
    names = {name: c for c, _l, name in removed}
    recoded = [f"- {name}: kode {names[name]} menjadi {c}" for c, _l, name in added if name in names]
    if recoded:
        lines += ["Kemungkinan kode diganti (nama sama):", ""] + recoded + [""]
    return lines


def _person_key(p) -> str:
    return p.get("nip") or p.get("nomor_kontrak") or p["id"]


def staff_section(a, b) -> list[str]:
    ya, yb = years(a, b)
    old = {_person_key(p): p for p in a.pegawai}
    new = {_person_key(p): p for p in b.pegawai}
    joined = [[full_name(p), k, p["jabatan"]] for k, p in new.items() if k not in old]
    left = [[full_name(p), k, p["jabatan"]] for k, p in old.items() if k not in new]
    moved = [[full_name(p), k, old[k]["jabatan"], p["jabatan"]] for k, p in new.items()
             if k in old and (old[k]["jabatan"], old[k].get("unit")) != (p["jabatan"], p.get("unit"))]
    lines = ["## Pegawai", "", f"Jumlah pegawai {ya}: {a.counts.pegawai}; {yb}: {b.counts.pegawai}.", ""]
    lines += ["### Bergabung", ""] + table(["Nama", "NIP/Nomor", "Jabatan"], joined)
    lines += ["### Keluar", ""] + table(["Nama", "NIP/Nomor", "Jabatan"], left)
    lines += ["### Pindah jabatan", ""] + table(["Nama", "NIP/Nomor", f"Jabatan {ya}", f"Jabatan {yb}"], moved)
    return lines


def organisation_section(a, b) -> list[str]:
    old = {u.id: u for u in a.units}
    new = {u.id: u for u in b.units}
    rows = [[u.nama, "ditambah", ""] for i, u in new.items() if i not in old]
    rows += [[u.nama, "dihapus", ""] for i, u in old.items() if i not in new]
    for i, u in new.items():
        if i in old:
            before = old[i]
            if before.nama != u.nama:
                rows.append([u.nama, "nama diubah", f"{before.nama} → {u.nama}"])
            if getattr(before, "kepala", None) != getattr(u, "kepala", None):
                was = full_name(before.kepala_orang) if before.kepala_orang else "-"
                now = full_name(u.kepala_orang) if u.kepala_orang else "-"
                rows.append([u.nama, "kepala berganti", f"{was} → {now}"])
            if getattr(before, "tugas", None) != getattr(u, "tugas", None) or getattr(before, "fungsi", None) != getattr(u, "fungsi", None) \
                    or getattr(before, "rincian", None) != getattr(u, "rincian", None):
                rows.append([u.nama, "tugas/fungsi diubah", ""])
    return ["## Organisasi", ""] + table(["Unit", "Perubahan", "Keterangan"], rows)


# Bounds for the prose comparison (CI runs diff on every pull request): lines are compared first, words only inside
# a changed block and only when both sides are short; what is printed is capped per block and per report.
MAX_DIFF_LINES = 5_000           # lines per prose file compared line by line; longer files are summarised
MAX_WORD_PAIRS = 60_000          # words before x words after in one changed block compared word by word
MAX_WORD_WORK = 600_000          # the same, summed over every block of one diff (about a second at worst)
MAX_BLOCK_CHARS = 4_000          # characters printed for one changed block
MAX_PROSE_CHARS = 60_000         # characters printed for all prose together


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\n", text)


def word_diff(old: str, new: str, budget: list | None = None) -> str:
    """Word-level diff in wdiff notation: [-removed-] {+added+}. Sides too long to compare word by word within
    MAX_WORD_PAIRS (or what is left of budget[0], shared by the blocks of one diff) are shown whole, removed then
    added."""
    a, b = _words(old), _words(new)
    work = len(a) * len(b)
    if work > MAX_WORD_PAIRS or (budget is not None and work > budget[0]):
        opcodes = [("replace", 0, len(a), 0, len(b))]
    else:
        if budget is not None:
            budget[0] -= work
        opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
        if op in ("delete", "replace") and i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace") and j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return re.sub(r" ?\n ?", "\n", " ".join(out))


def _capped(text: str, limit: int = MAX_BLOCK_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f" … *(dipotong: {len(text) - limit} karakter lagi)*"


def prose_changes(old: str, new: str, budget: list | None = None) -> list[str]:
    """The changed blocks of one prose file, each as a paragraph: lines compared first, then words inside each
    changed block (bounded, see above)."""
    a, b = old.split("\n"), new.split("\n")
    if len(a) > MAX_DIFF_LINES or len(b) > MAX_DIFF_LINES:
        return [f"*Berkas terlalu panjang untuk dibandingkan per baris ({len(a)} baris menjadi {len(b)} baris, batas "
                f"{MAX_DIFF_LINES}); bandingkan langsung dengan git diff.*"]
    blocks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            continue
        before, after = "\n".join(a[i1:i2]).strip(), "\n".join(b[j1:j2]).strip()
        if not before and not after:
            continue                          # only blank lines moved
        if op == "delete" or not after:
            blocks.append(_capped("[-" + before + "-]"))
        elif op == "insert" or not before:
            blocks.append(_capped("{+" + after + "+}"))
        else:
            blocks.append(_capped(word_diff(before, after, budget)))
    return blocks


def prose_section(result_a, result_b) -> list[str]:
    """Prose as printed (rendered: names replaced by their values), so that a sentence whose figures changed is
    seen even when its template did not; the written text where it was not rendered."""
    def printed(result):
        rendered = result.prose or {}
        return {k: rendered.get(k, v[1]) for k, v in result.content.prose.items()}
    old, new = printed(result_a), printed(result_b)
    lines = ["## Prosa (sebagaimana tercetak)", ""]
    same = [k for k in sorted(new) if old.get(k) == new[k]]
    left, work, capped = MAX_PROSE_CHARS, [MAX_WORD_WORK], []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            head, blocks = f"### {name} (baru)", [_capped(new[name].strip())]
        elif name not in new:
            head, blocks = f"### {name} (dihapus)", []
        elif old[name] != new[name]:
            head, blocks = f"### {name} (diubah)", prose_changes(old[name], new[name], work)
        else:
            continue
        if left <= 0:
            capped.append(name)
            continue
        lines += [head, ""]
        left -= len(head) + 2
        for n, block in enumerate(blocks):
            if len(block) + 2 > left:
                left = 0
                capped.append(f"{name} ({len(blocks) - n} bagian)")
                break
            lines += [block + "\n"]
            left -= len(block) + 2
        if not blocks:
            lines += [""]
    if capped:
        lines += [f"*Perbandingan prosa dipotong (batas {MAX_PROSE_CHARS} karakter); tidak ditampilkan: "
                  f"{', '.join(capped)}. Bandingkan berkasnya langsung dengan git diff.*", ""]
    lines += [f"Tidak berubah: {', '.join(same) if same else '-'}.", ""]
    return lines


def fingerprint(result, with_folder: bool = False) -> str:
    """Which content was compared: a short hash of the year's files as read (YAML and prose), and the report date."""
    digest = hashlib.sha256()
    for name, doc in sorted(result.content.docs.items()):
        digest.update(name.encode() + b"\0" + str(getattr(doc, "digest", "")).encode() + b"\0")
    for name, (_file, text) in sorted(result.content.prose.items()):
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    signed = result.report.laporan.get("tanggal") or "tanpa tanggal"
    place = f" di {relpath(result.content.root)}" if with_folder else ""
    return f"konten {result.report.tahun}{place} sidik {digest.hexdigest()[:12]} (tanggal laporan {signed})"


def diff_markdown(result_a, result_b) -> str:
    a, b = result_a.report, result_b.report
    ya, yb = years(a, b)
    apart = result_a.content.root != result_b.content.root         # --dasar: say which folder is which
    lines = [f"# Perubahan {b.laporan['singkatan']} {a.instansi['nama']}: {ya} → {yb}", "",
             f"Dibandingkan: {fingerprint(result_a, apart)} dengan {fingerprint(result_b, apart)}.", ""]
    if b.draf:
        lines += [f"*Laporan {b.tahun} masih draf; angka yang belum diisi ditulis \"-\".*", ""]
    for section in (material_section(a, b, result_b.problems, result_b.content.docs), indicators_section(a, b),
                    budget_section(a, b),
                    performance_section(a, b),
                    added_removed_section(a, b), staff_section(a, b), organisation_section(a, b),
                    prose_section(result_a, result_b)):
        lines += section
    return "\n".join(lines).rstrip() + "\n"


def remove_stale(path: Path) -> None:
    """A diff from before the error would be read as current: ours (a regular file of our name in the output
    folder) is removed; anything else there is left alone."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            with folder_lock(path.parent):
                path.unlink()
            print(f"{path.as_posix()} lama dihapus agar tidak terbaca sebagai diff terbaru.", file=sys.stderr)
    except OSError:
        pass


def refuse(problems, message: str, target: Path) -> int:
    """A diff that cannot be made: the problems and why, and no earlier diff left to be read as this one."""
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(message, file=sys.stderr)
    remove_stale(target)
    return 1


def publish(target: Path, text: str, marks, fmt: str) -> int:
    """Write the Markdown atomically; print it, or with fmt 'github' the material changes as notices."""
    with folder_lock(target.parent):
        write_atomic(target, text.encode("utf-8"))
    sys.stdout.write(github_annotations(marks()) if fmt == "github" else text)
    return 0


def run_diff(root: Path, year_from: int, year_to: int, output_dir: Path, fmt: str = "markdown",
             base: Path | None = None) -> int:
    """base: another content folder (a checkout of the main branch) that year_from is read from, so that a pull
    request's changes to the same year, the Renstra included, show as a diff."""
    target = Path(output_dir) / f"diff-{year_from}-{year_to}.md"
    results = []
    for year, folder in ((year_from, base or root), (year_to, root)):
        result = pipeline.check(folder, year)
        if has_errors(result.problems) or result.report is None:
            return refuse(result.problems, f"diff dibatalkan: konten {year} di {relpath(folder)} masih mengandung "
                                           "galat.", target)
        results.append(result)
    a, b = results
    # --format github: notices beside the changed lines of a pull request; the Markdown is in the file
    return publish(target, diff_markdown(a, b), lambda: material_marks(a.report, b.report, b.problems, b.content.docs),
                   fmt)
