"""reviu tool helper: figures recomputed from the raw content leaves (strings as written in the YAML), independently
of the compute stage, so that the reviewer's worksheet can compare the report's figures with a second count."""
from __future__ import annotations

from decimal import Decimal

from ...base.fmt import round_half_up
from ...base.shape import NEGATIF, PK_PRECEDENCE, is_leaf, program_items, program_leaves
from ...base.shape import number as num
from ...load.content import doc_file
from ...load.yamlsafe import format_path


class Source:
    """The raw documents of one content year (Document per name): values as written, file:line of every path."""

    def __init__(self, docs: dict):
        self.docs = docs

    def data(self, name: str):
        doc = self.docs.get(name)
        return doc.data if doc is not None else None

    def at(self, name: str, path=()) -> str:
        doc = self.docs.get(name)
        if doc is None:                  # an optional file that is absent: where it would be
            return f"{self.file(name)}:0"
        return f"{doc.file}:{doc.line_of(tuple(path))}"

    def file(self, name: str) -> str:
        return doc_file(self.docs, name)

    def path_text(self, path) -> str:
        return format_path(tuple(path))


def same(a, b, places: int = 2) -> bool:
    """Equal at presentation precision (half-up); two unknowns are equal, one unknown is not."""
    if a is None or b is None:
        return a is None and b is None
    return round_half_up(Decimal(a), places) == round_half_up(Decimal(b), places)


def truthy(value) -> bool:
    return str(value).strip().lower() == "true" if value is not None else False


# --- budget tree ---------------------------------------------------------------------------------------------

def money(item) -> tuple[int, int | None] | None:
    """(pagu, realisasi) of a leaf, realisasi None while not filled in; None without a budget line."""
    budget = item.get("anggaran")
    if not isinstance(budget, dict) or num(budget.get("pagu")) is None:
        return None
    realised = num(budget.get("realisasi"))
    return int(num(budget["pagu"])), None if realised is None else int(realised)


def total(items) -> tuple[int | None, int | None]:
    """Sum of (pagu, realisasi) pairs; the realisasi total is unknown while any part is; both are unknown (never 0)
    when no part has a budget."""
    pairs = [m for m in items if m is not None]
    if not pairs:
        return None, None
    realised = [r for _p, r in pairs]
    return sum(p for p, _r in pairs), None if None in realised else sum(realised)


def serapan(pagu: int | None, realisasi: int | None) -> Decimal | None:
    if realisasi is None or not pagu:
        return None
    return Decimal(realisasi) / Decimal(pagu) * 100


def budget_tree(program_data) -> dict:
    """kode -> (pagu, realisasi) for every program and kegiatan, and "" -> the grand total, from the leaves."""
    below: dict = {}                     # path of every program and kegiatan -> (kode, money of the leaves under it)
    for level, path, item in program_items(program_data):
        if level != "sub_kegiatan":
            below[path] = (item.get("kode"), [])
        if is_leaf(level, item):
            for parent in dict.fromkeys((path[:2], path[:4])):
                below[parent][1].append(money(item))
    out = {kode: total(moneys) for kode, moneys in below.values()}
    out[""] = total(money(item) for _path, item in program_leaves(program_data))
    return out


# --- capaian -------------------------------------------------------------------------------------------------

def capaian(target: Decimal | None, realisasi: Decimal | None, polaritas: str, laporan, cap=None) -> Decimal | None:
    """Capaian as laporan.yaml `capaian` defines it: positive r/t x 100; negative (2t - r)/t x 100 or t/r x 100;
    the cap (per indicator, else batas_atas) replaces a higher value."""
    if target is None or realisasi is None or target == 0:
        return None
    config = (laporan or {}).get("capaian") or {}
    if polaritas == NEGATIF:
        if config.get("rumus_negatif") == "rasio":
            if realisasi == 0:
                return None
            value = target / realisasi * 100
        else:
            value = (2 * target - realisasi) / target * 100
    else:
        value = realisasi / target * 100
    limit = num(cap) if cap is not None else num(config.get("batas_atas"))
    return limit if limit is not None and value > limit else value


# --- indicators ----------------------------------------------------------------------------------------------

def multiplier(ind) -> Decimal:
    rumus = ind.get("rumus") or {}
    if num(rumus.get("pengali")) is not None:
        return num(rumus["pengali"])
    return Decimal(100) if str(ind.get("satuan", "")).strip() == "%" else Decimal(1)


def realisation_rows(kinerja_data) -> dict:
    """indicator id -> (index, row) of kinerja.yaml realisasi_indikator."""
    return {row.get("indikator"): (i, row) for i, row in enumerate((kinerja_data or {}).get("realisasi_indikator") or ())}


def recount_indicator(ind, row) -> dict:
    """{realisasi, pembilang, penyebut, cara} of one indicator from its raw kinerja.yaml row: a direct realisasi, or
    pembilang (a number, or the sum of the counted components) / penyebut (the row's, else the Renstra's
    penyebut_awal) x pengali. cara: 'komponen', 'pembilang', 'langsung' or None (not filled in)."""
    row = row or {}
    direct = num(row.get("realisasi"))
    if direct is not None:
        return {"realisasi": direct, "pembilang": None, "penyebut": None, "cara": "langsung"}
    components = row.get("komponen") or ()
    numerator, how = num(row.get("pembilang")), "pembilang"
    if components:
        counted = [num(c.get("jumlah")) for c in components if not c.get("dikecualikan")]
        numerator = None if not counted or None in counted else sum(counted, Decimal(0))
        how = "komponen"
    denominator = num(row.get("penyebut"))
    if denominator is None:
        denominator = num(ind.get("penyebut_awal"))
    if numerator is None or not denominator:
        return {"realisasi": None, "pembilang": numerator, "penyebut": denominator,
                "cara": how if components or row.get("pembilang") is not None else None}
    return {"realisasi": numerator / denominator * multiplier(ind), "pembilang": numerator, "penyebut": denominator,
            "cara": how}


def target_of(kinerja_data, ind, year: int) -> tuple[Decimal | None, str]:
    """This year's target: the revised PK's, else the PK's (a PK row without a target carries the Renstra's), else
    the Renstra's; with where it comes from."""
    renstra_target = num((ind.get("target") or {}).get(str(year)))
    for key in PK_PRECEDENCE:
        pk = (kinerja_data or {}).get(key)
        for row in (pk or {}).get("target") or ():
            if row.get("indikator") == ind.get("id"):
                own = num(row.get("target"))
                return (own, key) if own is not None else (renstra_target, f"{key}, sesuai Renstra")
    return renstra_target, "renstra"
