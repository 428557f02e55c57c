"""Build a corpus of hostile inputs, run `zhfacts extract` over it, and check the run.

    python bench/hostile.py [--folder /tmp/zhfacts-hostile] [--big-mb 20] [--small-files 10000]

The corpus is made here, outside the repository (every encoding, empty and binary files, a big
article, a long line with no punctuation, symlink loops, broken JSON Lines and gzip streams, a
gzip bomb, hostile HTML and text, ids that look like paths, a folder of many small files, a path
that does not exist). The checks: the run did not crash (exit 0 or 1), every input is accounted
for in OUT.summary.json (inputs_seen = processed + skipped + failed = what ingest reads), and
every output line is valid against pipeline/document.schema.json with offsets that index the
original text. Prints the figures; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import jsonschema

from pipeline.ingest import iter_documents
from pipeline.types import Document
from pipeline.write import load_schema

NEWS = "輝達執行長黃仁勳今天在台北宣布，公司將擴大在台灣的投資，並與台積電合作。"
HK_NEWS = "港府今日宣佈，行政長官李家超將出席會議，討論粵港澳大灣區發展，啲嘢好掂。"
PROSE = "市場需求持續增加，價格上漲，業界正在評估後續影響。"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + f"<html><body><p>&lol9;&xxe;{NEWS}</p></body></html>"
)


def make_corpus(
    folder: Path, big_mb: float = 20, small_files: int = 10_000, line_kb: int = 1024
) -> list[Path]:
    """Write the hostile corpus into `folder`; returns the inputs to give `zhfacts extract`."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "encodings/utf8.txt": NEWS.encode(),
        "encodings/utf8-bom.txt": codecs.BOM_UTF8 + NEWS.encode(),
        "encodings/utf16.txt": NEWS.encode("utf-16"),
        "encodings/gb18030.txt": NEWS.encode("gb18030") * 3,
        "encodings/big5.txt": NEWS.encode("big5") * 3,
        "encodings/big5hkscs.txt": HK_NEWS.encode("big5hkscs") * 3,
        "encodings/undecodable.txt": bytes(range(0x80, 0x100)) * 40,
        "encodings/stray-bytes.txt": NEWS.encode() + b"\xff\xfe\x81" + NEWS.encode(),
        "files/empty.txt": b"",
        "files/blank.txt": " \n\t\r\n\u3000".encode(),
        "files/image.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2048),
        "files/archive.zip": _zip(),
        "files/image-named-as-text.txt": b"\x89PNG\r\n\x1a\n" + os.urandom(2048),
        "files/archive-named-as-text.txt": _zip(),
        "files/notes.md": b"not news",
        "files/long-line.txt": _long_line(line_kb * 1024),
        "jsonl/broken.jsonl": _broken_jsonl(),
        "jsonl/cut.jsonl.gz": _cut_gzip(),
        "jsonl/bomb.jsonl.gz": gzip.compress(b'{"text": "' + b"a" * 65 * 2**20 + b'"}\n'),
        "files/bomb.txt.gz": gzip.compress(b"\x20" * 65 * 2**20),
        "html/billion-laughs.html": BILLION_LAUGHS.encode(),
        "html/wrong-charset.html": _page(NEWS * 3, charset="utf-8").encode("gb18030"),
        "html/scripts.html": _page(NEWS * 3, noise=2000).encode(),
        "html/no-article.html": b"<html><body><nav><a>\xe9\xa6\x96\xe9\xa0\x81</a></nav></body>",
        "html/malformed.html": f"<div><p>{NEWS}<b>昇騰910C</p></span><p>{NEWS}<i>".encode(),
        "text/mixed.txt": _mixed_text().encode(),
        "text/long-sentence.txt": ("，".join([PROSE[:-1]] * 2000) + "，" + NEWS).encode(),
    }
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    _write_big_article(folder / "files" / "big-article.txt", big_mb)
    _symlink_loops(folder / "links")
    many = folder / "many"
    many.mkdir(exist_ok=True)
    for index in range(small_files):
        (many / f"{index:05d}.txt").write_text(f"第{index}篇：騰訊公布財報。", encoding="utf-8")
    return [folder, folder / "does-not-exist.txt"]


def _zip() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("news.txt", NEWS)
    return data.getvalue()


def _long_line(size: int) -> bytes:
    """One line of `size` bytes with no punctuation at all."""
    unit = ("市場需求持續增加價格上漲業界正在評估後續影響" * 40 + "輝達執行長黃仁勳表示").encode()
    return (unit * (size // len(unit) + 1))[:size].decode(errors="ignore").encode()


def _write_big_article(path: Path, megabytes: float) -> None:
    """One article of `megabytes` MB: paragraphs of prose, a named entity now and then."""
    paragraph = (PROSE * 20 + NEWS + "\n").encode()
    count = int(megabytes * 2**20) // len(paragraph)
    with path.open("wb") as stream:
        for _ in range(count):
            stream.write(paragraph)


def _broken_jsonl() -> bytes:
    lines = [
        {"id": "good", "text": NEWS},
        "{not json",
        [1, 2, 3],
        {"id": "no-text"},
        {"id": "number-text", "text": 5},
        {"id": "../../outside.txt", "text": NEWS},
        {"id": "/etc/zhfacts-absolute", "text": NEWS},
        {"id": "nul", "text": NEWS + "\x00" + NEWS},
    ]
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    text += '{"id": "surrogate", "text": "輝達\\ud800晶片"}\n'
    text += '{"id": "truncated", "text": "第二'
    return text.encode()


def _cut_gzip() -> bytes:
    lines = "".join(json.dumps({"text": f"第{i}篇：{NEWS}"}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    return data[: len(data) // 2]


def _page(body: str, charset: str = "utf-8", noise: int = 0) -> str:
    script = "<script>var news = '熱門新聞'; fetch('http://example.com/x');</script>"
    style = "<style>.a { color: red; }</style>"
    return (
        f'<html><head><meta charset="{charset}">{style * noise}'
        '<link rel="stylesheet" href="http://example.com/a.css"></head>'
        f"<body>{script * noise}<article><p>{body}</p></article>"
        '<img src="http://example.com/p.png"></body></html>'
    )


def _mixed_text() -> str:
    return (
        "日本語のテキスト、한국어 문장, English words. "
        "👩\u200d💻🇹🇼 e\u0301 ＡＢＣ１２３ \x1b[31m \x07 𠀀𪚥 " + NEWS + "\u200b\u2028" + HK_NEWS
    )


def _symlink_loops(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for name, target in (("a.txt", "b.txt"), ("b.txt", "a.txt"), ("loop", ".")):
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(target)


def run(inputs: list[Path], output: Path, workers: int, fast: bool) -> tuple[int, float]:
    """Run `zhfacts extract`; its exit code and seconds."""
    command = [sys.executable, "-m", "pipeline.cli", "extract", *map(str, inputs)]
    command += ["-o", str(output), "--workers", str(workers), *(["--fast"] if fast else [])]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        print(result.stderr, file=sys.stderr)
    return result.returncode, seconds


def check(inputs: list[Path], output: Path) -> list[str]:
    """What is wrong with the run's output: an empty list when every check holds."""
    problems = []
    summary = json.loads(output.with_name(output.name + ".summary.json").read_text())
    read = list(iter_documents(inputs))
    counted = summary["processed"] + summary["skipped"] + summary["failed"]
    if not summary["finished"] or summary["inputs_seen"] != counted or counted != len(read):
        problems.append(f"summary does not account for the {len(read)} inputs: {summary}")
    originals = {item.source: item.text for item in read if isinstance(item, Document)}
    schema = load_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)  # checked and built once
    lines = output.read_text(encoding="utf-8").split("\n")[:-1]  # U+2028 may be in a line
    if len(lines) != summary["processed"]:
        problems.append(f"{len(lines)} output lines for {summary['processed']} processed")
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        problems += [f"line {number}: {error.message}" for error in validator.iter_errors(record)]
        problems += [f"line {number}: {bad}" for bad in _bad_offsets(record, originals)]
    return problems


def _bad_offsets(record: dict[str, Any], originals: dict[str, str]) -> list[str]:
    original = originals[record["source"]]
    spans = [mention for entity in record["entities"] for mention in entity["mentions"]]
    spans += [item["evidence"] for item in [*record["facts"], *record["values"]]]
    spans += record["values"]
    return [
        f"{span['text']!r} is not at {span['start']}:{span['end']}"
        for span in spans
        if original[span["start"] : span["end"]] != span["text"]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/zhfacts-hostile"))
    parser.add_argument("--big-mb", type=float, default=20, help="size of the big article")
    parser.add_argument("--small-files", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fast", action="store_true", help="run extract with --fast")
    args = parser.parse_args()
    corpus = args.folder / "corpus"
    inputs = make_corpus(corpus, args.big_mb, args.small_files)
    output = args.folder / "out" / "facts.jsonl"
    code, seconds = run(inputs, output, args.workers, args.fast)
    summary = json.loads(output.with_name(output.name + ".summary.json").read_text())
    problems = check(inputs, output)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"hostile corpus: {corpus} ({_size_mb(corpus):.1f} MB)\n"
        f"exit code: {code}\n"
        f"inputs seen: {summary['inputs_seen']} = {summary['processed']} processed + "
        f"{summary['skipped']} skipped + {summary['failed']} failed\n"
        f"time: {seconds:.1f} s; peak memory of one process: {peak:.0f} MB\n"
        f"checks: {'all hold' if not problems else f'{len(problems)} FAILED'}"
    )
    for problem in problems[:20]:
        print(f"  {problem}")
    return 0 if code in (0, 1) and not problems else 1


def _size_mb(folder: Path) -> float:
    files = (Path(root) / name for root, _, names in os.walk(folder) for name in names)
    return sum(path.lstat().st_size for path in files) / 2**20


if __name__ == "__main__":
    sys.exit(main())
