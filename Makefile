# make report | make check | make test | make bench   (YEAR=2022 optional; latest year by default)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?=
ARGS   := $(if $(YEAR),--year $(YEAR))

.PHONY: report check test bench clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ diperlukan")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

report: $(STAMP)
	$(BIN)/python build.py report $(ARGS)

check: $(STAMP)
	$(BIN)/python build.py check $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) output
