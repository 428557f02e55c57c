"""The `zhfacts` command: parses arguments and dispatches, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import UsageError, ZhfactsError
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
            "Inputs that yield no article are listed in OUT.errors.jsonl; OUT.summary.json "
            "accounts for every input. Exit status: 0 when every document was processed, "
            "1 when some failed (the rest are written), 2 for usage errors."
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
    extract.set_defaults(handler=_extract)
    return parser


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ZhfactsError as error:
        print(f"zhfacts: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
