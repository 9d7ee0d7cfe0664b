import textwrap

import pytest

from kim.errors import DataFileError
from kim.parameters import load_parameter_file

GOOD = """
component: case_management
parameters:
  rate:
    name: {de: Satz, en: Rate}
    description: {de: Ein Satz, en: A rate}
    unit: EUR
    reference_period: fte_year
    values:
      2021-01-01:
        value: 55000
        end: 2021-12-31
        status: confirmed
        sources: [heinsberg-vo-2459]
      2022-01-01:
        value: 55000
        status: inferred
        sources: [nottuln-181-2022]
"""


def load(text: str) -> object:
    return load_parameter_file(textwrap.dedent(text), "test.yaml")


def test_good_file_loads() -> None:
    params = load(GOOD)
    assert isinstance(params, list) and params[0].id == "rate"


def test_duplicate_date_is_refused_with_file_and_line() -> None:
    bad = GOOD.replace("2022-01-01:", "2021-01-01:")
    with pytest.raises(DataFileError) as info:
        load(bad)
    assert info.value.file == "test.yaml"
    assert "duplicate key 2021-01-01" in str(info.value)
    assert "line" in info.value.key


def test_dates_out_of_order_are_refused() -> None:
    swapped = GOOD.replace("2021-01-01:", "2023-01-01:").replace(
        "end: 2021-12-31", "end: 2023-12-31"
    )
    with pytest.raises(DataFileError) as info:
        load(swapped)
    assert info.value.key == "parameters.rate"
    assert "increasing order" in str(info.value)


def test_overlapping_values_are_refused() -> None:
    with pytest.raises(DataFileError, match="overlaps"):
        load(GOOD.replace("end: 2021-12-31", "end: 2022-03-31"))


def test_value_without_source_is_refused() -> None:
    with pytest.raises(DataFileError) as info:
        load(GOOD.replace("        sources: [nottuln-181-2022]\n", ""))
    assert info.value.key == "parameters.rate.values.2022-01-01"
    assert "no source" in str(info.value)


def test_unknown_source_id_is_refused() -> None:
    with pytest.raises(DataFileError) as info:
        load(GOOD.replace("nottuln-181-2022", "nottuln-999"))
    assert info.value.key == "parameters.rate.values.2022-01-01.sources"
    assert "nottuln-999" in str(info.value)


def test_unknown_fields_and_bad_status_are_refused() -> None:
    with pytest.raises(DataFileError, match=r"parameters\.rate\.values\.2022-01-01"):
        load(GOOD.replace("status: inferred", "status: guessed"))
    with pytest.raises(DataFileError, match=r"parameters\.rate"):
        load(GOOD.replace("unit: EUR", "unit: EUR\n    colour: red"))


def test_non_date_key_is_refused() -> None:
    with pytest.raises(DataFileError, match="YYYY-MM-DD"):
        load(GOOD.replace("2022-01-01:", "'next year':"))


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(DataFileError) as info:
        load("parameters: [unclosed")
    assert info.value.file == "test.yaml" and "line" in info.value.key
