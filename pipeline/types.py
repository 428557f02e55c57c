"""The records that flow between stages, and the run options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .offsets import OffsetMap

ENTITY_TYPES = ("COMPANY", "PROVINCE", "CHIP", "OFFICIAL", "PERSON", "ORG", "GPE")
CONVERSIONS = ("t2s", "tw2sp")
# The trained components of models/zh_news; the fast tier (`--fast`) loads the pipeline without
# them and keeps every rule-based stage.
STATISTICAL_COMPONENTS = ("tok2vec", "ner_tagger")
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "zh_news"
DEFAULT_KNOWLEDGE = DEFAULT_MODEL.parent / "knowledge"


@dataclass(frozen=True)
class Options:
    """Settings for one run, passed down whole."""

    model: Path = DEFAULT_MODEL
    conversion: str = "t2s"
    fast: bool = False


@dataclass(frozen=True)
class Document:
    """One input article as read, before any cleaning. Every output offset indexes `text`."""

    doc_id: str
    text: str
    source: str
    format: Literal["txt", "html", "jsonl"]
    title: str | None = None
    date: str | None = None
    url: str | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. bytes replaced while decoding


@dataclass(frozen=True)
class Problem:
    """An input that produced no document: skipped (with a reason) or failed (with an error)."""

    status: Literal["skipped", "failed"]
    doc_id: str
    source: str
    error: str

    def as_dict(self) -> dict[str, Any]:
        return fields_of(self)


@dataclass(frozen=True)
class Article:
    """The article inside a document: its text, without markup or page furniture.

    `offsets` maps positions in `text` to the document's original text; [start, end) is the
    article's span there.
    """

    document: Document
    text: str
    offsets: OffsetMap
    start: int
    end: int
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """One entity of a document with all its mentions, under its canonical id."""

    id: str
    type: str
    name: str
    name_en: str | None
    mentions: tuple[Mention, ...]

    def as_dict(self) -> dict[str, Any]:
        record = fields_of(self)
        record["mentions"] = [fields_of(mention) for mention in self.mentions]
        if self.name_en is None:
            del record["name_en"]
        return record


@dataclass(frozen=True)
class Ref:
    """A pointer from a fact to an entity of the same document."""

    id: str
    name: str


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    type: str
    subject: Ref | None
    object: Ref | None
    value: Any
    evidence: Evidence
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        record = fields_of(self)
        record["subject"] = fields_of(self.subject) if self.subject else None
        record["object"] = fields_of(self.object) if self.object else None
        record["evidence"] = fields_of(self.evidence)
        return record


@dataclass(frozen=True)
class Value:
    """A value the text states (PERCENT, MONEY, QUANTITY, DATE), normalised as values.py says.

    `evidence` is its sentence; `entities` are those named in the same clause, else in the
    same sentence.
    """

    kind: str
    text: str
    start: int
    end: int
    normalized: Any
    qualifier: str | None
    evidence: Evidence
    entities: tuple[Ref, ...]
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        record = fields_of(self)
        record["evidence"] = fields_of(self.evidence)
        record["entities"] = [fields_of(ref) for ref in self.entities]
        if self.qualifier is None:
            del record["qualifier"]
        return record


def fields_of(record: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, one level deep: `dataclasses.asdict` deep-copies every
    value, which took a tenth of the `--fast` tier's time."""
    return dict(vars(record))
