"""Scoring against gold: exact spans per label, documents per type, and `zhfacts eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ZhfactsError
from pipeline.evaluate import DOCUMENTS, SPANS, read_gold, score_documents, score_spans

GOLD = [
    {
        "id": "a",
        "text": "浙商银行企业信贷部叶老桂博士",
        "spans": [
            {"start": 0, "end": 4, "label": "company"},
            {"start": 9, "end": 12, "label": "name"},
        ],
    },
    {"id": "b", "text": "国务院总理李强在北京", "spans": [{"start": 5, "end": 7, "label": "name"}]},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_exact_spans_count_only_identical_start_end_and_label() -> None:
    system = {
        "a": [{"start": 0, "end": 4, "label": "company"}, {"start": 9, "end": 11, "label": "name"}],
        "b": [{"start": 5, "end": 7, "label": "name"}, {"start": 8, "end": 10, "label": "address"}],
    }
    scores = score_spans(GOLD, system)
    assert scores["company"].f1 == 1.0
    assert (scores["name"].true_positives, scores["name"].false_positives) == (1, 1)
    assert scores["name"].false_negatives == 1
    assert scores["address"].false_positives == 1
    assert scores["ALL"].true_positives == 2 and scores["ALL"].false_positives == 2


def test_a_record_missing_from_the_system_counts_as_all_missed() -> None:
    scores = score_spans(GOLD, {})
    assert scores["ALL"].recall == 0.0 and scores["ALL"].false_negatives == 3


def test_read_gold_tells_span_format_from_document_format(tmp_path: Path) -> None:
    spans = write_jsonl(tmp_path / "spans.jsonl", GOLD)
    document = tmp_path / "doc.gold.json"
    document.write_text(json.dumps({"file": "x.txt", "entities": []}), "utf-8")
    assert read_gold(spans)[0] == SPANS
    assert read_gold(document)[0] == DOCUMENTS


def test_read_gold_rejects_records_of_neither_format(tmp_path: Path) -> None:
    with pytest.raises(ZhfactsError, match="span format"):
        read_gold(write_jsonl(tmp_path / "bad.jsonl", [{"id": "x"}]))


def test_documents_are_matched_to_system_records_by_file_name() -> None:
    gold = [
        {
            "file": "news.txt",
            "entities": [
                {"type": "COMPANY", "canonical": "华为"},
                {"type": "GPE", "canonical": "中国", "optional": True},
            ],
        }
    ]
    system = [
        {
            "source": "/data/news.txt",
            "entities": [{"type": "COMPANY", "name": "华为"}, {"type": "ORG", "name": "商务部"}],
        }
    ]
    scores = score_documents(gold, system)
    assert scores["COMPANY"].f1 == 1.0
    assert scores["ORG"].false_positives == 1


def test_a_gold_alias_counts_as_the_canonical_name_of_the_same_type() -> None:
    gold = [
        {
            "file": "news.txt",
            "entities": [{"type": "ORG", "canonical": "民进党", "aliases": ["民主进步党"]}],
        }
    ]
    system = [
        {
            "source": "news.txt",
            "entities": [
                {"type": "ORG", "name": "民主进步党"},
                {"type": "PERSON", "name": "民进党"},
            ],
        }
    ]
    scores = score_documents(gold, system)
    assert (scores["ORG"].true_positives, scores["ORG"].false_negatives) == (1, 0)
    assert scores["PERSON"].false_positives == 1


def test_eval_command_prints_json_scores_for_a_system_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    system = write_jsonl(tmp_path / "system.jsonl", GOLD[:1])
    assert main(["eval", str(gold), str(system), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == SPANS
    assert report["scores"]["ALL"]["tp"] == 2 and report["scores"]["ALL"]["fn"] == 1


def test_eval_command_explains_a_missing_gold_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(tmp_path / "none.jsonl")]) == 2
    assert "not found" in capsys.readouterr().err
