# Two commands: `make demo` (set up, ingest corpus/, show results) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARCHIVE ?= archive

.PHONY: setup system demo test test-all lint bench bench-full clean

setup: system $(STAMP)

system:
	@bash scripts/setup_system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@PIP_NO_BINARY=tesserocr $(BIN)/python -m pip install -q -e '.[ocr]' || \
		echo "setup: tesserocr did not build (needs libtesseract-dev, libleptonica-dev, pkg-config); OCR runs the tesseract command" >&2
	@touch $(STAMP)

demo: setup
	@echo "== ingest corpus/ into ./$(ARCHIVE)"
	@$(BIN)/congvan --archive $(ARCHIVE) ingest --quiet corpus
	@echo; echo "== search: thong tin doi ngoai (typed without diacritics)"
	@$(BIN)/congvan --archive $(ARCHIVE) search thong tin doi ngoai --limit 3
	@echo; echo "== show 1469-CV/BTGTU"
	@$(BIN)/congvan --archive $(ARCHIVE) show 1469-CV/BTGTU
	@echo "== trace 57-KL/TW: who implements Kết luận 57"
	@$(BIN)/congvan --archive $(ARCHIVE) trace 57-KL/TW

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(ARCHIVE) .pytest_cache .ruff_cache

# The slow tests too (OCR of whole gazettes, long kill loops): minutes, not seconds.
test-all: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# Benchmarks (benchmarks/run.py): generated letters, one table, written to benchmarks/RESULTS.md.
bench: setup
	$(BIN)/python -m benchmarks.run --docs 1000 --pdf 100 --ingest-docs 200

bench-full: setup
	$(BIN)/python -m benchmarks.run --docs 100000 --pdf 1000 --ingest-docs 2000 --whoosh-docs 10000
