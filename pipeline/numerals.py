"""Chinese numerals as numbers: 二十万 200000, 一亿零五百 100000500, 二〇二五 2025, 两点五 2.5.

News writes numbers in the standard grammar (a digit before 十百千 inside 万 and 亿 groups, 零 for
a gap) and in the spoken shortening 三万五 (35,000: a last lone digit counts in the unit below the
one before it). cn2an reads them too, but importing it takes 0.3 s of every start, and it fails on
一亿五; tests/test_numerals.py checks that every number cn2an writes is read back as that number.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {char: value for value, char in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_ZEROS = "零〇"
_UNITS = {"十": 10, "百": 100, "千": 1000}
_GROUPS = (("亿", 10**8), ("万", 10**4))  # 一万亿 is 10^12: a 亿 group may hold 万


def chinese_number(text: str) -> Decimal | None:
    """The number `text` writes in Chinese numerals, or None when it is no such number."""
    whole, _, fraction = text.partition("点")
    if not whole or not _all_digits(fraction):
        return None
    number = int(_digit_string(whole)) if _all_digits(whole) else _grouped(whole, _GROUPS)
    if number is None:
        return None
    return Decimal(f"{number}.{_digit_string(fraction)}" if fraction else number)


def _all_digits(text: str) -> bool:
    return all(char in DIGITS for char in text)


def _digit_string(text: str) -> str:
    """Digits read one by one, as years and decimals are: 二〇二五 -> "2025"."""
    return "".join(str(DIGITS[char]) for char in text)


def _grouped(text: str, groups: tuple[tuple[str, int], ...]) -> int | None:
    """A number of 亿 and 万 groups, the largest first: 一万零一亿 is (一万零一) x 亿."""
    if not groups:
        return _section(text)
    (mark, size), smaller = groups[0], groups[1:]
    head, found, tail = text.rpartition(mark)
    if not found:
        return _grouped(text, smaller)
    high = _grouped(head, smaller) if head else None
    low = _group_tail(tail, size, smaller)
    if not high or low is None:  # 万 alone, 零万: no number
        return None
    return high * size + low


def _group_tail(tail: str, size: int, groups: tuple[tuple[str, int], ...]) -> int | None:
    """What follows a group mark: 零五百 (a gap), 五 (spoken: 三万五 is 35,000) or 二千."""
    if not tail:
        return 0
    if tail[0] in _ZEROS:
        return _grouped(tail[1:], groups) if tail[1:] else 0
    if len(tail) == 1 and tail in DIGITS:
        return DIGITS[tail] * size // 10
    return _grouped(tail, groups)


def _section(text: str) -> int | None:
    """A number below 10,000: 三千零五, 十二, 一百五 (spoken: 150)."""
    value, digit, unit, gap = 0, None, None, False
    for char in text:
        if char in _ZEROS:
            if gap or digit is not None:
                return None
            gap = True
        elif char in DIGITS:
            if digit is not None:
                return None
            digit = DIGITS[char]
        elif (
            char in _UNITS
            and (unit is None or _UNITS[char] < unit)
            and (digit is not None or char == "十")  # 十二 and 一百十 but not 百二
        ):
            unit = _UNITS[char]
            value += (1 if digit is None else digit) * unit
            digit, gap = None, False
        else:
            return None
    if digit is not None:
        value += digit * (unit // 10 if unit and not gap else 1)
    return value
