"""The statewide run: one facade over its four modules.

* :mod:`kim.scenarios.results`: the result types (figures, units, the run);
* :mod:`kim.scenarios.estimates`: staffing per unit, observed or estimated;
* :mod:`kim.scenarios.engine`: the run itself (:func:`run_statewide`);
* :mod:`kim.scenarios.summary`: totals, their breakdown and the budget check;
* :mod:`kim.scenarios.comparison`: two runs side by side.

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
