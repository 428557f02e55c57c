"""The `zhfacts` command: parses arguments and dispatches, nothing else."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from contextlib import closing
from pathlib import Path

from .errors import UsageError, ZhfactsError
from .export import FORMATS as EXPORT_FORMATS
from .kb import BATCH_SIZE, DEFAULT_DB
from .types import CONVERSIONS, DEFAULT_KNOWLEDGE, DEFAULT_MODEL, Options


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
            "Inputs that yield no article are listed in OUT.errors.jsonl; OUT.summary.json "
            "accounts for every input. Exit status: 0 when every document was processed, "
            "1 when some failed (the rest are written), 2 for usage errors and for an "
            "output that cannot be written (no permission, disk full)."
        ),
    )
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to read")
    extract.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.jsonl", help="output file"
    )
    _add_model_options(extract)
    _add_batch_options(extract)
    extract.set_defaults(handler=_extract)
    _add_eval(commands)
    _add_show(commands)
    _add_kb(commands)
    return parser


def _add_batch_options(extract: argparse.ArgumentParser) -> None:
    extract.add_argument(
        "--fast",
        action="store_true",
        help="skip the statistical NER: knowledge, rules and facts only (same output format)",
    )
    extract.add_argument(
        "--workers",
        type=_positive,
        default=_cores(),
        metavar="N",
        help="worker processes (default: all cores, here %(default)s)",
    )
    extract.add_argument(
        "--resume",
        action="store_true",
        help="go on with an interrupted run into the same OUT, from where it stopped",
    )
    extract.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes, or a Dask cluster (default: %(default)s)",
    )
    extract.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler to use (default: a local cluster of N workers)",
    )


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _add_eval(commands: argparse._SubParsersAction) -> None:
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
    _add_model_options(evaluate)
    evaluate.set_defaults(handler=_eval)


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        type=Path,
        default=DEFAULT_MODEL,
        help="spaCy pipeline folder (default: %(default)s)",
    )
    parser.add_argument(
        "--conversion",
        choices=CONVERSIONS,
        default=Options.conversion,
        help="OpenCC conversion applied before tagging (default: %(default)s)",
    )


def _add_show(commands: argparse._SubParsersAction) -> None:
    show = commands.add_parser(
        "show",
        help="write an HTML page of the entities, facts and values found in news files",
        description=(
            "Extract FILE (any input extract reads) and write one self-contained HTML page: "
            "each article with its entities and values highlighted by type, and tables of its "
            "facts and values with their evidence."
        ),
    )
    show.add_argument("inputs", nargs="+", metavar="FILE", help="files or folders to show")
    show.add_argument("--html", required=True, type=Path, metavar="OUT.html", help="page to write")
    _add_model_options(show)
    show.set_defaults(handler=_show)


def _add_kb(commands: argparse._SubParsersAction) -> None:
    kb = commands.add_parser(
        "kb",
        help="load extract output into a SQLite knowledge base, look entities up, export",
        description="A SQLite knowledge base of documents, entities, aliases, facts and values.",
    )
    actions = kb.add_subparsers(dest="action", required=True, metavar="ACTION")
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="SQLite file (default: %(default)s)"
    )
    load = actions.add_parser(
        "load",
        parents=[database],
        help="load extract output (JSON Lines) into the knowledge base",
        description=(
            "Load OUT.jsonl files written by `zhfacts extract`. Loading is idempotent: a "
            "document already loaded is skipped, a changed one replaces its rows. Lines that "
            "cannot be loaded are reported with their file and line; the others load."
        ),
    )
    load.add_argument("inputs", nargs="+", type=Path, metavar="OUT.jsonl", help="files to load")
    load.add_argument(
        "--knowledge",
        type=Path,
        default=DEFAULT_KNOWLEDGE,
        help="knowledge folder whose aliases are added to the entities (default: %(default)s)",
    )
    load.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="documents per transaction"
    )
    load.set_defaults(handler=_kb_load)
    show = actions.add_parser(
        "show",
        parents=[database],
        help="print the card of an entity, found by any of its names",
        description="Print the entity card: type, names, aliases, documents, facts, values.",
    )
    show.add_argument("name", metavar="NAME", help="an alias (川普), a canonical name or an id")
    show.add_argument("--json", action="store_true", help="print the cards as JSON")
    show.set_defaults(handler=_kb_show)
    export = actions.add_parser(
        "export",
        parents=[database],
        help="write the knowledge base as JSON Lines or N-Triples",
        description="Write every document, entity, fact and value for loading into other stores.",
    )
    export.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="file to write (default: stdout)"
    )
    export.set_defaults(handler=_kb_export)


def _extract(args: argparse.Namespace) -> int:
    from .batch import run_extract

    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    summary = run_extract(
        args.inputs,
        args.output,
        Options(model=args.model, conversion=args.conversion, fast=args.fast),
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=sys.stderr.isatty(),
    )
    rate = summary.characters / max(summary.seconds, 1e-6)
    entities = (
        ", ".join(f"{kind} {count}" for kind, count in sorted(summary.entities.items())) or "none"
    )
    print(
        f"documents: {summary.processed} processed, {summary.skipped} skipped, "
        f"{summary.failed} failed\n"
        f"entities: {entities}\n"
        f"facts: {summary.facts}\n"
        f"time: {summary.seconds:.2f} s, {rate:,.0f} chars/s\n"
        f"output: {args.output} (summary in {args.output}.summary.json)",
        file=sys.stderr,
    )
    return 1 if summary.failed else 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_table

    options = Options(model=args.model, conversion=args.conversion)
    kind, scores = evaluate(args.gold, args.system, options)
    if args.json:
        report = {label: score.as_dict() for label, score in scores.items()}
        print(json.dumps({"format": kind, "scores": report}, ensure_ascii=False, indent=1))
    else:
        print(format_table(kind, scores))
    return 0


def _show(args: argparse.Namespace) -> int:
    from .extract import Extractor
    from .show import write_article_page

    extractor = Extractor(Options(model=args.model, conversion=args.conversion))
    problems = write_article_page(args.inputs, args.html, extractor)
    for problem in problems:
        print(f"zhfacts: {problem.status}: {problem.source}: {problem.error}", file=sys.stderr)
    print(f"page: {args.html}", file=sys.stderr)
    return 1 if problems else 0


def _kb_load(args: argparse.Namespace) -> int:
    from .kb import load
    from .knowledge import Knowledge

    summary = load(args.inputs, args.db, Knowledge.from_dir(args.knowledge), args.batch_size)
    for bad in summary.bad:
        print(f"zhfacts: skipped {bad}", file=sys.stderr)
    print(summary.describe(), file=sys.stderr)
    return 1 if summary.bad else 0


def _kb_show(args: argparse.Namespace) -> int:
    from .kb import card, connect, find, similar
    from .show import card_text

    with closing(connect(args.db)) as connection:
        cards = [card(connection, identifier) for identifier in find(connection, args.name)]
        suggestions = [] if cards else similar(connection, args.name)
    if not cards:
        hint = f"; similar names: {', '.join(suggestions)}" if suggestions else ""
        print(f"zhfacts: no entity named {args.name!r} in {args.db}{hint}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(cards, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(card_text(one) for one in cards))
    return 0


def _kb_export(args: argparse.Namespace) -> int:
    from .export import export
    from .kb import connect

    with closing(connect(args.db)) as connection:
        if args.output is None:
            export(connection, sys.stdout, args.format)
        else:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            with args.output.open("w", encoding="utf-8") as output:
                lines = export(connection, output, args.format)
            print(f"{args.format}: {lines} lines in {args.output}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ZhfactsError as error:
        print(f"zhfacts: error: {error}", file=sys.stderr)
        return 2


def run() -> None:
    """The `zhfacts` console script: main(), then exit with its status."""
    status = main()
    # The collector's passes over the loaded pipeline at interpreter exit take about 0.5 s, a
    # sixth of the start-up budget; frozen objects are left to reference counting and the OS.
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
