"""Apportionment: split a total (posts in steps of 0.5 FTE, or money in cents) by weights.

Four methods, each a pure function of its input:

| method | also called | rounds | known for |
|---|---|---|---|
| ``largest-remainder`` | Hare-Niemeyer, Hamilton | whole part of the quota, then the largest
remainders | stays within floor and ceiling of the quota; Alabama paradox | | ``dhondt`` | Jefferson
| down (divisor ``k + 1``) | favours large units | | ``sainte-lague`` | Webster | to the nearest
(divisor ``k + 1/2``) | no bias between large and small units | | ``huntington-hill`` | equal
proportions | geometric mean (divisor ``sqrt(k (k + 1))``) | every unit with weight gets a first
step |

The **exact quota** of a unit is its share of the total in proportion to its weight,
``total * weight / sum of weights``. With a minimum or a cap it is the bounded quota
``clamp(lam * weight, minimum, cap)``, with the one multiplier ``lam`` that makes the
quotas add up to the total. The result keeps the inputs, these exact quotas (as
fractions) and the final shares.

**Ties** are broken by one rule for every method: the unit with the larger weight wins;
if the weights are equal too, the unit whose key sorts first (as a string) wins. The
order in which you pass the units never matters.

Examples:
    >>> from kim.allocation import apportion
    >>> a = apportion(10, {"A": 5, "B": 3, "C": 2}, step=1, method="dhondt")
    >>> a.as_dict()
    {'A': Decimal('5'), 'B': Decimal('3'), 'C': Decimal('2')}
    >>> apportion(2, {"A": 1, "B": 1, "C": 1}, step=1).as_dict()  # a tie: keys decide
    {'A': Decimal('1'), 'B': Decimal('1'), 'C': Decimal('0')}

"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from kim._numbers import to_decimal
from kim.allocation import _core
from kim.allocation.result import Allocation, AllocationRow, Method
from kim.errors import AllocationError, InputError
from kim.money import Euro

__all__ = [
    "DEFAULT_STEP",
    "Allocation",
    "AllocationRow",
    "Method",
    "apportion",
    "apportion_money",
    "base_plus_weight",
]

DEFAULT_STEP = Decimal("0.5")
"""Posts are apportioned in half posts by default: only post shares of at least 0.5 FTE
are fundable (source ``kamen-141-2021``)."""

Number = int | Decimal | str | float | Fraction
"""Anything `kim._numbers.to_decimal()` accepts."""
Bound = Number | Mapping[str, Number] | None
"""One value for every unit, a value per unit key, or nothing."""


# -- input checks ------------------------------------------------------------------


MAX_STEPS = 10**13
"""The most steps a total or bound may have (0.01-euro steps of 10**11 euro)."""
MAX_PLACES = 30
"""The most decimal places of a weight (a work budget: weights are scaled to integers)."""


def _steps(value: Decimal, step: Decimal, what: str) -> int:
    try:
        count, rest = divmod(value, step)
    except ArithmeticError:
        count, rest = Decimal(MAX_STEPS + 1), Decimal(0)
    if count > MAX_STEPS:
        raise AllocationError(
            "too-many-steps",
            f"{what} {value} is more than {MAX_STEPS:.0e} steps of {step} (the limit); "
            "choose a larger step.",
        )
    if rest != 0:
        raise AllocationError(
            "not-a-multiple-of-step",
            f"{what} {value} is not a whole number of steps of {step}; "
            f"round it to a multiple of {step} or choose another step.",
        )
    return int(count)


def _weights(weights: Mapping[str, object]) -> tuple[list[str], list[Decimal], list[int]]:
    """Check the weights and turn them into integers with a common scale."""
    if not isinstance(weights, Mapping):
        raise AllocationError(
            "bad-weights",
            f"weights: expected a mapping of keys to weights, got {type(weights).__name__}.",
        )
    if not weights:
        raise AllocationError("no-units", "There are no units to split the total among.")
    keys: list[str] = []
    values: list[Decimal] = []
    for key, raw in weights.items():
        if type(raw) is int and raw >= 0:  # the common case (populations), fast
            keys.append(str(key))
            values.append(Decimal(raw))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise AllocationError("missing-weight", f"The weight of unit {key!r} is missing.")
        value = to_decimal(raw, f"weight of unit {key!r}")
        if value < 0:
            raise AllocationError(
                "negative-weight",
                f"The weight of unit {key!r} is negative ({value}); weights must be 0 or more.",
            )
        keys.append(str(key))
        values.append(value)
    exponent = min(int(v.as_tuple().exponent) for v in values)
    if exponent < -MAX_PLACES:
        raise AllocationError(
            "weight-too-fine",
            f"A weight has more than {MAX_PLACES} decimal places (the limit); round the weights.",
        )
    scale = 10**-exponent if exponent < 0 else 1
    ints = [int(v * scale) for v in values]
    if not any(ints):
        raise AllocationError(
            "all-weights-zero",
            f"All {len(ints)} weights are zero, so there is nothing to split by; "
            "give at least one unit a positive weight.",
        )
    return keys, values, ints


def _bound(
    bound: Bound, keys: list[str], step: Decimal, what: str
) -> tuple[list[Decimal | None], list[int | None]]:
    if bound is None:
        return [None] * len(keys), [None] * len(keys)
    if isinstance(bound, Mapping):
        unknown = sorted(set(bound) - set(keys))
        if unknown:
            raise InputError(f"{what}: unknown unit(s) {', '.join(map(repr, unknown))}.")
        raw: list[object] = [bound.get(k) for k in keys]
    else:
        raw = [bound] * len(keys)
    values: list[Decimal | None] = []
    counts: list[int | None] = []
    for key, r in zip(keys, raw, strict=True):
        if r is None:
            values.append(None)
            counts.append(None)
            continue
        v = to_decimal(r, f"{what} of unit {key!r}")
        if v < 0:
            raise AllocationError(f"negative-{what}", f"The {what} of unit {key!r} is negative.")
        values.append(v)
        counts.append(_steps(v, step, f"The {what} of unit {key!r}"))
    return values, counts


def _check(
    keys: list[str],
    ints: list[int],
    seats: int,
    mins: list[int],
    caps: list[int | None],
    step: Decimal,
) -> None:
    for key, m, c in zip(keys, mins, caps, strict=True):
        if c is not None and c < m:
            raise AllocationError(
                "cap-below-minimum",
                f"Unit {key!r}: the cap {c * step} is below the minimum {m * step}.",
            )
    if sum(mins) > seats:
        raise AllocationError(
            "minimums-above-total",
            f"The minimums add up to {sum(mins) * step}, more than the total {seats * step}; "
            "lower the minimum or raise the total.",
        )
    if all(c is not None for c in caps) and sum(c for c in caps if c is not None) < seats:
        total_caps = sum(c for c in caps if c is not None) * step
        raise AllocationError(
            "caps-below-total",
            f"The caps add up to {total_caps}, less than the total {seats * step}; "
            "raise the caps or lower the total.",
        )
    reachable = _core.max_reachable(ints, mins, caps)
    if reachable is not None and reachable < seats:
        raise AllocationError(
            "caps-below-total",
            f"The units can take at most {reachable * step} (the caps of the units with a "
            f"positive weight plus the minimums of those with weight zero), less than the "
            f"total {seats * step}.",
        )


def _run(
    method: Method,
    ints: list[int],
    seats: int,
    mins: list[int],
    caps: list[int | None],
    keys: list[str],
    unit: Fraction,
) -> tuple[list[int], list[Fraction]]:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = [0] * len(keys)
    for position, i in enumerate(order):
        rank[i] = position
    bounds = _core.fix_bounds(ints, seats, mins, caps)
    quotas = _core.constrained_quotas(ints, bounds, unit)
    if method is Method.LARGEST_REMAINDER:
        shares = _core.largest_remainder(ints, seats, bounds, rank)
    else:
        shares = _core.divisor(method.value, ints, seats, mins, caps, rank)
    return shares, quotas


# -- the public functions ----------------------------------------------------------


def apportion(
    total: Number | Euro,
    weights: Mapping[str, object],
    *,
    method: Method | str = Method.LARGEST_REMAINDER,
    step: Number = DEFAULT_STEP,
    minimum: Bound = None,
    cap: Bound = None,
) -> Allocation:
    """Split ``total`` among the units in proportion to their weights, in whole steps.

    Args:
        total: the amount to split, e.g. ``500`` posts or a [`Euro`][kim.money.Euro]
            amount; a whole number of steps.
        weights: ``{unit key: weight}``; weights are numbers of 0 or more (population,
            foreigners, refugees, anything), not all zero.
        method: see [`Method`][kim.allocation.result.Method]; default largest remainder.
        step: the smallest unit of a share, default 0.5 FTE (use ``0.01`` for cents).
        minimum: the least each unit gets (one number, or one per key); a multiple of
            ``step``.
        cap: the most each unit gets (one number, or one per key; ``None`` = no cap).

    Raises:
        AllocationError: the input cannot be apportioned; ``cause`` says why.

    Examples:
        >>> a = apportion(5, {"A": 3, "B": 2, "C": 1})
        >>> [str(s) for s in a.shares], a.quota("C")
        (['2.5', '1.5', '1.0'], Fraction(5, 6))

    """
    method = Method.parse(method)
    step_d = to_decimal(step, "step")
    if step_d <= 0:
        raise AllocationError("bad-step", f"The step must be positive, not {step_d}.")
    total_d = total.amount if isinstance(total, Euro) else to_decimal(total, "total")
    if total_d < 0:
        raise AllocationError("negative-total", f"The total {total_d} is negative.")
    seats = _steps(total_d, step_d, "The total")
    keys, values, ints = _weights(weights)
    min_values, min_counts = _bound(minimum, keys, step_d, "minimum")
    cap_values, cap_counts = _bound(cap, keys, step_d, "cap")
    mins = [m or 0 for m in min_counts]
    _check(keys, ints, seats, mins, cap_counts, step_d)
    shares, quotas = _run(method, ints, seats, mins, cap_counts, keys, Fraction(step_d))
    return Allocation.model_construct(
        method=method,
        total=total_d,
        step=step_d,
        base=Decimal(0),
        keys=tuple(keys),
        weights=tuple(values),
        minimums=tuple(m if m is not None else Decimal(0) for m in min_values),
        caps=tuple(cap_values),
        quotas=tuple(quotas),
        shares=tuple(s * step_d for s in shares),
    )


def base_plus_weight(
    total: Number | Euro,
    weights: Mapping[str, object],
    *,
    base: Number,
    method: Method | str = Method.LARGEST_REMAINDER,
    step: Number = DEFAULT_STEP,
    cap: Bound = None,
) -> Allocation:
    """A key of the form "a fixed base for every unit, the rest by weight".

    Every unit first gets ``base``; what is left of ``total`` is apportioned by weight
    with ``method``. Unlike a ``minimum``, the base is added on top: a large unit gets
    its base *and* its part of the rest. Caps bound the unit's whole share.

    Raises:
        AllocationError: the bases add up to more than the total (``base-above-total``),
            or the rest cannot be apportioned.

    Examples:
        >>> a = base_plus_weight(20, {"A": 1, "B": 1, "C": 2}, base=4)
        >>> [str(s) for s in a.shares], str(a.base)
        (['6.0', '6.0', '8.0'], '4')

    """
    step_d = to_decimal(step, "step")
    base_d = to_decimal(base, "base")
    if base_d < 0:
        raise AllocationError("negative-base", f"The base {base_d} is negative.")
    total_d = total.amount if isinstance(total, Euro) else to_decimal(total, "total")
    n = len(weights)
    rest = total_d - base_d * n
    if rest < 0:
        raise AllocationError(
            "base-above-total",
            f"A base of {base_d} for each of {n} units is {base_d * n}, more than the "
            f"total {total_d}; lower the base or raise the total.",
        )
    if step_d > 0:
        _steps(base_d, step_d, "The base")
    rest_cap: Bound
    if cap is None:
        rest_cap = None
    elif isinstance(cap, Mapping):
        rest_cap = {k: to_decimal(v, f"cap of unit {k!r}") - base_d for k, v in cap.items()}
    else:
        rest_cap = to_decimal(cap, "cap") - base_d
    if rest_cap is not None:
        values = rest_cap.values() if isinstance(rest_cap, Mapping) else [rest_cap]
        if any(to_decimal(v, "cap") < 0 for v in values):
            raise AllocationError(
                "cap-below-minimum", f"A cap is below the base {base_d} every unit gets."
            )
    part = apportion(rest, weights, method=method, step=step_d, cap=rest_cap)
    base_q = Fraction(base_d)
    return Allocation.model_construct(
        method=part.method,
        total=total_d,
        step=part.step,
        base=base_d,
        keys=part.keys,
        weights=part.weights,
        minimums=tuple(base_d for _ in part.keys),
        caps=tuple(None if c is None else c + base_d for c in part.caps),
        quotas=tuple(q + base_q for q in part.quotas),
        shares=tuple(s + base_d for s in part.shares),
    )


def apportion_money(
    total: Euro | Number,
    weights: Mapping[str, object],
    *,
    method: Method | str = Method.LARGEST_REMAINDER,
    minimum: Bound = None,
    cap: Bound = None,
) -> Allocation:
    """Split a sum of money in whole cents; `Allocation.euros()` gives ``Euro`` values.

    ```pycon
    >>> a = apportion_money(Euro("100.00"), {"A": 1, "B": 1, "C": 1})
    >>> [str(e) for e in a.euros().values()]
    ['EUR 33.34', 'EUR 33.33', 'EUR 33.33']

    ```

    """
    return apportion(total, weights, method=method, step=Decimal("0.01"), minimum=minimum, cap=cap)
