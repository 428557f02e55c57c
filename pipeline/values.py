"""Values stated in news text: PERCENT, MONEY, QUANTITY and DATE, normalised.

`ValueFinder` reads the converted (simplified) text and returns every value with its span there;
facts.py maps the spans to the original text and attaches each value to its sentence and
entities. Numbers may be Arabic (8.5, 1,200, 5000亿, 20多万) or Chinese (五成, 二十万, 二〇二五);
兆 is 10^12, as Taiwan and Hong Kong write it. Dates that lack a year, and relative dates (去年,
上周, 30日, 周一), are resolved against the article date. The words (currencies, units, relative
dates, qualifiers) are data: models/knowledge/value_*.tsv.

Normalised forms:
  PERCENT   0.5, or [0.3, 0.5] for a range
  MONEY     {"amount": 0.4, "currency": "CNY"}; currency is null when the text says only 元
  QUANTITY  {"amount": 200000, "unit": "颗", "dimension": "count"}
  DATE      "2025-10-30", "2025-10", "2025", a span ["2025-03-11", "2025-03-20"], or "--10-30"
            (month and day) when there is no article date to take the year from
Amounts of a range are lists: {"amount": [100000000, 200000000], "currency": "USD"}.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .knowledge import read_rows
from .numerals import chinese_number
from .tag import non_overlapping
from .types import DEFAULT_KNOWLEDGE

KINDS = ("PERCENT", "MONEY", "QUANTITY", "DATE")

# Full-width ASCII to half-width, except the Chinese comma: "2024，300家" is not 2,024,300.
_WIDTH = str.maketrans({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C})
_CN_DIGITS = "零〇一二两三四五六七八九"
_AR = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
# Not the prefix of a unit: 兆瓦 is a megawatt, 千克 a kilogram.
_MAG = r"(?:(?:万亿|千亿|百亿|十亿|千万|百万|十万|万|亿|兆|千|百)(?![瓦克米赫]))"
_CN = rf"[{_CN_DIGITS}十百千][{_CN_DIGITS}十百千万亿兆]*(?:点[{_CN_DIGITS}]+)?"
_AMOUNT = rf"(?:{_AR}(?:多|余)?{_MAG}?|{_CN})"
_SEP = r"\s*(?:-|–|—|~|至|到)\s*"
# A number starts where no other number or Latin word goes on (not "20" inside "H20").
_START = rf"(?<![0-9A-Za-z.{_CN_DIGITS}十百千万亿兆])"
_ARABIC = re.compile(rf"({_AR})(多|余)?({_MAG}?)")
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "兆": 10**12}

_TENTH = rf"十|10|[1-9]|[{_CN_DIGITS[2:]}]"
# 成 is a tenth only when it does not start a word: 五成 but not 一成不变, 三成为.
_NOT_A_TENTH = "为本功员立长交绩果型熟就品分都了不真效败群语"
_YEAR = rf"(?:19|20)\d\d|[{_CN_DIGITS}]{{4}}"
_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"
_EARLY = r"初(?![步次级衷])"
_MONTH_PARTS = {"上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "底": (21, 31)}
_MONTH_PARTS["末"] = _MONTH_PARTS["底"]
_YEAR_PARTS = {"初": "early", "底": "late", "末": "late"}
_WEEKDAYS = "一二三四五六日"
# Currencies a Chinese-language outlet writes as plain 元 at home (CNY, TWD, HKD, MOP).
_HOME_YUAN = frozenset({"CNY", "TWD", "HKD", "MOP"})
_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")  # 二〇二五 -> 2025


@dataclass(frozen=True)
class FoundValue:
    """A value in the converted text: [start, end) there, and its normalised form."""

    kind: str
    start: int
    end: int
    normalized: Any
    qualifier: str | None
    confidence: float


@dataclass(frozen=True)
class Lexicon:
    """The words values are written with, loaded from the knowledge folder."""

    currencies: dict[str, tuple[str | None, Decimal, str]]  # word -> (code, scale, position)
    units: dict[str, str]  # word -> dimension
    relative: dict[str, tuple[str, int]]  # word -> (unit, offset)
    qualifiers: dict[str, dict[str, str | None]]  # position -> word -> meaning

    @classmethod
    def from_dir(cls, path: str | Path = DEFAULT_KNOWLEDGE) -> Lexicon:
        """Load the four value_*.tsv files in `path`."""
        folder = Path(path)
        qualifiers: dict[str, dict[str, str | None]] = {"before": {}, "after": {}}
        rows = [
            row
            for _, row in read_rows(
                folder / "value_qualifiers.tsv", ("word", "position", "meaning")
            )
        ]
        # Longest first, so that 最近 (recently, meaning "none") is read before 近 (nearly).
        for row in sorted(rows, key=lambda row: len(row["word"]), reverse=True):
            meaning = row["meaning"] if row["meaning"] != "none" else None
            qualifiers[row["position"]][row["word"]] = meaning
        return cls(
            currencies={
                row["word"]: (row["currency"] or None, Decimal(row["scale"]), row["position"])
                for _, row in read_rows(
                    folder / "value_currencies.tsv", ("word", "currency", "scale", "position")
                )
            },
            units={
                row["word"]: row["dimension"]
                for _, row in read_rows(folder / "value_units.tsv", ("word", "dimension"))
            },
            relative={
                row["word"]: (row["unit"], int(row["offset"]))
                for _, row in read_rows(
                    folder / "value_relative_dates.tsv", ("word", "unit", "offset")
                )
            },
            qualifiers=qualifiers,
        )


Reading = tuple[Any, str | None, float] | None  # (normalised, qualifier, confidence) or no value
Reader = Callable[[re.Match[str], date | None], Reading]


class ValueFinder:
    """Finds and normalises the values of a text; built once, called per article."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon.from_dir()
        # By priority: a date beats a quantity over the same characters.
        self._patterns = self._date_patterns() + self._amount_patterns()

    def _date_patterns(self) -> list[tuple[str, re.Pattern[str], Reader]]:
        relative = self.lexicon.relative
        years = _words(w for w, (unit, _) in relative.items() if unit == "year")
        weeks = _words(w for w, (unit, _) in relative.items() if unit == "week")
        others = _words(w for w, (unit, _) in relative.items() if unit != "year")
        month_tail = rf"(?:(?P<day>{_DAY})[日号]|(?P<part>上旬|中旬|下旬|{_EARLY}|底|末))?"
        patterns = [
            (
                r"(?<![\d.])(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<month>1[0-2]|0?[1-9])"
                r"(?P=sep)(?P<day>3[01]|[12]\d|0?[1-9])(?![\d.])",
                self._calendar_date,
            ),
            (
                rf"(?:(?P<year>{_YEAR})年|民国(?P<roc>\d{{2,3}}|[{_CN_DIGITS}十百]+)年"
                rf"|(?P<relative>{years}))(?:(?P<month>{_MONTH})月份?{month_tail}"
                rf"|(?P<year_part>{_EARLY}|底|末))?",
                self._calendar_date,
            ),
            (
                rf"{_START}(?<!前)(?P<first>{_MONTH})(?:月份?)?{_SEP}(?P<month>{_MONTH})月份?",
                self._months,
            ),
            (rf"{_START}(?<!前)(?P<month>{_MONTH})月份?{month_tail}", self._calendar_date),
            (
                r"(?<![\d.月第每近数前约])(?P<day>3[01]|[12]\d|[1-9])日(?!内|以内|之内|本|元|圆|币)",
                self._day_of_month,
            ),
            (
                rf"(?<![每{_CN_DIGITS}十几数])(?P<week>{weeks}|周|星期|礼拜)"
                rf"(?P<weekday>[{_WEEKDAYS}天])",
                self._weekday,
            ),
            (rf"(?P<relative>{others})", self._relative_date),
        ]
        return [("DATE", re.compile(pattern), read) for pattern, read in patterns]

    def _amount_patterns(self) -> list[tuple[str, re.Pattern[str], Reader]]:
        currencies = self.lexicon.currencies
        prefix = _words(w for w, (_, _, where) in currencies.items() if where != "suffix")
        suffix = _words(w for w, (_, _, where) in currencies.items() if where != "prefix")
        units = _words(self.lexicon.units)
        range_of = rf"(?P<low>{_AMOUNT})(?:{_SEP}(?P<high>{_AMOUNT}))?"
        patterns = [
            ("MONEY", rf"{_START}{range_of}\s?(?P<currency>{suffix})", self._money),
            ("MONEY", rf"(?P<currency>{prefix})\s?{range_of}元?", self._money),
            ("PERCENT", rf"{_START}(?P<low>{_AR})(?:%?{_SEP}(?P<high>{_AR}))?\s?%", self._percent),
            (
                "PERCENT",
                rf"百分之(?P<low>{_AR}|{_CN})(?:{_SEP}(?:百分之)?(?P<high>{_AR}|{_CN}))?",
                self._percent,
            ),
            (
                "PERCENT",
                rf"{_START}(?P<low>{_TENTH})(?:{_SEP}(?P<high>{_TENTH})|(?P<next>[二三四五六七八九]))?"
                rf"成(?P<fraction>半|[一二三四五六七八九](?![\d{_CN_DIGITS}十百千万亿成]))?"
                rf"(?![{_NOT_A_TENTH}])",
                self._tenths,
            ),
            ("QUANTITY", rf"{_START}{range_of}\s?(?P<unit>{units})(?![A-Za-z])", self._quantity),
        ]
        return [(kind, re.compile(pattern), read) for kind, pattern, read in patterns]

    def __call__(self, text: str, today: date | None = None) -> list[FoundValue]:
        """Every value in `text`, leftmost-longest; `today` is the article date, if known."""
        plain = text.translate(_WIDTH)
        candidates = []
        for priority, (kind, pattern, read) in enumerate(self._patterns):
            for match in pattern.finditer(plain):
                reading = read(match, today)
                if reading is not None:
                    candidates.append((match.start(), match.end(), priority, kind, reading))
        values = []
        for start, end, _, kind, (normalized, qualifier, confidence) in non_overlapping(
            sorted(candidates, key=lambda candidate: candidate[2])
        ):
            qualifier = qualifier or self._qualifier(plain, start, end)
            values.append(FoundValue(kind, start, end, normalized, qualifier, confidence))
        return _home_currency(values)

    def _qualifier(self, text: str, start: int, end: int) -> str | None:
        """About, over, under...: read from the words just before or after a value."""
        for word, meaning in self.lexicon.qualifiers["before"].items():
            if text[max(0, start - len(word)) : start] == word:
                return meaning
        for word, meaning in self.lexicon.qualifiers["after"].items():
            if text.startswith(word, end):
                return meaning
        return "over" if re.search(r"\d(多|余)", text[start:end]) else None

    # Readers: a regular expression match -> (normalised, qualifier, confidence), or None.

    def _money(self, match: re.Match[str], today: date | None) -> Reading:
        code, scale, _ = self.lexicon.currencies[match["currency"]]
        if code is None and _is_one_character(match["low"]):
            return None  # 一元, 二元: more often words than money
        amounts = _amounts(match["low"], match["high"])
        if amounts is None:
            return None
        amount = [_number(value * scale) for value in amounts]
        confidence = 0.9 if code else 0.6
        return {"amount": _one_or_range(amount), "currency": code}, None, confidence

    def _percent(self, match: re.Match[str], today: date | None) -> Reading:
        amounts = _amounts(match["low"], match["high"])
        if amounts is None:
            return None
        return _one_or_range([_number(value / 100) for value in amounts]), None, 0.9

    def _tenths(self, match: re.Match[str], today: date | None) -> Reading:
        """五成 0.5, 两成半 0.25, 九成五 0.95, 三至五成 [0.3, 0.5], 七八成 [0.7, 0.8]."""
        tenths = [_integer(match["low"])]
        if match["high"] or match["next"]:
            tenths.append(_integer(match["high"] or match["next"]))
        if None in tenths or (match["next"] and tenths[1] != tenths[0] + 1):  # type: ignore[operator]
            return None  # 七九成 is no share
        fraction = match["fraction"] or ""
        hundredths = 5 if fraction == "半" else (_integer(fraction) or 0) if fraction else 0
        shares = [Decimal(tenth) / 10 for tenth in tenths]  # type: ignore[arg-type]
        shares[-1] += Decimal(hundredths) / 100
        return _one_or_range([_number(share) for share in shares]), None, 0.8

    def _quantity(self, match: re.Match[str], today: date | None) -> Reading:
        if _is_one_character(match["low"]):
            return None  # 一度, 一家, 百度: words, not measurements
        amounts = _amounts(match["low"], match["high"])
        if amounts is None:
            return None
        unit = match["unit"]
        quantity = {
            "amount": _one_or_range([_number(value) for value in amounts]),
            "unit": unit,
            "dimension": self.lexicon.units[unit],
        }
        return quantity, None, 0.8

    def _calendar_date(self, match: re.Match[str], today: date | None) -> Reading:
        """2025-11-05, 二〇二五年, 去年底, 10月30日, 3月中旬: a day, month, year or span of days."""
        groups = match.groupdict()
        year, confidence = _year(groups, self.lexicon.relative, today)
        if (year is None and groups.get("relative")) or not 1900 <= (year or 1900) <= 2100:
            return None
        month = _integer(groups["month"]) if groups.get("month") else None
        if month is None:
            if year is None:
                return None
            return f"{year:04d}", _YEAR_PARTS.get(groups.get("year_part") or ""), confidence
        day = _integer(groups["day"]) if groups.get("day") else None
        if year is None and today is not None:
            year, confidence = _closest_year(today, month, day or 15), 0.8
        part = groups.get("part")
        if year is None:
            return (f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"), None, 0.5
        if part:
            first, last = _MONTH_PARTS[part]
            last = min(last, calendar.monthrange(year, month)[1])
            return [_iso(year, month, first), _iso(year, month, last)], None, confidence
        if day is None:
            return f"{year:04d}-{month:02d}", None, confidence
        iso = _iso(year, month, day)
        return (iso, None, confidence) if iso else None

    def _months(self, match: re.Match[str], today: date | None) -> Reading:
        """1至10月: a span of months, in the year nearest the article date."""
        first, last = _integer(match["first"]), _integer(match["month"])
        if today is None or first is None or last is None or first == last:
            return None
        year = _closest_year(today, last, 15)
        first_year = year if first < last else year - 1
        return [f"{first_year:04d}-{first:02d}", f"{year:04d}-{last:02d}"], None, 0.8

    def _day_of_month(self, match: re.Match[str], today: date | None) -> Reading:
        """30日: the nearest 30th of a month around the article date."""
        if today is None:
            return None
        day = int(match["day"])
        candidates = []
        for shift in (-1, 0, 1):
            year, month = _shift_month(today.year, today.month, shift)
            if day <= calendar.monthrange(year, month)[1]:
                candidates.append(date(year, month, day))
        return min(candidates, key=lambda day: abs(day - today)).isoformat(), None, 0.7

    def _weekday(self, match: re.Match[str], today: date | None) -> Reading:
        """周一, 上周五: within the week named, else the nearest such day."""
        if today is None:
            return None
        weekday = _WEEKDAYS.index(match["weekday"].replace("天", "日"))
        if match["week"] in self.lexicon.relative:
            monday = today - timedelta(days=today.weekday())
            offset = self.lexicon.relative[match["week"]][1]
            return (monday + timedelta(days=7 * offset + weekday)).isoformat(), None, 0.8
        nearest = (weekday - today.weekday() + 3) % 7 - 3
        return (today + timedelta(days=nearest)).isoformat(), None, 0.7

    def _relative_date(self, match: re.Match[str], today: date | None) -> Reading:
        """上个月, 本周, 昨天: a month, a week (Monday to Sunday) or a day."""
        if today is None:
            return None
        unit, offset = self.lexicon.relative[match["relative"]]
        if unit == "month":
            year, month = _shift_month(today.year, today.month, offset)
            return f"{year:04d}-{month:02d}", None, 0.8
        if unit == "week":
            monday = today - timedelta(days=today.weekday() - 7 * offset)
            return [monday.isoformat(), (monday + timedelta(days=6)).isoformat()], None, 0.8
        return (today + timedelta(days=offset)).isoformat(), None, 0.8


def _words(words: Iterable[str]) -> str:
    """A regular expression alternation of words, longest first."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _home_currency(values: list[FoundValue]) -> list[FoundValue]:
    """A bare 元 is in the 元 currency the article last wrote out: 新台币3亿元 ... 5亿元."""
    home = None
    resolved = []
    for value in values:
        if value.kind == "MONEY":
            currency = value.normalized["currency"]
            if currency in _HOME_YUAN:
                home = currency
            elif currency is None and home is not None:
                value = replace(value, normalized={**value.normalized, "currency": home})
                value = replace(value, confidence=0.7)
        resolved.append(value)
    return resolved


def article_date(text: str | None) -> date | None:
    """The article date (YYYY-MM-DD) as a date, or None."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _amounts(low: str, high: str | None) -> list[Decimal] | None:
    """The numbers of a value or range; 1-2亿 gives the low end the high end's magnitude."""
    first = _amount(low)
    second = _amount(high) if high is not None else None
    if first is None or (high is not None and second is None):
        return None
    if second is None:
        return [first[0] * first[1]]
    magnitude = second[1] if first[1] == 1 else first[1]
    return [first[0] * magnitude, second[0] * second[1]]


def _amount(text: str) -> tuple[Decimal, int] | None:
    """A written number as (number, magnitude): 1.55亿 -> (1.55, 10**8), 二十万 -> (20, 10**4)."""
    match = _ARABIC.fullmatch(text)
    if match:
        number: Decimal | None = Decimal(match[1].replace(",", ""))
        tail = match[3]
    else:
        if text[0] in "百千":
            text = "一" + text  # 百万 is 一百万
        head = text.rstrip("万亿兆")
        # Split the magnitude off 二十万 but not off 一亿二千万 (a number read whole).
        tail = text[len(head) :] if head and not set(head) & set("万亿兆") else ""
        number = chinese_number((head if tail else text).replace("兆", "万亿"))
    if number is None:
        return None
    magnitude = 1
    for char in tail:
        magnitude *= _MAGNITUDES[char]
    return number, magnitude


def _is_one_character(text: str) -> bool:
    """One Chinese numeral character (一, 三, 百): too often part of a word (一度, 百度)."""
    return len(text) == 1 and not text.isdigit()


def _integer(text: str) -> int | None:
    amount = _amount(text)
    return int(amount[0]) if amount is not None else None


def _number(value: Decimal) -> int | float:
    """A JSON number without binary noise: 9.1美分 is 0.091, not 0.09099999999999999."""
    return int(value) if value == value.to_integral_value() else float(value)


def _one_or_range(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _year(
    groups: dict[str, str | None], relative: dict[str, tuple[str, int]], today: date | None
) -> tuple[int | None, float]:
    """The year a date names: written (2025, 二〇二五), 民国 (114 -> 2025) or relative (去年)."""
    if groups.get("year"):
        return int(groups["year"].translate(_DIGITS)), 0.95  # type: ignore[union-attr]
    if groups.get("roc"):
        roc = _integer(groups["roc"])  # type: ignore[arg-type]
        return (roc + 1911 if roc else None), 0.9
    if groups.get("relative") and today is not None:
        return today.year + relative[groups["relative"]][1], 0.85  # type: ignore[index]
    return None, 0.0


def _closest_year(today: date, month: int, day: int) -> int:
    """The year that puts month/day nearest the article date (news is about recent times)."""
    return min(
        (today.year - 1, today.year, today.year + 1),
        key=lambda year: abs((date(year, month, min(day, 28)) - today).days),
    )


def _shift_month(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
