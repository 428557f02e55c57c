import spacy

from pipeline.segment import JiebaTokenizer


def test_user_words_stay_whole(nlp):
    doc = nlp.make_doc("寒武纪推出思元590芯片")
    assert "寒武纪" in [token.text for token in doc]


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
