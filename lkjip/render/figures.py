"""Render stage: figures (organisation charts, budget and IKU charts) as PNG, cached by a hash of their data.

Figure data is built from the computed model without plotting; matplotlib is imported only when a figure's
data changed since the last build, so a prose-only rebuild draws nothing and does not load it.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import secrets
import shutil
import stat
import struct
import tempfile
import textwrap
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..base.fmt import angka, nilai, persen
from ..base.limits import MAX_CHART_ITEMS, MAX_ORG_COLUMNS, MAX_ORG_ROWS
from ..base.memo import untrusted_reason, warn_once
from ..base.nip import format_nip
from ..base.output import OutputError, explain
from ..base.shape import NEGATIF
from .tables import full_name

STYLE_VERSION = "6"            # bump when drawing code changes, so cached figures are redrawn
FONTS = ["Liberation Sans", "Arial", "DejaVu Sans"]
# Readable on paper (issue 23): every chart is drawn at the size it is printed (its frame), so a point in the figure is
# a point on paper, and no text is smaller than TEXT_PT (tests/test_figures.py measures the printed size).
MIN_PRINTED_PT = 8.0
TEXT_PT = 8.5                  # the smallest text drawn: tick labels, value labels, legends, org chart boxes
CHART_CM = 14.0                # portrait charts: the frame width in the document
ORG_CM = 23.0                  # organisation charts: on a landscape page
CHART_IN = CHART_CM / 2.54
DRAWN: list = []               # names drawn in this process (tests and the benchmark read it)


ALT_MAX = 1000                 # characters of alt text (Word shows about this much)


@dataclass
class FigureSpec:
    name: str
    caption: str
    kind: str
    data: dict
    width_cm: float
    landscape: bool = False

    @property
    def alt_text(self) -> str:
        """What the picture shows, in words, for screen readers (the DOCX's alt text): the caption, then the figures
        it draws (the same formatted values as its labels), at most ALT_MAX characters."""
        data, parts = self.data, []
        if "shown" in data:                                   # capaian per indicator
            parts = [f"{label} {shown}" for label, shown in zip(data["labels"], data["shown"])]
        elif "serapan" in data:                               # pagu and realisasi per program
            parts = [f"{label}: serapan {serapan}" for label, serapan in zip(data["labels"], data["serapan"])]
        elif "panels" in data:                                # targets and realisations per indicator and year
            for panel in data["panels"]:
                years = [f"{y} target {t}" + (f", realisasi {panel['actual_labels'][str(y)]}"
                                             if str(y) in panel["actual_labels"] else "")
                         for y, t in zip(panel["years"], panel["target_labels"])]
                parts.append(f"{panel['uraian']}: {'; '.join(years)}")
        elif "root" in data:                                  # an organisation chart
            heads = [c["head"]["text"][0] if isinstance(c["head"]["text"], list) else c["head"]["text"]
                     for c in data.get("columns", ())]
            parts = [f"{len(heads)} unit di bawah pimpinan: {', '.join(heads)}"] if heads else []
        text = self.caption + (": " + "; ".join(parts) if parts else "")
        return text if len(text) <= ALT_MAX else text[:ALT_MAX - 1] + "…"

    @property
    def empty(self) -> bool:
        """No datum to draw: the outline leaves the figure out with its caption and list entry (unknown is never
        drawn as an empty axis or as zero)."""
        data = self.data
        if self.kind == "capaian":
            return not any(v is not None for v in data["capaian"])
        if self.kind == "indicators":
            return not any(any(t is not None for t in p["targets"]) or p["actual"] for p in data["panels"])
        if self.kind == "budget":
            return not any(v for v in (*data["pagu"], *data["realisasi"]) if v is not None)
        return False

    def key(self) -> str:
        blob = json.dumps({"kind": self.kind, "data": self.data, "v": STYLE_VERSION}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


# --- figure data (pure) ------------------------------------------------------------------------------------



def _box(unit, functional_name=None) -> dict:
    person = unit.kepala_orang if functional_name is None else None
    lines = [functional_name or unit.nama.upper()]
    if person:
        number = f"NIP. {format_nip(person['nip'])}" if person.get("nip") else person.get("nomor_kontrak")
        lines += [full_name(person)] + ([number] if number else [])
    return {"text": lines}


def _capped(items: list, limit: int, what: str) -> list:
    """At most `limit` boxes: the rest are summarised in one box (a chart of a thousand units stays a page); a
    summary box counts what it stands for ("more"), so it can be summarised again."""
    real = [i for i in items if "more" not in i]
    total = len(real) + sum(i["more"] for i in items if "more" in i)
    if total <= limit:
        return items
    keep = real[:limit - 1]
    more = total - len(keep)
    return keep + [{"text": [f"DAN {more} {what} LAINNYA"], "below": [], "more": more}]


def org_root(report):
    """The unit without a parent (check reports organisations without exactly one)."""
    return next((u for u in report.units if not getattr(u, "induk", None)), report.units[0])


def org_chart_data(report, functional: bool) -> dict:
    root = org_root(report)
    children = [u for u in report.units if getattr(u, "induk", None) == root.id and u is not root]
    groups: dict = {}
    for g in report.organisasi.get("kelompok_fungsional", ()):        # grouped once: linear in the organisation
        groups.setdefault(g["induk"], []).append(g)
    columns = []
    for child in children[:MAX_ORG_COLUMNS]:          # _capped keeps the first columns and counts the rest
        if functional:
            below = [_box(child, g["nama"].upper()) for g in groups.get(child.id, ())]
        else:
            below = [_box(u) for u in child.anak]
        columns.append({"head": _box(child), "below": _capped(below, MAX_ORG_ROWS, "UNIT")})
    columns += [{}] * (len(children) - len(columns))            # placeholders, summarised by _capped
    columns = [c if "head" in c else {"head": {"text": c["text"]}, "below": []}
               for c in _capped(columns, MAX_ORG_COLUMNS, "UNIT")]
    tipe = report.instansi.get("tipe")
    title = report.instansi["nama"].upper() + (f" (TIPE {tipe})" if tipe else "")
    return {"root": _box(root), "columns": columns, "title": title}


def budget_chart_data(report) -> dict:
    """Pagu and realisasi per program with a known budget (a program without any is in the table, not drawn)."""
    known = [p for p in report.programs if p.budget.pagu is not None]
    programs = known[:MAX_CHART_ITEMS]
    data = {"labels": [p.nama.replace("Program ", "", 1) for p in programs],
            "pagu": [p.budget.pagu for p in programs],
            "realisasi": [p.budget.realisasi for p in programs],
            "serapan": [persen(p.budget.serapan) if p.budget.serapan is not None else "-" for p in programs]}
    if len(known) > MAX_CHART_ITEMS:                    # the rest in one bar; the table lists every program
        rest = known[MAX_CHART_ITEMS - 1:]
        real = [p.budget.realisasi for p in rest]
        data = {k: v[:MAX_CHART_ITEMS - 1] for k, v in data.items()}
        data["labels"].append(f"{len(rest)} program lainnya")
        data["pagu"].append(sum(p.budget.pagu for p in rest))
        data["realisasi"].append(None if None in real else sum(real))
        data["serapan"].append("-")
    return data


def indicator_data(report, sasaran_id: str) -> dict:
    """One panel per indicator of the sasaran: targets and realisations over the years, in the indicator's unit."""
    sasaran = next(s for s in (*report.tujuan, *report.sasaran) if s.id == sasaran_id)
    panels = []
    for ind in sasaran.indikator:
        if not ind.bergrafik:
            continue                 # a qualitative indicator: its table and prose show it (README "Instansi lain")
        targets = dict(ind.targets)
        years = sorted(set(targets) | {h.year for h in ind.riwayat})
        actual = {h.year: h.realisasi for h in ind.riwayat if h.realisasi is not None}
        panels.append({"uraian": ind.uraian, "satuan": ind.satuan, "years": years,
                       "targets": [None if targets.get(y) is None else str(targets[y]) for y in years],
                       "target_labels": [nilai(targets.get(y), ind.satuan, ind.desimal) for y in years],
                       "actual": {str(y): str(v) for y, v in actual.items()},
                       "actual_labels": {str(y): nilai(v, ind.satuan, ind.desimal) for y, v in actual.items()},
                       "negatif": ind.polaritas == NEGATIF})
    return {"panels": panels}


def capaian_data(report) -> dict:
    # the table lists every indicator; the chart leaves out those without a percentage by design (judged by rank
    # only, or without polarity), never drawing them as zero
    shown = [i for i in report.indicators if i.capaian.nilai is not None or not (i.kualitatif or i.polaritas is None)]
    shown = shown[:MAX_CHART_ITEMS]
    return {"labels": [i.label for i in shown],
            "capaian": [str(i.capaian.nilai) if i.capaian.nilai is not None else None for i in shown],
            "shown": [persen(i.capaian.nilai, i.capaian.desimal) if i.capaian.nilai is not None else "-" for i in shown],
            "scale": [[str(r["batas_bawah"]), r["predikat"]] for r in report.skala]}


def figure_spec(args: str, report) -> FigureSpec:
    name, _, arg = args.partition(" ")
    tahun = report.tahun
    if name in ("struktur", "fungsional"):
        functional = name == "fungsional"
        title = "Jabatan Fungsional" if functional else "Jabatan Struktural"
        return FigureSpec(name, f"Bagan Struktur Organisasi {title} {report.instansi['nama']}", "org",
                          org_chart_data(report, functional), ORG_CM, landscape=True)
    if name == "anggaran":
        return FigureSpec(name, f"Pagu dan Realisasi Anggaran per Program Tahun {tahun}", "budget",
                          budget_chart_data(report), CHART_CM)
    if name == "indikator":
        sasaran = next(s for s in (*report.tujuan, *report.sasaran) if s.id == arg)
        data = indicator_data(report, arg)
        level = "Tujuan" if sasaran.tingkat == "tujuan" else "Sasaran"
        return FigureSpec(f"indikator-{arg}", f"Target dan Realisasi Indikator {level} {sasaran.uraian}", "indicators",
                          data, CHART_CM)
    if name == "capaian":
        return FigureSpec(name, f"Capaian Indikator Kinerja Tahun {tahun}", "capaian", capaian_data(report), CHART_CM)
    raise KeyError(name)


# --- drawing (matplotlib, imported lazily) -------------------------------------------------------------------

def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    _one_file_per_font()
    plt.rcParams.update({"font.family": "sans-serif", "font.sans-serif": FONTS, "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "lkjip"})
    return plt


def _one_file_per_font() -> None:
    """The same font file for the same face on every machine. A system may carry one face twice (Debian's
    fonts-liberation and fonts-liberation2 both install 'Liberation Sans'); matplotlib then takes whichever its font
    cache lists first, and that order differs between caches, so the same content drew different PNG bytes. The
    first file by path wins."""
    # A font installed after matplotlib wrote its font cache is missing from it (the cache is not rebuilt), so the
    # same content drew another face than on a fresh machine: the system's font files not listed are added first.
    from matplotlib import font_manager
    manager = font_manager.fontManager
    listed = {entry.fname for entry in manager.ttflist}
    for path in sorted(set(font_manager.findSystemFonts()) - listed):
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):     # a file matplotlib cannot read is skipped, as in its scan
            pass
    seen, kept = set(), []
    for entry in sorted(manager.ttflist, key=lambda e: e.fname):
        face = (entry.name, entry.style, entry.variant, entry.weight, entry.stretch)
        if face not in seen:
            seen.add(face)
            kept.append(entry)
    if len(kept) != len(manager.ttflist):
        manager.ttflist = kept
        cached = getattr(font_manager.FontManager, "_findfont_cached", None)    # lookups made before this one
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _axis_format(axis, fmt):
    """Tick labels in Indonesian number format."""
    from matplotlib.ticker import FuncFormatter
    axis.set_major_formatter(FuncFormatter(lambda v, _p: fmt(v)))


def _draw_budget(plt, data):
    n = len(data["labels"])
    fig, ax = plt.subplots(figsize=(CHART_IN, 1.4 + 0.55 * n), layout="constrained")
    ys = list(range(n))[::-1]
    pagu, real = data["pagu"], [r or 0 for r in data["realisasi"]]
    ax.barh([y + 0.2 for y in ys], pagu, height=0.38, color="#9db4cf", label="Pagu")
    ax.barh([y - 0.2 for y in ys], real, height=0.38, color="#1f4e79", label="Realisasi")
    for y, p, s in zip(ys, pagu, data["serapan"]):
        ax.text(p, y + 0.2, f"  serapan {s}", va="center", fontsize=TEXT_PT)
    ax.set_yticks(ys)
    ax.set_yticklabels([_wrap(l, 28) for l in data["labels"]], fontsize=TEXT_PT)
    _axis_format(ax.xaxis, lambda v: angka(int(round(v / 1_000_000))))
    ax.set_xlabel("Rupiah (juta)")
    ax.set_xlim(0, max(pagu + [1]) * 1.35)
    ax.legend(loc="lower right", fontsize=TEXT_PT, frameon=False)
    return fig


def _draw_indicators(plt, data):
    """Small multiples: one panel per indicator, target line and realisation points, axis fitted to the data."""
    panels = data["panels"]
    cols = 1 if len(panels) == 1 else 2
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(CHART_IN, 2.8 * rows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, panel in zip(axes.flat, panels):
        years = panel["years"]
        points = [(y, float(Decimal(t))) for y, t in zip(years, panel["targets"]) if t is not None]
        labels = [l for t, l in zip(panel["targets"], panel["target_labels"]) if t is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#9db4cf", label="Target")
            for (x, y), text in zip(points, labels):
                ax.annotate(text, (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=TEXT_PT)
        actual = sorted((int(y), float(Decimal(v))) for y, v in panel["actual"].items())
        if actual:
            ax.plot([a[0] for a in actual], [a[1] for a in actual], marker="s", linestyle="none", color="#1f4e79",
                    label="Realisasi")
            for x, y in actual:
                ax.annotate(panel["actual_labels"][str(x)], (x, y), textcoords="offset points", xytext=(0, -11),
                            ha="center", fontsize=TEXT_PT, color="#1f4e79")
        values = [p[1] for p in points] + [a[1] for a in actual]
        if values:
            low, high = min(values), max(values)
            pad = (high - low) * 0.25 or abs(high) * 0.25 or 1.0
            ax.set_ylim(min(0.0, low - pad) if low >= 0 and low - pad < 0 else low - pad, high + pad)
        ax.set_xticks(years)
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)        # end labels clear of the axes
        ax.tick_params(axis="x", labelsize=TEXT_PT)
        ax.set_title(_wrap(panel["uraian"], 48 if cols == 1 else 34), fontsize=TEXT_PT)
        ax.set_ylabel(panel["satuan"], fontsize=TEXT_PT)
        _axis_format(ax.yaxis, lambda v: angka(Decimal(str(round(v, 6))).normalize()))
        ax.legend(loc="best", fontsize=TEXT_PT, frameon=False)
    fig.tight_layout()
    return fig


def _draw_capaian(plt, data):
    fig, ax = plt.subplots(figsize=(CHART_IN, 1.1 + 0.6 * len(data["labels"])), layout="constrained")
    values = [float(Decimal(v)) if v is not None else 0 for v in data["capaian"]]
    ys = list(range(len(values)))[::-1]
    ax.barh(ys, values, height=0.5, color="#1f4e79")
    for y, v, text in zip(ys, values, data["shown"]):
        ax.text(v, y, f"  {text}", va="center", fontsize=TEXT_PT)
    edges = sorted(((float(Decimal(edge)), label) for edge, label in data["scale"] if Decimal(edge) > 0))
    for e, _label in edges:
        ax.axvline(e, color="#bbbbbb", linewidth=0.6, linestyle="--")
    if edges:
        # the predikat bands named on a top axis, every other name raised a line so that close edges stay legible
        top = ax.secondary_xaxis("top")
        top.set_xticks([e for e, _ in edges])
        top.set_xticklabels([label for _, label in edges], fontsize=TEXT_PT, color="#666666")
        top.tick_params(length=0)
        for i, tick in enumerate(reversed(top.xaxis.get_major_ticks())):
            tick.set_pad(2 + (TEXT_PT * 1.3 if i % 2 else 0))
        top.spines["top"].set_visible(False)
    ax.set_yticks(ys)
    ax.set_yticklabels([_wrap(l, 30) for l in data["labels"]], fontsize=TEXT_PT)
    ax.set_xlim(0, max(120, max(values) * 1.15))
    ax.set_xlabel("Capaian (%)")
    return fig


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


ORG_WIDTH = ORG_CM / 2.54     # inches: the frame on the landscape page
GAP = 0.25                     # between columns and between stacked boxes


def _lines(lines: list, width: float) -> list:
    """A box's text lines wrapped to its width (first line is the unit name)."""
    chars = max(10, int(width * 72 / (TEXT_PT * 0.66)))     # upper-case Liberation Sans: ~0.66 em per letter
    return _wrap(lines[0], chars).split("\n") + [l for line in lines[1:] for l in _wrap(line, chars + 6).split("\n")]


def _height(lines: list) -> float:
    return 0.1 + TEXT_PT * 1.25 * 1.15 / 72 * len(lines)


ORG_MAX_HEIGHT = 12.3 / 2.54   # inches: the landscape text height less the caption (templates/base.docx)


def org_layout(data: dict) -> dict:
    """The chart's geometry at a readable size (TEXT_PT): when it is taller than its page allows, the columns' lower
    boxes are summarised ("DAN 3 UNIT LAINNYA"), fewest first removed from the longest column, until it fits; the
    staff tables list every unit."""
    layout = _org_geometry(data)
    limit = max((len(c["below"]) for c in data["columns"]), default=0)
    while layout["height"] + 0.15 > ORG_MAX_HEIGHT and limit > 1:
        limit -= 1
        data = {**data, "columns": [{**c, "below": _capped(c["below"], limit, "UNIT")} for c in data["columns"]]}
        layout = _org_geometry(data)
    return layout


def _org_geometry(data: dict) -> dict:
    """Geometry of an organisation chart (inches, y grows upwards): boxes {x, y (top), w, h, lines} and lines
    [(x1, y1, x2, y2)]. Columns are the root's children, in tiers of at most four when there are more than five;
    each column's units are stacked below its head. Pure, so tests can check that no two boxes overlap."""
    cols = data["columns"]
    n = len(cols)
    per_tier = n if n <= 5 else 4
    tiers = [cols[i:i + per_tier] for i in range(0, n, per_tier)] or [[]]
    slot = ORG_WIDTH / max(per_tier, 1)
    box_w = min(3.2, slot - GAP)
    boxes, lines = [], []

    def box(cx, top, text, width):
        wrapped = _lines(text, width)
        b = {"x": cx - width / 2, "y": top, "w": width, "h": _height(wrapped), "lines": wrapped}
        boxes.append(b)
        return b

    root = box(ORG_WIDTH / 2, 0.0, data["root"]["text"], min(3.2, ORG_WIDTH / 2))
    trunk_top = root["y"] - root["h"]
    top = trunk_top - GAP
    for tier in tiers:
        if not tier:
            break
        xs = [slot * (i + 0.5) for i in range(len(tier))]
        offset = (ORG_WIDTH - slot * len(tier)) / 2
        xs = [x + offset for x in xs]
        bus = top
        lines.append((ORG_WIDTH / 2, trunk_top, ORG_WIDTH / 2, bus))
        lines.append((min(xs + [ORG_WIDTH / 2]), bus, max(xs + [ORG_WIDTH / 2]), bus))
        bottom = bus
        for x, col in zip(xs, tier):
            head = box(x, bus - GAP, col["head"]["text"], box_w)
            lines.append((x, bus, x, head["y"]))
            child_w = box_w - 0.15
            spine_x = head["x"] + 0.07
            child_top = head["y"] - head["h"] - GAP * 0.6
            last_mid = None
            for child in col["below"]:
                b = box(x + 0.075, child_top, child["text"], child_w)
                mid = b["y"] - b["h"] / 2
                lines.append((spine_x, mid, b["x"], mid))
                last_mid = mid
                child_top = b["y"] - b["h"] - GAP * 0.6
            if last_mid is not None:
                lines.append((spine_x, head["y"] - head["h"], spine_x, last_mid))
            bottom = min(bottom, child_top, head["y"] - head["h"])
        trunk_top = bus
        top = bottom - GAP * 1.5
    low = min(b["y"] - b["h"] for b in boxes)
    return {"boxes": boxes, "lines": lines, "height": -low + 0.15, "width": ORG_WIDTH}


def _draw_org(plt, data):
    from matplotlib.patches import Rectangle
    layout = org_layout(data)
    fig_h = layout["height"] + 0.15
    fig = plt.figure(figsize=(layout["width"], fig_h))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, layout["width"])
    ax.set_ylim(-layout["height"], 0.15)
    ax.axis("off")
    for x1, y1, x2, y2 in layout["lines"]:
        ax.plot([x1, x2], [y1, y2], color="#1f4e79", linewidth=0.8)
    for b in layout["boxes"]:
        ax.add_patch(Rectangle((b["x"], b["y"] - b["h"]), b["w"], b["h"], linewidth=0.8, edgecolor="#1f4e79",
                               facecolor="#eef3f9", zorder=2))
        ax.text(b["x"] + b["w"] / 2, b["y"] - b["h"] / 2, "\n".join(b["lines"]), ha="center", va="center",
                fontsize=TEXT_PT, linespacing=1.25, zorder=3)
    return fig


_DRAW = {"budget": _draw_budget, "indicators": _draw_indicators, "capaian": _draw_capaian, "org": _draw_org}


MAX_PNG_BYTES = 32 * 1024 * 1024     # a cached figure larger than this is drawn again
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PRIVATE: list = []                  # this process's own figure folder, when the output's cannot be used


def figure_png(spec: FigureSpec, cache_dir: Path) -> Path:
    """The PNG for spec: from the cache when its data is unchanged and the cached file is a whole PNG the user
    wrote, else drawn (and cached). A cache folder someone else owns or can write is not read (one warning; the
    figures are drawn into a private folder of this process), nor is a cached file that is a link, a special file,
    someone else's, empty, truncated or damaged (drawn again and replaced; a folder in its place is left alone)."""
    name = f"{spec.name}-{spec.key()}.png"
    folder = _usable_folder(Path(cache_dir))
    path = folder / name
    if cached_png_ok(path):
        return path
    plt = _pyplot()
    fig = _DRAW[spec.kind](plt, spec.data)
    try:
        path = _save(fig, folder, path)
    except OSError as exc:
        raise OutputError(path, explain(exc)) from None
    finally:
        plt.close(fig)
    DRAWN.append(spec.name)
    return path


def _save(fig, folder: Path, path: Path) -> Path:
    """Save the figure once (a second savefig of a 'tight' figure can differ by a few pixels) and return where it
    went: `path`, or this process's own folder when a folder stands at `path` (not ours to remove)."""
    tmp = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"       # per process: builds may overlap
    try:
        fig.savefig(tmp, format="png", dpi=200, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.05)
        if path.is_dir() and not path.is_symlink():
            path = _private_folder() / path.name
            shutil.move(tmp, path)
        else:
            os.replace(tmp, path)                 # a link in its place is replaced, never followed
        return path
    finally:
        if os.path.lexists(tmp):
            tmp.unlink()


def _usable_folder(cache_dir: Path) -> Path:
    """cache_dir (created when absent) when the user owns it and nobody else can write it (POSIX), else a
    private folder of this process (with one warning)."""
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(cache_dir)                   # the folder itself may be a link to a folder of the user's
    except OSError as exc:
        if os.path.lexists(cache_dir):            # a file, a broken link...: left alone
            warn_once(cache_dir, "bukan folder yang dapat dipakai", "cache gambar")
            return _private_folder()
        raise OutputError(cache_dir, explain(exc)) from None
    if not os.path.isdir(cache_dir):
        warn_once(cache_dir, "bukan folder", "cache gambar")
        return _private_folder()
    if os.name == "posix":
        reason = untrusted_reason(st, want_dir=True)
        if reason:
            warn_once(cache_dir, reason, "cache gambar")
            return _private_folder()
    return cache_dir


def _private_folder() -> Path:
    if not _PRIVATE:
        folder = Path(tempfile.mkdtemp(prefix="lkjip-gambar-"))
        atexit.register(shutil.rmtree, folder, True)
        _PRIVATE.append(folder)
    return _PRIVATE[0]


def cached_png_ok(path: Path) -> bool:
    """path is a regular file (not a link) the user owns and only they can write (POSIX), of at most
    MAX_PNG_BYTES, holding one whole PNG: signature, IHDR first, every chunk's CRC right, IEND last."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= MAX_PNG_BYTES:
            return False
        if os.name == "posix" and (st.st_uid != os.geteuid() or st.st_mode & 0o022):
            return False
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_PNG_BYTES + 1)
    except OSError:
        return False
    finally:
        os.close(fd)
    if not data.startswith(_PNG_SIGNATURE):
        return False
    at, first, view = len(_PNG_SIGNATURE), True, memoryview(data)
    while at + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        end = at + 12 + length
        if end > len(data) or zlib.crc32(view[at + 4:end - 4]) != struct.unpack_from(">I", data, end - 4)[0]:
            return False
        if first:
            if kind != b"IHDR" or length != 13 or 0 in struct.unpack_from(">II", data, at + 8):
                return False
            first = False
        if kind == b"IEND":
            return end == len(data)
        at = end
    return False
