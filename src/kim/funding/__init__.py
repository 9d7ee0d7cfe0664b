"""Funding: grants from staffing plans, budgets, and the § 3 (2) TIntG minimum.

* [`grant()`][kim.funding.rules.grant] turns a [`StaffingPlan`][kim.funding.model.StaffingPlan] (one
  recipient, one funding year) into a [`Grant`][kim.funding.model.Grant]: one line per post (flat
  rate × FTE × share of the year, at most the actual cost), workplace and events lines, totals per
  component, the own share and the money passed on to each final recipient. Every line names its
  parameter value with status and sources; [`Grant.explain()`][kim.funding.model.Grant.explain]
  gives the full account.
* [`price()`][kim.funding.batch.price] (with [`PostBatch`][kim.funding.batch.PostBatch]) prices the
  post lines of many recipients and many scenarios at once, as NumPy columns of integer cents, equal
  to [`grant()`][kim.funding.rules.grant].
* [`check_budget()`][kim.funding.programme.check_budget] compares a set of grants with the KIM
  budget of the year.
* [`tintg_minimum()`][kim.funding.indexation.tintg_minimum] carries the 130 Mio € of § 3 (2) TIntG
  forward from 2022.

The names load lazily, so the ``kim`` command stays quick to start.

Examples:
    >>> from kim.funding import StaffingPlan, grant
    >>> g = grant(StaffingPlan.from_fte("Kreis Unna", 2023, {"case-management": 18}))
    >>> g.total.format_de()
    '1.026.000,00 €'

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kim.funding.batch import (
        FTE_SCALE,
        KINDS,
        NO_COST,
        BatchResult,
        PostBatch,
        eligibility,
        fte_scaled,
        kind_index,
        kind_rates,
        line_cents,
        price,
    )
    from kim.funding.indexation import (
        BASE_YEAR,
        IndexationYear,
        IndexChange,
        IndexedMinimum,
        TableIncrease,
        TvlRecord,
        tintg_minimum,
        tvl_table_increases,
        tvl_yearly_change,
    )
    from kim.funding.model import (
        ComponentTotal,
        Grant,
        GrantFigure,
        GrantLine,
        LineKind,
        PassedOn,
        Post,
        StaffingPlan,
        parse_post_kind,
    )
    from kim.funding.programme import (
        BUDGET_PARAMETER,
        BudgetCheck,
        BudgetOutcome,
        check_budget,
        programme_budget,
    )
    from kim.funding.rules import (
        MEASURES_PARAMETER,
        RATE_PARAMETERS,
        WORKPLACE_PARAMETER,
        grant,
        grants,
        line_amount,
        notice_period,
        rate_for,
    )

_LAZY: dict[str, str] = {
    "FTE_SCALE": "kim.funding.batch",
    "KINDS": "kim.funding.batch",
    "NO_COST": "kim.funding.batch",
    "BatchResult": "kim.funding.batch",
    "PostBatch": "kim.funding.batch",
    "eligibility": "kim.funding.batch",
    "fte_scaled": "kim.funding.batch",
    "kind_index": "kim.funding.batch",
    "kind_rates": "kim.funding.batch",
    "line_cents": "kim.funding.batch",
    "price": "kim.funding.batch",
    "ComponentTotal": "kim.funding.model",
    "Grant": "kim.funding.model",
    "GrantFigure": "kim.funding.model",
    "GrantLine": "kim.funding.model",
    "LineKind": "kim.funding.model",
    "PassedOn": "kim.funding.model",
    "Post": "kim.funding.model",
    "StaffingPlan": "kim.funding.model",
    "parse_post_kind": "kim.funding.model",
    "MEASURES_PARAMETER": "kim.funding.rules",
    "RATE_PARAMETERS": "kim.funding.rules",
    "WORKPLACE_PARAMETER": "kim.funding.rules",
    "grant": "kim.funding.rules",
    "grants": "kim.funding.rules",
    "rate_for": "kim.funding.rules",
    "line_amount": "kim.funding.rules",
    "notice_period": "kim.funding.rules",
    "BUDGET_PARAMETER": "kim.funding.programme",
    "BudgetCheck": "kim.funding.programme",
    "BudgetOutcome": "kim.funding.programme",
    "check_budget": "kim.funding.programme",
    "programme_budget": "kim.funding.programme",
    "BASE_YEAR": "kim.funding.indexation",
    "IndexChange": "kim.funding.indexation",
    "IndexationYear": "kim.funding.indexation",
    "IndexedMinimum": "kim.funding.indexation",
    "TableIncrease": "kim.funding.indexation",
    "TvlRecord": "kim.funding.indexation",
    "tintg_minimum": "kim.funding.indexation",
    "tvl_table_increases": "kim.funding.indexation",
    "tvl_yearly_change": "kim.funding.indexation",
}

__all__ = [
    "BASE_YEAR",
    "BUDGET_PARAMETER",
    "FTE_SCALE",
    "KINDS",
    "MEASURES_PARAMETER",
    "NO_COST",
    "RATE_PARAMETERS",
    "WORKPLACE_PARAMETER",
    "BatchResult",
    "BudgetCheck",
    "BudgetOutcome",
    "ComponentTotal",
    "Grant",
    "GrantFigure",
    "GrantLine",
    "IndexChange",
    "IndexationYear",
    "IndexedMinimum",
    "LineKind",
    "PassedOn",
    "Post",
    "PostBatch",
    "StaffingPlan",
    "TableIncrease",
    "TvlRecord",
    "check_budget",
    "eligibility",
    "fte_scaled",
    "grant",
    "grants",
    "kind_index",
    "kind_rates",
    "line_amount",
    "line_cents",
    "notice_period",
    "parse_post_kind",
    "price",
    "programme_budget",
    "rate_for",
    "tintg_minimum",
    "tvl_table_increases",
    "tvl_yearly_change",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
