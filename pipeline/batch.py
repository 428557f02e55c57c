"""Run extraction over many inputs: output in input order, every input accounted for."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import Extractor
from .ingest import iter_documents
from .types import Document, Options, Problem
from .write import to_json_line


@dataclass
class Summary:
    """What a run did: counts per outcome, entities per type, facts, time."""

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    characters: int = 0
    entities: Counter = field(default_factory=Counter)
    facts: int = 0
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.processed + self.skipped + self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs_seen": self.seen,
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": self.failed,
            "characters": self.characters,
            "entities": dict(sorted(self.entities.items())),
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
        }


def process(
    records: Iterable[Document | Problem], extractor: Extractor
) -> Iterator[dict[str, Any] | Problem]:
    """Each Document becomes an output record, or a Problem if a stage fails on it."""
    for record in records:
        if isinstance(record, Problem):
            yield record
            continue
        try:
            yield extractor(record)
        except Exception as error:  # one bad document must not stop the run
            yield Problem(
                "failed", record.doc_id, record.source, f"{type(error).__name__}: {error}"
            )


def run_extract(inputs: Iterable[str | Path], output: Path, options: Options) -> Summary:
    """Extract every input into `output` (JSON Lines); problems go to OUTPUT.errors.jsonl."""
    started = time.perf_counter()
    extractor = Extractor(options)
    summary = Summary()
    output.parent.mkdir(parents=True, exist_ok=True)
    errors_path = output.with_name(output.name + ".errors.jsonl")
    partial = output.with_name(output.name + ".partial")
    with (
        partial.open("w", encoding="utf-8") as out,
        errors_path.open("w", encoding="utf-8") as errors,
    ):
        for result in process(iter_documents(inputs), extractor):
            if isinstance(result, Problem):
                setattr(summary, result.status, getattr(summary, result.status) + 1)
                errors.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
                continue
            out.write(to_json_line(result))
            summary.processed += 1
            summary.characters += result["article"]["end"] - result["article"]["start"]
            summary.entities.update(entity["type"] for entity in result["entities"])
            summary.facts += len(result["facts"])
    partial.replace(output)
    if summary.skipped + summary.failed == 0:
        errors_path.unlink()
    summary.seconds = time.perf_counter() - started
    return summary
