"""Summing up a statewide run: totals, what they are made of, and the budget check.

The budget check says how much of the budget the sourced and supplied figures explain
and how much more the estimates add (with their 80 % interval). It refuses a verdict
while figures are missing, or while less than
[`SHARE_TO_JUDGE`][kim.scenarios.summary.SHARE_TO_JUDGE] of the total is known rather than
estimated, and says "within" only when even the interval's upper end is within the budget.

Examples:
    >>> from kim.scenarios import run_statewide
    >>> "cannot be said" in run_statewide(2022).budget_note
    True

"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kim._model import frozen_map
from kim.allocation.authorities import AuthorityShare
from kim.components import Component
from kim.errors import MissingValueError
from kim.estimates import staffing_model
from kim.money import Euro
from kim.parameters.model import ParameterSet, Status
from kim.scenarios.estimates import authority_shares, municipal_of
from kim.scenarios.model import Scenario
from kim.scenarios.results import (
    Breakdown,
    FigureStatus,
    StatewideRun,
    UnitResult,
    breakdown,
    town_breakdown,
    town_figures,
)

__all__ = ["SHARE_TO_JUDGE", "summarise"]


def summarise(
    year: int, scenario: Scenario | None, units: tuple[UnitResult, ...], params: ParameterSet
) -> StatewideRun:
    """The run from its unit results: totals, breakdown, coverage and the budget check."""
    totals = {c: sum((u.components[c].grant or Euro(0) for u in units), Euro(0)) for c in Component}
    shares = authority_shares(year, params)
    municipal = municipal_of(shares, scenario)
    totals[Component.AUTHORITIES] += sum((m.amount for m in municipal), Euro(0))
    total = sum(totals.values(), Euro(0))
    coverage = dict.fromkeys(FigureStatus, 0)
    for u in units:
        for f in u.components.values():
            coverage[f.status] += 1
    parts = {c: breakdown(u.components[c] for u in units) for c in Component}
    model = staffing_model(Component.AUTHORITIES)
    spread = (Decimal(repr(model.baseline_low)), Decimal(repr(model.baseline_high)))
    towns = town_figures(municipal, spread)
    for town in towns:
        coverage[town.status] += 1
    if towns:
        parts[Component.AUTHORITIES] = parts[Component.AUTHORITIES] + town_breakdown(towns)
    parts[Component.AUTHORITIES] = _bound_by_published(parts[Component.AUTHORITIES], shares)
    budget, budget_status, note = _budget_note(year, parts, params)
    from kim.funding import RATE_PARAMETERS

    to_supply = []
    for parameter in dict.fromkeys([*RATE_PARAMETERS.values(), "kim_budget"]):
        try:
            params.value(parameter, date(year, 6, 30))
        except MissingValueError:
            to_supply.append(parameter)
    return StatewideRun.model_construct(
        year=year,
        scenario=scenario.name if scenario else None,
        units=units,
        totals=frozen_map(totals),
        total=total,
        budget=budget,
        budget_status=budget_status,
        budget_note=note,
        coverage=frozen_map(coverage),
        breakdown=frozen_map(parts),
        to_supply=tuple(to_supply),
        authorities=municipal,
        towns=towns,
    )


def _bound_by_published(part: Breakdown, shares: tuple[AuthorityShare, ...] | None) -> Breakdown:
    """A published statewide total binds the estimates that distribute it.

    When the Baustein 3 figures add up to the published total of half posts (2020: 200
    half posts, 5,000,000.00 €), their sum is that total, whatever each unit's interval:
    the interval of the estimated part collapses to its point.
    """
    if not shares or part.missing:
        return part
    published = sum((s.amount for s in shares), Euro(0))
    if part.point != published:
        return part
    return part.model_copy(
        update={"estimated_low": part.estimated, "estimated_high": part.estimated}
    )


SHARE_TO_JUDGE = Decimal("0.5")
"""The least share of a total that must be known (not estimated) to compare it."""


def _budget_note(
    year: int, parts: Mapping[Component, Breakdown], params: ParameterSet
) -> tuple[Euro | None, Status | None, str]:
    """The budget check in words: how much of the budget the known figures explain."""
    try:
        value = params.value("kim_budget", date(year, 6, 30))
    except MissingValueError:
        return (
            None,
            None,
            (f"The KIM budget for {year} is not known; the totals cannot be checked against it."),
        )
    budget = Euro(value.value)
    items = list(parts.values())
    whole = sum(items[1:], items[0])
    low, high = whole.known + whole.estimated_low, whole.known + whole.estimated_high
    share = (whole.known.amount / budget.amount * 100).quantize(Decimal(1))
    estimated = (whole.estimated.amount / budget.amount * 100).quantize(Decimal(1))
    head = (
        f"The budget of {year} is {budget.format_en()} ({value.qualifier.value}, "
        f"{value.status.value}). Sourced and supplied figures explain {share} % of it, "
        f"estimates {estimated} % more (80 % interval {low.format_en()} to {high.format_en()})"
    )
    if whole.missing:
        verdict = (
            f"; {whole.missing} of {whole.figures} figures are missing, so whether the "
            "run stays within the budget cannot be said."
        )
    elif whole.point and whole.known.amount < SHARE_TO_JUDGE * whole.point.amount:
        verdict = "; too little is known (not estimated) to compare the total with the budget."
    elif high <= budget:
        verdict = "; within the budget even at the interval's upper end."
    elif low > budget:
        verdict = "; above the budget even at the interval's lower end."
    else:
        verdict = "; the interval holds the budget, so the check is undecided."
    return budget, value.status, head + verdict
