"""Chinese numerals read as numbers, with cn2an's writer as the reference."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numerals import chinese_number


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_every_integer_cn2an_writes_reads_back(number: int) -> None:
    assert chinese_number(cn2an.an2cn(number)) == number


@settings(max_examples=1000, deadline=None)
@given(st.decimals(min_value=0, max_value=10**8, places=3, allow_nan=False))
def test_every_decimal_cn2an_writes_reads_back(number: Decimal) -> None:
    written = cn2an.an2cn(str(number))
    assert chinese_number(written) == Decimal(str(cn2an.cn2an(written, "normal")))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("三万五", 35_000),
        ("一百五", 150),
        ("两千三", 2_300),
        ("十一万三", 113_000),
        ("一亿五", 150_000_000),  # cn2an raises KeyError here
        ("一亿零五百", 100_000_500),
        ("一万零一亿", 1_000_100_000_000),
        ("二〇二五", 2025),
        ("零五", 5),
        ("一千三百零", 1_300),
        ("两点五", Decimal("2.5")),
        ("零点零五", Decimal("0.05")),
    ],
)
def test_spoken_and_digit_by_digit_forms(text: str, number: int | Decimal) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize(
    "text", ["万", "百", "百二", "三百零零五", "二三百", "十百一", "一亿亿", "点五"]
)
def test_what_is_no_number_gives_none(text: str) -> None:
    assert chinese_number(text) is None
