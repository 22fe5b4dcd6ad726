"""Benchmark (not a test): `make bench`. Wall time and peak memory of check and report against pandoc, growth with the
size of the content and of the organisation, and report --all over 40 content roots. Prints medians; asserts nothing.

Every command runs as its own process, as an editor runs it. Python's bytecode cache is on (PYTHONDONTWRITEBYTECODE
is removed from the environment: with it, every run would compile lkjip from source). The build cache (LKJIP_CACHE)
is bench/work/cache, warmed by one run before each measured series. Peak RSS is that of the process and its
children (os.wait4), in MB. Standard library, PyYAML (bench/scale.py) and, for the comparison, pandoc.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402 - bench/scale.py beside this file

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PYTHON = sys.executable
BUILD = [PYTHON, str(ROOT / "build.py")]
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
COPIES = int(os.environ.get("BENCH_COPIES", "40"))


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LKJIP_TANPA_TATA_LETAK")}
    env["LKJIP_CACHE"] = str(WORK / "cache")
    env.update(extra)
    return env


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, float | None]:
    """(wall seconds, peak RSS in MB of the process and its waited-for children; None where unknown)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env or environment(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read()
        peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    else:
        _out, err = proc.communicate()
        seconds, peak = time.perf_counter() - start, None
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"gagal ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return seconds, peak


def series(cmd: list[str], runs: int, env: dict | None = None) -> tuple[float, float | None]:
    """Median wall time and highest peak RSS over `runs` runs, after one warm-up run."""
    measure(cmd, env)
    results = [measure(cmd, env) for _ in range(runs)]
    peaks = [p for _s, p in results if p is not None]
    return statistics.median(s for s, _p in results), (max(peaks) if peaks else None)


def mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def report_cmd(content: Path, output: Path, *extra: str) -> list[str]:
    return BUILD + ["report", "--content", str(content), "--output", str(output), *extra]


def against_pandoc() -> None:
    out = WORK / "out"
    cmd = report_cmd(ROOT / "content", out)
    layout = "tata letak dari cache" if _layout_available() else "tanpa tata letak (LibreOffice tidak ada)"
    measure(cmd)                                               # figures drawn, layout measured, caches warm
    check = series(BUILD + ["check", "--year", "2022"], RUNS)
    print(f"check 2022 (cache hangat)                    : {check[0]:.3f} s   puncak {mb(check[1])}")
    pandoc = shutil.which("pandoc")
    if not pandoc:
        print("pandoc tidak ditemukan (apt-get install pandoc); perbandingan dilewati.")
        print(f"report 2022 ({layout})        : {series(cmd, RUNS)[0]:.3f} s")
        return
    markdown = out / "lkjip-2022.md"
    ours, theirs, ratios, peaks = [], [], [], []
    measure([pandoc, str(markdown), "-o", str(WORK / "pandoc.docx")])
    for _ in range(RUNS):                                      # alternate A B A B: machine drift hits both
        a, peak = measure(cmd)
        b, pandoc_peak = measure([pandoc, str(markdown), "-o", str(WORK / "pandoc.docx")])
        ours.append(a), theirs.append(b), ratios.append(a / b), peaks.append((peak, pandoc_peak))
    print(f"report 2022, gambar dari cache ({layout}): {statistics.median(ours):.3f} s   "
          f"puncak {mb(max((p for p, _q in peaks if p), default=None))}")
    print(f"pandoc lkjip-2022.md -> DOCX                 : {statistics.median(theirs):.3f} s   "
          f"puncak {mb(max((q for _p, q in peaks if q), default=None))}")
    print(f"rasio report / pandoc (median per pasangan)  : {statistics.median(ratios):.2f}   (sasaran <= 0,50)")


def _layout_available() -> bool:
    sys.path.insert(0, str(ROOT))
    from lkjip.render import layout
    return layout.available()


def separately() -> None:
    """What report does only sometimes: drawing figures (data changed) and the LibreOffice layout pass."""
    out = WORK / "out"
    cmd = report_cmd(ROOT / "content", out, "--tanpa-tata-letak")
    cold = []
    for _ in range(3):
        shutil.rmtree(out / ".cache" / "gambar", ignore_errors=True)
        cold.append(measure(cmd))
    warm = series(cmd, RUNS)
    print(f"report --tanpa-tata-letak, gambar dari cache : {warm[0]:.3f} s   puncak {mb(warm[1])}")
    print(f"report --tanpa-tata-letak, semua gambar baru : {statistics.median(s for s, _p in cold):.3f} s   "
          f"puncak {mb(max(p or 0 for _s, p in cold))}")
    if _layout_available():
        laid = []
        for _ in range(2):
            shutil.rmtree(out / ".cache" / "tata-letak", ignore_errors=True)
            laid.append(measure(report_cmd(ROOT / "content", out)))
        print(f"report dengan tata letak baru (LibreOffice)  : {statistics.median(s for s, _p in laid):.3f} s   "
              f"puncak {mb(max(p or 0 for _s, p in laid))}")


def growth() -> None:
    print("\nPertumbuhan (report --tanpa-tata-letak, gambar dari cache; median, puncak RSS):")
    cases = [("konten", "konten 1x", lambda d: scale.scaled(d, 1), 1),
             ("konten", "konten 4x", lambda d: scale.scaled(d, 4), 4),
             ("konten", "konten 16x", lambda d: scale.scaled(d, 16), 16),
             ("unit", "100 unit, 100 pegawai", lambda d: scale.organisation(d, 100, 100), 100),
             ("unit", "1.000 unit, 1.000 pegawai", lambda d: scale.organisation(d, 1000, 1000), 1000),
             ("pegawai", "13 unit, 1.000 pegawai", lambda d: scale.organisation(d, 13, 1000), 1000),
             ("pegawai", "13 unit, 5.000 pegawai", lambda d: scale.organisation(d, 13, 5000), 5000)]
    base = {}
    for n, (kind, label, make, size) in enumerate(cases):
        content = make(WORK / "skala" / f"{n}-{kind}-{size}")
        out = WORK / "skala-out" / f"{n}-{kind}-{size}"
        seconds, peak = series(report_cmd(content, out, "--tanpa-tata-letak"), 3)
        if kind not in base:
            base[kind] = (seconds, peak, size)
        t0, p0, s0 = base[kind]
        per = "" if size == s0 else (f"   tambahan per satuan ukuran: {(seconds - t0) / (size - s0) * 1000:.2f} ms, "
                                     f"{((peak or 0) - (p0 or 0)) / (size - s0):.2f} MB")
        print(f"  {label:28s} {seconds:6.3f} s  {mb(peak):>7s}{per}")


def report_all() -> None:
    roots = []
    source = WORK / "salinan"
    shutil.rmtree(source, ignore_errors=True)
    for n in range(1, COPIES + 1):
        dest = source / f"dinas-{n:02d}"
        shutil.copytree(ROOT / "content", dest)
        roots += ["--root", str(dest)]
    out = WORK / "salinan-out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = BUILD + ["report", "--all", *roots, "--output", str(out), "--tanpa-tata-letak"]
    first = measure(cmd)
    warm = measure(cmd)
    print(f"\nreport --all, {COPIES} salinan konten ({os.cpu_count()} inti, tanpa tata letak):")
    print(f"  pertama (semua gambar digambar) : {first[0]:.2f} s   puncak satu proses {mb(first[1])}")
    print(f"  ulang (gambar dari cache)       : {warm[0]:.2f} s   puncak satu proses {mb(warm[1])}   "
          f"({warm[0] / COPIES:.3f} s per laporan)")


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"Mesin: {sys.platform}, {os.cpu_count()} inti, Python {sys.version.split()[0]}; {RUNS} kali per perintah, "
          "median; proses baru setiap kali.")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE dilepas untuk pengukuran: dengan itu Python menerjemahkan ulang kode setiap kali.)")
    against_pandoc()
    separately()
    growth()
    report_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
