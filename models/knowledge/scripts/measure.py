"""Measure the knowledge resources: coverage, false positives, jieba boundaries, news scores.

    .venv/bin/python models/knowledge/scripts/measure.py [--model models/zh_news] [--show 30]

Prints, from the shipped pipeline (rebuild it with `make model` first):
1. the sample page (corpus/annotated): per type, gold mentions whose text the ruler tags
   with the gold type and canonical name;
2. CLUENER dev (../shared/data/ner): company, government and address spans the ruler tags
   exactly, or covers with a match inside the span;
3. false positives: ruler matches on CLUENER dev and MSRA test that fall outside every gold
   span of a compatible label, with the most frequent aliases behind them; and the persons
   the title grammar finds on MSRA test that are exactly a gold PER span;
4. the share of known-entity mentions (ruler matches) whose ends are not jieba token
   boundaries, with jieba's own dictionary and with the pipeline's user dictionary;
5. the hand-written news texts (models/knowledge/eval/news.jsonl): per-type F1 and the share
   of found entities with the right canonical name;
6. the speed of the pipeline against its jieba tokenizer alone (MSRA test as articles).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import spacy  # noqa: E402

from pipeline import segment, tag  # noqa: E402,F401  (registers the components)
from pipeline.convert import converter  # noqa: E402
from pipeline.evaluate import Score, score_document  # noqa: E402
from pipeline.extract import Extractor  # noqa: E402
from pipeline.types import STATISTICAL_COMPONENTS, Document, Options  # noqa: E402

NER = ROOT.parent / "shared" / "data" / "ner"
SAMPLE = ROOT / "corpus"
NEWS = ROOT / "models" / "knowledge" / "eval" / "news.jsonl"
# Which gold labels a ruler type may fall inside without being a false positive.
COMPATIBLE = {
    "cluener": {
        "COMPANY": {"company", "organization"},
        "ORG": {"government", "organization", "company"},
        "GPE": {"address", "government", "organization", "company", "scene"},
        "PROVINCE": {"address", "government", "organization", "company", "scene"},
        "PERSON": {"name"},
        "OFFICIAL": {"name"},
        "CHIP": {"game", "company"},
    },
    "msra": {
        "COMPANY": {"ORG"},
        "ORG": {"ORG"},
        "GPE": {"LOC", "ORG"},
        "PROVINCE": {"LOC", "ORG"},
        "PERSON": {"PER"},
        "OFFICIAL": {"PER"},
        "CHIP": set(),
    },
}
CLUENER_TYPES = {
    "company": {"COMPANY"},
    "government": {"ORG"},
    "address": {"GPE", "PROVINCE"},
}


class Tagger:
    """The pipeline's rules (the --fast tier: no statistical NER), plus a plain jieba."""

    def __init__(self, model: Path) -> None:
        self.nlp = spacy.load(model, exclude=list(STATISTICAL_COMPONENTS))
        self.ruler = self.nlp.get_pipe("zhfacts_knowledge_ruler")
        self.plain = jieba.Tokenizer()
        self.plain.initialize()

    def matches(self, text: str) -> list[tuple[int, int, str, str]]:
        doc = self.nlp.make_doc(text)
        words = {token.idx for token in doc} | {token.idx + len(token) for token in doc}
        return self.ruler.match(text, words)

    def boundaries(self, text: str, plain: bool) -> set[int]:
        if plain:
            words = list(self.plain.cut(text))
        else:
            words = [token.text_with_ws for token in self.nlp.make_doc(text)]
        bounds, position = {0}, 0
        for word in words:
            position += len(word)
            bounds.add(position)
        return bounds


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def sample_page(tagger: Tagger) -> None:
    gold_file = next((SAMPLE / "annotated").glob("*.gold.json"))
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    found: Counter = Counter()
    total: Counter = Counter()
    for entity in gold["entities"]:
        for mention in entity["mentions"]:
            total[entity["type"]] += 1
            text = converter("t2s").text(mention)
            hits = tagger.matches(text)
            knowledge = tagger.ruler.knowledge
            if any(
                start == 0
                and end == len(text)
                and _canonical(knowledge, entity_id, text) == entity["canonical"]
                for start, end, entity_id, _ in hits
            ):
                found[entity["type"]] += 1
    print("\n1. Sample page: gold mentions the knowledge resources recognise (text alone)")
    for entity_type in sorted(total):
        print(f"   {entity_type:9} {found[entity_type]:3} / {total[entity_type]:3}")
    print(f"   {'all':9} {sum(found.values()):3} / {sum(total.values()):3}")


def _canonical(knowledge, entity_id: str, text: str) -> str:
    entry = knowledge.entries.get(entity_id)
    return entry.name if entry else entity_id.split("/", 1)[1]


def cluener_coverage(tagger: Tagger, rows: list[dict]) -> None:
    exact: Counter = Counter()
    inside: Counter = Counter()
    total: Counter = Counter()
    for row in rows:
        hits = tagger.matches(row["text"])
        for span in row["spans"]:
            types = CLUENER_TYPES.get(span["label"])
            if types is None:
                continue
            total[span["label"]] += 1
            compatible = [hit for hit in hits if hit[3] in types]
            if any(hit[0] == span["start"] and hit[1] == span["end"] for hit in compatible):
                exact[span["label"]] += 1
            if any(span["start"] <= hit[0] and hit[1] <= span["end"] for hit in compatible):
                inside[span["label"]] += 1
    print("\n2. CLUENER dev: gold spans tagged exactly / containing a ruler match of that type")
    for label in CLUENER_TYPES:
        spans, hit, within = total[label], exact[label], inside[label]
        print(
            f"   {label:10} exact {hit:3} / {spans:3} ({_share(hit, spans)})"
            f"   inside {within:3} ({_share(within, spans)})"
        )


def false_positives(tagger: Tagger, name: str, rows: list[dict], show: int) -> None:
    compatible = COMPATIBLE[name]
    matches = 0
    wrong: Counter = Counter()
    by_type: Counter = Counter()
    for row in rows:
        for start, end, entity_id, entity_type in tagger.matches(row["text"]):
            matches += 1
            ok = any(
                span["start"] <= start
                and end <= span["end"]
                and span["label"] in compatible[entity_type]
                for span in row["spans"]
            )
            if not ok:
                wrong[(row["text"][start:end], entity_type, entity_id)] += 1
                by_type[entity_type] += 1
    total_wrong = sum(wrong.values())
    print(f"\n3. {name}: ruler matches outside any gold span of a compatible label")
    print(
        f"   {total_wrong} of {matches} matches ({_share(total_wrong, matches)}); by type: "
        + ", ".join(f"{t} {n}" for t, n in by_type.most_common())
    )
    for (text, entity_type, entity_id), count in wrong.most_common(show):
        print(f"   {count:4}  {text}  {entity_type}  {entity_id}")


def grammar_persons(tagger: Tagger, rows: list[dict], show: int) -> None:
    """Persons the title grammar and bylines find (no list knows them) against MSRA's PER."""
    found = exact = 0
    wrong: Counter = Counter()
    for row in rows:
        for ent in tagger.nlp(row["text"]).ents:
            if ent.label_ not in ("PERSON", "OFFICIAL") or ent.kb_id_:
                continue
            found += 1
            bounds = (ent.start_char, ent.end_char)
            if any(
                span["label"] == "PER" and (span["start"], span["end"]) == bounds
                for span in row["spans"]
            ):
                exact += 1
            else:
                wrong[ent.text] += 1
    print("\n3b. msra: persons found by the title grammar and bylines (not in the lists)")
    print(f"   {exact} of {found} are exactly a gold PER span ({_share(exact, found)})")
    print("   others: " + ", ".join(f"{text} {n}" for text, n in wrong.most_common(show)))


def boundaries(tagger: Tagger, texts: list[str]) -> None:
    mentions = 0
    off = {True: 0, False: 0}
    for text in texts:
        hits = tagger.matches(text)
        if not hits:
            continue
        for plain in (True, False):
            bounds = tagger.boundaries(text, plain)
            off[plain] += sum(1 for start, end, _, _ in hits if not {start, end} <= bounds)
        mentions += len(hits)
    print("\n4. Known-entity mentions whose ends are not jieba token boundaries")
    print(f"   mentions: {mentions}")
    print(f"   jieba alone:                {off[True]:5} ({_share(off[True], mentions)})")
    print(f"   with the user dictionary:   {off[False]:5} ({_share(off[False], mentions)})")


def news(model: Path) -> tuple[dict[str, Score], int, int]:
    """Per-type scores on the hand-written news texts, and canonical names right / checked.

    A found entity is checked when one of its mentions is a gold mention of an entity of the
    same type; its name is right when it is that entity's canonical name.
    """
    extractor = Extractor(Options(model=model))
    scores: dict[str, Score] = defaultdict(Score)
    right = checked = 0
    for row in read_jsonl(NEWS):
        document = Document(row["id"], row["text"], str(NEWS), "txt")
        record = extractor(document)
        for entity_type, score in score_document(row, record).items():
            scores[entity_type].add(score)
        gold = {
            (_family(entity["type"]), mention): entity["canonical"]
            for entity in row["entities"]
            for mention in entity["mentions"]
        }
        for entity in record["entities"]:
            canonicals = {
                gold[key]
                for mention in entity["mentions"]
                if (key := (_family(entity["type"]), mention["text"])) in gold
            }
            if canonicals:
                checked += 1
                right += entity["name"] in canonicals
    return scores, right, checked


def _family(entity_type: str) -> str:
    return "PERSON" if entity_type == "OFFICIAL" else entity_type


def print_news(scores: dict[str, Score], right: int, checked: int) -> None:
    print(f"\n5. Hand-written news texts ({NEWS.relative_to(ROOT)}), the whole pipeline")
    for entity_type, score in sorted(scores.items()):
        print(f"   {entity_type:9} {score.as_dict()}")
    share = _share(right, checked)
    print(f"   canonical name right for {right} of {checked} entities found ({share})")


def throughput(tagger: Tagger, texts: list[str], runs: int = 3) -> None:
    """CPU speed of the pipeline against its tokenizer alone, on ~2,000-character texts.

    Both run over the texts once first (spaCy's vocabulary fills up on first sight); the best
    of `runs` timings counts.
    """
    articles, current = [], ""
    for text in texts:
        current += text
        if len(current) > 2000:
            articles.append(current)
            current = ""
    for article in articles:
        tagger.nlp(article)
    tokenizer = pipeline = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for article in articles:
            tagger.nlp.make_doc(article)
        tokenizer = min(tokenizer, time.process_time() - started)
        started = time.process_time()
        for article in articles:
            tagger.nlp(article)
        pipeline = min(pipeline, time.process_time() - started)
    chars = sum(map(len, articles))
    print(
        f"\n6. Throughput on {len(articles)} texts, {chars:,} characters (CPU time, best of {runs})"
    )
    print(f"   jieba tokenizer alone: {chars / tokenizer:,.0f} chars/s")
    print(f"   tokenizer + ruler + title grammar: {chars / pipeline:,.0f} chars/s")
    print(f"   ratio: {tokenizer / pipeline:.2f}")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "zh_news")
    parser.add_argument("--show", type=int, default=30, help="false positives to list")
    args = parser.parse_args()
    tagger = Tagger(args.model)
    cluener = read_jsonl(NER / "cluener" / "dev.jsonl")
    msra = read_jsonl(NER / "msra" / "test.jsonl")
    sample_page(tagger)
    cluener_coverage(tagger, cluener)
    false_positives(tagger, "cluener", cluener, args.show)
    false_positives(tagger, "msra", msra, args.show)
    grammar_persons(tagger, msra, args.show)
    boundaries(tagger, [row["text"] for row in cluener + msra])
    print_news(*news(args.model))
    throughput(tagger, [row["text"] for row in msra])


if __name__ == "__main__":
    main()
