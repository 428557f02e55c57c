import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ZHFACTS = [sys.executable, "-m", "pipeline.cli"]
ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ZHFACTS, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("command", [[], ["extract"]])
def test_help_describes_every_command(command):
    result = _run(*command, "--help")
    assert result.returncode == 0
    assert "usage: zhfacts" in result.stdout
    if command:
        assert "--output" in result.stdout and "--conversion" in result.stdout


def test_extract_end_to_end_on_a_folder(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "tw").mkdir(parents=True)
    (corpus / "tw" / "a.txt").write_text("輝達執行長黃仁勳今天抵達台北。", encoding="utf-8")
    (corpus / "b.html").write_text(
        "<html><body><article>"
        + "<p>華為發布昇騰910C晶片，寒武紀股價上漲，市場關注國產晶片發展。</p>" * 4
        + "</article></body></html>",
        encoding="utf-8",
    )
    lines = [
        {"id": "c1", "text": "美國商務部長盧特尼克表示將調查。"},
        {"id": "c2", "text": "甘肅省蘭州市"},
    ]
    (corpus / "c.jsonl.gz").write_bytes(
        gzip.compress("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode())
    )
    (corpus / "notes.md").write_text("not news", encoding="utf-8")
    output = tmp_path / "out" / "facts.jsonl"

    result = _run("extract", str(corpus), "-o", str(output))

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [record["doc_id"] for record in records] == ["b.html", "c1", "c2", "tw/a.txt"]
    assert "documents: 4 processed, 1 skipped, 0 failed" in result.stderr
    skipped = json.loads(
        (tmp_path / "out" / "facts.jsonl.errors.jsonl").read_text(encoding="utf-8")
    )
    assert skipped["doc_id"] == "notes.md" and skipped["status"] == "skipped"
    names = {entity["name"] for record in records for entity in record["entities"]}
    assert {"英伟达", "黄仁勋", "华为", "昇腾910C", "卢特尼克", "甘肃", "兰州"} <= names


def test_a_failed_input_gives_exit_code_1_and_the_rest_is_written(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("騰訊公布財報。", encoding="utf-8")
    output = tmp_path / "facts.jsonl"
    result = _run("extract", str(good), str(tmp_path / "missing.txt"), "-o", str(output))
    assert result.returncode == 1
    assert len(output.read_text(encoding="utf-8").splitlines()) == 1
    assert "1 failed" in result.stderr


def test_missing_model_is_a_usage_error_with_advice(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("騰訊公布財報。", encoding="utf-8")
    result = _run(
        "extract", str(good), "-o", str(tmp_path / "x.jsonl"), "--model", str(tmp_path / "none")
    )
    assert result.returncode == 2
    assert "make model" in result.stderr


def _article(tmp_path: Path) -> Path:
    article = tmp_path / "a.txt"
    article.write_text("騰訊公布財報，阿里巴巴股價上漲。", encoding="utf-8")
    return article


@pytest.mark.parametrize(
    "options",
    [["--workers", "0"], ["--scheduler", "tcp://127.0.0.1:8786"], ["--engine", "spark"]],
)
def test_bad_batch_options_are_usage_errors(tmp_path, options):
    result = _run("extract", str(_article(tmp_path)), "-o", str(tmp_path / "o.jsonl"), *options)
    assert result.returncode == 2
    assert "error" in result.stderr


def test_resume_into_an_output_of_other_inputs_is_a_usage_error(tmp_path):
    output = str(tmp_path / "o.jsonl")
    assert _run("extract", str(_article(tmp_path)), "-o", output).returncode == 0
    other = tmp_path / "b.txt"
    other.write_text("華為發布新晶片。", encoding="utf-8")
    result = _run("extract", str(other), "-o", output, "--resume")
    assert result.returncode == 2
    assert "without --resume" in result.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = _run("extract", str(_article(tmp_path)), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 0
    assert "doc/s" not in result.stderr and "documents: 1 processed" in result.stderr
    summary = json.loads((tmp_path / "o.jsonl.summary.json").read_text(encoding="utf-8"))
    assert summary["inputs_seen"] == 1 and summary["finished"] is True


def test_fast_tier_writes_the_same_format(tmp_path):
    article = str(_article(tmp_path))
    assert _run("extract", article, "-o", str(tmp_path / "full.jsonl")).returncode == 0
    assert _run("extract", article, "-o", str(tmp_path / "fast.jsonl"), "--fast").returncode == 0
    full = json.loads((tmp_path / "full.jsonl").read_text(encoding="utf-8"))
    fast = json.loads((tmp_path / "fast.jsonl").read_text(encoding="utf-8"))
    assert full.keys() == fast.keys() and fast["entities"]


def _one_article(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("騰訊公布財報，阿里巴巴股價上漲。", encoding="utf-8")
    return folder / "a.txt"


def test_a_full_disk_is_a_clear_error_not_a_traceback(tmp_path):
    article = _one_article(tmp_path / "in")
    output = tmp_path / "out.jsonl"
    # Every write to /dev/full fails with ENOSPC, as on a full disk.
    (tmp_path / "out.jsonl.partial").symlink_to("/dev/full")
    result = _run("extract", str(article), "-o", str(output), "--fast", "--workers", "1")
    assert result.returncode == 2
    assert "zhfacts: error: cannot write" in result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_folder_that_is_not_writable_is_a_clear_error(tmp_path):
    folder = Path(tempfile.mkdtemp())
    try:
        os.chmod(folder, 0o755)
        article = _one_article(folder / "in")
        locked = folder / "locked"
        locked.mkdir(mode=0o555)
        # Root writes anywhere, so write as an unprivileged user when the tests run as root.
        arguments = ["extract", str(article), "-o", str(locked / "out.jsonl"), "--fast"]
        code = (
            "import os, sys; import pipeline.batch; from pipeline.cli import main;"
            "os.geteuid() == 0 and os.setuid(65534);"
            f"sys.exit(main({arguments!r}))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        assert result.returncode == 2
        assert f"cannot write {locked / 'out.jsonl.partial'}: Permission denied" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        shutil.rmtree(folder)


def test_document_ids_are_never_used_as_paths(tmp_path):
    outside = tmp_path / "outside.txt"
    ids = ["../../escape.txt", str(outside), "sub/../../up.jsonl", "~/home.txt"]
    corpus = tmp_path / "work" / "corpus.jsonl"
    corpus.parent.mkdir()
    corpus.write_text(
        "".join(
            json.dumps({"id": doc_id, "text": "騰訊公布財報，華為發布新晶片。"}) + "\n"
            for doc_id in ids
        ),
        encoding="utf-8",
    )
    before = sorted(tmp_path.rglob("*"))
    out = tmp_path / "work" / "out"
    extract = _run("extract", str(corpus), "-o", str(out / "facts.jsonl"), "--fast")
    show = _run("show", str(corpus), "--html", str(out / "page.html"))
    assert extract.returncode == 0 and show.returncode == 0, extract.stderr + show.stderr
    records = [json.loads(line) for line in (out / "facts.jsonl").read_text().splitlines()]
    assert [record["doc_id"] for record in records] == ids
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert all(path == out or out in path.parents for path in created), created
    assert not outside.exists() and not (ROOT / "home.txt").exists()


def test_a_hostile_corpus_is_accounted_for_and_every_line_is_valid(tmp_path):
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "bench" / "hostile.py")
    hostile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hostile)
    inputs = hostile.make_corpus(tmp_path / "corpus", big_mb=0.1, small_files=20, line_kb=30)
    output = tmp_path / "out" / "facts.jsonl"
    code, _ = hostile.run(inputs, output, workers=1, fast=True)
    assert code == 1  # the corpus holds inputs that fail; the others are written
    assert hostile.check(inputs, output) == []
    summary = json.loads((tmp_path / "out" / "facts.jsonl.summary.json").read_text())
    assert summary["processed"] > 20 and summary["skipped"] >= 5 and summary["failed"] >= 5
