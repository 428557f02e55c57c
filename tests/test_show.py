"""Pages a person reads: the article HTML with highlights and tables, the entity card text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.article import extract_article
from pipeline.cli import main
from pipeline.extract import Extractor
from pipeline.show import article_page, card_text
from pipeline.types import Document


@pytest.fixture(scope="module")
def page(extractor: Extractor) -> str:
    document = Document("tw", "輝達執行長黃仁勳表示，H20晶片營收逾三成來自中國。", "test", "txt")
    return article_page(
        [(extract_article(document, extractor.cleaner), extractor(document))], "test"
    )


def highlighted(page: str) -> list[tuple[str, str]]:
    """(text, label) of every displacy mark on the page."""
    marks = re.findall(r"<mark[^>]*>\s*(.*?)\s*<span[^>]*>(\w+)</span>", page, re.S)
    return [(text, label) for text, label in marks]


def test_entities_and_values_are_highlighted_in_the_original_text(page: str) -> None:
    assert highlighted(page) == [
        ("輝達", "COMPANY"),
        ("黃仁勳", "OFFICIAL"),
        ("H20", "CHIP"),
        ("三成", "PERCENT"),
        ("中國", "GPE"),
    ]


def test_facts_are_tabled_with_their_evidence(page: str) -> None:
    row = re.search(r"<tr><td>holds_position</td>.*?</tr>", page)
    assert row is not None
    assert "执行长" in row.group() and "輝達執行長黃仁勳表示" in row.group()


def test_the_page_needs_nothing_from_outside(page: str) -> None:
    assert not re.search(r"<script|<link|<img|@import|url\(|src=|href=", page)


def test_show_command_writes_the_page(tmp_path: Path, sample_document: Document) -> None:
    article = tmp_path / "article.txt"
    article.write_text(sample_document.text, encoding="utf-8")
    output = tmp_path / "page.html"
    assert main(["show", str(article), "--html", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert ("英偉達", "COMPANY") in highlighted(html)
    assert "曼達尼" not in re.sub(r"<h1>.*?</h1>", "", html)  # page furniture is not shown


def test_card_text_lists_aliases_seen_and_facts() -> None:
    card = {
        "id": "company/nvidia",
        "type": "COMPANY",
        "name": "英伟达",
        "name_en": "Nvidia",
        "documents": 2,
        "mentions": 3,
        "first_seen": "2025-10-01",
        "last_seen": "2025-11-05",
        "aliases": [
            {"alias": "輝達", "mentions": 2, "known": 1},
            {"alias": "英偉達", "mentions": 1, "known": 1},
            {"alias": "辉达", "mentions": 0, "known": 1},
        ],
        "sources": [{"doc_id": "hk", "title": None, "date": "2025-11-05"}],
        "facts": [
            {
                "type": "makes",
                "subject": "英伟达",
                "object": "H20",
                "value": None,
                "confidence": 0.9,
                "sources": 1,
                "evidence": [
                    {"doc_id": "hk", "text": "英偉達H20晶片需求強勁。", "start": 0, "end": 12}
                ],
            }
        ],
        "values": [],
    }
    lines = card_text(card).splitlines()
    assert lines[0] == "英伟达 (Nvidia)  [COMPANY]  company/nvidia"
    assert "  aliases seen: 輝達 ×2, 英偉達 ×1" in lines
    assert "    makes: 英伟达 -> H20  (confidence 0.90, 1 source)" in lines
