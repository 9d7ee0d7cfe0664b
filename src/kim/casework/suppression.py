"""Complementary cell suppression over linked additive relations.

A published statistic is a set of counts tied by **additive relations**: a table's cells
add up to its total, and the flow of episodes obeys
``open_at_start + opened - not_admitted - closed - open_at_end = 0``. A relation lets a
reader compute a suppressed cell from the published ones, so hiding the small cells
alone is not enough. [`protect()`][kim.casework.suppression.protect] chooses the cells to
hide for a whole system of relations at once:

1. *Primary:* every count from 1 to ``threshold - 1`` is hidden (and any cell the caller
   forces). Zero is never hidden: it describes nobody.
2. *Each relation:* a relation with a hidden cell must have **at least two** hidden cells,
   and its hidden cells must add up to **at least the threshold** (a reader who knows the
   relation learns only that sum, so each hidden cell could lie anywhere from 0 to it).
   While a relation breaks this, its smallest published non-zero cell is hidden too
   (ties broken by name). If none is left, the relation's positive cells are all hidden.
3. *The whole system:* relations share cells (the ``closed`` count is a table total and
   a flow cell), so two hidden cells per relation can still pin one down through another
   relation. A hidden cell is **pinned** when the published cells and the relations
   determine its value; this is checked exactly, with rational Gaussian elimination over
   the hidden cells. While a cell is pinned, the smallest published non-zero cell of a
   relation that holds it is hidden, and the check is repeated.

Every hidden cell has a count of at least 1, so a pinned-free result is also safe over
whole numbers: along any direction the relations leave free, each hidden cell can move
by one either way without a count becoming negative.

Examples:
    >>> r = Relation(name="t", terms=(("a", 1), ("b", 1), ("c", 1), ("total", -1)))
    >>> sorted(protect({"a": 12, "b": 3, "c": 7, "total": 22}, [r], threshold=5))
    ['b', 'c']

"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from kim.errors import InputError

__all__ = ["Relation", "pinned", "protect"]


@dataclass(frozen=True)
class Relation:
    """A linear relation ``sum(coefficient * cell) == 0`` between published counts.

    Attributes:
        name: a short name for messages, e.g. ``"flow"``.
        terms: ``(cell, coefficient)`` pairs; a table is its cells with ``+1`` and its
            total with ``-1``.

    """

    name: str
    terms: tuple[tuple[str, int], ...]

    @property
    def cells(self) -> tuple[str, ...]:
        """The cells the relation ties, in order."""
        return tuple(cell for cell, _ in self.terms)


def pinned(relations: Sequence[Relation], hidden: Collection[str]) -> set[str]:
    """The hidden cells whose value follows from the published cells and the relations.

    A hidden cell is pinned exactly when the relations, restricted to the hidden cells
    (the published ones move to the constant side), determine it: in the reduced row
    echelon form it is a pivot whose row holds no other hidden cell.

    Examples:
        >>> flow = Relation(name="f", terms=(("s", 1), ("o", 1), ("e", -1)))
        >>> sorted(pinned([flow], {"o"})), sorted(pinned([flow], {"o", "e"}))
        (['o'], [])

    """
    columns = sorted({c for r in relations for c in r.cells if c in hidden})
    index = {c: i for i, c in enumerate(columns)}
    rows: list[list[Fraction]] = []
    for relation in relations:
        row = [Fraction(0)] * len(columns)
        for cell, coefficient in relation.terms:
            if cell in index:
                row[index[cell]] += coefficient
        if any(row):
            rows.append(row)
    pivots: list[int] = []
    rank = 0
    for col in range(len(columns)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [v / lead for v in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    found = set()
    for r, col in enumerate(pivots):
        if sum(1 for v in rows[r] if v != 0) == 1:
            found.add(columns[col])
    return found


def _smallest(values: Mapping[str, int], cells: Iterable[str], hidden: set[str]) -> str | None:
    candidates = sorted((values[c], c) for c in cells if c not in hidden and values[c] > 0)
    return candidates[0][1] if candidates else None


def _weak(relation: Relation, values: Mapping[str, int], hidden: set[str], threshold: int) -> bool:
    inside = [c for c in relation.cells if c in hidden]
    return bool(inside) and (len(inside) < 2 or sum(values[c] for c in inside) < threshold)


def protect(
    values: Mapping[str, int],
    relations: Sequence[Relation],
    threshold: int,
    *,
    force: Iterable[str] = (),
) -> set[str]:
    """The cells to hide so that no hidden cell is small, pinned or in a small hidden sum.

    Args:
        values: every cell's count (>= 0), including totals.
        relations: the additive relations between the cells.
        threshold: counts from 1 to ``threshold - 1`` are hidden.
        force: cells to hide whatever their count.

    Returns:
        The names of the hidden cells.

    Raises:
        InputError: a count is negative, or a relation names an unknown cell.

    """
    if any(v < 0 for v in values.values()):
        raise InputError("Counts must not be negative.")
    for relation in relations:
        if not set(relation.cells) <= set(values):
            raise InputError(f"Relation {relation.name!r} names a cell without a count.")
    hidden = {c for c, v in values.items() if 0 < v < threshold} | set(force)
    while True:
        added = None
        for relation in relations:
            if _weak(relation, values, hidden, threshold):
                added = _smallest(values, relation.cells, hidden)
                if added is None:  # nothing left to hide in this relation
                    continue
                break
        if added is None:
            for cell in sorted(pinned(relations, hidden)):
                holding = [r for r in relations if cell in r.cells]
                added = _smallest(values, (c for r in holding for c in r.cells), hidden)
                if added is None:
                    everywhere = (c for r in relations for c in r.cells)
                    added = _smallest(values, everywhere, hidden)
                if added is not None:
                    break
        if added is None:
            return hidden
        hidden.add(added)
