"""Shared fixtures: the shipped pipeline is loaded once per test session."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import Extractor
from pipeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "raw" / "worldjournal-2025-11-05-ai-chip-power-subsidy.txt"
SAMPLE_GOLD = (
    ROOT / "corpus" / "annotated" / "worldjournal-2025-11-05-ai-chip-power-subsidy.gold.json"
)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract_text(extractor: Extractor) -> Callable[..., dict[str, Any]]:
    """Extract one short article given as text (and its date, YYYY-MM-DD)."""

    def extract(text: str, date: str | None = None, doc_id: str = "test") -> dict[str, Any]:
        return extractor(Document(doc_id, text, "test", "txt", date=date))

    return extract


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The sample page: a World Journal article saved as page text (traditional)."""
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_record(extractor: Extractor, sample_text: str) -> dict[str, Any]:
    return extractor(Document(SAMPLE.name, sample_text, str(SAMPLE), "txt"))


@pytest.fixture(scope="session")
def sample_gold() -> dict[str, Any]:
    return json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
