"""Facts, scenario and case files go through one reader (kim._io.parse_document)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import kim.facts
from kim.errors import DataFileError
from kim.facts import Facts, load_facts, parse_facts
from kim.facts.files import MAX_BYTES
from kim.scenarios.files import load_scenario, parse_scenario

NESTED = "name: deep\ndescription: " + "[" * 40 + "]" * 40 + "\n"


@pytest.mark.parametrize("parse", [parse_facts, parse_scenario])
def test_both_parsers_refuse_the_same_bad_documents(parse: Callable[[str, str], object]) -> None:
    with pytest.raises(DataFileError, match="nested deeper than 32 levels"):
        parse(NESTED, "x.yaml")
    with pytest.raises(DataFileError, match="a mapping"):
        parse("- just a list\n", "x.yaml")
    with pytest.raises(DataFileError, match=r"x.yaml at line 2, nmae"):
        parse("name: ok\nnmae: typo\n", "x.yaml")
    with pytest.raises(DataFileError, match="larger than 1,000,000 bytes"):
        parse("name: big\ndescription: " + "x" * MAX_BYTES + "\n", "x.yaml")


def test_facts_files_are_read_with_the_bounded_reader(tmp_path: Path) -> None:
    # Reading counts bytes as it goes (no stat), so an endless file stops at the limit.
    with pytest.raises(DataFileError, match="larger than the limit of 1,000,000 bytes"):
        load_facts("/dev/zero")
    with pytest.raises(DataFileError, match="cannot read the facts file"):
        load_facts(tmp_path / "missing.yaml")
    path = tmp_path / "f.json"
    path.write_bytes(b'\xef\xbb\xbf{"name": "bom", "municipalities": {}}')
    assert load_facts(path) == Facts(name="bom")
    with pytest.raises(DataFileError, match="larger than the limit"):
        load_scenario("/dev/zero")


def test_the_old_import_paths_still_work() -> None:
    assert kim.facts.MAX_BYTES == MAX_BYTES
    assert kim.facts.parse_document(Facts, "name: c\n", "c.yaml").name == "c"
    assert kim.facts.ALL_DATES[1] is None
    assert kim.facts.supply.__module__ == "kim.facts.bundle"
