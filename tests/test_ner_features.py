"""Token features of the statistical NER: the gazetteer from the knowledge files and the hashed
features of a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.lookups import Table
from spacy.vocab import Vocab

from pipeline.knowledge import Knowledge
from pipeline.ner_features import (
    FEATURES,
    GAZETTEER,
    gazetteer_of,
    known_names,
    known_type,
    word_features,
)
from pipeline.types import DEFAULT_MODEL

KNOWLEDGE = Path(__file__).resolve().parent.parent / "models" / "knowledge"


@pytest.fixture(scope="module")
def gazetteer() -> Table:
    return Table(GAZETTEER, known_names(Knowledge.from_dir(KNOWLEDGE)))


def test_the_gazetteer_holds_known_names_titles_and_generic_words(gazetteer: Table) -> None:
    assert gazetteer["华为"] == "COMPANY"
    assert gazetteer["杭州"] == "GPE"
    assert gazetteer["发言人"] == "TITLE"
    assert gazetteer["科技公司"] == "GENERIC"


def test_a_word_is_starts_with_or_ends_with_a_known_name(gazetteer: Table) -> None:
    assert known_type("华为", gazetteer) == "=COMPANY"
    assert known_type("杭州市民", gazetteer) == "GPE>"
    assert known_type("驻杭州", gazetteer) == ">GPE"
    assert known_type("星海", gazetteer) == ""


def test_a_word_has_one_value_per_feature(gazetteer: Table) -> None:
    assert len(word_features("华为", gazetteer)) == len(FEATURES)


def test_the_shipped_vocab_holds_the_gazetteer() -> None:
    vocab = Vocab().from_disk(DEFAULT_MODEL / "vocab")
    assert gazetteer_of(vocab)["华为"] == "COMPANY"


def test_a_vocab_without_the_gazetteer_says_to_run_make_model() -> None:
    with pytest.raises(ValueError, match="make model"):
        gazetteer_of(Vocab())
