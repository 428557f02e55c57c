"""`make bench`: throughput, scaling, memory and cold start of zhfacts, with two references.

    .venv/bin/python bench/bench.py [--megabytes 5.2] [--folder build/bench]

Builds a corpus of news-like text (consecutive sentences of the MSRA news corpus, People's Daily,
from ../shared/data/ner, then CLUENER's if more is needed, grouped into articles of about 2,000
characters, one in four turned into traditional characters; the repository's sample page
repeated when those are absent) and measures, in one run:
jieba.lcut alone (the reference); spaCy's standard CNN NER (`spacy init config --lang zh
--pipeline ner --optimize efficiency`, initialised, not trained: its speed does not depend on
training) alone with zhfacts' tokenizer, with thinc's default ops (blis) and multiplying through
numpy as zhfacts does; each zhfacts stage; `zhfacts extract` end to end for
both tiers with 1 and 2 workers (peak RSS of the largest process); a 4x corpus against the 1x
corpus (the 1x articles, then new ones while ../shared has distinct sentences, about 9 MB of
them, then the same sentences again: words seen before cost less, as their features are
cached, so the repeated part favours the 4x run a little); and the cold
start of `zhfacts extract` on one article. Every figure is in characters of input text per
second, by the wall clock and by CPU time (user + system of every process of
the run), which is the steadier figure on a machine shared with other jobs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import opencc
import spacy
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from pipeline.article import extract_article
from pipeline.convert import detect_script
from pipeline.extract import BATCH_SIZE, Extractor
from pipeline.facts import Sentences, attach_values, extract_facts
from pipeline.ingest import iter_documents
from pipeline.link import link_entities
from pipeline.nertrain import standard_ner
from pipeline.types import DEFAULT_MODEL, STATISTICAL_COMPONENTS, Document, Options
from pipeline.values import article_date
from pipeline.write import document_record, to_json_line

ROOT = Path(__file__).resolve().parent.parent
NER_DATA = ROOT.parent / "shared" / "data" / "ner"
NEWS_FILES = ("msra/train.jsonl", "msra/test.jsonl", "cluener/train.jsonl", "cluener/dev.jsonl")
SAMPLE = ROOT / "corpus" / "raw" / "worldjournal-2025-11-05-ai-chip-power-subsidy.txt"
ARTICLE_CHARS = 2000
PARAGRAPH_SENTENCES = 3
TRADITIONAL_EVERY = 4
ZHFACTS = [sys.executable, "-m", "pipeline.cli", "extract"]
# Runs a command; prints the peak RSS (KiB) of the largest process of its tree and its CPU time.
RUSAGE = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime); sys.exit(code)"
)


def news_sentences() -> Iterator[str]:
    """Sentences of news in reading order, each once, then again from the first when they run
    out; the sample page's lines when the data is absent."""
    files = [NER_DATA / name for name in NEWS_FILES if (NER_DATA / name).exists()]
    while True:
        if not files:
            yield from (line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line)
        for file in files:
            with file.open(encoding="utf-8") as stream:
                for line in stream:
                    yield json.loads(line)["text"]


def build_corpus(path: Path, megabytes: float) -> list[dict[str, str]]:
    """Write a JSON Lines corpus of at least `megabytes` MB of articles; return its records.

    A larger corpus starts with the articles of a smaller one and goes on with new sentences
    while there are any."""
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


@dataclass
class Timing:
    """Wall-clock and CPU seconds (user + system, of every process that took part)."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, other: Timing) -> None:
        self.wall += other.wall
        self.cpu += other.cpu


def timed(function: Callable[[], Any]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def jieba_alone(texts: list[str]) -> Timing:
    """Time of jieba.lcut over every text (dictionary loaded beforehand)."""
    jieba.initialize()
    return timed(lambda: [jieba.lcut(text) for text in texts])


def segmentation_mismatches(texts: list[str]) -> int:
    """Texts that zhfacts' tokenizer cuts differently from jieba with the same user words."""
    tokenizer = spacy.load(DEFAULT_MODEL, exclude=["*"]).tokenizer
    reference = jieba.Tokenizer()
    for word, frequency in tokenizer.user_words.items():
        reference.add_word(word, frequency)
    return sum(reference.lcut(text) != list(tokenizer.cut(text)) for text in texts)


def cnn_ner(texts: list[str], use_blis: bool = True) -> Timing:
    """Time of spaCy's standard efficiency CNN NER over every text, zhfacts' tokenizer; with
    thinc's default blis, or multiplying through numpy as zhfacts' own pipeline does."""
    with use_ops("numpy", use_blis=use_blis):
        nlp = standard_ner(DEFAULT_MODEL / "tokenizer")
    return timed(lambda: [None for _ in nlp.pipe(texts, batch_size=BATCH_SIZE)])


def stages(documents: list[Document]) -> dict[str, Timing]:
    """Time of each stage of the full pipeline in one process, in a memory zone as in a run."""
    extractor = Extractor(Options())
    extractor(documents[0])  # loads the jieba dictionary, which is not a stage
    nlp = extractor.nlp
    times: dict[str, Timing] = {}

    def run(stage: str, function: Callable[..., Any], *args: Any) -> Any:
        result = None

        def call() -> None:
            nonlocal result
            result = function(*args)

        times.setdefault(stage, Timing()).add(timed(call))
        return result

    with nlp.memory_zone():
        for document in documents:
            article = run("article", extract_article, document, extractor.cleaner)
            converted = run("convert", extractor.converter, article.text)
            doc = run("tokenizer", nlp.tokenizer, converted.text)
            for name, component in nlp.pipeline:
                doc = run(name, component, doc)

            def to_original(start: int, end: int, article=article, converted=converted):
                return article.offsets.span(*converted.offsets.span(start, end))

            knowledge = extractor.knowledge
            script = run("record", detect_script, article.text)
            entities = run(
                "link", link_entities, doc, knowledge, document.text, to_original, script
            )
            sentences = Sentences(converted.text, document.text, to_original)
            facts = run("facts", extract_facts, doc, entities, knowledge, sentences)
            found = run("values", extractor.values, converted.text, article_date(article.date))
            values = run("values", attach_values, doc, found, entities, sentences)
            record = run("record", document_record, article, script, entities, facts, values)
            run("json", to_json_line, record)
    return times


def end_to_end(corpus: Path, output: Path, workers: int, fast: bool) -> tuple[Timing, int]:
    """Time of `zhfacts extract` on the corpus, and the peak RSS (MB) of its largest process."""
    command = [*ZHFACTS, str(corpus), "-o", str(output), "--workers", str(workers)]
    command += ["--fast"] if fast else []
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUSAGE, *command], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr}")
    peak, cpu = result.stdout.split()[-2:]
    return Timing(wall, float(cpu)), int(peak) // 1024


def cold_start(folder: Path, runs: int = 3) -> list[Timing]:
    """Time of `zhfacts extract` on the sample article, each in a fresh process."""
    return [
        end_to_end(SAMPLE, folder / "cold.jsonl", workers=1, fast=False)[0] for _ in range(runs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.2, help="corpus size (UTF-8)")
    parser.add_argument("--folder", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args()
    threadpool_limits(1, user_api="blas")  # one core per measure here, as in each worker
    folder: Path = args.folder
    corpus = folder / "corpus.jsonl"
    records = build_corpus(corpus, args.megabytes)
    build_corpus(folder / "corpus4x.jsonl", 4 * args.megabytes)
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

    rows: list[tuple[str, Timing, str]] = [("jieba.lcut alone (reference)", jieba_alone(texts), "")]
    rows.append(("spaCy CNN NER alone (efficiency, zhfacts tokenizer)", cnn_ner(texts), ""))
    label = "spaCy CNN NER alone, numpy matmul as in zhfacts"
    rows.append((label, cnn_ner(texts, use_blis=False), ""))
    rows += [(f"stage {stage}", timing, "") for stage, timing in stages(documents).items()]
    runs: dict[tuple[bool, int], Timing] = {}
    for fast in (True, False):
        for workers in (1, 2):
            runs[fast, workers], peak = end_to_end(corpus, folder / "out.jsonl", workers, fast)
            tier = "--fast" if fast else "full"
            rows.append(
                (f"end to end {tier}, {workers} worker(s)", runs[fast, workers], f"{peak} MB")
            )
    four, four_peak = end_to_end(folder / "corpus4x.jsonl", folder / "out4x.jsonl", 2, False)
    cold = cold_start(folder)
    mismatches = segmentation_mismatches(texts)

    jieba_time, cnn_time, cnn_numpy_time = rows[0][1], rows[1][1], rows[2][1]
    print(f"\n{'measure':<52} {'wall c/s':>10} {'x jieba':>7} {'CPU c/s':>10} {'x jieba':>7}  RSS")
    for name, timing, peak_rss in rows:
        print(
            f"{name:<52} {characters / timing.wall:>10,.0f} {jieba_time.wall / timing.wall:>7.2f} "
            f"{characters / timing.cpu:>10,.0f} {jieba_time.cpu / timing.cpu:>7.2f}  {peak_rss}"
        )
    ratios = [
        ("--fast, 1 worker / jieba alone", jieba_time, runs[True, 1], ">= 0.50"),
        ("full, 1 worker / CNN NER alone", cnn_time, runs[False, 1], ">= 2"),
        ("full, 1 worker / CNN NER, numpy matmul", cnn_numpy_time, runs[False, 1], "(same ops)"),
        ("--fast, 2 workers / 1 worker", runs[True, 1], runs[True, 2], ">= 1.7"),
        ("full, 2 workers / 1 worker", runs[False, 1], runs[False, 2], ">= 1.7"),
    ]
    # CPU time is what each run cost, whatever else the machine was doing; on a shared machine
    # it is the steadier figure (for 2 workers it shows the cost of the second, not the speed-up).
    print(f"\n{'speed ratio':<44} {'wall':>6} {'CPU':>6}  target")
    for label, slow, fast, target in ratios:
        print(f"{label:<44} {slow.wall / fast.wall:>6.2f} {slow.cpu / fast.cpu:>6.2f}  {target}")
    one = runs[False, 2]
    label = "4x corpus time / 1x (full, 2 workers)"
    print(f"{label:<44} {four.wall / one.wall:>6.2f} {four.cpu / one.cpu:>6.2f}  3.6-4.4")
    walls = sorted(timing.wall for timing in cold)
    # The start-up (imports, pipeline, jieba's dictionary) is paid once by either run; taken off
    # both, the ratio shows how the work itself grows with the corpus (for information only).
    startup = statistics.median(walls)
    label = "  the same, less the cold start from each"
    print(f"{label:<44} {(four.wall - startup) / (one.wall - startup):>6.2f}")
    print(
        f"4x corpus peak RSS: {four_peak} MB\n"
        f"cold start, one article: {', '.join(f'{wall:.2f}' for wall in walls)} s wall, "
        f"median CPU {statistics.median(timing.cpu for timing in cold):.2f} s (target <= 3 s)\n"
        f"segmentation identical to jieba: {len(texts) - mismatches}/{len(texts)} articles\n"
        f"load average at end: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
