"""Train the statistical NER from the span-format NER data sets (`make train`).

    python -m pipeline.nertrain --data ../shared/data/ner --output models/training

Steps: the CLUENER2020 train split (less 800 sentences held out to pick the best checkpoint) is
tokenized with the shipped jieba tokenizer and written as spaCy DocBins with BILUO tags; spaCy
trains `tok2vec` and `ner_tagger` from models/configs/ner.cfg; the best checkpoint's components
then replace those in models/zh_news. CLUENER dev is never read here: it is the evaluation set
(`zhfacts eval`). `--speed` only measures chars/s against spaCy's standard CNN NER.

Gold spans that do not fall on jieba token boundaries are marked missing, not outside, so the
model is neither taught a wrong boundary nor punished for the span it cannot produce.
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import EntityRecognizer, TrainablePipe
from spacy.tokens import Doc, DocBin, Span
from spacy.training import offsets_to_biluo_tags
from spacy.util import registry

from . import ner, segment, tag  # noqa: F401  (registers the tokenizer, layers and components)
from .evaluate import read_jsonl
from .ner_features import GAZETTEER
from .types import ENTITY_TYPES, STATISTICAL_COMPONENTS

CONFIG = Path(__file__).resolve().parent.parent / "models" / "configs" / "ner.cfg"
HELD_OUT = 800  # CLUENER train sentences kept aside to choose the best checkpoint


def gold_doc(nlp: Language, record: dict) -> tuple[Doc, int]:
    """A tokenized doc with the record's spans as entities; also how many spans were missing."""
    doc = nlp.make_doc(record["text"])
    entities: list[Span] = []
    unknown: set[int] = set()
    for span in record["spans"]:
        aligned = doc.char_span(span["start"], span["end"], label=span["label"])
        if aligned is not None:
            entities.append(aligned)
        else:
            expanded = doc.char_span(span["start"], span["end"], alignment_mode="expand")
            if expanded is not None:
                unknown.update(range(expanded.start, expanded.end))
    entities = [span for span in entities if unknown.isdisjoint(range(span.start, span.end))]
    entities = spacy.util.filter_spans(entities)
    doc.ents = entities
    # The model is a tagger over BILUO tags; an empty tag is a missing value in spaCy's tagger.
    offsets = [(ent.start_char, ent.end_char, ent.label_) for ent in entities]
    for index, biluo in enumerate(offsets_to_biluo_tags(doc, offsets)):
        doc[index].tag_ = "" if index in unknown else biluo
    return doc, len(record["spans"]) - len(entities)


def write_docbin(nlp: Language, records: Iterable[dict], path: Path) -> dict[str, int]:
    """Tokenize `records` into a DocBin at `path`; returns sentence and span counts."""
    docs = DocBin(store_user_data=False)
    counts = {"sentences": 0, "spans": 0, "missing": 0}
    for record in records:
        doc, missing = gold_doc(nlp, record)
        docs.add(doc)
        counts["sentences"] += 1
        counts["spans"] += len(record["spans"])
        counts["missing"] += missing
    path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)
    return counts


def prepare(data: Path, output: Path, model: Path) -> None:
    """Write train.spacy and heldout.spacy under `output` from CLUENER train."""
    source = data / "cluener" / "train.jsonl"
    if not source.exists():
        raise SystemExit(f"{source} not found: pass --data with the folder of the NER data sets")
    nlp = spacy.load(model, exclude=list(STATISTICAL_COMPONENTS))  # only its tokenizer is used
    records = list(read_jsonl(source))
    random.Random(0).shuffle(records)
    for name, part in (("heldout", records[:HELD_OUT]), ("train", records[HELD_OUT:])):
        counts = write_docbin(nlp, part, output / f"{name}.spacy")
        print(f"{name}: {counts}")


@registry.callbacks("zhfacts.read_as_shipped.v1")
def read_as_shipped(model: str) -> Callable[[Language], Language]:
    """`[initialize.before_init]`: the pipeline in training reads text as the shipped one at
    `model` does, with its tokenizer (the knowledge as jieba user dictionary) and gazetteer."""

    def use_shipped(nlp: Language) -> Language:
        nlp.tokenizer.from_disk(Path(model) / "tokenizer")  # type: ignore[union-attr]
        shipped = Lookups().from_disk(Path(model) / "vocab")
        if not shipped.has_table(GAZETTEER):
            raise SystemExit(f"{model} has no {GAZETTEER} table: run `make model` first")
        nlp.vocab.lookups.set_table(GAZETTEER, shipped.get_table(GAZETTEER))
        return nlp

    return use_shipped


def train(output: Path, config: Path, model: Path) -> Path:
    """Run spaCy's training; returns the folder of the best model."""
    from spacy.cli.train import train as spacy_train

    overrides = {
        "paths.train": str(output / "train.spacy"),
        "paths.dev": str(output / "heldout.spacy"),
        "paths.model": str(model),
    }
    spacy_train(config, output / "model", overrides=overrides, use_gpu=-1)
    return output / "model" / "model-best"


def install(best: Path, model: Path) -> None:
    """Put the trained components at the head of the shipped pipeline, the typing at its end."""
    trained = spacy.load(best)
    nlp = spacy.load(model)
    for name in (*STATISTICAL_COMPONENTS, ner.NATIVE_PIPE, ner.TYPES_PIPE):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    first = nlp.pipe_names[0]
    for name in trained.pipe_names:
        nlp.add_pipe(name, source=trained, before=first)
    nlp.add_pipe(ner.NATIVE_PIPE, before=first)
    nlp.add_pipe(ner.TYPES_PIPE)
    # Save beside and swap: saving a pipeline into the folder it was loaded from would let the
    # knowledge ruler clear its own files before copying them.
    staging = model.with_name(model.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    shutil.rmtree(model)
    staging.rename(model)
    print(f"saved {model} with {', '.join(nlp.pipe_names)}")


def standard_ner(tokenizer: Path) -> Language:
    """spaCy's standard CNN NER (`spacy init config --lang zh --pipeline ner --optimize
    efficiency`) with the jieba tokenizer saved at `tokenizer`: the speed reference. It is
    untrained: its speed does not depend on training."""
    from spacy.cli.init_config import init_config

    config = init_config(lang="zh", pipeline=["ner"], optimize="efficiency")
    config["nlp"]["tokenizer"] = {"@tokenizers": "zhfacts.jieba_tokenizer.v1", "hmm": True}
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.tokenizer.from_disk(tokenizer)  # type: ignore[union-attr]
    recognizer = cast(EntityRecognizer, nlp.get_pipe("ner"))
    for label in ENTITY_TYPES:
        recognizer.add_label(label)
    nlp.initialize()
    return nlp


def measure_speed(data: Path, model: Path, limit: int = 3000) -> None:
    """Print chars/s of the shipped pipeline with and without the statistical components, and
    of spaCy's standard CNN NER (`standard_ner`), on the same news sentences (MSRA test,
    CLUENER dev)."""
    import resource
    from itertools import islice

    texts = [
        record["text"]
        for name in ("msra/test.jsonl", "cluener/dev.jsonl")
        for record in islice(read_jsonl(data / name), limit)
    ]
    from threadpoolctl import threadpool_limits

    from .extract import load_pipeline

    threadpool_limits(1, user_api="blas")  # one core, as in each worker of a run
    shipped = load_pipeline(model)  # as zhfacts runs it: numpy matmul
    standard = standard_ner(model / "tokenizer")  # spaCy's defaults: blis
    runs = {
        "standard CNN NER alone (reference)": (standard, []),
        "zh_news, full pipeline": (shipped, []),
        "zh_news, without statistical components": (shipped, list(STATISTICAL_COMPONENTS)),
    }
    characters = sum(map(len, texts))
    for label, (nlp, disable) in runs.items():
        list(nlp.pipe(texts[:50], disable=disable))
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=256, disable=disable):
            pass
        rate = characters / (time.perf_counter() - started)
        print(f"{label:<42}{rate:>10.0f} chars/s")
    # The statistical components alone, on docs already tokenized, in CPU time (less noisy
    # than wall time on a shared machine); the second pass finds its feature tables warm.
    docs = [shipped.make_doc(text) for text in texts]
    for _ in range(2):
        started = time.process_time()
        for name in STATISTICAL_COMPONENTS:
            pipe = cast(TrainablePipe, shipped.get_pipe(name))
            docs = list(pipe.pipe(docs, batch_size=256))
        rate = characters / (time.process_time() - started)
    print(f"{'statistical components alone, CPU time':<42}{rate:>10.0f} chars/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(texts)} texts, {characters} chars; peak RSS of this process {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    parser.add_argument("--output", type=Path, default=Path("models/training"))
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--model", type=Path, default=Path("models/zh_news"))
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the DocBins")
    parser.add_argument("--speed", action="store_true", help="only measure chars/s, no training")
    args = parser.parse_args()
    if args.speed:
        measure_speed(args.data, args.model)
        return
    started = time.perf_counter()
    if not args.skip_prepare:
        prepare(args.data, args.output, args.model)
    best = train(args.output, args.config, args.model)
    install(best, args.model)
    print(f"trained and installed in {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
