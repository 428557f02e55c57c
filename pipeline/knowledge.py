"""Load and check the knowledge files: entities with their aliases, titles, offices and rules.

The files live in models/knowledge (TSV, a header row, a `source` column). Entity files are
found by name: places*.tsv, companies*.tsv, chips*.tsv, people*.tsv and orgs*.tsv, so generated
lists can sit beside curated ones. One `Knowledge` object feeds the entity ruler, the jieba user
dictionary, the title grammar, the linker and the facts.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import KnowledgeError

ENTITY_FILES = {
    "places": ("GPE", ("id", "type", "kind", "name", "name_en", "aliases", "parent", "source")),
    "companies": ("COMPANY", ("id", "name", "name_en", "aliases", "source")),
    "chips": ("CHIP", ("id", "name", "name_en", "aliases", "maker", "source")),
    "people": ("PERSON", ("id", "name", "name_en", "aliases", "source")),
    "orgs": ("ORG", ("id", "name", "name_en", "aliases", "kind", "source")),
}
PLACE_TYPES = ("PROVINCE", "GPE")
DISTRICT_ENDS = ("区", "县", "市", "旗")
TOWN_ENDS = ("镇", "乡", "街道")  # mainland towns, townships and subdistricts
TOWN = "town"  # their kind in the lists (places_cn_towns_generated.tsv)
DISTRICT_LEVELS = "区县市乡镇"  # written after a district's or a township's name, or left out
_BASE_COLUMNS = {"id", "type", "name", "name_en", "aliases", "source"}
_SPACES = re.compile(r"\s+")


def _region_in_official_name(english: str, region: str) -> bool:
    """Whether a body's English name holds its region as part of the name (Hong Kong Monetary
    Authority, Airport Authority Hong Kong), not as a note (Education Bureau (Hong Kong)) or
    after "of" (Legislative Council of Hong Kong); however spaced and cased (Hongkong Post)."""
    english, region = english.lower(), region.lower()
    forms = (region, region.replace(" ", ""))
    return english.startswith(forms) or (english.endswith(forms) and f"of {region}" not in english)


def normalize_alias(text: str) -> str:
    """The form aliases are stored in: NFKC (full-width ASCII to half-width), single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


# China's regions that count as places of their own: Taiwan, Hong Kong, Macau.
SPECIAL_REGIONS = ("place/cn-71", "place/cn-81", "place/cn-82")
REGIONAL_BODY_KINDS = ("government", "court")
TAIWAN = "place/cn-71"
MINISTRY_END, AGENCY_END = "部", "署"  # 交通部, 中央气象署
SAR = "特别行政区"  # 香港特别行政区政府 keeps its name
COUNTRY_KIND = "country"  # the kind of a place that is a country (places_world.tsv)
# Ends of the names of zones, which are no district: without their city they are generic.
ZONE_ENDS = ("开发区", "园区", "高新区", "保税区", "试验区", "合作区", "示范区", "自贸区", "经济区")
MIN_REGION_MENTIONS = 3  # mentions of places and bodies of one region that make a text its own
REGION_MARGIN = 1.5  # ... and how many times more than the next region


@dataclass(frozen=True)
class Entry:
    """One known entity."""

    id: str
    type: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    source: str
    attrs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name, English name and aliases, without repeats."""
        names = [self.name, *([self.name_en] if self.name_en else []), *self.aliases]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Office:
    """A title held for a period; an empty `end` means still held when last checked (`as_of`)."""

    person: str
    title: str
    org: str
    start: str
    end: str
    as_of: str = ""


@dataclass(frozen=True)
class Title:
    text: str
    role: str
    kind: str


@dataclass(frozen=True)
class ChipPattern:
    """Model numbers that follow a known maker or series (英伟达H30, 昇腾910D).

    `pattern` is matched right after the anchor's mention and captures the model number in its
    group `model`; `name` is the chip's canonical name, with {model} and {anchor} (the anchor's
    canonical name) filled in.
    """

    anchor: str
    pattern: re.Pattern[str]
    name: str

    def chip_name(self, model: str, anchor_name: str) -> str:
        return self.name.format(model=model, anchor=anchor_name)


@dataclass(frozen=True)
class ContextRule:
    """How to read an ambiguous alias: `decision` is keep, drop or an entity type."""

    alias: str
    id: str
    left: re.Pattern[str] | None
    right: re.Pattern[str] | None
    decision: str

    def matches(self, before: str, after: str) -> bool:
        return (self.left is None or bool(self.left.search(before))) and (
            self.right is None or bool(self.right.search(after))
        )

    @property
    def specific(self) -> bool:
        """Whether the rule reads the context (香格里拉 before 对话), not a default (吉利: drop)."""
        return self.left is not None or self.right is not None


@dataclass
class Knowledge:
    """Everything zhfacts knows in advance, loaded from one folder."""

    path: Path
    entries: dict[str, Entry]
    offices: dict[str, list[Office]]
    titles: dict[str, Title]
    context_rules: dict[str, list[ContextRule]]
    bylines: tuple[str, ...]
    roles: tuple[str, ...]  # words for people without an office before a name (分析师)
    surnames: frozenset[str]
    japanese_surnames: frozenset[str]  # of two or more characters (吉村, 佐佐木)
    government_functions: tuple[str, ...]  # 商务, 工业和信息化: 江苏省商务厅, 深圳市工业和信息化局
    transliteration: frozenset[str]
    generic: frozenset[str]
    page_furniture: tuple[str, ...]
    chip_patterns: dict[str, list[ChipPattern]] = field(default_factory=dict)
    # Each place's names with the one news gives it, by id, made on first use (_names_written)
    _written_names: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_dir(cls, path: str | Path) -> Knowledge:
        """Load and check every knowledge file in `path`."""
        folder = Path(path)
        if not folder.is_dir():
            raise KnowledgeError(folder, None, "knowledge folder not found")
        entries = read_entries(sorted(folder.glob("*.tsv")))
        offices: dict[str, list[Office]] = {}
        for _, row in read_rows(folder / "offices.tsv", ("person", "title", "org", "start", "end")):
            office = Office(
                row["person"],
                row["title"],
                row["org"],
                row["start"],
                row["end"],
                row.get("as_of", ""),
            )
            offices.setdefault(office.person, []).append(office)
        people = {person for person in offices if person in entries}
        for person in people:
            entry = entries[person]
            entries[person] = Entry(
                entry.id,
                "OFFICIAL",
                entry.name,
                entry.name_en,
                entry.aliases,
                entry.source,
                entry.attrs,
            )
        return cls(
            path=folder,
            entries=entries,
            offices=offices,
            titles={
                row["title"]: Title(row["title"], row["role"], row["kind"])
                for _, row in read_rows(folder / "titles.tsv", ("title", "role", "kind"))
            },
            context_rules=_context_rules(folder / "context.tsv"),
            bylines=tuple(
                row["marker"] for _, row in read_rows(folder / "bylines.tsv", ("marker",))
            ),
            roles=tuple(row["role"] for _, row in read_rows(folder / "roles.tsv", ("role",))),
            surnames=frozenset(
                row["surname"] for _, row in read_rows(folder / "surnames.tsv", ("surname",))
            ),
            japanese_surnames=frozenset(
                row["surname"]
                for _, row in read_rows(folder / "surnames_japanese.tsv", ("surname",))
            ),
            government_functions=tuple(
                row["function"] for _, row in read_rows(folder / "gov_functions.tsv", ("function",))
            ),
            transliteration=frozenset(
                row["char"] for _, row in read_rows(folder / "translit_chars.tsv", ("char",))
            ),
            generic=frozenset(
                row["word"] for _, row in read_rows(folder / "generic.tsv", ("word",))
            ),
            page_furniture=tuple(
                row["marker"] for _, row in read_rows(folder / "page_furniture.tsv", ("marker",))
            ),
            chip_patterns=_chip_patterns(folder / "chip_patterns.tsv"),
        )

    def build_lookups(self) -> Knowledge:
        """Build now the lookup tables that are otherwise built on first use (before pickling)."""
        for name, attribute in vars(type(self)).items():
            if isinstance(attribute, cached_property):
                getattr(self, name)
        return self

    def files(self) -> list[Path]:
        """The knowledge files this object was loaded from."""
        return sorted(self.path.glob("*.tsv"))

    def to_disk(self, path: str | Path) -> None:
        """Copy the knowledge files into `path` (a spaCy component folder)."""
        target = Path(path)
        if target.exists() and target.resolve() == self.path.resolve():
            return  # saving a pipeline where it was loaded from: the files are already there
        target.mkdir(parents=True, exist_ok=True)
        for old in target.glob("*.tsv"):
            old.unlink()
        for file in self.files():
            shutil.copyfile(file, target / file.name)

    @cached_property
    def bodies_by_region(self) -> dict[str, list[Entry]]:
        """The known bodies (ORG) of each country or region (place/sg, place/cn-82 ...)."""
        bodies: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            if entry.type == "ORG" and entry.attrs.get("country"):
                bodies.setdefault(entry.attrs["country"], []).append(entry)
        return bodies

    @cached_property
    def _bodies_by_last_character(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(region, last character) -> (name, id) of the region's bodies whose name ends so:
        a body called `name`, or whose name ends in it, ends in name's last character (the title
        grammar and the linker ask for every body they read)."""
        index: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for region, bodies in self.bodies_by_region.items():
            for body in bodies:
                for name in body.names:
                    index.setdefault((region, name[-1]), []).append((name, body.id))
        return index

    @cached_property
    def _places_by_name(self) -> dict[tuple[str, str], set[str]]:
        """(region, name) -> the ids of the region's places so named, alone or after the name
        of the place that holds them (松山区 for 台北市松山区)."""
        places: dict[tuple[str, str], set[str]] = {}
        for entry in self.entries.values():
            region = self.region_of(entry.id) if entry.type in PLACE_TYPES else None
            if region is None or region == entry.id or self.is_town(entry.id):
                continue  # no text of another region names a mainland town: spare the memory
            for name in entry.names:
                own = name[len(self.parent_written_in(entry.id, name)) :]
                for form in {name, own}:
                    places.setdefault((region, form), set()).add(entry.id)
        return places

    def place_named(self, name: str, region: str) -> str | None:
        """The id of the one place of `region` called `name`, alone or after the name of the
        place that holds it (松山区: 台北市松山区 in Taiwan; but 柏林 is not 万柏林); None for
        none or several."""
        named = self._places_by_name.get((region, name), set())
        return next(iter(named)) if len(named) == 1 else None

    def township_named(self, name: str, region: str) -> str | None:
        """The id of the one place of `region` called `name` with a township's level after it
        (长治: 长治乡 in Taiwan, not the mainland city), or None."""
        levels = [
            self._places_by_name.get((region, name + level), set()) for level in DISTRICT_LEVELS
        ]
        named = set().union(*levels)  # the index holds no mainland town (巴西乡 is no Brazil)
        return next(iter(named)) if len(named) == 1 else None

    def is_town(self, identifier: str) -> bool:
        """Whether `identifier` is a mainland town of the generated lists (榆垡镇, 清源街道)."""
        entry = self.entries.get(identifier)
        return entry is not None and entry.attrs.get("kind") == TOWN

    def body_named(self, name: str, region: str) -> str | None:
        """The id of the one body of `region` called `name` or, when none is, whose name ends in
        it (发展局 of Hong Kong; 金管局: 新加坡金管局 of Singapore); None for none or several."""
        candidates = self._bodies_by_last_character.get((region, name[-1:]), [])
        for same in (str.__eq__, str.endswith):
            named = list(dict.fromkeys(body for known, body in candidates if same(known, name)))
            if named:
                return named[0] if len(named) == 1 else None
        return None

    @cached_property
    def shared_districts(self) -> dict[str, dict[str, str]]:
        """Districts whose name several cities share (鼓楼区: Nanjing's, Fuzhou's ...) and towns
        whose name several counties share (清源街道), which the lists name with their city or
        county (南京市鼓楼区, 大兴区清源街道): their ids by that name and by city or county."""
        shared: dict[str, dict[str, str]] = {}
        for entry in self.entries.values():
            if entry.type not in PLACE_TYPES or "parent" not in entry.attrs:
                continue
            bare = entry.name[len(self.parent_written_in(entry.id, entry.name)) :]
            if bare != entry.name and bare.endswith(DISTRICT_ENDS + TOWN_ENDS) and len(bare) >= 3:
                shared.setdefault(bare, {})[entry.attrs["parent"]] = entry.id
        return shared

    def parent_written_in(self, identifier: str, name: str) -> str:
        """The name of the place that contains place `identifier` that `name` (simplified)
        starts with (台北市 in 台北市信义区; 通州区, the name news gives 北京市通州区, in
        通州区潞城镇), or "" when it starts with none."""
        entry = self.entries.get(identifier)
        parent = self.entries.get(entry.attrs.get("parent", "")) if entry else None
        if entry is None or entry.type not in PLACE_TYPES or parent is None:
            return ""
        if entry.name.endswith(ZONE_ENDS) or parent.attrs.get("kind") == COUNTRY_KIND:
            return ""  # 北京经济技术开发区 needs its city; 法兰西岛大区 holds its country's name
        written = [
            alias
            for alias in self._names_written(parent.id)
            if name.startswith(alias) and len(name) - len(alias) >= 2
        ]
        return max(written, key=len, default="")

    def _names_written(self, identifier: str) -> tuple[str, ...]:
        """A place's names and the one news gives it (北京市通州区: also 通州区), kept once made:
        every place found in a text asks for its parent's (parent_written_in)."""
        names = self._written_names.get(identifier)
        if names is None:
            names = (*self.entries[identifier].names, self.own_name(identifier))
            self._written_names[identifier] = names
        return names

    def own_name(self, identifier: str) -> str:
        """An entry's name as news names it: a district's without its city (南山区 for
        深圳市南山区: the city is a place of its own); a Taiwan, Hong Kong or Macau government
        body's or court's without the region that tells it from others in the lists (教育部 for
        台湾教育部, 立法会 for 香港立法会: their news names them so; the ids differ)."""
        entry = self.entries[identifier]
        region = self.entries.get(entry.attrs.get("country", ""))
        if (
            entry.attrs.get("kind") in REGIONAL_BODY_KINDS
            and region is not None
            and region.id in SPECIAL_REGIONS
            and entry.name.startswith(region.name)
            and not entry.name.startswith(SAR, len(region.name))
            and not _region_in_official_name(entry.name_en or "", region.name_en or "")
        ):
            return entry.name[len(region.name) :]
        ministry = self._ministry_written_in(entry) if region and region.id == TAIWAN else ""
        if ministry:
            return entry.name[len(ministry) :]  # 交通部|中央气象署: Taiwan names the agency alone
        return entry.name[len(self.parent_written_in(identifier, entry.name)) :]

    @cached_property
    def _taiwan_ministries(self) -> list[str]:
        """Taiwan's ministries as Taiwan names them (交通部, 教育部)."""
        return [
            entry.name.removeprefix(self.entries[TAIWAN].name)
            for entry in self.entries.values()
            if entry.attrs.get("country") == TAIWAN and entry.name.endswith(MINISTRY_END)
        ]

    def _ministry_written_in(self, entry: Entry) -> str:
        """The Taiwan ministry an agency's listed name starts with (交通部 in 交通部中央气象署),
        or "" for none or a body that is no agency (署)."""
        if not entry.name.endswith(AGENCY_END):
            return ""
        return next(
            (
                ministry
                for ministry in self._taiwan_ministries
                if entry.name.startswith(ministry) and len(entry.name) > len(ministry) + 1
            ),
            "",
        )

    def leading_region(self, identifiers: Iterable[str]) -> str | None:
        """The region a text is about, from the ids of its known names: the one named at least
        MIN_REGION_MENTIONS times and REGION_MARGIN times as often as the next; else None."""
        regions = Counter(filter(None, map(self.region_of, identifiers))).most_common(2)
        if not regions or regions[0][1] < MIN_REGION_MENTIONS:
            return None
        if len(regions) > 1 and regions[0][1] < REGION_MARGIN * regions[1][1]:
            return None
        return regions[0][0]

    def region_of(self, identifier: str) -> str | None:
        """The country, or Taiwan, Hong Kong or Macau, that a known place or body belongs to."""
        entry = self.entries.get(identifier)
        if entry is None:
            return None
        if entry.type not in ("GPE", "PROVINCE"):
            return entry.attrs.get("country")
        chain = [identifier, *self.place_chain(identifier)]
        return next((place for place in chain if place in SPECIAL_REGIONS), chain[-1])

    def place_chain(self, place_id: str) -> list[str]:
        """The ids of the places containing `place_id`, nearest first."""
        chain = []
        current = self.entries.get(place_id)
        while current is not None and current.attrs.get("parent"):
            parent = current.attrs["parent"]
            if parent in chain:
                break
            chain.append(parent)
            current = self.entries.get(parent)
        return chain


def read_entries(files: Iterable[Path]) -> dict[str, Entry]:
    """The entities in those of `files` that are entity files (places*.tsv, companies*.tsv ...)."""
    entries: dict[str, Entry] = {}
    for file in files:
        stem = next((stem for stem in ENTITY_FILES if file.name.startswith(stem)), None)
        if stem is None:
            continue
        default_type, required = ENTITY_FILES[stem]
        for line, row in read_rows(file, required):
            entry = _entry(row, default_type, file, line)
            if entry.id in entries:
                raise KnowledgeError(file, line, f"duplicate id {entry.id!r}")
            entries[entry.id] = entry
    return entries


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV knowledge file as dicts, with their line numbers; checks the header."""
    if not path.exists():
        raise KnowledgeError(path, None, "knowledge file missing")
    with path.open(encoding="utf-8", newline="") as stream:
        # Plain splits, as csv with QUOTE_NONE reads these files (no field holds a tab or a
        # line break), at twice its speed: the generated files hold tens of thousands of rows.
        reader = (line.rstrip("\r\n").split("\t") if line.strip() else [] for line in stream)
        header = next(reader, None)
        if header is None:
            raise KnowledgeError(path, 1, "empty file: a header row is required")
        missing = [column for column in (*required, "source") if column not in header]
        if missing:
            raise KnowledgeError(path, 1, f"header lacks column(s) {', '.join(missing)}")
        for line, values in enumerate(reader, start=2):
            if not values or values[0].startswith("#"):
                continue
            if len(values) != len(header):
                raise KnowledgeError(
                    path, line, f"expected {len(header)} columns, found {len(values)}"
                )
            yield line, dict(zip(header, values, strict=True))


def _entry(row: dict[str, str], default_type: str, path: Path, line: int) -> Entry:
    if not row["id"] or not row["name"]:
        raise KnowledgeError(path, line, "id and name are required")
    entity_type = row.get("type") or default_type
    aliases = tuple(alias for alias in row["aliases"].split("|") if alias)
    return Entry(
        id=sys.intern(row["id"]),  # one string with the alias table's (tag.read_alias_table)
        type=entity_type,
        name=row["name"],
        name_en=row["name_en"] or None,
        aliases=aliases,
        # Sources, kinds and parents repeat over tens of thousands of rows: one string each.
        source=sys.intern(row["source"]),
        attrs={
            key: sys.intern(value)
            for key, value in row.items()
            if key not in _BASE_COLUMNS and value
        },
    )


def _compile(pattern: str, path: Path, line: int) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern) if pattern else None
    except re.error as error:
        raise KnowledgeError(path, line, f"bad regular expression: {error}") from error


def _context_rules(path: Path) -> dict[str, list[ContextRule]]:
    """Rules by alias; one row may name several aliases of the same entity (M1|M2|M3)."""
    rules: dict[str, list[ContextRule]] = {}
    for line, row in read_rows(path, ("alias", "id", "left", "right", "decision")):
        left, right = _compile(row["left"], path, line), _compile(row["right"], path, line)
        for alias in row["alias"].split("|"):
            rule = ContextRule(alias, row["id"], left, right, row["decision"])
            rules.setdefault(alias, []).append(rule)
    return rules


def _chip_patterns(path: Path) -> dict[str, list[ChipPattern]]:
    """Chip model-number patterns by anchor id; the file is optional (older model folders)."""
    patterns: dict[str, list[ChipPattern]] = {}
    if not path.exists():
        return patterns
    for line, row in read_rows(path, ("anchor", "pattern", "name")):
        pattern = _compile(row["pattern"], path, line)
        if pattern is None or "model" not in pattern.groupindex:
            raise KnowledgeError(path, line, "the pattern needs a (?P<model>...) group")
        patterns.setdefault(row["anchor"], []).append(
            ChipPattern(row["anchor"], pattern, row["name"])
        )
    return patterns
