"""The apportionment algorithms on integers: weights, steps, minimums and caps as ``int``.

Everything here is exact. The public layer ([`kim.allocation.methods`][kim.allocation.methods])
turns decimals into integers (FTE into numbers of steps, weights into integers with a common
denominator) and checks the input; this module assumes valid input.

Conventions:

* ``weights[i] >= 0``, at least one positive; ``mins[i] <= caps[i]`` (``None`` = no cap);
* ``sum(mins) <= seats``, and ``seats`` can be reached (see `max_reachable()`);
* ``rank[i]`` is unit ``i``'s position when the keys are sorted; it breaks the last ties.

The tie rule of every method: of two units with an equal claim (the same remainder, or
the same divisor-method priority), the one with the **larger weight** wins; if the
weights are equal too, the one whose **key sorts first** wins. The rule depends on the
keys, not on the order in which the units are given.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from fractions import Fraction

__all__ = [
    "DIVISOR_KINDS",
    "Bounds",
    "constrained_quotas",
    "divisor",
    "fix_bounds",
    "largest_remainder",
    "max_reachable",
]

DIVISOR_KINDS = ("dhondt", "sainte-lague", "huntington-hill")


def max_reachable(
    weights: Sequence[int], mins: Sequence[int], caps: Sequence[int | None]
) -> int | None:
    """The most seats the units can take: caps of weighted units, minimums of the others.

    A unit with weight zero has no claim beyond its minimum. ``None`` means unbounded.
    """
    total = 0
    for w, m, c in zip(weights, mins, caps, strict=True):
        if w == 0:
            total += m
        elif c is None:
            return None
        else:
            total += c
    return total


def fix_bounds(
    weights: Sequence[int], seats: int, mins: Sequence[int], caps: Sequence[int | None]
) -> Bounds:
    """Solve ``sum(clamp(lam * w_i, m_i, c_i)) = seats`` for the multiplier ``lam``.

    Returns ``(fixed, r, wf)``: ``fixed[i]`` is the bound a unit is held at (or ``None``
    for a free unit, whose quota is ``r * w_i / wf``); ``lam = r / wf``. Each round
    fixes the units on the side whose violation is larger, which is always right: if the
    shortfall below the minimums outweighs the excess over the caps, the true multiplier
    is no larger than the current one, so the units below their minimum stay there.
    """
    n = len(weights)
    fixed: list[int | None] = [None] * n
    bounded = any(mins) or any(c is not None for c in caps)
    r, wf = seats, sum(weights)
    if not bounded:
        return fixed, r, wf
    while True:
        r = seats - sum(f for f in fixed if f is not None)
        wf = sum(w for w, f in zip(weights, fixed, strict=True) if f is None)
        if wf == 0:
            return fixed, r, wf
        low: list[int] = []
        high: list[int] = []
        short = 0  # shortfall below the minimums, times wf
        excess = 0  # excess over the caps, times wf
        for i in range(n):
            if fixed[i] is not None:
                continue
            scaled = r * weights[i]  # lam * w_i = scaled / wf
            if scaled < mins[i] * wf:
                low.append(i)
                short += mins[i] * wf - scaled
            else:
                cap = caps[i]
                if cap is not None and scaled > cap * wf:
                    high.append(i)
                    excess += scaled - cap * wf
        if not low and not high:
            return fixed, r, wf
        if low and short >= excess:
            for i in low:
                fixed[i] = mins[i]
        else:
            for i in high:
                fixed[i] = caps[i]


Bounds = tuple[list[int | None], int, int]
"""What `fix_bounds()` returns."""


def constrained_quotas(weights: Sequence[int], bounds: Bounds, unit: Fraction) -> list[Fraction]:
    """The exact quotas ``clamp(lam * w_i, min_i, cap_i) * unit``, adding up to ``seats * unit``.

    ``bounds`` comes from `fix_bounds()`. Without bounds the quota is
    ``seats * w_i / sum(w)`` steps.
    """
    fixed, r, wf = bounds
    un, ud = unit.numerator, unit.denominator
    den = wf * ud
    return [
        Fraction(f * un, ud) if f is not None else Fraction(r * w * un, den) if wf else Fraction(0)
        for w, f in zip(weights, fixed, strict=True)
    ]


def largest_remainder(
    weights: Sequence[int], seats: int, bounds: Bounds, rank: Sequence[int]
) -> list[int]:
    """Hare-Niemeyer: whole parts of the quotas, then the largest remainders.

    Ties between equal remainders go to the larger weight, then to the smaller key.

    With minimums and caps the quota is the constrained one (see
    `constrained_quotas()`); the result stays within its floor and ceiling.
    """
    fixed, r, wf = bounds
    shares = [0] * len(weights)
    remainders: list[tuple[int, int, int, int]] = []
    for i, (w, f) in enumerate(zip(weights, fixed, strict=True)):
        if f is not None:
            shares[i] = f
        else:
            whole, rest = divmod(r * w, wf)
            shares[i] = whole
            if rest:
                remainders.append((-rest, -w, rank[i], i))
    left = seats - sum(shares)
    if left:
        for *_, i in heapq.nsmallest(left, remainders):
            shares[i] += 1
    return shares


# -- divisor methods ---------------------------------------------------------------
#
# A divisor method hands out seats one at a time to the unit with the highest priority
# w / d(k), where k is the number of seats it already has. d(k) = k + 1 (D'Hondt),
# k + 1/2 (Sainte-Laguë), sqrt(k (k + 1)) (Huntington-Hill). The result of T seats is
# therefore the T best of all (unit, seat) entries in one total order: priority, then
# weight, then key. Instead of T heap operations the code starts from a threshold near
# the final one (every entry above it is in), then adds or removes the few entries at
# the margin with a heap. Priorities are compared exactly, as fractions.


def _count_above(kind: str, w: int, a: int, b: int) -> int:
    """How many seats of a unit with weight ``w`` have a priority above ``a / b``."""
    if w == 0:
        return 0
    wb = w * b
    if kind == "dhondt":  # w / (k + 1) > a / b  <=>  k + 1 < wb / a
        return max(0, (wb + a - 1) // a - 1)
    if kind == "sainte-lague":  # 2w / (2k + 1) > a / b  <=>  2k + 1 < 2wb / a
        return (2 * wb + a - 1) // (2 * a)
    # Huntington-Hill: the first seat has infinite priority; then k (k + 1) a^2 < (wb)^2.
    k = wb // a
    return k if k * (k + 1) * a * a >= wb * wb else k + 1


class _Ratio:
    """An exact fraction ``num / den`` (``den > 0``) that compares by cross-multiplying.

    Heap entries compare a float first (cheap, and never in the wrong order, since
    rounding is monotone); only when two floats are equal does the exact ratio decide.
    """

    __slots__ = ("den", "num")

    def __init__(self, num: int, den: int) -> None:
        self.num = num
        self.den = den

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Ratio):
            return NotImplemented
        return self.num * other.den == other.num * self.den

    def __lt__(self, other: _Ratio) -> bool:
        return self.num * other.den < other.num * self.den

    __hash__ = None  # type: ignore[assignment]


def _priority(kind: str, w: int, k: int) -> tuple[int, int, int]:
    """The priority of seat number ``k + 1`` as ``(tier, num, den)``.

    Tier 1 is the infinite priority of a first Huntington-Hill seat; within a tier the
    priority is ``num / den``. Huntington-Hill is squared: ``w^2 / (k (k + 1))`` orders
    the seats like ``w / sqrt(k (k + 1))`` and stays rational.
    """
    if kind == "dhondt":
        return (0, w, k + 1)
    if kind == "sainte-lague":
        return (0, 2 * w, 2 * k + 1)
    if k == 0:
        return (1, w, 1) if w else (0, 0, 1)
    return (0, w * w, k * (k + 1))


def _start(
    kind: str,
    weights: Sequence[int],
    seats: int,
    mins: Sequence[int],
    caps: Sequence[int | None],
) -> list[int]:
    """Seats at a threshold close to the final one (every entry above it is in).

    The threshold starts at ``total weight / seats`` and is corrected a few times with a
    float estimate; the counts at each threshold are exact.
    """

    def counts(a: int, b: int) -> list[int]:
        out = []
        for w, m, c in zip(weights, mins, caps, strict=True):
            s = _count_above(kind, w, a, b)
            if c is not None and s > c:
                s = c
            out.append(m if s < m else s)
        return out

    total_weight = sum(weights)
    a, b = total_weight, max(seats, 1)
    shares = counts(a, b)
    for _ in range(4):
        got = sum(shares)
        if abs(got - seats) <= 2 or got == 0:
            break
        # Seats fall roughly like 1 / threshold; rescale and round to a dyadic fraction.
        estimate = Fraction(a, b) * Fraction(got, seats)
        approx = Fraction(float(estimate)) if estimate else Fraction(1, 1 << 60)
        if approx <= 0:
            break
        a, b = approx.numerator, approx.denominator
        shares = counts(a, b)
    return shares


def divisor(
    kind: str,
    weights: Sequence[int],
    seats: int,
    mins: Sequence[int],
    caps: Sequence[int | None],
    rank: Sequence[int],
) -> list[int]:
    """D'Hondt, Sainte-Laguë or Huntington-Hill with minimums and caps, exactly."""
    if seats == sum(mins):
        return list(mins)
    shares = _start(kind, weights, seats, mins, caps)
    diff = seats - sum(shares)
    n = len(weights)
    if diff > 0:
        # Add the best next seats. Order: priority, weight descending, key ascending.
        def best(i: int) -> tuple[int, float, _Ratio, int, int, int]:
            tier, num, den = _priority(kind, weights[i], shares[i])
            return (-tier, -num / den, _Ratio(-num, den), -weights[i], rank[i], i)

        heap = [best(i) for i in range(n) if caps[i] is None or shares[i] < caps[i]]  # type: ignore[operator]
        heapq.heapify(heap)
        for _ in range(diff):
            i = heapq.heappop(heap)[-1]
            shares[i] += 1
            cap = caps[i]
            if cap is None or shares[i] < cap:
                heapq.heappush(heap, best(i))
    elif diff < 0:
        # Remove the worst last seats (the ones the sequential method gave out last).
        def worst(i: int) -> tuple[int, float, _Ratio, int, int, int]:
            tier, num, den = _priority(kind, weights[i], shares[i] - 1)
            return (tier, num / den, _Ratio(num, den), weights[i], -rank[i], i)

        heap = [worst(i) for i in range(n) if shares[i] > mins[i]]
        heapq.heapify(heap)
        for _ in range(-diff):
            i = heapq.heappop(heap)[-1]
            shares[i] -= 1
            if shares[i] > mins[i]:
                heapq.heappush(heap, worst(i))
    return shares
