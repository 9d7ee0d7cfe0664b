import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.components import PostKind
from kim.errors import DataFileError, InputError, MissingValueError
from kim.parameters import Status, Unit, embedded_parameters
from kim.scenarios import (
    MAX_BYTES,
    ParameterChange,
    Scenario,
    ScenarioError,
    compose,
    dump_scenario,
    load_scenario,
    parse_scenario,
    save_scenario,
)

RATE_2024 = {
    "parameter": "case_management_flat_rate",
    "start": "2024-01-01",
    "end": "2024-12-31",
    "value": "59000",
    "unit": "EUR",
}


def scenario(name: str = "s", **extra: object) -> Scenario:
    return Scenario.model_validate({"name": name, "parameters": [RATE_2024], **extra})


def test_a_scenario_supplies_an_unknown_year() -> None:
    params = scenario().apply()
    value = params.value("case_management_flat_rate", date(2024, 6, 1))
    assert value.value == 59000 and value.status is Status.SUPPLIED
    with pytest.raises(MissingValueError):
        embedded_parameters().value("case_management_flat_rate", date(2024, 6, 1))


def test_unknown_parameter_wrong_unit_and_overlaps_are_refused() -> None:
    with pytest.raises(ScenarioError, match="Did you mean case_management_flat_rate"):
        Scenario.model_validate(
            {"name": "x", "parameters": [{**RATE_2024, "parameter": "case_management_rate"}]}
        ).apply()
    with pytest.raises(ScenarioError, match="measured in EUR"):
        Scenario.model_validate({"name": "x", "parameters": [{**RATE_2024, "unit": "FTE"}]}).apply()
    with pytest.raises(InputError, match="overlap"):
        Scenario.model_validate(
            {"name": "x", "parameters": [RATE_2024, {**RATE_2024, "start": "2024-06-01"}]}
        )


def test_unknown_unit_in_staffing_is_refused_before_anything_applies() -> None:
    s = Scenario.model_validate(
        {
            "name": "x",
            "parameters": [RATE_2024],
            "staffing": {"Kreis Nirgendwo": {"case_management": 3}},
        }
    )
    with pytest.raises(ScenarioError, match="Kreis Nirgendwo"):
        s.apply()


def test_staffing_by_name_alias_or_key() -> None:
    s = scenario(staffing={"Coesfeld": {"case_management": "12"}})
    assert s.staffing_for("05558") == {PostKind.CASE_MANAGEMENT: Decimal(12)}
    assert s.staffing_for("05315000") is None


def test_compose_later_wins_and_reports_conflicts() -> None:
    a = scenario("a")
    b = Scenario.model_validate(
        {"name": "b", "parameters": [{**RATE_2024, "start": "2024-07-01", "value": "60000"}]}
    )
    combined, conflicts = compose(a, b)
    params = combined.apply()
    assert params.value("case_management_flat_rate", date(2024, 3, 1)).value == 59000
    assert params.value("case_management_flat_rate", date(2024, 9, 1)).value == 60000
    assert len(conflicts) == 1 and conflicts[0].later == "b" and conflicts[0].earlier == "a"
    _same, none = compose(a, scenario("c"))
    assert none == ()


def test_round_trip_yaml_and_json(tmp_path: Path) -> None:
    s = scenario(
        description="Rates 2024 as assumed",
        staffing={"05558": {"case_management": "12", "coordination": "3.5"}},
        allocation={"method": "dhondt", "total": "500", "minimum": "3"},
    )
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"s{suffix}"
        save_scenario(s, path)
        assert load_scenario(path) == s


def test_file_errors_name_file_line_and_key(tmp_path: Path) -> None:
    text = (
        "name: t\nparameters:\n  - parameter: kim_budget\n    start: 2024-01-01\n"
        "    value: lots\n    unit: EUR\n"
    )
    with pytest.raises(DataFileError) as info:
        parse_scenario(text, "t.yaml")
    assert info.value.file == "t.yaml"
    assert info.value.key == "line 5, parameters.0.value"


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n# " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="larger than"):
        load_scenario(big)
    with pytest.raises(DataFileError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_unsafe_yaml_is_refused() -> None:
    with pytest.raises(DataFileError):
        parse_scenario("name: !!python/object/apply:os.system ['true']\n", "evil.yaml")


values = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@given(st.lists(values, min_size=1, max_size=4))
def test_composition_always_gives_the_last_value(vals: list[Decimal]) -> None:
    scenarios = [
        Scenario(
            name=f"s{i}",
            parameters=(
                ParameterChange(
                    parameter="kim_budget",
                    start=date(2024, 1, 1),
                    end=date(2024, 12, 31),
                    value=v,
                    unit=Unit.EUR,
                ),
            ),
        )
        for i, v in enumerate(vals)
    ]
    combined, conflicts = compose(*scenarios)
    assert combined.apply().value("kim_budget", date(2024, 5, 5)).value == vals[-1]
    assert len(conflicts) == sum(1 for a, b in itertools.pairwise(vals) if a != b)


def test_dump_is_readable_yaml() -> None:
    assert dump_scenario(scenario()).startswith("name: s\n")
