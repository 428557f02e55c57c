"""A registered spaCy tokenizer that segments with jieba and saves its user dictionary.

spaCy's built-in Chinese tokenizer saves only the segmenter's name, so a jieba user dictionary
would be lost on `to_disk`. This tokenizer owns its own `jieba.Tokenizer` (never the global one,
which is shared state) and writes the dictionary into the pipeline folder.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

USER_DICT = "userdict.txt"
CONFIG = "config.json"

jieba.setLogLevel(logging.WARNING)


@spacy.registry.tokenizers("zhfacts.jieba_tokenizer.v1")
def create_jieba_tokenizer(hmm: bool = True) -> Callable[[Language], JiebaTokenizer]:
    """spaCy factory: `[nlp.tokenizer] @tokenizers = "zhfacts.jieba_tokenizer.v1"`."""

    def create(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, hmm=hmm)

    return create


class JiebaTokenizer:
    """Text -> Doc with jieba words as tokens; whitespace becomes tokens as in spaCy's zh."""

    def __init__(self, vocab: Vocab, hmm: bool = True) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self.user_words: dict[str, int] = {}
        self._jieba: jieba.Tokenizer | None = None

    @property
    def segmenter(self) -> jieba.Tokenizer:
        if self._jieba is None:
            segmenter = jieba.Tokenizer()
            segmenter.initialize()
            for word, freq in self.user_words.items():
                segmenter.add_word(word, freq)
            self._jieba = segmenter
        return self._jieba

    @property
    def word_frequencies(self) -> dict[str, int]:
        """jieba's dictionary frequencies (common words are frequent; most names are absent)."""
        return self.segmenter.FREQ

    def __call__(self, text: str) -> Doc:
        words = [word for word in self.segmenter.cut(text, HMM=self.hmm) if word]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    def set_user_words(self, words: Iterable[str]) -> None:
        """Make each word one token in running text: its frequency is what jieba needs for that.

        jieba's own compounds of two user words (德国总理, 美国总统) would hide the first
        inside a longer token, so they are removed (frequency 0).
        """
        self.user_words = {}
        self._jieba = None
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
        self._jieba = None
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"hmm": self.hmm, "user_words": self.user_words}).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JiebaTokenizer:
        state = json.loads(data)
        self.hmm = state["hmm"]
        self.user_words = dict(state["user_words"])
        self._jieba = None
        return self


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
