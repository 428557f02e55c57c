"""The SQLite knowledge base: idempotent loads, entities across documents, lookups."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.errors import KnowledgeBaseError
from pipeline.kb import SCHEMA_VERSION, card, connect, counts, find, load, load_into
from pipeline.write import to_json_line

Extract = Callable[..., dict[str, Any]]


def write_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(to_json_line(record) for record in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_spellings(extract_text: Extract) -> list[dict[str, Any]]:
    """A Taiwan article writing 輝達 and a Hong Kong one writing 英偉達, on different days."""
    return [
        extract_text("輝達H20晶片在中國熱銷。", "2025-10-01", doc_id="tw"),
        extract_text("英偉達H20晶片需求強勁。", "2025-11-05", doc_id="hk"),
    ]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_record: dict) -> Path:
    """A knowledge base holding the sample page (tests only read it)."""
    folder = tmp_path_factory.mktemp("sample")
    load([write_jsonl(folder / "out.jsonl", sample_record)], folder / "kb.sqlite")
    return folder / "kb.sqlite"


def entity_card(db: Path, name: str) -> dict[str, Any]:
    with closing(connect(db)) as connection:
        return card(connection, find(connection, name)[0])


def test_loading_twice_leaves_identical_counts(tmp_path: Path, sample_record: dict) -> None:
    output = write_jsonl(tmp_path / "out.jsonl", sample_record)
    db = tmp_path / "kb.sqlite"
    load([output], db)
    with closing(connect(db)) as connection:
        first = counts(connection)
    summary = load([output], db)
    with closing(connect(db)) as connection:
        assert counts(connection) == first
    assert (summary.new, summary.unchanged, first["documents"]) == (0, 1, 1)


def test_two_spellings_become_one_entity_with_both_aliases(
    tmp_path: Path, two_spellings: list[dict]
) -> None:
    db = tmp_path / "kb.sqlite"
    load([write_jsonl(tmp_path / "out.jsonl", *two_spellings)], db)
    nvidia = entity_card(db, "英伟达")
    seen = {alias["alias"] for alias in nvidia["aliases"] if alias["mentions"]}
    assert (nvidia["id"], seen, nvidia["documents"]) == ("company/nvidia", {"輝達", "英偉達"}, 2)


def test_entity_dates_span_its_documents(tmp_path: Path, two_spellings: list[dict]) -> None:
    db = tmp_path / "kb.sqlite"
    load([write_jsonl(tmp_path / "out.jsonl", *two_spellings)], db)
    nvidia = entity_card(db, "Nvidia")
    assert (nvidia["first_seen"], nvidia["last_seen"]) == ("2025-10-01", "2025-11-05")


def test_facts_are_deduplicated_with_every_source(
    tmp_path: Path, two_spellings: list[dict]
) -> None:
    db = tmp_path / "kb.sqlite"
    load([write_jsonl(tmp_path / "out.jsonl", *two_spellings)], db)
    makes = [fact for fact in entity_card(db, "H20")["facts"] if fact["type"] == "makes"]
    assert len(makes) == 1
    assert {evidence["doc_id"] for evidence in makes[0]["evidence"]} == {"tw", "hk"}
    assert makes[0]["sources"] == 2


def test_a_changed_document_replaces_its_rows(tmp_path: Path, extract_text: Extract) -> None:
    db = tmp_path / "kb.sqlite"
    load([write_jsonl(tmp_path / "v1.jsonl", extract_text("華為與騰訊合作。", doc_id="a"))], db)
    summary = load(
        [write_jsonl(tmp_path / "v2.jsonl", extract_text("騰訊發布財報。", doc_id="a"))], db
    )
    with closing(connect(db)) as connection:
        assert find(connection, "华为") == []
        assert counts(connection)["documents"] == 1
        assert card(connection, "company/tencent")["mentions"] == 1
    assert summary.replaced == 1


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every cross-document row of a store, sorted (load times aside)."""
    with closing(connect(db)) as connection:
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("entities", "aliases", "facts", "fact_evidence", "document_entities")
        }


def test_replacing_documents_gives_the_store_a_fresh_load_gives(
    tmp_path: Path, extract_text: Extract, sample_record: dict
) -> None:
    before = extract_text(
        "輝達執行長黃仁勳說H20熱銷，騰訊行政總裁馬化騰與華為合作。", "2025-10-01", "a"
    )
    after = extract_text("輝達H20晶片銷量下滑。", "2025-11-20", doc_id="a")
    other = extract_text(
        "英偉達H20晶片需求強勁，腾讯行政总裁马化腾出席。", "2025-11-05", doc_id="b"
    )
    updated, fresh = tmp_path / "updated.sqlite", tmp_path / "fresh.sqlite"
    load([write_jsonl(tmp_path / "1.jsonl", before, other, sample_record)], updated)
    load([write_jsonl(tmp_path / "2.jsonl", after)], updated)
    load([write_jsonl(tmp_path / "3.jsonl", other, sample_record, after)], fresh)
    assert snapshot(updated) == snapshot(fresh)


def test_a_bad_line_is_reported_and_the_good_ones_load(
    tmp_path: Path, two_spellings: list[dict]
) -> None:
    good = [to_json_line(record) for record in two_spellings]
    output = tmp_path / "out.jsonl"
    output.write_text(good[0] + "{not json\n" + '{"doc_id": 7}\n' + good[1], encoding="utf-8")
    summary = load([output], tmp_path / "kb.sqlite")
    assert [(bad.path, bad.line) for bad in summary.bad] == [(str(output), 2), (str(output), 3)]
    assert summary.new == 2


def test_a_missing_file_is_reported_and_the_others_load(
    tmp_path: Path, two_spellings: list[dict]
) -> None:
    missing = tmp_path / "missing.jsonl"
    summary = load([missing, write_jsonl(tmp_path / "out.jsonl", *two_spellings)], tmp_path / "kb")
    assert [(bad.path, bad.line) for bad in summary.bad] == [(str(missing), None)]
    assert summary.new == 2


def test_the_store_is_in_wal_mode_with_a_schema_version(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "kb.sqlite", create=True)) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        version = connection.execute("SELECT value FROM meta").fetchone()[0]
    assert (mode, version) == ("wal", str(SCHEMA_VERSION))


def test_another_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    with pytest.raises(KnowledgeBaseError, match="schema version 0"):
        connect(db)


def test_kb_show_resolves_an_alias_to_its_card(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "show", "川普", "--db", str(sample_db)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("特朗普 (Donald Trump)  [OFFICIAL]  person/donald-trump")
    assert "holds_position: 特朗普 -> 美国 总统 (president)" in printed


def test_names_from_the_knowledge_files_resolve_too(sample_db: Path) -> None:
    with closing(connect(sample_db)) as connection:
        assert (
            find(connection, "唐納德·川普") == find(connection, "trump") == ["person/donald-trump"]
        )


def test_kb_show_json_prints_the_cards(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["kb", "show", "輝達", "--db", str(sample_db), "--json"])
    cards = json.loads(capsys.readouterr().out)
    assert [one["name"] for one in cards] == ["英伟达"]
    assert {fact["type"] for fact in cards[0]["facts"]} >= {"makes", "alias_of"}


def test_kb_show_suggests_names_when_none_matches(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "show", "呼和", "--db", str(sample_db)]) == 1
    assert "similar names: 呼和浩特" in capsys.readouterr().err


def test_kb_show_without_a_store_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "show", "川普", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "zhfacts kb load" in capsys.readouterr().err


def test_kb_load_reports_bad_lines_with_file_and_line(
    tmp_path: Path, sample_record: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text(to_json_line(sample_record) + "oops\n", encoding="utf-8")
    assert main(["kb", "load", str(output), "--db", str(tmp_path / "kb.sqlite")]) == 1
    assert f"{output}:2: not JSON" in capsys.readouterr().err


def test_a_reader_never_sees_half_a_document(tmp_path: Path, sample_record: dict) -> None:
    # Many one-document transactions while another connection reads: every document the reader
    # sees has all its mentions, never some of them.
    expected = sum(len(entity["mentions"]) for entity in sample_record["entities"])
    records = [{**sample_record, "doc_id": f"doc-{number}"} for number in range(40)]
    path = write_jsonl(tmp_path / "out.jsonl", *records)
    db = tmp_path / "kb.sqlite"
    load([write_jsonl(tmp_path / "first.jsonl", records[0])], db)  # the store exists for readers
    seen: list[dict[str, int]] = []
    loader = threading.Thread(target=load, args=([path], db), kwargs={"batch_size": 1})
    with closing(connect(db)) as reader:
        loader.start()
        while loader.is_alive():
            with reader:  # one read transaction: one snapshot
                reader.execute("BEGIN")
                documents = [row[0] for row in reader.execute("SELECT doc_id FROM documents")]
                mentions = dict(
                    reader.execute("SELECT doc_id, count(*) FROM mentions GROUP BY doc_id")
                )
            seen.append({doc_id: mentions.get(doc_id, 0) for doc_id in documents})
        loader.join()
    assert len({len(snapshot) for snapshot in seen}) > 1  # the reader did read during the load
    assert all(count == expected for snapshot in seen for count in snapshot.values())


PER_DOCUMENT_TABLES = (
    "documents",
    "document_entities",
    "mentions",
    "fact_evidence",
    "value_mentions",
)


def _rows_per_document(connection: sqlite3.Connection, doc_id: str) -> dict[str, int]:
    return {
        table: connection.execute(
            f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", (doc_id,)
        ).fetchone()[0]
        for table in PER_DOCUMENT_TABLES
    }


def test_a_full_disk_during_a_load_leaves_each_document_whole_or_absent(
    tmp_path: Path, sample_record: dict
) -> None:
    records = [dict(sample_record, doc_id=f"d{index}") for index in range(6)]
    path = write_jsonl(tmp_path / "out.jsonl", *records)
    load([path], tmp_path / "reference.sqlite")
    with (
        closing(connect(tmp_path / "reference.sqlite")) as reference,
        closing(connect(tmp_path / "kb.sqlite", create=True)) as connection,
    ):
        # SQLite answers "database or disk is full" once the file would pass this many pages.
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 12}")
        with pytest.raises(KnowledgeBaseError, match="full"):
            load_into(connection, [path], batch_size=1)
        whole = [
            _rows_per_document(connection, record["doc_id"])
            == _rows_per_document(reference, record["doc_id"])
            for record in records
        ]
        absent = [
            set(_rows_per_document(connection, record["doc_id"]).values()) == {0}
            for record in records
        ]
    assert any(whole) and any(absent)
    assert all(w or a for w, a in zip(whole, absent, strict=True))
