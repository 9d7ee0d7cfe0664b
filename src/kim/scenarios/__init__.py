"""Scenarios: parameter changes over date ranges, staffing and allocation choices.

Examples:
    >>> from kim.scenarios import Scenario, compose
    >>> a = Scenario(name="a")
    >>> compose(a)[0].name
    'a'

The names load lazily (PEP 562), so ``import kim.scenarios`` and the ``kim`` command
do not load the statewide run, sweeps or NumPy until they are used. (The sweeps live
in ``kim.scenarios.sweeps``: a submodule named like the function ``sweep`` would
replace it in this namespace once imported.)

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
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
    from kim.scenarios.sweeps import SweepResult, SweepRow, grid, random_scenarios, sweep

_LAZY: dict[str, str] = {
    "MAX_BYTES": "kim.scenarios.files",
    "dump_scenario": "kim.scenarios.files",
    "load_scenario": "kim.scenarios.files",
    "parse_scenario": "kim.scenarios.files",
    "save_scenario": "kim.scenarios.files",
    "AllocationChoice": "kim.scenarios.model",
    "Conflict": "kim.scenarios.model",
    "ParameterChange": "kim.scenarios.model",
    "Scenario": "kim.scenarios.model",
    "ScenarioError": "kim.scenarios.model",
    "compose": "kim.scenarios.model",
    "Breakdown": "kim.scenarios.statewide",
    "ComponentFigure": "kim.scenarios.statewide",
    "FigureStatus": "kim.scenarios.statewide",
    "RunComparison": "kim.scenarios.statewide",
    "StaffingBasis": "kim.scenarios.statewide",
    "StatewideRun": "kim.scenarios.statewide",
    "UnitResult": "kim.scenarios.statewide",
    "compare_runs": "kim.scenarios.statewide",
    "default_year": "kim.scenarios.statewide",
    "run_statewide": "kim.scenarios.statewide",
    "SweepResult": "kim.scenarios.sweeps",
    "SweepRow": "kim.scenarios.sweeps",
    "grid": "kim.scenarios.sweeps",
    "random_scenarios": "kim.scenarios.sweeps",
    "sweep": "kim.scenarios.sweeps",
}

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

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
