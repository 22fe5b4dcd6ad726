# make report | pdf | preview | check | test | test-all | bench | new-year YEAR=2023 | diff FROM=2022 TO=2023  (YEAR: latest)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?=
ARGS   := $(if $(YEAR),--year $(YEAR))

.PHONY: report check test test-all bench new-year diff pdf preview clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ diperlukan")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

report: $(STAMP)
	$(BIN)/python build.py report $(ARGS)

pdf: $(STAMP)
	$(BIN)/python build.py pdf $(ARGS)

preview: $(STAMP)
	$(BIN)/python build.py preview $(ARGS)

check: $(STAMP)
	$(BIN)/python build.py check $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

test-all: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

new-year: $(STAMP)
	@test -n "$(YEAR)" || { echo "Pakai: make new-year YEAR=2023"; exit 2; }
	$(BIN)/python build.py new-year $(YEAR)

diff: $(STAMP)
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "Pakai: make diff FROM=2022 TO=2023"; exit 2; }
	$(BIN)/python build.py diff $(FROM) $(TO)

clean:
	rm -rf $(VENV) output
