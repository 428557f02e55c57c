"""Long texts in pieces: cuts at paragraph and sentence ends, and the join of their results."""

from hypothesis import given
from hypothesis import strategies as st

from pipeline.pieces import cut, join
from pipeline.types import Entity, Mention


def test_a_short_text_is_one_piece():
    assert cut("輝達執行長黃仁勳表示。", size=100) == [(0, 11)]


def test_pieces_end_at_a_paragraph_else_a_sentence_else_the_size():
    assert cut("一二三四五六。\n七八九十。十一十二", size=10) == [(0, 8), (8, 17)]
    assert cut("一二三四五六。七八九十一二三", size=10) == [(0, 7), (7, 14)]
    assert cut("甲" * 25, size=10) == [(0, 10), (10, 20), (20, 25)]


@given(text=st.text(alphabet=st.sampled_from("輝達a 。\n！👩\u200d💻"), max_size=300))
def test_pieces_cover_the_text_in_order_and_none_is_too_long(text):
    pieces = cut(text, size=17)
    assert "".join(text[start:end] for start, end in pieces) == text
    assert all(0 < end - start <= 17 for start, end in pieces) or text == ""


def test_an_entity_named_in_two_pieces_is_joined_with_all_its_mentions():
    first = Entity("person/黄仁勋", "PERSON", "黄仁勋", None, (Mention("黃仁勳", 5, 8),))
    second = Entity("person/黄仁勋", "OFFICIAL", "黄仁勋", None, (Mention("黃仁勳", 30, 33),))
    company = Entity("company/nvidia", "COMPANY", "英伟达", "NVIDIA", (Mention("輝達", 20, 22),))
    entities, facts, values = join([([first], [], []), ([company, second], [], [])])
    assert [entity.id for entity in entities] == ["person/黄仁勋", "company/nvidia"]
    assert entities[0].type == "OFFICIAL"
    assert [mention.start for mention in entities[0].mentions] == [5, 30]
    assert facts == [] and values == []
