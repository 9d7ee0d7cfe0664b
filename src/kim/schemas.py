"""JSON Schemas of the library's inputs and outputs, versioned: ``kim schema NAME``.

Every schema has an ``$id`` with its version; a change that breaks readers of an
output raises the version. Inputs: ``cases``, ``facts``, ``scenario``,
``staffing-plan``; outputs: ``grant``, ``decision``, ``explanation``, ``statewide``.

Examples:
    >>> s = schema("grant")
    >>> s["title"], s["$id"].endswith("grant-v1.json")
    ('Grant', True)

"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kim.errors import InputError, closest_matches

__all__ = ["SCHEMAS", "SCHEMA_NAMES", "schema"]

SCHEMAS: dict[str, tuple[str, str, str]] = {
    "cases": ("kim.cases", "CaseFile", "1"),
    "facts": ("kim.facts", "Facts", "1"),
    "scenario": ("kim.scenarios.model", "Scenario", "1"),
    "staffing-plan": ("kim.funding.model", "StaffingPlan", "1"),
    "grant": ("kim.funding.model", "Grant", "1"),
    "decision": ("kim.eligibility", "Decision", "1"),
    "explanation": ("kim.explain", "Explanation", "explanation"),
    "statewide": ("kim.scenarios.statewide", "StatewideRun", "1"),
}
"""Schema name -> (module, model, version); ``explanation`` follows its own version."""

SCHEMA_NAMES = tuple(SCHEMAS)
"""The names ``kim schema`` accepts."""


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one input or output, with a versioned ``$id``.

    Raises:
        InputError: an unknown name; the message lists the known ones.

    """
    if name not in SCHEMAS:
        near = closest_matches(name, SCHEMAS)
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        raise InputError(f"no schema {name!r}; known: {', '.join(SCHEMAS)}.{hint}")
    module, model, version = SCHEMAS[name]
    if version == "explanation":
        from kim.explain import EXPLANATION_SCHEMA_VERSION

        version = EXPLANATION_SCHEMA_VERSION
    cls = getattr(import_module(module), model)
    result: dict[str, Any] = cls.model_json_schema(by_alias=True)
    result = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://kim-nrw.readthedocs.io/schemas/{name}-v{version}.json",
        **result,
    }
    return result
