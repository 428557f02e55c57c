"""Token features for the statistical NER, made for jieba words rather than English ones.

spaCy's MultiHashEmbed reads NORM, PREFIX, SUFFIX and SHAPE; for a Chinese word of two or three
characters the 3-character suffix is the word itself and the shape is always the same. The
features here carry what tells Chinese names apart: the first and last characters (the last one
of 商务部, 银行, 自治区 names the kind of entity; the first of 王毅 is a surname), the jieba
dictionary's part of speech (nr person, ns place, nt organization; a word jieba does not know is
often a new name) and how common the word is. A gazetteer feature tells
whether the word is, starts with or ends with a name the knowledge files know, and of which
type (a company, a place, a title...); the mean of all its characters' embeddings carries what
the first and last characters miss. Everything comes from the token text, jieba's own dictionary
(MIT) and the knowledge files, so nothing is downloaded.
"""

from __future__ import annotations

import math
from typing import cast

from spacy.attrs import ORTH
from spacy.lookups import Table
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab
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
from thinc.types import Floats2d, Ints1d, Ints2d, Ragged

from .knowledge import Knowledge
from .segment import jieba_dictionary
from .tag import HALF_WIDTH, alias_forms, alias_table, fold

FEATURES = ("word", "first", "last", "first2", "last2", "tag", "frequency", "shape", "known")
GAZETTEER = "zhfacts_gazetteer"  # vocab lookups table: folded known name -> its type


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


def known_type(word: str, gazetteer: Table) -> str:
    """The type of the known name `word` is (=COMPANY), or starts with (GPE>) or ends with
    (>ORG) when it is none itself; empty for a word with no known name at either end."""
    whole = gazetteer.get(word)
    if whole is not None:
        return f"={whole}"
    starts = next(
        (gazetteer[word[:end]] for end in range(len(word) - 1, 1, -1) if word[:end] in gazetteer),
        "",
    )
    ends = next(
        (gazetteer[word[start:]] for start in range(1, len(word) - 1) if word[start:] in gazetteer),
        "",
    )
    return f"{starts}>{ends}" if starts or ends else ""


def known_names(knowledge: Knowledge) -> dict[str, str]:
    """Every folded form of every known name, title and generic word -> its type (the
    gazetteer `make model` puts in the vocab)."""
    names = {fold(form): "TITLE" for title in knowledge.titles for form in alias_forms(title)}
    names.update((fold(word), "GENERIC") for word in knowledge.generic)
    for key, value in alias_table(knowledge).items():
        if not knowledge.is_town(value.ids[0]):  # kept out of jieba's words, so of the features
            names[key] = knowledge.entries[value.ids[0]].type
    return dict(sorted(names.items()))  # sets come in a different order in each process


def gazetteer_of(vocab: Vocab) -> Table:
    """The known names the features read, kept in the vocab by `make model`."""
    if not vocab.lookups.has_table(GAZETTEER):
        raise ValueError(f"the pipeline's vocab has no {GAZETTEER} table: run `make model`")
    return vocab.lookups.get_table(GAZETTEER)


def word_features(word: str, gazetteer: Table) -> tuple[int, ...]:
    """The hashed features of one token text, in the order of FEATURES."""
    norm = word.translate(HALF_WIDTH).lower()
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
        known_type(norm, gazetteer),
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
            gazetteer = gazetteer_of(doc.vocab)
            for key in ids:
                if key not in table:
                    table[key] = word_features(doc.vocab.strings[key], gazetteer)
            rows = [table[key] for key in ids]
            shape = (len(ids), len(FEATURES))
            arrays.append(model.ops.xp.asarray(rows, dtype="uint64").reshape(shape))
        return arrays, lambda d_features: []

    return Model("zhfacts_word_features", forward)


def CharacterMean(width: int, rows: int) -> Model[list[Doc], Ragged]:
    """Docs -> per token, the mean of its characters' hashed embeddings."""
    embed: Model[Ints2d, Floats2d] = HashEmbed(width, rows, column=0, seed=7, dropout=0.0)
    table: dict[int, list[int]] = {}  # token id -> its characters' ids

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Ragged, object]:
        if len(table) > 500_000:
            table.clear()
        chars: list[int] = []
        sizes: list[int] = []
        for doc in docs:
            for key in doc.to_array(ORTH).tolist():
                if key not in table:
                    table[key] = [get_string_id(char) for char in doc.vocab.strings[key]]
                chars.extend(table[key])
                sizes.append(len(table[key]))
        ops = model.ops
        lengths = cast(Ints1d, ops.asarray1i(sizes))
        vectors, backprop_embed = embed(ops.xp.asarray(chars, dtype="uint64")[:, None], is_train)
        means = ops.reduce_mean(vectors, lengths)

        def backprop(d_means: Ragged) -> list:
            backprop_embed(ops.backprop_reduce_mean(cast(Floats2d, d_means.dataXd), lengths))
            return []

        return Ragged(means, ops.asarray1i([len(doc) for doc in docs])), backprop

    return Model(
        "zhfacts_character_mean",
        forward,
        init=lambda model, X=None, Y=None: embed.initialize(),
        layers=[embed],
        dims={"nO": width},
    )


@registry.architectures("zhfacts.ChineseWordEmbed.v2")
def ChineseWordEmbed(
    width: int, rows: list[int], feature_width: int, character_width: int, character_rows: int
) -> Model[list[Doc], list[Floats2d]]:
    """Like spaCy's MultiHashEmbed over the FEATURES above (each with its own width), and the
    mean of the token's characters."""
    if len(rows) != len(FEATURES):
        raise ValueError(f"rows needs one size per feature ({', '.join(FEATURES)})")
    embeddings: list[Model] = [
        HashEmbed(feature_width, size, column=index, seed=11 + index, dropout=0.0)
        for index, size in enumerate(rows)
    ]
    words: Model[list[Doc], Ragged] = chain(
        WordFeatures(), list2ragged(), with_array(concatenate(*embeddings))
    )
    inputs = feature_width * len(rows) + character_width
    return chain(
        concatenate(words, CharacterMean(character_width, character_rows)),
        with_array(Maxout(width, inputs, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
