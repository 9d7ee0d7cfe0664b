"""The statewide run: one facade over its four modules.

* [`kim.scenarios.results`][kim.scenarios.results]: the result types (figures, units, the run);
* [`kim.scenarios.estimates`][kim.scenarios.estimates]: staffing per unit, observed or estimated;
* [`kim.scenarios.engine`][kim.scenarios.engine]: the run itself
  ([`run_statewide()`][kim.scenarios.engine.run_statewide]);
* [`kim.scenarios.summary`][kim.scenarios.summary]: totals, their breakdown and the budget check;
* [`kim.scenarios.comparison`][kim.scenarios.comparison]: two runs side by side.

Examples:
    >>> run = run_statewide(2023)
    >>> len(run.units), run.total == sum(run.totals.values(), type(run.total)(0))
    (54, True)

"""

from __future__ import annotations

from kim.scenarios.comparison import RunComparison, compare_runs
from kim.scenarios.engine import default_year, run_statewide
from kim.scenarios.results import (
    Breakdown,
    ComponentFigure,
    FigureStatus,
    StaffingBasis,
    StatewideRun,
    UnitResult,
)

__all__ = [
    "Breakdown",
    "ComponentFigure",
    "FigureStatus",
    "RunComparison",
    "StaffingBasis",
    "StatewideRun",
    "UnitResult",
    "compare_runs",
    "default_year",
    "run_statewide",
]
