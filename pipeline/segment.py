"""A registered spaCy tokenizer that segments with jieba and saves its user dictionary.

spaCy's built-in Chinese tokenizer saves only the segmenter's name, so a jieba user dictionary
would be lost on `to_disk`. This tokenizer owns its own segmenter (never the global one, which is
shared state) and writes the dictionary into the pipeline folder.

Segmentation is jieba's own (its dictionary, user words, block patterns and HMM for unknown
words), except that the best route through each block's word graph, where jieba spends most of
its time, comes from the Rust trie of jieba_next: segmentation takes about half of jieba's time
(`make bench`). jieba's dictionary is read straight from its dict.txt into that trie: jieba's own
prefix dictionary, which the trie makes unneeded, takes over a second to load.
tests/test_segment.py checks on real news that the tokens are exactly jieba's.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from jieba_next.jieba_next_rust import PrefixDict
from spacy.attrs import IDS
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

USER_DICT = "userdict.txt"
CONFIG = "config.json"
TEXT_KEY = "zhfacts_text"  # doc.user_data: the doc's text, see doc_text


def _import_jieba() -> Any:  # jieba has no type hints
    """jieba, imported without pkg_resources unless something has imported that already.

    jieba opens its data files through pkg_resources where setuptools provides it, and importing
    pkg_resources takes 0.15 s of every start; without it jieba opens the same files by path.
    """
    if "pkg_resources" in sys.modules:
        return importlib.import_module("jieba")
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import` raises ImportError
    try:
        return importlib.import_module("jieba")
    finally:
        del sys.modules["pkg_resources"]


jieba = _import_jieba()
jieba.setLogLevel(logging.WARNING)
finalseg = jieba.finalseg
_NEVER = finalseg.MIN_FLOAT  # jieba's log probability of an emission its tables lack


@spacy.registry.tokenizers("zhfacts.jieba_tokenizer.v1")
def create_jieba_tokenizer(hmm: bool = True) -> Callable[[Language], JiebaTokenizer]:
    """spaCy factory: `[nlp.tokenizer] @tokenizers = "zhfacts.jieba_tokenizer.v1"`."""

    def create(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, hmm=hmm)

    return create


# The word attributes spaCy keeps: IS_SPACE, which spaCy's own training and NER read, and flags
# that cost a character test. The rest (NORM, SHAPE, LIKE_NUM ...) zhfacts never reads: its NER
# features come from the word itself (ner_features.py).
KEPT_WORD_ATTRIBUTES = ["IS_SPACE", "IS_PUNCT", "IS_DIGIT", "IS_ALPHA", "IS_ASCII"]


@spacy.registry.callbacks("zhfacts.word_attributes.v1")
def create_word_attributes(
    keep: list[str] = KEPT_WORD_ATTRIBUTES,
) -> Callable[[Language], Language]:
    """spaCy callback (`[nlp] after_creation`): compute only the `keep` attributes of new words.

    spaCy computes 23 attributes for every word it has not seen, five of them new strings for
    its string store; in a long run most words are new (names, numbers), and that took about a
    tenth of the fast tier's time (`make bench`).
    """
    kept = {IDS[name] for name in keep}

    def keep_attributes(nlp: Language) -> Language:
        vocab: Any = nlp.vocab  # spaCy's type stubs leave lex_attr_getters out
        getters = vocab.lex_attr_getters
        vocab.lex_attr_getters = {key: get for key, get in getters.items() if key in kept}
        return nlp

    return keep_attributes


class JiebaDictionary(NamedTuple):
    """jieba's main dictionary (its dict.txt, MIT)."""

    frequencies: dict[str, int]
    tags: dict[str, str]  # part of speech: nr person, ns place, nt organization...
    total: int  # of the frequencies as jieba counts it (a word listed twice counts twice)


@lru_cache(maxsize=1)
def jieba_dictionary() -> JiebaDictionary:
    """jieba's main dictionary, read once."""
    fields = Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8").split()
    words, frequencies = fields[0::3], list(map(int, fields[1::3]))
    return JiebaDictionary(
        dict(zip(words, frequencies, strict=True)),
        dict(zip(words, fields[2::3], strict=True)),
        sum(frequencies),
    )


class JiebaTokenizer:
    """Text -> Doc with jieba words as tokens; whitespace becomes tokens as in spaCy's zh."""

    def __init__(self, vocab: Vocab, hmm: bool = True) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self.user_words: dict[str, int] = {}
        self._dictionary: tuple[dict[str, int], PrefixDict] | None = None

    @property
    def word_frequencies(self) -> dict[str, int]:
        """jieba's dictionary frequencies with the user words (common words are frequent; most
        names are absent)."""
        return self._load()[0]

    def _load(self) -> tuple[dict[str, int], PrefixDict]:
        """The word frequencies and the trie built from them, made on first use."""
        if self._dictionary is None:
            dictionary = jieba_dictionary()
            frequencies, total = dict(dictionary.frequencies), dictionary.total
            for word, frequency in self.user_words.items():  # as jieba's add_word counts them
                frequencies[word] = frequency
                total += frequency
            self._dictionary = frequencies, PrefixDict(frequencies, float(total))
        return self._dictionary

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.cut(text), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc

    def cut(self, text: str) -> list[str]:
        """The words of `text` exactly as `jieba.lcut(text, HMM=self.hmm)` gives them."""
        words: list[str] = []
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                self._cut_block(block, words)
                continue
            for piece in jieba.re_skip_default.split(block):
                if jieba.re_skip_default.match(piece):
                    words.append(piece)
                else:
                    words.extend(piece)
        return words

    def _cut_block(self, block: str, words: list[str]) -> None:
        """jieba's `__cut_DAG` (or `__cut_DAG_NO_HMM`), with the route computed in Rust."""
        route = self._load()[1].get_dag_and_calc(block)
        start = 0
        pending = ""  # a run of single characters: HMM finds the unknown words in it
        while start < len(block):
            end = route[start] + 1
            if end - start == 1 and (self.hmm or jieba.re_eng.match(block[start])):
                pending += block[start]
            else:
                if pending:
                    self._unknown_words(pending, words)
                    pending = ""
                words.append(block[start:end])
            start = end
        if pending:
            self._unknown_words(pending, words)

    def _unknown_words(self, run: str, words: list[str]) -> None:
        if not self.hmm:
            words.append(run)  # without HMM, jieba joins runs of single letters and digits
        elif len(run) == 1:
            words.append(run)
        elif not self.word_frequencies.get(run):
            words.extend(hmm_words(run))
        else:
            words.extend(run)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    def set_user_words(self, words: Iterable[str]) -> None:
        """Make each word one token in running text: its frequency is what jieba needs for that.

        jieba's own compounds of two user words (德国总理, 美国总统) would hide the first
        inside a longer token, so they are removed (frequency 0).
        """
        self.user_words = {}
        self._dictionary = None
        base = jieba.Tokenizer()
        base.initialize()
        for word in sorted(set(words)):
            if word.strip() and " " not in word:
                self.user_words[word] = max(base.suggest_freq(word, tune=False), 1)
        for word in _compounds(base.FREQ, self.user_words):
            self.user_words[word] = 0

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CONFIG).write_text(json.dumps({"hmm": self.hmm}), encoding="utf-8")
        lines = [f"{word} {freq}\n" for word, freq in sorted(self.user_words.items())]
        (folder / USER_DICT).write_text("".join(lines), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> JiebaTokenizer:
        folder = Path(path)
        self.hmm = json.loads((folder / CONFIG).read_text(encoding="utf-8"))["hmm"]
        self.user_words = {}
        for line in (folder / USER_DICT).read_text(encoding="utf-8").splitlines():
            word, freq = line.rsplit(" ", 1)
            self.user_words[word] = int(freq)
        self._dictionary = None
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"hmm": self.hmm, "user_words": self.user_words}).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JiebaTokenizer:
        state = json.loads(data)
        self.hmm = state["hmm"]
        self.user_words = dict(state["user_words"])
        self._dictionary = None
        return self


def doc_text(doc: Doc) -> str:
    """The text of `doc`, as `doc.text` gives it but without rebuilding it from every token.

    `doc.text` joins the text of each token on every access (about 1 ms for 2,000 characters),
    so the text is kept in doc.user_data, by this tokenizer or on first use. Splitting or merging
    tokens never changes the text; the length check catches a doc whose user_data was copied.
    """
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str) or len(text) != _length(doc):
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def _length(doc: Doc) -> int:
    last = doc[-1] if len(doc) else None
    return last.idx + len(last.text_with_ws) if last is not None else 0


def _compounds(dictionary: dict[str, int], user_words: dict[str, int]) -> list[str]:
    """Dictionary words that are two user words written together (德国总理 = 德国 + 总理)."""
    compounds = []
    for word, freq in dictionary.items():
        if not freq or len(word) < 4 or word in user_words:
            continue
        cuts = range(2, len(word) - 1)
        if any(word[:cut] in user_words and word[cut:] in user_words for cut in cuts):
            compounds.append(word)
    return sorted(compounds)


def hmm_words(run: str) -> list[str]:
    """`jieba.finalseg.cut(run)`: the words jieba's HMM finds in a run of unknown characters.

    The same Viterbi, the same sums in the same order and the same choice between equal paths
    (jieba takes the larger state letter), without jieba's per-character lists: about twice as
    fast, and a third of the tokenizer's time was there (tests/test_segment.py).
    """
    words: list[str] = []
    for block in finalseg.re_han.split(run):
        if finalseg.re_han.match(block):
            _viterbi_words(block, words)
        else:
            words.extend(piece for piece in finalseg.re_skip.split(block) if piece)
    return words


def _viterbi_words(text: str, words: list[str]) -> None:
    """Append the words of `text` (Han characters) by their most likely states: B, M, E (begin,
    middle, end of a word) or S (a word alone). A tie goes to the larger state letter, as in
    jieba's max over (probability, state) pairs."""
    emit, trans, start = finalseg.emit_P, finalseg.trans_P, finalseg.start_P
    emit_b, emit_m, emit_e, emit_s = emit["B"], emit["M"], emit["E"], emit["S"]
    e_to_b, s_to_b = trans["E"]["B"], trans["S"]["B"]
    m_to_m, b_to_m = trans["M"]["M"], trans["B"]["M"]
    s_to_s, e_to_s = trans["S"]["S"], trans["E"]["S"]
    b_to_e, m_to_e = trans["B"]["E"], trans["M"]["E"]
    first = text[0]
    b = start["B"] + emit_b.get(first, _NEVER)
    m = start["M"] + emit_m.get(first, _NEVER)
    e = start["E"] + emit_e.get(first, _NEVER)
    s = start["S"] + emit_s.get(first, _NEVER)
    back = []
    for char in text[1:]:  # unrolled, one pair of lines per state: it runs for every character
        emission = emit_b.get(char, _NEVER)
        from_e, from_s = e + e_to_b + emission, s + s_to_b + emission
        next_b, before_b = (from_e, "E") if from_e > from_s else (from_s, "S")
        emission = emit_m.get(char, _NEVER)
        from_m, from_b = m + m_to_m + emission, b + b_to_m + emission
        next_m, before_m = (from_b, "B") if from_b > from_m else (from_m, "M")
        emission = emit_s.get(char, _NEVER)
        from_s, from_e = s + s_to_s + emission, e + e_to_s + emission
        next_s, before_s = (from_e, "E") if from_e > from_s else (from_s, "S")
        emission = emit_e.get(char, _NEVER)
        from_b, from_m = b + b_to_e + emission, m + m_to_e + emission
        next_e, before_e = (from_b, "B") if from_b > from_m else (from_m, "M")
        back.append({"B": before_b, "M": before_m, "E": before_e, "S": before_s})
        b, m, e, s = next_b, next_m, next_e, next_s
    state = "E" if e > s else "S"
    states = [state]
    for pointers in reversed(back):
        state = pointers[state]
        states.append(state)
    begin = end = 0
    for index, state in enumerate(reversed(states)):
        if state == "B":
            begin = index
        elif state == "E":
            words.append(text[begin : index + 1])
            end = index + 1
        elif state == "S":
            words.append(text[index])
            end = index + 1
    if end < len(text):
        words.append(text[end:])


def words_and_spaces(words: Iterable[str], text: str) -> tuple[list[str], list[bool]]:
    """Tokens and trailing spaces as spaCy's `get_words_and_spaces` makes them from `words`
    that cover `text` exactly, in order (as jieba's do), in one pass without searching.

    spaCy's version copies the rest of the text for every word, which is quadratic on long
    articles. A single space after a word becomes its trailing whitespace; other runs of
    whitespace become one token each.
    """
    tokens: list[str] = []
    spaces: list[bool] = []
    blank = ""  # the run of whitespace since the last word
    for word in words:
        if word.isspace():
            blank += word
            continue
        if blank:
            _place_blank(blank, tokens, spaces)
            blank = ""
        if word:
            tokens.append(word)
            spaces.append(False)
    _place_blank(blank, tokens, spaces)
    return tokens, spaces


def _place_blank(blank: str, tokens: list[str], spaces: list[bool]) -> None:
    if blank.startswith(" ") and tokens:
        spaces[-1] = True
        blank = blank[1:]
    if blank:
        tokens.append(blank)
        spaces.append(False)
