"""Traditional to simplified conversion with OpenCC, keeping an exact map back to the input.

`t2s` converts characters and a few phrases and keeps the length; `tw2sp` also rewrites Taiwan
phrases (輝達 -> 英伟达, 網際網路 -> 互联网) and changes lengths. Either way, each converted line
is aligned with the character-by-character conversion of the input line: where the two agree
the map is linear, and where a phrase was rewritten the phrase maps as one unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

import opencc

from .offsets import OffsetMap
from .types import CONVERSIONS

# Lines are converted one at a time; a very long line is cut after sentence punctuation so that
# alignment stays cheap. OpenCC phrases never contain these characters, so no phrase is cut.
_PIECE = re.compile(r"[^\n。！？；]{1,2000}[\n。！？；]?|[\n。！？；]")


class _CharTable(dict):
    """str.translate table converting one character at a time, filled on first use."""

    def __init__(self, converter: opencc.OpenCC) -> None:
        super().__init__()
        self._converter = converter

    def __missing__(self, code: int) -> str:
        converted = self._converter.convert(chr(code))
        value = converted if len(converted) == 1 else chr(code)
        self[code] = value
        return value


@dataclass(frozen=True)
class Converted:
    """Converted text and the map from its positions back to the input text."""

    text: str
    offsets: OffsetMap


class Converter:
    """Converts text with one OpenCC configuration (`t2s` or `tw2sp`)."""

    def __init__(self, mode: str = "t2s") -> None:
        if mode not in CONVERSIONS:
            raise ValueError(f"unknown conversion {mode!r}; choose one of {', '.join(CONVERSIONS)}")
        self.mode = mode
        self._opencc = opencc.OpenCC(mode)
        self._chars = _CharTable(self._opencc)

    def text(self, text: str) -> str:
        """Converted text only (for names and short strings)."""
        return self._opencc.convert(text)

    def __call__(self, text: str) -> Converted:
        pieces: list[str] = []
        offsets = OffsetMap()
        for match in _PIECE.finditer(text):
            piece = match.group()
            converted = self._opencc.convert(piece)
            pieces.append(converted)
            self._align(piece, converted, match.start(), offsets)
        return Converted("".join(pieces), offsets)

    def _align(self, piece: str, converted: str, base: int, offsets: OffsetMap) -> None:
        by_char = piece.translate(self._chars)
        if by_char == converted:
            offsets.add(len(piece), base, base + len(piece))
            return
        matcher = SequenceMatcher(None, by_char, converted, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            # A rewritten phrase maps as one unit, even when its length is unchanged.
            offsets.add(j2 - j1, base + i1, base + i2, linear=tag == "equal")


@lru_cache(maxsize=4)
def converter(mode: str) -> Converter:
    """A shared converter per mode (OpenCC objects are read-only once built)."""
    return Converter(mode)


def detect_script(text: str) -> Literal["trad", "simp", "mixed"]:
    """Whether text is written in traditional or simplified characters, or mixes both.

    Only characters that differ between the scripts count; a text with none is called `simp`.
    """
    to_simplified = converter("t2s")._chars
    to_traditional = _traditional_chars()
    traditional = simplified = 0
    for char in set(text):
        code = ord(char)
        if code < 0x2E80:
            continue
        if to_simplified[code] != char:
            traditional += text.count(char)
        elif to_traditional[code] != char:
            simplified += text.count(char)
    if (
        traditional
        and simplified
        and min(traditional, simplified) >= 0.1 * (traditional + simplified)
    ):
        return "mixed"
    return "trad" if traditional > simplified else "simp"


@lru_cache(maxsize=1)
def _traditional_chars() -> _CharTable:
    return _CharTable(opencc.OpenCC("s2t"))
