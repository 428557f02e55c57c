"""What a person looks at to trust the output: an article page in HTML, an entity card as text.

`article_page` renders extracted documents into one self-contained HTML page: each article with
its entities and values highlighted by type (spaCy's displacy, manual mode), then tables of its
facts and values with their evidence. Styles are inline; nothing is fetched to read the page.
`card_text` prints a knowledge-base entity card (kb.card) for the terminal.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from spacy import displacy

from .extract import Extractor
from .ingest import iter_documents
from .tag import non_overlapping
from .types import Article, Problem

COLORS = {
    "COMPANY": "#7aecec",
    "PROVINCE": "#bfeeb7",
    "GPE": "#feca74",
    "CHIP": "#ff9561",
    "OFFICIAL": "#aa9cfc",
    "PERSON": "#c887fb",
    "ORG": "#9cc9cc",
    "PERCENT": "#e4e7d2",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "DATE": "#bfd9e1",
}
EVIDENCE_CHARS = 90
_STYLE = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
article { border-bottom: 1px solid #ccc; padding-bottom: 2rem; margin-bottom: 2rem; }
.meta { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
"""


def article_page(documents: list[tuple[Article, dict[str, Any]]], title: str) -> str:
    """One HTML page for (article, output record) pairs."""
    sections = "\n".join(_article_section(article, record) for article, record in documents)
    return (
        f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{escape(title)}</h1>\n{sections}\n</body>\n</html>\n"
    )


def _article_section(article: Article, record: dict[str, Any]) -> str:
    meta = " · ".join(
        escape(str(part))
        for part in (record["doc_id"], record["date"], record["script"], record.get("url"))
        if part
    )
    marked = displacy.render(
        [{"text": article.text, "ents": _highlights(article, record), "title": None}],
        style="ent",
        manual=True,
        jupyter=False,
        options={"colors": COLORS, "ents": list(COLORS)},
    )
    facts = _table(
        ("fact", "subject", "object", "value", "confidence", "evidence"),
        [
            (
                fact["type"],
                fact["subject"]["name"],
                (fact["object"] or {}).get("name", ""),
                _json(fact["value"]),
                f"{fact['confidence']:.2f}",
                _evidence(fact["evidence"]),
            )
            for fact in record["facts"]
        ],
    )
    values = _table(
        ("value", "text", "normalised", "qualifier", "entities", "evidence"),
        [
            (
                value["kind"],
                value["text"],
                _json(value["normalized"]),
                value.get("qualifier", ""),
                ", ".join(entity["name"] for entity in value["entities"]),
                _evidence(value["evidence"]),
            )
            for value in record["values"]
        ],
    )
    return (
        f"<article>\n<h2>{escape(record['title'] or record['doc_id'])}</h2>\n"
        f'<p class="meta">{meta}</p>\n{marked}\n<h3>Facts</h3>\n{facts}\n'
        f"<h3>Values</h3>\n{values}\n</article>"
    )


def _highlights(article: Article, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Entity mentions and values as spans of the article text (output offsets are original)."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for position in range(len(article.text)):
        start, end = article.offsets.span(position, position + 1)
        starts.setdefault(start, position)
        ends[end] = position + 1
    spans = [
        (mention["start"], mention["end"], entity["type"])
        for entity in record["entities"]
        for mention in entity["mentions"]
    ] + [(value["start"], value["end"], value["kind"]) for value in record["values"]]
    inside = [
        (starts[start], ends[end], label)
        for start, end, label in spans
        if start in starts and end in ends
    ]
    return [
        {"start": start, "end": end, "label": label}
        for start, end, label in non_overlapping(inside)
    ]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(name)}</th>" for name in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table>\n<tr>{head}</tr>\n{body}\n</table>"


def _evidence(evidence: dict[str, Any]) -> str:
    return f"{evidence['text']} [{evidence['start']}:{evidence['end']}]"


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def card_text(card: dict[str, Any]) -> str:
    """An entity card (kb.card) as lines for the terminal."""
    name_en = f" ({card['name_en']})" if card["name_en"] and card["name_en"] != card["name"] else ""
    seen = [
        f"{alias['alias']} ×{alias['mentions']}" for alias in card["aliases"] if alias["mentions"]
    ]
    known = [alias["alias"] for alias in card["aliases"] if not alias["mentions"]]
    lines = [
        f"{card['name']}{name_en}  [{card['type']}]  {card['id']}",
        f"  aliases seen: {', '.join(seen) or 'none'}",
        f"  also known as: {', '.join(known) or 'none'}",
        f"  documents: {card['documents']}, mentions: {card['mentions']}, "
        f"first seen {card['first_seen'] or '?'}, last seen {card['last_seen'] or '?'}",
    ]
    lines += [
        f"    {source['date'] or '?':<10}  {source['doc_id']}  {source['title'] or ''}"
        for source in card["sources"]
    ]
    lines.append(f"  facts: {len(card['facts']) or 'none'}")
    for fact in card["facts"]:
        plural = "s" if fact["sources"] != 1 else ""
        lines.append(
            f"    {fact['type']}: {_fact_words(fact)}  "
            f"(confidence {fact['confidence']:.2f}, {fact['sources']} source{plural})"
        )
        lines += [
            f"      「{_shorten(evidence['text'])}」 {evidence['doc_id']} "
            f"[{evidence['start']}:{evidence['end']}]"
            for evidence in fact["evidence"]
        ]
    lines.append(f"  values: {len(card['values']) or 'none'}")
    lines += [
        f"    {value['kind']} {value['text']} = {_json(value['normalized'])}"
        f"{' (' + value['qualifier'] + ')' if value['qualifier'] else ''}  {value['doc_id']}"
        for value in card["values"]
    ]
    return "\n".join(lines)


def _fact_words(fact: dict[str, Any]) -> str:
    """特朗普 -> 美国 总统 (president); 英伟达 -> H20; 英伟达 = 英偉達."""
    value = fact["value"] or {}
    if "alias" in value:
        return f"{fact['subject']} = {value['alias']}"
    words = f"{fact['subject']} -> {fact['object'] or '?'}"
    if "title" in value:
        words += f" {value['title']} ({value['role']})"
    return words


def _shorten(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def write_article_page(inputs: list[str], output: Path, extractor: Extractor) -> list[Problem]:
    """Extract the documents of `inputs` into one HTML page at `output`; returns the problems."""
    pages = []
    problems = []
    for item in iter_documents(inputs):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            pages.append(extractor.with_article(item))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(article_page(pages, f"zhfacts: {', '.join(inputs)}"), encoding="utf-8")
    return problems
