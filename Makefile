# make report | report-all [ROOTS="content lain/content"] | pdf | preview | check | test | test-slow | test-all | bench
#      | skema-json | new-year YEAR=2023 | diff FROM=2022 TO=2023 | ekspor | impor-anggaran FILE=realisasi.xlsx [TULIS=1]
#      | upgrade [TULIS=1] | pk [YEAR=2023] [PERUBAHAN=1] | triwulan TRIWULAN=2
#      | reviu | nilai [CONTENT=examples/nama] | dist   (YEAR: latest)
# Also under Git Bash on Windows: the venv keeps its programs in .venv/Scripts there.
VENV   := .venv
ifeq ($(OS),Windows_NT)
PYTHON ?= py -3
BIN    := $(if $(wildcard $(VENV)/bin/python*),$(VENV)/bin,$(VENV)/Scripts)
else
PYTHON ?= python3
BIN    := $(VENV)/bin
endif
RUNTIME := $(VENV)/.installed
DEV     := $(VENV)/.installed-dev
# pip prints what it downloads and installs (the first run takes a while; afterwards it is skipped)
PIP     := $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on
YEAR   ?=
ARGS   := $(if $(YEAR),--year $(YEAR))
CONTENT ?=
TOOL_ARGS := $(ARGS) $(if $(CONTENT),--content "$(CONTENT)")

.PHONY: report report-all check test test-slow test-all bench new-year diff pdf preview skema-json ekspor impor-anggaran upgrade pk triwulan reviu nilai clean dist

# Runtime dependencies only (requirements.txt) for building reports; test tools on top for `make test`.
$(RUNTIME): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ diperlukan")'
	@echo "Menyiapkan lingkungan Python di $(VENV) (sekali saja, sekitar 15 detik) ..."
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	@touch $@

# lkjip's bytecode, written even where PYTHONDONTWRITEBYTECODE is set: a build does not compile its sources every run
COMPILED := $(VENV)/.compiled
$(COMPILED): $(RUNTIME) $(wildcard lkjip/*.py lkjip/*/*.py lkjip/*/*/*.py)
	@$(BIN)/python -m compileall -q lkjip
	@touch $@

report: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py report $(ARGS)

# every year folder of every root (default: content), in parallel processes
report-all: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py report --all $(foreach r,$(ROOTS),--root "$(r)")

pdf: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py pdf $(ARGS)

preview: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py preview $(ARGS)

check: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py check $(ARGS)

skema-json: $(RUNTIME)
	$(BIN)/python build.py skema-json

# in parallel on every core (pytest-xdist; PARALLEL= runs them in one process); the tests share built fixtures
# and one build cache per run
PARALLEL ?= -n auto
# more pytest options, e.g. PYTEST_ARGS=--durations=20 (CI prints the slowest tests)
PYTEST_ARGS ?=

test: $(DEV) $(COMPILED)
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS) $(PARALLEL)

# the slow tests only (LibreOffice layout pass, package install), and everything
test-slow: $(DEV) $(COMPILED)
	$(BIN)/python -m pytest -q -m slow $(PYTEST_ARGS) $(PARALLEL)

test-all: $(DEV) $(COMPILED)
	$(BIN)/python -m pytest -q $(PARALLEL)

bench: $(RUNTIME)
	$(BIN)/python bench/run.py

new-year: $(RUNTIME)
	@test -n "$(YEAR)" || { echo "Pakai: make new-year YEAR=2023"; exit 2; }
	$(BIN)/python build.py new-year $(YEAR)

diff: $(RUNTIME)
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "Pakai: make diff FROM=2022 TO=2023"; exit 2; }
	$(BIN)/python build.py diff $(FROM) $(TO)

ekspor: $(RUNTIME)
	$(BIN)/python build.py ekspor $(ARGS)

# the Perjanjian Kinerja of a year as its own document (output/pk-TAHUN.docx; PERUBAHAN=1: the PK Perubahan)
pk: $(RUNTIME) $(COMPILED)
	$(BIN)/python build.py pk $(ARGS) $(if $(CONTENT),--content "$(CONTENT)") $(if $(PERUBAHAN),--perubahan)

# quarterly monitoring of the Rencana Aksi (output/triwulan-N-TAHUN.docx)
triwulan: $(RUNTIME) $(COMPILED)
	@test -n "$(TRIWULAN)" || { echo "Pakai: make triwulan TRIWULAN=2 [YEAR=2023]"; exit 2; }
	$(BIN)/python build.py triwulan $(TRIWULAN) $(ARGS) $(if $(CONTENT),--content "$(CONTENT)")

# content written for an older content format, brought to the current one (TULIS=1 writes; without it: a diff)
upgrade: $(RUNTIME)
	$(BIN)/python build.py upgrade $(if $(CONTENT),--content "$(CONTENT)") $(if $(TULIS),--tulis)

impor-anggaran: $(RUNTIME)
	@test -n "$(FILE)" || { echo "Pakai: make impor-anggaran FILE=realisasi.xlsx [TULIS=1] [YEAR=2022]"; exit 2; }
	$(BIN)/python build.py impor-anggaran "$(FILE)" $(ARGS) $(if $(TULIS),--tulis)

# the Inspektorat's worksheet (output/reviu-TAHUN.md, .xlsx) and the LKE self-score (output/nilai-TAHUN.md)
reviu: $(RUNTIME)
	$(BIN)/python build.py reviu $(TOOL_ARGS)

nilai: $(RUNTIME)
	$(BIN)/python build.py nilai $(TOOL_ARGS)

# wheel and sdist in dist/ (pip and pipx install either). `python -P`: the current folder is not put on sys.path, so
# the repository's own build.py does not stand in for the `build` package (plain `python -m build` here runs build.py).
dist: $(DEV)
	$(BIN)/python -P -m build --outdir dist .

clean:
	rm -rf $(VENV) output
