"""Supplying facts: --set, --scenario and --facts on every computing command."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kim.cli import main
from kim.errors import DataFileError, InputError, MissingValueError
from kim.facts import load_facts, parse_assignment, parse_facts, supply
from kim.funding import StaffingPlan, grant


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


GRANT_2024 = ("grant", "--district", "Kreis Coesfeld", "--year", "2024", "--post",
              "case-management=12")  # fmt: skip


def test_the_2024_rate_is_missing_until_supplied(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(MissingValueError):
        grant(StaffingPlan.from_fte("Kreis Coesfeld", 2024, {"case-management": 12}))
    code, _out, err = run(capsys, *GRANT_2024)
    assert code == 1 and "case_management_flat_rate" in err  # a data gap: exit 1


def test_grant_with_set_is_supplied_with_the_note(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, *GRANT_2024, "--set", "case_management_flat_rate=59000", "--note", "notice 2024"
    )
    assert code == 0
    assert "Total: EUR 708,000.00" in out  # 12 × 59,000 €
    line = next(x for x in out.splitlines() if x.lstrip().startswith("1 "))
    assert "supplied" in line
    assert (
        "case_management_flat_rate = 59000 EUR [supplied: 2024-01-01..2024-12-31; notice 2024]"
        in out
    )


def test_grant_json_and_explanation_carry_status_and_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = (*GRANT_2024, "--set", "case_management_flat_rate=59000", "--note", "notice 2024")
    code, out, _ = run(capsys, *args, "--format", "json")
    data = json.loads(out)
    assert data["total"] == "708000.00"
    assert data["lines"][0]["rate"]["status"] == "supplied"
    assert data["lines"][0]["rate"]["note"] == "notice 2024"
    assert data["supplied"][0]["subject"] == "case_management_flat_rate"
    code, out, _ = run(capsys, "explain", *args[1:])
    assert code == 0 and "supplied" in out and "notice 2024" in out


def test_set_with_a_period_applies_only_there() -> None:
    s = supply(assignments=["case_management_flat_rate=59000@2024-01-01..2024-06-30"])
    assert s.parameters.value("case_management_flat_rate", date(2024, 6, 30)).value == 59000
    with pytest.raises(MissingValueError):
        s.parameters.value("case_management_flat_rate", date(2024, 7, 1))
    assert s.parameters.value("case_management_flat_rate", date(2023, 7, 1)).value == 57000


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("case_management_flat_rat=1", "Did you mean case_management_flat_rate"),
        ("case_management_flat_rate", "PARAM=VALUE"),
        ("case_management_flat_rate=abc", "is not a number"),
        ("case_management_flat_rate=1@24-1-1", "is not a date"),
        ("case_management_flat_rate=1@2024-12-31..2024-01-01", "before it starts"),
    ],
)
def test_bad_assignments_say_what_to_write(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_assignment(text)


def test_set_wins_over_the_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(
        "name: ours\nparameters:\n  - {parameter: case_management_flat_rate, start: 2024-01-01,"
        " end: 2024-12-31, value: 58000, unit: EUR, note: draft}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, *GRANT_2024, "--scenario", str(file))
    assert code == 0 and "Total: EUR 696,000.00" in out and "draft" in out
    code, out, _ = run(
        capsys, *GRANT_2024, "--scenario", str(file), "--set", "case_management_flat_rate=59000"
    )
    assert "Total: EUR 708,000.00" in out


FACTS = """\
name: kreis-steinfurt-notes
municipalities:
  Kamen:
    auslaenderbehoerde: {value: true, note: "assumed for the test"}
  Emsdetten:
    ags: "05566008"
    parent: Kreis Steinfurt
    einbuergerungsbehoerde: true
units:
  Kreis Unna:
    year: 2023
    posts: {case-management: 18}
    note: notice of 15.02.2023
"""


def test_facts_change_decisions_and_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "facts.yaml"
    file.write_text(FACTS, encoding="utf-8")
    code, out, _ = run(capsys, "eligibility", "Kamen", "--component", "3", "--on", "2023-06-01")
    assert "not_eligible" in out.splitlines()[0]
    code, out, _ = run(
        capsys, "eligibility", "Kamen", "--component", "3", "--on", "2023-06-01",
        "--facts", str(file),
    )  # fmt: skip
    assert code == 0 and ": eligible" in out.splitlines()[0]
    assert "Kamen auslaenderbehoerde = yes [supplied: assumed for the test]" in out
    code, out, _ = run(
        capsys, "eligibility", "Emsdetten", "--component", "3", "--on", "2023-06-01",
        "--facts", str(file), "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["outcome"] == "eligible"
    assert {r["subject"] for r in data["supplied"]} == {"Kamen", "Emsdetten", "Kreis Unna"}


def test_facts_posts_make_the_plan_and_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # https://ratsportal.kamen.de/bi/vo0050.asp?__kvonr=4501: 18 posts, 1,026,000 € (2023).
    file = tmp_path / "facts.yaml"
    file.write_text(FACTS, encoding="utf-8")
    code, out, _ = run(capsys, "grant", "--district", "Kreis Unna", "--year", "2023",
                       "--facts", str(file))  # fmt: skip
    assert code == 0 and "Total: EUR 1,026,000.00" in out
    code, out, _ = run(capsys, "report", "--year", "2023", "--facts", str(file), "--format=json")
    assert code == 0
    unna = next(u for u in json.loads(out)["units"] if u["key"] == "05978")
    assert unna["components"]["2"]["grant"] == "1026000.00"


def test_facts_files_are_strict(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"line 4, municipalities.Kamen.integrationsrat"):
        parse_facts("name: x\nmunicipalities:\n  Kamen:\n    integrationsrat: perhaps\n")
    with pytest.raises(DataFileError, match="duplicate key"):
        parse_facts("name: x\nname: y\n")
    with pytest.raises(DataFileError, match="Extra inputs"):
        parse_facts("name: x\nmunicipality: {}\n")
    with pytest.raises(InputError, match=r"Did you mean|closest"):
        supply(facts={"name": "x", "municipalities": {"Kamenn": {"jugendamt": True}}})
    with pytest.raises(DataFileError, match="cannot read"):
        load_facts(tmp_path / "none.yaml")


def test_rates_and_coverage_show_supplied_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "rates", "--year", "2024", "--format", "json",
        "--set", "case_management_flat_rate=59000", "--note", "our notice",
    )  # fmt: skip
    assert code == 0
    row = next(r for r in json.loads(out) if r["parameter"] == "case_management_flat_rate")
    assert row["status"] == "supplied" and row["note"] == "our notice"
    code, out, _ = run(
        capsys, "coverage", "--from", "2024", "--to", "2024",
        "--set", "case_management_flat_rate=59000@2024",
    )  # fmt: skip
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("case_management_flat_rate"))
    assert "missing" not in line
    assert "Supplied values" in out


def test_allocate_takes_the_scenario_key_and_observed_posts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: k\nallocation: {total: 100, method: dhondt, step: 1}\n", "utf-8")
    code, out, _ = run(capsys, "allocate", "--scenario", str(scenario), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert sum(Decimal(r["share"]) for r in rows) == 100
    facts = tmp_path / "f.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    code, out, _ = run(
        capsys, "allocate", "--compare-observed", "--year", "2023", "--component", "2",
        "--total", "500", "--facts", str(facts), "--format", "json",
    )  # fmt: skip
    assert code == 0
    unna = next(r for r in json.loads(out)["rows"] if r["key"] == "05978")
    assert unna["observed"] == "18" and unna["status"] == "supplied"
