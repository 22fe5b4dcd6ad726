"""nilai tool, scoring: the criteria file (templates/lke.yaml, validated against schema/kriteria/lke.yaml), the
answers given in content/<tahun>/lke.yaml, and the score of each criterion and subcomponent from readings and
answers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...base.fmt import persen
from ...base.problems import ERROR, WARNING, Problem
from ...base.resources import TEMPLATES_DIR
from ...load.content import relpath
from ...load.yamlsafe import format_path, parse_yaml
from ...validate.schema import validate_document
from .readings import METHODS, Context, Reading, lke_data

CRITERIA = TEMPLATES_DIR / "lke.yaml"
EVALUATOR = "dinilai evaluator"


@dataclass(frozen=True)
class Score:
    kode: str
    uraian: str
    jenis: str                 # Y/T or A-E
    jawaban: str | None        # None: left to the evaluator
    nilai: Decimal | None
    bukti: tuple
    dasar: str
    saran: str | None          # what to add, when short of A/Y



def load_criteria() -> tuple[dict | None, list]:
    """templates/lke.yaml validated against schema/kriteria/lke.yaml, and its cross-checks."""
    file = relpath(CRITERIA)
    doc, problems = parse_yaml(CRITERIA.read_bytes(), file)
    if doc is None:
        return None, problems
    data, found = validate_document("kriteria/lke", doc)
    problems += found
    if data is None:
        return None, problems
    def bad(path, message):
        problems.append(Problem(file, doc.line_of(path), format_path(path), "lke-kriteria-tidak-valid", ERROR, message))

    seen = set()
    for si, sub in enumerate(data["subkomponen"]):
        for ki, k in enumerate(sub["kriteria"]):
            path = ("subkomponen", si, "kriteria", ki)
            if k["kode"] in seen:
                bad(path + ("kode",), f"Kode kriteria {k['kode']} ganda")
            seen.add(k["kode"])
            for bi, part in enumerate(k.get("bagian") or ()):
                try:
                    re.compile(part["judul"])
                except re.error as exc:
                    bad(path + ("bagian", bi, "judul"), f"Pola judul '{part['judul']}' tidak valid: {exc}")
    bands = data["rentang"]
    edges = [b["lebih_dari"] for b in bands[:-1]]
    if bands[-1]["lebih_dari"] is not None or None in edges or edges != sorted(set(edges), reverse=True):
        bad(("rentang",), "Rentang harus urut menurun tanpa nilai ganda; hanya baris terakhir lebih_dari: null (sisanya)")
    missing = sorted(({"Y", "T"} | {b["jawaban"] for b in bands}) - set(data["nilai_jawaban"]))
    if missing:
        bad(("nilai_jawaban",), f"Nilai jawaban {', '.join(missing)} belum ditetapkan")
    return data, problems


def band(cakupan: Decimal, criteria: dict) -> str:
    for row in criteria["rentang"]:
        if row["lebih_dari"] is None or cakupan > row["lebih_dari"]:
            return row["jawaban"]
    return criteria["rentang"][-1]["jawaban"]


def answer_of(reading: Reading, jenis: str, criteria: dict) -> str:
    """A yes/no reading answers Y/T, or A/E on an A-E criterion; a coverage answers its band, or Y only at the top
    band on a Y/T criterion."""
    top = criteria["rentang"][0]["jawaban"]
    if reading.ya is not None:
        return ("Y" if reading.ya else "T") if jenis == "Y/T" else (top if reading.ya else criteria["rentang"][-1]["jawaban"])
    letter = band(reading.cakupan, criteria)
    return letter if jenis == "A-E" else ("Y" if letter == top else "T")


def content_answers(ctx: Context, criteria: dict) -> dict:
    """kode -> (answer, evidence, file:line) from lke.yaml `jawaban`; misfits are reported and skipped."""
    kinds = {k["kode"]: k for sub in criteria["subkomponen"] for k in sub["kriteria"]}
    out: dict = {}
    for i, row in enumerate(lke_data(ctx).get("jawaban") or ()):
        code, given = row.get("kriteria"), row.get("jawaban")
        doc = ctx.src.docs["lke"]
        where = (doc.file, doc.line_of(("jawaban", i)), f"jawaban[{i}]")
        k = kinds.get(code)
        if k is None:
            ctx.problems.append(Problem(*where, "lke-kriteria-tidak-dikenal", WARNING,
                                        f"Kriteria {code} tidak ada di {CRITERIA.name}; jawaban diabaikan"))
        elif k["penilaian"] != "isian":
            ctx.problems.append(Problem(*where, "lke-kriteria-otomatis", WARNING,
                                        f"Kriteria {code} dinilai dari data konten; jawaban diabaikan"))
        elif (given in ("Y", "T")) != (k["jawaban"] == "Y/T"):
            ctx.problems.append(Problem(*where, "lke-jawaban-tidak-sesuai", WARNING,
                                        f"Kriteria {code} dijawab {k['jawaban']}, bukan {given}; jawaban diabaikan"))
        elif code in out:
            ctx.problems.append(Problem(*where, "lke-jawaban-ganda", WARNING,
                                        f"Kriteria {code} sudah dijawab di baris {out[code][2].rsplit(':', 1)[1]}; "
                                        "jawaban ini diabaikan"))
        else:
            out[code] = (given, row.get("bukti"), f"{where[0]}:{where[1]}")
    return out


def score(ctx: Context, criteria: dict) -> list:
    """[(subkomponen, [Score])] in the order of the criteria file."""
    values = criteria["nilai_jawaban"]
    answers = content_answers(ctx, criteria)
    out = []
    for sub in criteria["subkomponen"]:
        scores = []
        for k in sub["kriteria"]:
            if k["penilaian"] == "isian":
                given = answers.get(k["kode"])
                if given is None:
                    scores.append(Score(k["kode"], k["uraian"], k["jawaban"], None, None, (),
                                        "tidak dapat dibaca dari data; belum dijawab di lke.yaml", k["saran"]))
                    continue
                letter, evidence, at = given
                short = letter not in ("Y", criteria["rentang"][0]["jawaban"])
                scores.append(Score(k["kode"], k["uraian"], k["jawaban"], letter, values[letter], (at,),
                                    f"dijawab di lke.yaml: {evidence}", k["saran"] if short else None))
                continue
            reading = METHODS[k["penilaian"]](ctx, k)
            letter = answer_of(reading, k["jawaban"], criteria)
            dasar = reading.dasar + (f" (cakupan {persen(reading.cakupan)})" if reading.cakupan is not None else "")
            short = letter not in ("Y", criteria["rentang"][0]["jawaban"])
            advice = " ".join(t for t in (reading.kurang, k["saran"]) if t) if short else None
            scores.append(Score(k["kode"], k["uraian"], k["jawaban"], letter, values[letter], reading.bukti, dasar, advice))
        out.append((sub, scores))
    return out


def subtotal(sub, scores) -> tuple[Decimal, Decimal]:
    """(score, score if every criterion left to the evaluator got the full value): weight x mean of the values."""
    weight, n = sub["bobot"], len(scores)
    got = sum((s.nilai or Decimal(0) for s in scores), Decimal(0))
    best = got + sum(1 for s in scores if s.jawaban is None)
    return weight * got / n, weight * best / n

