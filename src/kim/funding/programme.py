"""The programme level: the KIM budget of a year and a check of grants against it.

The KIM budget (``kim_budget``) is the state money for the whole programme in a year:
25 Mio € (2020), 50 Mio € (2021), 75 Mio € (2022, a planned figure), "more than"
65 Mio € (2025, a floor). 2023 and 2024 are not known and raise
[`MissingValueError`][kim.errors.MissingValueError].

[`check_budget()`][kim.funding.programme.check_budget] adds up a set of grants for one year and
compares the sum with the budget. Against an exact figure the answer is ``within`` or ``exceeded``;
against a floor ("more than 65 Mio €") a sum above the floor is ``undetermined``, because the
real budget is higher by an unknown amount. The guidelines grant no entitlement: the
authority decides within the budget (``rl-2024-1.3``), which is why the check matters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from kim._model import KimModel
from kim.errors import InputError
from kim.funding.model import Grant
from kim.funding.rules import rate_for
from kim.funding.vocabulary import BudgetOutcome
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import Labels, ParameterSet, ParameterValue, Qualifier, Status

if TYPE_CHECKING:  # pragma: no cover
    from kim.explain import Explanation

__all__ = ["BUDGET_PARAMETER", "BudgetCheck", "BudgetOutcome", "check_budget", "programme_budget"]

BUDGET_PARAMETER = "kim_budget"
"""The parameter holding the KIM budget per year."""


def programme_budget(year: int, *, parameters: ParameterSet | None = None) -> ParameterValue:
    """The KIM budget for ``year``, with status, qualifier and sources (strict).

    Examples:
        >>> v = programme_budget(2021)
        >>> v.value, v.status.value
        (Decimal('50000000'), 'confirmed')
        >>> programme_budget(2025).qualifier.value
        'at_least'

    """
    params = embedded_parameters() if parameters is None else parameters
    return rate_for(BUDGET_PARAMETER, year, params)


class BudgetCheck(KimModel):
    """A set of grants for one year, added up and compared with the KIM budget."""

    year: int = Field(description="The funding year.")
    budget: ParameterValue = Field(description="The budget value with its provenance.")
    total: Euro = Field(description="Sum of the grants.")
    remaining: Euro = Field(description="Budget minus total (negative when exceeded).")
    grants: int = Field(description="How many grants were added up.")
    recipients: tuple[str, ...] = Field(description="Keys of the recipients, in order.")
    amounts: tuple[Euro, ...] = Field(description="Each grant's total, in the same order.")
    outcome: BudgetOutcome = Field(description="within, exceeded or undetermined.")
    grants_basis: Status | None = Field(
        description="Least certain status of the values the grants rest on."
    )
    detail: Labels = Field(description="The outcome in words.")

    _parameters: Any = None

    def explain(self) -> Explanation:
        """The sum, the budget value with its sources, and the comparison."""
        # The builder depends on this result, not the reverse (see docs/architecture.md).
        from kim.funding._explain_programme import budget_explanation

        return budget_explanation(self)

    def _repr_html_(self) -> str:
        return self.explain().to_html()


def check_budget(
    grants: Iterable[Grant],
    *,
    year: int | None = None,
    parameters: ParameterSet | None = None,
) -> BudgetCheck:
    """Add up ``grants`` (all for one year) and compare the sum with the KIM budget.

    Args:
        grants: the grants; all must be for the same funding year.
        year: the year; needed only when ``grants`` is empty.
        parameters: the parameter set for the budget; the embedded one by default.

    Raises:
        InputError: grants for different years, or no year at all.
        MissingValueError: the budget of the year is not known.

    """
    from kim.explain import labels

    items = list(grants)
    years = {g.year for g in items}
    if year is not None:
        years.add(year)
    if len(years) != 1:
        if not years:
            raise InputError("check_budget needs grants or a year.")
        raise InputError(
            f"check_budget compares one year at a time; the grants are for {sorted(years)}."
        )
    (the_year,) = years
    budget = programme_budget(the_year, parameters=parameters)
    limit = Euro(budget.value)
    total = sum((g.total for g in items), Euro(0))
    remaining = limit - total
    if total <= limit:
        outcome = BudgetOutcome.WITHIN
        detail = labels(
            f"Die Förderungen ({total.format_de()}) passen in das Budget ({limit.format_de()}).",
            f"The grants ({total.format_en()}) fit into the budget ({limit.format_en()}).",
        )
    elif budget.qualifier is Qualifier.AT_LEAST:
        outcome = BudgetOutcome.UNDETERMINED
        detail = labels(
            f"Die Förderungen ({total.format_de()}) übersteigen die bekannte Untergrenze des "
            f"Budgets ({limit.format_de()}); das Budget selbst ist unbekannt.",
            f"The grants ({total.format_en()}) exceed the budget's known floor "
            f"({limit.format_en()}); the budget itself is not known.",
        )
    else:
        outcome = BudgetOutcome.EXCEEDED
        detail = labels(
            f"Die Förderungen ({total.format_de()}) übersteigen das Budget "
            f"({limit.format_de()}) um {(-remaining).format_de()}.",
            f"The grants ({total.format_en()}) exceed the budget ({limit.format_en()}) by "
            f"{(-remaining).format_en()}.",
        )
    result = BudgetCheck.model_construct(
        year=the_year,
        budget=budget,
        total=total,
        remaining=remaining,
        grants=len(items),
        recipients=tuple(g.recipient for g in items),
        amounts=tuple(g.total for g in items),
        outcome=outcome,
        grants_basis=Status.weakest(g.basis for g in items if g.basis is not None),
        detail=detail,
    )
    params = embedded_parameters() if parameters is None else parameters
    result._parameters = params
    return result
