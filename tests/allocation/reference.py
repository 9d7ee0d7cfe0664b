"""Slow reference implementations, written straight from the definitions, for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def divisor_sequential(
    kind: str,
    weights: Sequence[int],
    seats: int,
    mins: Sequence[int],
    caps: Sequence[int | None],
    keys: Sequence[str],
) -> list[int]:
    """Hand out the seats one at a time to the highest priority (ties: weight, then key)."""
    shares = list(mins)

    def claim(i: int) -> tuple[int, Fraction, int, str]:
        w, k = weights[i], shares[i]
        if kind == "dhondt":
            p = (0, Fraction(w, k + 1))
        elif kind == "sainte-lague":
            p = (0, Fraction(w) / (Fraction(k) + Fraction(1, 2)))
        elif k == 0:
            p = (1, Fraction(w)) if w else (0, Fraction(0))
        else:
            p = (0, Fraction(w * w, k * (k + 1)))
        # larger is better; for the key, the smaller string wins, so negate by ordering below
        return (p[0], p[1], w, keys[i])

    for _ in range(seats - sum(mins)):
        open_units = [i for i in range(len(weights)) if caps[i] is None or shares[i] < caps[i]]  # type: ignore[operator]
        best = open_units[0]
        for i in open_units[1:]:
            a, b = claim(i), claim(best)
            if a[:3] > b[:3] or (a[:3] == b[:3] and a[3] < b[3]):
                best = i
        shares[best] += 1
    return shares


def hare_unbounded(weights: Sequence[int], seats: int, keys: Sequence[str]) -> list[int]:
    """Largest remainder without bounds (ties: weight, then key)."""
    total = sum(weights)
    quotas = [Fraction(seats * w, total) for w in weights]
    shares = [q.numerator // q.denominator for q in quotas]
    order = sorted(
        range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), -weights[i], keys[i])
    )
    for i in order[: seats - sum(shares)]:
        shares[i] += 1
    return shares
