import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline import ingest
from pipeline.ingest import decode, iter_documents
from pipeline.types import Document, Problem

NEWS = "輝達執行長黃仁勳今天在台北宣布，公司將擴大在台灣的投資，並與台積電合作。"
HK_NEWS = "港府今日宣佈，行政長官李家超將出席會議，討論粵港澳大灣區發展，啲嘢好掂。"
SIMPLIFIED_NEWS = "英伟达首席执行官黄仁勋今天表示，公司将扩大在中国的投资。"


def _write_jsonl(path, records, compress=False):
    data = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
    path.write_bytes(gzip.compress(data) if compress else data)


def test_folder_is_walked_in_sorted_order_with_relative_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("台積電宣布擴產。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("華為發布新晶片。", encoding="utf-8")
    ids = [record.doc_id for record in iter_documents([tmp_path])]
    assert ids == ["a.txt", "b/two.txt"]


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("新聞內容。", encoding="utf-8")
    (document,) = iter_documents([path])
    assert document.doc_id == "news.txt"
    assert document.format == "txt"


def test_jsonl_uses_id_else_path_and_line(tmp_path):
    path = tmp_path / "batch.jsonl.gz"
    _write_jsonl(
        path,
        [{"id": "x1", "text": "第一篇", "date": "2025-01-02", "title": "標題"}, {"text": "第二篇"}],
        compress=True,
    )
    first, second = iter_documents([path])
    assert (first.doc_id, first.date, first.title) == ("x1", "2025-01-02", "標題")
    assert second.doc_id == "batch.jsonl.gz#2"


def test_bad_jsonl_lines_fail_alone_with_their_line_number(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "好的"}\n{not json\n{"title": "no text"}\n{"text": "也好"}\n', encoding="utf-8"
    )
    records = list(iter_documents([path]))
    assert [type(record) for record in records] == [Document, Problem, Problem, Document]
    assert "line 2" in records[1].error and records[1].status == "failed"
    assert "'text'" in records[2].error


def test_missing_path_fails_and_unsupported_file_is_skipped(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    missing, skipped = iter_documents([tmp_path / "nope", tmp_path])
    assert missing.status == "failed" and "no such file" in missing.error
    assert skipped.status == "skipped" and "unsupported" in skipped.error


def test_empty_file_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (record,) = iter_documents([tmp_path])
    assert record.status == "skipped" and record.error == "empty document"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (NEWS, "utf-8", "utf-8"),
        (NEWS, "utf-8-sig", "utf-8-sig"),
        (NEWS, "utf-16", "utf-16"),
        (NEWS, "utf-16-be", None),  # written with an explicit BOM below
        (SIMPLIFIED_NEWS, "gb18030", "gb18030"),
        (SIMPLIFIED_NEWS, "gbk", "gb18030"),
        (NEWS, "big5", "big5"),
        (HK_NEWS, "big5hkscs", "big5hkscs"),
    ],
)
def test_encodings_are_detected_and_recorded(tmp_path, text, encoding, expected):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
        expected = "utf-16"
    (tmp_path / "a.txt").write_bytes(data)
    (document,) = iter_documents([tmp_path / "a.txt"])
    assert document.text == text
    assert document.encoding == expected
    assert document.warnings == ()


def test_a_few_undecodable_bytes_are_replaced_and_flagged():
    data = NEWS.encode()
    text, encoding, warnings = decode(data[:9] + b"\xff" + data[9:])
    assert encoding == "utf-8"
    assert text.count("\ufffd") == 1 and text.replace("\ufffd", "") == NEWS
    assert warnings == ("1 undecodable byte sequence(s) replaced with U+FFFD",)


def test_bytes_no_encoding_explains_fail_with_a_clear_error(tmp_path):
    noise = bytes((index * 151 + 7) % 128 + 128 for index in range(3000))
    (tmp_path / "noise.txt").write_bytes(noise)
    (problem,) = iter_documents([tmp_path / "noise.txt"])
    assert problem.status == "failed"
    assert "convert the file to UTF-8" in problem.error


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"PK\x03\x04" + bytes(100), "zip"),
        (b"ab\x00\x00cd", "NUL"),
    ],
)
def test_binary_content_is_skipped_with_its_kind(tmp_path, data, kind):
    (tmp_path / "page.html").write_bytes(data)
    (problem,) = iter_documents([tmp_path / "page.html"])
    assert problem.status == "skipped" and kind in problem.error


def test_whitespace_only_file_is_skipped(tmp_path):
    (tmp_path / "blank.txt").write_text(" \u3000\n\t\n", encoding="utf-8")
    (problem,) = iter_documents([tmp_path])
    assert problem.error == "empty document"


def test_symlink_loops_fail_alone_and_do_not_hang_the_walk(tmp_path):
    (tmp_path / "ok.txt").write_text(NEWS, encoding="utf-8")
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path, tmp_path / "loop")
    records = list(iter_documents([tmp_path]))
    assert [record.doc_id for record in records] == ["a.txt", "b.txt", "ok.txt"]
    assert [type(record) for record in records] == [Problem, Problem, Document]
    assert "symbolic links" in records[0].error


def test_unreadable_file_fails_with_the_reason(tmp_path):
    folder = Path(tempfile.mkdtemp())
    try:
        os.chmod(folder, 0o755)
        secret = folder / "secret.txt"
        secret.write_text(NEWS, encoding="utf-8")
        os.chmod(secret, 0o000)
        # Root reads anything, so read as an unprivileged user when the tests run as root.
        code = (
            "import os, sys; from pipeline.ingest import iter_documents;"
            "os.geteuid() == 0 and os.setuid(65534);"
            f"print(next(iter(iter_documents([{str(secret)!r}]))).error)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "Permission denied" in result.stdout
    finally:
        os.chmod(folder / "secret.txt", 0o600)
        (folder / "secret.txt").unlink()
        folder.rmdir()


def test_a_folder_of_ten_thousand_small_files_streams_in_order(tmp_path):
    for index in range(10_000):
        (tmp_path / f"{index:05d}.txt").write_text(f"第{index}篇：騰訊公布財報。", encoding="utf-8")
    documents = iter_documents([tmp_path])
    first = next(documents)
    assert first.doc_id == "00000.txt"  # the walk yields before reading the rest
    rest = [document.doc_id for document in documents]
    assert len(rest) == 9_999 and rest[-1] == "09999.txt"


def test_non_string_text_and_lone_surrogates_in_jsonl(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id": 7, "text": 5}\n{"id": "s", "text": "輝達\\ud800晶片\\u0000"}\n', encoding="utf-8"
    )
    number, surrogate = iter_documents([path])
    assert number.status == "failed" and number.doc_id == "7"
    assert surrogate.text == "輝達\ufffd晶片\x00"
    assert surrogate.warnings == ("1 lone surrogate(s) replaced with U+FFFD",)


def test_truncated_last_line_fails_alone(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"text": "第一篇"}\n{"text": "第二', encoding="utf-8")
    first, cut = iter_documents([path])
    assert first.text == "第一篇"
    assert cut.status == "failed" and "line 2" in cut.error


def test_gzip_stream_that_ends_early_keeps_the_lines_before(tmp_path):
    lines = "".join(
        json.dumps({"text": f"第{i}篇新聞"}, ensure_ascii=False) + "\n" for i in range(200)
    )
    data = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    records = list(iter_documents([tmp_path / "cut.jsonl.gz"]))
    assert all(isinstance(record, Document) for record in records[:-1]) and len(records) > 2
    assert records[-1].status == "failed" and "reading stopped after line" in records[-1].error


def test_gzip_bomb_is_stopped_at_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (3 * 1024 * 1024)))
    (tmp_path / "bomb.jsonl.gz").write_bytes(
        gzip.compress(b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}\n{"text": "ok"}\n')
    )
    records = list(iter_documents([tmp_path]))
    assert records[0].status == "failed" and "line 1 is longer than" in records[0].error
    assert records[1].text == "ok"
    assert records[2].status == "failed" and "gzip bomb" in records[2].error


@pytest.mark.parametrize(
    ("declared", "encoding"), [("utf-8", "gb18030"), ("big5", "utf-8"), ("gbk", "big5")]
)
def test_a_wrong_charset_declaration_in_html_is_not_believed(tmp_path, declared, encoding):
    page = f'<html><head><meta charset="{declared}"></head><body><p>{NEWS * 3}</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode(encoding))
    (document,) = iter_documents([tmp_path / "page.html"])
    assert NEWS in document.text
