"""Export the knowledge base for other stores: JSON Lines records or RDF N-Triples.

JSON Lines: one object per line with a `record` key: "document", "entity" (with its aliases),
"fact" (with every evidence sentence and its document) and "value" (with its entity ids).

N-Triples: entities, documents, facts and values get IRIs under https://zhfacts.example/
(entity/<id>, document/<doc_id>, fact/<fact id>, value/<doc_id>/<start>-<end>), typed with
classes of the zhfacts vocabulary (ontology/COMPANY, ontology/Fact ...). A fact with an object
is also stated directly (<subject> ontology/makes <object>); each fact node carries its type,
subject, object, value (JSON), confidence, and the documents and sentences that state it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any, TextIO
from urllib.parse import quote

from .kb import query

FORMATS = ("jsonl", "ntriples")
BASE = "https://zhfacts.example/"
ONTOLOGY = BASE + "ontology/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
DC_TITLE = "<http://purl.org/dc/terms/title>"
DC_DATE = "<http://purl.org/dc/terms/date>"
DC_SOURCE = "<http://purl.org/dc/terms/source>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def export(connection: sqlite3.Connection, output: TextIO, format: str = "jsonl") -> int:
    """Write the whole knowledge base to `output`; returns the number of lines written."""
    records = _records(connection)
    lines = (
        (json.dumps(record, ensure_ascii=False) for record in records)
        if format == "jsonl"
        else (triple for record in records for triple in _triples(record))
    )
    count = 0
    for line in lines:
        output.write(line + "\n")
        count += 1
    return count


def _records(connection: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every document, entity, fact and value, each as one self-contained record."""
    for document in query(
        connection, "SELECT doc_id, source, title, date, url, script FROM documents ORDER BY doc_id"
    ):
        yield {"record": "document", **document}
    for entity in query(connection, "SELECT * FROM entities ORDER BY id"):
        aliases = query(
            connection,
            "SELECT alias, mentions, known FROM aliases WHERE entity_id = ? ORDER BY alias",
            (entity["id"],),
        )
        yield {"record": "entity", **entity, "aliases": aliases}
    for fact in query(connection, "SELECT * FROM facts ORDER BY id"):
        evidence = query(
            connection,
            "SELECT doc_id, text, start, end, confidence FROM fact_evidence WHERE fact_id = ? "
            "ORDER BY doc_id, start",
            (fact["id"],),
        )
        yield {"record": "fact", **fact, "value": json.loads(fact["value"]), "evidence": evidence}
    for value in query(connection, "SELECT * FROM value_mentions ORDER BY doc_id, start"):
        entities = query(
            connection,
            "SELECT entity_id FROM value_entities WHERE value_id = ? ORDER BY entity_id",
            (value.pop("id"),),
        )
        value["normalized"] = json.loads(value["normalized"])
        yield {"record": "value", **value, "entities": [row["entity_id"] for row in entities]}


def _triples(record: dict[str, Any]) -> Iterator[str]:
    kind = record["record"]
    if kind == "document":
        node = _iri("document", record["doc_id"])
        yield _triple(node, RDF_TYPE, _term("Document"))
        yield _triple(node, DC_SOURCE, _literal(record["source"]))
        if record["title"]:
            yield _triple(node, DC_TITLE, _literal(record["title"]))
        if record["date"]:
            yield _triple(node, DC_DATE, _literal(record["date"], f"{XSD}date"))
    elif kind == "entity":
        node = _iri("entity", record["id"])
        yield _triple(node, RDF_TYPE, _term(record["type"]))
        yield _triple(node, RDFS_LABEL, _literal(record["name"]))
        if record["name_en"]:
            yield _triple(node, RDFS_LABEL, _literal(record["name_en"], language="en"))
        for alias in record["aliases"]:
            yield _triple(node, ALT_LABEL, _literal(alias["alias"]))
        for name in ("documents", "mentions"):
            yield _triple(node, _term(name), _literal(str(record[name]), f"{XSD}integer"))
    elif kind == "fact":
        yield from _fact_triples(record)
    else:
        node = _iri("value", f"{record['doc_id']}/{record['start']}-{record['end']}")
        yield _triple(node, RDF_TYPE, _term(record["kind"]))
        yield _triple(node, _term("text"), _literal(record["text"]))
        yield _triple(node, _term("normalized"), _literal(json.dumps(record["normalized"])))
        yield _triple(node, DC_SOURCE, _iri("document", record["doc_id"]))
        for entity in record["entities"]:
            yield _triple(node, _term("about"), _iri("entity", entity))


def _fact_triples(fact: dict[str, Any]) -> Iterator[str]:
    node = _iri("fact", fact["id"])
    subject = _iri("entity", fact["subject_id"])
    yield _triple(node, RDF_TYPE, _term("Fact"))
    yield _triple(node, _term("predicate"), _term(fact["type"]))
    yield _triple(node, _term("subject"), subject)
    if fact["object_id"]:
        obj = _iri("entity", fact["object_id"])
        yield _triple(node, _term("object"), obj)
        yield _triple(subject, _term(fact["type"]), obj)
    if fact["value"] is not None:
        value = json.dumps(fact["value"], ensure_ascii=False)
        yield _triple(node, _term("value"), _literal(value))
    yield _triple(node, _term("confidence"), _literal(str(fact["confidence"]), f"{XSD}double"))
    for evidence in fact["evidence"]:
        yield _triple(node, DC_SOURCE, _iri("document", evidence["doc_id"]))
        yield _triple(node, _term("evidence"), _literal(evidence["text"]))


def _iri(kind: str, identifier: str) -> str:
    return f"<{BASE}{kind}/{quote(identifier, safe='/')}>"


def _term(name: str) -> str:
    return f"<{ONTOLOGY}{quote(name)}>"


def _literal(text: str, datatype: str | None = None, language: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def _triple(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj} ."
