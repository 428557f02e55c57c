"""The statistical NER's place in the pipeline: native CLUENER labels -> taxonomy types.

Order in models/zh_news: tok2vec, ner, zhfacts_ner_native, the knowledge ruler, the title
grammar, zhfacts_ner_types. The model reads the plain text; `zhfacts_ner_native` puts its
predictions aside (doc.ents is then empty for the rules), and `zhfacts_ner_types` merges them
back once the rules have run: rules first, the model fills the gaps. The one exception is an
organization the model found around a known place (中国汽车工业协会, 香港大学, 越南工贸部): a
list that knows the place does not know the organization, so the longer model span wins there.

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
from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from .knowledge import Entry, Knowledge
from .ner_features import jieba_lexicon
from .tag import COMMON_WORD_FREQUENCY, TITLES_KEY, alias_forms, fold
from .types import STATISTICAL_COMPONENTS

TYPES_PIPE = "zhfacts_ner_types"
NATIVE_PIPE = "zhfacts_ner_native"
NATIVE_DATA = "zhfacts_ner"  # doc.user_data key: the model's (start, end, label) in characters
KNOWLEDGE_PIPE = "zhfacts_knowledge_ruler"
NATIVE_KEY = "ner"
NATIVE_TYPES = {
    "company": "COMPANY",
    "government": "ORG",
    "organization": "ORG",
}
NATIVE_LABELS = (
    "name", "company", "government", "organization", "address", "position",
    "book", "game", "movie", "scene",
)  # fmt: skip
PROVINCE_SUFFIXES = ("省", "自治区", "特别行政区")
STATE_SUFFIX = "州"  # 加州, 乔治亚州: a state; but 杭州 (two characters) and 自治州 are not
PLACE_SUFFIXES = ("市", "县", "区", "州", "镇", "乡", "村", "岛", "国")
PLACES = ("PROVINCE", "GPE")
ORGANIZATIONS = ("ORG", "COMPANY")
# The government of a place is the place (北京当局, 美国政府: GPE, taxonomy.md), not an ORG.
GOVERNMENT_WORDS = ("政府", "地方政府", "当局", "方面", "官方", "政权")
PROPER_TAGS = ("nr", "nrt", "nrfg", "ns", "nt", "nz", "OOV")
HEAD_SUFFIX = "长"  # 院长, 校长, 会长: the head of an organization holds an office
SHORT_PLACE = 4  # a place name of up to this many characters needs no suffix (伦敦, 曼彻斯特)
_STREET = re.compile(r"[0-9０-９路街道巷弄号楼层室座栋]")
_NAME_GAP = ("", " ", "·")  # what may stand between a title and the name it belongs to
_BYLINE_GAP = ("", "/", "／", ":", "：", " ")

__all__ = ["NATIVE_PIPE", "STATISTICAL_COMPONENTS", "TYPES_PIPE", "NerTypes"]


def keep_native(doc: Doc) -> Doc:
    """Put the model's entities aside as character offsets and leave doc.ents to the rules.

    Offsets, not spans: the knowledge ruler splits tokens, and span groups do not follow.
    """
    doc.user_data[NATIVE_DATA] = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    doc.ents = []
    return doc


@Language.factory(NATIVE_PIPE, assigns=["doc.ents"], default_config={})
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

    def _load(self) -> Knowledge:
        """Index places and office titles from the knowledge ruler's knowledge (once)."""
        if self._knowledge is None:
            knowledge = self.nlp.get_pipe(KNOWLEDGE_PIPE).knowledge
            if knowledge is None:
                raise ValueError(f"{self.name} needs {KNOWLEDGE_PIPE} before it")
            self._places = {
                fold(form): entry
                for entry in knowledge.entries.values()
                if entry.type in ("PROVINCE", "GPE")
                for alias in entry.names
                for form in alias_forms(alias)
            }
            self._offices = {
                fold(form): title.role
                for title in knowledge.titles.values()
                for form in alias_forms(title.text)
            }
            self._knowledge = knowledge
        return self._knowledge

    def __call__(self, doc: Doc) -> Doc:
        knowledge = self._load()
        native = [
            span
            for start, end, label in doc.user_data.pop(NATIVE_DATA, ())
            if (span := doc.char_span(start, end, label=label)) is not None
        ]
        doc.spans[NATIVE_KEY] = native
        titles = list(doc.spans.get(TITLES_KEY, ()))
        titles += self._office_titles(doc, native, titles)
        doc.spans[TITLES_KEY] = sorted(titles, key=lambda span: span.start_char)
        typed = [span for span in map(self._typed, native) if span is not None]
        entities = fill_gaps(list(doc.ents), typed)
        bylined = _bylined(doc, entities, knowledge.bylines)
        doc.ents = [
            _official(ent) if _titled(ent, titles) and ent not in bylined else ent
            for ent in entities
        ]
        return doc

    def _typed(self, ent: Span) -> Span | None:
        """A model entity under its taxonomy type, or None when it is no output type."""
        label = ent.label_
        if _common_word(ent.text):
            return None
        if label == "name":
            return _relabel(ent, "PERSON") if len(ent.text) >= 2 else None
        if label in NATIVE_TYPES:
            return _relabel(ent, NATIVE_TYPES[label])
        if label == "address":
            return self._place(ent)
        return None

    def _place(self, ent: Span) -> Span | None:
        """An address as PROVINCE or GPE: a known place, or a short or suffixed place name."""
        text = fold(ent.text)
        entry = self._places.get(text)
        if entry is not None:
            return _relabel(ent, entry.type, entry.id)
        if _STREET.search(text) or len(text) < 2:
            return None
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
        return folded if folded.endswith(HEAD_SUFFIX) and len(folded) >= 2 else None


def fill_gaps(rules: list[Span], model: list[Span]) -> list[Span]:
    """Rule entities, plus model entities where no rule entity is; a model organization also
    replaces the known places it contains (中国 in 中国汽车工业协会)."""
    chosen = list(rules)
    for span in model:
        overlapping = [ent for ent in chosen if ent.start < span.end and span.start < ent.end]
        if overlapping and not _named_after_places(span, overlapping):
            continue
        chosen = [ent for ent in chosen if ent not in overlapping] + [span]
    return sorted(chosen, key=lambda ent: ent.start)


def _named_after_places(span: Span, inside: list[Span]) -> bool:
    """An organization whose name holds places (香港大学), not a place's government (美国政府)."""
    if span.label_ != "ORG" or any(
        ent.label_ not in PLACES or ent.start < span.start or span.end < ent.end for ent in inside
    ):
        return False
    rest = span.text
    for ent in inside:
        rest = rest.replace(ent.text, "", 1)
    return len(rest) >= 2 and rest not in GOVERNMENT_WORDS


def _common_word(text: str) -> bool:
    """A frequent jieba word that is no proper name (政府, 能源): never an entity alone."""
    frequency, tag = jieba_lexicon().get(text, (0, "OOV"))
    return frequency >= COMMON_WORD_FREQUENCY and tag not in PROPER_TAGS


def _relabel(ent: Span, label: str, kb_id: str = "") -> Span:
    return Span(ent.doc, ent.start, ent.end, label=label, kb_id=kb_id or ent.kb_id_)


def _official(ent: Span) -> Span:
    return _relabel(ent, "OFFICIAL") if ent.label_ == "PERSON" else ent


def _titled(ent: Span, titles: Iterable[Span]) -> bool:
    """A person right after a title (发言人毛宁) or right before one (李强总理)."""
    text = ent.doc.text
    for title in titles:
        if text[title.end_char : ent.start_char] in _NAME_GAP and title.end_char <= ent.start_char:
            return True
        if title.start_char == ent.end_char:
            return True
    return False


def _bylined(doc: Doc, entities: list[Span], markers: Iterable[str]) -> set[Span]:
    """Persons that follow a byline marker (记者谢守真, 编译／黄淑玲): reporters, not officials."""
    text = doc.text
    found = set()
    for ent in entities:
        if ent.label_ != "PERSON":
            continue
        before = text[max(0, ent.start_char - 6) : ent.start_char]
        marker_end = len(before.rstrip("".join(_BYLINE_GAP)))
        separated = marker_end < len(before)
        if any(
            before[:marker_end].endswith(marker) and (separated or len(marker) > 1)
            for marker in markers
        ):
            found.add(ent)
    return found


@Language.factory(
    TYPES_PIPE,
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents"],
    default_config={},
)
def make_ner_types(nlp: Language, name: str) -> NerTypes:
    return NerTypes(nlp, name)
