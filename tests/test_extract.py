"""The sample page end to end against its hand-made gold annotation."""

import json

import jsonschema
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.evaluate import score_document
from pipeline.extract import Extractor, batches_by_characters
from pipeline.ingest import iter_documents
from pipeline.types import DEFAULT_MODEL, Document, Options
from pipeline.write import load_schema

FURNITURE_ONLY = [
    "曼達尼",
    "吳弭",
    "紐約",
    "波士頓",
    "Shein",
    "Palantir",
    "AMD",
    "全紅嬋",
    "CNN",
    "山東",
]


def _entities(record):
    return {(entity["type"], entity["name"]): entity for entity in record["entities"]}


def test_every_required_gold_entity_is_found_with_type_and_canonical_name(sample_record, gold):
    found = _entities(sample_record)
    missing = [
        (entity["type"], entity["canonical"])
        for entity in gold["entities"]
        if not entity.get("optional") and (entity["type"], entity["canonical"]) not in found
    ]
    assert missing == []


def test_document_f1_is_at_least_095(sample_record, gold):
    assert score_document(gold, sample_record)["ALL"].f1 >= 0.95


def test_no_entity_comes_from_page_furniture(sample_record, sample_document):
    article = sample_record["article"]
    for entity in sample_record["entities"]:
        for mention in entity["mentions"]:
            assert mention["text"] not in FURNITURE_ONLY
            assert article["start"] <= mention["start"] < mention["end"] <= article["end"]


def test_roles_are_found(sample_record, gold):
    roles = {
        (fact["subject"]["name"], fact["value"]["title"], fact["object"]["name"])
        for fact in sample_record["facts"]
        if fact["type"] == "holds_position" and fact["object"]
    }
    for role in gold["roles"]:
        assert (role["person"], role["title"], role["org"]) in roles


def test_makes_and_located_in_are_found_with_evidence(sample_record, gold, sample_document):
    facts = {
        (fact["type"], fact["subject"]["name"], fact["object"]["name"]): fact
        for fact in sample_record["facts"]
        if fact["object"]
    }
    for relation in gold["relations"]:
        if relation["type"] not in ("makes", "located_in"):
            continue
        fact = facts[(relation["type"], relation["subject"], relation["object"])]
        assert relation["evidence"] in fact["evidence"]["text"]


def test_every_offset_indexes_the_original_text(sample_record, sample_document):
    original = sample_document.text
    for entity in sample_record["entities"]:
        for mention in entity["mentions"]:
            assert original[mention["start"] : mention["end"]] == mention["text"]
    for fact in sample_record["facts"]:
        evidence = fact["evidence"]
        assert original[evidence["start"] : evidence["end"]] == evidence["text"]


def test_offsets_hold_under_tw2sp_which_changes_lengths(nlp, sample_document):
    record = Extractor(Options(conversion="tw2sp"), nlp=nlp)(sample_document)
    original = sample_document.text
    names = set()
    for entity in record["entities"]:
        names.add(entity["name"])
        for mention in entity["mentions"]:
            assert original[mention["start"] : mention["end"]] == mention["text"]
    assert {"英伟达", "黄仁勋", "昇腾910C"} <= names


def test_simplified_input_gives_the_same_entities_as_traditional(extractor, tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"id": "trad", "text": "輝達執行長黃仁勳表示，華為的昇騰910C晶片進步很快。"},
        {"id": "simp", "text": "英伟达首席执行官黄仁勋表示，华为的昇腾910C芯片进步很快。"},
    ]
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    trad, simp = (extractor(document) for document in iter_documents([path]))
    assert set(_entities(trad)) == set(_entities(simp))
    assert trad["script"] == "trad" and simp["script"] == "simp"


HOSTILE_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),  # any code point, astral included
    st.sampled_from(list("輝達黃仁勳華為台積電晶片執行長網際網路，。「」（）\n 　ＡＢＣ１２３")),
    st.sampled_from(["👩\u200d💻", "🇹🇼", "e\u0301", "\x00", "\x1b", "한국어", "日本語のテキスト"]),
)


HOSTILE_EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_offsets_exact(record, text):
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for item in [*record["facts"], *record["values"]]:
        evidence = item["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.parametrize("conversion", ["t2s", "tw2sp"])
@HOSTILE_EXAMPLES
@given(pieces=st.lists(HOSTILE_ALPHABET, max_size=80))
def test_offsets_stay_exact_on_hostile_text(nlp, conversion, pieces):
    text = "".join(pieces) + "，輝達執行長黃仁勳說，" + "".join(reversed(pieces))
    document = Document(doc_id="h", text=text, source="test", format="jsonl")
    record = Extractor(Options(conversion=conversion), nlp=nlp)(document)
    jsonschema.validate(record, load_schema())
    _assert_offsets_exact(record, text)
    assert "黄仁勋" in {entity["name"] for entity in record["entities"]}


def test_a_text_longer_than_spacy_accepts_goes_through_in_pieces(nlp, monkeypatch):
    monkeypatch.setattr(nlp, "max_length", 2_000)
    extractor = Extractor(nlp=nlp)
    paragraph = "美國商務部週三宣布新的出口管制措施，業界正在評估衝擊。\n"
    text = "輝達執行長黃仁勳表示。\n" + paragraph * 300 + "台積電董事長魏哲家說，黃仁勳來訪。"
    record = extractor(Document(doc_id="long", text=text, source="test", format="txt"))
    jsonschema.validate(record, load_schema())
    _assert_offsets_exact(record, text)
    mentions = {entity["name"]: entity["mentions"] for entity in record["entities"]}
    assert [mention["start"] for mention in mentions["黄仁勋"]] == [5, text.rindex("黃仁勳")]
    assert "台积电" in mentions


def test_a_long_line_with_no_punctuation_is_cut_at_a_fixed_size(nlp):
    extractor = Extractor(Options(), nlp=nlp)
    extractor.piece_characters = 2_000
    text = ("市場需求持續增加價格上漲輝達執行長黃仁勳表示" * 600)[:12_345]
    record = extractor(Document(doc_id="line", text=text, source="test", format="txt"))
    _assert_offsets_exact(record, text)
    (huang,) = [entity for entity in record["entities"] if entity["name"] == "黄仁勋"]
    # One entity over all pieces; only a name that a fixed-size cut splits in two is lost.
    cuts = len(text) // extractor.piece_characters
    assert text.count("黃仁勳") - cuts <= len(huang["mentions"]) <= text.count("黃仁勳")
    assert huang["mentions"][-1]["start"] == text.rindex("黃仁勳")


@pytest.mark.parametrize("conversion", ["t2s", "tw2sp"])
@HOSTILE_EXAMPLES
@given(pieces=st.lists(HOSTILE_ALPHABET, max_size=60))
def test_offsets_stay_exact_across_piece_boundaries(nlp, conversion, pieces):
    text = "".join(pieces) + "輝達執行長黃仁勳說，網際網路。" + "".join(reversed(pieces))
    extractor = Extractor(Options(conversion=conversion), nlp=nlp)
    extractor.piece_characters = 9
    record = extractor(Document(doc_id="h", text=text, source="test", format="jsonl"))
    jsonschema.validate(record, load_schema())
    _assert_offsets_exact(record, text)


def test_statistical_batches_are_bounded():
    # The NER's memory grows with the batch: groups stay under the limit, in order, and a text
    # longer than the limit goes alone.
    texts = ["甲" * 6, "乙" * 5, "丙" * 20, "丁" * 3, "戊" * 4]
    groups = list(batches_by_characters(texts, 12))
    assert groups == [["甲" * 6, "乙" * 5], ["丙" * 20], ["丁" * 3, "戊" * 4]]


def test_numpy_matmul_changes_no_tag_of_thincs_default_ops(nlp, sample_document, news_folder):
    # load_pipeline multiplies through numpy's BLAS for speed; what the model finds must not move.
    default = spacy.load(DEFAULT_MODEL)
    assert not nlp.get_pipe("tok2vec").model.ops.use_blis
    assert default.get_pipe("tok2vec").model.ops.use_blis
    news = sorted(news_folder.glob("*.txt"))
    texts = [sample_document.text] + [path.read_text(encoding="utf-8") for path in news]
    for fast, reference in zip(nlp.pipe(texts), default.pipe(texts), strict=True):
        assert any(token.tag_ for token in fast)
        assert [token.tag_ for token in fast] == [token.tag_ for token in reference]
        assert [(ent.start, ent.end, ent.label_) for ent in fast.ents] == [
            (ent.start, ent.end, ent.label_) for ent in reference.ents
        ]
