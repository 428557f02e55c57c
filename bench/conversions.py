"""Which OpenCC conversion should zhfacts apply by default? Measured on traditional text.

CLUENER2020 dev (simplified, with gold spans) is rewritten as Taiwan and Hong Kong text with
OpenCC's phrase-level s2twp and s2hk (each stretch between gold boundaries converted on its
own, so the gold spans move exactly). zhfacts then runs with each conversion, and its entity
mentions are scored against the gold spans of the labels it covers (name, company, government,
organization, address), type-agnostic and exact, with the time each run took.

    .venv/bin/python bench/conversions.py [--data ../shared/data/ner] [--limit 1343]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import opencc

from pipeline.extract import Extractor
from pipeline.types import CONVERSIONS, Document, Options

LABELS = {"name", "company", "government", "organization", "address"}


def rewrite(
    record: dict, converter: opencc.OpenCC | _Unchanged
) -> tuple[str, set[tuple[int, int]]]:
    """The text in another script and its gold spans, moved with the text."""
    text = record["text"]
    spans = [(span["start"], span["end"]) for span in record["spans"] if span["label"] in LABELS]
    cuts = sorted({0, len(text), *(point for span in spans for point in span)})
    moved: dict[int, int] = {}
    pieces: list[str] = []
    position = 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        moved[start] = position
        piece = converter.convert(text[start:end])
        pieces.append(piece)
        position += len(piece)
    moved[len(text)] = position
    return "".join(pieces), {(moved[start], moved[end]) for start, end in spans}


class _Unchanged:
    def convert(self, text: str) -> str:
        return text


def score(found: set, gold: set) -> dict[str, float]:
    hits = len(found & gold)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    lines = (args.data / "cluener" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[: args.limit]]
    extractors = {mode: Extractor(Options(conversion=mode)) for mode in CONVERSIONS}
    for script in ("s2twp", "s2hk", "none"):
        if script == "none":  # the simplified original, for reference
            rewritten = [rewrite(record, _Unchanged()) for record in records]
        else:
            rewritten = [rewrite(record, opencc.OpenCC(script)) for record in records]
        gold = {(index, *span) for index, (_, spans) in enumerate(rewritten) for span in spans}
        for mode, extractor in extractors.items():
            if script == "none" and mode != "t2s":
                continue
            started = time.process_time()
            found = set()
            for index, (text, _) in enumerate(rewritten):
                output = extractor(Document(str(index), text, "cluener-dev", "txt"))
                for entity in output["entities"]:
                    found.update((index, m["start"], m["end"]) for m in entity["mentions"])
            seconds = time.process_time() - started
            chars = sum(len(text) for text, _ in rewritten)
            print(
                f"{script:6} text, --conversion {mode:6}: {score(found, gold)}, "
                f"{chars / seconds:,.0f} chars/s (CPU)"
            )


if __name__ == "__main__":
    main()
