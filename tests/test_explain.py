import json
from datetime import date

import pytest

from kim.components import EmployerKind, PostKind
from kim.explain import (
    EXPLANATION_SCHEMA_VERSION,
    Explanation,
    ExplanationMismatchError,
    Operation,
)
from kim.funding import Post, StaffingPlan, grant
from kim.parameters import embedded_parameters


def coesfeld_2023() -> Explanation:
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
    return grant(
        StaffingPlan.from_fte(
            "Kreis Coesfeld",
            2023,
            {"case-management": 12, "coordination": "3.5", "admin-assistance": "0.5"},
        )
    ).explain()


def test_text_in_english_and_german() -> None:
    e = coesfeld_2023()
    en = e.to_text("en")
    de = e.to_text("de")
    assert en.splitlines()[0] == "Grant for Kreis Coesfeld (05558), funding year 2023"
    assert de.splitlines()[0] == "Förderung für Kreis Coesfeld (05558), Förderjahr 2023"
    # The inferred administrative-assistance rate is named right under the title.
    assert en.splitlines()[1].startswith(
        "CAUTION: Rests on an inferred value: admin_assistance_flat_rate_half_post = 22500"
    )
    assert "EUR 57,000.00 × 12 FTE × 12/12 = EUR 684,000.00" in en
    assert "57.000,00 € × 12 VZÄ × 12/12 = 684.000,00 €" in de
    assert "22.500,00 € × 1 halbe Stelle(n) × 12/12 = 22.500,00 €" in de
    assert "Result: EUR 906,000.00" in en and "Ergebnis: 906.000,00 €" in de
    assert "case_management_flat_rate = EUR 57,000.00 per FTE and year" in en
    assert "coesfeld-sv-10-0898: Sitzungsvorlage SV-10-0898" in en
    assert str(e) == en


def test_every_line_names_parameter_value_status_and_source() -> None:
    e = coesfeld_2023()
    for step in e.steps:
        if step.id.startswith("line-") and step.operation is Operation.PRODUCT:
            rate = e.parameter(step.uses[0])
            assert rate.status.value in {"confirmed", "derived", "inferred", "supplied"}
            assert rate.sources and rate.start == date(2023, 1, 1)
            assert step.operands[0].parameter == step.uses[0]
    ids = {s.id for s in e.sources}
    assert {"coesfeld-sv-10-0898", "bra-kim", "kamen-141-2021"} <= ids


def test_json_has_the_schema_version_and_reads_back() -> None:
    e = coesfeld_2023()
    data = json.loads(e.to_json())
    assert data["schema_version"] == EXPLANATION_SCHEMA_VERSION == "1.1"
    assert data["kind"] == "grant" and data["result"] == "total"
    again = Explanation.model_validate_json(e.to_json())
    assert again == e and again.verify()
    schema = Explanation.json_schema()
    assert "schema_version" in schema["properties"]
    assert schema["$id"].endswith("explanation-1.1.json")


def test_html_is_escaped() -> None:
    evil = "<script>alert('x')</script>"
    post = Post(
        kind=PostKind.CASE_MANAGEMENT,
        fte=1,
        employer=EmployerKind.WELFARE_ORGANISATION,
        final_recipient=evil,
    )
    g = grant(StaffingPlan(recipient="05558", year=2023, posts=(post,)))
    page = g._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<a href="https://www.kreis-coesfeld.de/' in page


def test_recompute_detects_a_changed_result() -> None:
    e = coesfeld_2023()
    steps = list(e.steps)
    i = next(n for n, s in enumerate(steps) if s.id == "line-1")
    steps[i] = steps[i].model_copy(update={"result": "684000.01"})
    tampered = e.model_copy(update={"steps": tuple(steps)})
    with pytest.raises(ExplanationMismatchError, match="line-1"):
        tampered.recompute()


def test_recompute_detects_an_operand_that_does_not_match_its_reference() -> None:
    e = coesfeld_2023()
    steps = list(e.steps)
    i = next(n for n, s in enumerate(steps) if s.id == "total")
    ops = list(steps[i].operands)
    ops[0] = ops[0].model_copy(update={"value": "1.00"})
    steps[i] = steps[i].model_copy(update={"operands": tuple(ops)})
    with pytest.raises(ExplanationMismatchError, match="differs from the result"):
        e.model_copy(update={"steps": tuple(steps)}).recompute()


def test_supplied_values_appear_in_the_explanation() -> None:
    params = embedded_parameters().with_value(
        "case_management_flat_rate", date(2024, 1, 1), date(2024, 12, 31), "59000", note="notice"
    )
    e = grant(
        StaffingPlan.from_fte("05558", 2024, {"case-management": 1}), parameters=params
    ).explain()
    assert e.basis is not None and e.basis.value == "supplied"
    assert e.parameter("case_management_flat_rate@2024-01-01").status.value == "supplied"
    assert e.parameter_set == params.name
    assert "vorgegeben" in e.to_text("de")
