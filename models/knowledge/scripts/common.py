"""Helpers shared by the generator scripts in this folder."""

from __future__ import annotations

import csv
from pathlib import Path

import jieba

KNOWLEDGE = Path(__file__).resolve().parents[1]


def common_words() -> dict[str, tuple[int, str]]:
    """Word -> (frequency, part of speech) in jieba's main dictionary."""
    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        words[word] = (int(freq), tag)
    return words


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a knowledge TSV (header first, no quoting: fields never hold tabs or newlines)."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def curated_files(stem: str) -> list[Path]:
    """The hand-made entity files of one kind (generated ones end in _generated.tsv)."""
    return [
        path
        for path in sorted(KNOWLEDGE.glob(f"{stem}*.tsv"))
        if not path.name.endswith("_generated.tsv")
    ]
