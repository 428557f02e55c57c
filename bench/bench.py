"""`make bench`: throughput, scaling, memory and cold start of zhfacts, with two references.

    .venv/bin/python bench/bench.py [--megabytes 5.2] [--folder build/bench]

Builds a corpus of news-like text (consecutive sentences of the MSRA and CLUENER news corpora
from ../shared/data/ner grouped into articles, one in four turned into traditional characters;
the repository's sample page repeated when those are absent) and measures, in one run:
jieba.lcut alone (the reference); spaCy's standard CNN NER (`spacy init config --lang zh
--pipeline ner --optimize efficiency`, initialised, not trained: its speed does not depend on
training) alone with zhfacts' tokenizer; each zhfacts stage; `zhfacts extract` end to end for
both tiers with 1 and 2 workers (peak RSS of the largest process); a 4x corpus against the 1x
corpus; and the cold start of `zhfacts extract` on one article. Every figure is in characters
of input text per second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jieba
import opencc
import spacy
from spacy.cli import init_config
from spacy.training import Example

from pipeline.article import extract_article
from pipeline.convert import detect_script
from pipeline.extract import BATCH_SIZE, Extractor
from pipeline.facts import Sentences, extract_facts
from pipeline.ingest import iter_documents
from pipeline.link import link_entities
from pipeline.types import DEFAULT_MODEL, ENTITY_TYPES, STATISTICAL_COMPONENTS, Document, Options
from pipeline.write import document_record, to_json_line

ROOT = Path(__file__).resolve().parent.parent
NER_DATA = ROOT.parent / "shared" / "data" / "ner"
NEWS_FILES = ("msra/train.jsonl", "msra/test.jsonl", "cluener/train.jsonl", "cluener/dev.jsonl")
SAMPLE = ROOT / "corpus" / "raw" / "worldjournal-2025-11-05-ai-chip-power-subsidy.txt"
ARTICLE_CHARS = 2000
PARAGRAPH_SENTENCES = 3
TRADITIONAL_EVERY = 4
ZHFACTS = [sys.executable, "-m", "pipeline.cli", "extract"]
# Runs a command and prints the peak RSS (KiB) of the largest process in its tree.
PEAK_RSS = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def news_sentences() -> Iterator[str]:
    """Sentences of news in reading order, or the sample page's lines when the data is absent."""
    files = [NER_DATA / name for name in NEWS_FILES if (NER_DATA / name).exists()]
    if not files:
        lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
        while True:
            yield from lines
    for file in files:
        with file.open(encoding="utf-8") as stream:
            for line in stream:
                yield json.loads(line)["text"]


def build_corpus(path: Path, megabytes: float) -> list[dict[str, str]]:
    """Write a JSON Lines corpus of at least `megabytes` MB of articles; return its records."""
    to_traditional = opencc.OpenCC("s2t")
    records: list[dict[str, str]] = []
    size = 0
    sentences = news_sentences()
    while size < megabytes * 1_000_000:
        article: list[str] = []
        while sum(map(len, article)) < ARTICLE_CHARS:
            article.append(next(sentences))
        paragraphs = [
            "".join(article[index : index + PARAGRAPH_SENTENCES])
            for index in range(0, len(article), PARAGRAPH_SENTENCES)
        ]
        text = "\n".join(paragraphs)
        if len(records) % TRADITIONAL_EVERY == TRADITIONAL_EVERY - 1:
            text = to_traditional.convert(text)
        records.append({"id": f"bench-{len(records):05d}", "text": text})
        size += len(text.encode("utf-8"))
    write_jsonl(path, records)
    return records


def write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def rate(characters: int, seconds: float) -> float:
    return characters / seconds


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def jieba_alone(texts: list[str]) -> float:
    """Seconds for jieba.lcut over every text (dictionary loaded beforehand)."""
    jieba.initialize()
    return timed(lambda: [jieba.lcut(text) for text in texts])


def segmentation_mismatches(texts: list[str]) -> int:
    """Texts that zhfacts' tokenizer cuts differently from jieba with the same user words."""
    tokenizer = spacy.load(DEFAULT_MODEL, exclude=["*"]).tokenizer
    reference = jieba.Tokenizer()
    for word, frequency in tokenizer.user_words.items():
        reference.add_word(word, frequency)
    return sum(reference.lcut(text) != list(tokenizer.cut(text)) for text in texts)


def cnn_ner(texts: list[str]) -> float:
    """Seconds for spaCy's standard efficiency CNN NER over every text, zhfacts' tokenizer."""
    config = init_config(lang="zh", pipeline=["ner"], optimize="efficiency")
    config["nlp"]["tokenizer"] = {"@tokenizers": "zhfacts.jieba_tokenizer.v1", "hmm": True}
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.tokenizer.from_disk(DEFAULT_MODEL / "tokenizer")
    ner = nlp.get_pipe("ner")
    for label in ENTITY_TYPES:
        ner.add_label(label)
    doc = nlp.make_doc(texts[0])
    nlp.initialize(lambda: [Example.from_dict(doc, {"entities": ["O"] * len(doc)})])
    return timed(lambda: [None for _ in nlp.pipe(texts)])


def stages(documents: list[Document]) -> Counter:
    """Seconds per stage of the full pipeline, one process, batches in memory zones as in a run."""
    extractor = Extractor(Options())
    extractor(documents[0])  # loads the jieba dictionary, which is not a stage
    nlp = extractor.nlp
    seconds: Counter = Counter()

    def run(stage: str, function: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = function(*args)
        seconds[stage] += time.perf_counter() - started
        return result

    batches = iter(documents)
    while batch := list(islice(batches, BATCH_SIZE)):
        with nlp.memory_zone():
            for document in batch:
                article = run("article", extract_article, document, extractor.cleaner)
                converted = run("convert", extractor.converter, article.text)
                doc = run("tokenizer", nlp.tokenizer, converted.text)
                for name, component in nlp.pipeline:
                    doc = run(name, component, doc)

                def to_original(start: int, end: int, article=article, converted=converted):
                    return article.offsets.span(*converted.offsets.span(start, end))

                entities = run(
                    "link", link_entities, doc, extractor.knowledge, document.text, to_original
                )
                sentences = Sentences(doc.text, document.text, to_original)
                facts = run("facts", extract_facts, doc, entities, extractor.knowledge, sentences)
                script = run("record", detect_script, article.text)
                record = run("record", document_record, article, script, entities, facts)
                run("json", to_json_line, record)
    return seconds


def end_to_end(corpus: Path, output: Path, workers: int, fast: bool) -> tuple[float, int]:
    """Wall seconds of `zhfacts extract` on the corpus, and peak RSS (MB) of its largest process."""
    command = [*ZHFACTS, str(corpus), "-o", str(output), "--workers", str(workers)]
    command += ["--fast"] if fast else []
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr}")
    return seconds, int(result.stdout.split()[-1]) // 1024


def cold_start(folder: Path, runs: int = 3) -> list[float]:
    """Wall seconds of `zhfacts extract` on the sample article, in fresh processes."""
    return [
        timed(
            lambda: subprocess.run(
                [*ZHFACTS, str(SAMPLE), "-o", str(folder / "cold.jsonl")],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
        )
        for _ in range(runs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.2, help="corpus size (UTF-8)")
    parser.add_argument("--folder", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args()
    folder: Path = args.folder
    corpus = folder / "corpus.jsonl"
    records = build_corpus(corpus, args.megabytes)
    write_jsonl(
        folder / "corpus4x.jsonl",
        [{**record, "id": f"{record['id']}-{copy}"} for copy in range(4) for record in records],
    )
    texts = [record["text"] for record in records]
    documents = [item for item in iter_documents([corpus]) if isinstance(item, Document)]
    characters = sum(map(len, texts))
    model = spacy.load(DEFAULT_MODEL, exclude=["*"])
    statistical = [name for name in model.pipe_names if name in STATISTICAL_COMPONENTS]
    print(
        f"corpus: {corpus} ({len(records)} articles, {corpus.stat().st_size / 1e6:.1f} MB, "
        f"{characters:,} characters); pipeline {DEFAULT_MODEL.name}: "
        f"{', '.join(model.pipe_names)} (statistical: {', '.join(statistical) or 'none yet'})"
    )
    print(f"machine: {os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.2f}")

    jieba_rate = rate(characters, jieba_alone(texts))
    rows: list[tuple[str, float, str]] = [("jieba.lcut alone (reference)", jieba_rate, "")]
    cnn_rate = rate(characters, cnn_ner(texts))
    rows.append(("spaCy CNN NER alone (efficiency, zhfacts tokenizer)", cnn_rate, ""))
    for stage, seconds in stages(documents).items():
        rows.append((f"stage {stage}", rate(characters, seconds), ""))
    runs: dict[tuple[bool, int], float] = {}
    for fast in (True, False):
        for workers in (1, 2):
            seconds, peak = end_to_end(corpus, folder / "out.jsonl", workers, fast)
            runs[fast, workers] = seconds
            tier = "--fast" if fast else "full"
            rows.append(
                (f"end to end {tier}, {workers} worker(s)", rate(characters, seconds), f"{peak} MB")
            )
    four_seconds, four_peak = end_to_end(
        folder / "corpus4x.jsonl", folder / "out4x.jsonl", workers=2, fast=False
    )
    cold = cold_start(folder)
    mismatches = segmentation_mismatches(texts)

    print(f"\n{'measure':<56} {'chars/s':>12} {'x jieba':>8}  peak RSS")
    for name, speed, peak_rss in rows:
        print(f"{name:<56} {speed:>12,.0f} {speed / jieba_rate:>8.2f}  {peak_rss}")
    fast_one = rate(characters, runs[True, 1])
    full_one = rate(characters, runs[False, 1])
    print(
        f"\n--fast, 1 worker / jieba alone:        {fast_one / jieba_rate:.2f}  (target >= 0.50)\n"
        f"full, 1 worker / CNN NER alone:        {full_one / cnn_rate:.2f}  (target >= 2)\n"
        f"2 workers / 1 worker:                  --fast {runs[True, 1] / runs[True, 2]:.2f}, "
        f"full {runs[False, 1] / runs[False, 2]:.2f}  (target >= 1.7)\n"
        f"4x corpus / 1x corpus (full, 2 workers): {four_seconds / runs[False, 2]:.2f}"
        f"  (target 3.6-4.4; peak RSS {four_peak} MB)\n"
        f"cold start, one article:               {', '.join(f'{s:.2f}' for s in cold)} s, "
        f"median {statistics.median(cold):.2f} s (target <= 3)\n"
        f"segmentation identical to jieba:       {len(texts) - mismatches}/{len(texts)} articles\n"
        f"load average at end:                   {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
