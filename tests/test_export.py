"""Knowledge-base export: JSON Lines records and well-formed N-Triples."""

from __future__ import annotations

import io
import json
import re
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pipeline.export import export
from pipeline.kb import connect, counts, load
from pipeline.write import to_json_line

# subject predicate object . (IRIs, blank-free; literals with optional datatype or language)
TRIPLE = re.compile(
    r'^<[^<>"\s]+> <[^<>"\s]+> (<[^<>"\s]+>|"(?:[^"\\]|\\.)*"(?:\^\^<[^<>\s]+>|@[a-z]+)?) \.$'
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sample_record: dict[str, Any]) -> Path:
    folder = tmp_path_factory.mktemp("export")
    output = folder / "out.jsonl"
    output.write_text(to_json_line(sample_record), encoding="utf-8")
    load([output], folder / "kb.sqlite")
    return folder / "kb.sqlite"


def exported(db: Path, format: str) -> list[str]:
    stream = io.StringIO()
    with closing(connect(db)) as connection:
        export(connection, stream, format)
    return stream.getvalue().splitlines()


def test_jsonl_has_one_record_per_row(db: Path) -> None:
    records = [json.loads(line) for line in exported(db, "jsonl")]
    kinds = [record["record"] for record in records]
    with closing(connect(db)) as connection:
        rows = counts(connection)
    assert [kinds.count(kind) for kind in ("document", "entity", "fact", "value")] == [
        rows["documents"],
        rows["entities"],
        rows["facts"],
        rows["value_mentions"],
    ]


def test_jsonl_facts_carry_their_evidence(db: Path) -> None:
    records = [json.loads(line) for line in exported(db, "jsonl")]
    makes = [r for r in records if r["record"] == "fact" and r["type"] == "makes"]
    assert makes and all(fact["evidence"][0]["text"] for fact in makes)


def test_ntriples_lines_are_well_formed(db: Path) -> None:
    lines = exported(db, "ntriples")
    assert lines and [line for line in lines if not TRIPLE.match(line)] == []


def test_ntriples_state_relations_directly(db: Path) -> None:
    assert (
        "<https://zhfacts.example/entity/company/nvidia> "
        "<https://zhfacts.example/ontology/makes> "
        "<https://zhfacts.example/entity/chip/nvidia-h20> ."
    ) in exported(db, "ntriples")
