"""Typed facts with evidence: holds_position, makes, located_in, alias_of; and stated values.

Each fact points at entities of the same document and carries the sentence that states it, with
offsets into the original text. Values (values.py finds them in the converted text) are
attached to their sentence and to the entities named in the same clause, else the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span

from .knowledge import Knowledge
from .link import entity_id
from .segment import doc_text
from .tag import CHIP_MAKERS_KEY, HONORIFIC, TITLES_KEY, Entities, former, role_parts
from .types import Entity, Evidence, Fact, Ref, Value
from .values import FoundValue

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”」』）)]?|\n|$)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_ALIAS_BETWEEN = re.compile(
    r"^\s*[（(]?\s*(另称|又称|简称|亦称|或称|俗称|也称|又名|也叫|或译|又译|台湾称|大陆称)\s*$"
)


class Sentences:
    """Sentence spans of the converted text, reported as evidence in original offsets."""

    def __init__(
        self, text: str, original: str, to_original: Callable[[int, int], tuple[int, int]]
    ) -> None:
        self.spans = [match.span() for match in _SENTENCE.finditer(text) if match.group().strip()]
        self.starts = [start for start, _ in self.spans]
        self.original = original
        self.to_original = to_original

    def index(self, position: int) -> int:
        return max(0, bisect_right(self.starts, position) - 1)

    def evidence(self, index: int) -> Evidence:
        start, end = self.to_original(*self.spans[index])
        # Trim the surrounding whitespace so the evidence is the sentence itself.
        text = self.original[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        return Evidence(self.original[start:end], start, end)


def extract_facts(
    doc: Doc, entities: list[Entity], knowledge: Knowledge, sentences: Sentences
) -> list[Fact]:
    """Every fact the document states about its entities."""
    by_id = {entity.id: entity for entity in entities}
    ents = Entities(doc)
    spans: dict[str, list[Span]] = {}
    for span in ents.spans:
        if entity_id(span) in by_id:
            spans.setdefault(entity_id(span), []).append(span)
    facts = [
        *_holds_position(doc, ents, by_id, sentences),
        *_makes(knowledge, doc.user_data.get(CHIP_MAKERS_KEY, {}), by_id, spans, sentences),
        *_located_in(knowledge, by_id, spans, sentences),
        *_alias_of(ents, by_id, sentences),
    ]
    return unique_facts(facts)


def unique_facts(facts: Iterable[Fact]) -> list[Fact]:
    """Each fact once (the most confident statement of it), in the order first stated."""
    unique: dict[tuple, Fact] = {}
    for fact in facts:
        key = (fact.type, fact.subject, fact.object, repr(fact.value))
        if key not in unique or unique[key].confidence < fact.confidence:
            unique[key] = fact
    return list(unique.values())


def _ref(entities: dict[str, Entity], span: Span | None) -> Ref | None:
    if span is None:
        return None
    entity = entities.get(entity_id(span))
    return Ref(entity.id, entity.name) if entity else None


def _holds_position(
    doc: Doc, ents: Entities, entities: dict[str, Entity], sentences: Sentences
) -> Iterator[Fact]:
    for title in doc.spans.get(TITLES_KEY, ()):
        if title.label_ == HONORIFIC or former(title):
            continue
        person, organization = role_parts(ents, title)
        subject = _ref(entities, person)
        if subject is None:
            continue
        where = sentences.index(title.start_char)
        yield Fact(
            type="holds_position",
            subject=subject,
            object=_ref(entities, organization),
            value={"title": title.text, "role": title.label_},
            evidence=sentences.evidence(where),
            confidence=0.9 if organization is not None else 0.8,
        )


def _pair_evidence(
    first: list[Span], second: list[Span], sentences: Sentences
) -> tuple[int, float]:
    """The sentence where two entities meet (high confidence), else where the first is named."""
    second_sentences = {sentences.index(span.start_char) for span in second}
    for span in first:
        where = sentences.index(span.start_char)
        if where in second_sentences:
            return where, 0.9
    return sentences.index(first[0].start_char), 0.6


def _makes(
    knowledge: Knowledge,
    chip_makers: dict[str, str],
    entities: dict[str, Entity],
    spans: dict[str, list[Span]],
    sentences: Sentences,
) -> Iterator[Fact]:
    """Who makes each chip: the catalogue's maker, or the one a model number followed (輝達H30)."""
    for identifier, entity in entities.items():
        if entity.type != "CHIP":
            continue
        entry = knowledge.entries.get(identifier)
        maker = entry.attrs.get("maker") if entry is not None else chip_makers.get(identifier)
        if maker is None or maker not in entities:
            continue
        where, confidence = _pair_evidence(spans[identifier], spans[maker], sentences)
        yield Fact(
            type="makes",
            subject=Ref(maker, entities[maker].name),
            object=Ref(identifier, entity.name),
            value=None,
            evidence=sentences.evidence(where),
            confidence=confidence,
        )


def _located_in(
    knowledge: Knowledge,
    entities: dict[str, Entity],
    spans: dict[str, list[Span]],
    sentences: Sentences,
) -> Iterator[Fact]:
    for identifier, entity in entities.items():
        if entity.type not in ("GPE", "PROVINCE"):
            continue
        container = next(
            (place for place in knowledge.place_chain(identifier) if place in entities), None
        )
        if container is None:
            continue
        where, confidence = _pair_evidence(spans[identifier], spans[container], sentences)
        yield Fact(
            type="located_in",
            subject=Ref(identifier, entity.name),
            object=Ref(container, entities[container].name),
            value=None,
            evidence=sentences.evidence(where),
            confidence=confidence,
        )


def _alias_of(ents: Entities, entities: dict[str, Entity], sentences: Sentences) -> Iterator[Fact]:
    """When the text says two names are one entity: Nvidia輝達(另稱英偉達)."""
    text = doc_text(ents.doc)
    for first, second in zip(ents.spans, ents.spans[1:], strict=False):
        between = text[first.end_char : second.start_char]
        if entity_id(first) != entity_id(second) or not _ALIAS_BETWEEN.match(between):
            continue
        entity = entities.get(entity_id(first))
        if entity is None:
            continue
        alias = next(
            (
                m.text
                for m in entity.mentions
                if m.start == sentences.to_original(second.start_char, second.end_char)[0]
            ),
            second.text,
        )
        yield Fact(
            type="alias_of",
            subject=Ref(entity.id, entity.name),
            object=None,
            value={"alias": alias},
            evidence=sentences.evidence(sentences.index(first.start_char)),
            confidence=0.9,
        )


def attach_values(
    doc: Doc, found: list[FoundValue], entities: list[Entity], sentences: Sentences
) -> list[Value]:
    """The values found in doc.text, in original offsets, with their sentence and entities."""
    by_id = {entity.id: entity for entity in entities}
    names = [span for span in doc.ents if entity_id(span) in by_id]
    text = doc_text(doc)
    values = []
    for value in found:
        if any(span.start_char <= value.start and value.end <= span.end_char for span in names):
            continue  # part of a name: 今日 in 今日头条
        where = sentences.index(value.start)
        sentence_start, sentence_end = sentences.spans[where]
        clause_start, clause_end = _clause(
            text, value.start, value.end, sentence_start, sentence_end
        )
        nearby = _named_between(names, clause_start, clause_end) or _named_between(
            names, sentence_start, sentence_end
        )
        start, end = sentences.to_original(value.start, value.end)
        values.append(
            Value(
                kind=value.kind,
                text=sentences.original[start:end],
                start=start,
                end=end,
                normalized=value.normalized,
                qualifier=value.qualifier,
                evidence=sentences.evidence(where),
                entities=tuple(Ref(by_id[i].id, by_id[i].name) for i in nearby),
                confidence=value.confidence,
            )
        )
    return values


def _clause(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    """The clause (between commas, semicolons or colons) around text[start:end]."""
    before = [match.end() for match in _CLAUSE_BREAK.finditer(text, lower, start)]
    after = _CLAUSE_BREAK.search(text, end, upper)
    return (before[-1] if before else lower), (after.start() if after else upper)


def _named_between(names: list[Span], start: int, end: int) -> list[str]:
    """Ids of the entities named in text[start:end], in order, each once."""
    return list(
        dict.fromkeys(
            entity_id(span) for span in names if start <= span.start_char and span.end_char <= end
        )
    )
