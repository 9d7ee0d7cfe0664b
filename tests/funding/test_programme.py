from datetime import date
from decimal import Decimal

import pytest

from kim.errors import InputError, MissingValueError
from kim.funding import (
    BudgetOutcome,
    StaffingPlan,
    check_budget,
    grant,
    grants,
    programme_budget,
)
from kim.money import Euro
from kim.parameters import embedded_parameters
from kim.parameters.model import Qualifier, Status
from kim.territory import embedded_territory


def test_budget_per_year() -> None:
    # 2020: https://www.vhw.de/nachricht/land-staerkt-integrationsmanagement-erfahrungen-aus-modellprojekt-soll-nrw-kommunen-unterstuetzen/
    # 2021: https://land.nrw/pressemitteilung/landesregierung-foerdert-kommunales-integrationsmanagement-mit-50-millionen-euro
    # 2022: https://www.cdu-nrw-fraktion.de/artikel/heike-wermer-zu-top-2-2-lesung-gesetz-ueber-die-feststellung-des-haushaltsplans-des-landes
    # 2025: https://gruene-fraktion-nrw.de/fachnewsletter-ausgaben/verbesserungen-im-bereich-migration-integration-und-praevention
    assert [programme_budget(y).value for y in (2020, 2021, 2022, 2025)] == [
        Decimal(25_000_000),
        Decimal(50_000_000),
        Decimal(75_000_000),
        Decimal(65_000_000),
    ]
    assert programme_budget(2025).qualifier is Qualifier.AT_LEAST
    with pytest.raises(MissingValueError):
        programme_budget(2023)


def test_all_54_units_2022_fit_into_75_million() -> None:
    plans = [
        StaffingPlan.from_fte(d.key, 2022, {"case-management": 12, "coordination": "3.5"})
        for d in embedded_territory().districts()
    ]
    check = check_budget(grants(plans))
    assert check.grants == 54
    assert check.total == Euro(54 * (12 * 55_000 + Decimal("3.5") * 55_000))
    assert check.outcome is BudgetOutcome.WITHIN
    assert check.remaining == Euro(75_000_000) - check.total
    # The 2022 rates are confirmed (the coordination rate by the 2020-22 text of the BR);
    # the 2022 budget is a planned figure, so the budget itself is inferred.
    assert check.grants_basis is Status.CONFIRMED
    assert check.budget.status is Status.INFERRED
    e = check.explain()
    assert e.verify() and e.result_value == check.remaining.amount


def test_exceeded_against_an_exact_budget() -> None:
    params = embedded_parameters().with_value("kim_budget", date(2022, 1, 1), date(2022, 12, 31), 1)
    check = check_budget(
        [grant(StaffingPlan.from_fte("05558", 2022, {"case-management": 1}))], parameters=params
    )
    assert check.outcome is BudgetOutcome.EXCEEDED
    assert check.remaining == Euro("-54999")
    assert "exceed the budget" in check.detail.en


def test_floor_budget_is_undetermined_above_the_floor() -> None:
    big = grant(StaffingPlan(recipient="05315000", year=2025, measures="66000000"))
    check = check_budget([big])
    assert check.outcome is BudgetOutcome.UNDETERMINED
    small = check_budget([grant(StaffingPlan(recipient="05315000", year=2025, measures="1000"))])
    assert small.outcome is BudgetOutcome.WITHIN


def test_one_year_at_a_time() -> None:
    g22 = grant(StaffingPlan.from_fte("05558", 2022, {"case-management": 1}))
    g23 = grant(StaffingPlan.from_fte("05558", 2023, {"case-management": 1}))
    with pytest.raises(InputError, match="one year at a time"):
        check_budget([g22, g23])
    with pytest.raises(InputError, match="needs grants or a year"):
        check_budget([])
    empty = check_budget([], year=2021)
    assert empty.total == Euro(0) and empty.outcome is BudgetOutcome.WITHIN
    assert empty.explain().verify()
