"""Allocation rules: apportioning posts and money among units, and checking keys.

* [`kim.allocation.methods`][kim.allocation.methods]: the four apportionment methods with minimums,
  caps, steps and "base + weight" keys;
* [`kim.allocation.weights`][kim.allocation.weights]: population of the 54 units, equal weights, CSV
  files;
* [`kim.allocation.passing_on`][kim.allocation.passing_on]: a Kreis's posts split among its
  municipalities;
* [`kim.allocation.observed`][kim.allocation.observed]: the posts the sources report, and how well a
  key fits them.

The names load lazily, so ``kim allocate --help`` and ``import kim.allocation`` stay cheap.

Examples:
    >>> from kim.allocation import apportion
    >>> apportion(3, {"A": 2, "B": 1}).as_dict()
    {'A': Decimal('2.0'), 'B': Decimal('1.0')}

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kim.allocation.methods import (
        DEFAULT_STEP,
        apportion,
        apportion_money,
        base_plus_weight,
    )
    from kim.allocation.observed import (
        Comparison,
        ObservedPosts,
        ObservedTotal,
        Residual,
        TotalQualifier,
        calibrated_total,
        compare_with_observed,
        observed_posts,
        observed_totals,
        rank_keys,
    )
    from kim.allocation.passing_on import (
        FUNDABLE_MINIMUM,
        KREIS,
        BelowMinimum,
        PassOn,
        pass_on,
    )
    from kim.allocation.result import Allocation, AllocationRow, Method
    from kim.allocation.weights import (
        equal_weights,
        population_weights,
        read_weights,
        unit_weights,
    )

_LAZY: dict[str, str] = {
    "DEFAULT_STEP": "kim.allocation.methods",
    "Allocation": "kim.allocation.result",
    "AllocationRow": "kim.allocation.result",
    "Method": "kim.allocation.result",
    "apportion": "kim.allocation.methods",
    "apportion_money": "kim.allocation.methods",
    "base_plus_weight": "kim.allocation.methods",
    "Comparison": "kim.allocation.observed",
    "ObservedPosts": "kim.allocation.observed",
    "ObservedTotal": "kim.allocation.observed",
    "TotalQualifier": "kim.allocation.observed",
    "observed_totals": "kim.allocation.observed",
    "Residual": "kim.allocation.observed",
    "calibrated_total": "kim.allocation.observed",
    "compare_with_observed": "kim.allocation.observed",
    "observed_posts": "kim.allocation.observed",
    "rank_keys": "kim.allocation.observed",
    "FUNDABLE_MINIMUM": "kim.allocation.passing_on",
    "KREIS": "kim.allocation.passing_on",
    "BelowMinimum": "kim.allocation.passing_on",
    "PassOn": "kim.allocation.passing_on",
    "pass_on": "kim.allocation.passing_on",
    "equal_weights": "kim.allocation.weights",
    "population_weights": "kim.allocation.weights",
    "read_weights": "kim.allocation.weights",
    "unit_weights": "kim.allocation.weights",
}

__all__ = [
    "DEFAULT_STEP",
    "FUNDABLE_MINIMUM",
    "KREIS",
    "Allocation",
    "AllocationRow",
    "BelowMinimum",
    "Comparison",
    "Method",
    "ObservedPosts",
    "ObservedTotal",
    "PassOn",
    "Residual",
    "TotalQualifier",
    "apportion",
    "apportion_money",
    "base_plus_weight",
    "calibrated_total",
    "compare_with_observed",
    "equal_weights",
    "observed_posts",
    "observed_totals",
    "pass_on",
    "population_weights",
    "rank_keys",
    "read_weights",
    "unit_weights",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
