import gzip
import json

from pipeline.ingest import decode, iter_documents
from pipeline.types import Document, Problem


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


def test_decode_reads_bom_utf8_and_big5():
    assert decode("\ufeff輝達".encode()) == ("輝達", "utf-8-sig")
    text = "輝達執行長黃仁勳今天在台北宣布，公司將擴大在台灣的投資。" * 3
    decoded, encoding = decode(text.encode("big5"))
    assert decoded == text
    assert encoding.lower().startswith("big5") or encoding.lower() == "cp950"
