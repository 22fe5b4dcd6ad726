"""Render stage: figures (organisation charts, budget and IKU charts) as PNG, cached by a hash of their data.

Figure data is built from the computed model without plotting; matplotlib is imported only when a figure's
data changed since the last build, so a prose-only rebuild draws nothing and does not load it.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..fmt import angka, persen
from ..limits import MAX_CHART_ITEMS, MAX_ORG_COLUMNS, MAX_ORG_ROWS
from ..nip import format_nip
from .tables import full_name

STYLE_VERSION = "1"            # bump when drawing code changes, so cached figures are redrawn
FONTS = ["Liberation Sans", "Arial", "DejaVu Sans"]
DRAWN: list = []               # names drawn in this process (tests and the benchmark read it)


@dataclass
class FigureSpec:
    name: str
    caption: str
    kind: str
    data: dict
    width_cm: float
    landscape: bool = False

    def key(self) -> str:
        blob = json.dumps({"kind": self.kind, "data": self.data, "v": STYLE_VERSION}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


# --- figure data (pure) ------------------------------------------------------------------------------------

def _box(unit, functional_name=None) -> dict:
    person = unit.kepala_orang if functional_name is None else None
    if functional_name:
        lines = [functional_name]
    else:
        lines = ["KEPALA DINAS" if unit.jenis == "pimpinan" else unit.nama.upper()]
    if person:
        lines += [full_name(person)] + ([f"NIP. {format_nip(person['nip'])}"] if person.get("nip") else [])
    return {"text": lines}


def _capped(items: list, limit: int, what: str) -> list:
    """At most `limit` boxes: the rest are summarised in one box (a chart of a thousand units stays a page)."""
    if len(items) <= limit:
        return items
    return items[:limit - 1] + [{"text": [f"DAN {len(items) - limit + 1} {what} LAINNYA"], "below": []}]


def org_chart_data(report, functional: bool) -> dict:
    units = {u.id: u for u in report.units}
    root = next((u for u in report.units if not getattr(u, "induk", None)), report.units[0])
    columns = []
    for child in (u for u in report.units if getattr(u, "induk", None) == root.id and u is not root):
        if functional:
            below = [_box(child, g["nama"].upper()) for g in report.organisasi.get("kelompok_fungsional", ())
                     if g["induk"] == child.id]
            below = [{"text": b["text"]} for b in below]
        else:
            below = [_box(u) for u in report.units if getattr(u, "induk", None) == child.id]
        columns.append({"head": _box(child), "below": _capped(below, MAX_ORG_ROWS, "UNIT")})
    columns = [c if "head" in c else {"head": {"text": c["text"]}, "below": []}
               for c in _capped(columns, MAX_ORG_COLUMNS, "UNIT")]
    title = f"{report.instansi['nama'].upper()} (TIPE {report.instansi.get('tipe', '')})".replace(" (TIPE )", "")
    return {"root": _box(units[root.id]), "columns": columns, "title": title}


def budget_chart_data(report) -> dict:
    programs = report.programs[:MAX_CHART_ITEMS]
    data = {"labels": [p.nama.replace("Program ", "", 1) for p in programs],
            "pagu": [p.budget.pagu for p in programs],
            "realisasi": [p.budget.realisasi for p in programs],
            "serapan": [persen(p.budget.serapan) if p.budget.serapan is not None else "-" for p in programs]}
    if len(report.programs) > MAX_CHART_ITEMS:          # the rest in one bar; the table lists every program
        rest = report.programs[MAX_CHART_ITEMS - 1:]
        real = [p.budget.realisasi for p in rest]
        data = {k: v[:MAX_CHART_ITEMS - 1] for k, v in data.items()}
        data["labels"].append(f"{len(rest)} program lainnya")
        data["pagu"].append(sum(p.budget.pagu for p in rest))
        data["realisasi"].append(None if None in real else sum(real))
        data["serapan"].append("-")
    return data


def iku_years_data(report) -> dict:
    iku = report.iku
    actual = {}
    if iku.realisasi_lalu is not None:
        actual[report.tahun_lalu] = str(iku.realisasi_lalu)
    if iku.realisasi is not None:
        actual[report.tahun] = str(iku.realisasi)
    return {"uraian": iku.uraian, "years": [y for y, _t in iku.targets], "targets": [str(t) for _y, t in iku.targets],
            "actual": {str(k): v for k, v in actual.items()}, "kondisi_awal": str(iku.kondisi_awal)}


def capaian_data(report) -> dict:
    shown = report.indicators[:MAX_CHART_ITEMS]          # the table lists every indicator
    return {"labels": [i.uraian for i in shown],
            "capaian": [str(i.capaian.value) if i.capaian.value is not None else None for i in shown],
            "shown": [persen(i.capaian.value) if i.capaian.value is not None else "-" for i in shown],
            "scale": [[str(r["batas_bawah"]), r["predikat"]] for r in report.skala]}


def figure_spec(name: str, report) -> FigureSpec:
    tahun = report.tahun
    if name in ("struktur", "fungsional"):
        functional = name == "fungsional"
        title = "Jabatan Fungsional" if functional else "Jabatan Struktural"
        return FigureSpec(name, f"Bagan Struktur Organisasi {title} {report.instansi['nama']}", "org",
                          org_chart_data(report, functional), 19.5, landscape=True)
    if name == "anggaran":
        return FigureSpec(name, f"Pagu dan Realisasi Anggaran per Program Tahun {tahun}", "budget",
                          budget_chart_data(report), 14.0)
    if name == "iku-tahunan":
        return FigureSpec(name, f"Target dan Realisasi {report.iku.uraian} {report.renstra['periode']['awal']}–"
                                f"{report.renstra['periode']['akhir']}", "iku", iku_years_data(report), 14.0)
    if name == "capaian":
        return FigureSpec(name, f"Capaian Indikator Sasaran Tahun {tahun}", "capaian", capaian_data(report), 14.0)
    raise KeyError(name)


# --- drawing (matplotlib, imported lazily) -------------------------------------------------------------------

def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"font.family": "sans-serif", "font.sans-serif": FONTS, "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "lkjip"})
    return plt


def _axis_format(axis, fmt):
    """Tick labels in Indonesian number format."""
    from matplotlib.ticker import FuncFormatter
    axis.set_major_formatter(FuncFormatter(lambda v, _p: fmt(v)))


def _draw_budget(plt, data):
    fig, ax = plt.subplots(figsize=(6.3, 3.6))
    n = len(data["labels"])
    ys = list(range(n))[::-1]
    pagu, real = data["pagu"], [r or 0 for r in data["realisasi"]]
    ax.barh([y + 0.2 for y in ys], pagu, height=0.38, color="#9db4cf", label="Pagu")
    ax.barh([y - 0.2 for y in ys], real, height=0.38, color="#1f4e79", label="Realisasi")
    for y, p, s in zip(ys, pagu, data["serapan"]):
        ax.text(p, y + 0.2, f"  serapan {s}", va="center", fontsize=7)
    ax.set_yticks(ys)
    ax.set_yticklabels([_wrap(l, 28) for l in data["labels"]], fontsize=7)
    _axis_format(ax.xaxis, lambda v: angka(int(round(v / 1_000_000))))
    ax.set_xlabel("Rupiah (juta)")
    ax.set_xlim(0, max(pagu + [1]) * 1.35)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return fig


def _draw_iku(plt, data):
    from decimal import Decimal
    fig, ax = plt.subplots(figsize=(6.3, 3.0))
    years = data["years"]
    targets = [float(Decimal(t)) for t in data["targets"]]
    ax.plot(years, targets, marker="o", color="#9db4cf", label="Target Renstra")
    for x, t in zip(years, data["targets"]):
        ax.annotate(persen(Decimal(t), 1), (x, float(Decimal(t))), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=7)
    actual = sorted((int(y), float(Decimal(v))) for y, v in data["actual"].items())
    if actual:
        ax.plot([a[0] for a in actual], [a[1] for a in actual], marker="s", linestyle="none", color="#1f4e79",
                label="Realisasi")
        for x, v in data["actual"].items():
            ax.annotate(persen(Decimal(v)), (int(x), float(Decimal(v))), textcoords="offset points", xytext=(0, -12),
                        ha="center", fontsize=7, color="#1f4e79")
    ax.set_xticks(years)
    ax.set_ylabel("%")
    _axis_format(ax.yaxis, lambda v: angka(int(v)))
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    low = min(targets + [a[1] for a in actual]) - 8
    ax.set_ylim(max(0, low), 105)
    return fig


def _draw_capaian(plt, data):
    from decimal import Decimal
    fig, ax = plt.subplots(figsize=(6.3, 0.9 + 0.5 * len(data["labels"])))
    values = [float(Decimal(v)) if v is not None else 0 for v in data["capaian"]]
    ys = list(range(len(values)))[::-1]
    ax.barh(ys, values, height=0.5, color="#1f4e79")
    for y, v, text in zip(ys, values, data["shown"]):
        ax.text(v, y, f"  {text}", va="center", fontsize=8)
    for edge, label in data["scale"]:
        e = float(Decimal(edge))
        if e > 0:
            ax.axvline(e, color="#bbbbbb", linewidth=0.6, linestyle="--")
            ax.text(e, len(values) - 0.45, label, fontsize=6, ha="center", color="#666666")
    ax.set_yticks(ys)
    ax.set_yticklabels([_wrap(l, 30) for l in data["labels"]], fontsize=7)
    ax.set_xlim(0, max(120, max(values) * 1.15))
    ax.set_xlabel("Capaian (%)")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width)) or text


def _draw_org(plt, data):
    from matplotlib.patches import FancyBboxPatch
    cols = data["columns"]
    rows = max(len(c["below"]) for c in cols) if cols else 0
    fig_w, fig_h = 9.4, 2.45 + 1.04 * rows
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, fig_w)
    ax.set_ylim(0, fig_h)
    ax.axis("off")
    box_w, box_h = 2.75, 0.82

    def box(cx, top, lines, bold_first=True):
        ax.add_patch(FancyBboxPatch((cx - box_w / 2, top - box_h), box_w, box_h, boxstyle="square,pad=0",
                                    linewidth=0.8, edgecolor="#1f4e79", facecolor="#eef3f9"))
        wrapped = [_wrap(lines[0], 38)] + lines[1:]
        ax.text(cx, top - box_h / 2, "\n".join(wrapped), ha="center", va="center", fontsize=5.6, linespacing=1.25)
        return top - box_h

    top = fig_h - 0.15
    root_bottom = box(fig_w / 2, top, data["root"]["text"])
    n = len(cols)
    xs = [fig_w * (i + 0.5) / n for i in range(n)]
    bus = root_bottom - 0.25
    ax.plot([fig_w / 2, fig_w / 2], [root_bottom, bus], color="#1f4e79", linewidth=0.8)
    if n:
        ax.plot([xs[0], xs[-1]], [bus, bus], color="#1f4e79", linewidth=0.8)
    head_top = bus - 0.25
    for x, col in zip(xs, cols):
        ax.plot([x, x], [bus, head_top], color="#1f4e79", linewidth=0.8)
        bottom = box(x, head_top, col["head"]["text"])
        spine_x = x - box_w / 2 + 0.12
        child_top = bottom - 0.2
        last_mid = None
        for child in col["below"]:
            mid = child_top - box_h / 2
            box(x + 0.12, child_top, child["text"])
            ax.plot([spine_x, x + 0.12 - box_w / 2], [mid, mid], color="#1f4e79", linewidth=0.8)
            last_mid = mid
            child_top -= box_h + 0.22
        if last_mid is not None:
            ax.plot([spine_x, spine_x], [bottom, last_mid], color="#1f4e79", linewidth=0.8)
    return fig


_DRAW = {"budget": _draw_budget, "iku": _draw_iku, "capaian": _draw_capaian, "org": _draw_org}


def figure_png(spec: FigureSpec, cache_dir: Path) -> Path:
    """The PNG for spec: from the cache when its data is unchanged, else drawn (and cached)."""
    path = cache_dir / f"{spec.name}-{spec.key()}.png"
    if path.is_file():
        return path
    plt = _pyplot()
    fig = _DRAW[spec.kind](plt, spec.data)
    tmp = cache_dir / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"       # per process: builds may overlap
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fig.savefig(tmp, format="png", dpi=200, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.05)
        os.replace(tmp, path)
    except OSError as exc:
        from ..output import OutputError, explain
        raise OutputError(path, explain(exc)) from None
    finally:
        plt.close(fig)
        if tmp.exists():
            tmp.unlink()
    DRAWN.append(spec.name)
    return path
