# ledgerdesk: `make run` starts everything on the embedded defaults, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= test
# the extras installed: `make test EXTRAS=test,paddle` adds the PaddleOCR engine; one stamp per set of extras
comma := ,
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ledgerdesk migrate
	$(BIN)/ledgerdesk demo
	$(BIN)/ledgerdesk up --host $(HOST) --port $(PORT)

test: install  # one math thread per process: the suite runs its own workers and OCR processes beside pytest
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/pytest -q

bench: install  # BENCH_ARGS="--quick" for a short run, "--part load" for one part; see bench/README.md
	$(BIN)/python -m bench.all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
