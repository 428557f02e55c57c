"""Scores against gold annotations.

Document level (the seed's format): a system entity is right when its type and canonical name
equal a gold entity's; gold entities marked optional are neither required nor counted as wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .knowledge import normalize_alias


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
    found = {_key(e["type"], e["name"]) for e in record["entities"]}
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
