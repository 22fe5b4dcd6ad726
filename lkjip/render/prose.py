"""Render stage: prose Markdown from content and the outline, through sandboxed Jinja2 with StrictUndefined."""
from __future__ import annotations

import re

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from ..fmt import FILTERS
from ..problems import ERROR, WARNING, Problem

LAMPIRAN_DEFAULT = ("pk", "pk-perubahan", "iku", "struktur", "pegawai", "renstra-matriks")


class ContentKeyMissing(UndefinedError):
    """A template asked a content mapping for a key it does not have: carries the content location."""

    def __init__(self, message: str, origin, key: str):
        super().__init__(message)
        self.origin, self.key = origin, key


class LocatedUndefined(StrictUndefined):
    """StrictUndefined that names the content file, line and key path when the missing key belongs to content."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        origin = getattr(self._undefined_obj, "origin", None) if isinstance(self._undefined_obj, dict) else None
        if origin is not None and isinstance(self._undefined_name, str):
            file, line, path = origin
            where = f"{path}.{self._undefined_name}" if path else self._undefined_name
            raise ContentKeyMissing(f"kunci '{self._undefined_name}' tidak ada di {file} ({where})", origin,
                                    self._undefined_name)
        return super()._fail_with_undefined_error(*args, **kwargs)

    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = _fail_with_undefined_error  # noqa: E501


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=LocatedUndefined, autoescape=False, keep_trailing_newline=True,
                               finalize=lambda value: "-" if value is None else value)   # unfilled figures print "-"
    env.filters.update(FILTERS)
    return env


class Prosa:
    """Rendered prose sections for the outline: `prosa.NAME` (mandatory: a visible blank when the file is missing),
    `prosa.ada(NAME)` (is there a file?) and `prosa.ambil(NAME)` (optional text, also for sasaran/<id>)."""

    def __init__(self, rendered: dict, prose_dir: str):
        self._rendered, self._dir = rendered, prose_dir
        self.missing: list = []          # sections the outline printed a blank for (check warns about them)

    def ada(self, name: str) -> bool:
        return bool(self._rendered.get(name, "").strip())

    def ambil(self, name: str) -> str:
        if name in self._rendered:
            return self._rendered[name]
        if name not in self.missing:
            self.missing.append(name)
        return f"*[Bagian ini belum diisi: berkas prosa/{name}.md]*"

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
            "label_rincian": "sub kegiatan" if report.nomenklatur == "permendagri-90-2019" else "kegiatan",
            "judul_indikator": indicator_title(report)}


def indicator_title(report) -> str:
    """'Indikator Kinerja Utama' when every indicator is an IKU, else 'Indikator Kinerja' (IKU marked in the table)."""
    return "Indikator Kinerja Utama" if report.ikus and len(report.ikus) == len(report.indicators) else "Indikator Kinerja"


def error_line(exc, text: str | None = None) -> int:
    import traceback
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
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


def render_prose(report, prose: dict) -> tuple[dict, list[Problem]]:
    """section name -> rendered Markdown; undefined names and syntax errors become problems with file:line."""
    env, ctx = environment(), context(report)
    out, problems = {}, []
    for name, (file, text) in sorted(prose.items()):
        try:
            out[name] = env.from_string(text).render(ctx)
        except TemplateSyntaxError as exc:
            problems.append(Problem(file, exc.lineno or 1, "", "templat-tidak-valid", ERROR,
                                    f"Sintaks Jinja2 tidak valid: {exc.message}"))
        except UndefinedError as exc:
            problems.append(Problem(file, error_line(exc, text), "", "nama-tidak-dikenal", ERROR,
                                    f"Nama tidak dikenal dalam prosa: {exc.message}"))
        except Exception as exc:  # sandbox violations, type errors in expressions: still the editor's input
            problems.append(Problem(file, error_line(exc, text), "", "templat-gagal", ERROR,
                                    f"Ekspresi prosa gagal dievaluasi: {exc}"))
    return out, problems
