"""nilai tool, readings: what the content says about each criterion of LKE component 3 that can be read from
data. One named method per criterion kind (templates/lke.yaml `penilaian`), each returning a Reading: a yes/no or
a coverage, with its evidence (file:line) and what is missing."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path

from ...base.problems import WARNING, Problem
from ...base.shape import PK, PK_PERUBAHAN
from ...base.shape import number as num
from ...load.content import available_years, relpath
from ...render.build import outline_file
from ...render.directives import MISSING_PROSE
from ..reviu.recount import Source


@dataclass(frozen=True)
class Reading:
    """What a method read from the data: a yes/no, or a coverage in percent; with evidence and explanation."""

    ya: bool | None = None
    cakupan: Decimal | None = None
    bukti: tuple = ()
    dasar: str = ""
    kurang: str = ""           # what exactly is missing, added to the criterion's advice




@dataclass
class Context:
    report: object
    plan: str                  # the rendered outline Markdown
    prose: dict                # section -> rendered prose
    src: Source
    root: Path
    year: int
    problems: list


def _pct(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) * 100 if whole else Decimal(0)


def _present(ctx: Context, name: str) -> bool:
    return bool(ctx.prose.get(name, "").strip())


def _matching(ctx: Context, patterns) -> list:
    """Prose sections present whose name matches one of the patterns ('indikator/*' matches every indicator's)."""
    return [name for name in sorted(ctx.prose) if _present(ctx, name) and any(fnmatchcase(name, p) for p in patterns)]


def lke_data(ctx: Context) -> dict:
    return ctx.src.data("lke") or {}


def _year_file(ctx: Context, name: str) -> str:
    """content/<tahun>/NAME as printed (beside laporan.yaml), for files that may not exist yet."""
    return str(Path(ctx.src.file("laporan")).parent / name)


def _lke_at(ctx: Context, *path) -> str:
    return ctx.src.at("lke", path) if "lke" in ctx.src.docs else _year_file(ctx, "lke.yaml")


def _date(ctx: Context, *path) -> dt.date | None:
    """A YYYY-MM-DD value of lke.yaml, None when absent; an impossible date is reported and treated as absent."""
    value = lke_data(ctx)
    for key in path:
        value = (value or {}).get(key) if isinstance(value, dict) else None
    if not value:
        return None
    try:
        return dt.date(*(int(x) for x in str(value).split("-")))
    except ValueError:
        doc = ctx.src.docs["lke"]
        ctx.problems.append(Problem(doc.file, doc.line_of(path), ".".join(path), "format-tidak-valid", WARNING,
                                    f"Tanggal {value} tidak ada di kalender; dianggap belum diisi"))
        return None


# --- 3.a: the report exists, regularly, signed, reviewed, published, on time ---------------------------------

def disusun(ctx: Context, _k) -> Reading:
    return Reading(ya=ctx.report is not None, bukti=(ctx.src.at("laporan"),),
                   dasar=f"konten {ctx.year} lolos check tanpa galat; laporan disusun dengan build.py report")


def berkala(ctx: Context, _k) -> Reading:
    earlier = [y for y in available_years(ctx.root) if y < ctx.year]
    listed = [(i, row) for i, row in enumerate(lke_data(ctx).get("laporan_sebelumnya") or ())
              if num(row.get("tahun")) == ctx.year - 1]
    usable = str(getattr(ctx.report, "sumber_tahun_lalu", "")).startswith("konten")   # passed its own check
    if ctx.year - 1 in earlier and usable:
        return Reading(ya=True, bukti=(relpath(ctx.root / str(ctx.year - 1)),),
                       dasar=f"konten tahun {', '.join(map(str, earlier))} tersedia")
    if listed:
        i, row = listed[0]
        return Reading(ya=True, bukti=(_lke_at(ctx, "laporan_sebelumnya", i),),
                       dasar=f"laporan {ctx.year - 1} tercatat: {row.get('bukti')}")
    if ctx.year - 1 in earlier:
        return Reading(ya=False, bukti=(relpath(ctx.root / str(ctx.year - 1)),),
                       dasar=f"konten {ctx.year - 1} ada tetapi tidak dapat dipakai (masih mengandung galat; jalankan "
                             f"check --year {ctx.year - 1}) dan laporan {ctx.year - 1} tidak tercatat di lke.yaml")
    return Reading(ya=False, bukti=(relpath(ctx.root),),
                   dasar=f"tidak ada konten {ctx.year - 1} dan laporan {ctx.year - 1} tidak tercatat di lke.yaml")


def ditandatangani(ctx: Context, _k) -> Reading:
    sig, report = ctx.report.penandatangan, ctx.report
    missing = [k for k in ("nama", "nip", "jabatan") if not getattr(sig, k)]
    where = (ctx.src.at("laporan", ("penandatangan",)), ctx.src.at("laporan", ("draf",)))
    if missing or report.draf:
        what = ([f"penandatangan belum lengkap ({', '.join(missing)})"] if missing else []) + (["laporan masih draf"]
                                                                                             if report.draf else [])
        return Reading(ya=False, bukti=where, dasar="; ".join(what))
    return Reading(ya=True, bukti=where, dasar=f"ditandatangani {sig.jabatan} ({sig.nama}); draf: false")


def direviu(ctx: Context, _k) -> Reading:
    reviu = ctx.report.reviu
    if reviu is None:
        return Reading(ya=False, bukti=(_year_file(ctx, "reviu.yaml"),), dasar="reviu.yaml tidak ada")
    missing = [k for k in ("nomor", "tanggal") if not getattr(reviu, k)] + \
              [f"inspektur.{k}" for k in ("nama", "nip") if not getattr(reviu.inspektur, k)]
    where = (ctx.src.at("reviu"),)
    if missing:
        return Reading(ya=False, bukti=where, dasar=f"Pernyataan Telah Direviu belum lengkap ({', '.join(missing)})")
    return Reading(ya=True, bukti=("halaman Pernyataan Telah Direviu setelah BAB IV", *where),
                   dasar=f"Pernyataan Telah Direviu nomor {reviu.nomor} tanggal {reviu.tanggal}, "
                                               f"{reviu.inspektur.jabatan or 'Inspektur'}; tercetak setelah BAB IV")


def dipublikasikan(ctx: Context, _k) -> Reading:
    pub = lke_data(ctx).get("publikasi") or {}
    when = _date(ctx, "publikasi", "tanggal")
    if pub.get("url") and when:
        return Reading(ya=True, bukti=(_lke_at(ctx, "publikasi"),), dasar=f"dipublikasikan {when:%Y-%m-%d} di {pub['url']}")
    missing = [k for k, v in (("url", pub.get("url")), ("tanggal", when)) if not v]
    return Reading(ya=False, bukti=(_lke_at(ctx, "publikasi"),), dasar=f"publikasi belum dicatat ({', '.join(missing)})")


def tepat_waktu(ctx: Context, _k) -> Reading:
    sent, due = _date(ctx, "penyampaian", "tanggal"), _date(ctx, "penyampaian", "tenggat")
    where = (_lke_at(ctx, "penyampaian"),)
    if sent is None or due is None:
        missing = [k for k, v in (("tanggal", sent), ("tenggat", due)) if v is None]
        return Reading(ya=False, bukti=where, dasar=f"penyampaian belum dicatat ({', '.join(missing)})")
    basis = (lke_data(ctx).get("penyampaian") or {}).get("dasar_tenggat")
    text = f"disampaikan {sent:%Y-%m-%d}, tenggat {due:%Y-%m-%d}" + (f" ({basis})" if basis else "")
    if sent > due:
        return Reading(ya=False, bukti=where, dasar=f"{text}: terlambat {(sent - due).days} hari")
    return Reading(ya=True, bukti=where, dasar=text)


# --- 3.b: quality of the report ------------------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)


_PLACEHOLDER_LINE = re.compile(r"^\*?" + re.escape(MISSING_PROSE) + ".*$", re.MULTILINE)


def outline_parts(markdown: str) -> list:
    """(heading text, its own text up to the next heading, its whole text up to the next heading of the same or a
    higher level) of the rendered outline."""
    found = list(_HEADING.finditer(markdown))
    out = []
    for i, m in enumerate(found):
        level = len(m.group(1))
        end = found[i + 1].start() if i + 1 < len(found) else len(markdown)
        close = next((f.start() for f in found[i + 1:] if len(f.group(1)) <= level), len(markdown))
        out.append((m.group(2), markdown[m.end():end], markdown[m.end():close]))
    return out


_LAYOUT = re.compile(r"<!--\s*lkjip\S*:(?:bagian|tanda-tangan|sampul|daftar-\w+)\b.*?-->", re.DOTALL)


def _has_content(text: str) -> bool:
    """Anything but headings, layout directives and 'belum diisi' marks (prose, tables, figures, lists)."""
    return bool(_PLACEHOLDER_LINE.sub("", _HEADING.sub("", _LAYOUT.sub("", text))).strip())


def sistematika(ctx: Context, k) -> Reading:
    parts = outline_parts(ctx.plan)
    own_titles = dict(ctx.report.kerangka.get("judul") or {})       # the agency's words for the outline's titles
    have, lacking = 0, []
    for part in k.get("bagian") or ():
        pattern = re.compile(part["judul"], re.IGNORECASE)
        agency = own_titles.get(part.get("kunci"), "").strip().casefold()
        hit = next(((own, whole) for title, own, whole in parts
                    if pattern.fullmatch(title.strip()) or (agency and title.strip().casefold() == agency)), None)
        if hit is not None and MISSING_PROSE not in hit[0] and _has_content(hit[1]):
            have += 1
        else:
            lacking.append(part["uraian"] + ("" if hit is None else " (prosanya belum diisi)"))
    total = len(k.get("bagian") or ())
    return Reading(cakupan=_pct(have, total), bukti=("seluruh laporan (Daftar Isi)", outline_file()),
                   dasar=f"{have} dari {total} bagian sistematika ada dalam laporan",
                   kurang=f"Bagian yang belum ada: {'; '.join(lacking)}." if lacking else "")


def _pk_indicators(ctx: Context) -> tuple:
    pk = ctx.report.pk_perubahan or ctx.report.pk
    return tuple(ind for ind, _target in pk.baris) if pk is not None else ctx.report.indicators


def informasi_lengkap(ctx: Context, k) -> Reading:
    inds = _pk_indicators(ctx)
    general = len(ctx.report.sasaran) == 1 and any(_present(ctx, name) for name in k.get("prosa") or ())
    complete, lacking = 0, []
    for ind in inds:
        gaps = [label for label, ok in (("target", ind.target is not None), ("realisasi", ind.realisasi is not None),
                                        ("analisis", general or _present(ctx, f"indikator/{ind.id}")
                                         or _present(ctx, f"sasaran/{ind.sasaran_id}"))) if not ok]
        if gaps:
            lacking.append(f"{ind.id} ({', '.join(gaps)})")
        else:
            complete += 1
    key = PK_PERUBAHAN if ctx.report.pk_perubahan else PK
    source = "Perjanjian Kinerja" if (ctx.report.pk_perubahan or ctx.report.pk) else "Renstra"
    where = ctx.src.at("kinerja", (key, "target")) if source != "Renstra" else ctx.src.at("renstra")
    return Reading(cakupan=_pct(complete, len(inds)), bukti=("BAB III Capaian Kinerja Organisasi, per sasaran", where),
                   dasar=f"{complete} dari {len(inds)} indikator {source} memiliki target, realisasi dan analisis"
                         + (" (analisis umum untuk satu-satunya sasaran)" if general else ""),
                   kurang=f"Belum lengkap: {'; '.join(lacking)}." if lacking else "")


def _share(ctx: Context, test, what: str, section: str) -> Reading:
    inds = ctx.report.indicators
    good = [i for i in inds if test(i)]
    lacking = [i for i in inds if not test(i)]
    return Reading(cakupan=_pct(len(good), len(inds)),
                   bukti=((section,) if good else ()) + tuple(ctx.src.at("renstra", i.path) for i in (lacking or good)[:3]),
                   dasar=f"{len(good)} dari {len(inds)} indikator {what}",
                   kurang=f"Indikator: {', '.join(i.id for i in lacking)}." if lacking else "")


def banding_target(ctx: Context, _k) -> Reading:
    return _share(ctx, lambda i: i.capaian.nilai is not None, "dibandingkan dengan target tahunan (capaian dihitung)",
                  "BAB III, tabel Capaian Indikator Kinerja")


def banding_jangka_menengah(ctx: Context, _k) -> Reading:
    return _share(ctx, lambda i: i.capaian_akhir.nilai is not None, "dibandingkan dengan target akhir periode Renstra",
                  "BAB III, per sasaran: Dibandingkan target akhir Renstra")


def banding_tahun_lalu(ctx: Context, _k) -> Reading:
    return _share(ctx, lambda i: i.realisasi_lalu is not None and i.realisasi is not None,
                  f"dibandingkan dengan realisasi tahun {ctx.report.tahun_lalu}",
                  "BAB III, per sasaran: Dibandingkan tahun sebelumnya")


def banding_standar(ctx: Context, _k) -> Reading:
    return _share(ctx, lambda i: i.standar_nasional is not None and i.realisasi is not None,
                  "dibandingkan dengan standar nasional atau pembanding lain",
                  "BAB III, per sasaran: Dibandingkan standar nasional")


def analisis(ctx: Context, k) -> Reading:
    data = {"kendala": ctx.src.at("kinerja", ("kendala",)) if ctx.report.kendala else None}
    prose_dir = _year_file(ctx, "prosa")
    elements = k.get("unsur") or ()
    lacking, where = [], []
    for e in elements:
        found = [str(Path(prose_dir) / f"{p}.md") for p in _matching(ctx, e.get("prosa") or ())]
        found += [data[d] for d in e.get("data") or () if data.get(d)]
        where += found
        if not found:
            lacking.append(e["uraian"])
    have = len(elements) - len(lacking)
    section = ("BAB III Analisis Penyebab Keberhasilan dan Kendala" if data["kendala"] or
               _present(ctx, "analisis_keberhasilan") else "BAB III, per sasaran")
    return Reading(cakupan=_pct(have, len(elements)),
                   bukti=((section,) if where else ()) + tuple(dict.fromkeys(where)),
                   dasar=f"{have} dari {len(elements)} unsur analisis ada",
                   kurang=f"Belum ada: {'; '.join(lacking)}." if lacking else "")


def efisiensi(ctx: Context, _k) -> Reading:
    method = ctx.report.efisiensi or {}
    programs = ctx.report.programs
    if not method.get("uraian"):
        return Reading(cakupan=Decimal(0), bukti=(ctx.src.at("laporan"),), dasar="metode efisiensi tidak dinyatakan",
                       kurang="Isi laporan.yaml efisiensi (metode dan uraian).")
    judged = [p for p in programs if p.efisiensi is not None]
    lacking = [p.kode for p in programs if p.efisiensi is None]
    return Reading(cakupan=_pct(len(judged), len(programs)),
                   bukti=("BAB III Analisis Efisiensi Penggunaan Sumber Daya (tabel efisiensi)",
                          ctx.src.at("laporan", ("efisiensi",))),
                   dasar=f"efisiensi dinilai untuk {len(judged)} dari {len(programs)} program",
                   kurang=f"Program tanpa penilaian (tanpa capaian terukur atau realisasi anggaran): {', '.join(lacking)}."
                   if lacking else "")


def rekomendasi(ctx: Context, k) -> Reading:
    names = [p for p in k.get("prosa") or () if _present(ctx, p)]
    prose_dir = _year_file(ctx, "prosa")
    if names:
        return Reading(ya=True, bukti=tuple(f"{prose_dir}/{n}.md" for n in names), dasar="bagian rekomendasi ada")
    return Reading(ya=False, bukti=(prose_dir,), dasar="tidak ada prosa rekomendasi atau rencana perbaikan "
                                                       f"({', '.join(k.get('prosa') or ())})")


METHODS = {f.__name__: f for f in (disusun, berkala, ditandatangani, direviu, dipublikasikan, tepat_waktu, sistematika,
                                   informasi_lengkap, banding_target, banding_jangka_menengah, banding_tahun_lalu,
                                   banding_standar, analisis, efisiensi, rekomendasi)}

