"""A result read back from its JSON equals the original and gives the same JSON text."""

from __future__ import annotations

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from kim import Grant, MissingValueError, StaffingPlan, grant
from kim.funding import Post

KINDS = ["coordination", "case_management", "auslaenderbehoerde", "einbuergerungsbehoerde"]


@settings(max_examples=25, derandomize=True, deadline=None, database=None)
@given(
    year=st.sampled_from([2020, 2021, 2022, 2023]),
    kind=st.sampled_from(KINDS),
    halves=st.integers(min_value=1, max_value=8),
)
def test_a_grant_survives_a_json_round_trip(year: int, kind: str, halves: int) -> None:
    plan = StaffingPlan(
        recipient="Kreis Soest", year=year, posts=(Post(kind=kind, fte=f"{halves / 2}"),)
    )
    try:
        original = grant(plan)
    except MissingValueError:
        reject()  # no rate is known for that kind and year
    text = original.model_dump_json()
    back = Grant.model_validate_json(text)
    assert back == original
    assert back.model_dump_json() == text
    assert hash(back) == hash(original)
