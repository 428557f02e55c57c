"""Shared fixtures: the shipped pipeline (loaded once per test session) and the sample page."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.cache import CACHE_ENV
from pipeline.extract import Extractor, load_pipeline
from pipeline.ingest import iter_documents
from pipeline.types import DEFAULT_MODEL, Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "raw" / "worldjournal-2025-11-05-ai-chip-power-subsidy.txt"
GOLD = ROOT / "corpus" / "annotated" / "worldjournal-2025-11-05-ai-chip-power-subsidy.gold.json"
NEWS = ROOT / "tests" / "data" / "news"  # news-style texts written for the tests, with gold
NER_DATA = Path(os.environ.get("ZHFACTS_NER_DATA", ROOT.parent / "shared" / "data" / "ner"))


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This test session's start-up cache (pipeline/cache.py), out of the user's home."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def ner_data() -> Callable[[str], Path]:
    """ner_data("cluener/dev.jsonl"): a file of the public NER sets (../shared/data/ner, never
    copied into the repo).

    A fresh clone without them still passes `make test`: the checks on them are skipped there,
    with the reason. CI sets ZHFACTS_REQUIRE_NER_DATA=1 (.ci/run), so there they always run.
    """
    return _ner_data_file


def _ner_data_file(relative: str) -> Path:
    path = NER_DATA / relative
    if not path.exists():
        message = f"{path} not found: set ZHFACTS_NER_DATA to the NER data sets' folder"
        if os.environ.get("ZHFACTS_REQUIRE_NER_DATA"):
            pytest.fail(message)
        pytest.skip(message)
    return path


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
def news_folder() -> Path:
    return NEWS


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def extract_text(extractor) -> Callable[..., dict[str, Any]]:
    """Extract one short article given as text (and its date, YYYY-MM-DD)."""

    def extract(text: str, date: str | None = None, doc_id: str = "test") -> dict[str, Any]:
        return extractor(Document(doc_id, text, "test", "txt", date=date))

    return extract
