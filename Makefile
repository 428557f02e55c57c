# zhfacts recipe book. `make run` and `make test` set everything up on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
KNOWLEDGE := $(wildcard models/knowledge/*.tsv)

.PHONY: setup run bench bench-kb hostile test check lint types model train lock clean knowledge-data measure-knowledge

# A local virtualenv with the pinned dependencies; rebuilt when the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

# Extract the corpus, load it into the knowledge base, and say where both are.
run: $(STAMP)
	$(BIN)/zhfacts extract corpus/raw -o out/facts.jsonl
	$(BIN)/zhfacts kb load out/facts.jsonl --db out/kb.sqlite
	@echo "facts: out/facts.jsonl"
	@echo "knowledge base: out/kb.sqlite (look up an entity: $(BIN)/zhfacts kb show 川普)"

# How fast the knowledge base loads (prints figures; needs out/facts.jsonl from `make run`).
bench-kb: run
	$(BIN)/python benchmarks/kb_load.py

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

# Rebuild models/zh_news from models/knowledge (trained components in it are kept).
model: $(STAMP)
	$(BIN)/python -m pipeline.build --knowledge models/knowledge --output models/zh_news

# Regenerate the generated knowledge files from the sources copied beside them, then `make model`.
knowledge-data: $(STAMP)
	$(BIN)/python models/knowledge/scripts/china_places.py
	$(BIN)/python models/knowledge/scripts/a_shares.py

# Coverage, false positives, jieba boundaries and news-text scores of the knowledge (needs ../shared).
measure-knowledge: $(STAMP)
	$(BIN)/python models/knowledge/scripts/measure.py

# Train the statistical NER from the NER data sets (CLUENER2020 train) and install it in
# models/zh_news; DocBins and checkpoints under models/training/. About 6-10 min on 2 cores.
NER_DATA ?= ../shared/data/ner
train: $(STAMP)
	mkdir -p models/training
	nice -n 10 $(BIN)/python -m pipeline.nertrain --data $(NER_DATA) --output models/training \
		--model models/zh_news

# Throughput, scaling, memory and cold start on a 5 MB news-like corpus (several minutes).
bench: $(STAMP)
	$(BIN)/python bench/bench.py

# A corpus of hostile files built outside the repo (HOSTILE_DIR), run through `zhfacts extract`
# and checked: every input accounted for, no crash, every output line valid with exact offsets.
HOSTILE_DIR ?= /tmp/zhfacts-hostile
HOSTILE_ARGS ?=
hostile: $(STAMP)
	nice -n 10 $(BIN)/python bench/hostile.py --folder $(HOSTILE_DIR) $(HOSTILE_ARGS)

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
