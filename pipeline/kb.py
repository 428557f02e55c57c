"""The SQLite knowledge base: documents, entities, aliases, mentions, facts and values.

`zhfacts kb load OUT.jsonl...` loads extract output into one SQLite file in WAL mode, so readers
go on while a load runs. A document is keyed by its doc_id and stored with a checksum of its
record: loading the same record again changes nothing, a changed record replaces all the rows
of its document. Each batch of documents is one transaction, so a reader sees a document whole
or not at all. The cross-document tables (entities, aliases, facts) are updated in the same
transaction by deltas (a document counted in or out), so a load costs the size of its batch,
not of the store.

Schema version 1 (SCHEMA below is the reference; JSON columns hold JSON text):

    meta               key, value: schema_version
    documents          doc_id, source, title, date, url, script, checksum, loaded_at
    document_entities  doc_id, entity_id, type, name, name_en, date: an entity as one document
                       saw it (date: the document's)
    mentions           doc_id, entity_id, text, start, end: offsets into the original input
    entities           id, type, name, name_en, documents, mentions, first_seen, last_seen:
                       one row per entity id across all documents (dates are document dates)
    aliases            entity_id, alias, lookup, mentions, known: every name seen in a mention
                       (mentions > 0) or given by the knowledge files (known = 1); `lookup`
                       is the simplified, case-folded form names are resolved by
    facts              id, type, subject_id, object_id, value (JSON), confidence, sources:
                       one row per distinct fact; confidence is the best of its sources
    fact_evidence      fact_id, doc_id, text, start, end, confidence: the sentence of each
                       document that states it
    value_mentions     id, doc_id, kind, text, start, end, normalized (JSON), qualifier,
                       evidence, evidence_start, evidence_end, confidence
    value_entities     value_id, entity_id: the entities a value is attached to
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .convert import converter
from .errors import KnowledgeBaseError
from .ingest import open_binary
from .knowledge import Knowledge, normalize_alias
from .types import DEFAULT_KNOWLEDGE

SCHEMA_VERSION = 1
DEFAULT_DB = Path("out") / "kb.sqlite"
BATCH_SIZE = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, date TEXT, url TEXT,
    script TEXT, checksum TEXT NOT NULL, loaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS document_entities (
    doc_id TEXT NOT NULL, entity_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,
    name_en TEXT, date TEXT, PRIMARY KEY (doc_id, entity_id));
CREATE INDEX IF NOT EXISTS document_entities_date ON document_entities (entity_id, date);
CREATE INDEX IF NOT EXISTS document_entities_type ON document_entities (entity_id, type);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL, entity_id TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (doc_id, entity_id, start));
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT,
    documents INTEGER NOT NULL, mentions INTEGER NOT NULL, first_seen TEXT, last_seen TEXT);
CREATE TABLE IF NOT EXISTS aliases (
    entity_id TEXT NOT NULL, alias TEXT NOT NULL, lookup TEXT NOT NULL,
    mentions INTEGER NOT NULL, known INTEGER NOT NULL, PRIMARY KEY (entity_id, alias));
CREATE INDEX IF NOT EXISTS aliases_lookup ON aliases (lookup);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, subject_id TEXT NOT NULL, object_id TEXT,
    value TEXT NOT NULL, confidence REAL NOT NULL, sources INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facts_subject ON facts (subject_id);
CREATE INDEX IF NOT EXISTS facts_object ON facts (object_id);
CREATE TABLE IF NOT EXISTS fact_evidence (
    fact_id TEXT NOT NULL, doc_id TEXT NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, confidence REAL NOT NULL, PRIMARY KEY (fact_id, doc_id));
CREATE INDEX IF NOT EXISTS fact_evidence_doc ON fact_evidence (doc_id);
CREATE INDEX IF NOT EXISTS fact_evidence_confidence ON fact_evidence (fact_id, confidence);
CREATE TABLE IF NOT EXISTS value_mentions (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, normalized TEXT NOT NULL, qualifier TEXT,
    evidence TEXT NOT NULL, evidence_start INTEGER NOT NULL, evidence_end INTEGER NOT NULL,
    confidence REAL NOT NULL);
CREATE INDEX IF NOT EXISTS value_mentions_doc ON value_mentions (doc_id);
CREATE TABLE IF NOT EXISTS value_entities (
    value_id INTEGER NOT NULL, entity_id TEXT NOT NULL, PRIMARY KEY (value_id, entity_id));
CREATE INDEX IF NOT EXISTS value_entities_entity ON value_entities (entity_id);
"""
TABLES = (
    "documents",
    "document_entities",
    "mentions",
    "entities",
    "aliases",
    "facts",
    "fact_evidence",
    "value_mentions",
    "value_entities",
)


def lookup_key(name: str) -> str:
    """The form names are compared in: simplified, NFKC, case-folded (輝達, 辉达 -> 辉达)."""
    return converter("t2s").text(normalize_alias(name)).casefold()


def connect(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open a knowledge base (created when `create`), checking its schema version."""
    path = Path(path)
    if not create and not path.exists():
        raise KnowledgeBaseError(
            f"no knowledge base at {path}: run `zhfacts kb load OUT.jsonl --db {path}` first"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are opened explicitly, one per batch.
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    version = _schema_version(connection)
    if version is None and create:
        connection.executescript(SCHEMA)
        connection.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
    elif version != SCHEMA_VERSION:
        raise KnowledgeBaseError(
            f"{path} has schema version {version}, this zhfacts reads version "
            f"{SCHEMA_VERSION}: load the output into a new --db file"
        )
    return connection


def _schema_version(connection: sqlite3.Connection) -> int | None:
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return None  # a new, empty file
    return int(row[0]) if row else None


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table."""
    return {
        table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES
    }


# Loading


@dataclass(frozen=True)
class BadLine:
    """A line of an input file that could not be loaded, and why."""

    path: str
    line: int | None  # None when the whole file cannot be read
    error: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.error}"


@dataclass
class LoadSummary:
    """What a load did, per document outcome, and the rows per table after it."""

    db: Path
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    bad: list[BadLine] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        return (
            f"documents: {self.new} new, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{len(self.bad)} bad line(s)\n"
            f"knowledge base: {self.db} ({self.rows['documents']} documents, "
            f"{self.rows['entities']} entities, {self.rows['facts']} facts, "
            f"{self.rows['value_mentions']} values)"
        )


def load(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    knowledge: Knowledge | None = None,
    batch_size: int = BATCH_SIZE,
) -> LoadSummary:
    """Load extract output files (JSON Lines, optionally .gz) into the knowledge base `db`."""
    with closing(connect(db, create=True)) as connection:
        return load_into(connection, paths, knowledge, batch_size)


def load_into(
    connection: sqlite3.Connection,
    paths: Iterable[str | Path],
    knowledge: Knowledge | None = None,
    batch_size: int = BATCH_SIZE,
) -> LoadSummary:
    """Load extract output files into an open knowledge base (see `load`)."""
    knowledge = knowledge or Knowledge.from_dir(DEFAULT_KNOWLEDGE)
    summary = LoadSummary(Path(connection.execute("PRAGMA database_list").fetchone()[2]))
    batch: list[_Document] = []
    for item in _records(paths):
        if isinstance(item, BadLine):
            summary.bad.append(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _load_batch(connection, batch, knowledge, summary)
            batch = []
    if batch:
        _load_batch(connection, batch, knowledge, summary)
    summary.rows = counts(connection)
    return summary


@dataclass(frozen=True)
class _Document:
    """One output record, checked and turned into rows, with a checksum of the record."""

    doc_id: str
    rows: dict[str, list[tuple]]
    checksum: str


def _records(paths: Iterable[str | Path]) -> Iterator[_Document | BadLine]:
    """Each line's record, checked and turned into rows, or a BadLine naming file and line."""
    for path in paths:
        try:
            with open_binary(path) as lines:
                for number, line in enumerate(lines, start=1):
                    if line.strip():
                        yield _record(line, str(path), number)
        except OSError as error:
            yield BadLine(str(path), None, f"cannot read the file: {error}")


def _record(line: bytes, path: str, number: int) -> _Document | BadLine:
    try:
        record = json.loads(line.decode("utf-8"))
        rows = _rows(record)
        return _Document(record["doc_id"], rows, _checksum(record))
    except UnicodeDecodeError as error:
        return BadLine(path, number, f"not UTF-8: {error}")
    except json.JSONDecodeError as error:
        return BadLine(path, number, f"not JSON: {error}")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return BadLine(path, number, f"not a zhfacts record ({type(error).__name__}: {error})")


def _checksum(record: dict[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fact_id(fact: dict[str, Any]) -> str:
    """A stable id for a fact: the same statement from two documents is one fact."""
    key = [fact["type"], fact["subject"]["id"], (fact["object"] or {}).get("id"), fact["value"]]
    canonical = json.dumps(key, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


def _rows(record: dict[str, Any]) -> dict[str, list[tuple]]:
    """The rows of one document; raises KeyError/TypeError/ValueError on a malformed record."""
    doc_id = record["doc_id"]
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError("doc_id must be a non-empty string")
    document = (
        doc_id,
        str(record["source"]),
        record.get("title"),
        record.get("date"),
        record.get("url"),
        record.get("script"),
    )
    entities = [
        (doc_id, e["id"], e["type"], e["name"], e.get("name_en"), record.get("date"))
        for e in record["entities"]
    ]
    mentions = [
        (doc_id, e["id"], m["text"], int(m["start"]), int(m["end"]))
        for e in record["entities"]
        for m in e["mentions"]
    ]
    facts = [
        (
            fact_id(f),
            f["type"],
            f["subject"]["id"],
            (f["object"] or {}).get("id"),
            json.dumps(f["value"], ensure_ascii=False, sort_keys=True),
            (doc_id, f["evidence"]["text"], int(f["evidence"]["start"]), int(f["evidence"]["end"])),
            float(f["confidence"]),
        )
        for f in record["facts"]
    ]
    values = [
        (
            (doc_id, v["kind"], v["text"], int(v["start"]), int(v["end"])),
            json.dumps(v["normalized"], ensure_ascii=False),
            v.get("qualifier"),
            (v["evidence"]["text"], int(v["evidence"]["start"]), int(v["evidence"]["end"])),
            float(v["confidence"]),
            [ref["id"] for ref in v["entities"]],
        )
        for v in record.get("values", [])
    ]
    return {
        "document": [document],
        "entities": entities,
        "mentions": mentions,
        "facts": facts,
        "values": values,
    }


def _load_batch(
    connection: sqlite3.Connection,
    batch: list[_Document],
    knowledge: Knowledge,
    summary: LoadSummary,
) -> None:
    """Store a batch of documents and update the cross-document tables, in one transaction.

    Counts change by deltas, so a load costs the size of the batch, not of the store; what a
    removed document may have decided (dates, type, names, best confidence) is restated from
    the remaining documents of just those entities and facts.
    """
    restate_entities: set[str] = set()
    refresh_facts: set[str] = set()
    connection.execute("BEGIN IMMEDIATE")
    try:
        for document in batch:
            old = connection.execute(
                "SELECT checksum FROM documents WHERE doc_id = ?", (document.doc_id,)
            ).fetchone()
            if old is not None and old[0] == document.checksum:
                summary.unchanged += 1
                continue
            if old is not None:
                restate_entities |= _remove_document(connection, document.doc_id)
                refresh_facts |= _remove_evidence(connection, document.doc_id)
                summary.replaced += 1
            else:
                summary.new += 1
            _insert_document(connection, document.rows, document.checksum)
            _add_entities(connection, document.rows, knowledge)
        for entity in sorted(restate_entities):
            _restate_entity(connection, entity)
        for fact in sorted(refresh_facts):
            _refresh_fact(connection, fact)
        connection.execute("COMMIT")
    except BaseException as error:
        if connection.in_transaction:  # SQLite may have rolled back already (disk full)
            connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError):
            raise KnowledgeBaseError(
                f"cannot write the knowledge base ({error}); its last batch was rolled back and "
                "every document loaded before is whole: free some space and load again"
            ) from error
        raise


def _insert_document(
    connection: sqlite3.Connection, rows: dict[str, list[tuple]], checksum: str
) -> None:
    """The document's own rows; its facts join (or create) the deduplicated facts."""
    loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
    connection.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*document, checksum, loaded_at) for document in rows["document"]],
    )
    connection.executemany(
        "INSERT OR REPLACE INTO document_entities VALUES (?, ?, ?, ?, ?, ?)", rows["entities"]
    )
    connection.executemany(
        "INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)", rows["mentions"]
    )
    for identifier, kind, subject, obj, value, evidence, confidence in rows["facts"]:
        connection.execute(
            "INSERT OR IGNORE INTO facts VALUES (?, ?, ?, ?, ?, 0, 0)",
            (identifier, kind, subject, obj, value),
        )
        added = connection.execute(
            "INSERT OR IGNORE INTO fact_evidence VALUES (?, ?, ?, ?, ?, ?)",
            (identifier, *evidence, confidence),
        ).rowcount
        connection.execute(
            "UPDATE facts SET sources = sources + ?, confidence = MAX(confidence, ?) WHERE id = ?",
            (added, confidence, identifier),
        )
    for mention, normalized, qualifier, evidence, confidence, entity_ids in rows["values"]:
        cursor = connection.execute(
            "INSERT INTO value_mentions (doc_id, kind, text, start, end, normalized, qualifier, "
            "evidence, evidence_start, evidence_end, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*mention, normalized, qualifier, *evidence, confidence),
        )
        connection.executemany(
            "INSERT OR IGNORE INTO value_entities VALUES (?, ?)",
            [(cursor.lastrowid, entity_id) for entity_id in entity_ids],
        )


def _add_entities(
    connection: sqlite3.Connection, rows: dict[str, list[tuple]], knowledge: Knowledge
) -> None:
    """Count a newly stored document into its entities' rows and aliases."""
    date = rows["document"][0][3]
    mentions = Counter(row[1] for row in rows["mentions"])
    for _, entity_id, entity_type, name, name_en, _ in rows["entities"]:
        old = connection.execute(
            "SELECT type, last_seen FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        if old is None:
            connection.execute(
                "INSERT INTO entities VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                (entity_id, entity_type, name, name_en, mentions[entity_id], date, date),
            )
            _add_names(connection, entity_id, (name, name_en), knowledge)
            continue
        # As within a document, an office anywhere makes an official; otherwise the type
        # and names are those of the latest document.
        latest = date is not None and (old[1] is None or date >= old[1])
        entity_type = "OFFICIAL" if "OFFICIAL" in (old[0], entity_type) else entity_type
        connection.execute(
            "UPDATE entities SET documents = documents + 1, mentions = mentions + :mentions, "
            "type = CASE WHEN :latest OR :type = 'OFFICIAL' THEN :type ELSE type END, "
            "name = CASE WHEN :latest THEN :name ELSE name END, "
            "name_en = CASE WHEN :latest THEN COALESCE(:name_en, name_en) ELSE name_en END, "
            "first_seen = COALESCE(MIN(first_seen, :date), first_seen, :date), "
            "last_seen = COALESCE(MAX(last_seen, :date), last_seen, :date) WHERE id = :id",
            {
                "id": entity_id,
                "mentions": mentions[entity_id],
                "latest": latest,
                "type": entity_type,
                "name": name,
                "name_en": name_en,
                "date": date,
            },
        )
    connection.executemany(
        "INSERT INTO aliases VALUES (?, ?, ?, ?, 0) ON CONFLICT (entity_id, alias) "
        "DO UPDATE SET mentions = mentions + excluded.mentions",
        [
            (entity_id, text, lookup_key(text), count)
            for (entity_id, text), count in Counter(
                (row[1], row[2]) for row in rows["mentions"]
            ).items()
        ],
    )


def _add_names(
    connection: sqlite3.Connection,
    entity_id: str,
    names: tuple[str | None, ...],
    knowledge: Knowledge,
) -> None:
    """A new entity's canonical names and the aliases the knowledge files give it."""
    entry = knowledge.entries.get(entity_id)
    known = entry.names if entry is not None else ()
    connection.executemany(
        "INSERT OR IGNORE INTO aliases VALUES (?, ?, ?, 0, ?)",
        [
            (entity_id, alias, lookup_key(alias), int(alias in known))
            for alias in dict.fromkeys((*known, *(name for name in names if name)))
        ],
    )


def _remove_document(connection: sqlite3.Connection, doc_id: str) -> set[str]:
    """Remove a document and count it out of its entities; returns those to restate."""
    date = connection.execute("SELECT date FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[
        0
    ]
    restate = set()
    for entity_id, entity_type in connection.execute(
        "SELECT entity_id, type FROM document_entities WHERE doc_id = ?", (doc_id,)
    ).fetchall():
        mentions = connection.execute(
            "SELECT text, COUNT(*) FROM mentions WHERE doc_id = ? AND entity_id = ? GROUP BY text",
            (doc_id, entity_id),
        ).fetchall()
        connection.execute(
            "UPDATE entities SET documents = documents - 1, mentions = mentions - ? WHERE id = ?",
            (sum(count for _, count in mentions), entity_id),
        )
        connection.executemany(
            "UPDATE aliases SET mentions = mentions - ? WHERE entity_id = ? AND alias = ?",
            [(count, entity_id, text) for text, count in mentions],
        )
        documents, first, last = connection.execute(
            "SELECT documents, first_seen, last_seen FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        if documents <= 0:
            connection.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
            connection.execute("DELETE FROM aliases WHERE entity_id = ?", (entity_id,))
            continue
        connection.execute(
            "DELETE FROM aliases WHERE entity_id = ? AND mentions <= 0 AND known = 0 "
            "AND alias != (SELECT name FROM entities WHERE id = ?)",
            (entity_id, entity_id),
        )
        # Only a document on the first or last date, or an official's, can have set these.
        if date in (first, last) or date is None or entity_type == "OFFICIAL":
            restate.add(entity_id)
    connection.execute(
        "DELETE FROM value_entities WHERE value_id IN "
        "(SELECT id FROM value_mentions WHERE doc_id = ?)",
        (doc_id,),
    )
    for table in ("value_mentions", "mentions", "document_entities", "documents"):
        connection.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
    return restate


def _remove_evidence(connection: sqlite3.Connection, doc_id: str) -> set[str]:
    """Remove a document's evidence, counting it out of its facts; returns those facts."""
    facts = {
        row[0]
        for row in connection.execute(
            "SELECT fact_id FROM fact_evidence WHERE doc_id = ?", (doc_id,)
        )
    }
    connection.executemany(
        "UPDATE facts SET sources = sources - 1 WHERE id = ?", [(fact,) for fact in facts]
    )
    connection.execute("DELETE FROM fact_evidence WHERE doc_id = ?", (doc_id,))
    return facts


def _restate_entity(connection: sqlite3.Connection, entity_id: str) -> None:
    """Dates, type and names of an entity from the documents that still name it (indexed)."""
    latest = connection.execute(
        "SELECT name, name_en, type FROM document_entities WHERE entity_id = ? "
        "ORDER BY date DESC LIMIT 1",
        (entity_id,),
    ).fetchone()
    if latest is None:
        return  # no document names it any more: removed with its counts
    connection.execute(
        "UPDATE entities SET name = :name, name_en = :name_en, "
        "type = CASE WHEN EXISTS (SELECT 1 FROM document_entities WHERE entity_id = :id "
        "AND type = 'OFFICIAL') THEN 'OFFICIAL' ELSE :type END, "
        "first_seen = (SELECT MIN(date) FROM document_entities WHERE entity_id = :id), "
        "last_seen = (SELECT MAX(date) FROM document_entities WHERE entity_id = :id) "
        "WHERE id = :id",
        {"id": entity_id, "name": latest[0], "name_en": latest[1], "type": latest[2]},
    )


def _refresh_fact(connection: sqlite3.Connection, identifier: str) -> None:
    """A fact's best confidence after a source went away; gone when no source is left."""
    connection.execute("DELETE FROM facts WHERE id = ? AND sources <= 0", (identifier,))
    connection.execute(
        "UPDATE facts SET confidence = "
        "(SELECT MAX(confidence) FROM fact_evidence WHERE fact_id = :id) WHERE id = :id",
        {"id": identifier},
    )


# Reading


def find(connection: sqlite3.Connection, name: str) -> list[str]:
    """Ids of the entities `name` (an id, a canonical name or any alias) stands for."""
    rows = connection.execute(
        "SELECT DISTINCT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.lookup = ? OR a.entity_id = ? ORDER BY e.documents DESC, e.id",
        (lookup_key(name), name),
    ).fetchall()
    return [row[0] for row in rows]


def similar(connection: sqlite3.Connection, name: str, limit: int = 5) -> list[str]:
    """Names of entities whose aliases contain `name`: suggestions when nothing matches."""
    pattern = "%" + lookup_key(name).replace("%", "").replace("_", "") + "%"
    rows = connection.execute(
        "SELECT DISTINCT e.name FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.lookup LIKE ? ORDER BY e.documents DESC LIMIT ?",
        (pattern, limit),
    ).fetchall()
    return [row[0] for row in rows]


def card(connection: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """Everything the knowledge base holds about one entity."""
    entity = query(connection, "SELECT * FROM entities WHERE id = ?", (entity_id,))[0]
    entity["aliases"] = query(
        connection,
        "SELECT alias, mentions, known FROM aliases WHERE entity_id = ? "
        "ORDER BY mentions DESC, known DESC, alias",
        (entity_id,),
    )
    entity["sources"] = query(
        connection,
        "SELECT d.doc_id, d.title, d.date, d.source, d.url, COUNT(*) AS mentions "
        "FROM mentions m JOIN documents d USING (doc_id) WHERE m.entity_id = ? "
        "GROUP BY d.doc_id ORDER BY d.date DESC, d.doc_id",
        (entity_id,),
    )
    entity["facts"] = query(
        connection,
        "SELECT f.id, f.type, f.subject_id, s.name AS subject, f.object_id, o.name AS object, "
        "f.value, f.confidence, f.sources FROM facts f "
        "JOIN entities s ON s.id = f.subject_id LEFT JOIN entities o ON o.id = f.object_id "
        "WHERE f.subject_id = ? OR f.object_id = ? ORDER BY f.type, f.sources DESC, f.id",
        (entity_id, entity_id),
    )
    for fact in entity["facts"]:
        fact["value"] = json.loads(fact["value"])
        fact["evidence"] = query(
            connection,
            "SELECT e.doc_id, d.date, e.text, e.start, e.end, e.confidence "
            "FROM fact_evidence e JOIN documents d USING (doc_id) WHERE e.fact_id = ? "
            "ORDER BY d.date DESC, e.doc_id",
            (fact["id"],),
        )
    entity["values"] = query(
        connection,
        "SELECT v.doc_id, d.date, v.kind, v.text, v.normalized, v.qualifier, v.evidence, "
        "v.confidence FROM value_entities ve JOIN value_mentions v ON v.id = ve.value_id "
        "JOIN documents d USING (doc_id) WHERE ve.entity_id = ? "
        "ORDER BY d.date DESC, v.doc_id, v.start",
        (entity_id,),
    )
    for value in entity["values"]:
        value["normalized"] = json.loads(value["normalized"])
    return entity


def query(connection: sqlite3.Connection, sql: str, parameters: tuple = ()) -> list[dict]:
    """The rows of a query as dicts keyed by column name."""
    cursor = connection.execute(sql, parameters)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]
