"""Rules that change at a date: variants with a start and an end, chosen by date.

Like GETTSIM's dated policy functions, a rule whose wording, cut-off or sources change
is written as a list of **variants**, each valid from ``start`` to ``end`` (both
included, ``end=None``: until further notice). [`in_force()`][kim.dated.in_force] picks the variant
for a day; a day before the first variant or in a gap has none. The variants of the
library's own rules live in ``kim/data/dated_rules.yaml`` (the legal basis of KIM,
the source of the no-entitlement note, the applicant rule's sources and § 4 TIntG), so
no ``if on >= date(...)`` constant sits in the code.

Examples:
    >>> from datetime import date
    >>> rule_variant("target_group", date(2021, 6, 1)).data["name"]
    'TIntG 2012 § 4 Abs. 1'
    >>> rule_variant("legal_basis", date(2019, 1, 1)) is None
    True

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any, Protocol, TypeVar

from pydantic import Field, field_validator

from kim._data import read_yaml_resource
from kim._model import FrozenMap, KimModel
from kim.errors import DataFileError, UnknownNameError

__all__ = ["Dated", "RuleVariant", "in_force", "rule_variant", "rule_variants"]


class Dated(Protocol):
    """Anything valid from ``start`` to ``end`` (both included; ``None``: open)."""

    @property
    def start(self) -> date:
        """First day in force."""

    @property
    def end(self) -> date | None:
        """Last day in force, or ``None`` until further notice."""


_D = TypeVar("_D", bound=Dated)


def in_force(variants: Sequence[_D], on: date) -> _D | None:
    """The variant in force on ``on``, or ``None`` when none is.

    Examples:
        >>> v = rule_variants("legal_basis")
        >>> in_force(v, date(2022, 1, 1)).sources
        ('tintg-9',)

    """
    for v in variants:
        if v.start <= on and (v.end is None or on <= v.end):
            return v
    return None


class RuleVariant(KimModel):
    """One dated variant of a rule: its period, its sources and its own data."""

    rule: str = Field(description="Id of the rule, e.g. 'legal_basis'.")
    start: date = Field(description="First day the variant is in force.")
    end: date | None = Field(description="Last day, or None until further notice.")
    sources: tuple[str, ...] = Field(description="Source ids in force for the variant.")
    data: FrozenMap[str, Any] = Field(description="The variant's other fields, as in the file.")

    @field_validator("data", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        """Read an ISO date text back as a date: the file has dates, JSON has only text."""
        if not isinstance(value, Mapping):
            return value
        return {key: _iso_date(item) for key, item in value.items()}


def _iso_date(value: object) -> object:
    """``value``, or the date it writes when it is a ``YYYY-MM-DD`` text."""
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


@cache
def _all() -> dict[str, tuple[RuleVariant, ...]]:
    raw = read_yaml_resource("kim.data", "dated_rules.yaml")
    out: dict[str, tuple[RuleVariant, ...]] = {}
    for rule, items in raw["rules"].items():
        variants = []
        for i, item in enumerate(items):
            fields = dict(item)
            start, end = fields.pop("start"), fields.pop("end", None)
            if not isinstance(start, date) or (end is not None and not isinstance(end, date)):
                raise DataFileError("dated_rules.yaml", ("rules", rule, i), "start/end not dates")
            variants.append(
                RuleVariant(
                    rule=rule,
                    start=start,
                    end=end,
                    sources=tuple(fields.pop("sources", ())),
                    data=fields,
                )
            )
        ordered = sorted(variants, key=lambda v: v.start)
        for a, b in pairwise(ordered):
            if a.end is None or a.end >= b.start:
                raise DataFileError("dated_rules.yaml", ("rules", rule), "variants overlap")
        out[rule] = tuple(ordered)
    return out


def rule_variants(rule: str) -> tuple[RuleVariant, ...]:
    """All variants of ``rule``, oldest first.

    Raises:
        UnknownNameError: no rule of that id is in the data.

    """
    found = _all().get(rule)
    if found is None:
        raise UnknownNameError("dated rule", rule, _all())
    return found


def rule_variant(rule: str, on: date) -> RuleVariant | None:
    """The variant of ``rule`` in force on ``on`` (``None`` before or between variants)."""
    return in_force(rule_variants(rule), on)
