"""Render stage: prose Markdown from content, through the bounded Jinja2 sandbox with StrictUndefined."""
from __future__ import annotations

import difflib
import re
import traceback

from jinja2 import TemplateSyntaxError, UndefinedError

from ..base.problems import ERROR, WARNING, Problem
from ..base.shape import has_sub_kegiatan
from ..base.xmltext import XML_ILLEGAL, describe
from .directives import MISSING_PROSE, TOKEN
from .mdcheck import check_markdown
from .sandbox import (
    BoundedEnvironment,
    ProseNameUnknown,
    Raw,
    TemplateLimit,
    owner_names,
    owner_word,
)

LAMPIRAN_DEFAULT = ("pk", "pk-perubahan", "iku", "struktur", "pegawai", "renstra-matriks")

_ENVIRONMENTS: dict = {}


def prose_placeholder(name: str) -> str:
    """Where a prose section goes in the outline; the writers parse that prose on its own."""
    return Raw(f"<!-- lkjip@{TOKEN}:prosa {name} -->")


def environment(outline: bool = False) -> BoundedEnvironment:
    """One bounded environment per kind (prose; outline with trimmed blocks), reused so compiled templates are too."""
    if outline not in _ENVIRONMENTS:
        _ENVIRONMENTS[outline] = BoundedEnvironment(trim_blocks=outline, lstrip_blocks=outline)
    return _ENVIRONMENTS[outline]


class Prosa:
    """Prose sections for the outline: `prosa.NAME` (mandatory: a visible blank when the file is missing),
    `prosa.ada(NAME)` (is there a file?) and `prosa.ambil(NAME)` (optional text, also for sasaran/<id>). A present
    section stands as a placeholder that the writers replace with the prose parsed on its own."""

    def __init__(self, rendered: dict, prose_dir: str):
        self._rendered, self._dir = rendered, prose_dir
        self.missing: list = []          # sections the outline printed a blank for (check warns about them)

    def ada(self, name: str) -> bool:
        return bool(self._rendered.get(name, "").strip())

    def ambil(self, name: str) -> str:
        if name in self._rendered:
            return prose_placeholder(name)
        if name not in self.missing:
            self.missing.append(name)
        return Raw(f"*{MISSING_PROSE}: berkas prosa/{name}.md]*")

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.ambil(name)


def appendices(report) -> list:
    """The Lampiran in order: the content's list (laporan.yaml kerangka.lampiran) or the default, keeping those
    whose content exists."""
    wanted = report.kerangka.get("lampiran") or LAMPIRAN_DEFAULT
    present = {"pk": report.pk is not None, "pk-perubahan": report.pk_perubahan is not None,
               "iku": bool(report.indicators), "struktur": bool(report.units), "pegawai": bool(report.pegawai),
               "renstra-matriks": bool(report.matriks), "pengukuran": bool(report.programs)}
    return [name for name in dict.fromkeys(wanted) if present.get(name)]


def context(report) -> dict:
    """Names prose and the outline may use: the report model plus short aliases."""
    return {"r": report, "tahun": report.tahun, "tahun_lalu": report.tahun_lalu, "instansi": report.instansi,
            "iku": report.iku, "daftar_iku": report.ikus, "indikator": {i.id: i for i in report.indicators},
            "sasaran": report.sasaran, "total": report.total, "jumlah": report.counts, "renstra": report.renstra,
            "laporan": report.laporan, "program": report.programs, "isu": report.isu, "pk": report.pk,
            "jumlah_indikator": len(report.indicators), "lampiran": appendices(report),
            "label_rincian": "sub kegiatan" if has_sub_kegiatan(report.nomenklatur) else "kegiatan",
            "judul_indikator": indicator_title(report), "judul": section_title(report)}


def section_title(report):
    """judul(key, bawaan): a section title of the outline, in the agency's words when laporan.yaml
    kerangka.judul gives them ("Ringkasan Eksekutif" for "Ikhtisar Eksekutif"), else the outline's own."""
    titles = dict(report.kerangka.get("judul") or {})

    def judul(key: str, bawaan: str) -> str:
        return titles.get(key, bawaan)
    return judul


def indicator_title(report) -> str:
    """'Indikator Kinerja Utama' when every indicator is an IKU, else 'Indikator Kinerja' (IKU marked in the table)."""
    return "Indikator Kinerja Utama" if report.ikus and len(report.ikus) == len(report.indicators) else "Indikator Kinerja"


def error_line(exc, text: str | None = None) -> int:
    """Template line of an error: its own lineno, else the innermost template frame of its traceback."""
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>" and frame.lineno:
            return frame.lineno
    return 1


_OPTIONAL = re.compile(r"""prosa\.(?:ada|ambil)\(\s*["']([a-z0-9_]+)["']\s*\)""")
_REQUIRED = re.compile(r"prosa\.([a-z_][a-z0-9_]*)\b(?!\s*\()")


def outline_sections(outline_text: str) -> tuple[set, set]:
    """(mandatory, optional) prose section names the outline template uses."""
    optional = set(_OPTIONAL.findall(outline_text))
    required = set(_REQUIRED.findall(outline_text)) - {"ada", "ambil"} - optional
    return required, optional


def check_sections(prose: dict, prose_dir: str, outline_text: str, report) -> list[Problem]:
    """Prose files nothing uses are reported (a misspelt name). Missing sections are reported by plan_report from
    what the outline actually printed, so a section left out with its part (e.g. no PK) asks for no file."""
    required, optional = outline_sections(outline_text)
    extra = {b["prosa"] for b in report.kerangka.get("bagian_tambahan") or ()}
    used = required | optional | extra
    used |= {f"sasaran/{s.id}" for s in report.sasaran} | {f"indikator/{i.id}" for i in report.indicators}
    return [Problem(prose[name][0], 1, "", "prosa-tidak-dipakai", WARNING,
                    f"Berkas prosa '{name}' tidak dipakai kerangka laporan; periksa nama berkas (atau id sasaran/indikator)")
            for name in sorted(set(prose) - used)]


def missing_sections(prosa: Prosa, prose_dir: str) -> list[Problem]:
    return [Problem(f"{prose_dir}/{name}.md", 0, "", "prosa-hilang", WARNING,
                    f"Bagian prosa '{name}' wajib ada dalam kerangka laporan tetapi berkasnya tidak ada; "
                    "laporan menampilkan tanda belum diisi")
            for name in sorted(prosa.missing)]


def render_one(env: BoundedEnvironment, file: str, text: str, ctx: dict) -> tuple[str | None, list[Problem]]:
    """One prose file: rendered Markdown, or None with its problems at the prose line."""
    try:
        return env.render_bounded(env.compile_text(text), ctx), []
    except TemplateSyntaxError as exc:
        return None, [Problem(file, exc.lineno or 1, "", "templat-tidak-valid", ERROR,
                              f"Sintaks Jinja2 tidak valid: {exc.message}")]
    except ProseNameUnknown as exc:
        return None, [Problem(file, error_line(exc, text), "", "nama-tidak-dikenal", ERROR, name_message(exc, ctx))]
    except UndefinedError as exc:
        return None, [Problem(file, error_line(exc, text), "", "nama-tidak-dikenal", ERROR,
                              f"Nama tidak dikenal dalam prosa: {exc.message}")]
    except TemplateLimit as exc:
        line = min(error_line(exc, text), text.count("\n") + 1)
        return None, [Problem(file, line, "", "templat-melampaui-batas", ERROR,
                              f"Ekspresi prosa melampaui batas: {exc}")]
    except Exception as exc:  # noqa: BLE001 - sandbox violations, type errors, recursion: still the editor's input
        return None, [Problem(file, error_line(exc, text), "", "templat-gagal", ERROR,
                              f"Ekspresi prosa gagal dievaluasi: {failure_words(exc)}")]


def name_message(exc: ProseNameUnknown, ctx: dict) -> str:
    """An unknown name in the editor's words: what was asked of what, and the nearest name prose may use."""
    from jinja2.utils import missing
    if isinstance(exc.name, int):
        size = len(exc.owner) if isinstance(exc.owner, (list, tuple, dict)) else 0
        return (f"Unsur nomor {exc.name} tidak ada pada {owner_word(exc.owner)} (berisi {size} unsur, bernomor mulai "
                "0); periksa jumlahnya dahulu atau pakai perulangan {% for ... %}")
    if exc.owner is missing:
        choices, where = list(ctx), "prosa"
        head = f"Nama '{exc.name}' tidak dikenal dalam prosa"
    elif exc.owner is None:
        return (f"'{exc.name}' dibaca dari nilai yang kosong (data itu tidak ada pada laporan ini); periksa dahulu "
                "dengan {% if ... %} sebelum memakainya")
    else:
        choices, where = owner_names(exc.owner), owner_word(exc.owner)
        head = f"'{exc.name}' tidak ada pada {where}"
    close = difflib.get_close_matches(exc.name, choices, n=1, cutoff=0.6)
    hint = f"; maksudnya '{close[0]}'?" if close else ""
    return f"{head}{hint} (nama yang dapat dipakai: README \"Nama dalam prosa\")"


def failure_words(exc: Exception) -> str:
    """Why an expression failed, without Python type or module names."""
    if isinstance(exc, ZeroDivisionError):
        return "pembagian dengan nol"
    if isinstance(exc, RecursionError):
        return "ekspresi terlalu dalam"
    if isinstance(exc, TypeError) and "Undefined" in str(exc):
        return "sebuah nama di ekspresi ini tidak dikenal, sehingga nilainya tidak dapat dihitung"
    if isinstance(exc, (TypeError, ValueError, ArithmeticError)):
        return "jenis nilai tidak cocok untuk operasi atau filter ini (mis. teks dipakai sebagai angka)"
    if isinstance(exc, (KeyError, IndexError)):
        return "unsur yang diminta tidak ada dalam daftar atau data"
    return "ekspresi tidak diizinkan dalam prosa"


def render_prose(report, prose: dict) -> tuple[dict, list[Problem]]:
    """section name -> rendered Markdown; template and Markdown problems with file:line."""
    env, ctx = environment(), context(report)
    out, problems = {}, []
    for name, (file, text) in sorted(prose.items()):
        rendered, found = render_one(env, file, text, ctx)
        problems += found
        if rendered is None:
            continue
        lines = text.count("\n") + 1
        bad = XML_ILLEGAL.search(rendered)
        if bad:
            line = min(rendered.count("\n", 0, bad.start()) + 1, lines)
            problems.append(Problem(file, line, "", "karakter-tidak-valid", ERROR,
                                    f"Ekspresi prosa menghasilkan karakter kendali {describe(bad.group())}"))
        problems += check_markdown(file, rendered, lines)
        out[name] = rendered
    return out, problems
