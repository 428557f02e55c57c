"""Entities of a document under canonical ids: one record per entity with all its mentions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from spacy.tokens import Doc, Span

from .knowledge import PLACE_TYPES, SPECIAL_REGIONS, Knowledge
from .segment import doc_text
from .tag import PERSON_TYPES
from .types import ENTITY_TYPES, Entity, Mention

ID_PREFIXES = {
    "COMPANY": "company",
    "PROVINCE": "place",
    "GPE": "place",
    "CHIP": "chip",
    "OFFICIAL": "person",
    "PERSON": "person",
    "ORG": "org",
}

SpanMapper = Callable[[int, int], tuple[int, int]]
ORGANIZATIONS = ("ORG", "COMPANY")
_OPENING, _CLOSING = ("（", "("), ("）", ")")


def entity_id(span: Span) -> str:
    """The knowledge id of a span, or a stable id made from its type and simplified name; a
    person's name with the middle dot between its parts (克拉拉．贝尔蒂 -> 克拉拉·贝尔蒂)."""
    if span.kb_id_:
        return span.kb_id_
    name = span.text.translate(_MIDDLE_DOT) if span.label_ in PERSON_TYPES else span.text
    return f"{ID_PREFIXES[span.label_]}/{name}"


# Other dots written between the parts of a transliterated name.
_MIDDLE_DOT = str.maketrans(dict.fromkeys("．・•‧･", "·"))
_LATIN_IN_BRACKETS = re.compile(r"[（(]([A-Za-z][A-Za-z .'-]*)[）)]")


def link_entities(
    doc: Doc, knowledge: Knowledge, original: str, to_original: SpanMapper, script: str
) -> list[Entity]:
    """Group the doc's entity spans by id; mentions carry offsets into `original`, whose
    `script` (convert.detect_script: trad, simp or mixed) tells where the text comes from."""
    spans = [span for span in doc.ents if span.label_ in ENTITY_TYPES]
    strays = _towns_far_from_home(spans, knowledge, script)
    spans = [span for span in spans if span not in strays]
    text = doc_text(doc)
    regional = _regional_bodies(spans, knowledge, script)
    for span, body in regional:
        span.kb_id_ = body
    for span in _namesakes(spans, text, knowledge):
        span.kb_id_ = ""
    for named, latin in _spelled_in_latin_letters(spans, text):
        if not latin.kb_id_:  # the original form of the Chinese name, whatever its type
            latin.label_, latin.kb_id_ = named.label_, entity_id(named)
        elif not named.kb_id_ and (named.label_ in PERSON_TYPES) == (latin.label_ in PERSON_TYPES):
            named.label_, named.kb_id_ = latin.label_, latin.kb_id_  # a transliteration lists lack
    same_as = (
        _bare_organizations(spans, {body for _, body in regional})
        | _bare_companies(spans, knowledge)
        | _short_forms(spans, text)
        | _named_as_known(spans, knowledge)
        | _last_names(spans, knowledge)
    )
    groups: dict[str, list[Span]] = {}
    for span in spans:
        identifier = entity_id(span)
        groups.setdefault(same_as.get(identifier, identifier), []).append(span)
    _record_ids(doc, groups)
    entities = []
    for identifier, spans in groups.items():
        mentions = []
        for span in spans:
            start, end = to_original(span.start_char, span.end_char)
            if start < end:
                mentions.append(Mention(original[start:end], start, end))
        if not mentions:
            continue
        entry = knowledge.entries.get(identifier)
        entities.append(
            Entity(
                id=identifier,
                type=_entity_type(spans),
                name=knowledge.own_name(identifier) if entry else _name_in_id(identifier),
                name_en=entry.name_en if entry else None,
                mentions=tuple(sorted(set(mentions), key=lambda mention: mention.start)),
            )
        )
    return sorted(entities, key=lambda entity: entity.mentions[0].start)


def _record_ids(doc: Doc, groups: dict[str, list[Span]]) -> None:
    """Write each span's entity id (and relabelled type) into doc.ents, so that the facts read
    the entities the linker decided, not the spans as the tagger left them."""
    decided = {
        (span.start, span.end): Span(doc, span.start, span.end, span.label_, kb_id=identifier)
        for identifier, spans in groups.items()
        for span in spans
    }
    doc.ents = [decided.get((ent.start, ent.end), ent) for ent in doc.ents]


def _regional_bodies(
    spans: list[Span], knowledge: Knowledge, script: str
) -> list[tuple[Span, str]]:
    """Bodies and places named bare (立法会, 金管局, 外交部, 松山区) in a text about one region,
    with the body or place of that name the region has: a Macau story's 立法会 is Macau's, a
    Singapore story's 金管局 Singapore's, a Taiwan article's 外交部 and 松山区 Taiwan's (not
    Chifeng's). Taiwan, Hong Kong and Macau count only in a text in traditional characters (a
    mainland report on Taiwan names its own ministries)."""
    region = knowledge.leading_region(map(entity_id, spans))
    if region is None or (region in SPECIAL_REGIONS and script == "simp"):
        return []  # Taiwan, Hong Kong and Macau news is written in traditional characters
    moved = []
    for span in spans:
        if not span.kb_id_ or knowledge.region_of(span.kb_id_) == region:
            continue
        if span.label_ == "ORG":
            same_name = knowledge.body_named(span.text, region)
        elif span.label_ in PLACE_TYPES:
            same_name = knowledge.place_named(span.text, region)
            if same_name is None and knowledge.region_of(span.kb_id_) not in SPECIAL_REGIONS:
                same_name = knowledge.township_named(span.text, region)  # not the mainland's
        else:
            continue
        if same_name is not None:
            moved.append((span, same_name))
    return moved


def _towns_far_from_home(spans: list[Span], knowledge: Knowledge, script: str) -> set[Span]:
    """Mainland towns (大甲镇) named in a text in traditional characters that names neither
    their county nor their city: Taiwan and Hong Kong have towns of the same names."""
    if script == "simp":
        return set()
    named = {span.kb_id_ for span in spans}
    return {
        span
        for span in spans
        if knowledge.is_town(span.kb_id_)
        and named.isdisjoint(knowledge.place_chain(span.kb_id_)[:2])
    }


def _namesakes(spans: list[Span], text: str, knowledge: Knowledge) -> list[Span]:
    """Known persons whose name in Latin letters, in brackets after them, is not the known one's:
    namesakes (鲍曼（Lena Baumann）is not the Fed's Michelle Bowman)."""
    found = []
    for span in spans:
        entry = knowledge.entries.get(span.kb_id_)
        latin = _LATIN_IN_BRACKETS.match(text, span.end_char)
        if span.label_ not in PERSON_TYPES or not (entry and entry.name_en and latin):
            continue
        if not _latin_words(latin.group(1)) & _latin_words(entry.name_en):
            found.append(span)
    return found


def _latin_words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", name.lower()))


def _bare_organizations(spans: list[Span], regional: set[str]) -> dict[str, str]:
    """Ids of organizations named bare (商务部, by default China's) in a document that names
    one organization ending in that name before (美国商务部 ... 商务部): the bare name means
    that one; named bare first, it is China's (国务院 ... 美国国务院).
    Not the `regional` bodies, which the text's region has under that name (a Taiwan article's
    国防部 is Taiwan's, even beside 美国国防部)."""
    ids_by_name: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for span in spans:
        if span.label_ == "ORG" and entity_id(span) not in regional:
            ids_by_name.setdefault(span.text, set()).add(entity_id(span))
            first.setdefault(span.text, span.start_char)
    same_as: dict[str, str] = {}
    for name, ids in ids_by_name.items():
        longer = {
            identifier
            for other, other_ids in ids_by_name.items()
            if other != name and other.endswith(name) and first[other] < first[name]
            for identifier in other_ids
        }
        if len(longer) == 1:
            (full,) = longer
            same_as.update((identifier, full) for identifier in ids if identifier != full)
    return same_as


def _bare_companies(spans: list[Span], knowledge: Knowledge) -> dict[str, str]:
    """Ids of known companies named only by a short form that is not their own name (長榮, by
    default 長榮海運) in a document that names one company starting with it (長榮航空): the
    short form means that one."""
    companies = [span for span in spans if span.label_ == "COMPANY"]
    texts: dict[str, set[str]] = {}
    for span in companies:
        texts.setdefault(span.kb_id_, set()).add(span.text)
    same_as: dict[str, str] = {}
    for span in companies:
        entry = knowledge.entries.get(span.kb_id_)
        if entry is None or texts[span.kb_id_] != {span.text} or entry.name == span.text:
            continue
        longer = {
            entity_id(other)
            for other in companies
            if other.text.startswith(span.text) and other.kb_id_ != span.kb_id_
        }
        if len(longer) == 1:
            same_as[span.kb_id_] = longer.pop()
    return same_as


def _named_as_known(spans: list[Span], knowledge: Knowledge) -> dict[str, str]:
    """Ids of names no list knows that are the own name of a known entity of the same type
    in the document (南山区 after 深圳市南山区): that entity."""
    known = {
        (span.label_, knowledge.own_name(span.kb_id_)): span.kb_id_
        for span in spans
        if span.kb_id_ in knowledge.entries
    }
    return {
        entity_id(span): known[span.label_, span.text]
        for span in spans
        if not span.kb_id_ and (span.label_, span.text) in known
    }


def _last_names(spans: list[Span], knowledge: Knowledge) -> dict[str, str]:
    """Ids of persons no list knows, named by the end of a longer name of a person in the
    document (扎希 after 阿末扎希, 哈里斯 after 艾玛·哈里斯) or by a Japanese surname (赤泽 after
    赤泽亮正): that person."""
    people = [span for span in spans if span.label_ in PERSON_TYPES]
    same_as = {}
    for short in people:
        japanese = short.text in knowledge.japanese_surnames
        if (
            short.kb_id_
            or len(short.text) < 2
            or (not japanese and short.text[0] in knowledge.surnames)
        ):
            continue  # a Chinese name's end (明 of 李明) is no name of its own
        longer = {
            entity_id(person) for person in people if _shortened(short.text, person.text, japanese)
        }
        if len(longer) == 1:
            same_as[entity_id(short)] = longer.pop()
    return same_as


def _shortened(short: str, name: str, japanese: bool) -> bool:
    """Whether `short` is how a text goes on to name the person `name`: by the end of the name,
    or by its Japanese surname."""
    return len(name) > len(short) and (name.startswith(short) if japanese else name.endswith(short))


def _short_forms(spans: list[Span], text: str) -> dict[str, str]:
    """Ids of organizations the text names in brackets after their full name (证券及期货事务
    监察委员会（证监会）): in this document the short form means that one."""
    same_as = {}
    for full, short in zip(spans, spans[1:], strict=False):
        if (
            full.label_ in ORGANIZATIONS
            and short.label_ in ORGANIZATIONS
            and _bracketed(full, short, text)
            and entity_id(short) != entity_id(full)
        ):
            same_as[entity_id(short)] = entity_id(full)
    return same_as


def _spelled_in_latin_letters(spans: list[Span], text: str) -> list[tuple[Span, Span]]:
    """Chinese names with a name in Latin letters in brackets after them: an unknown Latin name
    is the Chinese name's original form (纳立·特斯迪拉素迪（Narit Therdsteerasukdi）); a known
    one tells who a Chinese name no list knows is (巴德諾赫（Kemi Badenoch）)."""
    return [
        (named, latin)
        for named, latin in zip(spans, spans[1:], strict=False)
        if _bracketed(named, latin, text) and latin.text.isascii() and not named.text.isascii()
    ]


def _bracketed(full: Span, short: Span, text: str) -> bool:
    """Whether `short` stands alone in brackets right after `full`: 证监会 in
    证券及期货事务监察委员会（证监会）."""
    return (
        text[full.end_char : full.end_char + 1] in _OPENING
        and short.start_char == full.end_char + 1
        and text[short.end_char : short.end_char + 1] in _CLOSING
    )


def _name_in_id(identifier: str) -> str:
    """The name an unknown entity's id was made from (chip/昇腾910D -> 昇腾910D)."""
    return identifier.split("/", 1)[1]


def _entity_type(spans: list[Span]) -> str:
    """One type per entity: an office anywhere makes an official, a place read as its government
    a GPE; otherwise the usual type."""
    labels = [span.label_ for span in spans]
    if "OFFICIAL" in labels:
        return "OFFICIAL"
    if "GPE" in labels and "PROVINCE" in labels:
        return "GPE"  # a capital that stands for its government once (北京方面) is a GPE
    return Counter(labels).most_common(1)[0][0]
