# zhfacts recipe book. `make run` and `make test` set everything up on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
KNOWLEDGE := $(wildcard models/knowledge/*.tsv)

.PHONY: setup run test check lint types model lock clean bench

# A local virtualenv with the pinned dependencies; rebuilt when the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/zhfacts extract corpus/raw -o out/facts.jsonl

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

# Rebuild models/zh_news from models/knowledge (trained components in it are kept).
model: $(STAMP)
	$(BIN)/python -m pipeline.build --knowledge models/knowledge --output models/zh_news

# Throughput, scaling, memory and cold start on a 5 MB news-like corpus (several minutes).
bench: $(STAMP)
	$(BIN)/python bench/bench.py

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests

types: $(STAMP)
	$(BIN)/mypy pipeline

check: lint types test

# Re-pin every dependency to what is installed now (after changing pyproject.toml).
lock:
	rm -rf /tmp/zhfacts-lock && $(PYTHON) -m venv /tmp/zhfacts-lock
	/tmp/zhfacts-lock/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	/tmp/zhfacts-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache
