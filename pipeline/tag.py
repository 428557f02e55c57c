"""Entity components: the knowledge ruler and the title grammar.

The knowledge ruler matches every known alias on characters (Aho-Corasick, leftmost-longest),
so an entity's boundaries never depend on how jieba happened to cut the text: when a match
falls inside a token, the token is split. The title grammar then reads titles (美国总统川普,
发言人毛宁, 李强总理) and bylines (记者谢守真) to find officials and persons no list knows.
Both run before any statistical NER, which respects the entities already set.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from ahocorasick_rs import AhoCorasick, MatchKind
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .cache import cached
from .convert import converter
from .knowledge import (
    DISTRICT_ENDS,
    DISTRICT_LEVELS,
    ContextRule,
    Entry,
    Knowledge,
    normalize_alias,
)
from .segment import doc_text, jieba_dictionary
from .types import CONVERSIONS

KNOWLEDGE_PIPE = "zhfacts_knowledge_ruler"
TITLES_KEY = "titles"
HONORIFIC = "honorific"  # the role of titles.tsv's honorifics (拿督斯里): they name no office
VETOED_KEY = "zhfacts_vetoed"  # doc.user_data: (start, end) of names context says are none
CHIP_MAKERS_KEY = "zhfacts_chip_makers"  # doc.user_data: maker id of each chip read from a model
PERSON_TYPES = ("PERSON", "OFFICIAL")
FREQUENT_WORD_FREQUENCY = 10_000  # a one-character word this frequent is mostly no surname
FUNCTION_TAGS = ("v", "p", "c", "d")  # jieba tags of verbs, prepositions, conjunctions, adverbs
ORGANIZATION_TYPES = ("ORG", "COMPANY", "GPE", "PROVINCE")
PLACE_TYPES = ("GPE", "PROVINCE")
GOVERNMENT_SUFFIXES = "委员会|办公室|厅|局|处|委|办"  # of departments: 商务厅, 发展改革委, 农业处
GOVERNMENT_INFIXES = "人民政府|政府"  # between the place and the function: 桃园市政府警察局
# The government or council of a place named with its level (万锦市政府, 熊本县政府, 多伦多市
# 议会) is a body (ORG); a country's government (美国政府) is the country (GPE, taxonomy.md).
LOCAL_BODIES = "政府|议会|公所"  # 前镇区公所: a Taiwan district's or township's office
LOCAL_GOVERNMENT = f"(?:(?<=[省市县州区乡镇])|[省市县州区乡镇])(?:{LOCAL_BODIES})"
_LOCAL_BODY = re.compile(LOCAL_BODIES)
# A place's district court and prosecutors office (台中地方法院, 台中地检署): bodies of their own.
LOCAL_COURTS = "地方法院|地方检察署|地检署|地院"
# A place's police precinct or station (浦东分局, 三重分局 of 三重区, 中山派出所).
LOCAL_POLICE = "分局|派出所"
_PRECINCT = re.compile(LOCAL_POLICE)
# A Hong Kong district's office, police district and rural committee (屯门民政事务处, 屯门警区,
# 西贡乡事委员会)
DISTRICT_OFFICES = "民政事务处|警区|乡事委员会"
# A party's last character in a word for its members (共和|党籍, 民主党员, 共和党人): jieba's
# words do not end where the party's name does.
_PARTY_MEMBER = re.compile("党(?=[籍员人])")
# 省商务厅: the department of the province named last; not 各县市 (counties and cities)
_BARE_LEVEL = re.compile("(?<![县省各])[省市]")
# After a place: a development zone (a GPE: 北京经济技术开发区, 肇庆高新区) ...
_ZONE = re.compile(
    "(?:国家级|国家)?(?:经济技术开发区|高新技术产业开发区|高新区|经开区|开发区|综合保税区|保税区"
    "|自由贸易试验区|自贸区|新区)"
)
# ... and after 驻 and a place, a diplomatic mission (an ORG: 中国驻德国大使馆).
_MISSION = re.compile("大使馆|总领事馆|领事馆|使馆|代表处")
# A town's council after its name, as Malaysian papers write it (巴生市政厅, 八打灵再也市政厅)
_TOWN_COUNCIL = re.compile("市政厅|市议会|县议会")
# A village after its district, township or town (永康区|王行里, 芳苑乡|新宝村)
_VILLAGE = re.compile("[\u4e00-\u9fff]{2}[里村]")
_VILLAGE_PARENTS = "区乡镇"
# A township after its county (从江县|加榜乡, 黎平县|尚重镇) or its city (东莞|长安镇)
_TOWNSHIP = re.compile("[\u4e00-\u9fff]{2}[乡镇]")
_TOWNSHIP_PARENTS = "县旗"
# A place's investment company (安宁城投, 昆明城投): a company; but 城投债 are its bonds
_CITY_INVESTMENT = re.compile("城投(?!债)")
TIME_TAG = "t"  # jieba's words of time (明年, 同年)
IDIOM_TAG = "i"  # idioms alone: set phrases (l) hold names of bodies too
IDIOM_TAGS = (IDIOM_TAG, "l")  # jieba's idioms and set phrases (何去何从, 高度重视)
GIVEN_NAME_TAGS = ("nr", "nrfg")  # jieba's tags of names (智勇 in 曾|智勇)
FACILITIES = ("公路", "隧道", "大桥")  # named after places (屯门公路); not 口岸: 阿拉山口|口岸
# After a zone or a town, the body that runs it (苏州工业园区|管委会, 淡滨尼|市镇理事会)
_COMMITTEE = re.compile("管委会|管理委员会|市镇理事会")
COMPANY_WORDS = ("公司", "企业", "厂商", "业者", "新创", "初创")  # 物流公司|宏运物流|创办人
MAX_COMPANY_NAME = 12  # DuckDuckGo
# Three Han characters or more (现任 is two), or Latin letters; not a region, a department, an
# association or an office (企业|发展促进会|会长).
_COMPANY_NAME = re.compile(
    r"(?:[\u4e00-\u9fff]{3,}|[A-Za-z][\u4e00-\u9fffA-Za-z]+)(?<![区部处会局署院委所办])"
)
CONTEXT_CHARS = 40
MAX_BODY_BEFORE_TITLE = 8  # characters of a body's name before the title that ends it (房屋|局长)
ALIAS_TABLE = "alias_table.txt"  # not .tsv: the knowledge loader reads every .tsv as knowledge

_FULL_WIDTH: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
HALF_WIDTH = str.maketrans(_FULL_WIDTH)  # full-width ASCII (Ｈ２０) to half-width (H20)
# Folding keeps the length: full-width ASCII to half-width, ASCII letters to lower case.
_FOLD = str.maketrans(
    {**_FULL_WIDTH, 0x3000: " ", **{code: code + 32 for code in range(ord("A"), ord("Z") + 1)}}
)
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")  # 𪸩: OpenCC's simplified 煇
_WORD_SUFFIXES = frozenset("市省县区州部局院社会委署党")
_ALIAS_TABLE_HEADER = "key\tids\tcased\tword\n"


def fold(text: str) -> str:
    """The form both text and aliases are matched in (same length as `text`)."""
    return text.translate(_FOLD)


class _Key(NamedTuple):  # a named tuple: tens of thousands are read at each start
    ids: tuple[str, ...]  # the entities an alias names, the preferred one first
    cased: frozenset[str]  # short Latin aliases (US, FT) must match in one of these cases
    word: bool  # matches only as a whole jieba word (see _needs_word)


def alias_forms(alias: str) -> set[str]:
    """An alias as written and as each conversion would turn it, so it matches converted text."""
    alias = normalize_alias(alias)
    return {alias} | {converter(mode).text(alias) for mode in CONVERSIONS}


def _usable(alias: str, knowledge: Knowledge) -> bool:
    # One character is never enough evidence (中, 美), and generic words never fire.
    return len(alias) >= 2 and alias not in knowledge.generic


def _needs_word(key: str) -> bool:
    """Whether a name counts only where jieba reads it as a whole word.

    Two Han characters are too easily part of other words (美国 in 中美国家), and a name that
    ends in an administrative or organizational suffix is often the start of a longer word
    (北京市 in 北京市场, 公安部 in 公安部门, 民主党 in 民主党派).
    """
    return all_han(key) and (len(key) == 2 or key[-1] in _WORD_SUFFIXES)


def all_han(text: str) -> bool:
    """Whether every character of `text` is a Han character (empty text: True)."""
    return all(_HAN.match(char) for char in text)


def alias_table(knowledge: Knowledge) -> dict[str, _Key]:
    """Every folded form of every usable alias, with the ids it names (best first)."""
    keys: dict[str, list[Entry]] = {}
    cased: dict[str, set[str]] = {}
    for entry in _by_priority(knowledge.entries.values()):
        for alias in entry.names:
            for form in alias_forms(alias):
                if not _usable(form, knowledge):
                    continue
                key = fold(form)
                if entry not in keys.setdefault(key, []):
                    keys[key].append(entry)
                if form.isascii() and len(form) <= 3:
                    cased.setdefault(key, set()).add(form.translate(HALF_WIDTH))
    return {
        key: _Key(
            tuple(entry.id for entry in entries),
            frozenset(cased.get(key, ())),
            _needs_word(key) or all(entry.attrs.get("match") == "word" for entry in entries),
        )
        for key, entries in keys.items()
    }


def write_alias_table(table: dict[str, _Key], path: Path) -> None:
    """Save the table (key, ids, cased forms, word; one line each) so loading skips OpenCC."""
    lines = [
        f"{key}\t{'|'.join(value.ids)}\t{'|'.join(sorted(value.cased))}\t{'word' * value.word}\n"
        for key, value in sorted(table.items())
    ]
    path.write_text(_ALIAS_TABLE_HEADER + "".join(lines), encoding="utf-8")


def read_alias_table(path: Path) -> dict[str, _Key] | None:
    """The saved table, or None when there is none in this format (it is then recomputed)."""
    if not path.exists():
        return None
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    if header + "\n" != _ALIAS_TABLE_HEADER:
        return None
    table = {}
    no_case: frozenset[str] = frozenset()
    for line in lines:
        key, ids, cased, word = line.split("\t")
        table[key] = _Key(
            tuple(map(sys.intern, ids.split("|"))),  # the entries' own id strings
            frozenset(cased.split("|")) if cased else no_case,
            bool(word),
        )
    return table


class KnowledgeRuler:
    """Sets doc.ents from the knowledge files: known names, with their ids in `kb_id_`."""

    def __init__(self, nlp: Language, name: str = KNOWLEDGE_PIPE) -> None:
        self.nlp = nlp
        self.name = name
        self.knowledge: Knowledge | None = None
        self._table: dict[str, _Key] = {}
        self._automaton: Phrases[_Key] | None = None
        self._districts: Phrases[dict[str, str]] = Phrases({})
        self._district_stems: Phrases[dict[str, str]] = Phrases({})
        self._rules: dict[str, list[ContextRule]] = {}
        self._government: re.Pattern[str] | None = None

    def initialize(
        self, get_examples: object = None, *, nlp: Language | None = None, knowledge_dir: str = ""
    ) -> None:
        """Load the knowledge files (`[initialize.components.<name>] knowledge_dir`)."""
        self.set_knowledge(Knowledge.from_dir(knowledge_dir))

    def set_knowledge(self, knowledge: Knowledge, table: dict[str, _Key] | None = None) -> None:
        """Use `knowledge`; `table` is its alias table when already computed (from_disk)."""
        self.knowledge = knowledge
        self._table = alias_table(knowledge) if table is None else table
        self._automaton = Phrases(self._table, overlapping=True)
        shared = {
            name: by_city
            for name, by_city in knowledge.shared_districts.items()
            if name not in self._table  # a name one place has is that place's
        }
        self._districts = Phrases(shared)
        self._district_stems = Phrases(
            {
                name[:-1]: by_city
                for name, by_city in shared.items()
                if name.endswith(DISTRICT_ENDS) and name[:-1] not in self._table
            }
        )
        functions = "|".join(
            sorted(map(re.escape, knowledge.government_functions), key=len, reverse=True)
        )
        self._government = (
            re.compile(
                f"(?:{GOVERNMENT_INFIXES})?(?:{functions})(?:{GOVERNMENT_SUFFIXES})|人民政府|海关"
                f"|{LOCAL_GOVERNMENT}|{LOCAL_COURTS}|{LOCAL_POLICE}|{DISTRICT_OFFICES}"
            )
            if functions
            else None
        )
        self._rules = {}
        for alias, rules in knowledge.context_rules.items():
            for form in alias_forms(alias):
                self._rules.setdefault(fold(form), []).extend(rules)

    def words(self) -> set[str]:
        """Every form of every alias and title, and the generic words: the jieba user dictionary."""
        assert self.knowledge is not None
        words = {
            form
            for entry in self.knowledge.entries.values()
            if not self.knowledge.is_town(entry.id)  # 39,000 towns: matched without word bounds
            for alias in entry.names
            for form in alias_forms(alias)
            if _usable(form, self.knowledge)
        }
        words.update(form for title in self.knowledge.titles for form in alias_forms(title))
        words.update(self.knowledge.generic)  # kept apart from names too (三星 + 公司)
        return words

    def __call__(self, doc: Doc) -> Doc:
        if self._automaton is None or self.knowledge is None:
            raise ValueError(f"{self.name} has no knowledge: call initialize() or from_disk()")
        starts, ends = token_bounds(doc)
        text = doc_text(doc)
        members = [member.end() for member in _PARTY_MEMBER.finditer(text)]
        matches, chip_makers, vetoed = self._match(text, {*starts, *ends, *members})
        doc = split_tokens(doc, [(start, end) for start, end, _, _ in matches])
        spans = []
        for start, end, entity_id, entity_type in matches:
            span = doc.char_span(start, end, label=entity_type, kb_id=entity_id)
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans([*doc.ents, *spans])
        doc.user_data[VETOED_KEY] = vetoed
        doc.user_data[CHIP_MAKERS_KEY] = {
            entity_id: chip_makers[entity_id]
            for _, _, entity_id, _ in matches
            if entity_id in chip_makers
        }
        return doc

    def match(self, text: str, words: set[int] | None = None) -> list[tuple[int, int, str, str]]:
        """Known entities in `text` as (start, end, id, type), leftmost-longest, no overlaps.

        `words` holds the word boundaries of `text` (jieba's): some aliases count only where
        they are a word of their own (see _needs_word). Without them every alias counts.
        """
        return self._match(text, words)[0]

    def _match(
        self, text: str, words: set[int] | None
    ) -> tuple[list[tuple[int, int, str, str]], dict[str, str], list[tuple[int, int]]]:
        """`match`, the maker of each chip read from a model number (see _chip_models), and
        where a name stands that its context says is no entity (香格里拉对话)."""
        assert self._automaton is not None and self.knowledge is not None
        folded = fold(text)
        found = []
        vetoed = []
        dropped: set[int] = set()
        anchors = []  # every reading, even out of word bounds: 昇腾 in 昇腾910E anchors a chip
        readings = []
        for start, end, key in self._automaton.find(folded):
            if key.cased and text[start:end].translate(HALF_WIDTH) not in key.cased:
                continue
            rule = self._rule_for(folded[start:end], key.ids, text, start, end)
            if rule is not None and rule.decision == "drop":
                if rule.specific:  # 香格里拉对话; not a default drop (吉利 as "lucky")
                    vetoed.append((start, end))
                dropped.update(range(start, end + 1))
                continue
            decided = self._decided(rule, key.ids)
            anchors.append((start, end, *decided))
            readings.append((start, end, key.word, decided))
        # Where the context says a word is no name, the names in it or across its edges may
        # count (上海 in 上海临港, 台东 across 台|东至).
        bounds = words | dropped if words is not None and dropped else words
        for start, end, needs_word, decided in readings:
            if (
                word_bounded(folded, start, end)
                and (bounds is None or not needs_word or {start, end} <= bounds)
                and not (bounds is not None and _runs_into_a_word(folded, end, bounds))
                and not (
                    bounds is not None
                    and self.knowledge.is_town(decided[0])
                    and _starts_inside_a_word(folded, start, bounds)
                )
            ):
                found.append((start, end, *decided))
        chips, chip_makers = self._chip_models(text, anchors)
        places = _Places(anchors)
        bodies = self._government_bodies(text, places, anchors) + _names_after_places(text, places)
        bodies += self._precincts(text, folded)
        matches = self._foreign_bodies(text, non_overlapping(found + chips + bodies))
        matches = self._with_their_cities(folded, self._bare_bodies(folded, matches, words))
        matches = _every_mention(folded, self._districts_of_named_cities(folded, matches))
        facilities = _places_of_facilities(text, matches)
        vetoed += [(start, end) for start, end, *_ in facilities]
        matches = [match for match in matches if match not in facilities]
        return _with_their_committees(text, matches), chip_makers, vetoed

    def _with_their_cities(
        self, folded: str, matches: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """A district written with its city (台北市|信义区, 深圳市|南山区) is two places: the
        city, and the district under its own name."""
        assert self.knowledge is not None
        split = []
        for start, end, entity_id, entity_type in matches:
            city = self.knowledge.parent_written_in(entity_id, folded[start:end])
            if city:
                parent = self.knowledge.entries[entity_id].attrs["parent"]
                parent_type = self.knowledge.entries[parent].type
                split.append((start, start + len(city), parent, parent_type))
                start += len(city)
            split.append((start, end, entity_id, entity_type))
        return split

    def _districts_of_named_cities(
        self, folded: str, matches: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """A district whose name several cities share (南山区, 鼓楼区), named bare in a text that
        names one of those cities: that city's district; and without its level right after its
        city (广州|南沙)."""
        named = {entity_id for _, _, entity_id, _ in matches}
        city_ending = {end: entity_id for _, end, entity_id, _ in matches}
        found = []
        for start, end, by_city in self._districts.find(folded):
            districts = [district for city, district in by_city.items() if city in named]
            if len(districts) == 1:
                found.append((start, end, districts[0], "GPE"))
        for start, end, by_city in self._district_stems.find(folded):
            district = by_city.get(city_ending.get(start, ""))
            if district is not None:
                found.append((start, end, district, "GPE"))
        return _with_free(matches, found)

    def _bare_bodies(
        self, folded: str, matches: list[tuple[int, int, str, str]], words: set[int] | None
    ) -> list[tuple[int, int, str, str]]:
        """A bare 国会, 议会 or court in a story about one country or region: its body of that
        name (韩国国会 where most known names are South Korea's, 香港终审法院); none where no
        country leads or where the leading one has no body of that name (台湾's 国会 is 立法院)."""
        assert self.knowledge is not None
        country = self.knowledge.leading_region(entity_id for _, _, entity_id, _ in matches)
        if country is None:
            return matches
        found = []
        for word in BARE_BODIES:
            start = folded.find(word)
            body = self._body_of(country, word) if start >= 0 else None
            while body is not None and start >= 0:
                end = start + len(word)
                if self._bare_word(folded, start, end, words):
                    found.append((start, end, body, "ORG"))
                start = folded.find(word, end)
        return _with_free(matches, found)

    @staticmethod
    def _bare_word(folded: str, start: int, end: int, words: set[int] | None) -> bool:
        """Whether folded[start:end] is a word of its own, or ends one after a verb (解散国会);
        not the start of a longer word (国会议员) nor the end of a name (区议会)."""
        if words is None:
            return True
        if end not in words:
            return False
        word_start = max((bound for bound in words if bound <= start), default=0)
        return word_start == start or known_verb(folded[word_start:start])

    def _body_of(self, country: str, word: str) -> str | None:
        """The id of the body named by the country and `word` (韩国|国会), or None."""
        assert self.knowledge is not None
        body = self.knowledge.body_named(word, country)
        names = self.knowledge.entries[country].names if country in self.knowledge.entries else []
        if body is None or self.knowledge.entries[body].name[: -len(word)] not in names:
            return None  # 香港区议会: a council, not the parliament
        return body

    def _foreign_bodies(
        self, text: str, matches: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """A country and, right after it, a government body known only as another country's
        (越南|外交部, where the list's bare 外交部 is China's): the body of that name the
        country has, or a body of its own (越南外交部)."""
        assert self.knowledge is not None
        knowledge = self.knowledge
        kept: list[tuple[int, int, str, str]] = []
        for start, end, entity_id, entity_type in matches:
            country = kept[-1] if kept else None
            if (
                country is not None
                and country[1] == start
                and country[3] in PLACE_TYPES
                and knowledge.region_of(country[2]) == country[2]
                and entity_type == "ORG"
                and entity_id in knowledge.entries
                and knowledge.entries[entity_id].attrs.get("kind") == "government"
                and knowledge.region_of(entity_id) not in (None, country[2])
            ):
                body = knowledge.body_named(text[start:end], country[2])
                kept[-1] = (country[0], end, body or f"org/{text[country[0] : end]}", "ORG")
                continue
            kept.append((start, end, entity_id, entity_type))
        return kept

    def _rule_for(
        self, key: str, ids: tuple[str, ...], text: str, start: int, end: int
    ) -> ContextRule | None:
        """The context rule that decides what the alias `key` at start-end stands for, if any."""
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        return next(
            (
                rule
                for rule in self._rules.get(key, ())
                # a rule without an id is about the alias's first entity
                if (rule.id or ids[0]) in ids and rule.matches(before, after)
            ),
            None,
        )

    def _decided(self, rule: ContextRule | None, ids: tuple[str, ...]) -> tuple[str, str]:
        """The (id, type) an alias stands for under `rule` (keep or a type), or by default."""
        assert self.knowledge is not None
        if rule is None:
            entry = self.knowledge.entries[ids[0]]
            return entry.id, entry.type
        target = rule.id or ids[0]
        entry = self.knowledge.entries[target]
        return target, entry.type if rule.decision == "keep" else rule.decision

    def _chip_models(
        self, text: str, found: list[tuple[int, int, str, str]]
    ) -> tuple[list[tuple[int, int, str, str]], dict[str, str]]:
        """Chips no list knows, read from a model number after a maker or series (英伟达H30),
        and the maker of each: the company before the number, or the series' maker."""
        assert self.knowledge is not None
        chips = []
        makers = {}
        for start, end, anchor, _ in found:
            for chip in self.knowledge.chip_patterns.get(anchor, ()):
                model = chip.pattern.match(text, end)
                if model is None:
                    continue
                name = chip.chip_name(model.group("model"), self.knowledge.entries[anchor].name)
                known = self._table.get(fold(name))
                chip_id = known.ids[0] if known else f"chip/{name}"
                maker = self._maker(anchor)
                if not known and maker:
                    makers[chip_id] = maker
                chip_start = start if "{anchor}" in chip.name else model.start("model")
                chips.append((chip_start, model.end("model"), chip_id, "CHIP"))
        return chips, makers

    def _government_bodies(
        self, text: str, places: _Places, anchors: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """Departments named by a place and a function (深圳市工业和信息化局, 江苏省商务厅), and a
        place's 人民政府, 市政府 or 海关 (上海海关): the model cuts them at 和 or takes them for
        addresses. A bare 省 or 市 (省商务厅) is the province or city the text named last."""
        if self._government is None:
            return []
        bare = {level.end() for level in _BARE_LEVEL.finditer(text)}
        bodies = []
        for position in sorted(places.by_end.keys() | bare):  # only where a name can start
            match = self._government.match(text, position)
            if match is None:
                continue
            if position in places.by_end:
                start = places.by_end[position]
                name = text[start : match.end()]
            elif _LOCAL_BODY.fullmatch(match.group()):
                continue  # a bare 市政府 or 市议会 names no place
            else:
                start = position - 1
                name = self._named_level(text[start], start, anchors) + text[position : match.end()]
            bodies.append((start, match.end(), f"org/{name}", "ORG"))
        return bodies

    def _precincts(self, text: str, folded: str) -> list[tuple[int, int, str, str]]:
        """Police precincts and stations named by a district without its level (三重分局 of
        三重区, 朝阳分局): the bare names are too ambiguous to be places alone (三重, 朝阳)."""
        found = []
        for precinct in _PRECINCT.finditer(folded):
            end = precinct.end()
            for size in (3, 2):
                start = precinct.start() - size
                name = folded[max(start, 0) : precinct.start()]
                if start >= 0 and all_han(name) and self._is_district(name):
                    found.append((start, end, f"org/{text[start:end]}", "ORG"))
                    break
        return found

    def _is_district(self, name: str) -> bool:
        """Whether `name` with a level (区, 县...) is a known place."""
        assert self.knowledge is not None
        entries = self.knowledge.entries
        return any(
            entries[entity_id].type in PLACE_TYPES
            for level in DISTRICT_LEVELS
            for entity_id in getattr(self._table.get(name + level), "ids", ())
        )

    def _named_level(self, level: str, before: int, places: list[tuple[int, int, str, str]]) -> str:
        """The province (省) or city (市) a text named most often before `before` (the last one
        of those), with its level (江苏省; 北京市: a municipality is a province and a city), or
        the bare level when it named none."""
        assert self.knowledge is not None
        wanted = ("PROVINCE",) if level == "省" else ("GPE", "PROVINCE")
        named = []  # in text order
        for _, end, entity_id, kind in sorted(places, key=lambda match: match[1]):
            if end > before or kind not in wanted:
                continue
            entry = self.knowledge.entries[entity_id]
            full = entry.name if entry.name.endswith(level) else entry.name + level
            if full in entry.names:
                named.append(full)
        counts = Counter(named)
        return max(reversed(named), key=counts.__getitem__, default=level)  # ties: the last

    def _maker(self, anchor: str) -> str | None:
        """The company behind a chip anchor: the anchor itself, or a series' maker."""
        assert self.knowledge is not None
        entry = self.knowledge.entries[anchor]
        return anchor if entry.type == "COMPANY" else entry.attrs.get("maker")

    def entities_by_alias(self, types: Iterable[str]) -> dict[str, Entry]:
        """Every folded alias form of a known entity of `types` -> that entity (the first of
        its types an alias names)."""
        assert self.knowledge is not None
        entries = self.knowledge.entries
        found = {}
        for key, value in self._table.items():
            entry = next((entries[i] for i in value.ids if entries[i].type in types), None)
            if entry is not None:
                found[key] = entry
        return found

    def type_of(self, name: str) -> str | None:
        """The type of the entity `name` is an alias of, or None when it is no known name."""
        assert self.knowledge is not None
        key = self._table.get(fold(name))
        return self.knowledge.entries[key.ids[0]].type if key else None

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        assert self.knowledge is not None
        self.knowledge.to_disk(path)
        write_alias_table(self._table, Path(path) / ALIAS_TABLE)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> KnowledgeRuler:
        folder = Path(path)
        files = sorted(file for file in folder.iterdir() if file.is_file())
        knowledge, table = cached("knowledge", files, lambda: _read_knowledge(folder))
        knowledge.path = folder  # the cached copy may come from the same files elsewhere
        self.set_knowledge(knowledge, table)
        return self


def _read_knowledge(folder: Path) -> tuple[Knowledge, dict[str, _Key]]:
    """The knowledge saved in `folder` with its lookup tables, and its alias table."""
    knowledge = Knowledge.from_dir(folder).build_lookups()
    return knowledge, read_alias_table(folder / ALIAS_TABLE) or alias_table(knowledge)


class _Places:
    """The known places of a text by position, the longest where several start or end together
    (also inside a word: 桃园市|政府): where the names made from a place begin."""

    def __init__(self, anchors: list[tuple[int, int, str, str]]) -> None:
        self.by_end: dict[int, int] = {}
        self.by_start: dict[int, int] = {}
        for start, end, _, kind in sorted(anchors, key=lambda match: match[1] - match[0]):
            if kind in PLACE_TYPES:
                self.by_end[end] = start
                self.by_start[start] = end


def _names_after_places(text: str, places: _Places) -> list[tuple[int, int, str, str]]:
    """Development zones (北京经济技术开发区: GPE), diplomatic missions (中国驻德国大使馆: ORG),
    town councils (巴生市政厅: ORG), investment companies (安宁城投: COMPANY), townships
    (从江县|加榜乡: GPE) and villages (永康区|王行里: GPE) named after a known place, which the
    model cuts or leaves out."""
    found = []
    for start, end in places.by_start.items():
        zone = _ZONE.match(text, end)
        if zone is not None:
            found.append((start, zone.end(), f"place/{text[start : zone.end()]}", "GPE"))
        township = _TOWNSHIP.match(text, end)
        if township is not None and _township_name(township.group(), text[end - 1]):
            found.append((end, township.end(), f"place/{township.group()}", "GPE"))
            end = township.end()  # 从江县|加榜乡|加车村: the township's village
        village = _VILLAGE.match(text, end) if text[end - 1] in _VILLAGE_PARENTS else None
        if village is not None and _village_name(village.group()):
            found.append((end, village.end(), f"place/{village.group()}", "GPE"))
        company = _CITY_INVESTMENT.match(text, end)
        if company is not None:
            name = text[start : company.end()]
            found.append((start, company.end(), f"company/{name}", "COMPANY"))
        council = _TOWN_COUNCIL.match(text, end)
        if council is not None:
            found.append((start, council.end(), f"org/{text[start : council.end()]}", "ORG"))
        mission = _MISSION.match(text, end)
        if mission is not None and start > 0 and text[start - 1] == "驻":
            begin = places.by_end.get(start - 1, start - 1)  # 中国|驻德国大使馆
            found.append((begin, mission.end(), f"org/{text[begin : mission.end()]}", "ORG"))
    return found


def _every_mention(
    folded: str, matches: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """The places found by their parent (从江县|加榜乡, 芳苑乡|新宝村) at their other mentions
    too, where the parent is not written again (加榜乡的梯田)."""
    named = {
        folded[start:end]: (entity_id, entity_type)
        for start, end, entity_id, entity_type in matches
        if entity_id == f"place/{folded[start:end]}"  # found by the rules, no list has it
    }
    if not named:
        return matches
    found = [
        (match.start(), match.end(), *named[match.group()])
        for match in re.finditer("|".join(map(re.escape, named)), folded)
    ]
    return _with_free(matches, found)


def _with_free(
    matches: list[tuple[int, int, str, str]], found: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """`matches` and those of `found` that overlap none of them, in text order."""
    taken = {position for start, end, _, _ in matches for position in range(start, end)}
    free = [match for match in found if taken.isdisjoint(range(match[0], match[1]))]
    return sorted(matches + free) if free else matches


def _township_name(name: str, parent_end: str) -> bool:
    """Whether `name` after a place is a township's: after a county (从江县|加榜乡), a name no
    dictionary word holds; after any place, also a stem jieba knows as a place (东莞|长安镇)."""
    if parent_end in _TOWNSHIP_PARENTS:
        return _village_name(name)
    new_town = name.startswith("新")  # 新市镇, 新城镇: new towns, no name
    return not new_town and jieba_dictionary().tags.get(name) == "ns"


def _village_name(name: str) -> bool:
    """Whether `name` (王行里, 新宝村) is a village's: no word of the dictionary (农村), no common
    word before 里 or 村 (部分里), and no conjunction or particle first (与大里, 的阿里)."""
    frequencies = jieba_dictionary().frequencies
    first = frequencies.get(name[0], 0) >= FUNCTION_WORD_FREQUENCY or preposition(name[0])
    common = frequencies.get(name[:-1], 0) >= COMMON_WORD_FREQUENCY  # 苓雅区|部分|里别
    return name not in frequencies and not first and not common


def _places_of_facilities(
    text: str, matches: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """The places that name a road, a tunnel or a bridge (屯门|公路): the name is the
    facility's, no mention of the place."""
    return [
        match
        for match in matches
        if match[3] in PLACE_TYPES and text.startswith(FACILITIES, match[1])
    ]


def _with_their_committees(
    text: str, matches: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """A place and the committee that runs it (临港新片区|管委会, 苏州工业园区|管理委员会,
    淡滨尼|市镇理事会) are one body: the committee."""
    found = []
    for start, end, entity_id, entity_type in matches:
        committee = _COMMITTEE.match(text, end) if entity_type == "GPE" else None
        if committee is None:
            found.append((start, end, entity_id, entity_type))
        else:
            found.append((start, committee.end(), f"org/{text[start : committee.end()]}", "ORG"))
    return found


def _by_priority(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in the order an ambiguous alias prefers them: provinces before their cities."""
    order = {"PROVINCE": 0, "GPE": 1, "COMPANY": 2, "ORG": 3, "OFFICIAL": 4, "PERSON": 5, "CHIP": 6}
    return sorted(entries, key=lambda entry: order.get(entry.type, 9))


def _runs_into_a_word(text: str, end: int, words: set[int]) -> bool:
    """Whether a name's last two characters and the next one are a word jieba read there (上海
    大学|生 is 上海|大学生: college students of Shanghai, not the university)."""
    return end not in words and text[end - 2 : end + 1] in jieba_dictionary().frequencies


def _starts_inside_a_word(text: str, start: int, words: set[int]) -> bool:
    """Whether a name's first character ends a word jieba read there (部分|乡镇 is no 分乡镇)."""
    return start not in words and text[start - 1 : start + 1] in jieba_dictionary().frequencies


def word_bounded(text: str, start: int, end: int) -> bool:
    """Latin and digit names must not be cut out of a longer Latin word or number (H20 in H200)."""
    if _ASCII_WORD.match(text[start]) and start > 0 and _ASCII_WORD.match(text[start - 1]):
        return False
    return not (
        _ASCII_WORD.match(text[end - 1]) and end < len(text) and _ASCII_WORD.match(text[end])
    )


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """The start and the end character offsets of the tokens, in order (no Token objects: fast)."""
    bounds = doc.to_array([IDX, LENGTH]).reshape(-1, 2)
    return bounds[:, 0].tolist(), bounds.sum(axis=1).tolist()


def split_tokens(doc: Doc, spans: Iterable[tuple[int, int]]) -> Doc:
    """Split tokens so that every character span starts and ends on a token boundary."""
    cuts = sorted({position for span in spans for position in span})
    if not cuts:
        return doc
    starts = doc.to_array(IDX).tolist()
    pieces: dict[int, list[int]] = {}
    for cut in cuts:  # most cuts fall between tokens: the token before it is never made
        index = bisect_right(starts, cut) - 1
        if index >= 0 and starts[index] < cut < starts[index] + len(doc[index]):
            pieces.setdefault(index, []).append(cut - starts[index])
    if not pieces:
        return doc
    with doc.retokenize() as retokenizer:
        for index, inner in pieces.items():
            token = doc[index]
            bounds = [0, *inner, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    return doc


@Language.factory(
    KNOWLEDGE_PIPE,
    assigns=["doc.ents", "token.ent_kb_id"],
    default_config={},
)
def make_knowledge_ruler(nlp: Language, name: str) -> KnowledgeRuler:
    return KnowledgeRuler(nlp, name)


class TitleGrammar:
    """Finds officials from titles and persons from bylines; keeps titles in doc.spans."""

    def __init__(self, nlp: Language, name: str = "zhfacts_title_grammar") -> None:
        self.nlp = nlp
        self.name = name
        self._knowledge: Knowledge | None = None
        self._ruler: KnowledgeRuler | None = None
        self._titles: Phrases[str] = Phrases({})  # made from the ruler's knowledge by _load
        self._bylines: Phrases[str] = Phrases({})
        self._roles: Phrases[str] = Phrases({})

    def _load(self) -> Knowledge:
        if self._knowledge is None:
            ruler = self.nlp.get_pipe(KNOWLEDGE_PIPE)
            if not isinstance(ruler, KnowledgeRuler) or ruler.knowledge is None:
                raise ValueError(f"{self.name} needs {KNOWLEDGE_PIPE} before it")
            knowledge = ruler.knowledge
            self._ruler = ruler
            self._titles = Phrases(
                {fold(form): title for title in knowledge.titles for form in alias_forms(title)}
            )
            self._bylines = Phrases({fold(marker): marker for marker in knowledge.bylines})
            self._roles = Phrases({fold(role): role for role in knowledge.roles})
            self._knowledge = knowledge
        return self._knowledge

    def __call__(self, doc: Doc) -> Doc:
        knowledge = self._load()
        text = doc_text(doc)
        names = NameFinder(doc, knowledge, getattr(self.nlp.tokenizer, "word_frequencies", {}))
        folded = fold(text)
        titles = [
            (start, end + 1, title)  # 外交部长|官: Korea's ministers are 长官
            if title.endswith(MINISTER) and folded.startswith(KOREAN_MINISTER_END, end)
            else (start, end, title)
            for start, end, title in self._titles.find(folded)
        ]
        ents = Entities(doc)
        found = self._officials(text, ents, titles, names)
        found += self._bylined(text, folded, ents, names)
        found += self._after_roles(text, folded, ents, names, titles)
        found += self._companies_before_titles(text, ents, titles, names)
        bodies = self._bodies_in_titles(text, ents, titles, names)
        doc = split_tokens(doc, [(start, end) for start, end, *_ in found + bodies + titles])
        if found or bodies:
            kept = {(ent.start_char, ent.end_char): ent for ent in doc.ents}
            for start, end, label in found:
                span = doc.char_span(start, end, label="PERSON" if label == NAMESAKE else label)
                if span is not None:
                    old = kept.get((start, end))
                    # A known person keeps its id; a place read as a name (普安) and a
                    # namesake have none.
                    known = old is not None and old.label_ in PERSON_TYPES and label != NAMESAKE
                    span.kb_id_ = old.kb_id_ if known and old is not None else ""
                    kept[(start, end)] = span
            for start, end, entity_id, label in bodies:
                span = doc.char_span(start, end, label=label, kb_id=entity_id)
                if span is not None:
                    kept[(start, end)] = span
            _namesakes_throughout(kept, found)
            doc.ents = filter_spans(list(kept.values()))
        title_spans = (
            doc.char_span(start, end, label=knowledge.titles[title].role)
            for start, end, title in titles
        )
        doc.spans[TITLES_KEY] = [span for span in title_spans if span is not None]
        return doc

    def _officials(
        self, text: str, ents: Entities, titles: list[tuple[int, int, str]], names: NameFinder
    ) -> list[tuple[int, int, str]]:
        """Persons next to a title: 美国总统川普, 发言人毛宁, 李强总理; after a title and an
        honorific (总会长丹斯里吴添泉), the honorific's person."""
        found = []
        title_starts = {start for start, _, _ in titles}
        for start, end, _ in titles:
            name_start = end + 1 if text[end : end + 1] == " " else end
            if name_start in title_starts:
                continue  # another title (an honorific) comes first: its person is this one's
            after = ents.starts.get(name_start)
            before = ents.ends.get(start)
            if after is not None:
                if after.label_ in PERSON_TYPES:
                    found.append((after.start_char, self._name_end(text, after, names), "OFFICIAL"))
                elif (name_end := self._name_over_place(after, names)) is not None:
                    found.append((name_start, name_end, "OFFICIAL"))
            elif before is not None and before.label_ in PERSON_TYPES:
                found.append((before.start_char, before.end_char, "OFFICIAL"))
            elif not _partial_name(text, name_start):  # 东主|何先生: no name
                name_end = names.after_title(name_start)
                if name_end is not None and self._names_no_other(text[name_start:name_end]):
                    found.append((name_start, name_end, "OFFICIAL"))
        return found

    def _companies_before_titles(
        self, text: str, ents: Entities, titles: list[tuple[int, int, str]], names: NameFinder
    ) -> list[tuple[int, int, str]]:
        """Companies no list knows, named between a word for a company and a business title
        (物流公司|宏运物流|创办人, 零部件企业|芯恒精密|创始人); not words that qualify the
        title (公司|联合|创始人, 公司|现任|董事长)."""
        assert self._knowledge is not None
        starts = names.bounds[0]
        title_ends = [end for _, end, _ in titles]
        found = []
        for start, _, title in titles:
            business = self._knowledge.titles[title].kind == "business"
            if not business or ents.overlapping(start - 1, start):
                continue
            first = bisect_left(starts, start - MAX_COMPANY_NAME)
            for begin in starts[first : bisect_left(starts, start - 1)]:  # the longest first
                name = text[begin:start]
                if (
                    text.endswith(COMPANY_WORDS, 0, begin)
                    and _COMPANY_NAME.fullmatch(name)
                    and not ents.overlapping(begin, start)
                    and not any(begin < end <= start for end in title_ends)  # 创办人|兼|总裁
                    and names.native(begin) != start  # 公司|陈建国|董事长: a person
                    and not name.endswith(LEGAL_FORM_STARTS)  # 宏茂营造有限|公司负责人
                    and not all(names.common_word(word) for word in names.words(begin, start))
                ):
                    found.append((begin, start, "COMPANY"))
                    break
        return found

    def _bodies_in_titles(
        self, text: str, ents: Entities, titles: list[tuple[int, int, str]], names: NameFinder
    ) -> list[tuple[int, int, str, str]]:
        """Known bodies that jieba ran into a title, as (start, end, id, type): 发展局 in
        发展|局局长, or written into the title before its head 长: 交通部 in 交通部长, 房屋局 in
        房屋局长, 美国交通部 in 美国|交通部长. The ruler, which wants whole words, misses them."""
        starts = names.bounds[0]
        found = []
        for start, end, _ in titles:
            before = ents.ends.get(start)
            if ents.overlapping(start, end) or (
                before is not None and before.label_ not in PLACE_TYPES  # 外交部|部长
            ):
                continue
            body = self._known_body(text, ents, starts, start, end)
            if body is None:
                continue
            begin, body_end, named = body
            name_start = end + 1 if text[end : end + 1] == " " else end
            holder = ents.starts.get(name_start)
            name_end = holder.end_char if holder is not None else names.after_title(name_start)
            holder_name = text[name_start:name_end] if name_end is not None else ""
            known = holder.kb_id_ if holder is not None else ""
            body_id = self._office_body(text[begin:body_end], known, holder_name, named)
            if body_id is not None:
                found.append((begin, body_end, body_id, "ORG"))
        return found

    def _known_body(
        self, text: str, ents: Entities, starts: list[int], start: int, end: int
    ) -> tuple[int, int, str] | None:
        """The longest known body (start, end, id) that ends where the title at `start`-`end`
        starts (发展|局局长) or before its head 长 (交通部长), and starts on a word."""
        assert self._ruler is not None
        first = bisect_left(starts, start - MAX_BODY_BEFORE_TITLE)
        for body_end in (start, end - 1) if text[end - 1] == "长" else (start,):
            for begin in starts[first : bisect_left(starts, body_end)]:  # the longest first
                match = self._ruler.match(text[begin:body_end])
                if (
                    len(match) == 1
                    and match[0][:2] == (0, body_end - begin)
                    and match[0][3] == "ORG"
                    and ents.overlapping(begin, body_end) == ents.inside(begin, body_end)
                    and self._body_starts_here(text, ents, starts, begin)
                ):
                    return begin, body_end, match[0][2]
        return None

    def _office_body(self, name: str, holder: str, holder_name: str, named: str) -> str | None:
        """Which body called `name` a title holds: the one of its holder's office (商务部长卢特尼克:
        美国商务部, not China's 商务部), or the body of that name in the office's country or region
        (发展局局长宁汉豪: Hong Kong's); for a holder no list knows, the body `named`."""
        knowledge = self._load()
        offices = knowledge.offices.get(holder, [])
        if not offices:
            # A foreign name no list knows holds a foreign office (农业部长安妮·热纳瓦尔).
            foreign = "·" in holder_name or set(holder_name) <= knowledge.transliteration
            return None if holder_name and foreign else named
        for office in offices:
            body = knowledge.entries.get(office.org)
            if body is None:
                continue
            if body.type == "ORG" and any(known.endswith(name) for known in body.names):
                return body.id
            region = body.id if body.type in PLACE_TYPES else body.attrs.get("country", "")
            in_region = knowledge.body_named(name, region)
            if in_region is not None:
                return in_region
        return None

    @staticmethod
    def _body_starts_here(text: str, ents: Entities, starts: list[int], begin: int) -> bool:
        """Whether a body's name can start at `begin`: not after a place (法国|外交部长 is not
        China's 外交部) nor after a noun that may be the start of a longer name no list knows
        (外交与对外|经济部长), but after punctuation, a verb or 新任."""
        place = ents.ends.get(begin)
        if place is not None and place.label_ in PLACE_TYPES:
            return False
        index = bisect_left(starts, begin)
        word = text[starts[index - 1] : begin] if index > 0 else ""
        if not word or not all_han(word) or word in OFFICE_MODIFIERS:
            return True
        tag = jieba_dictionary().tags.get(word, "")
        return not tag.startswith("n") and tag not in NOUN_LIKE_TAGS

    def _name_end(self, text: str, known: Span, names: NameFinder) -> int:
        """Where the name that starts with a known name ends: a longer transliterated name
        holds it (巴赫利尔 is not 巴赫)."""
        knowledge = self._load()
        end = names.after_title(known.start_char) or known.end_char
        if (
            end - known.end_char >= 2
            and set(text[known.end_char : end]) <= knowledge.transliteration
        ):
            return end
        return known.end_char

    def _name_over_place(self, place: Span, names: NameFinder) -> int | None:
        """The end of the name of a title's holder that a known place starts: a county's bare
        name (国会议长普安, not the county in Guizhou) or a city inside a longer Chinese name
        (行政总裁金泽培, not 金泽 in Japan) or a longer transliterated name (交通部长素里亚, not
        素里 in Canada); None when the place is a place."""
        if place.label_ != "GPE":
            return None
        end = names.after_title(place.start_char)
        if end is None:
            return None
        entry = self._load().entries.get(place.kb_id_)
        if (
            entry is not None
            and entry.attrs.get("kind") == "county"
            and place.text == entry.name
            and end >= place.end_char
        ):
            return end
        transliterated = set(names.text[place.start_char : end]) <= self._load().transliteration
        if end > place.end_char and (transliterated or names.native(place.start_char) == end):
            return end
        return None

    def _names_no_other(self, name: str) -> bool:
        """Whether `name` neither is nor starts with a known non-person (主席波兰共和国)."""
        assert self._ruler is not None
        return all(
            self._ruler.type_of(name[:end]) in (None, *PERSON_TYPES)
            for end in range(2, len(name) + 1)
        )

    def _bylined(
        self, text: str, folded: str, ents: Entities, names: NameFinder
    ) -> list[tuple[int, int, str]]:
        """Reporters and editors in bylines: 记者谢守真, 编译黄淑玲, 文／王小明, also after
        their outlet (文｜财新 周嘉怡), and the names listed after the first (记者周佩蓉、
        洪宜君)."""
        found = []
        for _, end, marker in self._bylines.find(folded):
            name_start = _after_separators(text, end)  # 记者 | 沈嘉怡
            if (len(marker) == 1 and name_start == end) or names.splits_a_word(end):
                continue  # 摄影|师张伟明: a photographer, no byline
            outlet = ents.starts.get(name_start)
            if outlet is not None and outlet.label_ == "ORG":
                name_start = _after_separators(text, outlet.end_char)
            while name_start not in ents.starts:
                name_end = names.native(name_start)
                if name_end is None:
                    break
                found.append((name_start, name_end, "PERSON"))
                name_start = name_end
                while text[name_start : name_start + 1] in _NAME_LIST_SEPARATORS:
                    name_start += 1  # 记者 田晓燕  王家明: two spaces
                if name_start == name_end:
                    break
        return found

    def _after_roles(
        self,
        text: str,
        folded: str,
        ents: Entities,
        names: NameFinder,
        titles: list[tuple[int, int, str]],
    ) -> list[tuple[int, int, str]]:
        """Persons after a word for someone with no office: 分析师叶尚志, 律师马克·莱姆利; not
        partial names (民众陈小姐), nor a role read across a known name (恒基兆|业主|席). A
        known official after a role is a namesake with no office (基金经理人|陈冠廷, not the
        legislator), but not after an office's role (国务总理|候选人|金民锡: the known one)."""
        title_ends = {title_end for _, title_end, _ in titles}
        found = []
        for start, end, _ in self._roles.find(folded):
            name_start = end + 1 if text[end : end + 1] == " " else end
            known = ents.starts.get(name_start)
            beside = name_start == end and not ents.overlapping(start, end)  # not 内地生 蔡若莲
            if known is not None and known.label_ == "OFFICIAL" and start in title_ends:
                continue
            if known is not None and known.label_ == "OFFICIAL" and beside:
                found.append((name_start, known.end_char, NAMESAKE))  # 基金经理人|陈冠廷
                continue
            if known is not None or _partial_name(text, name_start) or ents.overlapping(start, end):
                continue
            if names.ends_inside_a_word(end):
                continue  # 发展商|人士: 商人 read across a word
            name_end = names.after_title(name_start)
            if name_end is not None and self._names_no_other(text[name_start:name_end]):
                found.append((name_start, name_end, "PERSON"))
        return found


def _namesakes_throughout(
    kept: dict[tuple[int, int], Span], found: list[tuple[int, int, str]]
) -> None:
    """A known official's name that one mention shows is a namesake's (主嫌|陈冠廷) is his at
    the mentions no title speaks for (声押陈冠廷等6人): a text names one person so."""
    namesakes = {
        kept[start, end].text
        for start, end, label in found
        if label == NAMESAKE and (start, end) in kept
    }
    titled = {(start, end) for start, end, _ in found}
    for offsets, ent in kept.items():
        if (
            ent.text in namesakes
            and ent.kb_id_
            and ent.label_ in PERSON_TYPES
            and offsets not in titled
        ):
            kept[offsets] = Span(ent.doc, ent.start, ent.end, label="PERSON")


def _after_separators(text: str, position: int) -> int:
    """The first position from `position` on that holds no byline separator."""
    while position < len(text) and text[position] in BYLINE_SEPARATORS:
        position += 1
    return position


def function_word(
    char: str, tags: tuple[str, ...] = FUNCTION_TAGS, frequency: int = FREQUENT_WORD_FREQUENCY
) -> bool:
    """A frequent verb, preposition, conjunction or adverb (应, 向, 和): as a surname rare.
    `tags` and `frequency` narrow or widen what counts."""
    dictionary = jieba_dictionary()
    return (
        dictionary.tags.get(char, "") in tags and dictionary.frequencies.get(char, 0) >= frequency
    )


def former(title: Span) -> bool:
    """Whether a title is one its holder no longer holds (前总理他信, 原国务委员王勇, also
    with 副 or the body between: 原|副|总裁, 前|立法会|议员, 前|国会|主席)."""
    doc, before = title.doc, title.start - 1
    while before >= 0 and (
        doc[before].text in ("副", *BARE_BODIES) or doc[before].ent_type_ in BODY_TYPES
    ):
        before -= 1
    return before >= 0 and doc[before].text in FORMER_WORDS


def preposition(char: str) -> bool:
    """A frequent preposition or conjunction (于, 及, 在): no name starts with it."""
    return function_word(char, ("p", "c"))


def dictionary_word(text: str) -> bool:
    """A word of jieba's dictionary, no proper name and not rare (宿舍, 余粮), or an idiom however
    rare (高度重视): no person's name, though a surname character may start it; rarer words may
    be names (筒井, 勒庞)."""
    dictionary = jieba_dictionary()
    tag = dictionary.tags.get(text, "nr")
    frequent = dictionary.frequencies.get(text, 0) >= NAME_WORD_FREQUENCY
    return tag in IDIOM_TAGS or (tag not in PROPER_TAGS and frequent)


def known_verb(word: str) -> bool:
    """A verb or adjective jieba knows well (安心, 放心): no person's name, though a surname
    character may start it."""
    dictionary = jieba_dictionary()
    return (
        dictionary.tags.get(word) in VERB_TAGS
        and dictionary.frequencies.get(word, 0) >= VERB_FREQUENCY
    )


def trimmed_name_end(text: str, start: int, end: int) -> int:
    """`end` moved back over what ends no name (庄翠云|则, 何超琼|称, 崔东树|分析, 肖千|周三,
    吉本孝寿|坦言, 何嘉俊|则指)."""
    if end - start > 2 and any(text.startswith(word, end - 1) for word in WORDS_AFTER_NAMES_RUN_ON):
        end -= 1  # the last character starts the word after the name (肖千周|三, 吉本孝寿坦|言)
    while end - start > 2:
        verb = next((v for v in WORDS_AFTER_NAMES_RUN_ON if text.endswith(v, start, end)), "")
        if verb and end - len(verb) - start >= 2:
            end -= len(verb)
        elif text[end - 1] in NOT_NAME_ENDS or (end - start > 3 and text[end - 1] in AFTER_NAMES):
            end -= 1  # 何子谦|向《香港01》表示, 黎明兴|曾表示; but 王向东
        else:
            break
    return end


def _partial_name(text: str, start: int) -> bool:
    """A surname with a word for a person and no given name: 陈先生, 刘姓, 王某."""
    return text[start + 1 : start + 3].startswith(PARTIAL_NAME_ENDS)


# Characters that end no name: a name is sometimes run on into the conjunction or adverb after
# it (庄翠云则指出, 乔希·霍利则表示, 陈志伟及承办商) or an ordinal (陈杰宪第一局).
NOT_NAME_ENDS = "则也亦还又就都并而却即便等第称说指较已及于与遭在"
MRS = "太"  # after a surname, Mrs (何太), as Hong Kong writes
# After a name of three characters (何子谦|向记者表示, 黎明兴|曾表示), not in one (王向东)
AFTER_NAMES = "向曾"
# jieba tags of verbs and adjectives, and how frequent such a word is to be no name (安心)
VERB_TAGS = ("v", "vn", "vd", "a", "ad", "an", "d")
VERB_FREQUENCY = 300
# Words of time whose first character a name may run into (周三表示, 同日表示): the first
# character, and what follows it in such a word.
TIME_WORDS = {
    "周": "一二三四五六日末",
    "同": "日时年月",
    "今": "日天年",
    "昨": "日天",
    "当": "日天晚",
    "本": "周月年日",
    "上": "周月午",
    "下": "周月午",
}
# Verbs of saying that follow a name and that a model sometimes takes into it (崔东树分析称).
SPEECH_VERBS = (
    "分析",
    "指出",
    "表示",
    "认为",
    "透露",
    "强调",
    "坦言",
    "直言",
    "回应",
    "预计",
    "估计",
    "介绍",
    "补充",
    "提醒",
    "建议",
    "证实",
    "承认",
    "否认",
    "警告",
    "批评",
    "称赞",
    "欢迎",
    "呼吁",
    "宣布",
)
# Words of time that follow a name and that a model sometimes takes into it (施华赛后表示).
TIME_AFTER_NAMES = ("赛后", "会后", "随后", "日前", "此前", "早前") + tuple(
    first + second for first, seconds in TIME_WORDS.items() for second in seconds
)  # 周三, 同日, 当天 ...
WORDS_AFTER_NAMES_RUN_ON = SPEECH_VERBS + TIME_AFTER_NAMES
# Words that follow a name and could be read as its last transliterated character (对, 和).
WORDS_AFTER_NAMES = "对向在和与及说称表为将把被从于让"
# A surname with one of these is no full name (刘姓负责人, 王某, 陈先生, 麦官 for the judge Mak,
# 许嫌 for the suspect Xu).
PARTIAL_NAME_ENDS = ("姓", "某", "先生", "女士", "小姐", "太太", "师傅", "官", "嫌")
# Words before an office title that are no part of the body's name (前|交通部长, 新任|国防部长).
OFFICE_MODIFIERS = frozenset({"前", "原", "新任", "现任", "时任", "首任", "代理"})
# A country's or region's parliament and courts, named bare in stories about it (韩国|国会,
# 香港|终审法院; see _bare_bodies)
BARE_BODIES = ("国会", "议会", "终审法院", "高等法院", "区域法院", "司法机构")
MINISTER, KOREAN_MINISTER_END = "部长", "官"  # 外交部长官赵显: the name is 赵显
# Words before a title that its holder no longer holds (前|总理, 原|国务委员, 已故|前|总统).
FORMER_WORDS = frozenset({"前", "原", "前任", "已故"})
NOUN_LIKE_TAGS = ("", "s", "f", "b", "j", "vn", "an")  # jieba tags; "" is a word jieba lacks
MAX_JAPANESE_GIVEN_NAME = 3  # 进次郎
# The start of a legal form, which a title that starts with 公司 cuts off (有限|公司负责人)
LEGAL_FORM_STARTS = ("有限", "股份")
MAX_NAME_PART = 6  # characters of one part of a transliterated name (阿卜杜勒阿齐兹)
_NAME_LIST_SEPARATORS = ("、", " ", "\u3000")  # between a byline's names (记者周佩蓉、洪宜君)
BYLINE_SEPARATORS = "/／:： |｜"  # what may stand between a byline marker and the name
COMMON_WORD_FREQUENCY = 1000
NAME_WORD_FREQUENCY = 20  # see dictionary_word
# jieba tags of proper names; j (abbreviation) too: 欧盟, 美军, 中共
PROPER_TAGS = ("nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "OOV")
NAMESAKE = "namesake"  # a person the title grammar finds under a known official's name
BODY_TYPES = ("ORG", "GPE", "PROVINCE")  # what a title may be of (立法会|议员, 美国|总统)
VIETNAMESE_MIDDLE_NAME = "氏"  # between a Vietnamese woman's surname and given name (阮氏秋香)
FUNCTION_WORD_FREQUENCY = 100000  # 在, 和, 等, 说 ...; no given-name character is this frequent


class NameFinder:
    """Finds where a personal name starting at a position ends, using the doc's tokens."""

    def __init__(self, doc: Doc, knowledge: Knowledge, frequencies: dict[str, int]) -> None:
        self.text = doc_text(doc)
        self.knowledge = knowledge
        self.frequencies = frequencies
        self.doc = doc

    @cached_property
    def bounds(self) -> tuple[list[int], list[int]]:
        return token_bounds(self.doc)

    def _token_length(self, start: int) -> int:
        """The length of the token that starts at `start`, or 0 when none does."""
        starts, ends = self.bounds
        index = bisect_left(starts, start)
        return ends[index] - start if index < len(starts) and starts[index] == start else 0

    def ends_inside_a_word(self, position: int) -> bool:
        """Whether a role that ends at `position` ends inside one of jieba's words and no
        surname follows it (发展商|人士: no 商人; but 果|农林|美玉: jieba joined 农 to 林)."""
        token = self._token_holding(position)
        inside = token is not None and token[0] < position
        return inside and self.text[position] not in self.knowledge.surnames

    def splits_a_word(self, position: int) -> bool:
        """Whether `position` falls inside a word of jieba's dictionary (摄影|师)."""
        token = self._token_holding(position)
        return (
            token is not None
            and token[0] < position
            and self.text[token[0] : token[1]] in self.frequencies
        )

    def _token_holding(self, position: int) -> tuple[int, int] | None:
        """The (start, end) of the token that holds the character at `position`."""
        starts, ends = self.bounds
        index = bisect_right(starts, position) - 1
        return (starts[index], ends[index]) if index >= 0 and position < ends[index] else None

    def native(self, start: int) -> int | None:
        """A Japanese or Chinese name in Han characters (吉村洋文, 王毅; 普安|已)."""
        japanese = self.japanese(start)
        if japanese is not None:
            return japanese
        end = self.chinese(start)
        if end is None:
            return None
        end = trimmed_name_end(self.text, start, end)
        return None if dictionary_word(self.text[start:end]) else end  # 学生|宿舍|及

    def japanese(self, start: int) -> int | None:
        """A Japanese name: a surname of the Japanese list and one to three given-name
        characters, up to a common word or a function word (吉村洋文|表示, 小泉进次郎)."""
        text = self.text
        surname = next(
            (
                size
                for size in (3, 2)
                if text[start : start + size] in self.knowledge.japanese_surnames
            ),
            None,
        )
        if surname is None:
            return None
        given_start = end = start + surname
        while (
            end - given_start < MAX_JAPANESE_GIVEN_NAME
            and _HAN.match(text[end : end + 1] or " ")
            and (
                text[end] == "也"  # 拓也, 哲也
                or not function_word(text[end])
                or (end == given_start and self._rare_given_name(end))  # 小林|直树
            )
            and text[end] not in WORDS_AFTER_NAMES
            and not self._common_word_at(end)
        ):
            end += 1
        trimmed = trimmed_name_end(text, start, end)
        # 也 ends many given names (拓也): it is a word after the name only after two others.
        end = trimmed if trimmed - given_start >= 2 or end - given_start < 2 else end
        return end if end > given_start else None

    def _after_dot(self, start: int) -> int:
        """The end of the part of a dotted name after its dot at `start` - 1, whatever its
        characters (热纳瓦尔 has 热, which names seldom have), up to a word that follows names."""
        end = start
        while (
            end - start < MAX_NAME_PART
            and _HAN.match(self.text[end : end + 1] or " ")
            and self.text[end] not in WORDS_AFTER_NAMES
            and not (end > start and (function_word(self.text[end]) or self._common_word_at(end)))
        ):
            end += 1
        return end

    def _rare_given_name(self, position: int) -> bool:
        """Whether jieba read a rare word of two characters at `position`: a given name, even
        one that starts with an adverb (直树 of 小林直树)."""
        word = self.text[position : position + self._token_length(position)]
        return len(word) == 2 and not self.common_word(word)

    def words(self, start: int, end: int) -> list[str]:
        """jieba's words from `start` to `end` (both on word bounds)."""
        starts, ends = self.bounds
        first, last = bisect_left(starts, start), bisect_left(ends, end)
        return [self.text[starts[index] : ends[index]] for index in range(first, last + 1)]

    def common_word(self, word: str) -> bool:
        """Whether jieba's dictionary counts `word` often (表示, 物流): no name of its own."""
        return self.frequencies.get(word, 0) >= COMMON_WORD_FREQUENCY

    def _common_word_at(self, position: int) -> bool:
        """Whether a common word of two or more characters starts at `position` (表示)."""
        word = self.text[position : position + self._token_length(position)]
        return len(word) >= 2 and self.common_word(word)

    def chinese(self, start: int) -> int | None:
        """A Chinese name: a surname and one or two given-name characters (王毅, 谢守真)."""
        text = self.text
        surname = next(
            (size for size in (2, 1) if text[start : start + size] in self.knowledge.surnames), None
        )
        if surname is None or text.startswith(TIME_AFTER_NAMES, start):
            return None  # no surname, or a word of time (周四)
        vietnamese = self._vietnamese_womans_name_end(start)
        if vietnamese is not None:
            return vietnamese
        # inside a word (业|主权|益), the two characters from the surname on
        token = text[start : start + (self._token_length(start) or 2)]
        common = (
            self.common_word(token)
            or known_verb(token)
            or known_verb(token[:2])
            or jieba_dictionary().tags.get(token) == TIME_TAG  # 明年|暑假
        )
        adverb = len(token) == 1 and function_word(token) and not self._given_name_after(start)
        if (len(token) >= 2 and common) or adverb:
            return None  # a common word that starts with a surname character (和平, 高度, 明显增)
        given = 0
        while given < 2 and _HAN.match(
            text[start + surname + given : start + surname + given + 1] or " "
        ):
            given += 1
        second = start + surname + 1
        word = text[second : second + self._token_length(second)]
        # a common dictionary word, not jieba's guess nor a rare one (周德明|说, not 周德|明说),
        # but not where a word of time or saying follows it (苏国|生日|前, 王莆|中表|示)
        starts_a_word = given == 2 and (
            (len(word) >= 2 and self.common_word(word))
            or (
                self.frequencies.get(text[second], 0) >= FUNCTION_WORD_FREQUENCY
                and jieba_dictionary().tags.get(text[second]) != "m"  # 陈素月: 月 of dates
            )
        )
        if starts_a_word and not text.startswith(WORDS_AFTER_NAMES_RUN_ON, second + 1):
            given = 1  # the second character starts a word (王毅表示) or is one (李鹏在东京)
        elif given == 2 and text.startswith(TIME_AFTER_NAMES, second):
            given = 1  # the third character starts a word of time (张翔|早前|表示)
        if given == 1 and text[start + surname] in (*NOT_NAME_ENDS, MRS):
            return None  # a surname character and an adverb (律师费|已), or Mrs (何太): no name
        if surname + given <= len(token) and dictionary_word(token):
            # a word that starts with a surname character (学生|宿舍, 员工|何去何从; not 许家|铭)
            return None
        return start + surname + given if given else None

    def _vietnamese_womans_name_end(self, start: int) -> int | None:
        """The end of a Vietnamese woman's name, a surname, 氏 and a given name that is no
        common word (阮氏|秋香; but 陈氏|家族 is a clan)."""
        given = start + 1 + len(VIETNAMESE_MIDDLE_NAME)
        if not self.text.startswith(VIETNAMESE_MIDDLE_NAME, start + 1):
            return None
        word = self.text[given : given + self._token_length(given)]
        if 1 <= len(word) <= 2 and all_han(word) and not self.common_word(word):
            return given + len(word)
        return None

    def _rare_word_end(self, start: int, position: int) -> int | None:
        """The end of the token holding `position` if it began after `start` and is no common
        word, else None."""
        token = self._token_holding(position)
        if token is None or not start <= token[0] < position:
            return None
        return None if self.common_word(self.text[token[0] : token[1]]) else token[1]

    def _given_name_after(self, start: int) -> bool:
        """Whether a surname that is also an adverb or a preposition (曾, 于) starts a name: jieba
        read the word after it as a given name (主委曾|智勇; not 主委曾任)."""
        token = self._token_holding(start + 1)
        return (
            self.text[start] in self.knowledge.surnames
            and token is not None
            and token[0] == start + 1
            and jieba_dictionary().tags.get(self.text[token[0] : token[1]]) in GIVEN_NAME_TAGS
        )

    def after_title(self, start: int) -> int | None:
        """A name right after a title: transliterated (卢特尼克) or Chinese (王毅)."""
        if function_word(self.text[start : start + 1]) and not self._given_name_after(start):
            return None  # 总统和夫人, 民众应严防: a conjunction or verb, no name, follows
        end = start
        while end < len(self.text):
            char = self.text[end]
            if end > start and char in WORDS_AFTER_NAMES:
                break  # 马克·莱姆利|对记者说
            if end - start >= 2 and self.common_word(self.text[end : end + 2]):
                break  # 奥尔班|多次: the name ends where a common word begins
            if char in self.knowledge.transliteration or char == "·":
                end += 1
            elif end - start >= 2 and (word_end := self._rare_word_end(start, end)):
                # jieba's rare word began inside the name: the name ends with it (亚历山大)
                end = word_end
            else:
                break
        if end > start and self.text[end - 1] == "·":  # 安妮·|热纳瓦尔: the part after the dot
            end = self._after_dot(end)
        end = trimmed_name_end(self.text, start, end)
        common = self.common_word(self.text[start:end])
        if not common and (
            end - start >= 3
            or (end - start == 2 and self.text[start] not in self.knowledge.surnames)
        ):
            return end
        return self.native(start)


Value = TypeVar("Value")


class Phrases(Generic[Value]):
    """Fixed strings found in a text, each with its value (Aho-Corasick).

    In Rust (ahocorasick_rs): pyahocorasick searched the thousands of first characters of
    Chinese words one by one and took ten times as long over news text.
    """

    def __init__(self, values: dict[str, Value], *, overlapping: bool = False) -> None:
        keys = [key for key in values if key]
        self._values = [values[key] for key in keys]
        self._overlapping = overlapping
        kind = MatchKind.Standard if overlapping else MatchKind.LeftmostLongest
        self._automaton = AhoCorasick(keys, matchkind=kind)

    def find(self, text: str) -> list[tuple[int, int, Value]]:
        """(start, end, value) of every match by its end, the longest first, when overlapping;
        else the leftmost-longest matches, none overlapping."""
        matches = self._automaton.find_matches_as_indexes(text, overlapping=self._overlapping)
        found = [(start, end, self._values[index]) for index, start, end in matches]
        return sorted(found, key=lambda match: (match[1], match[0])) if self._overlapping else found


def non_overlapping(matches: list[tuple]) -> list[tuple]:
    """Keep the leftmost match, the longest where several start together; drop overlaps.

    Each match is a tuple that starts with (start, end, ...).
    """
    chosen = []
    covered = 0
    for match in sorted(matches, key=lambda match: (match[0], match[0] - match[1])):
        if match[0] >= covered:
            chosen.append(match)
            covered = match[1]
    return chosen


class Entities:
    """A doc's entities, and the ones that start or end at each character (read once: doc.ents
    walks every token)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.spans = list(doc.ents)
        self.starts = {ent.start_char: ent for ent in self.spans}
        self.ends = {ent.end_char: ent for ent in self.spans}

    def overlapping(self, start: int, end: int) -> list[Span]:
        return [ent for ent in self.spans if ent.start_char < end and start < ent.end_char]

    def inside(self, start: int, end: int) -> list[Span]:
        return [ent for ent in self.spans if start <= ent.start_char and ent.end_char <= end]


def role_parts(ents: Entities, title: Span) -> tuple[Span | None, Span | None]:
    """The person holding a title span and the organization or country it belongs to; an
    honorific may stand between the title and the name (首相拿督斯里安华)."""
    end = next(
        (
            honorific.end_char
            for honorific in ents.doc.spans.get(TITLES_KEY, ())
            if honorific.start_char == title.end_char and honorific.label_ == HONORIFIC
        ),
        title.end_char,
    )
    person = ents.starts.get(end)
    if person is None and doc_text(ents.doc)[end : end + 1].isspace():
        person = ents.starts.get(end + 1)
    organization = ents.ends.get(title.start_char)
    if person is None or person.label_ not in PERSON_TYPES:
        person = ents.ends.get(title.start_char)
        organization = ents.ends.get(person.start_char) if person is not None else None
        if person is None or person.label_ not in PERSON_TYPES:
            return None, None
    if organization is None:
        organization = next(
            (ent for ent in ents.spans if ent.start_char <= title.start_char < ent.end_char), None
        )
    if organization is not None and organization.label_ not in ORGANIZATION_TYPES:
        organization = None
    return person, organization


@Language.factory(
    "zhfacts_title_grammar",
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents"],
    default_config={},
)
def make_title_grammar(nlp: Language, name: str) -> TitleGrammar:
    return TitleGrammar(nlp, name)
