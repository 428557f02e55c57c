"""One JSON object per article, as described by document.schema.json beside this module."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .types import Article, Entity, Fact, Value

SCHEMA_PATH = Path(__file__).with_name("document.schema.json")


def document_record(
    article: Article,
    script: str,
    entities: list[Entity],
    facts: list[Fact],
    values: list[Value],
) -> dict[str, Any]:
    """The output record of one article."""
    document = article.document
    record: dict[str, Any] = {
        "doc_id": document.doc_id,
        "source": document.source,
        "title": article.title,
        "date": article.date,
        "script": script,
        "article": {"start": article.start, "end": article.end},
        "entities": [entity.as_dict() for entity in entities],
        "facts": [fact.as_dict() for fact in facts],
        "values": [value.as_dict() for value in values],
    }
    if document.url:
        record["url"] = document.url
    if document.encoding:
        record["encoding"] = document.encoding
    if document.warnings:
        record["warnings"] = list(document.warnings)
    return record


def to_json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
