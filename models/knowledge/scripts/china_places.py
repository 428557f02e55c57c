"""Generate places_cn_generated.tsv: China's cities and counties, each under its province, and
places_cn_towns_generated.tsv: their towns, townships and subdistricts (镇, 乡, 街道).

Source: sources/jionlp/china_location.txt, the province/city/county/town levels of `china_location`
from jionlp 1.5.31 (https://github.com/dongrixinyu/JioNLP), Apache-2.0, copied with its LICENSE
beside it (jionlp itself is not a dependency). Refresh the excerpt with:

    pip download jionlp==1.5.31 --no-deps -d /tmp/jio && cd /tmp/jio && unzip -q jionlp-*.whl
    unzip -p jionlp/dictionary/china_location.zip china_location.txt \
        | grep -P '^[^\\t]|^\\t[^\\t]|^\\t\\t[^\\t]|^\\t\\t\\t[^\\t]' \\
        > sources/jionlp/china_location.txt

Run from the repository root: `.venv/bin/python models/knowledge/scripts/china_places.py`.

Provinces themselves are curated in places.tsv (place/cn-11 ...). A short name (昆山 for 昆山市)
becomes an alias only when it is safe: at least two characters, not a generic word, not shared
with another place or any curated name, and not a common word in jieba's dictionary (长安, 和平,
江山, 东方 are ordinary words first). Full names (昆山市) are always aliases. Generated names
match only as whole jieba words (`match` = word): 海宁市 is no name in 海宁市区.

A town goes by its full name (榆垡镇, 清源街道) where no other town, no curated name and no common
word has it; else by its county's and its own (大兴区清源街道), and the knowledge ruler names it
bare only in a text that names its county (see Knowledge.shared_districts).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from common import KNOWLEDGE, common_words, curated_files, write_tsv

sys.path.insert(0, str(KNOWLEDGE.parents[1]))
from pipeline.knowledge import read_entries, read_rows  # noqa: E402
from pipeline.tag import alias_forms  # noqa: E402

SOURCE = KNOWLEDGE / "sources" / "jionlp" / "china_location.txt"
OUTPUT = KNOWLEDGE / "places_cn_generated.tsv"
TOWNS_OUTPUT = KNOWLEDGE / "places_cn_towns_generated.tsv"
TOWN_LEVELS = ("镇", "乡", "街道")  # the source's fourth level also holds farms, zones, prisons
CITATION = "jionlp 1.5.31 china_location (Apache-2.0)"
# Development zones and administrative groupings in the source are not places of their own.
NOT_PLACES = (
    "开发区",
    "高新",
    "产业园",
    "工业园",
    "管委会",
    "委员会",
    "示范区",
    "合作区",
    "试验区",
    "实验区",
    "管理区",
    "行政区划",
    "岛礁",
)

# Autonomous prefectures and counties go by their short name and the level (凉山州, 长阳县).
AUTONOMOUS = ("自治州", "自治县")


def read_levels(path: Path) -> list[tuple[int, str, str, str]]:
    """(level, full name, adcode, short name) for each province, city and county line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        level = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t") + ["", ""]
        # A few short names come in two forms (巴州/巴音郭楞): the last is the name's own start.
        rows.append((level, fields[0], fields[1], fields[2].split("/")[-1]))
    return rows


ORDINARY_TAGS = ("v", "vn", "a", "ad", "an", "d", "m", "f", "s", "b")


def is_common_word(short: str, kind: str, words: dict[str, tuple[int, str]]) -> bool:
    """Whether jieba reads `short` as an ordinary word first (长安, 和平, 开封 the verb)."""
    freq, tag = words.get(short, (0, ""))
    if kind == "city":
        return freq >= 300 and tag in ORDINARY_TAGS
    return freq >= 100 and not (tag == "ns" and freq < 300)


def main() -> None:
    curated = read_entries(curated_files(""))
    taken = {alias for entry in curated.values() for alias in entry.names}
    generic = {row["word"] for _, row in read_rows(KNOWLEDGE / "generic.tsv", ("word",))}
    # Curated places (provinces, some cities) keep their ids; their children point to them.
    known = {
        entry.attrs["adcode"]: entry.id for entry in curated.values() if "adcode" in entry.attrs
    }
    words = common_words()
    places = []  # (id, kind, full name, short name, parent id, parent's full name, adcode)
    towns = []  # (name, county id, county's full name, county's adcode)
    province = city = county = ("", "")
    for level, full, adcode, short in read_levels(SOURCE):
        if level == 0:
            province = city = (known[adcode], full)
        elif level == 1:
            # Municipalities and SARs repeat the province; 省直辖 groups have no city of their own.
            if adcode.endswith("0000") or short == "省直辖":
                city = province
            else:
                city = (known.get(adcode, f"place/cn-{adcode}"), full)
                places.append((city[0], "city", full, short, *province, adcode))
        elif adcode:
            places.append((f"place/cn-{adcode}", "county", full, short, *city, adcode))
            county = (known.get(adcode, f"place/cn-{adcode}"), full, adcode)
        elif level == 3 and county[0]:
            towns.append((full, *county))
    places = [place for place in places if not any(marker in place[2] for marker in NOT_PLACES)]
    # A city keeps its short name before a county of the same name (通化市 over 通化县).
    shorts = Counter(place[3] for place in places)
    city_shorts = Counter(place[3] for place in places if place[1] == "city")
    fulls = Counter(place[2] for place in places)
    rows = []
    for place_id, kind, full, short, parent, parent_full, adcode in places:
        if adcode in known:
            continue
        if fulls[full] > 1 or full in generic:
            # 鼓楼区 is in four cities, 矿区 is a word: only 南京市鼓楼区, 阳泉市矿区 are safe.
            full, short = parent_full + full, ""
        safe = (
            len(short) >= 2
            and short != full
            and (city_shorts[short] == 1 if kind == "city" else shorts[short] == 1)
            and short not in taken
            and short not in generic
            and not is_common_word(short, kind, words)
        )
        name, aliases = (short, [full]) if safe else (full, [])
        if safe and full.endswith(AUTONOMOUS) and short + full[-1] not in fulls:
            aliases.append(short + full[-1])  # 阿坝州 for 阿坝藏族羌族自治州, as news writes it
        row = [place_id, "GPE", kind, name, "", "|".join(aliases), parent, adcode, "word"]
        rows.append([*row, CITATION])
    header = ["id", "type", "kind", "name", "name_en", "aliases", "parent", "adcode", "match"]
    header.append("source")
    write_tsv(OUTPUT, header, rows)
    print(f"wrote {len(rows)} places to {OUTPUT}")
    counties = {row[0] for row in rows} | set(known.values())
    town_rows = town_table(towns, counties, taken | generic, words)
    write_tsv(TOWNS_OUTPUT, [*header[:6], "parent", "source"], town_rows)
    print(f"wrote {len(town_rows)} towns to {TOWNS_OUTPUT}")


def town_stem(name: str) -> str:
    """A town's name without its level (榆垡 for 榆垡镇, 清源 for 清源街道)."""
    return name.removesuffix("街道") if name.endswith("街道") else name[:-1]


def town_table(
    towns: list[tuple[str, str, str, str]],
    counties: set[str],
    taken: set[str],
    words: dict[str, tuple[int, str]],
) -> list[list[str]]:
    """One row per town of a known county, named as the module's docstring says."""
    towns = [
        town
        for town in towns
        if town[1] in counties
        and town[0].endswith(TOWN_LEVELS)
        and len(town_stem(town[0])) >= 2
        and not any(marker in town[0] for marker in NOT_PLACES)
    ]
    names = Counter(name for name, *_ in towns)
    written = {}
    for town in dict.fromkeys(towns):
        name, _, county_full, _ = town
        alone = names[name] == 1 and name not in taken
        common = is_common_word(town_stem(name), "town", words)
        written[town] = name if alone and not common else county_full + name
    # Two counties of one name may hold towns of one name (市中区白马镇), and a name may read as
    # another once simplified (濛阳镇, 蒙阳镇): such towns are left out, no id would be sure.
    forms = Counter(form for name in written.values() for form in alias_forms(name))
    rows = []
    for (name, county_id, _, adcode), name_written in written.items():
        if all(forms[form] == 1 for form in alias_forms(name_written)):
            place_id = f"place/cn-{adcode}-{name}"
            rows.append([place_id, "GPE", "town", name_written, "", "", county_id, CITATION])
    return rows


if __name__ == "__main__":
    main()
