"""Read inputs (files or folders of text, HTML and JSON Lines, optionally gzipped) as Documents.

Every input ends up as a Document or as a Problem (skipped with a reason, or failed with an
error), in a stable order: the inputs in the order given, folders walked in sorted order.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from .errors import InputError
from .types import Document, Problem

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_CHAOS = 0.3  # charset-normalizer's mess ratio above which a guess is not trusted
MAX_REPLACED_SHARE = 0.01  # UTF-8 text with a few stray bytes is repaired, not failed
MAX_REPLACED_CHARS = 10
BINARY_SNIFF_BYTES = 4096
BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG image"),
    (b"PK\x03\x04", "zip archive"),
    (b"%PDF", "PDF document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip data; name the file .gz"),
    (b"\x7fELF", "executable"),
)
# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


class BinaryInput(InputError):
    """The input is not text at all (an image, an archive): skipped, not failed."""


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
        reason = f"unsupported file type (reads {supported}, also gzipped)"
        yield Problem("skipped", relative, str(path), reason)
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, relative)
        return
    try:
        text, encoding, warnings = decode(_read_bytes(path))
    except BinaryInput as error:
        yield Problem("skipped", relative, str(path), str(error))
        return
    except (OSError, EOFError, InputError) as error:
        yield Problem("failed", relative, str(path), _describe(error))
        return
    if not text.strip():
        yield Problem("skipped", relative, str(path), "empty document")
        return
    yield Document(
        doc_id=relative,
        text=text,
        source=str(path),
        format=kind,  # type: ignore[arg-type]
        encoding=encoding,
        warnings=warnings,
    )


def open_binary(path: str | Path) -> io.BufferedIOBase:
    """Open a file for reading bytes, decompressing it when its name ends in .gz."""
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed if gzipped, refusing anything over MAX_DOCUMENT_BYTES."""
    if path.name.lower().endswith(".gz"):
        with open_binary(path) as stream:
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
    elif path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise InputError(_too_large("the file"))
    else:
        data = path.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(_too_large("decompressed, it") + " (a gzip bomb?)")
    return data


def _too_large(what: str) -> str:
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return f"{what} is larger than the {limit} MiB limit for one document; split it"


def decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes to text: a BOM first, then UTF-8, then the best detected encoding.

    Returns the text, the encoding and warnings. Binary content raises BinaryInput; bytes that
    no encoding explains raise InputError, unless they are a few stray bytes in UTF-8 text,
    which are replaced with U+FFFD and reported in a warning.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_replacement(data, encoding)
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= MAX_CHAOS:
        return str(best), best.encoding, ()
    text, encoding, warnings = _decode_with_replacement(data, "utf-8")
    replaced = text.count("\ufffd")
    if replaced <= MAX_REPLACED_CHARS or replaced <= MAX_REPLACED_SHARE * len(text):
        return text, encoding, warnings
    raise InputError("cannot tell the text encoding; convert the file to UTF-8")


def _decode_with_replacement(data: bytes, encoding: str) -> tuple[str, str, tuple[str, ...]]:
    try:
        return data.decode(encoding), encoding, ()
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        replaced = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
        return text, encoding, (f"{replaced} undecodable byte sequence(s) replaced with U+FFFD",)


def _refuse_binary(data: bytes) -> None:
    head = data[:BINARY_SNIFF_BYTES]
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise BinaryInput(f"binary content ({kind}), not text")
    if b"\x00" in head:
        raise BinaryInput("binary content (NUL bytes), not text")


def _read_jsonl(path: Path, relative: str) -> Iterator[Document | Problem]:
    line_number = 0
    try:
        with open_binary(path) as stream:
            for line_number, line in enumerate(_lines(stream), start=1):
                if line is None:
                    where = f"{relative}#{line_number}"
                    error = f"line {line_number} is longer than {MAX_DOCUMENT_BYTES} bytes; skipped"
                    yield Problem("failed", where, f"{path}:{line_number}", error)
                elif line.strip():
                    yield _jsonl_record(line, path, relative, line_number)
    except (OSError, EOFError) as error:
        where = f"{relative}#{line_number + 1}"
        error_text = f"reading stopped after line {line_number}: {_describe(error)}"
        yield Problem("failed", where, str(path), error_text)


def _lines(stream: io.BufferedIOBase) -> Iterator[bytes | None]:
    """Lines of a binary stream; None for a line over the size limit (read past, never kept)."""
    while True:
        line = stream.readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_DOCUMENT_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


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
    doc_id = _clean(str(record["id"]))[0] if record.get("id") not in (None, "") else fallback_id
    text = record.get("text")
    if not isinstance(text, str):
        return Problem("failed", doc_id, source, f"line {line_number} has no string field 'text'")
    text, replaced = _clean(text)
    if not text.strip():
        return Problem("skipped", doc_id, source, "empty document")
    warnings = (f"{replaced} lone surrogate(s) replaced with U+FFFD",) if replaced else ()
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        format="jsonl",
        title=_optional_string(record, "title"),
        date=_optional_string(record, "date"),
        url=_optional_string(record, "url"),
        encoding="utf-8",
        warnings=warnings,
    )


def _clean(text: str) -> tuple[str, int]:
    """JSON may escape lone surrogates, which no encoder accepts: replace them (same length)."""
    return _SURROGATE.subn("\ufffd", text)


def _optional_string(record: dict, key: str) -> str | None:
    value = record.get(key)
    return _clean(value)[0] if isinstance(value, str) and value else None


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror} ({error.filename})" if error.filename else error.strerror
    return str(error) or type(error).__name__
