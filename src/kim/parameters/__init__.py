"""Dated parameters with provenance: values, statuses, sources, strict lookup, coverage.

Examples:
    >>> from datetime import date
    >>> from kim.parameters import embedded_parameters
    >>> params = embedded_parameters()
    >>> params.value("case_management_flat_rate", date(2024, 3, 1))
    Traceback (most recent call last):
    ...
    kim.errors.MissingValueError: No known value of parameter ... on 2024-03-01 ...

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kim.parameters.coverage_table import Coverage, CoverageRow, CoverageStatus, coverage
    from kim.parameters.loader import (
        PARAMETER_FILES,
        embedded_parameters,
        load_parameter_file,
        parse_parameters,
    )
    from kim.parameters.model import (
        Labels,
        Parameter,
        ParameterSet,
        ParameterValue,
        Qualifier,
        ReferencePeriod,
        Status,
        Unit,
        format_quantity,
    )

_LAZY = {
    "Coverage": "kim.parameters.coverage_table",
    "CoverageRow": "kim.parameters.coverage_table",
    "CoverageStatus": "kim.parameters.coverage_table",
    "coverage": "kim.parameters.coverage_table",
    "PARAMETER_FILES": "kim.parameters.loader",
    "embedded_parameters": "kim.parameters.loader",
    "load_parameter_file": "kim.parameters.loader",
    "parse_parameters": "kim.parameters.loader",
    "Labels": "kim.parameters.model",
    "Parameter": "kim.parameters.model",
    "ParameterSet": "kim.parameters.model",
    "ParameterValue": "kim.parameters.model",
    "Qualifier": "kim.parameters.model",
    "ReferencePeriod": "kim.parameters.model",
    "Status": "kim.parameters.model",
    "Unit": "kim.parameters.model",
    "format_quantity": "kim.parameters.model",
}
"""Where each public name lives: imported on first use."""

__all__ = [
    "PARAMETER_FILES",
    "Coverage",
    "CoverageRow",
    "CoverageStatus",
    "Labels",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "Qualifier",
    "ReferencePeriod",
    "Status",
    "Unit",
    "coverage",
    "embedded_parameters",
    "format_quantity",
    "load_parameter_file",
    "parse_parameters",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
