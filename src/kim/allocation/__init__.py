"""Allocation rules: apportioning posts and money among units, and checking keys.

Keys are checked against the posts that the sources report per unit.

>>> from kim.allocation import apportion
>>> apportion(3, {"A": 2, "B": 1}).as_dict()
{'A': Decimal('2.0'), 'B': Decimal('1.0')}
"""

from kim.allocation.methods import (
    DEFAULT_STEP,
    Allocation,
    AllocationRow,
    Method,
    apportion,
    apportion_money,
    base_plus_weight,
)

__all__ = [
    "DEFAULT_STEP",
    "Allocation",
    "AllocationRow",
    "Method",
    "apportion",
    "apportion_money",
    "base_plus_weight",
]
