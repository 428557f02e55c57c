import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.convert import Converter, converter, detect_script

# Traditional text with the characters that conversions change, ASCII, emoji (astral plane),
# a CJK Extension B character, a combining mark and line breaks.
TRADITIONAL = "中國擴大資料中心電費補貼國產晶片輝達執行長網際網路軟體記憶體與發展這個們說"
ALPHABET = TRADITIONAL + "abcXYZ0129 ,.%（）「」，。！\n\x00😀👩‍💻𠀀e\u0301"
NAMES = ["輝達", "網際網路", "執行長", "晶片", "黃仁勳", "資料中心", "軟體"]


def test_t2s_keeps_length_and_offsets():
    converted = converter("t2s")("輝達執行長黃仁勳")
    assert converted.text == "辉达执行长黄仁勋"
    assert converted.offsets.span(5, 8) == (5, 8)


def test_t2s_folds_hong_kong_variants():
    assert converter("t2s")("衞生署與曾國衞").text == "卫生署与曾国卫"


def test_names_keep_the_characters_simplified_text_keeps_in_names():
    assert converter("t2s")("華為昇騰，蔡昇甫表示").text == "华为昇腾，蔡昇甫表示"
    assert converter("t2s")("记者 沈思涵 发自义乌").text == "记者 沈思涵 发自义乌"  # not 沉思


def test_tw2sp_rewrites_phrases_with_exact_offsets():
    original = "輝達執行長黃仁勳說"
    converted = converter("tw2sp")(original)
    assert converted.text.startswith("英伟达")
    start = converted.text.index("黄仁勋")
    assert converted.offsets.span(start, start + 3) == (5, 8)
    assert converted.offsets.span(0, 3) == (0, 2)  # 英伟达 came from 輝達


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="t2s"):
        Converter("x2y")


@pytest.mark.parametrize("mode", ["t2s", "tw2sp"])
@settings(max_examples=150, deadline=None)
@given(
    before=st.text(alphabet=ALPHABET, max_size=40),
    name=st.sampled_from(NAMES),
    after=st.text(alphabet=ALPHABET, max_size=40),
)
def test_a_name_maps_back_to_exactly_where_it_was(mode, before, name, after):
    # Punctuation around the name keeps OpenCC from reading it as part of a longer phrase.
    original = f"{before}，{name}，{after}"
    converted = converter(mode)(original)
    name_converted = converter(mode).text(name)
    start = (
        converted.text.index("，" + name_converted + "，", len(converter(mode).text(before))) + 1
    )
    mapped = converted.offsets.span(start, start + len(name_converted))
    assert original[mapped[0] : mapped[1]] == name
    assert mapped[0] == len(before) + 1


@pytest.mark.parametrize("mode", ["t2s", "tw2sp"])
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=120))
def test_every_converted_character_maps_inside_the_original_in_order(mode, text):
    converted = converter(mode)(text)
    assert converted.text == converter(mode).text(text) or "\n" in text
    assert converted.offsets.span(0, len(converted.text)) == (0, len(text))
    previous = 0
    for index in range(len(converted.text)):
        start, end = converted.offsets.span(index, index + 1)
        assert previous <= start <= end <= len(text)
        previous = start


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=120))
def test_t2s_is_character_for_character(text):
    converted = converter("t2s")(text)
    assert len(converted.text) == len(text)
    for index in range(len(text)):
        assert converted.offsets.span(index, index + 1) == (index, index + 1)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("輝達執行長黃仁勳", "trad"),
        ("英伟达首席执行官黄仁勋", "simp"),
        ("英伟达说輝達國際與這個發展", "mixed"),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script
