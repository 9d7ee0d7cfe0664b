"""The result of an apportionment and the names of the methods (see `kim.allocation.methods`).

Examples:
    >>> Method.parse("Hare-Niemeyer").label
    'largest remainder (Hare-Niemeyer)'

"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Self

from pydantic import Field, model_validator

from kim._model import KimModel
from kim.errors import InputError
from kim.money import Euro

__all__ = ["Allocation", "AllocationRow", "Method"]


class Method(StrEnum):
    """An apportionment method."""

    LARGEST_REMAINDER = "largest-remainder"
    """Hare-Niemeyer (Hamilton): floors of the quotas, then the largest remainders."""
    DHONDT = "dhondt"
    """D'Hondt (Jefferson): highest averages with divisors 1, 2, 3, ..."""
    SAINTE_LAGUE = "sainte-lague"
    """Sainte-Laguë/Schepers (Webster): highest averages with divisors 0.5, 1.5, 2.5, ..."""
    HUNTINGTON_HILL = "huntington-hill"
    """Huntington-Hill (equal proportions): divisors sqrt(k (k + 1)), so 0, 1.41, 2.45, ..."""

    @property
    def label(self) -> str:
        """The usual names, e.g. ``Sainte-Laguë (Webster)``."""
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str | Method) -> Method:
        """Read a method from its value or a common name (``hare-niemeyer``, ``webster``...).

        Examples:
            >>> Method.parse("Webster") is Method.SAINTE_LAGUE
            True

        """
        if isinstance(text, Method):
            return text
        folded = str(text).strip().lower().replace("_", "-").replace(" ", "-").replace("'", "")
        folded = folded.replace("ë", "e")
        found = _ALIASES.get(folded)
        if found is None:
            names = ", ".join(m.value for m in cls)
            raise InputError(f"Unknown method {text!r}; expected one of {names}.")
        return found


_LABELS = {
    Method.LARGEST_REMAINDER: "largest remainder (Hare-Niemeyer)",
    Method.DHONDT: "D'Hondt (Jefferson)",
    Method.SAINTE_LAGUE: "Sainte-Laguë (Webster)",
    Method.HUNTINGTON_HILL: "Huntington-Hill",
}

_ALIASES = {
    **{m.value: m for m in Method},
    "hare-niemeyer": Method.LARGEST_REMAINDER,
    "hare": Method.LARGEST_REMAINDER,
    "hamilton": Method.LARGEST_REMAINDER,
    "jefferson": Method.DHONDT,
    "d-hondt": Method.DHONDT,
    "webster": Method.SAINTE_LAGUE,
    "sainte-lague-schepers": Method.SAINTE_LAGUE,
    "schepers": Method.SAINTE_LAGUE,
    "hill": Method.HUNTINGTON_HILL,
    "equal-proportions": Method.HUNTINGTON_HILL,
}


class AllocationRow(KimModel):
    """One unit's line of an [`Allocation`][kim.allocation.result.Allocation]."""

    key: str = Field(description="The unit's key as given.")
    weight: Decimal = Field(description="Its weight.")
    minimum: Decimal = Field(description="The least it may get (the base, for base keys).")
    cap: Decimal | None = Field(description="The most it may get, if capped.")
    quota: Fraction = Field(description="The exact (bounded) quota.")
    share: Decimal = Field(description="What it gets: a whole number of steps.")


class Allocation(KimModel):
    """The result of an apportionment: the inputs, the exact quotas and the shares.

    The per-unit values are kept as parallel tuples in the order the units were given;
    [`rows()`][kim.allocation.result.Allocation.rows] and
    [`share()`][kim.allocation.result.Allocation.share] give a unit's line.
    """

    method: Method = Field(description="The method used.")
    total: Decimal = Field(description="The amount split (FTE or euros).")
    step: Decimal = Field(gt=0, description="Every share is a whole number of steps.")
    base: Decimal = Field(
        default=Decimal(0), ge=0, description="Fixed part every unit got before the split."
    )
    keys: tuple[str, ...] = Field(description="The units, in the order given.")
    weights: tuple[Decimal, ...] = Field(description="Their weights.")
    minimums: tuple[Decimal, ...] = Field(description="The least each may get.")
    caps: tuple[Decimal | None, ...] = Field(description="The most each may get.")
    quotas: tuple[Fraction, ...] = Field(description="Exact quotas, adding up to the total.")
    shares: tuple[Decimal, ...] = Field(description="Final shares, adding up to the total.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        n = len(self.keys)
        columns = (self.weights, self.minimums, self.caps, self.quotas, self.shares)
        if any(len(c) != n for c in columns):
            raise ValueError("every per-unit column must have one value per key")
        if len(set(self.keys)) != n:
            raise ValueError("keys must be unique")
        if sum(self.shares, Decimal(0)) != self.total:
            raise ValueError("the shares must add up to the total")
        return self

    def __len__(self) -> int:
        return len(self.keys)

    def _index(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            from kim.errors import UnknownNameError

            raise UnknownNameError("unit in this allocation", key, self.keys) from None

    def share(self, key: str) -> Decimal:
        """The final share of the unit ``key``."""
        return self.shares[self._index(key)]

    def quota(self, key: str) -> Fraction:
        """The exact quota of the unit ``key``."""
        return self.quotas[self._index(key)]

    def as_dict(self) -> dict[str, Decimal]:
        """``{key: share}`` in the order the units were given."""
        return dict(zip(self.keys, self.shares, strict=True))

    def euros(self) -> dict[str, Euro]:
        """``{key: Euro(share)}``, for money apportioned in cents."""
        return {k: Euro(s) for k, s in zip(self.keys, self.shares, strict=True)}

    def rows(self) -> Iterator[AllocationRow]:
        """One `AllocationRow` per unit, in the order given."""
        for i, key in enumerate(self.keys):
            yield AllocationRow(
                key=key,
                weight=self.weights[i],
                minimum=self.minimums[i],
                cap=self.caps[i],
                quota=self.quotas[i],
                share=self.shares[i],
            )
