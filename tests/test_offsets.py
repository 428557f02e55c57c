import pytest

from pipeline.offsets import OffsetMap


def test_identity_map_shifts_by_offset():
    offsets = OffsetMap.identity(5, offset=10)
    assert offsets.span(1, 3) == (11, 13)
    assert len(offsets) == 5


def test_atomic_segment_maps_as_one_unit():
    # "英伟达" (3 chars) made from "輝達" at 0..2, then "H20" copied from 2..5
    offsets = OffsetMap()
    offsets.add(3, 0, 2)
    offsets.add(3, 2, 5)
    assert offsets.span(0, 3) == (0, 2)
    assert offsets.span(1, 2) == (0, 2)
    assert offsets.span(3, 6) == (2, 5)
    assert offsets.span(0, 6) == (0, 5)


def test_same_length_rewrite_can_be_atomic():
    offsets = OffsetMap()
    offsets.add(2, 0, 2, linear=False)
    assert offsets.span(1, 2) == (0, 2)


def test_adjacent_linear_segments_merge():
    offsets = OffsetMap()
    offsets.add(2, 0, 2)
    offsets.add(3, 2, 5)
    assert len(offsets._derived_starts) == 1
    assert offsets.span(1, 4) == (1, 4)


def test_inserted_characters_map_to_an_empty_point():
    offsets = OffsetMap()
    offsets.add(2, 0, 2)
    offsets.add(1, 2, 2, linear=False)  # a line break made from a tag
    offsets.add(2, 7, 9)
    assert offsets.span(2, 3) == (2, 2)
    assert offsets.span(0, 5) == (0, 9)


def test_slice_renumbers_from_zero():
    offsets = OffsetMap()
    offsets.add(4, 0, 4)
    offsets.add(3, 4, 6)
    sliced = offsets.slice(2, 6)
    assert len(sliced) == 4
    assert sliced.span(0, 2) == (2, 4)
    assert sliced.span(2, 3) == (4, 6)


def test_span_outside_text_is_an_error():
    with pytest.raises(ValueError, match="outside"):
        OffsetMap.identity(3).span(2, 4)
