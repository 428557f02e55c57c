"""Shared fixtures: the shipped pipeline (loaded once per test session) and the sample page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import Extractor, load_pipeline
from pipeline.ingest import iter_documents
from pipeline.types import DEFAULT_MODEL, Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "raw" / "worldjournal-2025-11-05-ai-chip-power-subsidy.txt"
GOLD = ROOT / "corpus" / "annotated" / "worldjournal-2025-11-05-ai-chip-power-subsidy.gold.json"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def extractor(nlp):
    return Extractor(nlp=nlp)


@pytest.fixture(scope="session")
def knowledge(extractor):
    return extractor.knowledge


@pytest.fixture(scope="session")
def sample_document() -> Document:
    (document,) = iter_documents([SAMPLE])
    assert isinstance(document, Document)
    return document


@pytest.fixture(scope="session")
def sample_record(extractor, sample_document):
    return extractor(sample_document)


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))
