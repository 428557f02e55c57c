"""A cache of what is slow to compute at start-up, in the user's cache folder (as jieba does).

Reading the knowledge files into lookup tables takes about 0.9 s of every `zhfacts` start; the
same tables unpickled take about 0.2 s. A cached value is used only when the files it was made
from and zhfacts' own code are byte for byte what they were; anything else (a changed file, a
new version, a damaged or unreadable cache) makes it again from the files.

The folder is $ZHFACTS_CACHE_DIR, else $XDG_CACHE_HOME/zhfacts, else ~/.cache/zhfacts;
ZHFACTS_CACHE_DIR="" turns the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CACHE_ENV = "ZHFACTS_CACHE_DIR"
KEEP = 3  # cached values of one name kept (several checkouts or versions may share the folder)
CODE = Path(__file__).resolve().parent  # the pipeline package: its code shapes what is pickled


def cache_folder() -> Path | None:
    """Where cached values are kept, or None when the cache is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zhfacts"


def cached(name: str, sources: Iterable[Path], make: Callable[[], T]) -> T:
    """make(), or the value an earlier make() gave for the same `sources` and the same code."""
    folder = cache_folder()
    if folder is None:
        return make()
    path = folder / f"{name}-{_fingerprint(sources)}.pickle"
    try:
        return _load(path)
    except Exception:  # missing, damaged or made by other code: make it again
        pass
    value = make()
    try:
        _save(value, path)
        _forget_older(folder.glob(f"{name}-*.pickle"))
    except OSError:  # a read-only home or a full disk costs speed, never the run
        pass
    return value


def _fingerprint(sources: Iterable[Path]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in [*sorted(CODE.glob("*.py")), *sources]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load(path: Path) -> Any:
    data = path.read_bytes()
    # Unpickling makes about a million small objects; the collector's passes over them would
    # take twice as long as the unpickling itself, and they are all in use.
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        gc.enable()


def _save(value: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed, so a process reading it never sees half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(file.name, path)


def _forget_older(paths: Iterable[Path]) -> None:
    """Delete all but the KEEP newest."""
    newest_first = sorted(paths, key=lambda path: path.stat().st_mtime, reverse=True)
    for path in newest_first[KEEP:]:
        path.unlink(missing_ok=True)
