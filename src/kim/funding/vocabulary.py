"""The words funding results use: what a grant line pays for, what a budget check says.

They live apart from the result models so that the explanation builders, which read
results, need not import the models that call them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["BudgetOutcome", "LineKind"]


class LineKind(StrEnum):
    """What a grant line pays for."""

    POST = "post"
    """Personnel: a flat rate per post (all components)."""
    WORKPLACE = "workplace"
    """Setting up the workplace of a new post (Baustein 1)."""
    MEASURES = "measures"
    """Events and measures (Baustein 1)."""


class BudgetOutcome(StrEnum):
    """The answer of a budget check."""

    WITHIN = "within"
    """The grants fit into the budget."""
    EXCEEDED = "exceeded"
    """The grants exceed the budget."""
    UNDETERMINED = "undetermined"
    """The budget is only known as a floor and the grants exceed the floor."""
