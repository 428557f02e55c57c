"""The statistical NER in the shipped pipeline: native labels -> taxonomy types, officials from
context, the quality gate on CLUENER2020 dev, and document-level scores on news-style texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.build import build_pipeline
from pipeline.evaluate import Score, evaluate, predict_spans, read_gold, score_spans
from pipeline.extract import Extractor, load_pipeline
from pipeline.ner import NATIVE_DATA, TYPES_PIPE, biluo_spans
from pipeline.tag import TITLES_KEY
from pipeline.types import DEFAULT_MODEL, STATISTICAL_COMPONENTS, Document, Options

ROOT = Path(__file__).resolve().parent.parent
DEV_SAMPLE = 400  # the first sentences of CLUENER dev: enough for a gate, fast enough for CI

# Pinned from `zhfacts eval` on the first DEV_SAMPLE dev sentences with the committed model
# (measured 2026-12-05 after the last retraining: name 0.685, company 0.699, government 0.783,
# organization 0.693, position 0.783, address 0.546, micro 0.690; see models/README.md), one to
# two points below: a drop below any of them is a regression, not the noise of a retraining on a
# few hundred spans (name moved from 0.743 to 0.685 with the last retraining alone, while the
# whole dev set's micro F1 stayed at 0.702).
DEV_FLOORS = {
    "name": 0.67,
    "company": 0.68,
    "government": 0.75,
    "organization": 0.68,
    "position": 0.75,
    "address": 0.51,
    "ALL": 0.68,
}
# Document level on tests/data/news (154 news-style texts written for these tests, the dev set
# of the rules); measured OFFICIAL 0.976, PERSON 0.918, ORG 0.877, GPE 0.928, micro 0.919
# (`zhfacts eval tests/data/news`, models/README.md); the floors leave a margin below that.
NEWS_FLOORS = {"OFFICIAL": 0.96, "PERSON": 0.90, "ORG": 0.86, "GPE": 0.91, "ALL": 0.90}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def extractor(nlp: Language) -> Extractor:
    return Extractor(Options(), nlp)


def with_model_output(
    nlp: Language, text: str, native: list[tuple[str, str]], words: list[str] | None = None
) -> Doc:
    """Run the rules on `text` as if the model had found `native` (substring, label) pairs,
    in text order: a substring named twice is its first and then its next occurrence. `words`
    are the tokens, where they are not jieba's."""
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words)) if words else nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name in STATISTICAL_COMPONENTS or name == TYPES_PIPE:
            continue
        doc = component(doc)
    found, start = [], 0
    for part, label in native:
        start = text.index(part, start)
        found.append((start, start + len(part), label))
        start += 1
    doc.user_data[NATIVE_DATA] = found
    return nlp.get_pipe(TYPES_PIPE)(doc)


def entities(doc: Doc) -> dict[str, str]:
    return {ent.text: ent.label_ for ent in doc.ents}


def extracted_types(extractor: Extractor, text: str) -> dict[str, str]:
    record = extractor(Document("test", text, "test.txt", "txt"))
    return {mention["text"]: e["type"] for e in record["entities"] for mention in e["mentions"]}


def test_biluo_tags_become_spans_even_when_the_sequence_is_broken() -> None:
    tags = ["O", "B-name", "L-name", "U-company", "I-address", "L-address", "B-position", "O"]
    assert biluo_spans(tags) == [
        (1, 3, "name"),
        (3, 4, "company"),
        (4, 6, "address"),
        (6, 7, "position"),
    ]


def test_viterbi_turns_broken_tag_guesses_into_whole_entities(nlp: Language) -> None:
    tagger = nlp.get_pipe("ner_tagger")
    labels = list(tagger.labels)
    scores = numpy.full((4, len(labels)), -5.0, dtype="f")
    # Argmax alone reads O, B-name, U-company, O: the name never ends.
    guesses = [("O", "O"), ("B-name", "U-name"), ("U-company", "L-name"), ("O", "O")]
    for row, (best, second) in enumerate(guesses):
        scores[row, labels.index(second)] = 1.5
        scores[row, labels.index(best)] = 2.0
    (guess,) = tagger._scores2guesses([scores])
    assert [labels[i] for i in guess] == ["O", "B-name", "L-name", "O"]


def test_trained_components_survive_a_knowledge_rebuild(nlp: Language) -> None:
    rebuilt = build_pipeline(ROOT / "models" / "knowledge", previous=nlp)
    assert rebuilt.pipe_names == nlp.pipe_names


def test_native_labels_get_taxonomy_types(nlp: Language) -> None:
    doc = with_model_output(
        nlp,
        "星海科技与环保署都读过《三体》。",
        [("星海科技", "company"), ("环保署", "government"), ("《三体》", "book")],
    )
    assert entities(doc) == {"星海科技": "COMPANY", "环保署": "ORG"}
    assert [span.label_ for span in doc.spans["ner"]] == ["company", "government", "book"]


def test_addresses_become_provinces_or_places_and_streets_are_dropped(nlp: Language) -> None:
    doc = with_model_output(
        nlp,
        "他从乔治亚州搬到中关村大街27号，又去了塞格德。",
        [("乔治亚州", "address"), ("中关村大街27号", "address"), ("塞格德", "address")],
    )
    assert entities(doc) == {"乔治亚州": "PROVINCE", "塞格德": "GPE"}


def test_an_address_loses_the_level_of_the_province_before_it(nlp: Language) -> None:
    text = "三描礼士省马辛洛克镇的渔民"  # jieba's 三描|礼士|省马辛|洛克|镇
    doc = with_model_output(nlp, text, [("省马辛洛克镇", "address")])
    assert entities(doc).get("马辛洛克镇") == "GPE"


def test_an_address_that_starts_with_a_word_is_no_place(nlp: Language) -> None:
    doc = with_model_output(nlp, "货物经市区码头转运", [("市区码头", "address")])
    assert entities(doc) == {}


def test_a_known_place_found_by_the_model_gets_its_knowledge_id(nlp: Language) -> None:
    doc = nlp.make_doc("杭州")
    doc.user_data[NATIVE_DATA] = [(0, 2, "address")]
    doc = nlp.get_pipe(TYPES_PIPE)(doc)
    knowledge = nlp.get_pipe("zhfacts_knowledge_ruler").knowledge
    hangzhou = next(entry for entry in knowledge.entries.values() if entry.name == "杭州")
    assert [(ent.label_, ent.kb_id_) for ent in doc.ents] == [("GPE", hangzhou.id)]


def test_a_name_next_to_an_office_is_an_official(nlp: Language) -> None:
    doc = with_model_output(
        nlp, "发言人张晓明说，部长会见了周立波。", [("张晓明", "name"), ("周立波", "name")]
    )
    assert entities(doc)["张晓明"] == "OFFICIAL"
    assert entities(doc)["周立波"] == "PERSON"


def test_a_name_before_its_title_is_an_official(nlp: Language) -> None:
    doc = with_model_output(nlp, "赵海峰总理今天表示", [("赵海峰", "name")])
    assert entities(doc)["赵海峰"] == "OFFICIAL"


def test_a_name_after_a_title_and_a_second_role_is_an_official(nlp: Language) -> None:
    text = "副行长兼财务负责人彭家文介绍"
    doc = with_model_output(nlp, text, [("彭家文", "name")])
    assert entities(doc) == {"彭家文": "OFFICIAL"}


@pytest.mark.parametrize(
    ("text", "label"),
    [("商人郑国栋至今仍任公司董事长", "OFFICIAL"), ("商人郑国栋曾任公司董事长", "PERSON")],
)
def test_a_name_said_to_hold_a_title_further_on_is_an_official(
    nlp: Language, text: str, label: str
) -> None:
    doc = with_model_output(nlp, text, [("郑国栋", "name")])
    assert entities(doc)["郑国栋"] == label


def test_names_listed_after_a_former_title_are_persons(nlp: Language) -> None:
    text = "已导致前国家主席阮春福、武文赏以及前国会主席王廷惠相继辞职"
    native = [("阮春福", "name"), ("武文赏", "name"), ("王廷惠", "name")]
    assert entities(with_model_output(nlp, text, native)) == {
        "阮春福": "PERSON",
        "武文赏": "PERSON",
        "王廷惠": "PERSON",  # 前|国会|主席: the bare parliament between
    }


def test_a_former_title_of_a_body_makes_a_person(nlp: Language) -> None:
    text = "前立法会议员涂谨申表示"  # 前|立法会|议员
    doc = with_model_output(nlp, text, [("涂谨申", "name")])
    assert entities(doc).get("涂谨申") == "PERSON"


def test_a_reporter_in_a_byline_stays_a_person(nlp: Language) -> None:
    doc = with_model_output(nlp, "记者王怡文／综合报导", [("记者", "position"), ("王怡文", "name")])
    assert entities(doc)["王怡文"] == "PERSON"


def test_a_head_of_an_organization_found_by_the_model_holds_an_office(nlp: Language) -> None:
    doc = with_model_output(nlp, "研究院院长赵福全认为", [("院长", "position"), ("赵福全", "name")])
    assert entities(doc)["赵福全"] == "OFFICIAL"
    assert "院长" in [span.text for span in doc.spans[TITLES_KEY]]


def test_an_organization_named_after_a_known_place_replaces_the_place(nlp: Language) -> None:
    doc = with_model_output(nlp, "中国汽车工业协会说", [("中国汽车工业协会", "organization")])
    assert entities(doc) == {"中国汽车工业协会": "ORG"}


def test_the_government_of_a_place_stays_the_place(nlp: Language) -> None:
    doc = with_model_output(nlp, "美国政府宣布", [("美国政府", "government")])
    assert entities(doc) == {"美国": "GPE"}


def test_a_dictionary_word_with_no_surname_is_no_person(nlp: Language) -> None:
    doc = with_model_output(nlp, "飞船返回舱与轨道舱分离", [("返回舱", "name")])
    assert entities(doc) == {}


def test_a_common_word_is_never_an_entity_alone(nlp: Language) -> None:
    doc = with_model_output(nlp, "政府宣布", [("政府", "government")])
    assert entities(doc) == {}


def test_a_phrase_of_common_words_is_never_an_entity(nlp: Language) -> None:
    doc = with_model_output(
        nlp,
        "多家科技公司表示，监管机关已约谈星海科技。",
        [("科技公司", "name"), ("监管机关", "government"), ("星海科技", "company")],
    )
    assert entities(doc) == {"星海科技": "COMPANY"}


def test_an_address_that_is_an_institution_is_an_organization(nlp: Language) -> None:
    doc = with_model_output(nlp, "伤者被送往华西医院救治", [("华西医院", "address")])
    assert entities(doc) == {"华西医院": "ORG"}


def test_a_university_loses_the_discipline_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "菲律宾大学政治学教授认为", [("菲律宾大学政治学", "organization")])
    assert entities(doc).get("菲律宾大学") == "ORG"


def test_a_trade_and_a_legal_form_are_no_company(nlp: Language) -> None:
    doc = with_model_output(nlp, "一家物流有限公司表示", [("物流有限公司", "company")])
    assert entities(doc) == {}


def test_a_name_loses_the_verb_of_saying_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "主席何超琼称，收入回升", [("何超琼称", "name")])
    assert "何超琼" in entities(doc)


def test_a_team_captain_holds_no_office(nlp: Language) -> None:
    doc = with_model_output(
        nlp, "队长陈杰宪第5局击出安打", [("队长", "position"), ("陈杰宪", "name")]
    )
    assert entities(doc) == {"陈杰宪": "PERSON"}


def test_a_body_named_after_a_place_replaces_the_place(nlp: Language) -> None:
    doc = with_model_output(nlp, "新西兰乳业协会随团访华", [("新西兰乳业协会", "organization")])
    assert entities(doc) == {"新西兰乳业协会": "ORG"}


def test_a_company_after_its_country_keeps_the_country(nlp: Language) -> None:
    doc = with_model_output(nlp, "法国泰雷兹集团也将参与", [("法国泰雷兹集团", "company")])
    assert entities(doc) == {"法国": "GPE", "泰雷兹集团": "COMPANY"}


@pytest.mark.parametrize(
    ("text", "company", "place"),
    [
        ("安徽省新能源汽车产量达186万辆", "安徽省新能源", "安徽省"),
        ("香港银行业", "香港银行", "香港"),
    ],
)
def test_a_place_and_a_trade_is_no_company(
    nlp: Language, text: str, company: str, place: str
) -> None:
    doc = with_model_output(nlp, text, [(company, "company")])
    assert list(entities(doc)) == [place]


def test_a_company_of_a_province_and_trade_words_keeps_its_province(nlp: Language) -> None:
    text = "比亚迪和陕西汽车控股集团位列前三大客户"
    doc = with_model_output(nlp, text, [("陕西汽车控股集团", "company")])
    assert entities(doc)["陕西汽车控股集团"] == "COMPANY"


def test_a_company_of_a_name_of_its_own_after_its_province_keeps_only_its_name(
    nlp: Language,
) -> None:
    doc = with_model_output(nlp, "由浙江华立集团开发", [("浙江华立集团", "company")])
    assert entities(doc) == {"浙江": "PROVINCE", "华立集团": "COMPANY"}


def test_a_year_in_brackets_before_the_legal_form_is_part_of_the_name(nlp: Language) -> None:
    found = entities(with_model_output(nlp, "由荣丰巴士（一九三三）有限公司营运", []))
    assert [name for name, label in found.items() if label == "COMPANY"] == [
        "荣丰巴士（一九三三）有限公司"
    ]


def test_taiwan_schools_in_a_list_are_bodies_whatever_their_words(nlp: Language) -> None:
    found = entities(with_model_output(nlp, "和平国小、志学国小受损，成功国中表示", []))
    assert found.get("和平国小") == found.get("志学国小") == "ORG"
    assert "成功国中" not in found  # alone, 成功 is "success"


def test_a_model_body_whose_name_ends_in_technology_is_a_company(nlp: Language) -> None:
    doc = with_model_output(nlp, "顺丰集团附属的丰翼科技计划", [("丰翼科技", "organization")])
    assert entities(doc)["丰翼科技"] == "COMPANY"


def test_a_registered_company_keeps_its_city(nlp: Language) -> None:
    text = "由杭州市科创集团有限公司领投"
    doc = with_model_output(nlp, text, [("杭州市科创集团有限公司", "company")])
    assert entities(doc) == {"杭州市科创集团有限公司": "COMPANY"}


def test_a_registered_name_is_read_over_a_trade_word_jieba_joined_to_its_form(
    nlp: Language,
) -> None:
    text = "毕业生创立的澄光机械人科技有限公司主力研发物流机械人"  # jieba: 科技有限公司
    assert entities(with_model_output(nlp, text, [])).get("澄光机械人科技有限公司") == "COMPANY"


def test_a_registered_company_of_trade_words_is_named_by_its_city(nlp: Language) -> None:
    text = "当地平台安宁市城乡发展投资集团有限公司今年有债务到期"
    doc = with_model_output(nlp, text, [("安宁市城乡发展投资集团有限公司", "company")])
    assert entities(doc) == {"安宁市城乡发展投资集团有限公司": "COMPANY"}


@pytest.mark.parametrize(
    ("text", "full", "short"),
    [
        (
            "安宁市城乡发展投资有限公司（下称安宁城投）到期。安宁城投董事长说",
            "安宁市城乡发展投资有限公司",
            "安宁城投",
        ),
        (
            "深圳星衍智能科技有限公司（以下简称“星衍”）表示，星衍将扩产",
            "深圳星衍智能科技有限公司",
            "星衍",
        ),
        (  # the full name in quotes, the definition after them
            "数据来自「南屏环保科技股份有限公司」（下称南屏环保），南屏环保总经理说",
            "南屏环保科技股份有限公司",
            "南屏环保",
        ),
        (  # a short name in brackets, of the name's characters
            "古物谘询委员会（古谘会）评为三级历史建筑。古谘会将开会",
            "古物谘询委员会",
            "古谘会",
        ),
    ],
)
def test_a_short_name_the_text_defines_is_the_same_company(
    nlp: Language, text: str, full: str, short: str
) -> None:
    label = "organization" if full.endswith("会") else "company"
    doc = with_model_output(nlp, text, [(full, label), (short, "name")])
    companies = [ent for ent in doc.ents if ent.label_ in ("COMPANY", "ORG")]
    assert [ent.text for ent in companies][1:] == [short, short]
    assert len({ent.kb_id_ for ent in companies}) == 1


def test_a_registered_name_of_common_words_starts_where_its_defined_short_name_does(
    nlp: Language,
) -> None:
    # 金|果园|农业: one character of name before trade words; after the role 业者, no person
    text = "本地榴梿业者金果园农业有限公司（以下简称“金果园”）今日签约"
    assert entities(with_model_output(nlp, text, [])) == {
        "金果园农业有限公司": "COMPANY",
        "金果园": "COMPANY",
    }


def test_a_company_the_text_shortens_right_after_its_name_is_named_from_the_short_name(
    nlp: Language,
) -> None:
    text = "工业区内的鼎昇化学工业公司（下称鼎昇化工）发生爆炸"
    assert entities(with_model_output(nlp, text, [])).get("鼎昇化学工业公司") == "COMPANY"


def test_a_name_of_trade_words_the_text_shortens_right_after_starts_with_the_short_name(
    nlp: Language,
) -> None:
    text = "台南太阳能模组厂晶耀能源科技（下称晶耀）位于印尼"  # jieba: 厂晶耀
    found = entities(with_model_output(nlp, text, []))
    assert found.get("晶耀能源科技") == "COMPANY"
    assert "厂晶耀" not in found


def test_a_firm_of_a_profession_takes_no_verb_before_it_as_its_name(nlp: Language) -> None:
    text = "宝云去年委托会计师事务所审计，宝云则表示"
    found = entities(with_model_output(nlp, text, [("宝云则", "company")]))
    assert found == {"宝云": "COMPANY"}  # no 委托会计师事务所, no 宝云则
    assert entities(with_model_output(nlp, "在中正路经营机车行的老板说", [])) == {}


@pytest.mark.parametrize(
    ("text", "chip"),
    [
        ("自研“天枢-108”芯片年内流片", "天枢-108"),
        ("谷歌的量子芯片“Willow”", "Willow"),
        ("IBM已推出“Heron”处理器", "Heron"),
    ],
)
def test_a_name_in_quotes_beside_a_word_for_a_chip_is_a_chip(
    nlp: Language, text: str, chip: str
) -> None:
    assert entities(with_model_output(nlp, text, [])).get(chip) == "CHIP"


def test_a_place_no_list_knows_before_a_trade_is_the_company_name(nlp: Language) -> None:
    text = "金孔雀建材贸易公司总裁表示，美国建材贸易公司也来了"
    native = [("金孔雀", "address"), ("建材贸易公司", "company"), ("建材贸易公司", "company")]
    found = entities(with_model_output(nlp, text, native))
    assert found.get("金孔雀建材贸易公司") == "COMPANY"
    assert found.get("美国") == "GPE"  # a known place is the place


def test_a_registered_company_named_with_a_place_is_a_company(nlp: Language) -> None:
    text = "提升工程交由承包商永丰建筑工程有限公司负责"  # 永丰: a county in Jiangxi
    doc = with_model_output(nlp, text, [("永丰建筑工程有限公司", "company")])
    assert entities(doc) == {"永丰建筑工程有限公司": "COMPANY"}


def test_a_common_word_is_no_short_form_of_a_company(nlp: Language) -> None:
    text = "重建由宝兴工程有限公司承建，工程明年完工"
    doc = with_model_output(nlp, text, [("宝兴工程有限公司", "company")])
    assert entities(doc) == {"宝兴工程有限公司": "COMPANY"}  # not 工程, wherever it stands


def test_a_name_cut_out_of_a_latin_word_is_no_name(nlp: Language) -> None:
    words = ["亚洲航空", "（", "Ai", "rZeta", "）", "已", "宣布"]  # a user word cut the name
    doc = with_model_output(nlp, "".join(words), [("rZeta", "company")], words)
    assert "rZeta" not in entities(doc)


def test_a_verb_before_a_short_county_government_is_no_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "他也建议县府与气象署合作", [("建议县府", "government")])
    assert "建议县府" not in entities(doc)


def test_a_description_with_a_possessive_is_no_name(nlp: Language) -> None:
    text = "与比利时鲁汶的研究机构合作"
    doc = with_model_output(nlp, text, [("比利时鲁汶的研究机构", "organization")])
    assert entities(doc) == {"比利时": "GPE", "鲁汶": "GPE"}


def test_a_surname_and_a_place_ending_is_no_person(nlp: Language) -> None:
    text = "以满足张家湾、台湖等地新增人口的就医需求"  # 张家湾: a town, 张 a surname
    assert "PERSON" not in entities(with_model_output(nlp, text, [("张家湾", "name")])).values()


def test_a_known_place_before_a_group_of_trade_words_is_part_of_its_name(nlp: Language) -> None:
    text = "在广西糖业集团带动下，美国科技公司也来了"
    native = [("糖业集团", "company"), ("科技公司", "company")]
    found = entities(with_model_output(nlp, text, native))
    assert found.get("广西糖业集团") == "COMPANY"
    assert found.get("美国") == "GPE"  # a company only described: the place alone


def test_an_associations_branch_in_a_place_is_one_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "中华民国红十字会台东县支会也动员志工", [])
    assert entities(doc) == {"中华民国红十字会台东县支会": "ORG"}


def test_a_body_of_a_place_and_its_region_is_named_from_the_place(nlp: Language) -> None:
    doc = with_model_output(nlp, "将与台东地区农会合作收购次级品", [])
    assert entities(doc) == {"台东地区农会": "ORG"}


def test_a_byline_of_two_reporters_is_two_persons(nlp: Language) -> None:
    doc = with_model_output(nlp, "郑凯伦 何丽君 报道\n总理昨天宣布", [("郑凯伦 何丽君", "name")])
    assert entities(doc) == {"郑凯伦": "PERSON", "何丽君": "PERSON"}


def test_a_kind_of_firm_before_a_registered_name_is_no_part_of_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "本地测量师行港誉测量师行创办人何先生预计", [])
    assert entities(doc).get("港誉测量师行") == "COMPANY"


def test_a_persons_name_holds_what_the_model_read_inside_it_elsewhere(nlp: Language) -> None:
    text = "刘德军表示，黄岩岛是中国领土。发言人刘德军17日称"
    doc = with_model_output(nlp, text, [("德军", "organization")])  # 刘|德军 at the first
    assert [ent.text for ent in doc.ents if ent.label_ == "OFFICIAL"] == ["刘德军", "刘德军"]


def test_a_name_before_a_road_is_no_person(nlp: Language) -> None:
    doc = with_model_output(nlp, "小巴经林锦公路往锦田方向行驶", [("林锦", "name")])
    assert "林锦" not in entities(doc)  # Lam Kam Road


def test_a_body_ends_before_the_particle_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "深圳云栈智能的创始人说", [("云栈智能的", "company")])
    assert "云栈智能" in entities(doc)


def test_a_surname_and_clan_is_no_name_but_a_vietnamese_name_is(nlp: Language) -> None:
    assert "陈氏" not in entities(with_model_output(nlp, "陈氏家族拥有唐楼", [("陈氏", "name")]))
    doc = with_model_output(nlp, "越南籍移工阮氏秋香说", [("阮氏秋香", "name")])
    assert entities(doc).get("阮氏秋香") == "PERSON"


def test_a_model_name_ends_before_towards_or_once(nlp: Language) -> None:
    doc = with_model_output(nlp, "创办人何子谦向本报表示", [("何子谦向", "name")])
    assert "何子谦" in entities(doc)  # not 何子谦向
    doc = with_model_output(nlp, "组织部部长黎明兴曾表示", [("黎明兴曾", "name")])
    assert "黎明兴" in entities(doc)  # not 黎明兴曾 (once)


def test_a_place_and_a_title_is_no_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "沙特王储兼首相将出席峰会", [("沙特王储", "organization")])
    assert entities(doc) == {"沙特": "GPE"}  # the crown prince's office, no body


def test_a_marker_of_one_character_inside_a_word_makes_no_byline(nlp: Language) -> None:
    # 图 (photo) ends 蓝图 here: the headline names the chief executive, no photographer
    doc = with_model_output(nlp, "新蓝图 李家超指要打造大湾区", [])
    assert entities(doc).get("李家超") == "OFFICIAL"
    assert entities(with_model_output(nlp, "（图／李四）", [("李四", "name")])) == {
        "李四": "PERSON"
    }


def test_an_official_of_a_name_in_a_byline_is_a_reporter(nlp: Language) -> None:
    # 陈冠廷 is a legislator in the knowledge; the translator of this story is a namesake
    doc = with_model_output(nlp, "（编译 陈冠廷；审校 刘佳）", [])
    assert entities(doc).get("陈冠廷") == "PERSON"
    assert [ent.kb_id_ for ent in doc.ents if ent.text == "陈冠廷"] == [""]
    assert entities(with_model_output(nlp, "立委陈冠廷表示", [])).get("陈冠廷") == "OFFICIAL"


def test_a_taiwan_school_is_named_by_its_place(nlp: Language) -> None:
    text = "台坂国小、安朔国小停课，偏乡国小缺老师，长滨国小校长说"
    native = [("台坂国", "company"), ("安朔", "name")]
    found = entities(with_model_output(nlp, text, native))
    assert {
        name: found.get(name) for name in ("台坂国小", "安朔国小", "长滨国小")
    } == dict.fromkeys(("台坂国小", "安朔国小", "长滨国小"), "ORG")
    assert "偏乡国小" not in found  # remote schools: common words


def test_a_company_ends_before_a_site_of_its_own(nlp: Language) -> None:
    doc = with_model_output(nlp, "茶小野门店今天开业", [("茶小野门店", "company")])
    assert entities(doc) == {"茶小野": "COMPANY"}


def test_a_country_and_its_political_situation_is_the_country_alone(nlp: Language) -> None:
    doc = with_model_output(nlp, "泰国政局持续动荡", [("泰国政局", "government")])
    assert entities(doc) == {"泰国": "GPE"}


def test_a_generic_word_and_a_level_name_the_place_of_a_body(nlp: Language) -> None:
    # 朝阳 alone is a word (morning sun); 朝阳区 is Beijing's district
    doc = with_model_output(nlp, "记者从朝阳区民政局获悉", [("朝阳区民政局", "government")])
    assert entities(doc) == {"朝阳区民政局": "ORG"}


def test_how_many_bodies_is_no_part_of_a_bodys_name(nlp: Language) -> None:
    doc = with_model_output(nlp, "十多家华侨医院已加入联盟", [("十多家华侨医院", "organization")])
    assert entities(doc) == {"华侨医院": "ORG"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("在巴刹经营杂菜饭摊位“阿妹小厨”的陈女士说", "阿妹小厨"),  # after a word for a business
        ("报关行「北方海关代理集团」合伙人说", "北方海关代理集团"),  # common words, yet a group
    ],
)
def test_a_business_in_quotes_is_a_company(nlp: Language, text: str, name: str) -> None:
    assert entities(with_model_output(nlp, text, [])).get(name) == "COMPANY"


def test_a_place_after_a_dot_and_a_first_name_is_a_surname(nlp: Language) -> None:
    doc = with_model_output(nlp, "合伙人卡洛斯·门多萨说，今年货物增加", [])
    assert entities(doc) == {"卡洛斯·门多萨": "PERSON"}  # Carlos Mendoza, not the city


def test_a_group_named_for_its_cause_in_verbs_is_one_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "南州乡反焚化厂自救会会长潘金生说", [("潘金生", "name")])
    assert entities(doc).get("南州乡反焚化厂自救会") == "ORG"


def test_a_model_company_ending_in_a_bureau_is_a_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "大温地产局数据则指，上月房价下跌", [("大温地产局", "company")])
    assert entities(doc).get("大温地产局") == "ORG"


def test_a_university_with_a_city_in_brackets_is_a_campus_of_its_own(nlp: Language) -> None:
    text = "人员来自哈尔滨工业大学（深圳）。公司与哈工大（深圳）共建实验室，与北京大学（北大）合作"
    doc = with_model_output(nlp, text, [])
    campuses = [ent for ent in doc.ents if ent.text.endswith("（深圳）")]
    assert [ent.text for ent in campuses] == ["哈尔滨工业大学（深圳）", "哈工大（深圳）"]
    assert {ent.kb_id_ for ent in campuses} == {"org/哈尔滨工业大学（深圳）"}
    assert "深圳" not in entities(doc)  # the campus's place is no mention of the city
    assert entities(doc).get("北京大学") == "ORG"  # a short name in brackets is no campus


def test_known_names_inside_the_parts_of_a_dotted_name_give_way(nlp: Language) -> None:
    # 阿里 (a company's short name) and 古纳 (a place) are pieces of 阿里夫 and 古纳万
    doc = with_model_output(nlp, "总裁阿里夫·古纳万告诉本报", [("阿里夫·古纳万", "name")])
    assert {ent.text for ent in doc.ents} == {"阿里夫·古纳万"}


def test_a_dotted_uyghur_name_is_whole(nlp: Language) -> None:
    doc = with_model_output(nlp, "研究员阿迪拉·买买提对本台表示", [("阿迪拉·", "name")])
    assert entities(doc).get("阿迪拉·买买提") == "PERSON"


def test_a_council_after_a_place_read_as_a_name_is_one_body(nlp: Language) -> None:
    text = "陶尔哈姆莱茨区议会及部分居民担心"
    doc = with_model_output(nlp, text, [("陶尔哈姆莱茨", "name"), ("区议会", "organization")])
    assert entities(doc) == {"陶尔哈姆莱茨区议会": "ORG"}


def test_a_company_is_named_without_its_department(nlp: Language) -> None:
    doc = with_model_output(nlp, "冠域证券研究部董事罗卓轩分析", [("冠域证券研究部", "company")])
    assert entities(doc).get("冠域证券") == "COMPANY"


def test_a_short_form_after_its_place_is_another_name(nlp: Language) -> None:
    text = "政府支持启德体育园举办赛事。营运场馆的启德体育园有限公司表示满意"
    doc = with_model_output(nlp, text, [("启德体育园有限公司", "company")])
    assert [ent.kb_id_ for ent in doc.ents if ent.label_ == "COMPANY"] == [""]


def test_a_bank_the_model_takes_for_a_place_is_a_company(nlp: Language) -> None:
    doc = with_model_output(nlp, "公司已与富滇银行达成展期协议", [("富滇银行", "address")])
    assert entities(doc) == {"富滇银行": "COMPANY"}


def test_a_registered_company_the_model_cut_is_named_from_its_place(nlp: Language) -> None:
    text = "在成都市新都区，成都锦程精密模具有限公司总经理刘德兵说"
    doc = with_model_output(nlp, text, [("模具有限公司", "company"), ("刘德兵", "name")])
    assert entities(doc).get("成都锦程精密模具有限公司") == "COMPANY"


@pytest.mark.parametrize(
    ("text", "native", "expected"),
    [
        # missed by the model, after a verb
        ("他担任睿和生物科技有限公司总经理", [], {"睿和生物科技有限公司": "COMPANY"}),
        # two places at most
        (
            "广东省江门市蓬江区恒鲜食品有限公司",
            [],
            {"广东省": "PROVINCE", "江门市蓬江区恒鲜食品有限公司": "COMPANY"},
        ),
        # after a trade noun
        ("已由在地营造商丰舜营造股份有限公司承建", [], {"丰舜营造股份有限公司": "COMPANY"}),
        # 开发: a trade; 业主: a role
        ("业主宏筑开发股份有限公司今年自费补强", [], {"宏筑开发股份有限公司": "COMPANY"}),
        # 光电股份 is a listed company of its own
        (
            "晶耀光电股份有限公司今天宣布",
            [("晶耀光电股份有限公司", "company")],
            {"晶耀光电股份有限公司": "COMPANY"},
        ),
        # a Hong Kong firm
        ("利骏测量师行估值部主管说", [("利骏", "name")], {"利骏测量师行": "COMPANY"}),
        ("审计机构为容诚会计师事务所", [], {"容诚会计师事务所": "COMPANY"}),  # a profession's firm
        ("水车由大顺运水企业社调度", [], {"大顺运水企业社": "COMPANY"}),  # Taiwan's small firms
        (
            "由恒汇人寿（广东）有限公司承保",
            [],
            {"恒汇人寿（广东）有限公司": "COMPANY"},
        ),  # its place
        ("在地承揽商永圣工程行负责人说", [], {"永圣工程行": "COMPANY"}),  # after a contractor
        ("承包商东昇土木包工业负责人说", [], {"东昇土木包工业": "COMPANY"}),
        ("福兴茶餐室东主说", [], {"福兴茶餐室": "COMPANY"}),
    ],
)
def test_a_registered_company_is_named_from_its_legal_form_leftwards(
    nlp: Language, text: str, native: list[tuple[str, str]], expected: dict[str, str]
) -> None:
    assert entities(with_model_output(nlp, text, native)) == expected


def test_a_known_company_after_the_places_of_a_registered_name_stays(nlp: Language) -> None:
    text = "北京字节跳动科技有限公司"
    doc = with_model_output(nlp, text, [("北京字节跳动科技有限公司", "company")])
    assert [(ent.text, ent.kb_id_) for ent in doc.ents if ent.label_ == "COMPANY"] == [
        ("字节跳动", "company/bytedance")
    ]


def test_a_company_loses_the_end_of_the_trade_noun_jieba_joined_to_it(nlp: Language) -> None:
    text = "项目经理及承办商东利工程有限公司前项目经理"  # 承办|商东利|工程
    doc = with_model_output(nlp, text, [("商东利工程有限公司", "company")])
    assert entities(doc).get("东利工程有限公司") == "COMPANY"


def test_a_model_span_inside_a_latin_word_is_dropped(nlp: Language) -> None:
    doc = with_model_output(nlp, "微软(MSFT)股价上涨", [("MSF", "organization")])
    assert "MSF" not in entities(doc)


def test_a_model_span_loses_the_brackets_it_took_in(nlp: Language) -> None:
    text = "东岸研究中心（East Coast Research Center）指出"
    doc = with_model_output(nlp, text, [("（East Coast Research Center）", "organization")])
    assert entities(doc) == {"East Coast Research Center": "ORG"}


def test_a_model_span_ends_before_the_short_form_in_brackets(nlp: Language) -> None:
    doc = with_model_output(nlp, "开发商伟华集团（WHA）表示", [("伟华集团（WHA）", "company")])
    assert entities(doc).get("伟华集团") == "COMPANY"


def test_a_dotted_name_gets_back_the_first_name_jieba_cut_up(nlp: Language) -> None:
    doc = with_model_output(nlp, "分析师颂猜·探玛翁认为", [("·探玛翁", "name")])
    assert entities(doc) == {"颂猜·探玛翁": "PERSON"}


def test_a_name_after_the_dot_gets_the_name_before_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "经营咖啡馆的颂猜·甘拉亚说", [("甘拉亚", "name")])
    assert entities(doc) == {"颂猜·甘拉亚": "PERSON"}


def test_a_latin_span_grows_to_the_whole_name_in_its_brackets(nlp: Language) -> None:
    doc = with_model_output(nlp, "学者白安德（Andrew Bell）指出", [("Andrew", "company")])
    assert "Andrew Bell" in entities(doc)


def test_a_model_span_ends_where_a_bracket_it_does_not_close_opens(nlp: Language) -> None:
    text = "研究员贝克尔（Jonas Becker）表示"
    doc = with_model_output(nlp, text, [("贝克尔（Jonas Becker", "name")])
    assert entities(doc) == {"贝克尔": "PERSON"}


def test_latin_words_the_model_tagged_one_by_one_are_one_name(nlp: Language) -> None:
    text = "高盛分析师Daan Struyven在报告中指出"
    doc = with_model_output(nlp, text, [("Daan", "name"), ("Struyven", "company")])
    assert entities(doc).get("Daan Struyven") == "PERSON"


def test_a_latin_name_in_brackets_after_a_chinese_name_is_no_person(nlp: Language) -> None:
    text = "安第斯超级食品公司（Andes Superfoods）创始人表示"
    doc = with_model_output(nlp, text, [("Andes Superfoods", "name")])
    assert "Andes Superfoods" not in entities(doc)


def test_the_parts_of_a_dotted_name_are_one_name(nlp: Language) -> None:
    text = "沙特阿卜杜勒-阿齐兹·本·萨勒曼亲王表示"
    doc = with_model_output(nlp, text, [("阿卜杜勒-阿齐兹·", "name"), ("萨勒曼", "name")])
    assert "阿卜杜勒-阿齐兹·本·萨勒曼" in entities(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("四川省委书记王晓晖指出", "四川省委"),
        ("伊朗议会曾支持关闭海峡的提议", "伊朗议会"),  # 伊 is also a surname
        ("中国海警在黄岩岛附近执法", "黄岩岛"),  # 黄 too
    ],
)
def test_a_name_that_reads_like_a_body_is_no_person(nlp: Language, text: str, name: str) -> None:
    found = entities(with_model_output(nlp, text, [(name, "name")]))
    assert found.get(name) not in ("PERSON", "OFFICIAL")


def test_a_surname_and_a_character_get_the_rare_character_after_them(nlp: Language) -> None:
    doc = with_model_output(nlp, "商户梁家豪坦言", [("梁家", "name")])
    assert entities(doc) == {"梁家豪": "PERSON"}


def test_a_model_name_of_three_replaces_the_known_name_of_two_it_starts_with(
    nlp: Language,
) -> None:
    doc = with_model_output(nlp, "张文涛告诉记者", [("张文涛", "name")])  # 张文: people.tsv
    assert [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents] == [("张文涛", "PERSON", "")]


def test_a_known_company_the_model_reads_as_a_name_after_a_title_is_a_person(
    nlp: Language,
) -> None:
    doc = with_model_output(nlp, "安大略省省长福特日前批评关税", [("福特", "name")])
    assert entities(doc).get("福特") == "OFFICIAL"


def test_a_place_and_the_portfolio_of_the_title_after_them_are_no_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "沙特能源大臣表示", [("沙特能源", "government")])
    assert entities(doc) == {"沙特": "GPE"}


def test_a_name_loses_the_verb_of_saying_the_model_stopped_inside(nlp: Language) -> None:
    doc = with_model_output(nlp, "熊本县知事吉本孝寿坦言", [("吉本孝寿坦", "name")])
    assert entities(doc).get("吉本孝寿") == "OFFICIAL"


def test_a_company_loses_the_trade_noun_the_model_took_in(nlp: Language) -> None:
    text = "泰国工业地产商伟华集团表示"
    doc = with_model_output(nlp, text, [("工业地产商伟华集团", "company")])
    assert entities(doc) == {"泰国": "GPE", "伟华集团": "COMPANY"}


def test_a_shop_is_no_place(nlp: Language) -> None:
    assert entities(with_model_output(nlp, "游客在拉面店排队", [("拉面店", "address")])) == {}


def test_the_model_may_not_bring_back_what_context_says_is_no_name(nlp: Language) -> None:
    doc = with_model_output(nlp, "新加坡举行的香格里拉对话", [("香格里拉", "address")])
    assert entities(doc) == {"新加坡": "GPE"}


def test_a_person_s_name_is_a_person_wherever_the_model_reads_it(nlp: Language) -> None:
    text = "国防部长乌梅罗夫率领代表团。乌梅罗夫会后说"
    doc = with_model_output(nlp, text, [("乌梅罗夫", "name"), ("乌梅罗夫", "organization")])
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("乌梅罗夫", "OFFICIAL")] * 2


@pytest.mark.parametrize(
    ("text", "name"),
    [("梁只负责市场推广", "梁只"), ("让企业家安心经营", "安心"), ("葵涌居民何太表示", "何太")],
)
def test_a_surname_and_an_adverb_or_a_verb_are_no_name(nlp: Language, text: str, name: str) -> None:
    assert name not in entities(with_model_output(nlp, text, [(name, "name")]))


def test_a_japanese_name_gets_the_given_name_end_jieba_read_as_a_word(nlp: Language) -> None:
    doc = with_model_output(nlp, "政治学教授中林健太郎分析", [("中林健", "name")])
    assert entities(doc) == {"中林健太郎": "PERSON"}


def test_an_organization_loses_the_word_it_ran_into_that_repeats_its_last(
    nlp: Language,
) -> None:
    doc = with_model_output(nlp, "南方基金基金经理李明表示", [("南方基金基金", "organization")])
    assert "南方基金" in entities(doc)


def test_an_address_of_places_one_after_another_is_split_into_them(nlp: Language) -> None:
    text = "冶炼厂位于塔纳托拉省巴拉莫县"  # places no list knows
    doc = with_model_output(nlp, text, [("塔纳托拉省巴拉莫县", "address")])
    assert entities(doc) == {"塔纳托拉省": "PROVINCE", "巴拉莫县": "GPE"}


def test_an_address_that_ends_in_a_word_stays_whole(nlp: Language) -> None:
    doc = with_model_output(nlp, "落户宁波杭州湾新区", [("宁波杭州湾新区", "address")])
    assert "湾新区" not in entities(doc)


def test_a_body_loses_the_generic_word_the_model_took_in(nlp: Language) -> None:
    doc = with_model_output(nlp, "智库财政研究所指出", [("智库财政研究所", "organization")])
    assert entities(doc) == {"财政研究所": "ORG"}


def test_a_conjunction_and_a_generic_word_are_no_body(nlp: Language) -> None:
    assert entities(with_model_output(nlp, "若政府不作为", [("若政府", "government")])) == {}


def test_the_parts_of_a_name_a_full_width_dot_parts_are_one_name(nlp: Language) -> None:
    doc = with_model_output(
        nlp, "协调员克拉拉．贝尔蒂表示", [("克拉拉", "name"), ("贝尔蒂", "name")]
    )
    assert entities(doc) == {"克拉拉．贝尔蒂": "PERSON"}


def test_a_company_loses_its_branch_in_a_place(nlp: Language) -> None:
    text = "在合作金库银行丰原分行提款"
    doc = with_model_output(nlp, text, [("合作金库银行丰原分行", "company")])
    assert entities(doc).get("合作金库银行") == "COMPANY"


def test_a_name_loses_the_weekday_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "中国驻澳大使肖千周三表示", [("肖千周", "name")])
    assert entities(doc).get("肖千") == "OFFICIAL"


def test_a_name_loses_the_two_character_verb_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "秘书长崔东树分析称", [("崔东树分析", "name")])
    assert entities(doc) == {"崔东树": "OFFICIAL"}


def test_a_name_loses_the_conjunction_the_model_ran_into(nlp: Language) -> None:
    doc = with_model_output(nlp, "发言人庄翠云则指出", [("庄翠云则", "name")])
    assert entities(doc) == {"庄翠云": "OFFICIAL"}


def test_a_name_loses_the_preposition_jieba_joined_to_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "由前经理陈志伟及承办商串谋", [("陈志伟及", "name")])
    assert "陈志伟" in entities(doc)


def test_a_name_loses_the_start_of_the_word_of_time_after_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "主教练卢卡斯·施华赛后表示", [("卢卡斯·施华", "name")])
    assert "卢卡斯·施华" in entities(doc)


def test_a_hyphenated_name_is_whole_and_ends_before_the_word_after_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "国民议会议长布朗-皮韦则呼吁各党", [("布朗-皮", "name")])
    assert entities(doc).get("布朗-皮韦") == "OFFICIAL"
    doc = with_model_output(nlp, "老挝总理宋赛·西潘敦多次强调", [("宋赛·西潘敦", "name")])
    assert entities(doc).get("宋赛·西潘敦") == "OFFICIAL"


def test_a_known_name_and_a_verb_after_it_are_no_longer_name(nlp: Language) -> None:
    doc = with_model_output(nlp, "安华盼希盟与沙盟延续合作", [("安华盼", "name")])
    assert "安华盼" not in entities(doc)


def test_a_name_whose_given_name_is_a_known_place_is_the_person(nlp: Language) -> None:
    doc = with_model_output(nlp, "其中82岁的梁秀英失去毕生积蓄", [("梁秀英", "name")])
    assert entities(doc) == {"梁秀英": "PERSON"}


def test_a_hyphenated_name_starts_with_the_first_name_before_the_hyphen(nlp: Language) -> None:
    doc = with_model_output(nlp, "经营酒庄的让-吕克·莫兰告诉记者", [("吕克·莫兰", "name")])
    assert list(entities(doc)) == ["让-吕克·莫兰"]


def test_a_japanese_given_name_gets_the_character_jieba_cut_off(nlp: Language) -> None:
    doc = with_model_output(nlp, "证券分析师佐藤健一则认为", [("佐藤健", "name")])
    assert list(entities(doc)) == ["佐藤健一"]


def test_a_company_loses_the_preposition_jieba_joined_to_it(nlp: Language) -> None:
    text = "受雇于恒进物业管理有限公司"
    doc = with_model_output(nlp, text, [("于恒进物业管理有限公司", "company")])
    assert entities(doc) == {"恒进物业管理有限公司": "COMPANY"}


def test_the_last_part_of_a_dotted_name_cut_in_two_is_one_name(nlp: Language) -> None:
    text = "阿曼外交大臣巴德尔·布赛义迪在社交媒体上说"
    doc = with_model_output(nlp, text, [("巴德尔·布赛", "name"), ("义迪", "name")])
    assert entities(doc).get("巴德尔·布赛义迪") == "OFFICIAL"


def test_a_given_name_jieba_joined_to_a_verb_of_saying_stays_in_the_name(nlp: Language) -> None:
    doc = with_model_output(nlp, "药材组长黄育文说，今年已有12项", [("黄育", "name")])
    assert list(entities(doc)) == ["黄育文"]


@pytest.mark.parametrize(
    ("text", "span", "label"),
    [
        ("哈方愿与各方合作", "哈方愿", "company"),
        ("柬方表示欢迎", "柬方", "organization"),
        ("出席科学园的论坛", "科学园", "address"),
        ("位于循环产业园区的工厂", "循环产业园区", "address"),
    ],
)
def test_a_side_in_talks_and_a_park_are_no_entities(
    nlp: Language, text: str, span: str, label: str
) -> None:
    assert span not in entities(with_model_output(nlp, text, [(span, label)]))


def test_a_state_company_is_named_with_its_country(nlp: Language) -> None:
    text = "中远海运正与哈萨克斯坦国家铁路公司合作"
    doc = with_model_output(nlp, text, [("哈萨克斯坦国家铁路公司", "government")])
    assert entities(doc).get("哈萨克斯坦国家铁路公司") == "COMPANY"


def test_a_union_the_model_read_as_a_company_is_a_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "恒信员工工会宣布罢工", [("恒信员工工会", "company")])
    assert entities(doc).get("恒信员工工会") == "ORG"


def test_a_committee_of_a_legislature_is_the_entity(nlp: Language) -> None:
    text = "局长出席立法会财经事务委员会会议"
    doc = with_model_output(nlp, text, [("立法会财经事务委员会", "organization")])
    assert entities(doc) == {"立法会财经事务委员会": "ORG"}


def test_a_ministry_and_its_agency_are_one_body(nlp: Language) -> None:
    doc = with_model_output(nlp, "经济部水利署今天召开会议", [("经济部", "government")])
    assert entities(doc) == {"经济部水利署": "ORG"}


def test_a_ministry_and_its_agency_named_by_the_model_are_the_agency(nlp: Language) -> None:
    doc = with_model_output(nlp, "农业部农田水利署表示", [("农业部农田水利署", "government")])
    assert entities(doc) == {"农业部农田水利署": "ORG"}


def test_a_ministry_keeps_apart_from_a_title_or_another_body(nlp: Language) -> None:
    text = "商务部国际司司长说，财政部与审计署合作"
    doc = with_model_output(nlp, text, [("商务部", "government"), ("财政部", "government")])
    assert {"商务部国际司", "财政部"} <= set(entities(doc))


def test_a_ministry_does_not_take_an_agency_title_after_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "卫生部药品署长王明说", [("卫生部", "government")])
    assert entities(doc) == {"卫生部": "ORG", "王明": "OFFICIAL"}


@pytest.mark.parametrize(
    ("text", "found", "label", "body"),
    [
        ("卫生署会与深圳市核对", "卫生署", "government", "卫生署"),  # ends in a suffix
        ("央行会维持利率不变", "央行", "organization", "央行"),
        ("他指出，铁道局会协助县府办理", "铁道局会", "government", "铁道局"),  # the model's 会
    ],
)
def test_a_body_takes_no_will_after_it(
    nlp: Language, text: str, found: str, label: str, body: str
) -> None:
    assert body in entities(with_model_output(nlp, text, [(found, label)]))


@pytest.mark.parametrize("name", ["世宗研究所", "合肥国家实验室"])
def test_a_research_institute_or_laboratory_is_no_company(nlp: Language, name: str) -> None:
    doc = with_model_output(nlp, f"{name}主任说", [(name, "company")])
    assert entities(doc).get(name) == "ORG"


def test_a_body_keeps_the_start_of_its_place_the_model_left_out(nlp: Language) -> None:
    text = "他指出合作区执行委员会正研究"
    doc = with_model_output(nlp, text, [("区执行委员会", "government")])
    assert entities(doc) == {"合作区执行委员会": "ORG"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("台湾癌症病友权益促进会理事长说", "台湾癌症病友权益促进会"),
        ("杭州市第一人民医院的医生说", "杭州市第一人民医院"),  # an ordinal
        ("他联同列治文华人社区协会发声", "列治文华人社区协会"),  # not the verb before it
        ("加拿大中国专业人士协会会长说", "加拿大中国专业人士协会"),  # two places start it
        ("多伦多华人团体联合总会表示", "多伦多华人团体联合总会"),  # a generic word inside
        ("环保团体地球公民基金会表示", "地球公民基金会"),  # a generic word before it
        ("观塘的启翔小学举行开放日", "启翔小学"),  # a name of its own; the place only locates it
        ("提案仍需伊朗最高国家安全委员会批准", "伊朗最高国家安全委员会"),
        ("台湾医疗改革联盟发言人说", "台湾医疗改革联盟"),
        ("大温哥华华人新移民互助会会长说", "大温哥华华人新移民互助会"),  # Greater Vancouver
        ("新加坡潮州八邑宗亲会会长说", "新加坡潮州八邑宗亲会"),
        ("香港散户权益关注会主席说", "香港散户权益关注会"),  # jieba cuts 关注|会
        ("香港地盘扎铁职工会主席说", "香港地盘扎铁职工会"),
        ("科大研究生会会长说", "科大研究生会"),
    ],
)
def test_an_association_no_list_knows_is_named_from_its_place(
    nlp: Language, text: str, name: str
) -> None:
    assert entities(with_model_output(nlp, text, [])).get(name) == "ORG"


def test_a_known_body_after_a_place_keeps_its_name(nlp: Language) -> None:
    doc = with_model_output(nlp, "局长到访薄扶林玛丽医院视察", [])
    assert entities(doc) == {"薄扶林": "GPE", "玛丽医院": "ORG"}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("发现连锁面包店「麦香坊」贩售的面包", "麦香坊", "COMPANY"),  # 香坊 is a place
        ("家族酒庄「布瓦西耶干邑」庄主说", "布瓦西耶干邑", "COMPANY"),
        ("「吉伦特葡萄酒农联合会」主席说", "吉伦特葡萄酒农联合会", "ORG"),  # ends like a body
        ("关注组织「长者权益关注联盟」召集人说", "长者权益关注联盟", "ORG"),  # common words
        ("饲养约2800头猪的「鸿昌畜牧场」场主说", "鸿昌畜牧场", "COMPANY"),  # a farm
        ("在深水埗经营「祥记茶餐厅」的陈国华说", "祥记茶餐厅", "COMPANY"),  # a shop
        ("在码头经营「海记海鲜酒家」的东主说", "海记海鲜酒家", "COMPANY"),  # a restaurant
    ],
)
def test_a_name_in_quotes_after_a_kind_of_business_is_whole(
    nlp: Language, text: str, name: str, label: str
) -> None:
    assert entities(with_model_output(nlp, text, [])).get(name) == label


def test_a_kind_of_body_jieba_cut_after_words_of_no_name_is_read_whole(
    extractor: Extractor,
) -> None:
    # 关注|组 after a verb: the walk starts at 关注 (it once read 组 alone and failed)
    found = extracted_types(extractor, "觀塘區小業主權益關注組召集人鄧志偉則擔心")
    assert found == {"觀塘區小業主權益關注組": "ORG", "鄧志偉": "OFFICIAL"}


@pytest.mark.parametrize("text", ["英国将与法国组成「自愿联盟」", "电子企业“抱团”出海"])
def test_a_phrase_in_quotes_is_no_name(nlp: Language, text: str) -> None:
    assert not [
        label
        for label in entities(with_model_output(nlp, text, [])).values()
        if label in ("ORG", "COMPANY")
    ]


@pytest.mark.parametrize(
    "text", ["行业协会表示反对", "相关协会说", "华文独中及教会学校的学生", "本澳商会表示"]
)
def test_a_kind_of_body_after_common_words_is_no_name(nlp: Language, text: str) -> None:
    assert [label for label in entities(with_model_output(nlp, text, [])).values()] == []


def test_a_crude_benchmark_is_no_person(nlp: Language) -> None:
    doc = with_model_output(nlp, "布兰特油价可能短暂上涨", [("布兰特", "name")])
    assert entities(doc) == {}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("政府扩大服务税的范围", "服务税", "organization"),
        ("判处徒刑并科罚金", "并科罚金", "company"),
    ],
)
def test_a_tax_or_a_fine_is_no_body(nlp: Language, text: str, name: str, label: str) -> None:
    assert entities(with_model_output(nlp, text, [(name, label)])) == {}


def test_an_address_loses_the_word_of_position_after_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "惠及粤港澳大湾区内城市", [("粤港澳大湾区内", "address")])
    assert "粤港澳大湾区内" not in entities(doc)


def test_a_company_named_by_its_place_and_what_it_runs_is_one_company(nlp: Language) -> None:
    doc = with_model_output(nlp, "高雄捷运公司表示", [("捷运公司", "company")])
    assert entities(doc) == {"高雄捷运公司": "COMPANY"}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("泰国前总理他信昨天出庭。他信否认指控。", "他信", "PERSON"),
        ("阿根廷前总统费尔南德斯表示反对。", "费尔南德斯", "PERSON"),
        ("美国总统特朗普周二表示，前总统拜登的政策失败。", "特朗普", "OFFICIAL"),
    ],
)
def test_an_official_named_only_by_a_former_title_is_a_person(
    extractor: Extractor, text: str, name: str, expected: str
) -> None:
    assert extracted_types(extractor, text)[name] == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("一家供应商刘姓负责人透露", "刘姓"),
        ("多名企业负责人随团访华", "随团"),
        ("受访的陈先生说", "陈先生"),
        ("麦官在判词中指出", "麦官"),  # the judge Mak, as Hong Kong court reports call him
        ("法院认为周男有勾串证人之虞", "周男"),  # a suspect, as Taiwan's crime reports name him
        ("洪水桥站将于2030年启用", "洪水桥站"),  # a station
        ("合作改建为宿舍", "宿舍"),  # a dictionary word that starts with a surname character
        ("据悉安世半导体已停产", "安世半导体"),  # a company: Chinese names are shorter
        ("公司在槟城设立预制梁厂", "梁厂"),  # a beam factory
        ("新柔捷运系统即将通车", "捷运系统"),  # ends in a common word, no surname first
        ("投资者的心情已不复几年前的乐观", "已不复"),  # function words
        ("屋宇署发出共38张清拆令", "张清"),  # 38 orders: 张 counts them
        ("原民处表示将协助族人", "原民处"),  # an office (原住民族行政处)
        ("这个'大块头'要减产", "'大块头'"),  # a nickname in quotes
    ],
)
def test_partial_names_and_words_are_no_persons(nlp: Language, text: str, name: str) -> None:
    found = entities(with_model_output(nlp, text, [(name, "name")]))
    assert [label for label in found.values() if label in ("PERSON", "OFFICIAL")] == []


def test_a_surname_gets_the_given_name_jieba_read_as_a_word(nlp: Language) -> None:
    doc = with_model_output(nlp, "研究员孙浩然认为", [("孙", "name")])
    assert entities(doc) == {"孙浩然": "PERSON"}


def test_a_county_named_in_characters_of_transliteration_is_a_place(nlp: Language) -> None:
    text = "在哈里斯县一家能源公司任职。福特本德县糖城。哈里斯县长说"
    found = entities(with_model_output(nlp, text, [("福特", "company")]))
    assert found.get("哈里斯县") == "GPE"  # not Kamala Harris
    assert found.get("福特本德县") == "GPE"  # not Ford
    assert "哈里斯县长" not in found  # 县长: the county's head, after a name


def test_a_name_takes_the_character_before_its_latin_name_in_brackets(nlp: Language) -> None:
    doc = with_model_output(nlp, "州众议员吴元之（Gene Wu）批评", [("吴元", "name")])
    assert "吴元之" in entities(doc)


def test_a_transliterated_name_gets_the_rest_jieba_guessed_as_a_word(nlp: Language) -> None:
    doc = with_model_output(nlp, "助理总监莫哈末法依沙说", [("莫哈末法", "name")])
    assert entities(doc).get("莫哈末法依沙") == "PERSON"


def test_a_dotted_full_name_is_not_the_known_person_it_ends_with(nlp: Language) -> None:
    doc = with_model_output(nlp, "研究员艾玛·哈里斯对记者表示", [("艾玛·哈里斯", "name")])
    assert [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents] == [
        ("艾玛·哈里斯", "PERSON", "")
    ]


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("美国商务部长卢特尼克周二表示，将扩大出口管制。", "卢特尼克", "OFFICIAL"),
        ("輝達執行長黃仁勳昨天抵達台北。", "黃仁勳", "OFFICIAL"),
        ("李强总理在会上发表讲话。", "李强", "OFFICIAL"),
        ("外交部發言人毛寧在記者會上回應。", "毛寧", "OFFICIAL"),
        ("記者謝守真／綜合報導", "謝守真", "PERSON"),
        ("界面新闻记者 | 沈嘉怡", "沈嘉怡", "PERSON"),
        ("柏林7月3日电（记者 褚怡 张远）", "张远", "PERSON"),
        ("克伦边防军及其领导人苏奇卓，早被美国制裁", "苏奇卓", "OFFICIAL"),
        ("九巴车长郑国荣受伤送院", "郑国荣", "PERSON"),  # a bus captain holds no office
        ("宿迁的花木商家周建国在拼多多上卖多肉", "周建国", "PERSON"),
        ("編譯黃淑玲／綜合報導", "黃淑玲", "PERSON"),
        ("來自湖南長沙的內地生譚思穎說，她未能抽中宿位。", "譚思穎", "PERSON"),
        ("北京智衡星图科技有限公司原副总裁许文涛受贿案开庭。", "许文涛", "PERSON"),  # former
        ("卑詩省方面，省長伊比歡迎聯邦優先處理申請。", "伊比", "OFFICIAL"),  # not 伊比歡迎
    ],
)
def test_officials_and_reporters_in_the_whole_pipeline(
    extractor: Extractor, text: str, name: str, expected: str
) -> None:
    assert extracted_types(extractor, text)[name] == expected


def test_a_storm_is_no_person_or_place_wherever_the_text_names_it(extractor: Extractor) -> None:
    text = "康芮颱風逼近\n\n強烈颱風康芮持續逼近，氣象署長程家平表示，康芮暴風圈明日登陸。"
    assert "康芮" not in extracted_types(extractor, text)
    assert "莫拉克" not in extracted_types(extractor, "莫拉克風災後，部落遷村")  # a disaster


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("本地物流公司宏运物流创办人兼总裁林志强说", "宏运物流"),
        ("零部件企业芯恒精密创始人顾文斌说", "芯恒精密"),
        ("小型搜索引擎公司DuckDuckHop首席执行官温伯格说", "DuckDuckHop"),  # ten Latin letters
        ("这家公司现任董事长李四说", None),  # words that qualify the title
        ("中小企业发展促进会会长蔡伟明说", None),  # an association
        ("该公司陈建国董事长表示", None),  # a person
        ("公司大中华区总裁张三说", None),  # a region
        ("在地业者宏茂营造有限公司负责人表示", "宏茂营造有限公司"),  # not cut by 公司负责人
    ],
)
def test_a_company_no_list_knows_is_named_before_a_business_title(
    extractor: Extractor, text: str, company: str | None
) -> None:
    found = extracted_types(extractor, text)
    expected = [company] if company else []
    assert [name for name, kind in found.items() if kind == "COMPANY"] == expected


def test_a_or_some_and_a_generic_word_is_no_company(extractor: Extractor) -> None:
    found = extracted_types(extractor, "海淀一科技公司前副总裁收受供应商贿赂。")
    assert [name for name, kind in found.items() if kind == "COMPANY"] == []


def test_a_name_before_a_dam_names_the_dam_everywhere(extractor: Extractor) -> None:
    text = "曾文水庫蓄水率跌破兩成，曾文、烏山頭與南化水庫必須聯合調度。"
    assert "曾文" not in extracted_types(extractor, text)


def test_a_universitys_department_is_part_of_the_university(extractor: Extractor) -> None:
    found = extracted_types(extractor, "成功大學海洋工程學系教授王大明說，水庫蓄水不足。")
    assert [name for name, kind in found.items() if kind == "ORG"] == ["成功大學"]


def test_a_japanese_given_name_may_start_with_an_adverb(extractor: Extractor) -> None:
    found = extracted_types(extractor, "银行首席经济学家小林直树指出，加薪率超过5%。")
    assert found.get("小林直树") == "PERSON"


def test_the_model_finds_a_name_no_list_knows(extractor: Extractor) -> None:
    found = extracted_types(extractor, "据报道，民间收藏家郑国梁将这批文物捐给了浙江省博物馆。")
    assert found.get("郑国梁") == "PERSON"


def test_the_fast_tier_runs_without_the_statistical_components() -> None:
    fast = spacy.load(DEFAULT_MODEL, exclude=list(STATISTICAL_COMPONENTS))
    found = extracted_types(Extractor(Options(), fast), "美国商务部长卢特尼克表示，华为受到限制。")
    assert found == {"美国商务部": "ORG", "卢特尼克": "OFFICIAL", "华为": "COMPANY"}


def below_floors(scores: dict[str, Score], floors: dict[str, float]) -> dict[str, float]:
    """The labels whose F1 fell below their floor, with that F1."""
    return {
        label: round(scores[label].f1, 4)
        for label, floor in floors.items()
        if scores[label].f1 < floor
    }


def test_quality_gate_on_cluener_dev(ner_data: Callable[[str], Path]) -> None:
    _, gold = read_gold(ner_data("cluener/dev.jsonl"))
    sample = gold[:DEV_SAMPLE]

    scores = score_spans(sample, predict_spans(sample, Options()))
    below = below_floors(scores, DEV_FLOORS)
    assert not below, f"NER dev F1 fell below the pinned floors {DEV_FLOORS}: {below}"


def test_news_texts_score_at_document_level(news_folder: Path) -> None:
    _, scores = evaluate(news_folder, None, Options())
    below = below_floors(scores, NEWS_FLOORS)
    assert not below, f"document F1 fell below {NEWS_FLOORS}: {below}"


def test_the_committed_model_is_small_enough_for_git() -> None:
    size = sum(path.stat().st_size for path in DEFAULT_MODEL.rglob("*") if path.is_file())
    assert size <= 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "label"),
    [("身兼联合创办人及营运总裁的蔡美琪透露", "OFFICIAL"), ("批评总裁的蔡美琪透露", "PERSON")],
)
def test_a_name_after_a_title_it_is_said_to_hold_and_of_is_an_official(
    nlp: Language, text: str, label: str
) -> None:
    doc = with_model_output(nlp, text, [("蔡美琪", "name")])
    assert entities(doc)["蔡美琪"] == label


def test_a_name_whose_last_character_stands_alone_before_saying_is_whole(nlp: Language) -> None:
    doc = with_model_output(nlp, "台坂长老教会牧师谢恩光表示，教会在部落扎根", [("谢恩", "name")])
    assert "谢恩光" in entities(doc)


def test_a_known_name_does_not_take_in_the_day_after_it(nlp: Language) -> None:
    doc = with_model_output(nlp, "外交部长王毅今表示，中方反对", [("王毅今", "name")])
    assert "王毅" in entities(doc)
    assert "王毅今" not in entities(doc)


def test_a_later_mention_the_model_read_only_the_start_of_is_the_whole_name(
    nlp: Language,
) -> None:
    text = "州众议员吴元之（Gene Wu）表示反对。吴元之代表休斯敦西南区"
    doc = with_model_output(nlp, text, [("吴元之", "name"), ("吴元", "name")])
    assert [ent.text for ent in doc.ents if ent.label_ in ("PERSON", "OFFICIAL")] == ["吴元之"] * 2


def test_a_school_keeps_the_kind_the_model_left_after_it(nlp: Language) -> None:
    doc = with_model_output(
        nlp, "哥打巴鲁中华独立中学也开放礼堂", [("哥打巴鲁中华独立", "organization")]
    )
    assert entities(doc) == {"哥打巴鲁中华独立中学": "ORG"}


def test_a_place_a_founding_verb_and_a_body_are_no_name(nlp: Language) -> None:
    doc = with_model_output(
        nlp, "公司已在观塘设立客户服务中心", [("观塘设立客户服务中心", "organization")]
    )
    assert "观塘设立客户服务中心" not in entities(doc)


def test_a_business_someone_runs_in_quotes_is_a_company_whatever_its_words(
    extractor: Extractor,
) -> None:
    found = extracted_types(extractor, "在前圍道經營「合興五金」的第二代東主說，生意難做。")
    assert found["合興五金"] == "COMPANY"


def test_a_firm_in_quotes_named_for_its_trade_is_a_company(extractor: Extractor) -> None:
    found = extracted_types(extractor, "在湖口經營精密零件加工的「宏竹精密」總經理說，缺工嚴重。")
    assert found["宏竹精密"] == "COMPANY"


def test_sarawak_honorifics_are_no_part_of_the_name(extractor: Extractor) -> None:
    text = "砂拉越总理拿督巴丁宜阿邦佐哈里今早在副总理拿督阿玛沈桂贤陪同下巡视灾区。"
    found = extracted_types(extractor, text)
    assert found["阿邦佐哈里"] == "OFFICIAL"
    assert found["沈桂贤"] == "OFFICIAL"


def test_a_known_two_character_name_grows_by_the_character_before_an_adverb(
    nlp: Language,
) -> None:
    doc = with_model_output(nlp, "伸港乡长张文正也说，乡内不少住户缺水", [("张文", "name")])
    assert entities(doc) == {"伸港乡": "GPE", "张文正": "OFFICIAL"}


def test_an_idiom_is_no_company(nlp: Language) -> None:
    doc = with_model_output(nlp, "工厂亏损严重，难以为继", [("难以为继", "company")])
    assert "难以为继" not in entities(doc)


def test_an_idiom_in_quotes_after_running_is_no_business(extractor: Extractor) -> None:
    found = extracted_types(extractor, "鋼廠每天虧損約70萬英鎊，經營「難以為繼」。")
    assert "難以為繼" not in found


def test_a_guessed_name_is_kept_where_the_model_ran_on_into_the_day(nlp: Language) -> None:
    doc = with_model_output(nlp, "彰化县长王惠美今天表示将补助医院", [("王惠美今", "name")])
    assert "王惠美" in entities(doc)
