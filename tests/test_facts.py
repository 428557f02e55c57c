"""Facts and values of a document: typed, normalised, with evidence in the original text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from pipeline.types import Document
from pipeline.write import load_schema, to_json_line

Extract = Callable[..., dict[str, Any]]


def facts_of(record: dict[str, Any], kind: str) -> list[tuple]:
    return [
        (fact["subject"]["name"], fact["object"] and fact["object"]["name"], fact["value"])
        for fact in record["facts"]
        if fact["type"] == kind
    ]


def test_sample_roles(sample_record: dict, gold: dict) -> None:
    roles = {
        (person, value["title"], org)
        for person, org, value in facts_of(sample_record, "holds_position")
    }
    assert {(role["person"], role["title"], role["org"]) for role in gold["roles"]} <= roles


def test_sample_relations(sample_record: dict, gold: dict) -> None:
    found = {
        (
            fact["type"],
            fact["subject"]["name"],
            (fact["object"] or {}).get("name") or fact["value"]["alias"],
        )
        for fact in sample_record["facts"]
        if fact["type"] in ("makes", "located_in", "alias_of")
    }
    expected = {(r["type"], r["subject"], r["object"]) for r in gold["relations"]}
    assert expected <= found


def test_sample_evidence_is_the_stating_sentence(sample_record: dict, gold: dict) -> None:
    evidence = {fact["type"]: [] for fact in sample_record["facts"]}
    for fact in sample_record["facts"]:
        evidence[fact["type"]].append(fact["evidence"]["text"])
    for relation in gold["relations"]:
        assert any(relation["evidence"] in text for text in evidence[relation["type"]])


def test_sample_values(sample_record: dict, gold: dict) -> None:
    values = {
        (value["kind"], value["text"]): value["normalized"] for value in sample_record["values"]
    }
    for expected in gold["values"]:
        assert values.get((expected["kind"], expected["text"])) == expected["normalized"]


def test_offsets_index_the_original(sample_record: dict, sample_document: Document) -> None:
    original = sample_document.text
    spans = [fact["evidence"] for fact in sample_record["facts"]]
    spans += [value for value in sample_record["values"]] + [
        value["evidence"] for value in sample_record["values"]
    ]
    assert spans and all(original[span["start"] : span["end"]] == span["text"] for span in spans)


def test_sample_record_matches_the_schema(sample_record: dict) -> None:
    jsonschema.validate(json.loads(to_json_line(sample_record)), load_schema())


@pytest.mark.parametrize(
    "text", ["輝達執行長黃仁勳表示", "騰訊行政總裁馬化騰出席", "英伟达首席执行官黄仁勋表示"]
)
def test_titles_normalise_to_one_role(extract_text: Extract, text: str) -> None:
    assert [value["role"] for _, _, value in facts_of(extract_text(text), "holds_position")] == [
        "CEO"
    ]


def test_role_names_the_organization(extract_text: Extract) -> None:
    assert facts_of(extract_text("騰訊行政總裁馬化騰出席論壇。"), "holds_position") == [
        ("马化腾", "腾讯", {"title": "行政总裁", "role": "CEO"})
    ]


def test_role_names_the_body_written_into_the_title(extract_text: Extract) -> None:
    assert facts_of(extract_text("交通部長陳世凱表示，台鐵全線停駛。"), "holds_position") == [
        ("陈世凯", "交通部", {"title": "交通部长", "role": "transport minister"})
    ]


def test_an_honorific_between_a_title_and_a_name_holds_no_position(extract_text: Extract) -> None:
    record = extract_text("首相拿督斯里安华在国会提呈预算案。")
    assert [(e["type"], e["name"]) for e in record["entities"] if e["type"] == "OFFICIAL"] == [
        ("OFFICIAL", "安瓦尔")
    ]
    assert facts_of(record, "holds_position") == [
        ("安瓦尔", None, {"title": "首相", "role": "prime minister"})
    ]


def test_a_former_title_holds_no_position(extract_text: Extract) -> None:
    record = extract_text("泰国前总理他信昨天出庭，总理佩通坦表示关注。")
    assert [person for person, _, _ in facts_of(record, "holds_position")] == ["佩通坦"]


def test_makes_from_chip_maker(extract_text: Extract) -> None:
    assert ("英伟达", "H20", None) in facts_of(extract_text("英伟达H20芯片需求强劲。"), "makes")


def test_makes_for_a_chip_read_from_a_model_number(extract_text: Extract) -> None:
    # H30 and 960 are in no catalogue: the maker or the series before the number gives the maker.
    record = extract_text("輝達H30晶片明年推出，昇腾960也在测试，华为未回应。")
    assert facts_of(record, "makes") == [("英伟达", "H30", None), ("华为", "昇腾960", None)]


def test_located_in_follows_the_admin_data(extract_text: Extract) -> None:
    located = facts_of(extract_text("广东深圳的比亚迪扩建工厂。"), "located_in")
    assert ("深圳", "广东", None) in located


def test_alias_of_when_the_text_says_so(extract_text: Extract) -> None:
    record = extract_text("中國禁止採購Nvidia輝達(另稱英偉達)晶片。")
    assert facts_of(record, "alias_of") == [("英伟达", None, {"alias": "英偉達"})]


def test_two_names_side_by_side_are_no_alias_claim(extract_text: Extract) -> None:
    assert facts_of(extract_text("英伟达与辉达"), "alias_of") == []


def test_values_attach_to_the_entities_of_their_clause(extract_text: Extract) -> None:
    record = extract_text("英伟达股价上涨5%，微软下跌2%。", "2025-11-05")
    assert [(v["text"], [e["name"] for e in v["entities"]]) for v in record["values"]] == [
        ("5%", ["英伟达"]),
        ("2%", ["微软"]),
    ]


def test_values_fall_back_to_the_entities_of_their_sentence(extract_text: Extract) -> None:
    record = extract_text("台積電在美國的投資，其中逾三成已到位。")
    assert [e["name"] for e in record["values"][0]["entities"]] == ["台积电", "美国"]


def test_dates_resolve_against_the_article_date(extract_text: Extract) -> None:
    record = extract_text("川普11月2日表示，去年出口下滑。", "2025-11-05")
    assert [(v["text"], v["normalized"]) for v in record["values"]] == [
        ("11月2日", "2025-11-02"),
        ("去年", "2024"),
    ]


def test_no_value_inside_a_name(extract_text: Extract) -> None:
    assert extract_text("百度發布新模型。")["values"] == []


def test_schema_rejects_a_fact_of_the_wrong_shape(sample_record: dict) -> None:
    fact = next(fact for fact in sample_record["facts"] if fact["type"] == "holds_position")
    broken = {**sample_record, "facts": [{**fact, "value": {"title": "总统"}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(to_json_line(broken)), load_schema())


def test_schema_rejects_money_without_a_currency(sample_record: dict) -> None:
    money = next(value for value in sample_record["values"] if value["kind"] == "MONEY")
    broken = {**sample_record, "values": [{**money, "normalized": {"amount": 1}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(to_json_line(broken)), load_schema())
