"""The statistical NER's place in the pipeline: native CLUENER labels -> taxonomy types.

Order in models/zh_news: tok2vec, ner_tagger (a BILUO tagger over the CLUENER2020 labels,
decoded with Viterbi), zhfacts_ner_native, the knowledge ruler, the title grammar,
zhfacts_ner_types. The model reads the plain text; `zhfacts_ner_native` turns its tags into
entities and puts them aside, so the rules run as without it; `zhfacts_ner_types` merges them in
once the rules have run: rules first, the model fills the gaps (see `fill_gaps` for the two
places where the rules only guessed and the model wins).

The model's own predictions, native labels and all, stay in doc.spans["ner"]; doc.ents get the
types of taxonomy.md:

    name -> OFFICIAL with an office in context (美国商务部长卢特尼克, 李强总理), else PERSON;
            a reporter in a byline (记者谢守真) stays PERSON
    company -> COMPANY; government, organization -> ORG
    address -> PROVINCE or GPE through the places of the knowledge files, or by the form of
               the name (加州 is a state, 伦敦 a city); street addresses are dropped
    position -> a title in doc.spans["titles"] (for holds_position) when it names an office
    book, game, movie, scene -> dropped: not output types

Both components also work when the statistical components are excluded (`--fast`): persons
found by the rules still become OFFICIAL from titles in context.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple, cast

import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.pipeline.tagger import DEFAULT_TAGGER_MODEL, Tagger
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import filter_spans, registry
from thinc.api import Model
from thinc.types import Floats2d

from .knowledge import MINISTRY_END, Entry, Knowledge
from .segment import doc_text, jieba_dictionary
from .tag import (
    BYLINE_SEPARATORS,
    COMMON_WORD_FREQUENCY,
    FACILITIES,
    IDIOM_TAG,
    KNOWLEDGE_PIPE,
    MAX_NAME_PART,
    MRS,
    NAME_WORD_FREQUENCY,
    NOT_NAME_ENDS,
    PARTIAL_NAME_ENDS,
    PERSON_TYPES,
    PROPER_TAGS,
    TITLES_KEY,
    VETOED_KEY,
    WORDS_AFTER_NAMES,
    KnowledgeRuler,
    alias_forms,
    all_han,
    dictionary_word,
    fold,
    former,
    function_word,
    known_verb,
    preposition,
    split_tokens,
    token_bounds,
    trimmed_name_end,
    word_bounded,
)

TYPES_PIPE = "zhfacts_ner_types"
NATIVE_PIPE = "zhfacts_ner_native"
NATIVE_DATA = "zhfacts_ner"  # doc.user_data key: the model's (start, end, label) in characters
NATIVE_KEY = "ner"
NATIVE_TYPES = {
    "company": "COMPANY",
    "government": "ORG",
    "organization": "ORG",
}
PROVINCE_SUFFIXES = ("省", "自治区", "特别行政区")
STATE_SUFFIX = "州"  # 加州, 乔治亚州: a state; but 杭州 (two characters) and 自治州 are not
PLACE_SUFFIXES = ("市", "县", "区", "州", "镇", "乡", "村", "岛", "国")
REGISTRY_LEVELS = ("省", "市", "县", "区")  # of the places Chinese companies register under
PROVINCE_LEVEL = "省"  # ends a province's name and starts no place's (三描礼士省)
PLACES = ("PROVINCE", "GPE")
SHORT_GOVERNMENTS = ("县府", "市府")  # Taiwan's county and city governments, after their place
POSSESSIVE = "的"  # in no body's or place's name
DETERMINERS = "一某该此这各"  # before a generic word: 一|科技公司, 该|公司
GREATER = "大"  # before a city, its metropolitan area: 大温哥华, 大多伦多
UNIVERSITY = "大学"
UNIVERSITY_UNITS = ("系", "研究所", "学院", "研究中心")  # of a university: 海洋工程学系
BRANCH_WORDS = ("分行", "支行", "分公司", "营业部", "分店")  # 丰原分行: a company's branch
TRADER = "商"  # the end of a trade noun before a company name (开发商, 供应商)
FACILITY_SUFFIXES = ("店", "厂", "站", "馆", "场", "楼", "大厦", "中心", "园", "园区")
INSTITUTION_SUFFIXES = ("医院", "大学", "学院", "中学", "小学", "研究院", "研究所", "博物馆")
# The government of a place is the place (北京当局, 美国政府: GPE, taxonomy.md), not an ORG.
GOVERNMENT_WORDS = ("政府", "地方政府", "当局", "方面", "官方", "政权")
HEAD_SUFFIX = "长"  # 院长, 校长, 会长: the head of an organization holds an office
# Ends of Japanese given names that jieba reads as words of their own (中林健|太郎)
JAPANESE_NAME_ENDS = frozenset({"太郎", "一郎", "次郎", "三郎", "四郎", "五郎", "六郎"})
# Last characters of Japanese given names that jieba reads as words of their own (健|一)
JAPANESE_GIVEN_NAME_ENDS = frozenset("一二三太介夫雄彦郎")
# 周男, 吴女: a surname and a sex, as Taiwan's crime reports name suspects, is no full name.
GENDER_WORDS = "男女"
# Last characters of places and facilities that end no person's name of three characters or
# more (黄岩岛, 李家村, 洪水桥站, 原民处)
PLACE_ENDS = "岛县镇乡村站厂馆处湾"
MAX_CHINESE_NAME = 4  # characters: 欧阳娜娜
# What follows a person named by the surname alone (梁只负责, 王仅表示, 陈则说): no given name.
# 梁只负责; 预制梁厂: a beam factory; 陈氏: a clan (but 阮氏秋香 is a Vietnamese name); 何太:
# Mrs Ho, as Hong Kong writes (but 中村雄太)
WORDS_AFTER_SURNAMES = NOT_NAME_ENDS + MRS + "只仅才厂氏"
# Surnames that are also measure words, which a number comes before (38张|清拆令: 38 orders)
MEASURE_SURNAMES = "张台"
NUMBER_CHARACTERS = "一二两三四五六七八九十百千万几数"
QUOTE_MARKS = "'\"‘’“”「」『』"  # in no person's name: the model read a quote into it
# Function words no Chinese name holds (已不复, 不再是: words the model read as a name)
NEVER_IN_NAMES = "不已了却还就的"
# A character this rare as a word of its own, after a surname and one character, is the end of
# the given name (梁家|豪), not a word after the name.
RARE_GIVEN_NAME_CHARACTER = 2 * COMMON_WORD_FREQUENCY
# Rare characters that follow a two-character name as words of their own (王伟昨|日表示, 拟).
WORDS_AFTER_TWO = NOT_NAME_ENDS + WORDS_AFTER_NAMES + "昨今拟恐偕携"
# Adverbs after a name: the character before them ends the name (张文|正|也说)
ADVERBS_AFTER_NAMES = tuple("也则还又都亦却并")
# Verbs of saying after a name whose last character jieba joined to the verb (黄育|文说) or left
# alone (谢恩|光|表示)
SAYING = ("说", "称", "表示", "指出")
SIDE = "方"  # 中方, 美方: a side in talks
LOCATIVES = "内外"  # 大湾区内: inside the place, no part of its name
SHORT_PLACE = 4  # a place name of up to this many characters needs no suffix (伦敦, 曼彻斯特)
_STREET = re.compile(r"[0-9０-９路街道巷弄号楼层室座栋]")
_NAME_GAP = " ·"  # what may stand between a title and the name it belongs to
ALSO = "兼"  # between two roles of one person (副行长兼财务负责人)
MAX_SECOND_ROLE = 8
MAX_RUN_ON = 3  # characters of the rest of a transliterated name jieba guessed a word (依沙)
_COUNTY = re.compile("县(?![长委])")  # a county's level; not 县长 or 县委 after a name
NAMES_IN_COUNTIES = ("PERSON", "OFFICIAL", "COMPANY")  # what a county's name reads as (福特)
LIST_WORDS = ("、", "和", "及", "以及", "与")  # between the names of a list
# A name, then that it holds a title further on (郑国栋至今仍任公司董事长); not 曾任, once held
_HOLDS = re.compile(
    "(?:至今|目前|现在|现|仍|仍然|也|还|同时)*(?:担任|出任|兼任|任)[^，。；！？、：]{0,12}"
)
_NAME_DOTS = "·・•‧．"  # between the parts of a transliterated name (艾玛·哈里斯)
_HYPHENS = "-－"
_NAME_JOINERS = _NAME_DOTS + _HYPHENS  # ... and the hyphen of a double name (布朗-皮韦)
MAX_FIRST_NAME = 3  # characters of the first part of a hyphenated name (让, 让-皮埃尔)
ORG_SUFFIXES = frozenset("部局署院会厅委处所办司")  # 越南工贸|部: a suffix jieba cut off
SCHOOL_HEADS = ("中学", "小学", "学校", "学院")  # 哥打巴鲁中华独立|中学: the model stopped before
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")
COMPANY_END = "公司"
GROUP = "集团"
COMPANY_ENDS = (COMPANY_END, "银行", "集团", "证券")  # what ends a company's name, never a place's
# What ends the names of farms, shops and firms, in quotes (「鸿昌畜牧场」, 「宏竹精密」)
BUSINESS_ENDS = (
    *("牧场", "农场", "渔场", "餐厅", "酒楼", "酒家", "冰室", "商行", "水产行", "茶行", "药房"),
    *("菜馆", "早餐店", "包子铺", "杂货店", "烧腊店", "五金", "民宿", "精密", "化工", "科技"),
    "山庄",
)
REGISTERED_ENDS = (COMPANY_END, "集团")  # ... and no phrase's (“影子银行” is one)
LEGISLATURES = ("立法院", "立法会", "国会", "议会")
COMMITTEE = "委员会"
# The last word of an association's, a school's or a hospital's name (病友权益促进会).
BODY_HEADS = (
    "协会",
    "商会",
    "公会",
    "工会",
    "促进会",
    "联合会",
    "总会",
    "联会",
    "联谊会",
    "学会",
    "基金会",
    "同乡会",
    "宗亲会",
    "校友会",
    "互助会",
    "研究会",
    "学生会",
    "研究生会",
    "关注组",  # Hong Kong's concern groups (香港散户权益关注会)
    "职工会",
    "关注会",
    "自救会",  # Taiwan's residents' self-help groups (南州乡反焚化厂自救会)
    "农会",  # Taiwan's farmers' and fishermen's associations (台东地区农会)
    "渔会",
    "医院",
    "中学",
    "小学",
    "学校",
    "书院",
    "联盟",
    "委员会",
)
# Kinds of group named for their cause, often in verbs (南州乡|反|焚化|厂|自救会)
CAUSE_HEADS = ("自救会", "关注组", "关注会", "促进会")
BRANCH_HEADS = ("分会", "支会")  # an association's branch in a place
REGION = "地区"  # after a place, part of a body's name (台东|地区|农会)
_BODY_HEAD = re.compile("|".join(sorted(BODY_HEADS, key=len, reverse=True)))
MAX_NAME_WORDS = 5
NOUN_TAGS = ("n", "nz", "nt", "ns", "nr", "ng", "j", "vn", "an", "OOV")
# Pronouns, prepositions, conjunctions, particles, numbers, measures, words of time and place
NOT_NAME_WORD_TAGS = frozenset(
    ["r", "p", "c", "u", "uj", "ul", "uz", "ug", "m", "mq", "q", "t", "f", "y", "e"]
)
COMMODITY_WORDS = ("原油", "油价", "期货")
STORMS = ("台风", "飓风", "热带风暴", "热带性低气压", "风灾")  # 台风康芮, 莫拉克风灾
DAMS = ("水库", "水坝", "大坝")  # a name before one is the dam's (曾文水库)
_STORM = re.compile("|".join(STORMS))
_DAM = re.compile("|".join(DAMS))
LEVIES = ("税", "罚金", "罚款")  # 服务税, 并科罚金: what the model takes for a body
WILL = "会"  # also the suffix of a council
BUREAU_SUFFIXES = "局署处厅司"  # a name ends with one, never with one and 会 (铁道局|会协助)
AGENCY_ENDS = ("署", "局", "司", "处", "所", "院", "中心", "委员会", "办公室")
# 工会, 协会, 商会, 委员会; research institutes and think tanks (世宗研究所)
BODY_ENDS = ("会", "研究所", "研究院", "研究中心", "实验室")
BUREAU_ENDS = ("局", "署")  # no company's name ends so (大温地产局, a board of realtors)
STATE = "国家"  # 哈萨克斯坦国家铁路公司, 伊朗国家电视台: a country's state body or company
# A Taiwan school named by its place (长滨国小, 南化国中)
_TAIWAN_SCHOOL = re.compile("(?P<stem>[\u4e00-\u9fff]{2})(?:国小|国中)")
VERB_TAG = "v"  # jieba's tags of verbs start so (v, vn, vd)
FOUNDING_VERBS = ("设立", "成立", "开设", "设置", "兴建", "筹建", "建立")  # inside no body's name
OF = "的"
# Verbs that say a title is held, before it in its clause (身兼|联合创办人及营运总裁的蔡美琪)
_HELD = re.compile("(?:身兼|身为|担任|出任|现任|兼任)[^，。；！？、]*$")
MAX_HELD_DISTANCE = 20  # characters from the verb to the title
SITE_WORDS = ("总部", "门店", "分店", "厂区")  # a company's sites, after its name
RUN_ON_ENDS = "的说则"  # what the model runs a name on into (云栈智能|的, 宝云|则)
TECHNOLOGY = "科技"  # ends the names of firms (丰翼科技), not of bodies
TRADE_WORDS = (TECHNOLOGY, "技术")  # 星衍智能|科技有限公司: names drop them before the legal form
UNIVERSITY_KIND = "university"  # the knowledge's kind of body
CAMPUS = "校区"
# Han characters in brackets right after a name: a campus's place (哈尔滨工业大学（深圳）) or a
# short name (古物谘询委员会（古谘会）)
_IN_BRACKETS = re.compile(r"[（(](?P<inner>[\u4e00-\u9fff]{2,6})[）)]")
# Firms of professions: 利骏|测量师行 (Hong Kong's), 容诚|会计师事务所; small firms of Taiwan and
# Malaysia: 大顺运水|企业社, 永圣|工程行, 东昇土木|包工业, 顺发|机车行, 阿华|冰果室, 福兴|茶餐室
FIRM_FORMS = (
    "测量师行",
    "律师行",
    "会计师行",
    "会计师事务所",
    "律师事务所",
    "企业社",
    "工程行",
    "包工业",
    "机车行",
    "冰果室",
    "茶餐室",
)
# How many bodies, before a body's kind (十多家|乡镇卫生院)
_QUANTITY = re.compile("(?:[0-9０-９]+|[一二两三四五六七八九十百千几多数]+)[多余]?[家所个间座]")
# A short name defined after a name: （下称安宁城投）, （以下简称“宁德时代”）
_SHORT_NAME_DEFINITION = re.compile(
    r"[”\"」』]?[（(]\s*(?:以下|下文)?(?:简称|下称|称)\s*[:：]?\s*[“\"「『]?(?P<short>[^（）()“”\"「」『』，、。\s]{2,12})"
    r"[”\"」』]?\s*[）)]"
)
# A department after a company's name, which the model reads into it (冠域证券|研究部)
_DEPARTMENT = re.compile(f"(?:{'|'.join(COMPANY_ENDS)})(?P<department>\\w{{0,3}}部)$")
# Words for a business or a body, before its name in quotes (连锁面包店「麦香坊」); not 企业 or
# 公司, which come before slogans (企业“走出去”)
RUNS = ("经营", "经营的")  # what one runs is a business (经营「合兴五金」), whatever its words
BUSINESS_KINDS = (
    "品牌",
    "连锁店",
    "面包店",
    "餐厅",
    "餐馆",
    "酒庄",
    "酒厂",
    "旅行社",
    "诊所",
    "工厂",
    "药厂",
    "业者",
    "商店",
    "门市",
    "书店",
    "超市",
    "咖啡店",
    "饮料店",
    "新创",
    "民宿",
    "摊位",  # Singapore's hawker stalls (杂菜饭摊位“阿妹小厨”)
    "摊档",
    "档口",
    *RUNS,
)
PERSON_NAME_TAGS = ("nr", "nrt", "nrfg", "nz")  # jieba's tags of persons' and other names
BODY_KINDS = ("组织", "团体", "关注组", "智库", "联盟")
_QUOTED_NAME = re.compile(
    "(?P<before>[\u4e00-\u9fff]{0,3})[「“『](?P<name>[\u4e00-\u9fffA-Za-z·・-]{2,15})[」”』]"
)
_PLACE_IN_BRACKETS = re.compile("[（(](?P<place>[\u4e00-\u9fff]{2,4})[）)]$")
# A year in brackets before a legal form, part of the name (九龙巴士（一九三三）有限公司)
_YEAR_IN_BRACKETS = re.compile("[（(](?:[0-9]{4}|[〇零一二三四五六七八九]{4})[）)]$")
_LATIN_NAME_IN_BRACKETS = re.compile(r"[（(][A-Z][a-z]+[ .·-]")  # （Gene Wu）
CHIP_WORDS = "芯片|晶片|处理器|量子芯片|AI芯片"
_QUOTED_NAME_CHARS = "[\u4e00-\u9fffA-Za-z0-9·-]{2,15}"
_QUOTED_CHIP = re.compile(f"[「“『](?P<name>{_QUOTED_NAME_CHARS})[」”』](?:{CHIP_WORDS})")
_CHIP_QUOTED = re.compile(f"(?:{CHIP_WORDS})[「“『](?P<name>{_QUOTED_NAME_CHARS})[」”』]")
_PLACE_COUNCIL = re.compile("[区市县郡州](?:议会|政府)")  # 区议会, 市政府
# Trade words that end a company's name the text shortens right after it to its first
# characters (晶耀能源科技（下称晶耀）)
DEFINED_TRADE_ENDS = (
    *("科技", "能源", "电子", "光电", "材料"),
    *("精密", "化工", "生技", "机械", "金属"),
)
# ... and a bare 公司 or those trade words the text gives a short name right after
# (鼎昇化学工业公司（下称鼎昇化工）)
_REGISTERED_FORM = re.compile(
    "|".join((*LEGAL_FORMS[:3], *FIRM_FORMS))
    + f'|(?:公司|{"|".join(DEFINED_TRADE_ENDS)})(?=[”"」』]?[（(]\\s*(?:以下|下文)?(?:简称|下称))'
)
# Single characters before a registered name (一家|宏昇塑胶工业股份有限公司); not 和, which names
# hold (睿和生物科技有限公司)
BEFORE_NAMES = (
    "的了在是由于从向对把被将为与及或并也都就还又已曾到至给让跟同那其每家个间所" + DETERMINERS
)
MAX_REGISTERED_NAME = 12  # characters between the places and the legal form
MAX_REGISTERED_PLACES = 2  # 江门市蓬江区 (广东省 before it is no part of the name)


def biluo_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans (start, end, label) from BILUO tags; a broken sequence still gives spans
    (an I- or L- with no B- starts an entity, a B- with no L- ends where the tags change)."""
    spans = []
    start, label = None, ""
    for index, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        continues = kind in ("I", "L") and name == label and start is not None
        if not continues and start is not None:
            spans.append((start, index, label))
            start = None
        if kind in ("B", "I", "L", "U") and not continues:
            start, label = index, name
        if kind in ("L", "U") and start is not None:
            spans.append((start, index + 1, label))
            start = None
    return spans


def keep_native(doc: Doc) -> Doc:
    """Read the NER tagger's BILUO tags into entities, kept aside as character offsets.

    Offsets, not spans: the knowledge ruler splits tokens, and span groups do not follow.
    """
    ids = doc.to_array(TAG)
    if not ids.any():  # no tagger ran (the --fast tier): nothing to read
        doc.user_data[NATIVE_DATA] = []
        return doc
    strings = doc.vocab.strings
    tags = [strings[tag] for tag in ids.tolist()]  # no Token objects: fast
    doc.user_data[NATIVE_DATA] = [
        (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label)
        for start, end, label in biluo_spans(tags)
    ]
    return doc


class BiluoTagger(Tagger):
    """spaCy's tagger over BILUO entity tags, decoded as a whole sequence (Viterbi): the best
    tags that form whole entities, so no entity is left without its start or end."""

    def _scores2guesses(self, scores: list[Floats2d]) -> list[numpy.ndarray]:
        # The scores are logits (the model does not normalize at inference); per token they are
        # off from log-probabilities by a constant, which no path comparison sees. Only the
        # stretches between two O tags that break BILUO are decoded again, all in one batch.
        rules = _transitions(self.labels)
        guesses = [numpy.asarray(s.argmax(axis=1), dtype="i") for s in scores]
        # All docs in one array, an O before each: stretches and broken pairs found at once.
        offsets = numpy.cumsum([1] + [len(guess) + 1 for guess in guesses])[:-1]
        tags = numpy.full(offsets[-1] + len(guesses[-1]) + 1 if guesses else 1, rules.outside)
        for offset, guess in zip(offsets, guesses, strict=True):
            tags[offset : offset + len(guess)] = guess
        bad = numpy.flatnonzero(~rules.allowed[tags[:-1], tags[1:]])
        edges = numpy.flatnonzero(numpy.diff((tags != rules.outside).astype("i1")))
        starts, ends = edges[::2] + 1, edges[1::2] + 1
        broken = numpy.searchsorted(bad, ends - 1, "right") > numpy.searchsorted(bad, starts - 1)
        pieces = []
        for start, end in zip(starts[broken].tolist(), ends[broken].tolist(), strict=True):
            doc = int(numpy.searchsorted(offsets, start, "right")) - 1
            pieces.append((doc, start - offsets[doc], end - offsets[doc]))
        decoded = _viterbi([scores[doc][start:end] for doc, start, end in pieces], rules)
        for (doc, start, end), best in zip(pieces, decoded, strict=True):
            guesses[doc][start:end] = best
        return guesses


class _Rules(NamedTuple):
    """BILUO over the tagger's labels (index `len(labels)` stands for a label never seen)."""

    outside: int  # the O tag
    allowed: numpy.ndarray  # (previous, next) -> bool
    closed: numpy.ndarray  # O, L-*, U-*: an entity may start after these, a doc end on them
    opens: numpy.ndarray  # O, B-*, U-*: what may follow a closed tag
    continues: numpy.ndarray  # I-x, L-x: they follow only B-x or I-x...
    sources: numpy.ndarray  # ...given here, one (B-x, I-x) row per continuing tag


@lru_cache(maxsize=4)
def _transitions(labels: tuple[str, ...]) -> _Rules:
    index = {label: i for i, label in enumerate(labels)}
    kinds = [label.partition("-") for label in labels]
    closed = [i for i, (kind, _, _) in enumerate(kinds) if kind in ("O", "L", "U")]
    opens = [i for i, (kind, _, _) in enumerate(kinds) if kind in ("O", "B", "U")]
    continues = [i for i, (kind, _, _) in enumerate(kinds) if kind in ("I", "L")]
    unseen = len(labels)
    sources = [
        [index.get(f"B-{kinds[i][2]}", unseen), index.get(f"I-{kinds[i][2]}", unseen)]
        for i in continues
    ]
    allowed = numpy.zeros((len(labels), len(labels)), dtype=bool)
    allowed[numpy.ix_(closed, opens)] = True
    for target, row in zip(continues, sources, strict=True):
        allowed[[source for source in row if source < unseen], target] = True
    return _Rules(
        index["O"],
        allowed,
        *(numpy.array(part, dtype="i") for part in (closed, opens, continues, sources)),
    )


def _viterbi(scores: list[Floats2d], rules: _Rules) -> list[numpy.ndarray]:
    """The best allowed tag sequence of each doc, all docs of a batch decoded together.

    BILUO needs no full (previous x next) table: a tag that opens follows the best closed
    tag, and I-x or L-x the better of B-x and I-x, so each step costs O(labels).
    """
    if not scores:
        return []
    lengths = [len(doc_scores) for doc_scores in scores]
    docs, size, labels = len(scores), max(lengths), rules.allowed.shape[0]
    emissions = numpy.full((docs, size, labels), NEVER, dtype="f")
    for i, doc_scores in enumerate(scores):
        emissions[i, : lengths[i]] = doc_scores
    ended = numpy.array(lengths)[:, None] - 1  # past its end a doc keeps its score and tag
    back = numpy.zeros((docs, size, labels), dtype="i")
    score = numpy.full((docs, labels + 1), NEVER, dtype="f")  # last column: unseen labels
    score[:, rules.opens] = emissions[:, 0, rules.opens]
    stay = numpy.arange(labels, dtype="i")
    for position in range(1, size):
        step = numpy.full((docs, labels + 1), NEVER, dtype="f")
        links = numpy.zeros((docs, labels), dtype="i")
        closed = score[:, rules.closed]
        links[:, rules.opens] = rules.closed[closed.argmax(axis=1)][:, None]
        step[:, rules.opens] = closed.max(axis=1)[:, None] + emissions[:, position, rules.opens]
        inside = score[:, rules.sources]  # (docs, continuing tags, 2)
        links[:, rules.continues] = numpy.take_along_axis(
            rules.sources[None], inside.argmax(axis=2)[:, :, None], axis=2
        )[:, :, 0]
        step[:, rules.continues] = inside.max(axis=2) + emissions[:, position, rules.continues]
        done = position > ended
        back[:, position] = numpy.where(done, stay, links)
        score = numpy.where(done, score, step)
    final = numpy.full((docs, labels), NEVER, dtype="f")
    final[:, rules.closed] = score[:, rules.closed]
    rows = numpy.arange(docs)
    best = numpy.zeros((docs, size), dtype="i")
    best[:, -1] = final.argmax(axis=1)
    for position in range(size - 1, 0, -1):
        best[:, position - 1] = back[rows, position, best[:, position]]
    return [best[i, :length] for i, length in enumerate(lengths)]


NEVER = -1e9


@Language.factory(
    "zhfacts_biluo_tagger",
    assigns=["token.tag"],
    default_config={
        "model": DEFAULT_TAGGER_MODEL,
        "overwrite": False,
        "scorer": {"@scorers": "zhfacts.biluo_scorer.v1"},
        "neg_prefix": "!",
        "label_smoothing": 0.0,
    },
)
def make_biluo_tagger(
    nlp: Language,
    name: str,
    model: Model,
    overwrite: bool,
    scorer: Callable | None,
    neg_prefix: str,
    label_smoothing: float,
) -> BiluoTagger:
    return BiluoTagger(
        nlp.vocab,
        model,
        name=name,
        overwrite=overwrite,
        scorer=scorer,
        neg_prefix=neg_prefix,
        label_smoothing=label_smoothing,
    )


@registry.scorers("zhfacts.biluo_scorer.v1")
def make_biluo_scorer() -> Callable[..., dict[str, Any]]:
    """Entity P/R/F (ents_f) of the tags, so training keeps the checkpoint that finds most."""

    def spans_of(doc: Doc, attr: str) -> list[Span]:
        tags = [token.tag_ for token in doc]
        return [Span(doc, start, end, label) for start, end, label in biluo_spans(tags)]

    def score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return Scorer.score_spans(examples, "ents", getter=spans_of, **kwargs)

    return score


@Language.factory(NATIVE_PIPE, requires=["token.tag"], default_config={})
def make_ner_native(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return keep_native


class NerTypes:
    """Maps the model's native labels to taxonomy types and tells officials from persons."""

    def __init__(self, nlp: Language, name: str = TYPES_PIPE) -> None:
        self.nlp = nlp
        self.name = name
        self._knowledge: Knowledge | None = None
        self._places: dict[str, Entry] = {}
        self._offices: dict[str, str] = {}
        self._generic: frozenset[str] = frozenset()
        self._roles: frozenset[str] = frozenset()
        self._japanese_surname_sizes: tuple[int, ...] = ()

    def _load(self) -> Knowledge:
        """Index places and office titles from the knowledge ruler's knowledge (once)."""
        if self._knowledge is None:
            ruler = cast(KnowledgeRuler, self.nlp.get_pipe(KNOWLEDGE_PIPE))
            knowledge = ruler.knowledge
            if knowledge is None:
                raise ValueError(f"{self.name} needs {KNOWLEDGE_PIPE} before it")
            self._places = ruler.entities_by_alias(PLACES)
            self._offices = {
                fold(form): title.role
                for title in knowledge.titles.values()
                for form in alias_forms(title.text)
            }
            self._generic = frozenset(map(fold, knowledge.generic))
            self._roles = frozenset(map(fold, knowledge.roles))
            japanese = knowledge.japanese_surnames
            self._japanese_surname_sizes = tuple({len(surname) for surname in japanese})
            self._knowledge = knowledge
        return self._knowledge

    def __call__(self, doc: Doc) -> Doc:
        knowledge = self._load()
        text = doc_text(doc)
        predicted = [
            (*_latin_in_brackets(text, *_inside_marks(text, start, end)), label)
            for start, end, label in doc.user_data.pop(NATIVE_DATA, ())
        ]
        dotted = any(label == "name" and _after_a_dot(text, start) for start, _, label in predicted)
        letters = _one_character_words(doc) if dotted else set()
        found = _joined_names(
            text,
            [
                piece
                for start, end, label in predicted
                if end > start and word_bounded(text, start, end)  # not MSF in MSFT: jieba's cut
                for piece in self._mended(text, start, end, label, letters)
            ],
        )
        registered = self._registered_companies(doc)
        found = _with_registered_companies(found, registered)
        grammar = [(t.start_char, t.end_char, t.label_) for t in doc.spans.get(TITLES_KEY, ())]
        cuts = [(start, end) for start, end, _ in found if doc.char_span(start, end) is None]
        if cuts:  # the rules split a token the model had seen whole; span groups do not follow
            doc = split_tokens(doc, cuts)
        native = _spans(doc, found)
        doc.spans[NATIVE_KEY] = native
        titles = _spans(doc, grammar)
        titles += self._office_titles(doc, native, titles)
        doc.spans[TITLES_KEY] = sorted(titles, key=lambda span: span.start_char)
        vetoed = set(doc.user_data.get(VETOED_KEY, ()))
        things = _names_of_things(text, native)
        typed = [
            span
            for span in map(self._typed, native)
            if span is not None
            and not self._portfolio(span, titles)
            and (span.start_char, span.end_char) not in vetoed  # 香格里拉对话: the rules said no
            and span.text not in things
        ]
        rules = _without_titled_companies(doc.ents, typed, titles)
        rules = _without_persons_in_registered_names(rules, registered)
        entities = _with_their_agencies(_with_their_places(fill_gaps(rules, typed)))
        entities = _without_university_units(_associations(doc, entities, self._generic))
        entities = _branches(self._campuses(entities, text), text)
        entities = _persons_throughout(self._surnames_after_dots(entities, text), text)
        entities = self._taiwan_schools(doc, self._transliterated_counties(doc, entities))
        entities = _quoted_chips(doc, _quoted_names(doc, entities))
        bylined = _bylined(text, entities, knowledge.bylines)
        current = [title for title in titles if not former(title)]
        doc.ents = _former_officials(
            _one_type_per_name(
                [
                    _reporter(ent)
                    if ent in bylined
                    else _official(ent)
                    if ent.label_ == "PERSON" and _titled(ent, text, current)
                    else ent
                    for ent in entities
                ]
            ),
            text,
            titles,
        )
        return _short_company_names(_defined_short_names(doc, text), text, self._place_length)

    def _mended(
        self, text: str, start: int, end: int, label: str, letters: set[int]
    ) -> list[tuple[int, int, str]]:
        """A model span with its edges mended, or an address of several places split into
        them (苏拉威西省|莫罗瓦利县)."""
        if label == "name" and self._byline_of_two(text, start, end):
            middle = text.index(" ", start)
            return [(start, middle, label), (middle + 1, end, label)]
        if label == "name":
            transliteration = self._load().transliteration
            name_end = _name_end(text, start, end, transliteration)
            name_end = self._given_name_end(text, start, name_end)
            name_start = _hyphenated_start(
                text, _name_start(text, start, letters, transliteration), transliteration
            )
            return [(name_start, name_end, label)]
        if label == "address":
            return [(*place, label) for place in _places_in(text, *_bare_place(text, start, end))]
        if any(verb in text[start + 1 : end] for verb in FOUNDING_VERBS):
            return []  # 观塘|设立|客户服务中心: a place, a verb and what is set up there
        organization_start = self._organization_start(text, start, end)
        name_end = _organization_end(text, start, end, company=label == "company")
        organization_end = self._without_branch(text, start, name_end)
        return [(organization_start, organization_end, label)]

    def _byline_of_two(self, text: str, start: int, end: int) -> bool:
        """Two Chinese names with a space between that start a line: a byline of two reporters
        (郑凯伦 何丽君 报道)."""
        surnames = self._load().surnames
        names = text[start:end].split(" ")
        line_start = start == 0 or text[start - 1] == "\n"
        return (
            line_start
            and len(names) == 2
            and all(
                2 <= len(part) <= MAX_CHINESE_NAME and all_han(part) and part[0] in surnames
                for part in names
            )
        )

    def _given_name_end(self, text: str, start: int, end: int) -> int:
        """The end of a name of a surname and one character, after the last character of the
        given name that jieba joined to the verb of saying after it (黄育|文说) or left alone
        before it (谢恩|光|表示)."""
        last = text[end : end + 1]
        if (
            end - start == 2
            and text[start] in self._load().surnames
            and all_han(text[start : end + 1])
            and last not in WORDS_AFTER_TWO
            and (
                (text.startswith(SAYING, end + 1) and not function_word(last))
                or text.startswith(ADVERBS_AFTER_NAMES, end + 1)
            )
            and jieba_dictionary().frequencies.get(text[end : end + 2], 0) < COMMON_WORD_FREQUENCY
        ):
            return end + 1
        return end

    def _without_branch(self, text: str, start: int, end: int) -> int:
        """A company without the branch in a place the model ran on into (合作金库银行|丰原分行):
        the company is the entity, its branch no name of its own."""
        branch = next((word for word in BRANCH_WORDS if text.endswith(word, start, end)), "")
        if not branch:
            return end
        place_end = end - len(branch)
        for place_start in range(start + 2, place_end - 1):
            if fold(text[place_start:place_end]) in self._places:
                return place_start
        return end

    def _organization_start(self, text: str, start: int, end: int) -> int:
        """A body or company without the preposition (于|恒进物业管理有限公司), the generic word
        (智库|财政研究所) or the trade noun (工业地产商|伟华集团) the model took in before it, and
        with the start of its place's name the model left out (合作|区执行委员会)."""
        name = text[start:end]
        quantity = _QUANTITY.match(name)
        if quantity is not None and len(name) - quantity.end() >= 2:
            return start + quantity.end()  # 十多家|乡镇卫生院: how many, no part of a name
        place_word = text[max(start - 2, 0) : start]
        if name.startswith(("区", "市", "县")) and _known_word(place_word) and _noun(place_word):
            return start - 2  # a body of a place the model cut inside (合作|区执行委员会)
        if len(name) >= 5 and preposition(name[0]) and not self._place_length(fold(name)):
            return start + 1  # jieba joined a preposition to the name (受雇|于恒进|物业管理)
        generic = next((size for size in (4, 3, 2) if fold(name[:size]) in self._generic), 0)
        if generic and len(name) - generic >= 3 and not name.startswith(REGISTRY_LEVELS, generic):
            return start + generic  # but 朝阳|区民政局: the word and a level name a place
        for trade_end in (index + 1 for index, char in enumerate(name) if char == TRADER):
            if 2 <= trade_end <= len(name) - 2 and _trade_noun(name[:trade_end]):
                return start + trade_end
        return start

    def _surnames_after_dots(self, entities: list[Span], text: str) -> list[Span]:
        """A place after a dot and a transliterated first name is the person's surname
        (卡洛斯·门多萨: Carlos Mendoza, not the city), where nothing else is named before it."""
        transliteration = self._load().transliteration
        taken = {index for ent in entities for index in range(ent.start_char, ent.end_char)}
        found = []
        for ent in entities:
            dot = ent.start_char - 1
            if ent.label_ not in PLACES or dot < 2 or text[dot] not in _NAME_DOTS:
                continue
            start = dot
            while start > 0 and text[start - 1] in transliteration and start - 1 not in taken:
                start -= 1
            person = ent.doc.char_span(start, ent.end_char, label="PERSON")
            if dot - start >= 2 and person is not None:
                found.append(person)
        return _replaced(entities, found)

    def _transliterated_counties(self, doc: Doc, entities: list[Span]) -> list[Span]:
        """A county named in characters of transliteration (哈里斯县, 福特本德县): a place,
        not the person or the company of the name inside it (Kamala Harris, Ford)."""
        transliteration = self._load().transliteration
        text = doc_text(doc)
        found = []
        for county in _COUNTY.finditer(text):
            start = county.start()
            while start > 0 and county.start() - start < MAX_NAME_PART:
                if text[start - 1] not in transliteration:
                    break
                start -= 1
            span = doc.char_span(start, county.end(), label="GPE")
            if county.start() - start < 2 or span is None:
                continue
            inside = [ent for ent in entities if _overlap(ent, span)]
            if all(ent.label_ in NAMES_IN_COUNTIES and ent.end <= span.end for ent in inside):
                found.append(_relabel(span, "GPE", f"place/{span.text}"))
        return _replaced(entities, found)

    def _taiwan_schools(self, doc: Doc, entities: list[Span]) -> list[Span]:
        """Taiwan's schools by their place's name (长滨国小, 南化国中): a body, where the name
        before 国小 or 国中 is a place's, a proper name to jieba or no word of its dictionary (not
        成功国中: 成功 is "success")."""
        text = doc_text(doc)
        schools = list(_TAIWAN_SCHOOL.finditer(text))
        found = []
        for school in schools:
            stem = school["stem"]
            tag = jieba_dictionary().tags.get(stem)
            place = fold(stem) in self._places or tag in ("ns", "nr")  # jieba: 林园 nr, 长滨 ns
            span = doc.char_span(*school.span(), label="ORG", kb_id=f"org/{school.group()}")
            if span is not None and (place or tag is None or _listed(text, school, schools)):
                found.append(span)
        return _replaced(entities, found)

    def _campuses(self, entities: list[Span], text: str) -> list[Span]:
        """A university's campus in another city, with the place or the campus in brackets
        (哈尔滨工业大学（深圳）): a body of its own, under the university's name and the
        place's, at each of the university's names (哈工大（深圳）); the place in brackets is no
        mention of the place."""
        entries = self._load().entries
        campuses: list[Span] = []
        for ent in entities:
            entry = entries.get(ent.kb_id_)
            bracket = _IN_BRACKETS.match(text, ent.end_char)
            if entry is None or entry.attrs.get("kind") != UNIVERSITY_KIND or bracket is None:
                continue
            place = fold(bracket["inner"])
            if place not in self._places and not place.endswith(CAMPUS):
                continue
            campus = ent.doc.char_span(ent.start_char, bracket.end(), label="ORG")
            if campus is not None:
                campuses.append(_relabel(campus, "ORG", f"org/{entry.name}（{place}）"))
        return _replaced(entities, campuses)

    def _registered_companies(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Companies named as registered, by place, name, trade and legal form
        (佛山市顺德区|锦泰|电器|有限公司), which the model often cuts (模具有限公司) or misses."""
        text = doc_text(doc)
        forms = list(_REGISTERED_FORM.finditer(text))
        if not forms:
            return []
        starts = token_bounds(doc)[0]
        found = []
        for form in forms:
            if form.group() in DEFINED_TRADE_ENDS:  # its short name tells where it starts
                start = _defined_name_start(text, form)
                found += [] if start is None else [(start, form.end(), "company")]
                continue
            # the place or the year in brackets before the form is part of the name
            # (恒汇人寿（广东）有限公司, 九龙巴士（一九三三）有限公司)
            name_end = form.start()
            placed = _PLACE_IN_BRACKETS.search(text, max(0, form.start() - 8), form.start())
            if placed is not None and fold(placed["place"]) in self._places:
                name_end = placed.start()
            elif year := _YEAR_IN_BRACKETS.search(text, max(0, form.start() - 6), form.start()):
                name_end = year.start()
            index = bisect_left(starts, name_end)
            trade = ""
            if index == len(starts) or starts[index] != name_end:
                index -= 1  # jieba's 科技有限公司: the form ends a token that a trade word starts
                trade = text[starts[index] : name_end]
                if not _trade_word(trade):
                    continue
            firm = form.group() in FIRM_FORMS  # no trade before it: 委托|会计师事务所 names none
            start = self._registered_name_start(doc[:index], trade, firm=firm)
            start = _defined_name_start(text, form) if start is None else start
            if start is not None:
                start = self._organization_start(text, start, form.end())
                # after a kind of firm before the name (测量师行|港誉测量师行)
                inner = [
                    kind.end() for kind in _REGISTERED_FORM.finditer(text, start, form.start())
                ]
                start = max(inner, default=start)
                found.append((start, form.end(), "company"))
        return found

    def _registered_name_start(
        self, before: Span, trade_word: str = "", *, firm: bool = False
    ) -> int | None:
        """Where a registered name starts, going left from its legal form over its name and
        trade (锦程精密模具, 睿和生物科技) to at most two places it is registered in (佛山市顺德区);
        None when the name is no more than trade words and no place (物流有限公司; but
        安宁市|城乡发展投资集团有限公司). `trade_word` is one jieba joined to the legal form
        (科技有限公司 as one word); a `firm` (律师事务所) has no trade before it."""
        start, places, name, trade = before.end_char, 0, trade_word, len(trade_word)
        for token in reversed(before):
            word = token.text
            if fold(word) in self._places and name:
                if places == MAX_REGISTERED_PLACES:
                    break
                start, places = token.idx, places + 1
            elif places or not all_han(word):
                break
            elif _before_names(word) and (len(word) == 1 or len(name) > trade or firm):
                break  # a verb may be a trade (开发), not once the name has begun (担任|锦程)
            elif firm and jieba_dictionary().tags.get(word, "").startswith(VERB_TAG):
                break  # a firm's name has no verb (中正路|经营|机车行)
            elif fold(word) in self._roles or fold(word) in self._generic:
                break  # a role or a generic word before the name (业主|宏筑开发)
            elif len(word) > 2 and not _known_word(word) and _joined_start(token):
                start, name = token.idx + 1, word[1:] + name  # jieba's 受雇|于恒进, 承办|商东利
                break
            elif len(name) + len(word) > MAX_REGISTERED_NAME:
                return None
            else:
                start, name = token.idx, word + name
                trade += len(word) if _trade_word(word) else 0
        return start if len(name) - trade >= 2 or places else None

    def _portfolio(self, span: Span, titles: list[Span]) -> bool:
        """A model body that is a place and the portfolio of the title after it (沙特|能源|大臣:
        no body of that name; but 外交部|长 names its body), or a place and a title (沙特|王储:
        an office, no body)."""
        place = self._place_length(fold(span.text))
        if span.label_ != "ORG" or place == 0:
            return False
        rest = span.text[place:]
        return fold(rest) in self._offices or (
            _common_word(rest) and any(title.start_char == span.end_char for title in titles)
        )

    def _place_length(self, name: str) -> int:
        """The length of the known place `name` starts with (深圳|星衍智能), or 0."""
        lengths = range(len(name) - 1, 1, -1)
        return next((end for end in lengths if fold(name[:end]) in self._places), 0)

    def _typed(self, ent: Span) -> Span | None:
        """A model entity under its taxonomy type, or None when it is no output type."""
        label = ent.label_
        if label == "name":
            person = self._person(ent)
            return None if person is None or self._never_entity(person.text, label) else person
        if (
            self._never_entity(ent.text, label)
            or self._generic_after_place(ent.text, label)
            or _side(ent.text)
            or POSSESSIVE in ent.text  # 比利时鲁汶|的|研究机构: a description, not a name
            or not word_bounded(doc_text(ent.doc), ent.start_char, ent.end_char)  # Ai|dData
        ):
            return None
        if label in NATIVE_TYPES:
            return _relabel(_with_suffix(_without_department(ent)), _body_type(ent.text, label))
        if label == "address" and ent.text.endswith(COMPANY_ENDS):
            return _relabel(ent, "COMPANY")  # 富滇|银行: the model reads a place in it
        if label == "address":
            return self._place(ent)
        return None

    def _generic_after_place(self, text: str, label: str) -> bool:
        """A place and a generic word or phrase (美国科技公司): the place alone is the entity;
        but a place and one common word is a name (菲律宾大学, 新西兰航空), and so is a
        registered company named with a place (安宁市|城乡发展投资集团有限公司,
        永丰|建筑工程有限公司): no text names companies in general by their legal form."""
        folded = fold(text)
        return any(
            folded[:end] in self._places
            and not (folded.endswith(LEGAL_FORMS) and folded[end:] not in LEGAL_FORMS)
            and self._generic_rest(folded[end:])
            for end in range(2, len(folded) - 1)
        )

    def _generic_rest(self, text: str) -> bool:
        if text.startswith(STATE):
            return False  # a state body or company: 哈萨克斯坦|国家铁路公司 is its name
        if text[:1] in DETERMINERS:
            text = text[1:]  # 海淀|一|科技公司
        words = _common_words(text)
        return text in self._generic or bool(
            words and len(words) >= 2 and words[-1] in self._generic
        )

    def _never_entity(self, text: str, label: str) -> bool:
        """A known title (首席执行官), a generic phrase, a tax or a fine (服务税, 并科罚金), or an
        idiom (难以为继): never an entity."""
        folded = fold(text)
        return (
            folded in self._offices
            or self._generic_phrase(folded, label)
            or (label != "name" and folded.endswith(LEVIES))
            or jieba_dictionary().tags.get(folded) == IDIOM_TAG
        )

    def _person(self, ent: Span) -> Span | None:
        """A model name as a PERSON, with the given name jieba split off (孙|浩然, 梁家|豪);
        None for a partial name (刘姓, 周男), a Latin word, function words (已不复), or Chinese
        characters that start with no surname, are no transliteration and are two or read like
        a body (随团, 四川省委)."""
        doc, end = ent.doc, ent.end
        if end < len(doc) and (
            self._given_name(ent.text, doc[end].text)
            or doc[end].text in JAPANESE_NAME_ENDS
            or self._japanese_given_name_end(ent.text, doc[end].text)
            or self._transliteration_run_on(ent.text, doc[end].text)
        ):
            end += 1  # jieba read (the end of) the given name as a word of its own (孙/浩然)
        span = doc[ent.start : end]
        span = _with_last_character_before_latin(span)
        text = fold(span.text)
        if len(text) < 2 or text.endswith(PARTIAL_NAME_ENDS) or text[1] in GENDER_WORDS:
            return None
        if end < len(doc) and doc[end].text.startswith(COMMODITY_WORDS):
            return None  # a crude benchmark (布兰特|油价, 布兰特|原油期货), not a person
        if doc_text(doc).startswith(FACILITIES, span.end_char):
            return None  # a road's name (林锦|公路), not a person
        if len(text) == 2 and (text[1] in WORDS_AFTER_SURNAMES or known_verb(text)):
            return None  # a surname and the word after it (梁只负责), or a verb (安心经营)
        if any(char in NEVER_IN_NAMES or char in QUOTE_MARKS for char in text):
            return None  # 已不复; '大块头' (a nickname in quotes)
        before = doc_text(doc)[max(0, span.start_char - 1) : span.start_char] or " "
        if text[0] in MEASURE_SURNAMES and (before.isdigit() or before in NUMBER_CHARACTERS):
            return None  # 38张|清拆令: a number of sheets
        if text.isascii() and not self._latin_person(span):
            return None
        knowledge = self._load()
        if (
            all_han(text)
            and not all(char in knowledge.transliteration for char in text)
            and self._body_like(text)
        ):
            return None
        return _relabel(span, "PERSON")

    def _transliteration_run_on(self, name: str, word: str) -> bool:
        """Whether `word`, a guess of jieba's that no dictionary holds and all of characters of
        transliteration, goes on a transliterated name of three characters or more (莫哈末法|
        依沙; 末 is no character of transliteration, most of the name's are)."""
        transliteration = self._load().transliteration
        foreign = sum(char in transliteration for char in name)
        return (
            len(name) >= 3
            and foreign >= len(name) - 1
            and len(word) <= MAX_RUN_ON
            and all(char in transliteration for char in word)
            and word not in jieba_dictionary().frequencies
        )

    def _japanese_given_name_end(self, name: str, word: str) -> bool:
        """Whether `word` ends the given name of a Japanese name of a surname of two characters
        and one more (佐藤健|一, 古久保健|二: Japanese given names have two or more)."""
        surname = len(name) - 1
        return (
            surname >= 2
            and fold(name[:surname]) in self._load().japanese_surnames
            and word in JAPANESE_GIVEN_NAME_ENDS
        )

    @staticmethod
    def _latin_person(span: Span) -> bool:
        """A full name in Latin letters (Max Layton), not in brackets after a Chinese name that
        it spells (安第斯超级食品公司（Andes Superfoods）); a single Latin word is a product more
        often than a person (Chrome)."""
        before = span.doc.text[span.start_char - 1 : span.start_char]
        return bool(_LATIN_FULL_NAME.fullmatch(span.text)) and before not in ("（", "(")

    def _surname_start(self, text: str) -> bool:
        return text[0] in self._load().surnames or self._japanese_surname_start(text)

    def _japanese_surname_start(self, text: str) -> bool:
        japanese = self._load().japanese_surnames
        return any(text[:size] in japanese for size in self._japanese_surname_sizes)

    def _body_like(self, text: str) -> bool:
        """Characters that read as no person's name: a place's body (四川省委, 伊朗议会), a
        place or a facility by its last character (黄岩岛, 洪水桥站), a word of the dictionary
        (宿舍), five characters or more after a Chinese surname that end in a common word
        (安世|半导体: Chinese names are shorter; 阿都慕海敏 is a Malay name), or, with no surname
        first, two characters (随团), any word of the dictionary (返回舱), four characters or
        more that end in a common word (捷运系统) or what starts with a place or ends like a
        body; a longer name no surname starts may be a chosen name (威善高)."""
        place = self._place_length(text) > 0
        body = text[-1] in ORG_SUFFIXES
        if self._surname_start(text):
            chinese_only = not self._japanese_surname_start(text)  # 小泉进次郎 has five
            long = chinese_only and len(text) > MAX_CHINESE_NAME and _ends_in_a_word(text)
            return (
                (place and body)
                or long
                or (len(text) >= 3 and text[-1] in PLACE_ENDS)
                or dictionary_word(text)
            )
        ends_in_a_word = len(text) > 3 and _common_word(text[-2:])  # 捷运|系统
        return len(text) == 2 or place or body or ends_in_a_word or _plain_words(text)

    def _given_name(self, name: str, word: str) -> bool:
        """Whether `word`, after the name `name`, is its given name or the rest of it: after a
        surname alone, a rare word of one or two characters (孙|浩然); after a surname and one
        character, a rare character (梁家|豪)."""
        name = fold(name)
        if name[:1] not in self._load().surnames or not all_han(word):
            return False
        frequency = jieba_dictionary().frequencies.get(word, 0)
        if len(name) == 2:
            rare = frequency < RARE_GIVEN_NAME_CHARACTER
            return len(word) == 1 and rare and word not in WORDS_AFTER_TWO
        return len(name) == 1 and len(word) <= 2 and frequency < COMMON_WORD_FREQUENCY

    def _generic_phrase(self, text: str, label: str) -> bool:
        """A generic word (政府), a common word, or common words that are no name (科技公司 as a
        name) or that end with a generic word (监管机关, 物流有限公司; but 房屋委员会 is an
        organization)."""
        if text in self._generic or _common_word(text):
            return True
        if (
            len(text) > 2
            and text[1:] in self._generic
            and (function_word(text[0]) or text[0] in DETERMINERS)
        ):
            return True  # a conjunction, a verb or "a" and a generic word (若|政府, 一|科技公司)
        if text.endswith(SHORT_GOVERNMENTS) and len(text) > 3 and text[:-2] not in self._places:
            return True  # 建议|县府: a county's government is named by its county (彰化|县府)
        if any(
            text.endswith(word) and len(word) > 2 and _plain_words(text[: -len(word)])
            for word in self._generic
        ):
            return True  # a trade before a legal form (物流有限公司): no name
        words = _common_words(text)
        if not words:
            return False
        return label == "name" or words[-1] in self._generic

    def _place(self, ent: Span) -> Span | None:
        """An address as PROVINCE or GPE: a known place, or a short or suffixed place name."""
        text = fold(ent.text)
        entry = self._places.get(text)
        if entry is not None:
            return _relabel(ent, entry.type, entry.id)
        if _STREET.search(text) or len(text) < 2:
            return None
        if len(ent) > 1 and dictionary_word(ent[0].text):
            return None  # a word before a place (深化|大湾|区) starts no place name
        if text.endswith(INSTITUTION_SUFFIXES):
            return _relabel(ent, "ORG")  # an address that is an institution (华西医院)
        if text.endswith(FACILITY_SUFFIXES):
            return None  # a shop, a plant, a station or a park is no place name (科技园)
        if text.endswith(PROVINCE_SUFFIXES) or (
            text.endswith(STATE_SUFFIX) and len(text) >= 3 and not text.endswith("自治州")
        ):
            return _relabel(ent, "PROVINCE")
        if len(text) <= SHORT_PLACE or text.endswith(PLACE_SUFFIXES):
            return _relabel(ent, "GPE")
        return None

    def _office_titles(self, doc: Doc, native: list[Span], titles: list[Span]) -> list[Span]:
        """Model positions that name an office (end with a known title) and no title covers."""
        covered = {index for title in titles for index in range(title.start, title.end)}
        found = []
        for ent in native:
            if ent.label_ != "position" or not covered.isdisjoint(range(ent.start, ent.end)):
                continue
            role = self._office_role(ent.text)
            if role is not None:
                found.append(Span(doc, ent.start, ent.end, label=role))
        return found

    def _office_role(self, text: str) -> str | None:
        """The role of the longest known title `text` ends with (副市长 -> mayor), or the title
        itself for the head of something (研究院院长)."""
        folded = fold(text)
        for start in range(len(folded)):
            role = self._offices.get(folded[start:])
            if role is not None:
                return role
        head = folded.endswith(HEAD_SUFFIX) and len(folded) >= 2 and folded not in self._generic
        return folded if head else None


def _without_department(ent: Span) -> Span:
    """A company without the department the model read into it (冠域证券|研究部): the
    company is the entity."""
    department = _DEPARTMENT.search(ent.text)
    if department is None:
        return ent
    end = ent.end_char - len(department["department"])
    return ent.doc.char_span(ent.start_char, end, label=ent.label_) or ent


def _body_type(name: str, label: str) -> str:
    """The type of a model company or body: a company's name ends in 公司 (中国铁路昆明局集团
    有限公司, not a bureau), a union's or an association's in 会 (金属工会, not a company), a
    research institute's in 研究所 (世宗研究所, not a company), a bureau's in 局 or 署; a firm's
    name may end in 科技 (丰翼科技, not a body)."""
    if name.endswith((COMPANY_END, TECHNOLOGY)):
        return "COMPANY"
    if name.endswith(BODY_ENDS + BUREAU_ENDS):
        return "ORG"
    return NATIVE_TYPES[label]


def _listed(text: str, match: re.Match[str], matches: list[re.Match[str]]) -> bool:
    """Whether another match comes right before or after `match`, with 、 or 及 between them:
    names of one kind in a list (和平国小、崇德国小及志学国小), whatever their words."""
    starts = {other.start() for other in matches}
    ends = {other.end() for other in matches}
    return (text[match.end() : match.end() + 1] in LIST_WORDS and match.end() + 1 in starts) or (
        text[match.start() - 1 : match.start()] in LIST_WORDS and match.start() - 1 in ends
    )


def _with_their_places(entities: list[Span]) -> list[Span]:
    """A company named by its place and what it runs (高雄|捷运公司, 香港|科技园公司) is one
    company: the place is part of its name; so is a place no list knows before a company of
    trade words (金孔雀|建材贸易公司: its name), any place before a group of trade words (广西|
    糖业集团), and a council or government after a foreign
    place the model read as a name (陶尔哈姆莱茨|区议会)."""
    merged: list[Span] = []
    for ent in entities:
        place = merged[-1] if merged else None
        before_it = place is not None and place.label_ in PLACES and place.end == ent.start
        # a group of trade words is a name (糖业集团), a company of them only described (科技公司)
        named = (
            place is not None
            and _trade_only(ent)
            and (not place.kb_id_ or ent.text.endswith(GROUP))
        )
        if place and before_it and (_what_it_runs(ent) or named):
            merged[-1] = _relabel(ent.doc[place.start : ent.end], "COMPANY")
        elif (
            place
            and place.label_ == "PERSON"
            and not place.kb_id_
            and place.end == ent.start
            and _PLACE_COUNCIL.fullmatch(ent.text)
        ):
            merged[-1] = _relabel(ent.doc[place.start : ent.end], "ORG")
        else:
            merged.append(ent)
    return merged


def _without_university_units(entities: list[Span]) -> list[Span]:
    """Without a department or an institute that follows its university (成功大学|海洋工程学系,
    淡江大学|战略研究所): it is part of the university, which is the entity."""
    kept: list[Span] = []
    for ent in entities:
        university = kept[-1] if kept else None
        if not (
            university is not None
            and university.end_char == ent.start_char
            and university.label_ == ent.label_ == "ORG"
            and university.text.endswith(UNIVERSITY)
            and ent.text.endswith(UNIVERSITY_UNITS)
        ):
            kept.append(ent)
    return kept


def _names_of_things(text: str, spans: list[Span]) -> set[str]:
    """Names the text writes after a word for a storm (台风康芮) or before one for a dam
    (曾文|水库), or that the model reads as a person's before a storm (康芮|台风): everywhere
    in the text they name the thing, not a person or a place. A place before a storm is the
    place (菲律宾|台风季)."""
    after_storms = [storm.end() for storm in _STORM.finditer(text)]
    before_dams = [dam.start() for dam in _DAM.finditer(text)]
    return {
        span.text
        for span in (spans if after_storms or before_dams else ())
        if any(text.startswith(span.text, end) for end in after_storms)
        or any(text.endswith(span.text, 0, start) for start in before_dams)
        or (span.label_ == "name" and text.startswith(STORMS, span.end_char))
    }


def _with_their_agencies(entities: list[Span]) -> list[Span]:
    """A ministry and an agency named after it (经济部|水利署, 农业部|农田水利署) are one body:
    the agency."""
    merged: list[Span] = []
    starts = {ent.start for ent in entities}
    for ent in entities:
        ministry = merged[-1] if merged else None
        if ministry and _ministry(ministry) and ministry.end == ent.start and _agency(ent.text):
            merged[-1] = _relabel(ent.doc[ministry.start : ent.end], "ORG")
            continue
        end = _agency_end(ent, starts) if _ministry(ent) else ent.end
        if end > ent.end:
            ent = _relabel(ent.doc[ent.start : end], "ORG")
        merged.append(ent)
    return merged


def _agency_end(ministry: Span, starts: set[int]) -> int:
    """The end of the agency a ministry's name runs into (经济部|水利|署: jieba cuts the suffix
    off), or the ministry's own end; not what a conjunction joins (财政部|与|审计署)."""
    doc, start = ministry.doc, ministry.end
    for end in range(start + 1, min(start + 3, len(doc)) + 1):
        if end - 1 in starts or len(doc[start]) < 2:
            break
        name = doc[start:end].text
        if len(name) >= 3 and _agency(name):
            return end
    return ministry.end


def _associations(doc: Doc, entities: list[Span], generic: frozenset[str]) -> list[Span]:
    """Associations, schools and hospitals no list knows, named by what they are for and what
    they are (台湾|癌症|病友|权益|促进会, 杭州市|第一|人民|医院): the words before the kind of body,
    from the place that starts the name; the model cuts such names or leaves them out."""
    heads = _heads(doc)
    if not heads:
        return entities
    covered = {index: ent for ent in entities for index in range(ent.start, ent.end)}
    found: list[Span] = []
    for kind_span in heads:
        head = kind_span[-1]
        body = covered.get(head.i)
        if body is not None and (body.label_ != "ORG" or body.kb_id_):
            continue  # a known body is named in full (薄扶林|玛丽医院: the place only locates it)
        # from the kind's first word: jieba may cut a kind in two (关注|组)
        end = body.start if body is not None else kind_span.start
        start, places = _association_name_start(doc, end, head.i, covered, generic)
        name = doc[start : head.i + 1].text
        modifiers = name[: -len(_body_head(name))]
        nouns = [word for word in _words(doc, start, head.i, modifiers) if _noun(word)]
        proper = _proper_word(modifiers)  # 沙田|嘉朗|中学: the place only says where it is
        cause = len(modifiers) >= 2 and name.endswith(CAUSE_HEADS)
        if places is not None and (nouns or cause) and not proper:
            start = places
            if start > 0 and doc[start - 1].text == GREATER:
                start -= 1  # 大|温哥华: the city's metropolitan area
        elif len(modifiers) < 2 or (len(nouns) < 2 and not proper):
            continue  # a name needs two nouns or a word of its own (嘉朗|中学, not 行业|协会)
        span = _relabel(doc[start : head.i + 1], "ORG")
        inside = [ent for ent in entities if ent.start < span.end and span.start < ent.end]
        if all(span.start <= ent.start and ent.end <= span.end for ent in inside) and all(
            ent.label_ in ("ORG", *PLACES) for ent in inside
        ):
            found.append(span)
    if not found:
        return entities
    dropped = {ent for span in found for ent in entities if span.start <= ent.start < span.end}
    return sorted([*(ent for ent in entities if ent not in dropped), *found], key=lambda e: e.start)


def _persons_throughout(entities: list[Span], text: str) -> list[Span]:
    """A person's full name where the model read something else inside it at another mention
    (刘德军 ... 刘|德军: not the German army) or only its start (吴元之 ... 吴元|之代表)."""
    names = {ent.text: ent for ent in entities if ent.label_ in PERSON_TYPES and len(ent.text) > 2}
    found: dict[int, Span] = {}
    for ent in entities if names else ():
        for name, person in names.items():
            start = text.find(name, max(0, ent.end_char - len(name)), ent.start_char + len(name))
            if not 0 <= start <= ent.start_char or ent.text == name:
                continue
            span = ent.doc.char_span(start, start + len(name), person.label_, kb_id=person.kb_id_)
            if span is not None and all(
                (other.label_ not in PERSON_TYPES or other.start_char == start)
                and span.start <= other.start <= other.end <= span.end
                for other in entities
                if _overlap(other, span)
            ):
                found[start] = span
    return _replaced(entities, list(found.values()))


def _branches(entities: list[Span], text: str) -> list[Span]:
    """An association's branch in a place (中华民国红十字会|台东县|支会, 台湾环境保护联盟|屏东|
    分会): a body of its own, named in full; the place in it is no mention of the place."""
    found: list[Span] = []
    for index, body in enumerate(entities):
        if body.label_ != "ORG":
            continue
        end = body.end_char
        for place in entities[index + 1 :]:
            if place.label_ not in PLACES or place.start_char != end:
                break
            end = place.end_char
        head = next((head for head in BRANCH_HEADS if text.startswith(head, end)), "")
        branch = body.doc.char_span(body.start_char, end + len(head), label="ORG")
        if end > body.end_char and head and branch is not None:
            found.append(branch)
    return _replaced(entities, found)


def _with_last_character_before_latin(span: Span) -> Span:
    """A name with the character between it and its Latin name in brackets (吴元|之（Gene Wu）):
    the Latin name follows the whole name."""
    text = doc_text(span.doc)
    end = span.end_char
    if not (all_han(text[end : end + 1]) and _LATIN_NAME_IN_BRACKETS.match(text, end + 1)):
        return span
    longer = span.doc.char_span(span.start_char, end + 1)
    return span if longer is None else longer


def _quoted_chips(doc: Doc, entities: list[Span]) -> list[Span]:
    """A name in quotes right before or after a word for a chip (“天枢-108”芯片, 量子芯片
    “Willow”, “Heron”处理器): a chip, at each of its mentions in quotes."""
    text = doc_text(doc)
    names = {chip["name"] for chip in _QUOTED_CHIP.finditer(text)}
    names |= {chip["name"] for chip in _CHIP_QUOTED.finditer(text)}
    found = []
    for name in names:
        for mention in re.finditer(f"(?<=[「“『]){re.escape(name)}(?=[」”』])", text):
            span = doc.char_span(mention.start(), mention.end(), label="CHIP", kb_id=f"chip/{name}")
            if span is not None and not any(ent.kb_id_ for ent in entities if _overlap(ent, span)):
                found.append(span)
    return _replaced(entities, found)


def _quoted_names(doc: Doc, entities: list[Span]) -> list[Span]:
    """Names in quotes after a word for a business or a body (连锁面包店「麦香坊」, 家族酒庄
    「布瓦西耶干邑」), or in quotes and ending like one («吉伦特葡萄酒农联合会»): the quotes
    mark the whole name, where the model reads a person or a place in it. A name has a word
    of its own (麦|香坊, 布瓦|西耶); known entities stay."""
    found = []
    for quoted in _QUOTED_NAME.finditer(doc_text(doc)):
        name, before = quoted["name"], quoted["before"]
        if name.endswith(BODY_HEADS) or before.endswith(BODY_KINDS):
            label = "ORG"
        elif name.endswith((*COMPANY_ENDS, *BUSINESS_ENDS)) or before.endswith(BUSINESS_KINDS):
            label = "COMPANY"
        else:
            continue
        span = doc.char_span(quoted.start("name"), quoted.end("name"), label=label)
        # 「北方海关代理集团」, 关注组织「长者权益关注联盟」: common words, yet a name
        named = (
            name.endswith(REGISTERED_ENDS)
            or (before.endswith(BODY_KINDS) and name.endswith(BODY_HEADS))
            or (before.endswith(RUNS) and not dictionary_word(name))  # 经营「难以为继」: an idiom
        )
        if span is None or not (named or any(_own_name_word(t.text) for t in span)):
            continue  # a phrase in quotes (“自愿联盟”, “走向东南亚”), no name
        inside = [ent for ent in entities if _overlap(ent, span)]
        if all(not ent.kb_id_ or ent.label_ in PLACES for ent in inside):
            found.append(span)
    return _replaced(entities, found)


def _own_name_word(word: str) -> bool:
    """A word only a name has: unknown to jieba, rare, or a person's or another proper name
    (麦, 布瓦); not a place's or a body's word (东南亚, 联盟)."""
    dictionary = jieba_dictionary()
    tag = dictionary.tags.get(word)
    rare = dictionary.frequencies.get(word, 0) < NAME_WORD_FREQUENCY
    return tag is None or tag in PERSON_NAME_TAGS or (rare and tag not in ("ns", "nt"))


def _heads(doc: Doc) -> list[Span]:
    """The tokens of each kind of body (协会, 产业协会, 医院; 关注|会 when jieba cut a kind of three
    characters), found in the text first: a regular expression is far cheaper than a look at
    every token."""
    heads = []
    for match in _BODY_HEAD.finditer(doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if (
            span is not None
            and span.end_char == match.end()
            and (span[-1].text.endswith(BODY_HEADS) or len(match.group()) > 2)
        ):
            heads.append(span)
    return heads


def _words(doc: Doc, start: int, head: int, modifiers: str) -> list[str]:
    """The words before the kind of body: the tokens before the head, and the start of the head
    token where jieba joined a word to the kind (观光|产业协会)."""
    words = [token.text for token in doc[start:head]]
    joined = modifiers[len("".join(words)) :]
    return [*words, joined] if joined else words


def _association_name_start(
    doc: Doc, end: int, head: int, covered: dict[int, Span], generic: frozenset[str]
) -> tuple[int, int | None]:
    """Where an association's name before `end` starts, and the start of the places that
    start it, if any (no place: nouns only, 联同|列治文华人社区协会, 华盛顿|智库|保卫民主基金会)."""
    start = _association_start(doc, end, head, covered, generic, nouns_only=False)
    places = _places_before(start, covered)
    if places is None or (doc[start].text in generic and doc[start].text != REGION):
        return _association_start(doc, end, head, covered, generic, nouns_only=True), None
    return start, places


def _body_head(word: str) -> str:
    """The kind of body `word` ends in (协会), or "" for none."""
    return next((head for head in BODY_HEADS if word.endswith(head)), "")


def _name_word(token: Any, covered: dict[int, Span]) -> bool:
    """A word that can be part of an association's name: no entity, function word or number
    (but an ordinal: 第一人民医院), and no space after it."""
    tag = jieba_dictionary().tags.get(token.text, "OOV")
    ordinal = token.text.startswith("第") and len(token.text) >= 2
    return (
        token.i not in covered
        and all_han(token.text)
        and not token.whitespace_
        and (ordinal or tag not in NOT_NAME_WORD_TAGS)
        and not token.text.endswith(BODY_HEADS)
    )


def _association_start(
    doc: Doc,
    end: int,
    head: int,
    covered: dict[int, Span],
    generic: frozenset[str],
    *,
    nouns_only: bool,
) -> int:
    """Where the words of an association's name before `end` begin; with `nouns_only` (no place
    starts the name), nouns but no generic word (环保团体|地球公民基金会; but 多伦多|华人团体
    联合总会)."""
    start = end
    while (
        start > 0
        and head - start < MAX_NAME_WORDS
        and _name_word(doc[start - 1], covered)
        and (not nouns_only or _noun_of_a_name(doc[start - 1].text, generic))
    ):
        start -= 1
    return start


def _places_before(start: int, covered: dict[int, Span]) -> int | None:
    """The start of the known places right before `start` (加拿大|中国|专业人士协会), if any."""
    first = None
    while (place := covered.get(start - 1)) is not None and place.label_ in PLACES:
        first = start = place.start
    return first


def _noun_of_a_name(word: str, generic: frozenset[str]) -> bool:
    """A word of an association's name with no place before it: a noun jieba knows, or a
    longer word it does not (列治文); not a verb (联同), a short guess (下称) nor a generic word
    (团体)."""
    if word in generic:
        return False
    tag = jieba_dictionary().tags.get(word)
    if tag is None:  # jieba's guess: a longer one, or its own name; not 独中及, 下称
        return _proper_word(word) or (len(word) >= 3 and not preposition(word[-1]))
    return tag in NOUN_TAGS


def _proper_word(word: str) -> bool:
    """Two characters jieba does not know and that are no function words nor start with a
    pronoun: a name of its own (启翔, 嘉朗), not a phrase jieba guessed (下称, 本澳)."""
    tags = jieba_dictionary().tags
    return (
        len(word) == 2
        and word not in tags
        and tags.get(word[0]) not in NOT_NAME_WORD_TAGS  # 本澳, 该会: no name
        and not any(function_word(char) for char in word)
    )


def _noun(word: str) -> bool:
    return jieba_dictionary().tags.get(word, "OOV") in NOUN_TAGS


def _ministry(ent: Span) -> bool:
    return ent.label_ == "ORG" and ent.text.endswith(MINISTRY_END)


def _agency(name: str) -> bool:
    return all_han(name) and len(name) >= 2 and name.endswith(AGENCY_ENDS)


def _trade_only(ent: Span) -> bool:
    """A model company no list knows that is no more than trade words and 公司 or 集团
    (建材贸易公司, 糖业集团)."""
    words = [token.text for token in ent]
    return (
        ent.label_ == "COMPANY"
        and not ent.kb_id_
        and len(words) > 1
        and words[-1] in (COMPANY_END, GROUP)
        and all(dictionary_word(word) for word in words[:-1])
    )


def _what_it_runs(ent: Span) -> bool:
    """A company no list knows named by one word of the dictionary and its legal form (捷运公司)."""
    form = next((form for form in (*LEGAL_FORMS, "公司") if ent.text.endswith(form)), "")
    head = fold(ent.text[: -len(form)]) if form else ""
    known = head in jieba_dictionary().frequencies
    return ent.label_ == "COMPANY" and not ent.kb_id_ and len(head) >= 2 and known


def _former_officials(entities: list[Span], text: str, titles: list[Span]) -> list[Span]:
    """Officials that the document names only with titles they no longer hold (前总理他信,
    已故前总统卡特), or in a list after one that does (前国家主席阮春福、武文赏), are persons:
    taxonomy.md's officials hold office at the time of the story."""
    past = [title for title in titles if former(title)]
    if not past:
        return entities
    current = [title for title in titles if not former(title)]
    gone = {_person_key(ent) for ent in entities if _titled(ent, text, past)}
    persons = [ent for ent in entities if ent.label_ in PERSON_TYPES]
    for listed, ent in zip(persons, persons[1:], strict=False):  # 前国家主席阮春福、武文赏
        if _person_key(listed) in gone and text[listed.end_char : ent.start_char] in LIST_WORDS:
            gone.add(_person_key(ent))
    gone -= {_person_key(ent) for ent in entities if _titled(ent, text, current)}
    return [
        _relabel(ent, "PERSON", ent.kb_id_)
        if ent.label_ == "OFFICIAL" and _person_key(ent) in gone
        else ent
        for ent in entities
    ]


def _person_key(ent: Span) -> str:
    return ent.kb_id_ or ent.text


def _side(text: str) -> bool:
    """A country's side in talks, named by its first character (哈方, 柬方, 哈方|愿): no name."""
    return len(text) in (2, 3) and text[1] == SIDE and (len(text) == 2 or known_verb(text[2]))


def _with_registered_companies(
    found: list[tuple[int, int, str]], registered: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The model's spans, with registered company names instead of those they overlap."""
    kept = [
        span
        for span in found
        if not any(start < span[1] and span[0] < end for start, end, _ in registered)
    ]
    return sorted(kept + registered)


def _one_type_per_name(entities: list[Span]) -> list[Span]:
    """Names no list knows under one type in a document: a person's name that the model also
    read as something else elsewhere (国防部长乌梅罗夫 ... 乌梅罗夫会后说, an organization
    there) is the person there too."""
    people = {ent.text: ent.label_ for ent in entities if ent.label_ in PERSON_TYPES}
    return [
        _relabel(ent, people[ent.text])
        if not ent.kb_id_ and ent.label_ not in PERSON_TYPES and ent.text in people
        else ent
        for ent in entities
    ]


def fill_gaps(rules: list[Span], model: list[Span]) -> list[Span]:
    """Rule entities, plus model entities where no rule entity is. Three exceptions, where the
    rules only guessed: a model organization or company replaces the known places inside it
    (中国 in 中国汽车工业协会, 新西兰 in 新西兰航空), a model name replaces a name the title
    grammar cut by guess (张晓 in 发言人张晓明说) when it is longer, keeping its OFFICIAL, and a
    transliterated full name replaces the known name that is only its last part (哈里斯 in
    艾玛·哈里斯: another person); a model name also replaces a known two-character name it
    starts with (张文 in 张文涛: another person), a known place that is a model name's given
    name (秀英 in 梁秀英), and a legislature a model committee starts with (立法会 in
    立法会财经事务委员会), and a registered name holds a known company after a name of its own
    (晶耀|光电股份|有限公司). A company after the country it is from (法国|泰雷兹集团) keeps the
    country and is itself what follows it."""
    chosen = list(rules)
    for span in model:
        overlapping = [ent for ent in chosen if ent.start < span.end and span.start < ent.end]
        if _places_and_a_trade(span, overlapping):
            continue
        if overlapping and _after_its_country(span, overlapping):
            end_of_places = max(ent.end for ent in overlapping)
            span, overlapping = _relabel(span.doc[end_of_places : span.end], "COMPANY"), []
        if overlapping and _guessed_name(span, overlapping):
            guess = overlapping[0]
            span = _relabel(span, "PERSON" if guess.kb_id_ else guess.label_)
        elif overlapping and not (
            _named_after_places(span, overlapping)
            or _longer_dotted_name(span, overlapping)
            or _pieces_of_a_dotted_name(span, overlapping)
            or _name_ending_in_a_place(span, overlapping)
            or _committee_of(span, overlapping)
            or _registered_name_around(span, overlapping)
        ):
            continue
        chosen = [ent for ent in chosen if ent not in overlapping] + [span]
    return sorted(chosen, key=lambda ent: ent.start)


def _guessed_name(span: Span, inside: list[Span]) -> bool:
    """One shorter person, starting where the model's person starts, that a rule guessed
    (巴德尔·布赛 in 巴德尔·布赛义迪) or that is a known name of two characters in a name of
    three (张文 in 张文涛 and in 张文正也说; but 安华|盼 is a name and a verb, 王毅|今 a name
    and a day)."""
    if len(inside) != 1:
        return False
    ent = inside[0]
    run_on = span.text[len(ent.text) :]
    if len(run_on) == 1 and run_on in WORDS_AFTER_TWO:
        return False  # the guess is the name, the model ran on into the day (王惠美|今)
    third = span.text[2:3]
    word_after = third in WORDS_AFTER_TWO or function_word(third, frequency=COMMON_WORD_FREQUENCY)
    adverb_next = doc_text(span.doc).startswith(ADVERBS_AFTER_NAMES, span.end_char)  # 张文正|也
    longer_known = len(ent.text) == 2 and len(span.text) == 3 and (adverb_next or not word_after)
    return (
        span.label_ == "PERSON"
        and ent.label_ in PERSON_TYPES
        and (not ent.kb_id_ or longer_known)
        and all_han(_without_dots(span.text))
        and ent.start_char == span.start_char
        and ent.end_char < span.end_char
    )


def _registered_name_around(span: Span, inside: list[Span]) -> bool:
    """A registered name around known names that holds a name of its own before them
    (晶耀|光电股份|有限公司: 光电股份 is another company); not one that a known company starts
    after its places (北京|字节跳动|科技有限公司: 字节跳动 is the company)."""
    if span.label_ != "COMPANY" or not span.text.endswith((*LEGAL_FORMS, *FIRM_FORMS)):
        return False
    name_start = span.start
    for ent in sorted(inside, key=lambda ent: ent.start):
        if ent.start != name_start or ent.label_ not in PLACES:
            break
        name_start = ent.end
    return all(span.start <= ent.start and ent.end <= span.end for ent in inside) and all(
        ent.start > name_start for ent in inside if ent.label_ not in PLACES
    )


def _committee_of(span: Span, inside: list[Span]) -> bool:
    """A model committee of the known legislature it starts with (立法会|财经事务委员会): the
    committee is the entity."""
    return (
        span.label_ == "ORG"
        and len(inside) == 1
        and inside[0].start == span.start
        and inside[0].end < span.end
        and inside[0].text.endswith(LEGISLATURES)
        and span.text.endswith(COMMITTEE)
    )


def _name_ending_in_a_place(span: Span, inside: list[Span]) -> bool:
    """A model name of three characters whose given name is a known place (梁|秀英, 韩|嘉禾):
    the person, not the place."""
    return (
        span.label_ == "PERSON"
        and len(inside) == 1
        and inside[0].label_ in PLACES
        and len(span.text) == 3
        and all_han(span.text)
        and inside[0].start_char == span.start_char + 1
        and inside[0].end_char == span.end_char
    )


def _without_dots(name: str) -> str:
    return "".join(char for char in name if char not in _NAME_JOINERS)


def _one_character_words(doc: Doc) -> set[int]:
    """The positions of the doc's words of one Chinese character."""
    return {token.idx for token in doc if len(token) == 1 and "\u3400" <= token.text <= "\u9fff"}


def _hyphenated_start(text: str, start: int, transliteration: frozenset[str]) -> int:
    """Where a model name that starts after a hyphen really starts: at the first name before
    the hyphen (让-|吕克·莫兰)."""
    if start < 2 or text[start - 1] not in _HYPHENS:
        return start
    first = start - 1
    while first > 0 and start - first <= MAX_FIRST_NAME and text[first - 1] in transliteration:
        first -= 1
    return first if first < start - 1 else start


def _name_start(text: str, start: int, letters: set[int], transliteration: frozenset[str]) -> int:
    """Where a model name that starts at or just after a dot really starts: at the first name
    it left out, which jieba cut into single characters of transliteration (颂|猜|·探玛翁,
    的|颂|猜|·|甘拉亚); `letters` holds the positions of the text's one-character Chinese
    words."""
    if not _after_a_dot(text, start):
        return start
    dot = start if text[start] in _NAME_DOTS else start - 1
    first = dot
    while first - 1 in letters and text[first - 1] in transliteration:
        first -= 1
    if dot - first >= 2:
        return first
    return start + 1 if dot == start else start


def _after_a_dot(text: str, start: int) -> bool:
    """Whether a name starts at a dot or just after one (·探玛翁, ·|甘拉亚)."""
    return start > 0 and (text[start] in _NAME_DOTS or text[start - 1] in _NAME_DOTS)


def _name_end(text: str, start: int, end: int, transliteration: frozenset[str]) -> int:
    """Where a model name really ends: after the transliterated characters of a dotted or
    hyphenated name it stopped short of (马克·莱姆|利, 布朗-皮|韦), up to a word (西潘敦|多次),
    and before a conjunction it ran on into (庄翠云|则)."""
    if any(joiner in text[start:end] for joiner in _NAME_JOINERS):
        while (
            end < len(text)
            and text[end] in transliteration
            and text[end] not in WORDS_AFTER_NAMES
            and not _common_word(text[end : end + 2])  # 西潘敦|多次
        ):
            end += 1
    return trimmed_name_end(text, start, end)


def _inside_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A model span without the brackets, quotes, commas or spaces it took in at either edge
    (（Narit Therdsteerasukdi）), and without a short form in brackets after the name
    (伟华集团（WHA）: the short form is a mention of its own)."""
    while start < end and _outer_mark(text[start]):
        start += 1
    while end > start and _outer_mark(text[end - 1]):
        opening = text.rfind(_OPENERS.get(text[end - 1], "\n"), start, end - 1)
        end = opening if opening > start else end - 1
    unclosed = _unclosed_bracket(text, start, end)
    if unclosed > start:  # 贝克尔（Jonas Becker: the name ends where its bracket opens
        return _inside_marks(text, start, unclosed)
    return start, end


def _unclosed_bracket(text: str, start: int, end: int) -> int:
    """Where a bracket opens in text[start:end] that does not close there, or -1."""
    for opening in (index for index in range(start, end) if text[index] in _CLOSERS):
        if text.find(_CLOSERS[text[opening]], opening, end) < 0:
            return opening
    return -1


def _joined_names(
    text: str, predicted: Iterable[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The model's spans, where parts of one name it tagged one by one are one: Latin words
    only a space parts (Daan|Struyven, Vanda|Insights: a name if any part is one, else the
    first's label), names only a name dot parts (阿卜杜勒-阿齐兹·本|·|萨勒曼), and a dotted
    name and the name right after it (巴德尔·布赛|义迪)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, label in predicted:
        if merged and merged[-1][1] + 1 == start:
            first_start, first_end, first_label = merged[-1]
            latin = _latin_words(text[first_start:first_end]) and _latin_words(text[start:end])
            if latin and text[first_end] == " ":
                label = "name" if "name" in (label, first_label) else first_label
                start = merged.pop()[0]
            elif label == first_label == "name" and text[first_end] in _NAME_DOTS:
                start = merged.pop()[0]
        elif (
            merged
            and merged[-1][1] == start
            and label == merged[-1][2] == "name"
            and any(dot in text[merged[-1][0] : start] for dot in _NAME_DOTS)
        ):
            start = merged.pop()[0]  # the last part of a dotted name, cut in two (布赛|义迪)
        merged.append((start, end, label))
    return merged


def _latin_words(text: str) -> bool:
    return text.isascii() and text.replace(" ", "").isalpha()


def _without_persons_in_registered_names(
    rules: list[Span], registered: list[tuple[int, int, str]]
) -> list[Span]:
    """The rule entities less a name no list knows read inside a registered company's name
    (业者|金果园 of 金果园农业有限公司): the company fills the gap."""
    return [
        ent
        for ent in rules
        if ent.label_ not in PERSON_TYPES
        or ent.kb_id_
        or not any(start <= ent.start_char and ent.end_char <= end for start, end, _ in registered)
    ]


def _without_titled_companies(
    rules: Iterable[Span], typed: list[Span], titles: list[Span]
) -> list[Span]:
    """The rule entities less a known company the model read as a name right after an office
    title (安大略省省长福特 is Doug Ford, not the carmaker): the model's person fills the gap."""
    titled = {
        (span.start_char, span.end_char)
        for span in typed
        if span.label_ == "PERSON" and any(title.end_char == span.start_char for title in titles)
    }
    return [
        ent
        for ent in rules
        if not (ent.label_ == "COMPANY" and (ent.start_char, ent.end_char) in titled)
    ]


def _latin_in_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """A model span of Latin letters grown to the whole Latin name in the brackets around it
    (Andrew of （Andrew Bell）): a name given in its original form."""
    opening = text.rfind("（", 0, start)
    match = _LATIN_NAME.match(text, opening + 1) if opening >= 0 else None
    if match is not None and match.start(1) <= start and end <= match.end(1):
        return match.start(1), match.end(1)
    return start, end


# A place of two or more characters and its level (苏拉威西省, 莫罗瓦利县, 拉布塔村).
_PLACE_WITH_LEVEL = re.compile("..+?[省县区市镇乡村]")  # not 州: 杭州 is a name, not a level
KNOWN_WORD_FREQUENCY = 100
# A person's name in Latin letters: two or three capitalised words (Vandana Hari, Max Layton).
_LATIN_FULL_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}")
_LATIN_NAME = re.compile(r"([A-Za-z][A-Za-z.'&-]*(?: [A-Za-z][A-Za-z.'&-]*)*)）")
_OPENERS = {")": "(", "）": "（", "」": "「", "』": "『", "》": "《", "]": "[", "】": "【"}
_CLOSERS = {opener: closer for closer, opener in _OPENERS.items()}


def _outer_mark(char: str) -> bool:
    return (
        char.isspace()
        or unicodedata.category(char) in ("Ps", "Pe", "Pi", "Pf")
        or char in "，、。：；！？,;:!?"
    )


def _bare_place(text: str, start: int, end: int) -> tuple[int, int]:
    """An address without the verb the model took in before it (深化|大湾区), the level of the
    place before it (三描礼士|省|马辛洛克镇: jieba's 省马辛) and the word of position after it
    (大湾区|内)."""
    if end - start > 3 and text[end - 1] in LOCATIVES:
        end -= 1
    if end - start > 3 and text[start] == PROVINCE_LEVEL and all_han(text[start - 1 : start]):
        start += 1
    if end - start > 3 and known_verb(text[start : start + 2]):
        start += 2
    return start, end


def _places_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The places an address names one after another, each with its level (苏拉威西省|莫罗瓦利县,
    巴霍多比区|拉布塔村), or the whole address when a part ends in a word (浦东新区, 南崁地区)."""
    places = [
        (start + match.start(), start + match.end())
        for match in _PLACE_WITH_LEVEL.finditer(text[start:end])
    ]
    whole = len(places) >= 2 and places[0][0] == start and places[-1][1] == end
    if (
        whole
        and all(first[1] == second[0] for first, second in pairwise(places))
        and not any(_known_word(text[place_end - 2 : place_end]) for _, place_end in places)
    ):
        return places
    return [(start, end)]


def _known_word(word: str) -> bool:
    """A word jieba's dictionary knows (新区, 地区): no place's name ends with it."""
    return jieba_dictionary().frequencies.get(word, 0) >= KNOWN_WORD_FREQUENCY


def _trade_noun(text: str) -> bool:
    """Common words ending in a word for a trader (开发商, 工业|地产商)."""
    tags = jieba_dictionary().tags
    return any(
        tags.get(text[split:], "nr") not in PROPER_TAGS
        and (split == 0 or _common_words(text[:split]) is not None)
        for split in range(len(text) - 1)
    )


def _organization_end(text: str, start: int, end: int, *, company: bool = False) -> int:
    """A university without the discipline the model ran on into (菲律宾大学|政治学), a
    name without the word it ran into that repeats its last one (南方基金|基金经理), without
    the particle or the verb of saying after it (云栈智能|的, 巴苏基|说), and a company without
    a site of its own (阿美|总部, 茶小野|门店; but 吉兰丹警察总部 is a body)."""
    if end - start > 2 and text[end - 1] in RUN_ON_ENDS:
        end -= 1
    if end - start > 3 and text[end - 1] == WILL and text[end - 2] in BUREAU_SUFFIXES:
        end -= 1  # 铁道局|会协助: "will", after a name that has its suffix
    if company:
        site = next((word for word in SITE_WORDS if text.endswith(word, start, end)), "")
        if end - start - len(site) >= 2:
            end -= len(site)  # 阿美|总部, 茶小野|门店: the company's site, no part of its name
    name = text[start:end]
    for size in (2, 3):
        if len(name) >= 3 * size and name[-size:] == name[-2 * size : -size]:
            return end - size
    university = name.rfind(UNIVERSITY)
    if university > 0 and name.endswith("学") and not name.endswith(UNIVERSITY):
        return start + university + len(UNIVERSITY)
    return end


def _with_suffix(ent: Span) -> Span:
    """An organization with the one-character suffix (越南工贸|部) or the kind of school
    (哥打巴鲁中华独立|中学) the model left after it; not after a suffix (卫生署|会与) or a
    body's head, and not 会 before a word: that is "will" (央行|会|维持)."""
    doc = ent.doc
    suffix = doc[ent.end].text if ent.end < len(doc) else ""
    word_after = ent.end + 1 < len(doc) and all_han(doc[ent.end + 1].text)
    if (
        (suffix in ORG_SUFFIXES or suffix in SCHOOL_HEADS)
        and ent.text[-1] not in ORG_SUFFIXES
        and not ent.text.endswith(BODY_HEADS)
        and not (suffix == WILL and word_after)
    ):
        return doc[ent.start : ent.end + 1]
    return ent


def _longer_dotted_name(span: Span, inside: list[Span]) -> bool:
    """A person's dotted or hyphenated full name around one known person that is only a part
    of it (布朗 in 布朗-皮韦)."""
    if span.label_ != "PERSON" or len(inside) != 1 or inside[0].label_ not in PERSON_TYPES:
        return False
    ent = inside[0]
    rest = span.text.replace(ent.text, "", 1)
    joined = any(joiner in rest for joiner in _NAME_JOINERS)
    return span.start <= ent.start and ent.end <= span.end and joined


def _pieces_of_a_dotted_name(span: Span, inside: list[Span]) -> bool:
    """A person's dotted full name around known names that are only pieces of its parts
    (阿里 in 阿里夫, 古纳 in 古纳万: 阿里夫·古纳万)."""
    if span.label_ != "PERSON" or not any(dot in span.text for dot in _NAME_DOTS):
        return False
    parts = [
        (span.start_char + part.start(), span.start_char + part.end())
        for part in re.finditer(f"[^{_NAME_DOTS}]+", span.text)
    ]
    return all(any(_piece_of(ent, begin, end) for begin, end in parts) for ent in inside)


def _piece_of(ent: Span, begin: int, end: int) -> bool:
    """Whether `ent` lies in the characters [begin, end) and is shorter than them."""
    inside = begin <= ent.start_char and ent.end_char <= end
    return inside and ent.end_char - ent.start_char < end - begin


def _named_after_places(span: Span, inside: list[Span]) -> bool:
    """An organization or company whose name holds places (香港大学, 新西兰航空), not a
    place's government (美国政府)."""
    if span.label_ not in ("ORG", "COMPANY") or any(
        ent.label_ not in PLACES or ent.start < span.start or span.end < ent.end for ent in inside
    ):
        return False
    rest = span.text
    for ent in inside:
        rest = rest.replace(ent.text, "", 1)
    return len(rest) >= 2 and rest not in GOVERNMENT_WORDS


def _after_its_country(span: Span, inside: list[Span]) -> bool:
    """A model company that starts with known places and goes on with a name of its own
    (法国泰雷兹集团); but 新西兰航空 is a name only with its place, and so is a registered
    name (杭州市|科创集团有限公司: Chinese companies register under their city), and so is a
    place and trade words (陕西|汽车|控股集团; but 浙江|华立|集团)."""
    if (
        span.label_ != "COMPANY"
        or span.text.endswith(LEGAL_FORMS)
        or not _named_after_places(span, inside)
    ):
        return False
    places_end = max(ent.end for ent in inside)
    rest = span.doc[places_end : span.end]
    trade = len(rest) > 1 and all(dictionary_word(token.text) for token in rest[:-1])
    return (
        inside[0].start == span.start
        and places_end < span.end
        and not _common_words(rest.text)
        and not trade
    )


def _places_and_a_trade(span: Span, inside: list[Span]) -> bool:
    """A model company that is places and one word of jieba's that is no proper name
    (安徽省|新能源, 香港|银行, 中国|母公司): a trade of the places; the known companies named so
    (新西兰航空) are the knowledge's. Places and several words are a name (陕西|汽车控股集团)."""
    if not inside or inside[0].start != span.start or not _named_after_places(span, inside):
        return False
    rest = span.doc[max(ent.end for ent in inside) : span.end].text
    tags = jieba_dictionary().tags
    return span.label_ == "COMPANY" and rest in tags and tags[rest] not in PROPER_TAGS


def _ends_in_a_word(text: str) -> bool:
    """Whether `text` ends in a word jieba's dictionary knows as no proper name (半导体)."""
    tags = jieba_dictionary().tags
    return any(
        _known_word(text[-size:]) and tags.get(text[-size:]) not in PROPER_TAGS for size in (2, 3)
    )


def _joined_start(token: Token) -> bool:
    """Whether a token starts with a character that belongs before the name: a preposition
    (于|恒进) or the end of a trade noun (承办|商|东利)."""
    first = token.text[0]
    before = token.doc[token.i - 1].text if token.i > 0 else ""
    return preposition(first) or (first == TRADER and known_verb(before[-2:]))


def _before_names(word: str) -> bool:
    """A word that ends a company's name on the left: a frequent verb, pronoun, preposition,
    number ... (成立, 担任, 作为), a trade noun (营造商) or one character of BEFORE_NAMES."""
    if len(word) == 1:
        return word in BEFORE_NAMES
    if len(word) > 2 and word.endswith(TRADER):
        return True  # a trade noun (营造商|丰舜营造股份有限公司)
    dictionary = jieba_dictionary()
    tag = dictionary.tags.get(word, "")
    frequent = dictionary.frequencies.get(word, 0) >= COMMON_WORD_FREQUENCY
    return frequent and (tag in NOT_NAME_WORD_TAGS or tag in ("v", "d"))


def _trade_word(word: str) -> bool:
    """A word of a trade in a company's name (模具, 国际, 控股): a known word and no proper name;
    the name proper is rare words (锦程, 塑胶工业), proper names or single characters."""
    return len(word) > 1 and _known_word(word) and dictionary_word(word)


def _common_word(text: str) -> bool:
    """A frequent jieba word that is no proper name (政府, 能源): never an entity alone."""
    dictionary = jieba_dictionary()
    frequent = dictionary.frequencies.get(text, 0) >= COMMON_WORD_FREQUENCY
    return frequent and dictionary.tags.get(text) not in PROPER_TAGS


def _plain_words(text: str) -> bool:
    """Common words, or one word jieba's dictionary knows as no proper name (物流, 轴承)."""
    tag = jieba_dictionary().tags.get(text)
    return bool(_common_words(text)) or (tag is not None and tag not in PROPER_TAGS)


def _common_words(text: str) -> list[str] | None:
    """`text` split into common words of two characters or more (科技公司 -> 科技, 公司), or None
    when it has a name-like part or is a proper name to jieba (工商银行)."""
    if jieba_dictionary().tags.get(text) in PROPER_TAGS:
        return None
    # splits[end]: the words text[:end] splits into, or None
    splits: list[list[str] | None] = [[]] + [None] * len(text)
    for end in range(2, len(text) + 1):
        splits[end] = next(
            (
                [*head, text[start:end]]
                for start in range(end - 1)
                if (head := splits[start]) is not None and _common_word(text[start:end])
            ),
            None,
        )
    return splits[-1]


def _defined_short_names(doc: Doc, text: str) -> Doc:
    """A company or body with the short name the text defines after it (安宁市城乡发展投资集团
    有限公司（下称安宁城投）) or gives in brackets, made of its characters (古物谘询委员会
    （古谘会）): each mention of the short name is the same entity, whatever the model made of
    it (安宁, a person 古谘会)."""
    ents = [(ent.start_char, ent.end_char, ent.label_, ent.kb_id_) for ent in doc.ents]
    added: list[tuple[int, int, str, str]] = []
    for index, (start, end, label, kb_id) in enumerate(ents):
        short = _short_name_after(text, start, end) if label in ("COMPANY", "ORG") else ""
        if not short:
            continue
        kb_id = kb_id or f"{label.lower()}/{short}"
        ents[index] = (start, end, label, kb_id)
        mentions = re.finditer(re.escape(short), text)
        added += [(m.start(), m.end(), label, kb_id) for m in mentions if m.start() >= end]
    if not added:
        return doc
    kept = [ent for ent in ents if not any(a < ent[1] and ent[0] < b for a, b, *_ in added)]
    doc = split_tokens(doc, [(start, end) for start, end, *_ in added])
    spans = [doc.char_span(start, end, label=label, kb_id=kb) for start, end, label, kb in kept]
    spans += [doc.char_span(start, end, label=label, kb_id=kb) for start, end, label, kb in added]
    doc.ents = filter_spans(span for span in spans if span is not None)
    return doc


def _defined_name_start(text: str, form: re.Match[str]) -> int | None:
    """Where a registered name starts that the text shortens right after it to its first
    characters (金果园农业有限公司（以下简称“金果园”）, 鼎昇化学工业公司（下称鼎昇化工）): the
    name is sure where its words are too common to tell (金|果园|农业)."""
    definition = _SHORT_NAME_DEFINITION.match(text, form.end())
    if definition is None:
        return None
    earliest = max(0, form.start() - MAX_REGISTERED_NAME)
    short = definition["short"]
    start = text.rfind(short, earliest, form.start())
    if start < 0 and form.group() == COMPANY_END:  # its first two characters (鼎昇化工)
        start = text.rfind(short[:2], earliest, form.start())
    return start if start >= 0 else None


def _short_name_after(text: str, start: int, end: int) -> str:
    """The short name the text defines after the name at `start`-`end` (（下称安宁城投）), or
    gives in brackets and makes of its characters (（古谘会）); "" for none."""
    definition = _SHORT_NAME_DEFINITION.match(text, end)
    if definition is not None:
        return str(definition["short"])
    bracket = _IN_BRACKETS.match(text, end)
    abbreviation = bracket is not None and _abbreviates(bracket["inner"], text[start:end])
    return str(bracket["inner"]) if bracket is not None and abbreviation else ""


def _abbreviates(short: str, name: str) -> bool:
    """Whether `short` is made of characters of `name`, in order, from its first (证监会 of
    证券及期货事务监察委员会, 健保署 of 中央健康保险署): an abbreviation, not a place."""
    rest = iter(name[1:])
    return len(short) < len(name) and short[0] in name[:2] and all(c in rest for c in short[1:])


def _short_company_names(doc: Doc, text: str, place_length: Callable[[str], int]) -> Doc:
    """A company no list knows, named in full (深圳星衍智能科技有限公司) and elsewhere by a short
    form (星衍智能), is one company under that short form, with all its mentions; but after its
    place the short form is another name (启德|体育园, not 启德体育园有限公司).
    `place_length` tells how long the place a registered name starts with is (深圳)."""
    ents = [(ent.start_char, ent.end_char, ent.label_, ent.kb_id_) for ent in doc.ents]
    taken = [(start, end) for start, end, *_ in ents]
    renamed: dict[int, str] = {}
    added: list[tuple[int, int, str, str]] = []
    for index, (start, end, label, kb_id) in enumerate(ents):
        if label != "COMPANY" or kb_id:
            continue
        name = text[start:end]
        place = place_length(name)
        for short in [*_short_forms(name[place:]), *(_short_forms(name) if place else [])]:
            if _plain_words(short):
                continue  # 宝兴|工程有限公司: 工程 is everywhere, and no name
            found = [
                (match.start(), match.end())
                for match in re.finditer(re.escape(short), text)
                if not any(match.start() < stop and begin < match.end() for begin, stop in taken)
                and not (place and text.endswith(name[:place], 0, match.start()))
            ]
            named = any(text[begin:stop] == short for begin, stop, kind, _ in ents if kind == label)
            if found or named:
                renamed[index] = f"company/{short}"
                added += [(begin, stop, label, renamed[index]) for begin, stop in found]
                taken += found
                break
    if not renamed:
        return doc
    doc = split_tokens(doc, [(start, end) for start, end, *_ in added])
    spans = [
        doc.char_span(start, end, label=label, kb_id=renamed.get(index, kb_id))
        for index, (start, end, label, kb_id) in enumerate(ents)
    ]
    spans += [doc.char_span(*offsets[:2], label=offsets[2], kb_id=offsets[3]) for offsets in added]
    doc.ents = sorted((span for span in spans if span is not None), key=lambda s: s.start)
    return doc


def _short_forms(name: str) -> list[str]:
    """The shorter names a company's full name allows, shortest first: without its legal form
    and then without a trade word before it (星衍智能科技有限公司: 星衍智能, 星衍智能科技)."""
    form = next((form for form in LEGAL_FORMS if name.endswith(form)), None)
    if form is None or len(name) - len(form) < 2:
        return []
    base = name[: -len(form)]
    trade = next((word for word in TRADE_WORDS if base.endswith(word)), None)
    shorter = [base[: -len(trade)]] if trade and len(base) - len(trade) >= 2 else []
    return [*shorter, base]


def _spans(doc: Doc, offsets: Iterable[tuple[int, int, str]]) -> list[Span]:
    return [
        span
        for start, end, label in offsets
        if (span := doc.char_span(start, end, label=label)) is not None
    ]


def _replaced(entities: list[Span], found: list[Span]) -> list[Span]:
    """`entities` with the `found` spans in place of those they overlap, in text order."""
    if not found:
        return entities
    kept = [ent for ent in entities if not any(_overlap(ent, span) for span in found)]
    return sorted([*kept, *found], key=lambda ent: ent.start)


def _overlap(one: Span, other: Span) -> bool:
    return one.start < other.end and other.start < one.end


def _relabel(ent: Span, label: str, kb_id: str = "") -> Span:
    return Span(ent.doc, ent.start, ent.end, label=label, kb_id=kb_id or ent.kb_id_)


def _official(ent: Span) -> Span:
    return _relabel(ent, "OFFICIAL") if ent.label_ == "PERSON" else ent


def _titled(ent: Span, text: str, titles: Iterable[Span]) -> bool:
    """A person right after a title (发言人毛宁, 总统 川普), after a title and a second role
    (副行长|兼财务负责人|彭家文), right before a title (李强总理) or said to hold one further on
    (郑国栋至今仍任公司董事长)."""
    start, end = ent.start_char, ent.end_char
    return any(
        title.start_char == end
        or title.end_char == start
        or (title.end_char == start - 1 and text[start - 1] in _NAME_GAP)
        or _second_role(text[title.end_char : start])
        or (title.start_char > end and _HOLDS.fullmatch(text, end, title.start_char) is not None)
        or (
            text.startswith(OF, title.end_char)
            and title.end_char == start - 1
            and _held(text, title)
        )
        for title in titles
    )


def _held(text: str, title: Span) -> bool:
    """Whether the clause says the title is held (身兼联合创办人及|营运总裁|的蔡美琪)."""
    return (
        _HELD.search(text, max(0, title.start_char - MAX_HELD_DISTANCE), title.start_char)
        is not None
    )


def _second_role(between: str) -> bool:
    """Whether what stands between a title and a name is a second role (兼财务负责人)."""
    return between.startswith(ALSO) and len(between) <= MAX_SECOND_ROLE and all_han(between)


def _reporter(ent: Span) -> Span:
    """A person in a byline: a reporter, not the official of that name (编译 陈冠廷), and so
    not under the official's id either."""
    if ent.label_ == "PERSON" and not ent.kb_id_:
        return ent
    return Span(ent.doc, ent.start, ent.end, label="PERSON")


def _bylined(text: str, entities: list[Span], markers: Iterable[str]) -> set[Span]:
    """Persons that follow a byline marker (记者谢守真, 编译／黄淑玲, 图／李四): reporters, not
    officials; a marker of one character only where it stands alone (not 新蓝图 李家超)."""
    found = set()
    for ent in entities:
        if ent.label_ not in PERSON_TYPES:
            continue
        window = max(0, ent.start_char - 6)
        before = text[window : ent.start_char]
        marker_end = len(before.rstrip(BYLINE_SEPARATORS))
        separated = marker_end < len(before)
        if any(
            before[:marker_end].endswith(marker)
            and (len(marker) > 1 or (separated and _word_alone(text, window + marker_end - 1)))
            for marker in markers
        ):
            found.add(ent)
    return found


def _word_alone(text: str, start: int) -> bool:
    """Whether a word of one character at `start` stands alone: no Han character before it
    (（图／美联社）, not 新蓝图 李家超)."""
    return start == 0 or not all_han(text[start - 1])


@Language.factory(
    TYPES_PIPE,
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents"],
    default_config={},
)
def make_ner_types(nlp: Language, name: str) -> NerTypes:
    return NerTypes(nlp, name)
