"""Benchmark (not a test): wall time of `make report` against pandoc on the same content, and growth with size.

Run: make bench. Prints medians; nothing is asserted. Uses only the standard library, make and pandoc.
"""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PYTHON = sys.executable
RUNS = 5


def wall(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def scaled_content(factor: int) -> Path:
    """content/ with the 2022 program tree repeated `factor` times under new program codes (1.06.10 ... 1.06.99)."""
    dest = WORK / f"content-{factor}x"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "content", dest)
    path = dest / "2022" / "program.yaml"
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("program:\n")
    blocks = re.split(r"(?m)^(?=  - kode: \"1\.06\.\d\d\"\n)", body)
    blocks = [b for b in blocks if b.strip()]
    copies, code = [], 10
    for _ in range(factor - 1):
        for block in blocks:
            old = re.match(r'  - kode: "(1\.06\.\d\d)"', block).group(1)
            copies.append(block.replace(f'"{old}', f'"1.06.{code:02d}'))
            code += 1
    path.write_text(head + "program:\n" + "".join(blocks) + "".join(copies), encoding="utf-8")
    return dest


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run(["make", "--no-print-directory", "report"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    markdown = ROOT / "output" / "lkjip-2022.md"
    print(f"Mesin: {sys.platform}, Python {sys.version.split()[0]}; {RUNS} kali per perintah, median.")
    pandoc = shutil.which("pandoc")
    if pandoc:
        ours, theirs, ratios = [], [], []
        for _ in range(RUNS):                      # alternate A B A B so machine drift hits both
            a = wall(["make", "--no-print-directory", "report"])
            b = wall([pandoc, str(markdown), "-o", str(WORK / "pandoc.docx")])
            ours.append(a), theirs.append(b), ratios.append(a / b)
        print(f"make report            : {statistics.median(ours):.3f} s")
        print(f"pandoc (Markdown->DOCX): {statistics.median(theirs):.3f} s")
        print(f"rasio make report / pandoc (median per pasangan): {statistics.median(ratios):.2f}")
    else:
        print("pandoc tidak ditemukan (apt-get install pandoc); perbandingan dilewati.")
    cache = ROOT / "output" / ".cache" / "gambar"
    warm = statistics.median([wall([PYTHON, "build.py", "report"]) for _ in range(3)])
    cold = []
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(wall([PYTHON, "build.py", "report"]))
    print(f"build.py report, gambar dari cache (hanya prosa berubah): {warm:.3f} s")
    print(f"build.py report, semua gambar digambar ulang           : {statistics.median(cold):.3f} s")
    print("\nPertumbuhan terhadap ukuran konten (build.py report, proses utuh):")
    base = None
    for factor in (1, 4, 16):
        content = scaled_content(factor)
        out = WORK / f"out-{factor}x"
        times = [wall([PYTHON, "build.py", "report", "--content", str(content), "--output", str(out)]) for _ in range(3)]
        median = statistics.median(times)
        base = base or median
        subs = len(re.findall(r"(?m)^          - kode:", (content / "2022" / "program.yaml").read_text(encoding="utf-8")))
        print(f"  {factor:>2}x  {subs:>4} sub kegiatan  {median:.3f} s  ({median / base:.2f}x waktu 1x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
