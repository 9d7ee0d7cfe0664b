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

__all__ = [
    "MAX_BYTES",
    "AllocationChoice",
    "Conflict",
    "ParameterChange",
    "Scenario",
    "ScenarioError",
    "compose",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "save_scenario",
]
