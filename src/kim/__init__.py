"""kim-nrw: Kommunales Integrationsmanagement NRW (KIM) as typed, sourced, tested code.

The public names are listed in ``__all__``; they load lazily, so ``import kim`` stays
cheap and a command-line call pays only for what it uses.

>>> import kim
>>> kim.Euro("57000").format_de()
'57.000,00 €'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports
from kim._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kim.allocation import (
        Allocation,
        AllocationRow,
        Method,
        apportion,
        apportion_money,
        base_plus_weight,
        compare_with_observed,
        observed_posts,
        pass_on,
        population_weights,
    )
    from kim.components import Component, ComponentStart, EmployerKind, PostKind
    from kim.eligibility import Decision, Outcome, Reason, decide, decide_post
    from kim.errors import (
        DataFileError,
        InputError,
        KimError,
        MissingValueError,
        UnknownNameError,
    )
    from kim.money import Euro
    from kim.parameters import (
        Coverage,
        CoverageStatus,
        Parameter,
        ParameterSet,
        ParameterValue,
        Qualifier,
        ReferencePeriod,
        Status,
        Unit,
        coverage,
        embedded_parameters,
    )
    from kim.periods import DateRange, YearShare, funding_year, months_filled, year_share
    from kim.sources import Source, SourceKind, SourceRegistry, embedded_sources
    from kim.territory import (
        AmbiguousNameError,
        District,
        DistrictType,
        Municipality,
        Regierungsbezirk,
        Territory,
        embedded_territory,
    )

_LAZY: dict[str, str] = {
    "KimError": "kim.errors",
    "InputError": "kim.errors",
    "UnknownNameError": "kim.errors",
    "MissingValueError": "kim.errors",
    "DataFileError": "kim.errors",
    "Euro": "kim.money",
    "DateRange": "kim.periods",
    "YearShare": "kim.periods",
    "funding_year": "kim.periods",
    "months_filled": "kim.periods",
    "year_share": "kim.periods",
    "Source": "kim.sources",
    "SourceKind": "kim.sources",
    "SourceRegistry": "kim.sources",
    "embedded_sources": "kim.sources",
    "Coverage": "kim.parameters",
    "CoverageStatus": "kim.parameters",
    "Parameter": "kim.parameters",
    "ParameterSet": "kim.parameters",
    "ParameterValue": "kim.parameters",
    "Qualifier": "kim.parameters",
    "ReferencePeriod": "kim.parameters",
    "Status": "kim.parameters",
    "Unit": "kim.parameters",
    "coverage": "kim.parameters",
    "embedded_parameters": "kim.parameters",
    "Component": "kim.components",
    "ComponentStart": "kim.components",
    "EmployerKind": "kim.components",
    "PostKind": "kim.components",
    "District": "kim.territory",
    "DistrictType": "kim.territory",
    "Municipality": "kim.territory",
    "Regierungsbezirk": "kim.territory",
    "Territory": "kim.territory",
    "AmbiguousNameError": "kim.territory",
    "embedded_territory": "kim.territory",
    "Allocation": "kim.allocation",
    "AllocationRow": "kim.allocation",
    "Method": "kim.allocation",
    "apportion": "kim.allocation",
    "apportion_money": "kim.allocation",
    "base_plus_weight": "kim.allocation",
    "observed_posts": "kim.allocation",
    "compare_with_observed": "kim.allocation",
    "population_weights": "kim.allocation",
    "pass_on": "kim.allocation",
    "Decision": "kim.eligibility",
    "Outcome": "kim.eligibility",
    "Reason": "kim.eligibility",
    "decide": "kim.eligibility",
    "decide_post": "kim.eligibility",
}

__all__ = [
    "Allocation",
    "AllocationRow",
    "AmbiguousNameError",
    "Component",
    "ComponentStart",
    "Coverage",
    "CoverageStatus",
    "DataFileError",
    "DateRange",
    "Decision",
    "District",
    "DistrictType",
    "EmployerKind",
    "Euro",
    "InputError",
    "KimError",
    "Method",
    "MissingValueError",
    "Municipality",
    "Outcome",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "PostKind",
    "Qualifier",
    "Reason",
    "ReferencePeriod",
    "Regierungsbezirk",
    "Source",
    "SourceKind",
    "SourceRegistry",
    "Status",
    "Territory",
    "Unit",
    "UnknownNameError",
    "YearShare",
    "__version__",
    "apportion",
    "apportion_money",
    "base_plus_weight",
    "compare_with_observed",
    "coverage",
    "decide",
    "decide_post",
    "embedded_parameters",
    "embedded_sources",
    "embedded_territory",
    "funding_year",
    "months_filled",
    "observed_posts",
    "pass_on",
    "population_weights",
    "year_share",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
