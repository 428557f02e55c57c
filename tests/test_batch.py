"""Batch runs: input order, workers, Dask, resume after a kill, the summary, bounded memory."""

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from pipeline import batch, extract
from pipeline.batch import chunks, count_inputs, in_order, run_extract
from pipeline.errors import UsageError
from pipeline.extract import Extractor
from pipeline.ingest import iter_documents
from pipeline.types import STATISTICAL_COMPONENTS, Document, Options

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FOLDER = ROOT / "corpus" / "raw"
SENTENCES = [
    "華為發布昇騰910C晶片，寒武紀股價上漲。",
    "美國商務部長盧特尼克表示將調查輝達H20晶片。",
    "甘肅省蘭州市的資料中心獲得電費補貼。",
    "外交部發言人毛寧在記者會上回應提問。",
    "英伟达首席执行官黄仁勋今天抵达台北。",
]


def _news(path: Path, count: int) -> Path:
    """A JSON Lines file of `count` short articles, each different."""
    lines = [
        json.dumps(
            {"id": f"n{index:03d}", "text": f"第{index}則。" + SENTENCES[index % 5] * 3},
            ensure_ascii=False,
        )
        for index in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _mixed_corpus(folder: Path) -> Path:
    """Processed, skipped and failed inputs together."""
    folder.mkdir()
    _news(folder / "a.jsonl", 7)
    (folder / "b.txt").write_text("騰訊公布財報，阿里巴巴股價上漲。", encoding="utf-8")
    (folder / "c.jsonl").write_text('{"id": "ok", "text": "華為"}\n{not json\n', encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "notes.md").write_text("not news", encoding="utf-8")
    return folder


def _files(output: Path) -> tuple[bytes, bytes]:
    errors = output.with_name(output.name + ".errors.jsonl")
    return output.read_bytes(), errors.read_bytes() if errors.exists() else b""


@pytest.fixture
def small_chunks(monkeypatch):
    """Two documents per chunk, so that tiny corpora make several chunks."""
    monkeypatch.setattr(batch, "CHUNK_DOCUMENTS", 2)


def test_output_is_identical_for_one_and_two_workers(tmp_path, small_chunks):
    corpus = _mixed_corpus(tmp_path / "corpus")
    one = run_extract([corpus, SAMPLE_FOLDER], tmp_path / "one.jsonl", Options(), workers=1)
    two = run_extract([corpus, SAMPLE_FOLDER], tmp_path / "two.jsonl", Options(), workers=2)
    assert _files(tmp_path / "one.jsonl") == _files(tmp_path / "two.jsonl")
    assert one.as_dict() | {"seconds": 0} == two.as_dict() | {"seconds": 0}


def test_dask_output_is_byte_identical_to_local(tmp_path, small_chunks):
    inputs = [SAMPLE_FOLDER, _news(tmp_path / "news.jsonl", 5)]
    run_extract(inputs, tmp_path / "local.jsonl", Options(), workers=1)
    summary = run_extract(inputs, tmp_path / "dask.jsonl", Options(), workers=2, engine="dask")
    assert summary.processed == 6
    assert _files(tmp_path / "dask.jsonl") == _files(tmp_path / "local.jsonl")


def test_the_summary_accounts_for_every_input(tmp_path):
    output = tmp_path / "out" / "facts.jsonl"
    summary = run_extract([_mixed_corpus(tmp_path / "corpus")], output, Options())
    written = json.loads(output.with_name("facts.jsonl.summary.json").read_text("utf-8"))
    problems = [
        json.loads(line)
        for line in output.with_name("facts.jsonl.errors.jsonl").read_text("utf-8").splitlines()
    ]
    assert (summary.processed, summary.skipped, summary.failed) == (9, 2, 1)
    assert written["inputs_seen"] == 12 == written["processed"] + written["skipped"] + 1
    assert written["finished"] is True
    assert len(output.read_text("utf-8").splitlines()) == written["processed"]
    assert sorted(problem["status"] for problem in problems) == ["failed", "skipped", "skipped"]
    assert written["skipped_reasons"]["empty document"] == 1
    assert written["characters"] == summary.characters > 0


def test_a_run_killed_with_sigkill_resumes_with_every_document_once(tmp_path):
    corpus = _news(tmp_path / "news.jsonl", 40)
    output = tmp_path / "facts.jsonl"
    partial = tmp_path / "facts.jsonl.partial"
    summary = tmp_path / "facts.jsonl.summary.json"
    # One document per chunk, so that the run stops between checkpoints.
    script = (
        "import sys; from pipeline import batch, cli; batch.CHUNK_DOCUMENTS = 1; "
        "sys.exit(cli.main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", script, "extract", str(corpus), "--workers", "1", "-o"]
    run = subprocess.Popen([*command, str(output)], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if summary.exists() and json.loads(summary.read_text("utf-8"))["inputs_seen"] >= 3:
            os.kill(run.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    assert run.wait() == -signal.SIGKILL
    assert not output.exists() and not json.loads(summary.read_text("utf-8"))["finished"]
    with partial.open("a", encoding="utf-8") as torn:
        torn.write('{"doc_id":"n0')  # a line cut short by the kill

    resumed = subprocess.run([*command, str(output), "--resume"], cwd=ROOT, capture_output=True)
    whole = subprocess.run([*command, str(tmp_path / "whole.jsonl")], cwd=ROOT)

    assert resumed.returncode == 0 == whole.returncode
    lines = output.read_text("utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == [f"n{i:03d}" for i in range(40)]
    assert output.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    assert json.loads(summary.read_text("utf-8"))["processed"] == 40


def test_resume_after_the_end_changes_nothing(tmp_path):
    inputs = [_news(tmp_path / "news.jsonl", 3)]
    output = tmp_path / "facts.jsonl"
    first = run_extract(inputs, output, Options())
    before = output.read_bytes()
    again = run_extract(inputs, output, Options(), resume=True)
    assert again.as_dict() == first.as_dict()
    assert output.read_bytes() == before


def test_resume_after_a_kill_between_the_last_rename_and_the_summary(tmp_path):
    inputs = [_news(tmp_path / "news.jsonl", 3)]
    output = tmp_path / "facts.jsonl"
    run_extract(inputs, output, Options())
    before = output.read_bytes()
    summary = tmp_path / "facts.jsonl.summary.json"
    state = json.loads(summary.read_text("utf-8"))
    summary.write_text(json.dumps({**state, "finished": False}), encoding="utf-8")
    again = run_extract(inputs, output, Options(), resume=True)
    assert output.read_bytes() == before
    assert again.processed == 3 and json.loads(summary.read_text("utf-8"))["finished"]


def test_resume_with_other_inputs_is_refused(tmp_path):
    output = tmp_path / "facts.jsonl"
    run_extract([_news(tmp_path / "a.jsonl", 2)], output, Options())
    with pytest.raises(UsageError, match="other inputs"):
        run_extract([_news(tmp_path / "b.jsonl", 2)], output, Options(), resume=True)


def test_chunks_are_read_lazily_from_an_endless_stream():
    endless = (Document(f"d{n}", "华为", "s", "txt") for n in range(10**12))
    first = next(chunks(endless))
    assert len(first) == batch.CHUNK_DOCUMENTS


def test_in_order_keeps_at_most_the_window_in_flight():
    taken = []

    def work():
        for number in range(20):
            taken.append(number)
            yield number

    def submit(number):
        future = Future()
        future.set_result(number)
        return future

    results = in_order(submit, work(), window=3)
    assert next(results) == 0
    assert len(taken) == 3
    assert list(results) == list(range(1, 20))


@pytest.fixture(scope="module")
def piping():
    """An extractor of its own: `pipe` keeps a memory zone open on its vocabulary."""
    return Extractor()


def test_memory_zone_keeps_the_vocabulary_bounded(monkeypatch, piping, tmp_path):
    monkeypatch.setattr(extract, "ZONE_STRINGS", 100)
    documents = list(iter_documents([_news(tmp_path / "n.jsonl", 30)]))
    loaded = len(piping.nlp.vocab.strings)  # the pipeline's own strings stay
    sizes = []
    for record in piping.pipe(documents, batch_size=2):
        assert record["entities"]
        sizes.append(len(piping.nlp.vocab.strings) - loaded)
    assert max(sizes) < 2 * 100  # a full zone plus one batch, however many documents


def test_fast_tier_leaves_out_statistical_components(extractor, tmp_path):
    (document,) = iter_documents([_news(tmp_path / "n.jsonl", 1)])
    fast = Extractor(Options(fast=True))
    assert set(STATISTICAL_COMPONENTS) <= set(extractor.nlp.pipe_names)
    assert not set(STATISTICAL_COMPONENTS) & set(fast.nlp.pipe_names)
    assert fast(document).keys() == extractor(document).keys()


def test_a_document_that_breaks_a_stage_fails_alone(piping, tmp_path):
    documents = list(iter_documents([_news(tmp_path / "n.jsonl", 3)]))
    broken = Document("broken", None, "nowhere", "txt")  # type: ignore[arg-type]
    results = list(piping.pipe([documents[0], broken, documents[1]]))
    assert [type(result).__name__ for result in results] == ["dict", "Problem", "dict"]
    assert results[1].doc_id == "broken" and results[1].status == "failed"


def test_progress_bar_shows_documents_and_characters_per_second(tmp_path, capsys):
    run_extract([_news(tmp_path / "n.jsonl", 3)], tmp_path / "o.jsonl", Options(), progress=True)
    shown = capsys.readouterr().err
    assert "doc/s" in shown and "chars/s" in shown and "3/3" in shown


def test_count_inputs_counts_files_and_json_lines(tmp_path):
    assert count_inputs([_mixed_corpus(tmp_path / "corpus")]) == 7 + 1 + 2 + 1 + 1


def test_a_worker_multiplies_on_one_blas_thread():
    # Workers are the parallelism; a BLAS pool with a thread per core in each would oversubscribe.
    script = (
        "from threadpoolctl import threadpool_info\n"
        "from pipeline.batch import worker_extractor\n"
        "from pipeline.types import Options\n"
        "worker_extractor(Options(fast=True))\n"
        "print(*[pool['num_threads'] for pool in threadpool_info() if pool['user_api'] == 'blas'])"
    )
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "4"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.split() == ["1"]
