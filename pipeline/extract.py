"""Documents through every stage: article -> convert -> tag -> link -> facts -> record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import use_ops

from . import segment  # noqa: F401  (registers the tokenizer)
from .article import PageCleaner, extract_article
from .convert import Converted, Converter, detect_script
from .errors import missing_model
from .facts import Sentences, attach_values, extract_facts
from .knowledge import Knowledge
from .link import link_entities
from .pieces import PIECE_CHARACTERS, Analysis, cut, join
from .tag import KNOWLEDGE_PIPE
from .types import STATISTICAL_COMPONENTS, Article, Document, Options, Problem
from .values import Lexicon, ValueFinder, article_date
from .write import document_record

BATCH_SIZE = 64
# Characters per nlp.pipe call: the statistical components' activations grow with the batch
# (about 8 KB per token), so a batch of 16,000 characters keeps a worker near 500 MB.
PIPE_CHARACTERS = 16_000
# New strings (words, ids) a memory zone may hold before it is renewed: about 30 MB.
ZONE_STRINGS = 100_000


def load_pipeline(path: str | Path, exclude: Iterable[str] = ()) -> Language:
    """Load a zhfacts spaCy pipeline folder (models/zh_news by default), less `exclude`.

    Its layers multiply through numpy's BLAS rather than thinc's default blis: for their small
    matrices (64 wide) that makes the statistical NER about twice as fast on CPU (`make bench`),
    with the same tags (tests/test_extract.py).
    """
    folder = Path(path)
    if not (folder / "config.cfg").exists():
        raise missing_model(folder)
    with use_ops("numpy", use_blis=False):
        return spacy.load(folder, exclude=list(exclude))


class Extractor:
    """Turns Documents into output records; loads the pipeline once and reuses it.

    `options.fast` loads it without the statistical components (the fast tier); every other
    stage and the output are the same. A text longer than `piece_characters` goes through the
    pipeline in pieces (pieces.py), so no input is too long for spaCy or for memory.
    """

    def __init__(self, options: Options | None = None, nlp: Language | None = None) -> None:
        self.options = options or Options()
        if nlp is None:
            exclude = STATISTICAL_COMPONENTS if self.options.fast else ()
            nlp = load_pipeline(self.options.model, exclude)
        self.nlp = nlp
        self.knowledge: Knowledge = self.nlp.get_pipe(KNOWLEDGE_PIPE).knowledge  # type: ignore[attr-defined]
        self.cleaner = PageCleaner(self.knowledge.page_furniture)
        self.converter = Converter(self.options.conversion)
        self.values = ValueFinder(Lexicon.from_dir(self.knowledge.path))
        self._zone = ExitStack()
        self._zone_start: int | None = None  # strings in the vocab when the zone opened
        self.piece_characters = min(PIECE_CHARACTERS, self.nlp.max_length)

    def warm_up(self) -> None:
        """Load what the pipeline loads on first use (jieba's dictionary, lookup tables), so
        that workers forked after this share it instead of each loading its own."""
        self(Document("warm-up", "英伟达执行长黄仁勋表示，五成订单来自广东。", "warm-up", "txt"))

    def __call__(self, document: Document) -> dict[str, Any]:
        """The output record of one document; a stage's error propagates."""
        return self.with_article(document)[1]

    def with_article(self, document: Document) -> tuple[Article, dict[str, Any]]:
        """The article kept from the document, and the output record of the document."""
        article, converted = self._prepare(document)
        return article, self._record(article, converted)

    def pipe(
        self, documents: Iterable[Document], batch_size: int = BATCH_SIZE
    ) -> Iterator[dict[str, Any] | Problem]:
        """One record per document in order, or a failed Problem for a document a stage rejects.

        Documents go through `nlp.pipe` in batches inside a memory zone that is renewed once it
        holds ZONE_STRINGS new strings: memory stays flat on any corpus, while the words of
        recent batches keep their lexemes (making a lexeme costs far more than finding one).
        """
        documents = iter(documents)
        while batch := list(islice(documents, batch_size)):
            strings = len(self.nlp.vocab.strings)
            if self._zone_start is None or strings - self._zone_start >= ZONE_STRINGS:
                self._zone.close()
                self._zone.enter_context(self.nlp.memory_zone())
                self._zone_start = len(self.nlp.vocab.strings)
            yield from self._pipe_batch(batch)

    def _pipe_batch(self, batch: list[Document]) -> Iterator[dict[str, Any] | Problem]:
        prepared: list[tuple[Article, Converted] | Problem] = []
        for document in batch:
            try:
                prepared.append(self._prepare(document))
            except Exception as error:  # one bad document must not stop the run
                prepared.append(failed(document, error))
        texts = [
            item[1].text
            for item in prepared
            if not isinstance(item, Problem) and len(item[1].text) <= self.piece_characters
        ]
        try:
            docs: Iterator[Doc | None] = iter(
                [
                    doc
                    for group in batches_by_characters(texts, PIPE_CHARACTERS)
                    for doc in self.nlp.pipe(group)
                ]
            )
        except Exception:
            docs = iter([None] * len(texts))  # a component failed: run the batch doc by doc
        for document, item in zip(batch, prepared, strict=True):
            if isinstance(item, Problem):
                yield item
                continue
            try:
                doc = next(docs) if len(item[1].text) <= self.piece_characters else None
                yield self._record(*item, doc)
            except Exception as error:
                yield failed(document, error)

    def _prepare(self, document: Document) -> tuple[Article, Converted]:
        article = extract_article(document, self.cleaner)
        return article, self.converter(article.text)

    def _record(
        self, article: Article, converted: Converted, doc: Doc | None = None
    ) -> dict[str, Any]:
        """The output record; `doc` is the converted text already through the pipeline."""
        pieces = cut(converted.text, self.piece_characters)
        if doc is None or len(pieces) > 1:
            # Made one at a time and dropped once analysed: memory holds one piece's doc.
            docs: Iterable[Doc] = (self.nlp(converted.text[start:end]) for start, end in pieces)
        else:
            docs = [doc]
        script = detect_script(article.text)
        parts = [
            self._analyse(article, converted, script, piece, piece_doc)
            for piece, piece_doc in zip(pieces, docs, strict=True)
        ]
        return document_record(article, script, *join(parts))

    def _analyse(
        self,
        article: Article,
        converted: Converted,
        script: str,
        piece: tuple[int, int],
        doc: Doc,
    ) -> Analysis:
        """Entities, facts and values of `doc`, the converted text's piece [start, end)."""
        start, end = piece

        def to_original(begin: int, stop: int) -> tuple[int, int]:
            return article.offsets.span(*converted.offsets.span(start + begin, start + stop))

        text = converted.text[start:end]
        original = article.document.text
        entities = link_entities(doc, self.knowledge, original, to_original, script)
        sentences = Sentences(text, original, to_original)
        facts = extract_facts(doc, entities, self.knowledge, sentences)
        found = self.values(text, article_date(article.date))
        values = attach_values(doc, found, entities, sentences)
        return entities, facts, values


def failed(document: Document, error: Exception) -> Problem:
    """The Problem recorded for a document that a stage failed on."""
    return Problem("failed", document.doc_id, document.source, f"{type(error).__name__}: {error}")


def batches_by_characters(texts: list[str], limit: int) -> Iterator[list[str]]:
    """Consecutive groups of `texts` of at most `limit` characters (or one longer text)."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > limit:
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield group
