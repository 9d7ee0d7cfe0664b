"""Receipts: library version, embedded-data hash and inputs hash on every explanation."""

from datetime import date

from kim import __version__
from kim.facts import supply
from kim.funding import StaffingPlan, grant
from kim.receipt import data_hash, inputs_hash


def test_equal_inputs_give_equal_receipts_and_supplied_values_change_them() -> None:
    plan = StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 12})
    a = grant(plan).explain().receipt
    b = grant(plan).explain().receipt
    assert a is not None and a == b
    assert a.library_version == __version__ and a.data_hash == data_hash()
    other = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 11}))
    assert other.explain().receipt != a
    s = supply(assignments=["case_management_flat_rate=57000@2023"], note="same value, own note")
    supplied = grant(plan, parameters=s.parameters).explain().receipt
    assert supplied is not None and supplied.inputs_hash != a.inputs_hash  # status differs


def test_inputs_hash_is_canonical() -> None:
    assert inputs_hash({"a": 1, "b": [date(2024, 1, 1)]}) == inputs_hash(
        {"b": ["2024-01-01"], "a": 1}
    )
    assert data_hash().startswith("sha256:") and len(data_hash()) == 71
