"""Data lint for models/knowledge and the loader's checks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import KnowledgeError
from pipeline.knowledge import Knowledge, normalize_alias, read_entries
from pipeline.tag import alias_forms, alias_table, fold

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "models" / "knowledge"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.from_dir(KNOWLEDGE_DIR)


@pytest.fixture(scope="module")
def table(knowledge: Knowledge) -> dict:
    return alias_table(knowledge)


def _count(knowledge: Knowledge, **where: str) -> int:
    return sum(
        all(
            (entry.attrs.get(key) or getattr(entry, key, None)) == value
            for key, value in where.items()
        )
        for entry in knowledge.entries.values()
    )


def test_all_34_chinese_provincial_divisions_are_known(knowledge: Knowledge) -> None:
    provincial = [
        entry
        for entry in knowledge.entries.values()
        if entry.attrs.get("parent") == "place/cn"
        and entry.attrs.get("adcode", "").endswith("0000")
    ]
    assert len(provincial) == 34
    assert knowledge.entries["place/cn-71"].type == "GPE"  # 台湾 (taxonomy.md)
    assert knowledge.entries["place/cn-81"].type == "PROVINCE"  # 香港 used as a place


def test_places_cover_foreign_divisions_countries_and_cities(knowledge: Knowledge) -> None:
    assert _count(knowledge, type="PROVINCE", parent="place/us") == 51  # 50 states, Puerto Rico
    assert _count(knowledge, kind="country") >= 190
    world_cities = [
        entry
        for entry in knowledge.entries.values()
        if entry.attrs.get("kind") == "city" and not entry.id.startswith(("place/cn", "place/tw"))
    ]
    assert len(world_cities) >= 500
    assert _count(knowledge, kind="county") >= 2000


def test_company_chip_person_and_org_lists_meet_the_issue_sizes(knowledge: Knowledge) -> None:
    types = Counter(entry.type for entry in knowledge.entries.values())
    curated = _count(knowledge, type="COMPANY", source="curated")
    assert types["COMPANY"] >= 3000 and curated >= 400
    assert types["CHIP"] >= 300
    makers = {e.attrs["maker"] for e in knowledge.entries.values() if e.type == "CHIP"}
    assert len(makers) >= 25
    assert types["OFFICIAL"] >= 600
    assert types["ORG"] >= 600


def test_aliases_are_normalized(knowledge: Knowledge) -> None:
    unnormalized = [
        (entry.id, name)
        for entry in knowledge.entries.values()
        for name in entry.names
        if name != normalize_alias(name)
    ]
    assert unnormalized == []


def test_every_alias_resolves_to_its_own_entity(knowledge: Knowledge, table: dict) -> None:
    unresolved = [
        (entry.id, form)
        for entry in knowledge.entries.values()
        for name in entry.names
        for form in alias_forms(name)
        if len(form) >= 2 and table[fold(form)].ids != (entry.id,)
    ]
    assert unresolved == []


def test_no_alias_is_a_generic_word(knowledge: Knowledge) -> None:
    generic = [
        (entry.id, form)
        for entry in knowledge.entries.values()
        for name in entry.names
        for form in alias_forms(name)
        if form in knowledge.generic
    ]
    assert generic == []


def test_parents_makers_countries_and_offices_refer_to_known_entities(
    knowledge: Knowledge,
) -> None:
    references = [
        (entry.id, entry.attrs[column])
        for entry in knowledge.entries.values()
        for column in ("parent", "maker", "country")
        if column in entry.attrs
    ]
    references += [
        (office.person, target)
        for offices in knowledge.offices.values()
        for office in offices
        for target in (office.person, office.org)
    ]
    assert [
        (source, target) for source, target in references if target not in knowledge.entries
    ] == []


def test_office_periods_are_dates_in_order(knowledge: Knowledge) -> None:
    offices = [office for offices in knowledge.offices.values() for office in offices]
    assert all(DATE.match(office.start) for office in offices)
    assert all(not value or DATE.match(value) for o in offices for value in (o.end, o.as_of))
    assert all(not office.end or office.end >= office.start for office in offices)


def test_chip_patterns_hang_on_known_makers_and_series(knowledge: Knowledge) -> None:
    assert knowledge.chip_patterns
    assert all(anchor in knowledge.entries for anchor in knowledge.chip_patterns)


def test_context_rules_name_entities_that_use_the_alias(knowledge: Knowledge, table: dict) -> None:
    for alias, rules in knowledge.context_rules.items():
        ids = table[fold(normalize_alias(alias))].ids
        assert all(not rule.id or rule.id in ids for rule in rules), alias


def test_a_duplicate_id_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    header = "id\tname\tname_en\taliases\tsource\n"
    (tmp_path / "companies.tsv").write_text(header + "company/a\tA\t\t\tx\n", encoding="utf-8")
    (tmp_path / "companies_more.tsv").write_text(header + "company/a\tB\t\t\tx\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"companies_more.tsv:2: duplicate id 'company/a'"):
        read_entries(sorted(tmp_path.glob("*.tsv")))


def test_a_chip_pattern_without_a_model_group_is_rejected(tmp_path: Path) -> None:
    for file in KNOWLEDGE_DIR.glob("*.tsv"):
        (tmp_path / file.name).write_bytes(file.read_bytes())
    (tmp_path / "chip_patterns.tsv").write_text(
        "anchor\tpattern\tname\tsource\ncompany/nvidia\tH\\d+\t{model}\tx\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match="model"):
        Knowledge.from_dir(tmp_path)


def test_a_regions_body_is_found_by_its_name_or_its_unique_ending(knowledge: Knowledge) -> None:
    assert knowledge.body_named("国防部", "place/cn-71") == "org/tw-mnd"
    assert knowledge.body_named("金管局", "place/sg") == "org/sg-mas"  # 新加坡金管局
    assert knowledge.body_named("局", "place/cn-81") is None  # many Hong Kong bureaus end so
