"""Linking: one entity per canonical id, canonical names, and the news-text targets of issue 3."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.extract import Extractor
from pipeline.link import link_entities
from pipeline.types import Document, Options

ROOT = Path(__file__).resolve().parents[1]
MEASURE = ROOT / "models" / "knowledge" / "scripts" / "measure.py"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Options(model=ROOT / "models" / "zh_news"))


def entities(extractor: Extractor, text: str) -> dict[str, dict]:
    record = extractor(Document("test", text, "test", "txt"))
    return {entity["id"]: entity for entity in record["entities"]}


def test_all_forms_of_a_name_are_one_entity_with_original_offsets(extractor: Extractor) -> None:
    text = "Nvidia輝達(另稱英偉達)與英伟达"
    nvidia = entities(extractor, text)["company/nvidia"]
    assert nvidia["name"] == "英伟达"
    assert [m["text"] for m in nvidia["mentions"]] == ["Nvidia", "輝達", "英偉達", "英伟达"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in nvidia["mentions"])


def test_a_chip_read_by_the_grammar_keeps_its_canonical_name(extractor: Extractor) -> None:
    chip = entities(extractor, "華為昇騰910E晶片")["chip/昇腾910E"]
    assert (chip["type"], chip["name"]) == ("CHIP", "昇腾910E")
    assert chip["mentions"][0]["text"] == "昇騰910E"


def test_an_official_no_list_knows_is_named_from_the_text(extractor: Extractor) -> None:
    official = entities(extractor, "菲律賓外長卡里尼奧表示")["person/卡里尼奥"]
    assert (official["type"], official["name"]) == ("OFFICIAL", "卡里尼奥")


def test_a_dotted_name_is_named_with_the_middle_dot(extractor: Extractor) -> None:
    assert "person/克拉拉·贝尔蒂" in entities(extractor, "無國界醫生協調員克拉拉．貝爾蒂表示")


def test_a_capital_that_stands_for_its_government_once_is_a_gpe(extractor: Extractor) -> None:
    beijing = entities(extractor, "峰會將在北京舉行。巴黎將繼續與北京方面保持對話。")["place/cn-11"]
    assert (beijing["type"], len(beijing["mentions"])) == ("GPE", 2)


def test_a_company_named_in_full_and_short_is_one_company_under_its_short_name(
    extractor: Extractor,
) -> None:
    text = "深圳星衍智能科技有限公司成立於2021年。星衍智能創始人羅子騫表示，星衍智能將擴產。"
    company = entities(extractor, text)["company/星衍智能"]
    assert [mention["text"] for mention in company["mentions"]] == [
        "深圳星衍智能科技有限公司",
        "星衍智能",
        "星衍智能",
    ]


def test_a_bare_ministry_name_is_the_one_the_text_named_in_full(extractor: Extractor) -> None:
    found = entities(extractor, "美國商務部週二表示，商務部將展開調查。")
    commerce = [entity for entity in found.values() if entity["type"] == "ORG"]
    assert len(commerce) == 1
    assert [m["text"] for m in commerce[0]["mentions"]] == ["美國商務部", "商務部"]


def test_a_bare_ministry_name_is_the_full_one_also_beside_a_title(extractor: Extractor) -> None:
    # 司法部 inside the title is the US department already; the bare 司法部 follows the full name.
    found = entities(extractor, "美國司法部起訴谷歌。司法部長邦迪說，司法部將上訴。")
    assert [identifier for identifier in found if identifier.startswith("org/")] == ["org/us-doj"]


def test_a_name_no_list_knows_is_the_known_one_it_spells_in_brackets(
    extractor: Extractor,
) -> None:
    found = entities(extractor, "保守黨黨魁巴德諾赫（Kemi Badenoch）批評政府。")
    assert [m["text"] for m in found["person/kemi-badenoch"]["mentions"]] == [
        "巴德諾赫",
        "Kemi Badenoch",
    ]


@pytest.mark.parametrize(
    ("text", "identifier", "name"),
    [
        ("日本經濟產業省週二表示", "org/jp-meti", "经济产业省"),
        ("英國保守黨批評政府", "org/gb-conservative", "保守党"),
    ],
)
def test_a_body_whose_own_name_is_unique_is_named_without_its_country(
    extractor: Extractor, text: str, identifier: str, name: str
) -> None:
    assert entities(extractor, text)[identifier]["name"] == name


def test_a_short_company_name_is_the_company_the_text_named_in_full(extractor: Extractor) -> None:
    found = entities(extractor, "長榮航空董事長林寶水表示，長榮今年將擴充機隊。")
    companies = [entity for entity in found.values() if entity["type"] == "COMPANY"]
    assert [[m["text"] for m in company["mentions"]] for company in companies] == [
        ["長榮航空", "長榮"]
    ]


def test_a_company_named_by_its_own_name_stays_apart_from_a_longer_one(
    extractor: Extractor,
) -> None:
    found = entities(extractor, "长荣航空与长荣海运同属长荣集团。")
    assert {"company/evergreen-marine", "company/eva-air"} <= set(found)


def test_a_bare_body_name_in_a_story_about_one_region_is_that_regions(
    extractor: Extractor,
) -> None:
    text = "澳門特區政府向立法會提交報告。行政長官岑浩輝表示，澳門經濟復甦，澳門大學學者認同。"
    assert "org/mo-legco" in entities(extractor, text)  # not Hong Kong's 立法会


def test_a_report_in_simplified_about_taiwan_keeps_the_mainlands_ministries(
    extractor: Extractor,
) -> None:
    text = "外交部发言人毛宁表示，台湾是中国领土，赖清德当局在台北的言论，台湾民众不认同。"
    assert "org/cn-mfa" in entities(extractor, text)


def test_a_taiwan_articles_bare_ministry_is_taiwans_named_as_taiwan_names_it(
    extractor: Extractor,
) -> None:
    text = "國防部今天表示，台灣在台北、高雄與花蓮舉行漢光演習。"
    assert entities(extractor, text)["org/tw-mnd"]["name"] == "国防部"


def test_a_taiwan_articles_bare_ministry_stays_taiwans_beside_a_foreign_one(
    extractor: Extractor,
) -> None:
    text = "國防部宣布漢光演習在台北、高雄與花蓮舉行。發言人孫立方說，將與美國國防部協調。"
    found = entities(extractor, text)
    assert [m["text"] for m in found["org/tw-mnd"]["mentions"]] == ["國防部"]
    assert [m["text"] for m in found["org/us-dod"]["mentions"]] == ["美國國防部"]


def test_a_bare_name_before_the_full_one_keeps_its_usual_meaning(extractor: Extractor) -> None:
    found = entities(extractor, "国务院批复设立保护区。美国国务院随即发表声明。")
    assert [m["text"] for m in found["org/cn-state-council"]["mentions"]] == ["国务院"]


def test_a_bare_ministry_name_alone_keeps_its_usual_meaning(extractor: Extractor) -> None:
    assert "org/cn-mofcom" in entities(extractor, "商務部將展開調查。")


def test_a_short_form_in_brackets_means_the_full_name_before_it(extractor: Extractor) -> None:
    found = entities(extractor, "香港證券及期貨事務監察委員會（證監會）表示，證監會將加強監管。")
    assert list(found) == ["org/hk-sfc"]
    assert len(found["org/hk-sfc"]["mentions"]) == 3


def test_hand_written_news_texts_meet_the_issue_targets() -> None:
    spec = importlib.util.spec_from_file_location("measure", MEASURE)
    assert spec is not None and spec.loader is not None
    measure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(measure)
    scores, right, checked = measure.news(ROOT / "models" / "zh_news")
    assert scores["COMPANY"].f1 >= 0.90
    assert scores["CHIP"].f1 >= 0.90
    assert scores["PROVINCE"].f1 >= 0.95
    assert right / checked >= 0.95


def test_a_latin_name_in_brackets_is_the_name_before_it(extractor: Extractor) -> None:
    text = "秘书长纳立·特斯迪拉素迪（Narit Therdsteerasukdi）表示"
    doc = extractor.nlp.make_doc(text)
    doc.ents = [
        doc.char_span(3, 12, label="OFFICIAL"),
        doc.char_span(13, 35, label="COMPANY"),  # as the model reads a Latin name it does not know
    ]
    linked = link_entities(doc, extractor.knowledge, text, lambda start, end: (start, end), "simp")
    assert [(entity.type, [m.text for m in entity.mentions]) for entity in linked] == [
        ("OFFICIAL", ["纳立·特斯迪拉素迪", "Narit Therdsteerasukdi"])
    ]


def test_a_known_persons_namesake_is_told_by_the_latin_name_in_brackets(
    extractor: Extractor,
) -> None:
    # 鲍曼 is Michelle Bowman of the Fed in the knowledge; this one is a German member
    namesake = entities(extractor, "聯邦議院議員鮑曼（Lena Baumann）批評")
    assert "person/鲍曼" in namesake
    assert "person/michelle-bowman" in entities(extractor, "美聯儲理事鮑曼（Michelle Bowman）表示")


def test_a_district_written_with_its_city_is_the_city_and_the_district(
    extractor: Extractor,
) -> None:
    found = entities(extractor, "公司位于深圳市南山区，去年在南山区设立实验室。")
    assert found["place/cn-440300"]["name"] == "深圳"
    district = found["place/cn-440305"]
    assert district["name"] == "南山区"
    assert [mention["text"] for mention in district["mentions"]] == ["南山区", "南山区"]


def test_a_zone_keeps_its_city_in_its_name(extractor: Extractor) -> None:
    found = entities(extractor, "工厂位于北京经济技术开发区。")
    assert [entity["name"] for entity in found.values()] == ["北京经济技术开发区"]


def test_a_person_named_later_by_the_end_of_the_full_name_is_one_person(
    extractor: Extractor,
) -> None:
    found = entities(extractor, "巫统主席阿末扎希则表示，巫统将参选。扎希说：国阵有基础。")
    people = [entity for entity in found.values() if entity["type"] in ("PERSON", "OFFICIAL")]
    assert [[mention["text"] for mention in person["mentions"]] for person in people] == [
        ["阿末扎希", "扎希"]
    ]


def test_a_taiwan_articles_township_without_its_level_is_no_mainland_city(
    extractor: Extractor,
) -> None:
    text = (
        "屏東縣鹽埔鄉、長治鄉近兩週傳出疫情。縣府將在鹽埔、長治兩鄉交界設置清洗站，屏東縣政府說。"
    )
    places = entities(extractor, text)
    assert "place/tw-pif-changzhi" in places
    assert "place/cn-140400" not in places  # the city of 长治 in Shanxi


def test_a_taiwan_articles_bare_district_is_taiwans_and_lies_in_its_city(
    extractor: Extractor,
) -> None:
    text = "台北大巨蛋週邊交通，松山區與信義區交通管制，台北市長蔣萬安說，台北市政府將協調。"
    record = extractor(Document("test", text, "test", "txt"))
    assert "place/tw-tpe-songshan" in {entity["id"] for entity in record["entities"]}
    located = {(f["subject"]["id"], f["object"]["id"]) for f in record["facts"]}
    assert ("place/tw-tpe-songshan", "place/tw-tpe") in located


def test_a_foreign_place_in_a_chinese_story_is_not_a_chinese_place_ending_like_it(
    extractor: Extractor,
) -> None:
    text = "商务部已要求柏林尽快与北京斡旋。外交部和工信部表示，上海和广东企业受影响。"
    berlin = [entity for entity in entities(extractor, text).values() if entity["name"] == "柏林"]
    assert [entity["id"] for entity in berlin] == ["place/de-berlin"]


def test_a_hong_kong_body_is_named_as_hong_kong_names_it(extractor: Extractor) -> None:
    found = entities(extractor, "香港立法會今日通過議案，香港金融管理局表示歡迎。")
    assert found["org/hk-legco"]["name"] == "立法会"  # the region is a note in the lists
    assert found["org/hk-hkma"]["name"] == "香港金融管理局"  # ... but part of this name


def test_a_region_written_as_one_word_in_a_body_s_english_name_is_part_of_it(
    extractor: Extractor,
) -> None:
    found = entities(extractor, "香港郵政表示，將推出新服務。")
    assert found["org/hk-post"]["name"] == "香港邮政"  # Hongkong Post


def test_a_taiwan_agency_is_named_without_its_ministry(extractor: Extractor) -> None:
    found = entities(extractor, "中央氣象署表示，颱風明天登陸花蓮。")
    assert found["org/tw-cwa"]["name"] == "中央气象署"  # listed as 交通部中央气象署


def test_a_japanese_surname_alone_is_the_person_named_in_full_before(extractor: Extractor) -> None:
    found = entities(extractor, "经济再生担当大臣赤泽亮正加快与美国谈判。赤泽此前已多次赴华盛顿。")
    minister = next(entity for entity in found.values() if entity["name"] == "赤泽亮正")
    assert [mention["text"] for mention in minister["mentions"]] == ["赤泽亮正", "赤泽"]
    assert not any(entity["name"] == "赤泽" for entity in found.values())


def test_a_mainland_town_lies_in_its_province(extractor: Extractor) -> None:
    record = extractor(Document("test", "北京大兴机场附近的榆垡镇开设助餐点。", "test", "txt"))
    located = {(f["subject"]["id"], f["object"]["id"]) for f in record["facts"]}
    assert ("place/cn-110115-榆垡镇", "place/cn-11") in located  # in Beijing


def test_a_mainland_town_in_a_traditional_text_needs_its_county_or_city(
    extractor: Extractor,
) -> None:
    alone = entities(extractor, "台中市大甲鎮瀾宮的遶境今天起駕，大甲鎮民沿路迎接。")
    assert not [identifier for identifier in alone if "大甲镇" in identifier]
    assert "place/cn-110115-榆垡镇" in entities(extractor, "北京市大興區榆垡鎮的老人說。")


def test_a_foreign_country_is_no_mainland_township_of_its_name(extractor: Extractor) -> None:
    places = entities(extractor, "广东省商务厅说，广州的车企在巴西设厂，深圳企业也将跟进。")
    assert "place/br" in places
    assert not [identifier for identifier in places if "巴西乡" in identifier]
