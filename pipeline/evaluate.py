"""Scores against gold annotations (`zhfacts eval`).

Two gold formats:
- spans (../shared/data/ner: JSON lines of `id`, `text`, `spans`): exact character spans per
  label; a predicted span is right when its start, end and label equal a gold span's.
- documents (the seed's format, corpus/annotated: `file`, `entities` with `type`, `canonical`):
  a system entity is right when its type equals a gold entity's and its canonical name is the
  gold's canonical name or one of the gold's `aliases` (where usage differs: 民进党 and
  民主进步党); gold entities marked optional are neither required nor counted as wrong.

Without a system file the pipeline is run on the gold's texts: for spans the statistical NER
alone, so its native labels are scored; for documents the whole extraction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ZhfactsError
from .knowledge import normalize_alias
from .ner import NATIVE_DATA, NATIVE_PIPE
from .types import STATISTICAL_COMPONENTS, Options, Problem

SPANS, DOCUMENTS = "spans", "documents"


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.true_positives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
        }


def _key(entity_type: str, name: str) -> tuple[str, str]:
    return entity_type, normalize_alias(name)


def score_document(gold: dict[str, Any], record: dict[str, Any]) -> dict[str, Score]:
    """Per-type and micro ('ALL') scores of one output record against one seed-format gold."""
    required = {_key(e["type"], e["canonical"]) for e in gold["entities"] if not e.get("optional")}
    optional = {_key(e["type"], e["canonical"]) for e in gold["entities"] if e.get("optional")}
    canonical = {
        _key(e["type"], name): _key(e["type"], e["canonical"])
        for e in gold["entities"]
        for name in e.get("aliases", [])
    }
    found = {
        canonical.get(key, key) for key in (_key(e["type"], e["name"]) for e in record["entities"])
    }
    scores: dict[str, Score] = {}
    for entity_type, name in required | found:
        key = (entity_type, name)
        score = scores.setdefault(entity_type, Score())
        if key in required and key in found:
            score.true_positives += 1
        elif key in required:
            score.false_negatives += 1
        elif key not in optional:
            score.false_positives += 1
    scores["ALL"] = micro(scores.values())
    return scores


def micro(scores: Iterable[Score]) -> Score:
    total = Score()
    for score in scores:
        total.add(score)
    return total


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON lines file."""
    path = Path(path)
    if not path.exists():
        raise ZhfactsError(f"{path} not found")
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def score_spans(gold: Iterable[dict[str, Any]], system: dict[str, list[dict]]) -> dict[str, Score]:
    """Per-label and micro ('ALL') exact-span scores; `system` maps record id -> its spans."""
    scores: dict[str, Score] = {}
    for record in gold:
        expected = {_span_key(span) for span in record["spans"]}
        found = {_span_key(span) for span in system.get(record["id"], ())}
        for start, end, label in expected | found:
            score = scores.setdefault(label, Score())
            if (start, end, label) not in found:
                score.false_negatives += 1
            elif (start, end, label) not in expected:
                score.false_positives += 1
            else:
                score.true_positives += 1
    scores["ALL"] = micro(scores.values())
    return scores


def _span_key(span: dict[str, Any]) -> tuple[int, int, str]:
    return span["start"], span["end"], span["label"]


def read_gold(path: str | Path) -> tuple[str, list[dict[str, Any]]]:
    """The gold records of a file (or folder of document golds) and their format."""
    path = Path(path)
    if path.is_dir():  # a folder of document golds, like corpus/annotated
        records = [record for file in sorted(path.glob("*.json")) for record in read_gold(file)[1]]
        return DOCUMENTS, records
    if not path.exists():
        raise ZhfactsError(f"gold file {path} not found")
    try:
        if path.suffix == ".json":  # one document gold, like corpus/annotated/*.json
            records = [json.loads(path.read_text(encoding="utf-8"))]
        else:
            records = list(read_jsonl(path))
    except json.JSONDecodeError as error:
        raise ZhfactsError(f"{path}: not valid JSON ({error})") from error
    if records and all("spans" in record and "text" in record for record in records):
        return SPANS, records
    if records and all("entities" in record for record in records):
        for record in records:
            record.setdefault("_folder", str(path.parent))
        return DOCUMENTS, records
    raise ZhfactsError(
        f"{path}: gold records need `id`, `text`, `spans` (span format) or `file`, `entities` "
        "(document format, like corpus/annotated)"
    )


def predict_spans(records: list[dict[str, Any]], options: Options) -> dict[str, list[dict]]:
    """The statistical NER's native predictions for each record's text, by record id."""
    from .extract import load_pipeline

    nlp = load_pipeline(options.model)
    missing = [name for name in STATISTICAL_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise ZhfactsError(
            f"{options.model} has no {', '.join(missing)}: run `make train` to train the NER"
        )
    texts = (record["text"] for record in records)
    with nlp.select_pipes(enable=[*STATISTICAL_COMPONENTS, NATIVE_PIPE]):
        docs = nlp.pipe(texts, batch_size=256)
        return {
            record["id"]: [
                {"start": start, "end": end, "label": label}
                for start, end, label in doc.user_data[NATIVE_DATA]
            ]
            for record, doc in zip(records, docs, strict=True)
        }


def extract_documents(gold: list[dict[str, Any]], options: Options) -> list[dict[str, Any]]:
    """Run the whole extraction on the text file named by each document gold."""
    from .extract import Extractor
    from .ingest import iter_documents

    extractor = Extractor(options)
    records = []
    for document in iter_documents([_text_path(record) for record in gold]):
        if isinstance(document, Problem):
            raise ZhfactsError(f"cannot read {document.source}: {document.error}")
        records.append(extractor(document))
    return records


def _text_path(gold: dict[str, Any]) -> Path:
    """The gold's text: `file` beside the gold, or in a `raw` folder beside its folder."""
    folder = Path(gold["_folder"])
    for candidate in (folder / gold["file"], folder.parent / "raw" / gold["file"]):
        if candidate.exists():
            return candidate
    raise ZhfactsError(f"text {gold['file']!r} of the gold in {folder} not found")


def score_documents(gold: list[dict[str, Any]], system: list[dict[str, Any]]) -> dict[str, Score]:
    """Document-level scores summed over documents, matched by file name."""
    by_file = {Path(record["source"]).name: record for record in system}
    totals: dict[str, Score] = {}
    for expected in gold:
        record = by_file.get(expected["file"])
        if record is None:
            raise ZhfactsError(f"no system record for {expected['file']!r}")
        for entity_type, score in score_document(expected, record).items():
            totals.setdefault(entity_type, Score()).add(score)
    return totals


def evaluate(
    gold_path: str | Path, system_path: str | Path | None, options: Options
) -> tuple[str, dict[str, Score]]:
    """Score a system file (or the pipeline) against a gold file; returns format and scores."""
    kind, gold = read_gold(gold_path)
    system = list(read_jsonl(system_path)) if system_path is not None else None
    if kind == SPANS:
        predicted = (
            {record["id"]: record["spans"] for record in system}
            if system is not None
            else predict_spans(gold, options)
        )
        return kind, score_spans(gold, predicted)
    records = system if system is not None else extract_documents(gold, options)
    return kind, score_documents(gold, records)


def format_table(kind: str, scores: dict[str, Score]) -> str:
    """Scores as a plain text table, labels sorted, micro last."""
    unit = "exact spans" if kind == SPANS else "documents"
    lines = [f"{'label':<14}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'found':>7}   ({unit})"]
    for label in [*sorted(key for key in scores if key != "ALL"), "ALL"]:
        score = scores.get(label, Score())
        gold = score.true_positives + score.false_negatives
        found = score.true_positives + score.false_positives
        lines.append(
            f"{label:<14}{score.precision:>8.4f}{score.recall:>8.4f}{score.f1:>8.4f}"
            f"{gold:>7}{found:>7}"
        )
    return "\n".join(lines)
