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

from kim.parameters.coverage import Coverage, CoverageRow, CoverageStatus, coverage
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
