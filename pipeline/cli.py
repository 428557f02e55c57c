"""The `zhfacts` command: parses arguments and dispatches, nothing else."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import ZhfactsError
from .types import CONVERSIONS, DEFAULT_MODEL, Options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhfacts",
        description="Extract entities and facts from Chinese news as JSON Lines.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="extract entities and facts from news files or folders",
        description=(
            "Read .txt, .html/.htm and .jsonl files (optionally .gz), or folders of them "
            "(recursively), and write one JSON line per article to OUT, in input order. "
            "Inputs that yield no article are listed in OUT.errors.jsonl."
        ),
    )
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to read")
    extract.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.jsonl", help="output file"
    )
    extract.add_argument(
        "--model",
        type=Path,
        default=DEFAULT_MODEL,
        help="spaCy pipeline folder (default: %(default)s)",
    )
    extract.add_argument(
        "--conversion",
        choices=CONVERSIONS,
        default=Options.conversion,
        help="OpenCC conversion applied before tagging (default: %(default)s)",
    )
    extract.set_defaults(handler=_extract)
    evaluate = commands.add_parser(
        "eval",
        help="score entities against gold annotations",
        description=(
            "Score against GOLD: exact spans per label for span-format gold (id, text, spans; "
            "../shared/data/ner), document-level entities per type for gold like "
            "corpus/annotated. Without SYSTEM the pipeline runs on the gold's texts (for spans, "
            "the statistical NER alone with its native labels)."
        ),
    )
    evaluate.add_argument("gold", type=Path, metavar="GOLD.jsonl", help="gold annotations")
    evaluate.add_argument(
        "system", type=Path, nargs="?", metavar="SYSTEM.jsonl", help="system output to score"
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="spaCy pipeline folder")
    evaluate.set_defaults(handler=_eval)
    return parser


def _extract(args: argparse.Namespace) -> int:
    from .batch import run_extract

    summary = run_extract(
        args.inputs, args.output, Options(model=args.model, conversion=args.conversion)
    )
    entities = (
        ", ".join(f"{kind} {count}" for kind, count in sorted(summary.entities.items())) or "none"
    )
    print(
        f"documents: {summary.processed} processed, {summary.skipped} skipped, "
        f"{summary.failed} failed\n"
        f"entities: {entities}\n"
        f"facts: {summary.facts}\n"
        f"time: {summary.seconds:.2f} s\n"
        f"output: {args.output}",
        file=sys.stderr,
    )
    return 1 if summary.failed else 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_table

    kind, scores = evaluate(args.gold, args.system, Options(model=args.model))
    if args.json:
        report = {label: score.as_dict() for label, score in scores.items()}
        print(json.dumps({"format": kind, "scores": report}, ensure_ascii=False, indent=1))
    else:
        print(format_table(kind, scores))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ZhfactsError as error:
        print(f"zhfacts: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
