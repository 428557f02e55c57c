"""Read inputs (files or folders of text, HTML and JSON Lines, optionally gzipped) as Documents.

Every input ends up as a Document or as a Problem (skipped with a reason, or failed with an
error), in a stable order: the inputs in the order given, folders walked in sorted order.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from .errors import InputError
from .types import Document, Problem

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def iter_documents(inputs: Iterable[str | Path]) -> Iterator[Document | Problem]:
    """Yield a Document or a Problem for every article found in `inputs`."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, root=path)
        elif path.is_file():
            yield from read_file(path, root=path.parent)
        else:
            yield Problem(
                "failed", str(given), str(given), "no such file or folder; check the path"
            )


def _walk(root: Path) -> Iterator[Path]:
    # Symlinked folders are not followed, so a link loop cannot make the walk endless.
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders.sort()
        for name in sorted(files):
            yield Path(folder) / name


def file_format(path: Path) -> str | None:
    """The format of a file from its name (``.gz`` is looked through), or None if unsupported."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1])


def read_file(path: Path, root: Path) -> Iterator[Document | Problem]:
    """Yield the documents of one file; `root` makes the relative path used as document id."""
    relative = path.relative_to(root).as_posix()
    kind = file_format(path)
    if kind is None:
        supported = ", ".join(sorted(FORMATS))
        yield Problem(
            "skipped",
            relative,
            str(path),
            f"unsupported file type (reads {supported}, also gzipped)",
        )
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, relative)
        return
    try:
        text, encoding = decode(_read_bytes(path))
    except (OSError, EOFError, InputError) as error:
        yield Problem("failed", relative, str(path), _describe(error))
        return
    if not text.strip():
        yield Problem("skipped", relative, str(path), "empty document")
        return
    yield Document(doc_id=relative, text=text, source=str(path), format=kind, encoding=encoding)  # type: ignore[arg-type]


def _read_bytes(path: Path) -> bytes:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            return stream.read()
    return path.read_bytes()


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: a BOM first, then UTF-8, then the best detected encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding; convert the file to UTF-8")
    return str(best), best.encoding


def _read_jsonl(path: Path, relative: str) -> Iterator[Document | Problem]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    line_number = 0
    try:
        with opener(path, "rb") as stream:
            for line_number, line in enumerate(stream, start=1):
                if line.strip():
                    yield _jsonl_record(line, path, relative, line_number)
    except (OSError, EOFError) as error:
        where = f"{relative}#{line_number + 1}"
        yield Problem(
            "failed",
            where,
            str(path),
            f"reading stopped after line {line_number}: {_describe(error)}",
        )


def _jsonl_record(line: bytes, path: Path, relative: str, line_number: int) -> Document | Problem:
    fallback_id = f"{relative}#{line_number}"
    source = f"{path}:{line_number}"
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return Problem(
            "failed", fallback_id, source, f"line {line_number} is not valid JSON: {error}"
        )
    if not isinstance(record, dict):
        return Problem("failed", fallback_id, source, f"line {line_number} is not a JSON object")
    doc_id = str(record["id"]) if record.get("id") not in (None, "") else fallback_id
    text = record.get("text")
    if not isinstance(text, str):
        return Problem("failed", doc_id, source, f"line {line_number} has no string field 'text'")
    if not text.strip():
        return Problem("skipped", doc_id, source, "empty document")
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        format="jsonl",
        title=_optional_string(record, "title"),
        date=_optional_string(record, "date"),
        url=_optional_string(record, "url"),
        encoding="utf-8",
    )


def _optional_string(record: dict, key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) and value else None


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror} ({error.filename})" if error.filename else error.strerror
    return str(error) or type(error).__name__
