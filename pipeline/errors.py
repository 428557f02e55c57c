"""Errors the user can act on, in one place."""

from __future__ import annotations


class ZhfactsError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class InputError(ZhfactsError):
    """One input document cannot be read; the run records it and goes on."""


class KnowledgeError(ZhfactsError):
    """A knowledge file is malformed; the message names the file and line."""

    def __init__(self, path: object, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


class KnowledgeBaseError(ZhfactsError):
    """The knowledge base file is missing or was built with another schema version."""


class ModelError(ZhfactsError):
    """The spaCy pipeline folder is missing or unusable."""


def missing_model(path: object) -> ModelError:
    return ModelError(
        f"no zhfacts pipeline at {path}: run `make model` to build it from models/knowledge, "
        "or pass --model with the folder of a pipeline saved by zhfacts"
    )


class UsageError(ZhfactsError):
    """The command was given options or files it cannot work with."""


class OutputError(ZhfactsError):
    """An output file cannot be written: the folder is not writable, or the disk is full."""
