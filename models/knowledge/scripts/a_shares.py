"""Generate companies_ashare_generated.tsv: A-share listed companies under their stock codes.

Source: sources/adata/code.csv, the static stock list shipped in adata 2.9.5
(https://github.com/1nchaos/adata; the wheel's LICENSE file is Apache-2.0, its classifier says
MIT: both allow copying with attribution). It holds codes and short names only, no full names.
Refresh it with:

    pip download adata==2.9.5 --no-deps -d /tmp/adata && cd /tmp/adata && unzip -q adata-*.whl
    cp adata/stock/cache/code.csv sources/adata/code.csv

Run from the repository root: `.venv/bin/python models/knowledge/scripts/a_shares.py`.

A short name becomes a company only when it is safe to match in running text: not a delisted
stock, not taken by a curated name or a place, not a generic word, not a word in jieba's
dictionary (太平洋, 长安, 宏图) and not a place plus a common word (中国电影). Generated names
match only as whole jieba words (`match` = word), never inside a longer word.
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
# jieba dictionary frequencies above which a name is read as a word (or a phrase's second half).
WORD_FREQUENCY = 10
PHRASE_FREQUENCY = 100


def clean(short_name: str) -> str:
    """万  科Ａ -> 万科, *ST泛海 -> 泛海: the name as news writes it."""
    name = re.sub(r"\s", "", short_name).translate({0xFF21: "A", 0xFF22: "B"})
    return SHARE_CLASS.sub("", STATUS.sub("", name))


def is_common_word(name: str, words: dict[str, tuple[int, str]], places: set[str]) -> bool:
    """Whether news would read `name` as an ordinary word or phrase first.

    A word jieba knows (宏图, 恒久, 金融街) unless jieba tags it an organization, or a place
    followed by a common word (中国电影, 浙江医药: a phrase before it is a company).
    """
    freq, tag = words.get(name, (0, ""))
    if freq >= WORD_FREQUENCY and tag != "nt":
        return True
    return any(
        name.startswith(place) and words.get(name[len(place) :], (0, ""))[0] >= PHRASE_FREQUENCY
        for place in places
    )


def main() -> None:
    entries = read_entries(curated_files("") + [KNOWLEDGE / "places_cn_generated.tsv"])
    taken = {alias for entry in entries.values() for alias in entry.names}
    generic = {row["word"] for _, row in read_rows(KNOWLEDGE / "generic.tsv", ("word",))}
    words = common_words()
    places = {
        name
        for entry in entries.values()
        if entry.type == "PROVINCE" or entry.attrs.get("kind") == "country"
        for name in entry.names
        if len(name) >= 2
    }
    companies: dict[str, list[str]] = {}  # name -> stock codes (A and B shares of one company)
    with SOURCE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            short = row["short_name"]
            if "退" in short or short.startswith("PT"):
                continue  # delisted
            name = clean(short)
            if (
                len(name) < 2
                or name in taken
                or name in generic
                or is_common_word(name, words, places)
            ):
                continue
            companies.setdefault(name, []).append(row["stock_code"])
    rows = [
        [f"company/cn-{codes[0]}", name, "", "", "place/cn", "|".join(codes), "word", CITATION]
        for name, codes in companies.items()
    ]
    header = ["id", "name", "name_en", "aliases", "country", "stock", "match", "source"]
    write_tsv(OUTPUT, header, rows)
    print(f"wrote {len(rows)} companies to {OUTPUT}")


if __name__ == "__main__":
    main()
