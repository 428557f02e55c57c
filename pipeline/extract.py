"""One document through every stage: article -> convert -> tag -> link -> facts -> record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from . import segment, tag  # noqa: F401  (registers the tokenizer and components)
from .article import PageCleaner, extract_article
from .convert import Converter, detect_script
from .errors import missing_model
from .facts import Sentences, attach_values, extract_facts
from .knowledge import Knowledge
from .link import link_entities
from .types import Document, Options
from .values import Lexicon, ValueFinder, article_date
from .write import document_record

KNOWLEDGE_PIPE = "zhfacts_knowledge_ruler"


def load_pipeline(path: str | Path) -> Language:
    """Load a zhfacts spaCy pipeline folder (models/zh_news by default)."""
    folder = Path(path)
    if not (folder / "config.cfg").exists():
        raise missing_model(folder)
    return spacy.load(folder)


class Extractor:
    """Turns Documents into output records; loads the pipeline once and reuses it."""

    def __init__(self, options: Options | None = None, nlp: Language | None = None) -> None:
        self.options = options or Options()
        self.nlp = nlp if nlp is not None else load_pipeline(self.options.model)
        self.knowledge: Knowledge = self.nlp.get_pipe(KNOWLEDGE_PIPE).knowledge
        self.cleaner = PageCleaner(self.knowledge.page_furniture)
        self.converter = Converter(self.options.conversion)
        self.values = ValueFinder(Lexicon.from_dir(self.knowledge.path))

    def __call__(self, document: Document) -> dict[str, Any]:
        article = extract_article(document, self.cleaner)
        converted = self.converter(article.text)
        doc = self.nlp(converted.text)

        def to_original(start: int, end: int) -> tuple[int, int]:
            return article.offsets.span(*converted.offsets.span(start, end))

        entities = link_entities(doc, self.knowledge, document.text, to_original)
        sentences = Sentences(doc.text, document.text, to_original)
        facts = extract_facts(doc, entities, self.knowledge, sentences)
        found = self.values(doc.text, article_date(article.date))
        values = attach_values(doc, found, entities, sentences)
        return document_record(article, detect_script(article.text), entities, facts, values)
