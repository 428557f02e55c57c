"""Token features for the statistical NER, made for jieba words rather than English ones.

spaCy's MultiHashEmbed reads NORM, PREFIX, SUFFIX and SHAPE; for a Chinese word of two or three
characters the 3-character suffix is the word itself and the shape is always the same. The
features here carry what tells Chinese names apart: the first and last characters (the last one
of 商务部, 银行, 自治区 names the kind of entity; the first of 王毅 is a surname), the jieba
dictionary's part of speech (nr person, ns place, nt organization; a word jieba does not know is
often a new name) and how common the word is. Everything comes from the token text and jieba's
own dictionary (MIT), so nothing is downloaded and nothing new is shipped.
"""

from __future__ import annotations

import math

from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ints2d

from .segment import jieba_dictionary

FEATURES = ("word", "first", "last", "first2", "last2", "tag", "frequency", "shape")
_WIDTH = str.maketrans({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})


def _shape(word: str) -> str:
    """Character classes, collapsed: 华为 -> h, H20 -> Xd, 2025年 -> dh."""
    classes: list[str] = []
    for char in word:
        if "\u3400" <= char <= "\u9fff":
            kind = "h"
        elif char.isdigit():
            kind = "d"
        elif char.isascii() and char.isalpha():
            kind = "X" if char.isupper() else "x"
        else:
            kind = char
        if not classes or classes[-1] != kind:
            classes.append(kind)
    return "".join(classes[:4])


def word_features(word: str) -> tuple[int, ...]:
    """The hashed features of one token text, in the order of FEATURES."""
    norm = word.translate(_WIDTH).lower()
    dictionary = jieba_dictionary()
    frequency, tag = dictionary.frequencies.get(norm, 0), dictionary.tags.get(norm, "OOV")
    size = min(len(norm), 5)
    values = (
        norm,
        norm[:1],
        norm[-1:],
        norm[:2] if size > 2 else "",
        norm[-2:] if size > 2 else "",
        f"{tag}{size}",
        str(int(math.log2(frequency + 1))),
        _shape(norm),
    )
    return tuple(get_string_id(value) for value in values)


def WordFeatures() -> Model[list[Doc], list[Ints2d]]:
    """Docs -> one row of hashed FEATURES per token."""
    # Token ids through an id -> features table: no Token objects, one dict lookup a token.
    # The table lives in this closure, not in model.attrs, which thinc would save.
    table: dict[int, tuple[int, ...]] = {}

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], object]:
        if len(table) > 500_000:  # bounded on endless streams of new words
            table.clear()
        arrays = []
        for doc in docs:
            ids = doc.to_array(ORTH).tolist()
            for key in ids:
                if key not in table:
                    table[key] = word_features(doc.vocab.strings[key])
            rows = [table[key] for key in ids]
            shape = (len(ids), len(FEATURES))
            arrays.append(model.ops.xp.asarray(rows, dtype="uint64").reshape(shape))
        return arrays, lambda d_features: []

    return Model("zhfacts_word_features", forward)


@registry.architectures("zhfacts.ChineseWordEmbed.v1")
def ChineseWordEmbed(
    width: int, rows: list[int], feature_width: int
) -> Model[list[Doc], list[Floats2d]]:
    """Like spaCy's MultiHashEmbed over the FEATURES above; each feature has its own width."""
    if len(rows) != len(FEATURES):
        raise ValueError(f"rows needs one size per feature ({', '.join(FEATURES)})")
    embeddings: list[Model] = [
        HashEmbed(feature_width, size, column=index, seed=11 + index, dropout=0.0)
        for index, size in enumerate(rows)
    ]
    return chain(
        WordFeatures(),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(
            Maxout(width, feature_width * len(embeddings), nP=3, dropout=0.0, normalize=True)
        ),
        ragged2list(),
    )
