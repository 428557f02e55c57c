from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cache import CACHE_ENV, KEEP, cached


class Maker:
    """A value to cache that counts how often it was made."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, list[int]]:
        self.calls += 1
        return {"made": [1, 2, 3]}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "names.tsv"
    path.write_text("id\tname\nco/nvidia\t英伟达\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_value_is_made_once_for_the_same_sources(source: Path, folder: Path) -> None:
    make = Maker()
    first = cached("test", [source], make)
    assert cached("test", [source], make) == first == {"made": [1, 2, 3]}
    assert make.calls == 1
    assert len(list(folder.glob("test-*.pickle"))) == 1


def test_a_changed_source_makes_the_value_again(source: Path, folder: Path) -> None:
    make = Maker()
    cached("test", [source], make)
    source.write_text("id\tname\nco/nvidia\t辉达\n", encoding="utf-8")
    cached("test", [source], make)
    assert make.calls == 2


def test_a_damaged_cache_file_is_made_again(source: Path, folder: Path) -> None:
    make = Maker()
    cached("test", [source], make)
    (saved,) = folder.glob("test-*.pickle")
    saved.write_bytes(saved.read_bytes()[:10])
    assert cached("test", [source], make) == {"made": [1, 2, 3]}
    assert make.calls == 2


def test_an_empty_setting_turns_the_cache_off(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    make = Maker()
    cached("test", [source], make)
    cached("test", [source], make)
    assert make.calls == 2
    assert not list(tmp_path.rglob("*.pickle"))


def test_a_cache_folder_that_cannot_be_made_costs_only_speed(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(source / "cache"))  # under a file: no folder can be made
    assert cached("test", [source], Maker()) == {"made": [1, 2, 3]}


def test_only_the_newest_values_of_a_name_are_kept(source: Path, folder: Path) -> None:
    for version in range(KEEP + 2):
        source.write_text(f"id\tname\nco/{version}\tname\n", encoding="utf-8")
        cached("test", [source], Maker())
    cached("other", [source], Maker())
    assert len(list(folder.glob("test-*.pickle"))) == KEEP
    assert len(list(folder.glob("other-*.pickle"))) == 1
