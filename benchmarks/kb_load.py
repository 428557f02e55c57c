"""Benchmark `zhfacts kb load`: documents per second for a first load, a repeat, a full replace.

Builds N copies of one extract output record (default: the sample page's, from out/facts.jsonl;
run `make run` first) under distinct doc_ids and dates, then times three loads into a fresh
store. Prints the figures; asserts nothing.

    .venv/bin/python benchmarks/kb_load.py [--documents 10000] [--output out/facts.jsonl]
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from pipeline.kb import load


def write_copies(record: dict, count: int, path: Path, confidence: float | None = None) -> None:
    with path.open("w", encoding="utf-8") as output:
        for number in range(count):
            copied = copy.deepcopy(record)
            copied["doc_id"] = f"doc{number}"
            copied["date"] = f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}"
            if confidence is not None and copied["facts"]:
                copied["facts"][0]["confidence"] = confidence  # a changed document
            output.write(json.dumps(copied, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=Path("out/facts.jsonl"))
    args = parser.parse_args()
    record = json.loads(args.output.read_text(encoding="utf-8").splitlines()[0])
    with tempfile.TemporaryDirectory() as folder:
        first, changed, db = Path(folder, "a.jsonl"), Path(folder, "b.jsonl"), Path(folder, "kb")
        write_copies(record, args.documents, first)
        write_copies(record, args.documents, changed, confidence=0.5)
        for label, path in (
            ("first load", first),
            ("same file again", first),
            ("every document changed", changed),
        ):
            started = time.perf_counter()
            summary = load([path], db)
            seconds = time.perf_counter() - started
            print(
                f"{label}: {args.documents} documents in {seconds:.1f} s "
                f"({args.documents / seconds:.0f}/s): {summary.new} new, {summary.replaced} "
                f"replaced, {summary.unchanged} unchanged"
            )
        print(f"store: {summary.rows}; {db.stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
