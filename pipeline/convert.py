"""Traditional to simplified conversion with OpenCC, keeping an exact map back to the input.

`t2s` converts characters and a few phrases and keeps the length; `tw2sp` also rewrites Taiwan
phrases (輝達 -> 英伟达, 網際網路 -> 互联网) and changes lengths. Either way, each converted line
is aligned with the character-by-character conversion of the input line: where the two agree
the map is linear, and where a phrase was rewritten the phrase maps as one unit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

import opencc

from .offsets import OffsetMap
from .types import CONVERSIONS

# Text is converted one clause at a time: cut after sentence or clause punctuation, which no
# OpenCC phrase of t2s or tw2sp contains, so no phrase is cut. Short pieces keep alignment cheap
# and local (a repeated character elsewhere in a long line could pull the alignment away).
MAX_PHRASE_STEPS = 32
MIXED_MIN_CHARS = 3
MIXED_MIN_SHARE = 0.2
# t2s is read with OpenCC's hk2s: t2s after Hong Kong's variant characters (衞 -> 衛, 綫 -> 線,
# 枱 -> 檯), which t2s leaves as they are, are folded to the standard ones. On other text the
# two agree: 1.9M characters of mainland, Taiwan and Hong Kong news differ only at 衞 and 枱.
OPENCC_CONFIGS = {"t2s": "hk2s", "tw2sp": "tw2sp"}
# Characters OpenCC changes that simplified text keeps in names (昇腾, 蔡昇甫, 宏昇: not 升;
# the surname 沈: OpenCC reads 沈思涵 as 沉思 and 涵).
KEPT_CHARACTERS = frozenset("昇沈")
_PIECE = re.compile(r"[^\n。！？；，、：\x00]{1,2000}[\n。！？；，、：]?|[\n。！？；，、：]|\x00+")


class _CharTable(dict):
    """str.translate table converting one character at a time, filled on first use."""

    def __init__(self, converter: opencc.OpenCC) -> None:
        super().__init__()
        self._converter = converter

    def __missing__(self, code: int) -> str:
        char = chr(code)
        converted = char if char in KEPT_CHARACTERS else self._converter.convert(char)
        value = converted if len(converted) == 1 else char
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
        self._opencc = opencc.OpenCC(OPENCC_CONFIGS[mode])
        self._chars = _CharTable(self._opencc)

    def text(self, text: str) -> str:
        """Converted text only (for names and short strings)."""
        # OpenCC reads C strings: a NUL would end the text, so it is passed around it.
        return "\x00".join(_kept(part, self._opencc.convert(part)) for part in text.split("\x00"))

    def __call__(self, text: str) -> Converted:
        converted = self.text(text)
        if converted == text.translate(self._chars):
            # Most texts: no phrase rewritten, every character maps to itself.
            return Converted(converted, OffsetMap.identity(len(text)))
        pieces: list[str] = []
        offsets = OffsetMap()
        for match in _PIECE.finditer(text):
            piece = match.group()
            converted = self.text(piece)
            pieces.append(converted)
            self._align(piece, converted, match.start(), offsets)
        return Converted("".join(pieces), offsets)

    def _align(self, piece: str, converted: str, base: int, offsets: OffsetMap) -> None:
        by_char = piece.translate(self._chars)
        if by_char == converted:
            offsets.add(len(piece), base, base + len(piece))
            return
        for i1, i2, j1, j2, linear in self._regions(piece, by_char, converted):
            offsets.add(j2 - j1, base + i1, base + i2, linear=linear)

    def _regions(
        self, piece: str, by_char: str, converted: str
    ) -> list[tuple[int, int, int, int, bool]]:
        """Aligned regions (i1, i2, j1, j2, linear) of `piece` and its conversion.

        Where the character-by-character conversion agrees with OpenCC's, characters align one
        to one. Each rewritten phrase grows, one neighbouring character at a time, until OpenCC
        converts that stretch of the original on its own into exactly the aligned stretch of the
        output; a lone character that only looks equal (网 in 網際網路 -> 互联网) is absorbed.
        """
        steps: list[tuple[int, int, int, int]] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(
            None, by_char, converted, autojunk=False
        ).get_opcodes():
            if tag == "equal":
                steps.extend((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1))
            else:
                steps.append((i1, i2, j1, j2))
        regions: list[tuple[int, int, int, int, bool]] = []
        index = 0
        while index < len(steps):
            i1, i2, j1, j2 = steps[index]
            if i2 - i1 == 1 and j2 - j1 == 1 and by_char[i1] == converted[j1]:
                regions.append((i1, i2, j1, j2, True))
                index += 1
                continue
            first, last = self._grow(piece, converted, steps, index)
            i1, j1 = steps[first][0], steps[first][2]
            while regions and regions[-1][1] > i1:
                absorbed = regions.pop()
                i1, j1 = min(i1, absorbed[0]), min(j1, absorbed[2])
            regions.append((i1, steps[last][1], j1, steps[last][3], False))
            index = last + 1
        return regions

    def _grow(
        self, piece: str, converted: str, steps: list[tuple[int, int, int, int]], index: int
    ) -> tuple[int, int]:
        """The smallest run of steps around `index` that OpenCC converts exactly as aligned.

        OpenCC phrases are short, so the search stops at MAX_PHRASE_STEPS and then keeps the
        rewritten step alone.
        """
        for size in range(min(len(steps), MAX_PHRASE_STEPS)):
            for first in range(max(0, index - size), index + 1):
                last = first + size
                if last >= len(steps):
                    break
                original = piece[steps[first][0] : steps[last][1]]
                if self._opencc.convert(original) == converted[steps[first][2] : steps[last][3]]:
                    return first, last
        return index, index


@lru_cache(maxsize=4)
def converter(mode: str) -> Converter:
    """A shared converter per mode (OpenCC objects are read-only once built)."""
    return Converter(mode)


def _kept(original: str, converted: str) -> str:
    """`converted` with the KEPT_CHARACTERS of `original` back where they were (a conversion
    that changed the length moved them: it is left as it is)."""
    if len(original) != len(converted) or KEPT_CHARACTERS.isdisjoint(original):
        return converted
    return "".join(
        old if old in KEPT_CHARACTERS else new for old, new in zip(original, converted, strict=True)
    )


def detect_script(text: str) -> Literal["trad", "simp", "mixed"]:
    """Whether text is written in traditional or simplified characters, or mixes both.

    Only characters that differ between the scripts count; a text with none is called `simp`.
    """
    to_simplified = converter("t2s")._chars
    to_traditional = _traditional_chars()
    traditional = simplified = 0
    for char, count in Counter(text).items():
        code = ord(char)
        if code < 0x2E80:
            continue
        if to_simplified[code] != char:
            traditional += count
        elif to_traditional[code] != char:
            simplified += count
    # A few variant characters (昇 in 昇腾) occur in either script: a minority counts only
    # when it is a real share of the text.
    minority = min(traditional, simplified)
    if minority >= MIXED_MIN_CHARS and minority >= MIXED_MIN_SHARE * (traditional + simplified):
        return "mixed"
    return "trad" if traditional > simplified else "simp"


@lru_cache(maxsize=1)
def _traditional_chars() -> _CharTable:
    return _CharTable(opencc.OpenCC("s2t"))
