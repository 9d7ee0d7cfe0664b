"""The case files under tests/cases/, run by the same runner as ``kim check``."""

from pathlib import Path

import pytest

from kim.cases import CaseFile, check_cases, load_cases
from kim.cli import main
from kim.errors import DataFileError

CASES = Path(__file__).parent / "cases"
FILES = sorted(CASES.glob("*.yaml"))


def _ids() -> list[tuple[Path, int]]:
    return [(f, i) for f in FILES for i in range(len(load_cases(f).cases))]


@pytest.mark.parametrize(("file", "index"), _ids(), ids=lambda v: getattr(v, "stem", str(v)))
def test_published_case(file: Path, index: int) -> None:
    case = load_cases(file).cases[index]
    result = check_cases(CaseFile(cases=(case,))).results[0]
    assert result.passed, (result.name, result.source, result.error, result.differences)


def test_kim_check_passes_on_the_library_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *map(str, FILES)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "0 failed" in out


def test_kim_check_fails_with_a_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (CASES / "funding-published.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("total: 684000", "total: 648000", 1), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["check", str(wrong)])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL  Kreis Coesfeld 2023, twelve case-management posts" in out
    assert "total: expected 648000.00, got 684000.00" in out
    assert "1 failed" in out


def test_a_missing_rate_fails_the_case_until_supplied() -> None:
    case = {
        "name": "Coesfeld 2024",
        "source": "https://example.org/own-notice",
        "year": 2024,
        "recipient": "Kreis Coesfeld",
        "posts": {"case-management": 12},
        "expect": {"total": 708000},
    }
    (result,) = check_cases({"cases": [case]}).results
    assert not result.passed and "case_management_flat_rate" in (result.error or "")
    supplied = {**case, "set": ["case_management_flat_rate=59000"]}
    assert check_cases({"cases": [supplied]}).passed


def test_notified_and_settled_are_checked_against_the_grant() -> None:
    # Minden-Lübbecke 2021: nine posts from April, paid for the whole year in February
    # https://hiller-anzeiger.de/2021/03/neun-zusaetzliche-stellen-fuer-integration-in-minden-luebbecke/
    case = {
        "name": "Minden-Lübbecke 2021",
        "source": "https://hiller-anzeiger.de/2021/03/neun-zusaetzliche-stellen-fuer-integration-in-minden-luebbecke/",
        "year": 2021,
        "recipient": "Kreis Minden-Lübbecke",
        "posts": {"case-management": {"fte": 9, "from": "2021-04-01"}},
        "expect": {"notified": 495000, "settled": 371250},
    }
    (result,) = check_cases({"cases": [case]}).results
    assert result.passed
    case["expect"] = {"notified": 371250, "settled": 371250}
    (result,) = check_cases({"cases": [case]}).results
    assert [d.field for d in result.differences] == ["notified"]


def test_case_files_are_strict(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "cases:\n  - name: x\n    source: not-a-url\n    year: 2023\n    recipient: Unna\n"
        "    expect: {total: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"line 3, cases.0.source"):
        load_cases(bad)
    bad.write_text("cases:\n  - name: x\n    source: https://a.b/c\n    expect: {}\n", "utf-8")
    with pytest.raises(DataFileError, match="expect names nothing"):
        load_cases(bad)


def test_the_docs_page_shows_the_current_schema() -> None:
    import json
    import re

    from kim.schemas import schema

    page = (Path(__file__).parent.parent / "docs/how-to/check-published-figures.md").read_text(
        encoding="utf-8"
    )
    shown = re.search(r"```json\n(.*?)```", page, re.S)
    assert shown is not None
    assert json.loads(shown.group(1)) == schema("cases")


def test_kim_schema_prints_every_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kim.schemas import SCHEMA_NAMES

    for name in SCHEMA_NAMES:
        assert main(["schema", name]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["$id"].startswith("https://kim-nrw.readthedocs.io/schemas/" + name)
        assert "properties" in data or "$defs" in data
