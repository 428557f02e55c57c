import json
from pathlib import Path

import jieba
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

from pipeline.segment import KEPT_WORD_ATTRIBUTES, JiebaTokenizer, hmm_words, words_and_spaces


def test_user_words_stay_whole(nlp):
    doc = nlp.make_doc("寒武纪推出思元590芯片")
    assert "寒武纪" in [token.text for token in doc]


def test_new_words_get_only_the_kept_attributes(nlp):
    doc = nlp.make_doc("测绘局长王某某说，2030年\n见 www.example.cn")
    assert len(nlp.vocab.lex_attr_getters) == len(KEPT_WORD_ATTRIBUTES)
    assert [token.is_punct for token in doc if token.text == "，"] == [True]
    assert [token.is_space for token in doc if token.text == "\n"] == [True]
    assert not any(token.like_url or token.norm_ or token.shape_ for token in doc)


def test_tokens_cover_the_text_exactly(nlp):
    text = "英伟达 H20 芯片\n售价  约 2 万美元。"
    doc = nlp.make_doc(text)
    assert doc.text == text


def test_user_dictionary_survives_to_disk_and_load(tmp_path):
    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1"}}}
    )
    tokenizer: JiebaTokenizer = nlp.tokenizer
    before = [token.text for token in nlp.make_doc("摩尔线程发布新卡")]
    tokenizer.set_user_words(["摩尔线程"])
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    after = [token.text for token in loaded.make_doc("摩尔线程发布新卡")]
    assert "摩尔线程" not in before
    assert "摩尔线程" in after
    assert loaded.tokenizer.user_words == tokenizer.user_words


SEED = Path(__file__).resolve().parent.parent / "corpus" / "raw"


def _real_news(msra_test: Path) -> list[str]:
    """The sample page and the MSRA news test set (People's Daily), plus jieba's corner cases."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.txt"))]
    with msra_test.open(encoding="utf-8") as lines:
        texts += [json.loads(line)["text"] for line in lines]
    texts += ["411月--次年3月", "古埃及各代法老都塟于国王谷", "2025-11-05 a  b\n\tc", "鿰𠮷野家"]
    return texts


@pytest.mark.parametrize("user_words", [True, False])
@pytest.mark.parametrize("hmm", [True, False])
def test_tokens_are_exactly_jiebas_on_real_news(nlp, ner_data, user_words, hmm):
    tokenizer = JiebaTokenizer(nlp.vocab, hmm=hmm)
    if user_words:
        tokenizer.user_words = nlp.tokenizer.user_words
    reference = jieba.Tokenizer()
    for word, frequency in tokenizer.user_words.items():
        reference.add_word(word, frequency)
    texts = _real_news(ner_data("msra/test.jsonl"))
    assert len(texts) > 3000
    differ = [text for text in texts if tokenizer.cut(text) != reference.lcut(text, HMM=hmm)]
    assert differ == []


@pytest.mark.parametrize(
    "run",
    ["心心心心心", "泪泪泪泪泪泪泪", "笑点低伦家唐唐唐唐秋云霖魏"]
    + ["都塟于", "歎爲觀止", "abc12.5%中文"],
)
def test_hmm_words_are_jiebas_even_between_equally_likely_paths(run):
    # Repeated or unknown characters make paths of equal probability: jieba's choice is kept.
    assert hmm_words(run) == list(jieba.finalseg.cut(run))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="英伟达芯片售价约美元 \t\n\r　aH2。", max_size=40))
def test_words_and_spaces_match_spacys(text):
    words = jieba.lcut(text)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)
