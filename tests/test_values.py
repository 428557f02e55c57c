"""Values found in news text and normalised: general forms, traditional and simplified."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.convert import converter
from pipeline.values import ValueFinder, article_date

TODAY = date(2025, 11, 5)  # a Wednesday


@pytest.fixture(scope="module")
def finder() -> ValueFinder:
    return ValueFinder()


def found(finder: ValueFinder, text: str, today: date | None = TODAY) -> list[tuple]:
    """(text, kind, normalised, qualifier) for each value; traditional text is converted first."""
    simplified = converter("t2s").text(text)
    return [
        (text[value.start : value.end], value.kind, value.normalized, value.qualifier)
        for value in finder(simplified, today)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("外銷占營收逾三成。", ("三成", "PERCENT", 0.3, "over")),
        ("通膨率升至8.5%。", ("8.5%", "PERCENT", 0.085, None)),
        ("电费最高减5成", ("5成", "PERCENT", 0.5, None)),
        ("良率接近九成五", ("九成五", "PERCENT", 0.95, "nearly")),
        ("市占率约两成半", ("两成半", "PERCENT", 0.25, "about")),
        ("毛利率达百分之四十二", ("百分之四十二", "PERCENT", 0.42, None)),
        ("能耗高出約30%-50%", ("30%-50%", "PERCENT", [0.3, 0.5], "about")),
        ("降幅在三至五成之间", ("三至五成", "PERCENT", [0.3, 0.5], None)),
        ("七八成的企业", ("七八成", "PERCENT", [0.7, 0.8], None)),
        ("利率上调５０％", ("５０％", "PERCENT", 0.5, None)),
    ],
)
def test_percent(finder: ValueFinder, text: str, expected: tuple) -> None:
    assert expected in found(finder, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("台積電今年資本支出約1.5兆元新臺幣", ("1.5兆元新臺幣", 1_500_000_000_000, "TWD", "about")),
        ("港府撥款港幣3億元支援初創", ("港幣3億元", 300_000_000, "HKD", None)),
        ("该公司净利润1.55亿元人民币", ("1.55亿元人民币", 155_000_000, "CNY", None)),
        ("擬投資5000億美元興建資料中心", ("5000億美元", 500_000_000_000, "USD", None)),
        ("每度電9.1美分", ("9.1美分", 0.091, "USD", None)),
        ("每度约人民币0.4元", ("人民币0.4元", 0.4, "CNY", "about")),
        ("募资二十亿港元", ("二十亿港元", 2_000_000_000, "HKD", None)),
        ("估值達一億五美元", ("一億五美元", 150_000_000, "USD", None)),  # spoken: 1.5亿
        ("融资1-2亿美元", ("1-2亿美元", [100_000_000, 200_000_000], "USD", None)),
        ("售价US$599起", ("US$599", 599, "USD", None)),
        ("罚款100万欧元", ("100万欧元", 1_000_000, "EUR", None)),
        ("门票120元", ("120元", 120, None, None)),
    ],
)
def test_money(finder: ValueFinder, text: str, expected: tuple) -> None:
    written, amount, currency, qualifier = expected
    money = (written, "MONEY", {"amount": amount, "currency": currency}, qualifier)
    assert money in found(finder, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年出貨20萬顆晶片", ("20萬顆", 200_000, "颗")),
        ("逾300多人到场", ("300多人", 300, "人")),
        ("新增装机容量1,200兆瓦", ("1,200兆瓦", 1200, "兆瓦")),
        ("装机1.5万千瓦", ("1.5万千瓦", 15_000, "千瓦")),
        ("采用7nm工艺", ("7nm", 7, "nm")),
        ("利率下调2个百分点", ("2个百分点", 2, "个百分点")),
        ("裁员5至10万人", ("5至10万人", [50_000, 100_000], "人")),
        ("雙方傷亡逾百萬人", ("百萬人", 1_000_000, "人")),
    ],
)
def test_quantity(finder: ValueFinder, text: str, expected: tuple) -> None:
    written, amount, unit = expected
    quantities = [value for value in found(finder, text) if value[1] == "QUANTITY"]
    assert [(value[0], value[2]["amount"], value[2]["unit"]) for value in quantities] == [
        (written, amount, unit)
    ]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("二〇二五年是關鍵一年", TODAY, ("二〇二五年", "2025")),
        ("會議於2025年11月5日召開", TODAY, ("2025年11月5日", "2025-11-05")),
        ("数据截至2025-10-31", TODAY, ("2025-10-31", "2025-10-31")),
        ("最終未列入10月30日會議議程", TODAY, ("10月30日", "2025-10-30")),
        ("12月30日前完成", date(2026, 1, 6), ("12月30日", "2025-12-30")),
        ("新品將於3月中旬上市", date(2025, 2, 10), ("3月中旬", ["2025-03-11", "2025-03-20"])),
        ("去年同期", TODAY, ("去年", "2024")),
        ("上周宣布", TODAY, ("上周", ["2025-10-27", "2025-11-02"])),
        ("上週五表示", TODAY, ("上週五", "2025-10-31")),
        ("川普30日表示", TODAY, ("30日", "2025-10-30")),
        ("民國114年3月", TODAY, ("民國114年3月", "2025-03")),
        ("去年底", TODAY, ("去年底", "2024")),
        ("1至10月份工業增加值", TODAY, ("1至10月份", ["2025-01", "2025-10"])),
        ("10月30日", None, ("10月30日", "--10-30")),
    ],
)
def test_date(finder: ValueFinder, text: str, today: date | None, expected: tuple) -> None:
    assert [(value[0], value[2]) for value in found(finder, text, today)] == [expected]


def test_bare_yuan_takes_the_currency_the_article_wrote_out(finder: ValueFinder) -> None:
    values = found(finder, "10月營收新台幣3,367.6億元，累計約3.13兆元。")
    assert values[-1] == (
        "3.13兆元",
        "MONEY",
        {"amount": 3_130_000_000_000, "currency": "TWD"},
        "about",
    )


def test_bare_yuan_alone_has_no_currency(finder: ValueFinder) -> None:
    assert found(finder, "营收达1131亿元") == [
        ("1131亿元", "MONEY", {"amount": 113_100_000_000, "currency": None}, None)
    ]


def test_year_part_is_a_qualifier(finder: ValueFinder) -> None:
    assert found(finder, "2025年初") == [("2025年初", "DATE", "2025", "early")]


def test_relative_dates_need_an_article_date(finder: ValueFinder) -> None:
    assert found(finder, "去年營收下滑", today=None) == []


@pytest.mark.parametrize(
    "text",
    [
        "一成不變",
        "三成為主力",
        "股價一度大跌",
        "一家公司",
        "H200晶片",
        "昇騰910C",
        "一元復始",
        "千家萬戶",
    ],
)
def test_words_that_look_like_numbers_are_not_values(finder: ValueFinder, text: str) -> None:
    assert found(finder, text) == []


def test_chinese_comma_is_no_thousands_separator(finder: ValueFinder) -> None:
    assert [value[0] for value in found(finder, "成立於2024，300家企業參與")] == ["300家"]


def test_recently_is_not_nearly(finder: ValueFinder) -> None:
    assert found(finder, "最近30天")[0][3] is None


def test_spans_index_the_given_text(finder: ValueFinder) -> None:
    text = "华为第三季营收达1.55亿元人民币，同比增长8.5%。"
    assert [text[value.start : value.end] for value in finder(text, TODAY)] == [
        "1.55亿元人民币",
        "8.5%",
    ]


def test_article_date_reads_iso_dates_only() -> None:
    assert (article_date("2025-11-05"), article_date("11/05"), article_date(None)) == (
        TODAY,
        None,
        None,
    )


def test_a_hong_kong_paragraph(finder: ValueFinder) -> None:
    text = (
        "港府昨日公布，首三季本地生產總值按年實質增長3.1%，失業率維持在3.9%。"
        "政府將撥款約20億元支援中小企。"
    )
    assert found(finder, text) == [
        ("昨日", "DATE", "2025-11-04", None),
        ("3.1%", "PERCENT", 0.031, None),
        ("3.9%", "PERCENT", 0.039, None),
        ("20億元", "MONEY", {"amount": 2_000_000_000, "currency": None}, "about"),
    ]


def test_a_mainland_paragraph(finder: ValueFinder) -> None:
    text = (
        "国家统计局4日发布数据，1至10月份，全国规模以上工业增加值同比增长6.1%，"
        "其中10月份增长5.8%。美方将对约2000亿美元商品加征25%关税，12月1日生效。"
    )
    assert found(finder, text) == [
        ("4日", "DATE", "2025-11-04", None),
        ("1至10月份", "DATE", ["2025-01", "2025-10"], None),
        ("6.1%", "PERCENT", 0.061, None),
        ("10月份", "DATE", "2025-10", None),
        ("5.8%", "PERCENT", 0.058, None),
        ("2000亿美元", "MONEY", {"amount": 200_000_000_000, "currency": "USD"}, "about"),
        ("25%", "PERCENT", 0.25, None),
        ("12月1日", "DATE", "2025-12-01", None),
    ]
