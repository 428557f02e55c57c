"""Long texts in pieces: where to cut them, and how to join what the pieces yield.

spaCy refuses a text over `nlp.max_length`, and jieba and the components need memory in
proportion to the text they are given. So a text longer than PIECE_CHARACTERS goes through the
pipeline one piece at a time, cut after a line break or a sentence where there is one, and the
entities, facts and values of its pieces are joined into those of one document. News articles
are far shorter than a piece: only runaway inputs (a whole book, a 1 MB line) are cut.
"""

from __future__ import annotations

from collections import Counter

from .facts import unique_facts
from .types import Entity, Fact, Value

PIECE_CHARACTERS = 20_000  # a long news article; bounds the cost of any step per piece
_BREAKS = ("\n", "。！？!?；;")  # where to cut, best first: a paragraph end, then a sentence end

Analysis = tuple[list[Entity], list[Fact], list[Value]]


def cut(text: str, size: int = PIECE_CHARACTERS) -> list[tuple[int, int]]:
    """Consecutive (start, end) spans that cover `text`, none longer than `size` characters.

    A piece ends after the last line break in the second half of its window, else after the
    last sentence end there, else (a text with no punctuation) at `size` characters.
    """
    spans = []
    start = 0
    while len(text) - start > size:
        end = _cut_point(text, start + size // 2, start + size)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut_point(text: str, lower: int, upper: int) -> int:
    for breaks in _BREAKS:
        found = max(text.rfind(char, lower, upper) for char in breaks)
        if found >= 0:
            return found + 1
    return upper


def join(parts: list[Analysis]) -> Analysis:
    """The entities, facts and values of a document, from those of its pieces in order.

    An entity named in several pieces becomes one, with all its mentions; it is an official
    if any piece says so, else it takes the type most of its mentions had.
    """
    if len(parts) == 1:
        return parts[0]
    by_id: dict[str, list[Entity]] = {}
    for entities, _, _ in parts:
        for entity in entities:
            by_id.setdefault(entity.id, []).append(entity)
    entities = [_join_entity(same) for same in by_id.values()]
    entities.sort(key=lambda entity: entity.mentions[0].start)
    facts = unique_facts(fact for _, part_facts, _ in parts for fact in part_facts)
    values = [value for _, _, part_values in parts for value in part_values]
    return entities, facts, values


def _join_entity(same: list[Entity]) -> Entity:
    types: Counter = Counter()
    for entity in same:
        types[entity.type] += len(entity.mentions)
    mentions = {mention for entity in same for mention in entity.mentions}
    return Entity(
        id=same[0].id,
        type="OFFICIAL" if "OFFICIAL" in types else types.most_common(1)[0][0],
        name=same[0].name,
        name_en=same[0].name_en,
        mentions=tuple(sorted(mentions, key=lambda mention: mention.start)),
    )
