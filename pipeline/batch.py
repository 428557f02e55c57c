"""Run extraction over a corpus: streaming, in parallel, resumable, on one machine or on Dask.

Inputs are read as a stream and cut into chunks of consecutive documents. Each chunk goes
through `extract_chunk` (in this process, in worker processes or on Dask workers: the same
function everywhere) and comes back as finished output lines. Chunks are written in input order,
with at most a few chunks per worker in flight, so memory stays bounded on any corpus and the
output does not depend on the number of workers or the engine.

After every chunk, OUT.summary.json records what is written so far and how many bytes of the
output files that is. A run that is killed loses at most the chunks in flight: `--resume` cuts
the files back to the last summary (so no half line survives) and reads on from the next input.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, BinaryIO

from threadpoolctl import threadpool_limits

from .errors import OutputError, UsageError
from .extract import Extractor
from .ingest import file_format, iter_documents, open_binary
from .types import Document, Options, Problem
from .write import to_json_line

ENGINES = ("local", "dask")
CHUNK_DOCUMENTS = 16  # small enough that the last chunks of a run keep every worker busy
CHUNK_CHARACTERS = 500_000
CHUNKS_PER_WORKER = 2  # in flight: one being worked on, one waiting


@dataclass
class Summary:
    """What a run did: counts per outcome, entities per type, facts, time."""

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    characters: int = 0
    entities: Counter = field(default_factory=Counter)
    facts: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.processed + self.skipped + self.failed

    def add(self, other: Summary) -> None:
        """Count `other`'s documents in this summary (time is kept apart)."""
        self.processed += other.processed
        self.skipped += other.skipped
        self.failed += other.failed
        self.characters += other.characters
        self.entities.update(other.entities)
        self.facts += other.facts
        self.skipped_reasons.update(other.skipped_reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs_seen": self.seen,
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": self.failed,
            "skipped_reasons": dict(sorted(self.skipped_reasons.items())),
            "characters": self.characters,
            "entities": dict(sorted(self.entities.items())),
            "facts": self.facts,
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(
            processed=data["processed"],
            skipped=data["skipped"],
            failed=data["failed"],
            characters=data["characters"],
            entities=Counter(data["entities"]),
            facts=data["facts"],
            skipped_reasons=Counter(data["skipped_reasons"]),
            seconds=data["seconds"],
        )


@dataclass
class ChunkResult:
    """A chunk of inputs, done: its lines for OUT and for OUT.errors.jsonl, and its counts."""

    output: str
    errors: str
    summary: Summary


Chunk = list[Document | Problem]


def extract_chunk(chunk: Chunk, options: Options) -> ChunkResult:
    """Extract one chunk of inputs (the unit of work of every engine)."""
    documents = [item for item in chunk if isinstance(item, Document)]
    results = iter(worker_extractor(options).pipe(documents))
    output: list[str] = []
    errors: list[str] = []
    summary = Summary()
    for item in chunk:
        result = next(results) if isinstance(item, Document) else item
        if isinstance(result, Problem):
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            if result.status == "skipped":
                summary.skipped_reasons[result.error] += 1
            errors.append(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
            continue
        output.append(to_json_line(result))
        summary.processed += 1
        summary.characters += result["article"]["end"] - result["article"]["start"]
        summary.entities.update(entity["type"] for entity in result["entities"])
        summary.facts += len(result["facts"])
    return ChunkResult("".join(output), "".join(errors), summary)


_worker = threading.local()


def worker_extractor(options: Options) -> Extractor:
    """This worker's extractor, loaded on its first chunk and kept for the later ones.

    One per thread: a Dask worker may run several threads, and a spaCy pipeline is not meant to
    be shared between threads.
    """
    extractor = getattr(_worker, "extractor", None)
    if extractor is None or extractor.options != options:
        # Workers are the parallelism: a BLAS thread pool in each would fight them for cores.
        threadpool_limits(1, user_api="blas")
        extractor = _worker.extractor = Extractor(options)
    return extractor


def chunks(records: Iterable[Document | Problem]) -> Iterator[Chunk]:
    """Consecutive inputs in chunks of at most CHUNK_DOCUMENTS and about CHUNK_CHARACTERS."""
    chunk: Chunk = []
    characters = 0
    for record in records:
        chunk.append(record)
        characters += len(record.text) if isinstance(record, Document) else 0
        if len(chunk) >= CHUNK_DOCUMENTS or characters >= CHUNK_CHARACTERS:
            yield chunk
            chunk, characters = [], 0
    if chunk:
        yield chunk


def in_order(
    submit: Callable[[Chunk], Any], work: Iterable[Chunk], window: int
) -> Iterator[ChunkResult]:
    """Submit chunks with at most `window` in flight; yield their results in input order."""
    pending: deque = deque()
    for chunk in work:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def run_local(work: Iterable[Chunk], options: Options, workers: int) -> Iterator[ChunkResult]:
    """Chunks through `workers` processes; a run of one chunk stays in this process."""
    work = iter(work)
    first = list(islice(work, 2))
    if workers == 1 or len(first) < 2:
        for chunk in chain(first, work):
            yield extract_chunk(chunk, options)
        return
    # On Linux the workers are forked from this process with the pipeline already loaded and
    # warmed up (once, shared copy-on-write, no start-up per worker); elsewhere each spawned
    # worker loads it.
    method = "fork" if sys.platform == "linux" else "spawn"
    if method == "fork":
        worker_extractor(options).warm_up()
    with ProcessPoolExecutor(workers, mp_context=get_context(method)) as pool:
        yield from in_order(
            lambda chunk: pool.submit(extract_chunk, chunk, options),
            chain(first, work),
            CHUNKS_PER_WORKER * workers,
        )


def run_dask(
    work: Iterable[Chunk], options: Options, workers: int, scheduler: str | None
) -> Iterator[ChunkResult]:
    """Chunks through a Dask cluster: the one at `scheduler`, or a LocalCluster of `workers`."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, silence_logs=40
        )
    try:
        with Client(scheduler or cluster) as client:
            size = max(1, len(client.scheduler_info()["workers"]))
            yield from in_order(
                lambda chunk: client.submit(extract_chunk, chunk, options, pure=False),
                work,
                CHUNKS_PER_WORKER * size,
            )
    finally:
        if cluster is not None:
            cluster.close()


class OutputFiles:
    """OUT (written as OUT.partial until the run ends), OUT.errors.jsonl and OUT.summary.json."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.partial = output.with_name(output.name + ".partial")
        self.errors = output.with_name(output.name + ".errors.jsonl")
        self.summary = output.with_name(output.name + ".summary.json")

    def read_summary(self) -> dict[str, Any] | None:
        if not self.summary.exists():
            return None
        return json.loads(self.summary.read_text(encoding="utf-8"))

    def write_summary(self, state: dict[str, Any]) -> None:
        """Replace the summary in one step, so a kill never leaves half of it."""
        temporary = self.summary.with_name(self.summary.name + ".tmp")
        temporary.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, self.summary)


def run_extract(
    inputs: Iterable[str | Path],
    output: Path,
    options: Options,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
) -> Summary:
    """Extract every input into `output` (JSON Lines); problems go to OUTPUT.errors.jsonl.

    Writes OUTPUT.summary.json as it goes; `resume` goes on from the summary of an earlier,
    interrupted run with the same inputs and options.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give the path of the output file")
    paths = [str(given) for given in inputs]
    files = OutputFiles(output)
    run = _describe(paths, options)
    earlier = _earlier(files, run) if resume else None
    if earlier is not None and earlier["finished"]:
        return Summary.from_dict(earlier)
    summary = Summary.from_dict(earlier) if earlier is not None else Summary()
    written = earlier["written"] if earlier is not None else {"output": 0, "errors": 0}
    started = time.perf_counter() - summary.seconds

    def save(finished: bool) -> None:
        summary.seconds = time.perf_counter() - started
        files.write_summary({"finished": finished, **run, **summary.as_dict(), "written": written})

    with (
        _writing(output),
        _reopen(files.partial, written["output"]) as out,
        _reopen(files.errors, written["errors"]) as errors,
        _progress(paths, summary, progress) as bar,
    ):
        work = chunks(islice(iter_documents(paths), summary.seen, None))
        if engine == "dask":
            results = run_dask(work, options, workers, scheduler)
        else:
            results = run_local(work, options, workers)
        for result in results:
            out.write(result.output.encode("utf-8"))
            errors.write(result.errors.encode("utf-8"))
            out.flush()
            errors.flush()
            written = {"output": out.tell(), "errors": errors.tell()}
            summary.add(result.summary)
            save(finished=False)
            bar.update(result.summary)
    with _writing(output):
        files.partial.replace(output)
        if summary.skipped + summary.failed == 0:
            files.errors.unlink()
        save(finished=True)
    return summary


@contextmanager
def _writing(output: Path) -> Iterator[None]:
    """Make the output folder; turn a failed write (no permission, disk full) into an error.

    What was written up to the last summary stays valid, for --resume.
    """
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as error:
        where = error.filename or output
        raise OutputError(
            f"cannot write {where}: {error.strerror or error}; free some space or choose an "
            "output folder you can write to (--resume goes on from the last checkpoint)"
        ) from error


def _describe(paths: list[str], options: Options) -> dict[str, Any]:
    """What makes two runs the same run: the inputs and the options."""
    return {
        "inputs": [str(Path(path).resolve()) for path in paths],
        "options": {
            "model": str(Path(options.model).resolve()),
            "conversion": options.conversion,
            "fast": options.fast,
        },
    }


def _earlier(files: OutputFiles, run: dict[str, Any]) -> dict[str, Any] | None:
    """The summary of the earlier run to resume, or None to start from the beginning."""
    earlier = files.read_summary()
    if earlier is None:
        return None
    if {key: earlier[key] for key in run} != run:
        raise UsageError(
            f"{files.summary} is from a run with other inputs or options; "
            "run without --resume to start again"
        )
    if not earlier["finished"] and files.output.exists() and not files.partial.exists():
        files.output.replace(files.partial)  # killed after the last rename, before the summary
    return earlier


def _reopen(path: Path, size: int) -> BinaryIO:
    """Open for appending after the first `size` bytes: what a run wrote past its summary goes."""
    if size == 0:
        return path.open("wb")
    if not path.exists() or path.stat().st_size < size:
        raise UsageError(f"cannot resume: {path} is missing or shorter than its summary says")
    os.truncate(path, size)
    return path.open("ab")


class _Progress:
    """A progress bar on stderr: documents/s, characters/s and, once inputs are counted, ETA."""

    def __init__(self, inputs: list[str], summary: Summary) -> None:
        from tqdm import tqdm

        self.summary = summary
        self.started = time.perf_counter()
        self.first_characters = summary.characters
        self.bar = tqdm(initial=summary.seen, unit="doc", dynamic_ncols=True, smoothing=0.1)
        self.inputs = inputs
        self.total: int | None = None
        self.counting: threading.Thread | None = None

    def _count(self, inputs: list[str]) -> None:
        self.total = count_inputs(inputs)  # read by update(): the bar is only touched there

    def update(self, done: Summary) -> None:
        if self.counting is None:
            # Started once the first chunk is done, after any worker process is forked.
            self.counting = threading.Thread(target=self._count, args=(self.inputs,), daemon=True)
            self.counting.start()
        if self.total is not None and self.bar.total is None:
            self.bar.total = max(self.total, self.summary.seen)
        characters = self.summary.characters - self.first_characters
        rate = characters / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{rate:,.0f} chars/s", refresh=False)
        self.bar.update(done.seen)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.total = self.summary.seen  # the count may not be back yet
        self.bar.close()


class _Quiet:
    def update(self, done: Summary) -> None:
        pass

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


def _progress(inputs: list[str], summary: Summary, shown: bool) -> _Progress | _Quiet:
    return _Progress(inputs, summary) if shown else _Quiet()


def count_inputs(inputs: Iterable[str | Path]) -> int:
    """About how many inputs a run will see: one per file, one per line of JSON Lines files."""
    total = 0
    for given in inputs:
        path = Path(given)
        files = (
            (Path(folder) / name for folder, _, names in os.walk(path) for name in names)
            if path.is_dir()
            else [path]
        )
        for file in files:
            total += _count_lines(file) if file_format(file) == "jsonl" else 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with open_binary(path) as stream:
            return sum(1 for line in stream if line.strip())
    except (OSError, EOFError):
        return 1
