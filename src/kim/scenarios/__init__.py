"""Scenarios: parameter changes over date ranges, staffing and allocation choices.

>>> from kim.scenarios import Scenario, compose
>>> a = Scenario(name="a")
>>> compose(a)[0].name
'a'
"""

from kim.scenarios.files import (
    MAX_BYTES,
    dump_scenario,
    load_scenario,
    parse_scenario,
    save_scenario,
)
from kim.scenarios.model import (
    AllocationChoice,
    Conflict,
    ParameterChange,
    Scenario,
    ScenarioError,
    compose,
)
from kim.scenarios.statewide import (
    Breakdown,
    ComponentFigure,
    FigureStatus,
    RunComparison,
    StaffingBasis,
    StatewideRun,
    UnitResult,
    compare_runs,
    default_year,
    run_statewide,
)
from kim.scenarios.sweep import SweepResult, SweepRow, grid, random_scenarios, sweep

__all__ = [
    "MAX_BYTES",
    "AllocationChoice",
    "Breakdown",
    "ComponentFigure",
    "Conflict",
    "FigureStatus",
    "ParameterChange",
    "RunComparison",
    "Scenario",
    "ScenarioError",
    "StaffingBasis",
    "StatewideRun",
    "SweepResult",
    "SweepRow",
    "UnitResult",
    "compare_runs",
    "compose",
    "default_year",
    "dump_scenario",
    "grid",
    "load_scenario",
    "parse_scenario",
    "random_scenarios",
    "run_statewide",
    "save_scenario",
    "sweep",
]
