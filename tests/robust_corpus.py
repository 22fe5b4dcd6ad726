"""Generated mutations of the real content for the robustness suite (tests/test_robust_*.py).

Each Mutation changes one content tree in place and states what `check` must say: an error or warning code at
file:line, or nothing (then the report must build and carry the mutated text). Mutations are small functions of a
Tree, which records every path it touches so the tree is restored cheaply after each case.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

YEAR_FILES = ("laporan", "instansi", "dasar_hukum", "organisasi", "pegawai", "program", "kinerja", "isu_strategis")
YAML_FILES = [f"2022/{n}.yaml" for n in YEAR_FILES] + ["renstra/renstra.yaml", "renstra/matriks.yaml"]
PROSE = ["kata_pengantar", "latar_belakang", "maksud_tujuan", "penutup", "analisis_program"]
FAST_YAML = ("laporan", "program", "pegawai", "renstra")


class Tree:
    """A content tree whose touched paths are restored by restore()."""

    def __init__(self, root: Path):
        self.root = root
        self.saved: dict = {}

    def path(self, rel: str) -> Path:
        path = self.root / rel
        if rel not in self.saved:
            if path.is_symlink() or not path.exists():
                self.saved[rel] = None
            elif path.is_dir():
                backup = self.root.parent / ("saved-" + rel.replace("/", "_"))
                shutil.rmtree(backup, ignore_errors=True)
                shutil.copytree(path, backup, symlinks=True)
                self.saved[rel] = backup
            else:
                self.saved[rel] = path.read_bytes()
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, data) -> None:
        path = self.path(rel)
        _remove(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def restore(self) -> None:
        for rel, original in self.saved.items():
            path = self.root / rel
            _remove(path)
            if isinstance(original, bytes):
                path.write_bytes(original)
            elif isinstance(original, Path):
                shutil.copytree(original, path, symlinks=True)
                shutil.rmtree(original)
        self.saved.clear()

    # --- edit helpers returning the line that the problem must point at ------------------------------------

    def append(self, rel: str, text: str) -> int:
        """Append text (after a newline); returns the line of its first non-empty line."""
        old = self.read(rel)
        if not old.endswith("\n"):
            old += "\n"
        self.write(rel, old + text)
        lead = len(text) - len(text.lstrip("\n"))
        return old.count("\n") + 1 + lead

    def append_bytes(self, rel: str, data: bytes) -> int:
        old = (self.root / rel).read_bytes()
        if not old.endswith(b"\n"):
            old += b"\n"
        self.write(rel, old + data)
        return old.count(b"\n") + 1

    def sub(self, rel: str, pattern: str, repl: str, offset: int = 0) -> int:
        """Replace the first match of a regex; returns the match's line + offset."""
        text = self.read(rel)
        match = re.search(pattern, text, re.M)
        assert match, f"{pattern!r} not found in {rel}"
        new = text[:match.start()] + match.expand(repl) + text[match.end():]
        self.write(rel, new)
        return text.count("\n", 0, match.start()) + 1 + offset


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@dataclass
class Mutation:
    id: str
    apply: object                      # Tree -> (relative file, line) or None
    code: str | None = None            # expected problem code; None: check passes and the report builds
    severity: str = "error"
    markers: tuple = ()                # literal texts the DOCX must contain (passing mutations)
    category: str = ""
    codes: tuple = field(default=())   # alternatives accepted for `code`
    slow: bool = False                 # repeats of a covered path: only with -m slow

    @property
    def passes(self) -> bool:
        return self.code is None or self.severity == "warning"


def _first_key(text: str) -> str:
    return next(re.finditer(r"^([a-z_]+):", text, re.M)).group(1)


BOMB = ('bom_a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "bom_b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "bom_c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "bom_d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "bom_e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "bom_f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n")


def yaml_mutations() -> list[Mutation]:
    out = []
    for rel in YAML_FILES:
        short = rel.split("/")[-1][:-5]
        start = len(out)

        def add(name, text, code, extra=0, rel=rel, codes=()):
            out.append(Mutation(f"yaml-{short}-{name}", lambda t, rel=rel, text=text, extra=extra:
                                (rel, t.append(rel, text) + extra), code, category="yaml", codes=codes))

        add("syntax", "kunci: nilai: lain\n", "yaml-tidak-valid")
        add("bomb", BOMB, "yaml-terlalu-besar", 5)
        add("recursive-alias", "rek: &r [1, *r]\n", "yaml-tidak-valid")
        add("undefined-alias", "tak: *tidak_ada\n", "yaml-tidak-valid")
        add("deep-600", "dalam: " + "[" * 600 + "]" * 600 + "\n", "yaml-terlalu-dalam")
        add("deep-block", "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n", "yaml-terlalu-dalam", 40)
        add("two-documents", "---\nlain: 1\n", "yaml-tidak-valid")
        add("complex-key", "? [a, b]\n: nilai\n", "kunci-tidak-valid")
        add("escaped-control", 'kendali: "a\\x01b"\n', "karakter-tidak-valid")
        add("escaped-nonchar", 'kendali: "a\\uFFFEb"\n', "karakter-tidak-valid")
        add("escaped-surrogate", 'kendali: "a\\ud800b"\n', "karakter-tidak-valid", codes=("yaml-tidak-valid",))
        add("escaped-nul", 'kendali: "a\\0b"\n', "karakter-tidak-valid")
        add("raw-control", "# catatan\x0bdengan tab vertikal\n", "karakter-tidak-valid")
        add("raw-c1", "# catatan\x85\x90\n", "karakter-tidak-valid")
        out.append(Mutation(f"yaml-{short}-duplicate-top-key", lambda t, rel=rel: (
            rel, t.append(rel, f"{_first_key(t.read(rel))}: ganda\n")), "kunci-ganda", category="yaml"))
        out.append(Mutation(f"yaml-{short}-latin1", lambda t, rel=rel: (
            rel, t.append_bytes(rel, b"# caf\xe9\n")), "berkas-tidak-terbaca", category="encoding"))
        out.append(Mutation(f"yaml-{short}-nul-byte", lambda t, rel=rel: (
            rel, t.append_bytes(rel, b"# a\x00b\n")), "berkas-tidak-terbaca", category="encoding"))
        out.append(Mutation(f"yaml-{short}-utf16", lambda t, rel=rel: (
            rel, t.write(rel, t.read(rel).encode("utf-16")) or 1), "berkas-tidak-terbaca", category="encoding"))
        out.append(Mutation(f"yaml-{short}-empty", lambda t, rel=rel: (rel, t.write(rel, "# kosong\n") or 1),
                            "berkas-kosong", category="yaml"))
        out.append(Mutation(f"yaml-{short}-top-list", lambda t, rel=rel: (rel, t.write(rel, "- a\n- b\n") or 1),
                            "tipe-salah", category="yaml"))
        out.append(Mutation(f"yaml-{short}-many-unknown-keys", lambda t, rel=rel: (
            rel, t.append(rel, "banyak: {" + ", ".join(f"x{i}: 1" for i in range(60_000)) + "}\n")),
            "yaml-terlalu-besar", category="yaml", slow=short not in ("laporan", "program")))
        if short == "laporan":             # below the node limit: cerberus used to re-sort its errors (hours)
            out.append(Mutation("yaml-laporan-45000-unknown-keys", lambda t, rel=rel: (
                rel, t.append(rel, "".join(f"x{i}: 1\n" for i in range(45_000)))), "kunci-tidak-dikenal", category="yaml"))
        out.append(Mutation(f"yaml-{short}-crlf", lambda t, rel=rel: (
            t.write(rel, t.read(rel).replace("\n", "\r\n")) and None), None, category="encoding"))
        out.append(Mutation(f"yaml-{short}-bom", lambda t, rel=rel: (
            t.write(rel, b"\xef\xbb\xbf" + t.read(rel).encode("utf-8")) and None), None, category="encoding"))
        if short not in FAST_YAML:              # the same code paths: every file with -m slow, four in make test
            for mutation in out[start:]:
                mutation.slow = True
    return out


def _value(rel, pattern, repl, code, offset=0, category="numbers", id=None, markers=(), severity="error", codes=()):
    return Mutation(id or f"{category}-{code}-{abs(hash((rel, pattern, repl))) % 10_000}",
                    lambda t: (rel, t.sub(rel, pattern, repl, offset)), code, severity=severity, markers=markers,
                    category=category, codes=codes)


P, K, L, R = "2022/program.yaml", "2022/kinerja.yaml", "2022/laporan.yaml", "renstra/renstra.yaml"
PEG, ORG, INS, DH, ISU = "2022/pegawai.yaml", "2022/organisasi.yaml", "2022/instansi.yaml", "2022/dasar_hukum.yaml", \
    "2022/isu_strategis.yaml"
MONEY = r"anggaran: \{pagu: (\d+), realisasi: \d+\}"
TARGET = r"^(\s+)target: \d+$"


def number_mutations() -> list[Mutation]:
    v = _value
    return [
        v(P, MONEY, r"anggaran: {pagu: 1000000000000000, realisasi: 1}", "nilai-terlalu-besar", id="money-1e15"),
        v(P, MONEY, r"anggaran: {pagu: 1000000000000000000, realisasi: 1}", "nilai-terlalu-besar", id="money-1e18"),
        v(P, MONEY, r"anggaran: {pagu: 123456789012345678901, realisasi: 1}", "nilai-terlalu-besar", id="money-21-digits"),
        v(P, MONEY, r"anggaran: {pagu: -5, realisasi: 1}", "uang-negatif", id="money-negative"),
        v(P, MONEY, r"anggaran: {pagu: １０００, realisasi: 1}", "angka-berformat", id="money-fullwidth"),
        v(P, MONEY, r"anggaran: {pagu: 1.000.000, realisasi: 1}", "angka-berformat", id="money-grouped"),
        v(P, MONEY, r"anggaran: {pagu: 1e6, realisasi: 1}", "tipe-salah", id="money-exponent"),
        v(P, MONEY, r"anggaran: {pagu: 10.5, realisasi: 1}", "tipe-salah", id="money-decimal"),
        v(P, MONEY, r"anggaran: {pagu: \1, realisasi: ٣}", "angka-berformat", id="money-arabic-indic"),
        v(P, TARGET, r"\1target: 123456789012345678901", "nilai-terlalu-besar", id="target-21-digits"),
        v(P, TARGET, r'\1target: "2,5"', "angka-berformat", id="target-decimal-comma"),
        v(P, TARGET, r"\1target: 1.500", "angka-berformat", id="target-grouped"),
        v(P, TARGET, r"\1target: -5", "nilai-terlalu-kecil", id="target-negative"),
        v(P, TARGET, r"\1target: ３", "angka-berformat", id="target-fullwidth"),
        v(P, TARGET, r"\1target: 1.1234567", "nilai-terlalu-besar", id="target-7-decimals"),
        v(P, r"^(\s+)realisasi: \d+$", r"\1realisasi: -1", "nilai-terlalu-kecil", id="realisasi-negative"),
        v(P, r'kode: "1\.06\.01\.2\.01\.01"', 'kode: "1.06.01.2.01.０１"', "kode-tidak-valid", id="code-fullwidth"),
        v(P, r"serapan: \d+", "serapan: 5000", "persen-di-luar-rentang", id="serapan-5000"),
        v(K, r"jumlah: 30$", "jumlah: -1", "nilai-terlalu-kecil", id="component-negative"),
        v(K, r"jumlah: 30$", "jumlah: 1234567890123456789012", "nilai-terlalu-besar", id="component-huge"),
        v(K, r"  - indikator: iku-ppks\n    komponen:\n(    .*\n|\s*\n)*", "  - indikator: iku-ppks\n    komponen: []\n",
          "terlalu-sedikit", 1, id="components-empty"),
        v(K, r"  - indikator: iku-ppks\n    komponen:\n(    .*\n|\s*\n)*", "  - indikator: iku-ppks\n    realisasi: -5\n",
          "persen-di-luar-rentang", 1, id="iku-realisasi-negative"),
        v(K, r"  - indikator: iku-ppks\n    komponen:\n(    .*\n|\s*\n)*", "  - indikator: iku-ppks\n    realisasi: 5000\n",
          "persen-di-luar-rentang", 1, id="iku-realisasi-5000"),
        v(K, r"^    - indikator: iku-ppks$", "    - indikator: iku-ppks\n      target: 5000", "persen-di-luar-rentang", 1,
          id="pk-target-5000"),
        v(R, r"2022: 88\.4", "2022: 5000", "persen-di-luar-rentang", id="renstra-target-5000"),
        v(R, r"2022: 88\.4", "2022: -3", "persen-di-luar-rentang", id="renstra-target-negative"),
        v(R, r"2022: 88\.4", "2022: 88,4", "angka-berformat", id="renstra-decimal-comma"),
        v(R, r"2022: 88\.4", "2022: 8812345678901234567.4", "nilai-terlalu-besar", id="renstra-target-digits"),
        v(R, r"penyebut_awal: \d+", "penyebut_awal: -1", "nilai-terlalu-kecil", id="denominator-negative"),
        v(L, r"batas_bawah: 91", "batas_bawah: -1", "persen-di-luar-rentang", id="scale-negative"),
        v(L, r"^tahun: 2022", "tahun: 0", "nilai-terlalu-kecil", id="year-zero"),
        v(L, r"^tahun: 2022", "tahun: ２０２２", "angka-berformat", id="year-fullwidth"),
        v(DH, r"tahun: 2003", "tahun: 1900", "nilai-terlalu-kecil", id="law-year-1900"),
        v(PEG, r'nip: "196908051988032001"', 'nip: "208008051988032001"', "nip-tidak-valid", id="nip-birth-2080"),
        v(PEG, r'nip: "196908051988032001"', 'nip: "185008051988032001"', "nip-tidak-valid", id="nip-birth-1850"),
        v(PEG, r'nip: "196908051988032001"', 'nip: "196908052099032001"', "nip-tidak-valid", id="nip-tmt-2099"),
        v(PEG, r'nip: "196908051988032001"', 'nip: "１９６９08051988032001"', "nip-tidak-valid", id="nip-fullwidth"),
    ]


def date_mutations() -> list[Mutation]:
    v = _value
    out = []
    for bad, code in (("1970-03", "tanggal-tidak-valid"), ("9999-12", "tanggal-tidak-valid"), ("0000-01", "tanggal-tidak-valid"),
                      ("2101-01", "tanggal-tidak-valid"), ("2023-13", "format-tidak-valid"), ("2023-00", "format-tidak-valid"),
                      ("2023-3", "format-tidak-valid"), ("２０２３-03", "format-tidak-valid"), ("2023-03-01", "format-tidak-valid")):
        out.append(v(L, r"^tanggal: .*$", f"tanggal: {bad}", code, category="dates", id=f"tanggal-{bad}"))
    for bad, code in (("1970-01", "tanggal-tidak-valid"), ("2023-13", "format-tidak-valid"), ("Desember 2022", "format-tidak-valid")):
        out.append(v(PEG, r"^keadaan: .*$", f"keadaan: {bad}", code, category="dates", id=f"keadaan-{bad}"))
    return out


# Content text that must stay text: each replaces a distinct value and must appear literally in the DOCX.
INJECTIONS = [
    ("heading", DH, r"tentang: Keuangan Negara\}", 'tentang: "# Judul Sisipan"}', "# Judul Sisipan"),
    ("comment", DH, r"tentang: Perbendaharaan Negara\}", 'tentang: "<!-- komentar sisipan"}', "<!-- komentar sisipan"),
    ("directive", DH, r"tentang: Kesejahteraan Sosial\}", 'tentang: "<!-- lkjip:tabel iku -->"}', "<!-- lkjip:tabel iku -->"),
    ("list", DH, r"tentang: Penanganan Fakir Miskin\}", 'tentang: "- butir sisipan"}', "- butir sisipan"),
    ("ordered", DH, r"tentang: Sistem Jaminan Sosial Nasional\}", 'tentang: "1. nomor sisipan"}', "1. nomor sisipan"),
    ("emphasis", ISU, r"^  - Penanganan PPKS$", '  - "**tebal** _miring_ `kode`"', "**tebal** _miring_ `kode`"),
    ("link", ISU, r"^  - Peningkatan kualitas data.*$", '  - "[tautan](http://contoh.invalid) ![gbr](x.png)"',
     "[tautan](http://contoh.invalid) ![gbr](x.png)"),
    ("table-row", ISU, r"^  - Kompleksitas masalah sosial makin tinggi\.$", '  - "| a | b |"', "| a | b |"),
    ("block-newlines", ISU, r"^  - Kemiskinan struktural.*$", '  - "baris satu\\n\\n# baris dua\\n    kode"',
     "baris satu # baris dua kode"),
    ("thematic", ISU, r"^(  growth: ).*$", r'\1"---"', "---"),
    ("setext", ISU, r"^(  urgency: ).*$", r'\1"==="', "==="),
    ("fence", ISU, r"^(  seriousness: ).*$", r'\1"```python"', "```python"),
    ("html", ISU, r"^(  prioritas: ).*$", r'\1"<div>blok</div> &amp; &copy;"', "<div>blok</div> &amp; &copy;"),
    ("quote", ORG, r"^(tugas: )(.*)$", r'\1"> kutipan \2"', "> kutipan"),
    ("jinja-like", INS, r"^(nama_singkat: ).*$", r'\1"{{ tahun }} {% raw %}"', "{{ tahun }} {% raw %}"),
    ("unicode", ISU, r"^  - Pengembangan potensi.*$", '  - "≥ → − ‰ 😀 مرحبا ́e\u200b"', "≥ → − ‰ 😀 مرحبا"),
    ("backslash", DH, r"tentang: Sistem Akuntabilitas Kinerja Instansi Pemerintah\}",
     r'tentang: "a\\\\b \\\\# c"}', "a\\b \\# c"),
]


def text_mutations() -> list[Mutation]:
    out = []
    for name, rel, pattern, repl, marker in INJECTIONS:
        out.append(Mutation(f"text-{name}", lambda t, rel=rel, pattern=pattern, repl=repl: (t.sub(rel, pattern, repl) and None),
                            None, markers=(marker,), category="text"))
    long = "panjang " * 2000
    out.append(Mutation("text-very-long", lambda t: t.sub(DH, r"tentang: Sistem Perencanaan Pembangunan Nasional\}",
                                                          f'tentang: "{long}"}}') and None,
                        None, markers=(long.strip()[:200],), category="text"))
    for char, label in (("\\x01", "x01"), ("\\x0b", "x0b"), ("\\x1f", "x1f"), ("\\uFFFF", "uffff"), ("\\udfff", "udfff")):
        repl = f'tentang: "a{char}b"}}'.replace("\\", "\\\\")        # literal backslash for match.expand
        out.append(_value(DH, r"tentang: Keuangan Negara\}", repl, "karakter-tidak-valid",
                          category="text", id=f"text-control-{label}", codes=("yaml-tidak-valid",)))
    return out


MD_PASSING = [  # (id, prose text appended, marker the DOCX must contain, expected warning code or None)
    ("heading-4", "#### Subjudul Empat\n\nIsi setelah subjudul empat.\n", "Subjudul Empat", None),
    ("heading-6", "###### Subjudul Enam\n", "Subjudul Enam", None),
    ("link", "Lihat [situs resmi](https://contoh.invalid/hal) untuk rincian.\n", "https://contoh.invalid/hal", None),
    ("autolink", "Alamat <https://contoh.invalid/x> tercantum.\n", "https://contoh.invalid/x", None),
    ("blockquote", "> Kutipan penting dari pimpinan.\n", "Kutipan penting dari pimpinan.", None),
    ("thematic-break", "Sebelum garis.\n\n---\n\nSesudah garis.\n", "Sesudah garis.", None),
    ("table", "| Kolom A | Kolom B |\n|---|---|\n| isi a | isi b |\n", "isi b", None),
    ("nested-lists", "".join("    " * i + f"- tingkat {i}\n" for i in range(12)), "tingkat 11", None),
    ("closed-comment", "Teks terlihat.\n\n<!-- catatan editor, tidak dicetak -->\n\nTeks kedua.\n", "Teks kedua.", None),
    ("entities", "Tanda &copy; dan &amp; dan &#8805;.\n", "Tanda © dan & dan ≥.", None),
    ("unclosed-emphasis", "Bintang **tanpa penutup dan _garis.\n", "Bintang **tanpa penutup dan _garis.", None),
    ("hard-break", "Baris satu  \nbaris dua.\n", "baris dua.", None),
    ("escaped-value", "{{ '# bukan judul' }} dan {{ '<!-- bukan komentar' }}\n", "# bukan judul dan <!-- bukan komentar", None),
    ("fenced-code", "```\nkode baris satu\nkode baris dua\n```\n", "kode baris dua", "markdown-diubah"),
    ("indented", "    Paragraf menjorok empat spasi yang dulu hilang.\n", "Paragraf menjorok empat spasi", "markdown-diubah"),
    ("tab-indented", "\tParagraf diawali tab.\n", "Paragraf diawali tab.", "markdown-diubah"),
]

MD_FAILING = [  # (id, prose text appended, expected code, line offset within appended text)
    ("unclosed-comment", "<!-- catatan yang lupa ditutup\n\nParagraf berikut hilang.\n", "markdown-tidak-didukung", 0),
    ("directive", "<!-- lkjip:tabel iku -->\n", "direktif-di-prosa", 0),
    ("directive-inline", "Teks <!-- lkjip:bagian bab I --> di tengah.\n", "direktif-di-prosa", 0),
    ("html-block", "<div>\nblok html\n</div>\n", "markdown-tidak-didukung", 0),
    ("html-inline", "Teks <b>tebal html</b> di tengah.\n", "markdown-tidak-didukung", 0),
    ("image", "Gambar ![logo](logo.png) di sini.\n", "gambar-tidak-valid", 0),            # a picture inside a sentence
    ("image-missing", "![Logo dinas](gambar/tidak-ada.png)\n", "gambar-tidak-valid", 0),
    ("control-char", "Teks dengan \x01 kendali.\n", "karakter-tidak-valid", 0),
    ("jinja-control-char", "{{ '\\x01' }}\n", "karakter-tidak-valid", 0),
    ("nested-40", "".join("    " * i + f"- tingkat {i}\n" for i in range(40)), "markdown-tidak-didukung", 27),
    ("jinja-syntax", "Teks biasa.\n\nTahun {{ tahun \n", "templat-tidak-valid", 2),
    ("jinja-undefined", "Teks.\n{{ angka_tak_ada }}\n", "nama-tidak-dikenal", 1),
    ("jinja-unknown-filter", "{{ tahun | tak_ada }}\n", "templat-tidak-valid", 0),
    ("jinja-nested-range", "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n",
     "templat-melampaui-batas", 0),
    ("jinja-power", "{{ 10 ** (10 ** 9) }}\n", "templat-melampaui-batas", 0),
    ("jinja-repeat", "{{ 'a' * 200000000 }}\n", "templat-melampaui-batas", 0),
    ("jinja-list-repeat", "{{ [0] * 100000000 }}\n", "templat-melampaui-batas", 0),
    ("jinja-range", "{{ range(100000) | list | length }}\n", "templat-melampaui-batas", 0),
    ("jinja-output", "{% for i in range(9000) %}{{ 'a' * 900 }}{% endfor %}\n", "templat-melampaui-batas", 0),
    ("jinja-printf", "{{ '%09999999d' % 1 }}\n", "templat-melampaui-batas", 0),
    ("jinja-lipsum", "{{ lipsum(n=1000000) }}\n", "nama-tidak-dikenal", 0),
    ("jinja-namespace", "{% set ns = namespace(s='a') %}\n", "nama-tidak-dikenal", 0),
    ("jinja-str-format", "{{ '{:>999999999}'.format(1) }}\n", "templat-gagal", 0),
    ("jinja-center", "{{ 'a' | center(1000000000) }}\n", "templat-tidak-valid", 0),
    ("jinja-dunder", "{{ tahun.__class__.__mro__ }}\n", "templat-gagal", 0),
    ("jinja-append", "{{ [1].append(2) }}\n", "templat-gagal", 0),
    ("jinja-zero-division", "Teks.\n\n{{ 1 / 0 }}\n", "templat-gagal", 2),
    ("jinja-include", "{% include 'lain.md' %}\n", "templat-gagal", 0),
    ("jinja-deep-parens", "{{ " + "(" * 300 + "1" + ")" * 300 + " }}\n", "templat-tidak-valid", 0),
    ("jinja-long-chain", "{{ " + "1 + " * 3000 + "1 }}\n", "templat-tidak-valid", 0),
    ("jinja-nested-blocks", "{% if true %}" * 30 + "x" + "{% endif %}" * 30 + "\n", "templat-tidak-valid", 0),
    ("jinja-stale-year", "Pada tahun 2019 terjadi sesuatu.\n", "tahun-basi", 0),
]


def markdown_mutations() -> list[Mutation]:
    out = []
    for section in PROSE:
        rel = f"2022/prosa/{section}.md"
        for name, text, code, offset in MD_FAILING:
            if name == "jinja-stale-year":
                continue
            severity = "error"
            out.append(Mutation(f"md-{section}-{name}", lambda t, rel=rel, text=text, offset=offset:
                                (rel, t.append(rel, "\n" + text) + offset), code, severity=severity,
                                category="jinja" if name.startswith("jinja") else "markdown",
                                slow=section not in PROSE[:2]))
    for name, text, marker, warning in MD_PASSING:
        rel = "2022/prosa/penutup.md"
        out.append(Mutation(f"md-{name}", lambda t, rel=rel, text=text: (rel, t.append(rel, "\n" + text)),
                            warning, severity="warning", markers=(marker,), category="markdown"))
    return out


def _symlink(t: Tree, rel: str, target) -> tuple:
    path = t.path(rel)
    _remove(path)
    os.symlink(target, path)
    return rel, 0


def _fifo(t: Tree, rel: str) -> tuple:
    path = t.path(rel)
    _remove(path)
    os.mkfifo(path)
    return rel, 0


def _logo(t: Tree, value: str, files: dict | None = None) -> tuple:
    for rel, data in (files or {}).items():
        if callable(data):
            data(t, rel)
        else:
            t.write(rel, data)
    return INS, t.sub(INS, r"^tipe: C$", f"tipe: C\nlogo: {value}", 1)


def _png() -> bytes:
    import io
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (31, 78, 121)).save(buf, "PNG")
    return buf.getvalue()


def _jpeg() -> bytes:
    import io
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def file_mutations(outside: Path) -> list[Mutation]:
    secret = outside / "rahasia.txt"
    picture = outside / "gambar.png"
    out = []
    for section in ("penutup", "kata_pengantar", "latar_belakang"):
        rel = f"2022/prosa/{section}.md"
        out += [
            Mutation(f"file-{section}-symlink-out", lambda t, rel=rel: _symlink(t, rel, secret), "berkas-di-luar-konten", category="files"),
            Mutation(f"file-{section}-symlink-dev-zero", lambda t, rel=rel: _symlink(t, rel, "/dev/zero"), "berkas-di-luar-konten", category="files"),
            Mutation(f"file-{section}-fifo", lambda t, rel=rel: _fifo(t, rel), "berkas-tidak-terbaca", category="files"),
            Mutation(f"file-{section}-directory", lambda t, rel=rel: (t.write(rel, b"") or t.path(rel).unlink() or
                                                                      t.path(rel).mkdir() or (rel, 0)), "berkas-tidak-terbaca", category="files"),
            Mutation(f"file-{section}-too-large", lambda t, rel=rel: (_sparse(t, rel, 9 * 1024 * 1024), (rel, 0))[1],
                     "berkas-terlalu-besar", category="files"),
            Mutation(f"file-{section}-invalid-utf8", lambda t, rel=rel: (rel, t.append_bytes(rel, b"caf\xe9 \xff\n")),
                     "berkas-tidak-terbaca", category="encoding"),
        ]
    out += [
        Mutation("file-yaml-symlink-out", lambda t: _symlink(t, INS, secret), "berkas-di-luar-konten", category="files"),
        Mutation("file-yaml-fifo", lambda t: _fifo(t, DH), "berkas-tidak-terbaca", category="files"),
        Mutation("file-yaml-missing", lambda t: (t.path(INS).unlink(), (INS, 0))[1], "berkas-hilang", category="files"),
        Mutation("file-symlink-loop", lambda t: (_symlink(t, "2022/prosa/penutup.md", "lingkar.md"),
                                                 _symlink(t, "2022/prosa/lingkar.md", "penutup.md"))[0],
                 "berkas-tidak-terbaca", category="files", codes=("berkas-di-luar-konten",)),
        Mutation("file-symlink-inside", lambda t: (t.write("2022/prosa/asli.txt", t.read("2022/prosa/penutup.md")),
                                                   _symlink(t, "2022/prosa/penutup.md", "asli.txt"), None)[2],
                 None, category="files"),
        Mutation("file-year-folder-symlink-out", lambda t: (_copy_out(t, outside), ("2022/laporan.yaml", 0))[1],
                 "berkas-di-luar-konten", category="files"),
        Mutation("file-unknown-yaml", lambda t: (t.write("2022/tambahan.yaml", "a: 1\n"), ("2022/tambahan.yaml", 0))[1],
                 "berkas-tidak-dikenal", severity="warning", category="files"),
        Mutation("logo-absolute", lambda t: _logo(t, str(picture)), "logo-tidak-valid", category="files"),
        Mutation("logo-parent", lambda t: _logo(t, "../../luar.png", {"luar.png": _png()}), "logo-tidak-valid", category="files"),
        Mutation("logo-system-file", lambda t: _logo(t, "/etc/passwd"), "logo-tidak-valid", category="files"),
        Mutation("logo-windows-drive", lambda t: _logo(t, '"C:/Windows/logo.png"'), "logo-tidak-valid", category="files"),
        Mutation("logo-not-image", lambda t: _logo(t, "logo.png", {"2022/logo.png": b"bukan gambar\n"}), "logo-tidak-valid", category="files"),
        Mutation("logo-truncated-png", lambda t: _logo(t, "logo.png", {"2022/logo.png": _png()[:30]}), "logo-tidak-valid", category="files"),
        Mutation("logo-missing", lambda t: _logo(t, "tidak-ada.png"), "logo-tidak-valid", category="files"),
        Mutation("logo-directory", lambda t: _logo(t, "gambar", {"2022/gambar/x.png": _png()}), "logo-tidak-valid", category="files"),
        Mutation("logo-symlink-out", lambda t: _logo(t, "logo.png", {"2022/logo.png": lambda t, rel: _symlink(t, rel, picture)}),
                 "logo-tidak-valid", category="files"),
        Mutation("logo-fifo", lambda t: _logo(t, "logo.png", {"2022/logo.png": lambda t, rel: _fifo(t, rel)}), "logo-tidak-valid", category="files"),
        Mutation("logo-png-ok", lambda t: _logo(t, "logo.png", {"2022/logo.png": _png()}) and None, None, category="files"),
        Mutation("logo-jpeg-subfolder-ok", lambda t: _logo(t, "gambar/logo.jpg", {"2022/gambar/logo.jpg": _jpeg()}) and None,
                 None, category="files"),
    ]
    return out


def _sparse(t: Tree, rel: str, size: int) -> None:
    path = t.path(rel)
    _remove(path)
    with open(path, "wb") as handle:
        handle.truncate(size)


def _copy_out(t: Tree, outside: Path) -> None:
    away = outside / "tahun-2022"
    shutil.rmtree(away, ignore_errors=True)
    shutil.copytree(t.root / "2022", away)
    t.path("2022")
    shutil.rmtree(t.root / "2022")
    os.symlink(away, t.root / "2022")


def organisation_mutations() -> list[Mutation]:
    def unit_line(t, unit_id):
        return t.read(ORG).split("\n").index(f"  - id: {unit_id}") + 1

    def set_parent(t, unit_id, parent):
        t.sub(ORG, rf"(  - id: {unit_id}\n(    .*\n)*?)    induk: [a-z-]+\n", rf"\1    induk: {parent}\n")
        lines = t.read(ORG).split("\n")
        start = lines.index(f"  - id: {unit_id}")
        return next(i for i in range(start, len(lines)) if lines[i].startswith("    induk:")) + 1

    def root_parent(t, parent):
        line = unit_line(t, "kepala-dinas")
        t.sub(ORG, r"(  - id: kepala-dinas\n)", rf"\1    induk: {parent}\n")
        return line + 1

    return [
        Mutation("org-self-parent", lambda t: (ORG, set_parent(t, "sekretariat", "sekretariat")), "induk-melingkar",
                 category="organisation"),
        Mutation("org-cycle", lambda t: (ORG, root_parent(t, "sekretariat")), "induk-melingkar", category="organisation"),
        Mutation("org-two-roots", lambda t: (ORG, t.sub(ORG, r"(  - id: sekretariat\n(    .*\n)*?)    induk: kepala-dinas\n",
                                                         r"\1") and unit_line(t, "sekretariat")), "akar-organisasi",
                 category="organisation"),
        Mutation("org-duplicate-id", lambda t: (ORG, t.sub(ORG, r"^  - id: subbag-umum$", "  - id: subbag-perencanaan")),
                 "id-ganda", category="organisation"),
        Mutation("org-contract-head", lambda t: (ORG, t.sub(ORG, r"^(    kepala: )ardah$", r"\1dimas-anggoro-saputra")),
                 "kepala-kontrak", category="organisation"),
        Mutation("org-no-units", lambda t: (ORG, t.sub(ORG, r"^unit:\n(  .*\n|\s*\n)*", "unit: []\n")), "terlalu-sedikit",
                 category="organisation"),
        Mutation("renstra-one-year", lambda t: (R, t.sub(R, r"^  akhir: 2026", "  akhir: 2021", -2)), "periode-tidak-wajar",
                 category="organisation"),
        Mutation("renstra-thirty-years", lambda t: (R, t.sub(R, r"^  akhir: 2026", "  akhir: 2050", -2)), "periode-tidak-wajar",
                 category="organisation"),
        Mutation("renstra-duplicate-indicator", lambda t: (R, _duplicate_indicator(t)), "id-ganda", category="organisation"),
    ]


def _duplicate_indicator(t: Tree) -> int:
    text = t.read(R)
    start = text.index("          - id: iku-ppks")
    end = text.index("\nstrategi:")
    block = text[start:end].rstrip("\n") + "\n"
    t.write(R, text[:end].rstrip("\n") + "\n" + block.replace("iku: true", "iku: false") + text[end:])
    return text[:end].rstrip("\n").count("\n") + 2


def previous_year_mutations() -> list[Mutation]:
    """Broken content in last year's folder: this year's check warns (tahun-lalu-bermasalah), never crashes."""
    out = []
    for name, text in (("bomb", BOMB), ("recursive-alias", "rek: &r [1, *r]\n"),
                       ("deep-600", "dalam: " + "[" * 600 + "]" * 600 + "\n"), ("control", "# a\x01b\n")):
        def apply(t, text=text):
            prev = t.path("2021")
            shutil.copytree(t.root / "2022", prev)
            text_now = (prev / "laporan.yaml").read_text(encoding="utf-8").replace("tahun: 2022", "tahun: 2021")
            (prev / "laporan.yaml").write_text(text_now, encoding="utf-8")
            with open(prev / "program.yaml", "a", encoding="utf-8") as handle:
                handle.write(text)
            return "2021", 0
        out.append(Mutation(f"previous-year-{name}", apply, "tahun-lalu-bermasalah", severity="warning", category="yaml"))
    return out


def all_mutations(outside: Path) -> list[Mutation]:
    return (yaml_mutations() + number_mutations() + date_mutations() + text_mutations() + markdown_mutations()
            + file_mutations(outside) + organisation_mutations() + previous_year_mutations())
