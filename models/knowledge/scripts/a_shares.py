"""Generate companies_ashare_generated.tsv: A-share listed companies under their stock codes.

Source: sources/adata/code.csv, the static stock list shipped in adata 2.9.5
(https://github.com/1nchaos/adata; the wheel's LICENSE file is Apache-2.0, its classifier says
MIT: both allow copying with attribution). It holds codes and short names only, no full names.
Refresh it with:

    pip download adata==2.9.5 --no-deps -d /tmp/adata && cd /tmp/adata && unzip -q adata-*.whl
    cp adata/stock/cache/code.csv sources/adata/code.csv

Run from the repository root: `.venv/bin/python models/knowledge/scripts/a_shares.py`.

A short name becomes a company only when it is safe to match in running text: not a delisted
stock, not taken by a curated name or a place, not a generic word, and not an ordinary word or
place name in jieba's dictionary (太平洋, 长安, 农产品, 张家界 are read as words or places first).
"""

from __future__ import annotations

import csv
import re
import sys

from common import KNOWLEDGE, common_words, curated_files, write_tsv

sys.path.insert(0, str(KNOWLEDGE.parents[1]))
from pipeline.knowledge import read_entries, read_rows  # noqa: E402

SOURCE = KNOWLEDGE / "sources" / "adata" / "code.csv"
OUTPUT = KNOWLEDGE / "companies_ashare_generated.tsv"
CITATION = "adata 2.9.5 stock list (Apache-2.0)"
# Trading-status marks around a short name: *ST, ST, PT, S (unreformed), XD/XR/DR (ex-rights),
# N/C/U (newly listed, unprofitable); A/B mark the share class.
STATUS = re.compile(r"^(S?\*?ST|PT|XD|XR|DR|[SNCU](?=[\u4e00-\u9fff]))")
SHARE_CLASS = re.compile(r"[AB]$")
# Words jieba reads as place names (天津港, 中关村) or as ordinary words this common stay out.
PLACE_TAGS = ("ns",)
ORDINARY_FREQUENCY = 100
PLACE_FREQUENCY = 10


def clean(short_name: str) -> str:
    """万  科Ａ -> 万科, *ST泛海 -> 泛海: the name as news writes it."""
    name = re.sub(r"\s", "", short_name).translate({0xFF21: "A", 0xFF22: "B"})
    return SHARE_CLASS.sub("", STATUS.sub("", name))


def is_common_word(name: str, words: dict[str, tuple[int, str]]) -> bool:
    freq, tag = words.get(name, (0, ""))
    if tag in PLACE_TAGS:
        return freq >= PLACE_FREQUENCY
    return freq >= ORDINARY_FREQUENCY and tag != "nt"


def main() -> None:
    entries = read_entries(curated_files("") + [KNOWLEDGE / "places_cn_generated.tsv"])
    taken = {alias for entry in entries.values() for alias in entry.names}
    generic = {row["word"] for _, row in read_rows(KNOWLEDGE / "generic.tsv", ("word",))}
    words = common_words()
    companies: dict[str, list[str]] = {}  # name -> stock codes (A and B shares of one company)
    with SOURCE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            short = row["short_name"]
            if "退" in short or short.startswith("PT"):
                continue  # delisted
            name = clean(short)
            if len(name) < 2 or name in taken or name in generic or is_common_word(name, words):
                continue
            companies.setdefault(name, []).append(row["stock_code"])
    rows = [
        [f"company/cn-{codes[0]}", name, "", "", "place/cn", "|".join(codes), CITATION]
        for name, codes in companies.items()
    ]
    header = ["id", "name", "name_en", "aliases", "country", "stock", "source"]
    write_tsv(OUTPUT, header, rows)
    print(f"wrote {len(rows)} companies to {OUTPUT}")


if __name__ == "__main__":
    main()
