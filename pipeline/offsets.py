"""Character offset maps from a derived text back to the text it was made from.

Every stage that rewrites text (markup removal, traditional-to-simplified conversion) returns an
`OffsetMap` beside the new text, so a span found in the final text can be traced back to the
original input exactly: ``original[start:end]`` is then what the user gave us.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    """Maps positions in a derived text to spans of its source text.

    The derived text is cut into consecutive segments. A *linear* segment maps character by
    character (same length on both sides); any other segment is atomic: a span that starts or
    ends inside it grows to cover the whole source span (a phrase converted as one unit).
    """

    _derived_starts: list[int] = field(default_factory=list)
    _source_starts: list[int] = field(default_factory=list)
    _source_ends: list[int] = field(default_factory=list)
    _linear: list[bool] = field(default_factory=list)
    _length: int = 0

    @classmethod
    def identity(cls, length: int, offset: int = 0) -> OffsetMap:
        """A map for a text copied unchanged from ``source[offset:offset + length]``."""
        offsets = cls()
        offsets.add(length, offset, offset + length)
        return offsets

    def __len__(self) -> int:
        return self._length

    def add(
        self, derived_length: int, source_start: int, source_end: int, linear: bool = True
    ) -> None:
        """Append a segment of `derived_length` characters made from source[start:end].

        The segment is linear when asked and both sides have the same length, else atomic.
        """
        if derived_length <= 0:
            return
        linear = linear and derived_length == source_end - source_start
        if linear and self._linear and self._linear[-1] and self._source_ends[-1] == source_start:
            # Extend the previous linear run: keeps the map small for unchanged text.
            self._source_ends[-1] = source_end
        else:
            self._derived_starts.append(self._length)
            self._source_starts.append(source_start)
            self._source_ends.append(source_end)
            self._linear.append(linear)
        self._length += derived_length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map the derived span [start, end) to the source span it came from."""
        if not 0 <= start <= end <= self._length:
            raise ValueError(f"span {start}:{end} is outside a text of length {self._length}")
        if start == end:
            point = self._point(start)
            return point, point
        first = bisect_right(self._derived_starts, start) - 1
        last = bisect_right(self._derived_starts, end - 1) - 1
        source_start = self._source_starts[first]
        if self._linear[first]:
            source_start += start - self._derived_starts[first]
        source_end = self._source_ends[last]
        if self._linear[last]:
            source_end = self._source_starts[last] + end - self._derived_starts[last]
        return source_start, source_end

    def _point(self, position: int) -> int:
        if self._length == 0:
            return 0
        if position == self._length:
            return self._source_ends[-1]
        index = bisect_right(self._derived_starts, position) - 1
        if self._linear[index]:
            return self._source_starts[index] + position - self._derived_starts[index]
        return self._source_starts[index]

    def slice(self, start: int, end: int) -> OffsetMap:
        """The map for ``derived[start:end]`` (positions renumbered from 0)."""
        sliced = OffsetMap()
        position = start
        while position < end:
            index = bisect_right(self._derived_starts, position) - 1
            segment_end = (
                self._derived_starts[index + 1]
                if index + 1 < len(self._derived_starts)
                else self._length
            )
            stop = min(segment_end, end)
            if self._linear[index]:
                source_start = self._source_starts[index] + position - self._derived_starts[index]
                sliced.add(stop - position, source_start, source_start + stop - position)
            else:
                sliced.add(
                    stop - position,
                    self._source_starts[index],
                    self._source_ends[index],
                    linear=False,
                )
            position = stop
        return sliced
