"""Build the shipped spaCy pipeline (models/zh_news) from the knowledge files.

    python -m pipeline.build --knowledge models/knowledge --output models/zh_news

Components already trained in the output folder (a statistical `ner`, say) are kept: they are
sourced from the existing pipeline, so rebuilding the knowledge never drops a trained model.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language

from . import __version__, segment, tag  # noqa: F401  (registers the tokenizer and components)
from .knowledge import Knowledge
from .ner_features import GAZETTEER, known_names
from .segment import JiebaTokenizer
from .tag import KNOWLEDGE_PIPE, KnowledgeRuler

KNOWLEDGE_COMPONENTS = (KNOWLEDGE_PIPE, "zhfacts_title_grammar")
PIPELINE_CONFIG = {
    "nlp": {
        "tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1", "hmm": True},
        "after_creation": {"@callbacks": "zhfacts.word_attributes.v1"},
    }
}


def build_pipeline(
    knowledge_dir: str | Path, previous: Language | None = None, order: list[str] | None = None
) -> Language:
    """A fresh pipeline: jieba tokenizer with the knowledge as user dictionary, ruler, grammar,
    and the known names in the vocab (the gazetteer of the NER's features)."""
    nlp = spacy.blank("zh", config=PIPELINE_CONFIG)
    # The previous pipeline's order is kept: the statistical NER runs before the rules.
    order = list(order or (previous.pipe_names if previous is not None else []))
    order += [name for name in KNOWLEDGE_COMPONENTS if name not in order]
    for name in order:
        if name in KNOWLEDGE_COMPONENTS:
            nlp.add_pipe(name)
        else:
            nlp.add_pipe(name, source=previous)
    knowledge = Knowledge.from_dir(knowledge_dir)
    ruler = cast(KnowledgeRuler, nlp.get_pipe(KNOWLEDGE_PIPE))
    ruler.set_knowledge(knowledge)
    cast(JiebaTokenizer, nlp.tokenizer).set_user_words(ruler.words())
    nlp.vocab.lookups.add_table(GAZETTEER, known_names(knowledge))  # the NER's features read it
    nlp.meta.update(
        {
            "name": "zh_news",
            "version": __version__,
            "description": "zhfacts Chinese news pipeline: jieba, knowledge ruler, title grammar",
            "license": "Apache-2.0 (code); see models/README.md for data terms",
            "sources": [{"name": "zhfacts knowledge files", "url": "models/knowledge"}],
        }
    )
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=Path("models/knowledge"))
    parser.add_argument("--output", type=Path, default=Path("models/zh_news"))
    args = parser.parse_args()
    # The knowledge components are rebuilt, so never read from the old folder: its knowledge
    # files may be of an older layout.
    previous, order = None, None
    if (args.output / "config.cfg").exists():
        order = spacy.util.load_config(args.output / "config.cfg")["nlp"]["pipeline"]
        previous = spacy.load(args.output, exclude=list(KNOWLEDGE_COMPONENTS))
    nlp = build_pipeline(args.knowledge, previous, order)
    nlp.to_disk(args.output)
    print(f"saved {args.output} with {', '.join(nlp.pipe_names)}")


if __name__ == "__main__":
    main()
