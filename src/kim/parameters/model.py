"""Dated parameter values with provenance, and the parameter set that looks them up."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Self

from pydantic import Field, PrivateAttr, model_validator

from kim._check import expect, expect_day
from kim._model import KimModel
from kim._numbers import to_decimal
from kim.errors import InputError, MissingValueError, UnknownNameError

__all__ = [
    "Labels",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "Qualifier",
    "ReferencePeriod",
    "Status",
    "Unit",
    "format_quantity",
]


class Status(StrEnum):
    """How sure the library is of a value, from its sources.

    The order of the members is from most to least certain;
    [`weakest()`][kim.parameters.model.Status.weakest] picks the least certain of several.
    """

    CONFIRMED = "confirmed"
    """A source states this value for this period."""
    DERIVED = "derived"
    """Arithmetic on stated facts, e.g. 5 Mio € / 200 half posts = 25,000 € a half post."""
    INFERRED = "inferred"
    """A reading that no source states word for word; treat with care."""
    SUPPLIED = "supplied"
    """Given by the caller or a scenario, not by the embedded data."""

    @property
    def rank(self) -> int:
        """0 for confirmed up to 3 for supplied."""
        return list(Status).index(self)

    @classmethod
    def weakest(cls, statuses: Iterable[Status]) -> Status | None:
        """The least certain of ``statuses`` (``None`` for an empty iterable)."""
        return max(statuses, key=lambda s: s.rank, default=None)


class Unit(StrEnum):
    """What a parameter's number measures."""

    EUR = "EUR"
    """Euros."""
    FTE = "FTE"
    """Full-time equivalents (Vollzeitäquivalente, VZÄ)."""
    POSTS = "posts"
    """A number of posts (as counted by the source, e.g. half posts)."""
    SHARE = "share"
    """A share between 0 and 1."""
    PERCENT = "percent"
    """A percentage."""


class ReferencePeriod(StrEnum):
    """What a parameter's number is *per*."""

    YEAR = "year"
    """Per year (e.g. a budget)."""
    FTE_YEAR = "fte_year"
    """Per full-time post and year."""
    HALF_FTE_YEAR = "half_fte_year"
    """Per half post (0.5 FTE) and year."""
    NEW_FTE = "new_fte"
    """Per new full-time post (a set-up cost)."""
    POST = "post"
    """Per post, whatever its share."""
    NONE = "none"
    """Not per anything (a threshold or a weight)."""


class Qualifier(StrEnum):
    """Whether the source gives an exact value, a maximum or a minimum."""

    EXACT = "exact"
    """The value itself."""
    AT_MOST = "at_most"
    """"bis zu", "max.": a cap."""
    AT_LEAST = "at_least"
    """"mindestens", "über": a floor."""


UNIT_RANGES: dict[Unit, tuple[Decimal | None, Decimal | None]] = {
    Unit.EUR: (Decimal(0), Decimal("1e15")),
    Unit.FTE: (Decimal(0), Decimal("1e6")),
    Unit.POSTS: (Decimal(0), Decimal("1e6")),
    Unit.SHARE: (Decimal(0), Decimal(1)),
    Unit.PERCENT: (Decimal(-100), Decimal(100)),
}
"""The range of a value in each unit (both ends included); values outside are refused."""


def check_value(parameter: str, unit: Unit, value: Decimal) -> Decimal:
    """``value`` if it is finite and lies in the range of ``unit``; else ``InputError``.

    Examples:
        >>> check_value("minimum_post_share", Unit.SHARE, Decimal("1.5"))
        Traceback (most recent call last):
        ...
        kim.errors.InputError: minimum_post_share: 1.5 share is out of range 0..1 for share values.

    """
    low, high = UNIT_RANGES.get(unit, (None, None))
    finite = isinstance(value, Decimal) and value.is_finite()
    if not finite or (low is not None and value < low) or (high is not None and value > high):
        shown = str(value) if len(str(value)) <= 30 else str(value)[:30] + "…"
        raise InputError(
            f"{parameter}: {shown} {unit.value} is out of range {low}..{high} for "
            f"{unit.value} values."
        )
    return value


def format_quantity(value: Decimal, unit: Unit) -> str:
    """Show a parameter's number with its unit, e.g. ``EUR 57,000.00`` or ``0.5 FTE``.

    Examples:
        >>> format_quantity(Decimal("57000"), Unit.EUR)
        'EUR 57,000.00'
        >>> format_quantity(Decimal("0.5"), Unit.FTE)
        '0.5 FTE'

    """
    if unit is Unit.EUR:
        from kim.money import Euro

        return Euro(value).format_en()
    text = format(value.normalize(), "f")
    if unit is Unit.SHARE:
        return text
    if unit is Unit.PERCENT:
        return f"{text} %"
    return f"{text} {unit.value}"


class Labels(KimModel):
    """A text in German and English."""

    de: str = Field(min_length=1, description="German text.")
    en: str = Field(min_length=1, description="English text.")


class ParameterValue(KimModel):
    """One value of a parameter, valid from ``start`` to ``end`` (both included).

    ``end`` is ``None`` for a value that holds until the next value starts (or with
    no known end). Values are never extended past their ``end``: a date after it has
    no value unless another one starts.
    """

    parameter: str = Field(description="The id of the parameter this value belongs to.")
    start: date = Field(description="First day the value applies.")
    end: date | None = Field(default=None, description="Last day it applies, if known.")
    value: Decimal = Field(description="The number, in the parameter's unit.")
    status: Status = Field(description="How sure the value is.")
    qualifier: Qualifier = Field(default=Qualifier.EXACT, description="Exact, cap or floor.")
    sources: tuple[str, ...] = Field(description="Ids of the sources behind the value.")
    note: str | None = Field(default=None, description="Why the value and its dates are so.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise InputError(
                f"value of {self.parameter!r} ends ({self.end}) before it starts ({self.start})"
            )
        if not self.sources and self.status is not Status.SUPPLIED:
            raise InputError(
                f"value of {self.parameter!r} from {self.start} has no source; every "
                "embedded value must name at least one source id"
            )
        return self

    def covers(self, day: date) -> bool:
        """Whether this value applies on ``day`` (ignoring later values)."""
        return self.start <= day and (self.end is None or day <= self.end)

    def period_text(self) -> str:
        """The validity as text, e.g. ``2023-01-01..2023-12-31`` or ``2022-01-01..``."""
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"


class Parameter(KimModel):
    """A named quantity of the programme whose value changes over time.

    Values are sorted by start date and do not overlap; a value without ``end`` runs
    until the day before the next value starts.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: Labels = Field(description="Short name in German and English.")
    description: Labels = Field(description="What the parameter means, with its legal basis.")
    unit: Unit = Field(description="What the number measures.")
    reference_period: ReferencePeriod = Field(description="What the number is per.")
    component: str | None = Field(
        default=None, description="The programme component it belongs to, if any."
    )
    scope: str | None = Field(
        default=None,
        description="The unit the values hold for (an AGS or key); None means statewide.",
    )
    values: tuple[ParameterValue, ...] = Field(description="The dated values, in order.")

    _starts: list[date] = PrivateAttr(default_factory=list)
    _ends: list[date | None] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        previous: ParameterValue | None = None
        for value in self.values:
            if value.parameter != self.id:
                raise InputError(
                    f"value from {value.start} belongs to {value.parameter!r}, not {self.id!r}"
                )
            if previous is not None:
                if value.start <= previous.start:
                    raise InputError(
                        f"{self.id}: value dates must be in increasing order without "
                        f"duplicates; {value.start} follows {previous.start}"
                    )
                if previous.end is not None and value.start <= previous.end:
                    raise InputError(
                        f"{self.id}: the value from {value.start} overlaps the value "
                        f"{previous.period_text()}"
                    )
            previous = value
        return self

    def model_post_init(self, context: object, /) -> None:
        """Index the start and effective end dates for fast lookup."""
        starts = [v.start for v in self.values]
        ends: list[date | None] = []
        for i, v in enumerate(self.values):
            if v.end is not None:
                ends.append(v.end)
            elif i + 1 < len(self.values):
                ends.append(self.values[i + 1].start - timedelta(days=1))
            else:
                ends.append(None)
        self._starts = starts
        self._ends = ends

    def effective_end(self, value: ParameterValue) -> date | None:
        """The last day ``value`` applies, taking the next value's start into account."""
        return self._ends[self.values.index(value)]

    def find(self, on: date) -> ParameterValue | None:
        """The value in force on ``on``, or ``None`` when none is known."""
        i = bisect.bisect_right(self._starts, on) - 1
        if i < 0:
            return None
        end = self._ends[i]
        if end is not None and on > end:
            return None
        return self.values[i]

    def at(self, on: date) -> ParameterValue:
        """The value in force on ``on``; strict: no value raises ``MissingValueError``.

        The error names the parameter, the date and the nearest dates that have values.
        """
        found = self.find(on)
        if found is not None:
            return found
        before: date | None = None
        after: date | None = None
        for value, end in zip(self.values, self._ends, strict=True):
            if end is not None and end < on:
                before = end
            elif value.start > on and after is None:
                after = value.start
        raise MissingValueError(self.id, on, before, after, label=self.name.en)

    def overlapping(self, start: date, end: date) -> list[ParameterValue]:
        """The values that apply on at least one day from ``start`` to ``end``."""
        return [
            v
            for v, v_end in zip(self.values, self._ends, strict=True)
            if v.start <= end and (v_end is None or v_end >= start)
        ]


class ParameterSet(Mapping[str, Parameter]):
    """A read-only collection of parameters; the embedded data is one such set.

    A scenario is just another set: [`with_value()`][kim.parameters.model.ParameterSet.with_value]
    returns a new set with one more value (status ``supplied``) and leaves this one unchanged.
    """

    def __init__(self, parameters: Iterable[Parameter], name: str = "embedded") -> None:
        items: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.id in items:
                raise InputError(f"Duplicate parameter id {parameter.id!r}.")
            items[parameter.id] = parameter
        self._items = items
        self.name = name
        # Plain lists for the hot path of value(): no pydantic attribute access there.
        self._index: dict[str, tuple[list[date], list[date | None], tuple[ParameterValue, ...]]] = {
            pid: (p._starts, p._ends, p.values) for pid, p in items.items()
        }

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self._items[key]
        except KeyError:
            raise UnknownNameError("parameter", key, self._items) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"ParameterSet({self.name!r}, {len(self)} parameters)"

    def value(self, parameter: str, on: date) -> ParameterValue:
        """The value of ``parameter`` in force on ``on``, with its provenance.

        Raises:
            UnknownNameError: the id is unknown (the message names the closest ids).
            MissingValueError: no value is known on that date.

        """
        expect(parameter, str, "parameter")
        expect_day(on, "on")
        try:
            starts, ends, values = self._index[parameter]
        except KeyError:
            raise UnknownNameError("parameter", parameter, self._items) from None
        i = bisect.bisect_right(starts, on) - 1
        if i >= 0:
            end = ends[i]
            if end is None or on <= end:
                return values[i]
        return self._items[parameter].at(on)  # raises MissingValueError with the details

    def in_force(self, on: date) -> list[ParameterValue]:
        """Every value in force on ``on`` (parameters without a value are left out)."""
        return [v for p in self._items.values() if (v := p.find(on)) is not None]

    def with_value(
        self,
        parameter: str,
        start: date,
        end: date | None,
        value: Decimal | int | str,
        *,
        note: str | None = None,
        sources: Sequence[str] = (),
        status: Status = Status.SUPPLIED,
        name: str | None = None,
    ) -> ParameterSet:
        """A new set in which ``parameter`` has ``value`` from ``start`` to ``end``.

        Existing values that overlap the new range are cut back or removed; the rest
        of the set is shared. This set is not changed.

        Examples:
            >>> from datetime import date
            >>> from kim.parameters import embedded_parameters
            >>> base = embedded_parameters()
            >>> s = base.with_value("case_management_flat_rate", date(2024, 1, 1),
            ...                     date(2024, 12, 31), "59000", note="council paper X")
            >>> s.value("case_management_flat_rate", date(2024, 6, 1)).status.value
            'supplied'

        """
        expect(parameter, str, "parameter")
        expect_day(start, "start")
        if end is not None:
            expect_day(end, "end")
        old = self[parameter]
        check_value(parameter, old.unit, to_decimal(value, parameter))
        new_end = end
        if new_end is not None and new_end < start:
            raise InputError(f"{parameter}: the new value ends ({end}) before it starts ({start})")
        kept: list[ParameterValue] = []
        for v, v_end in zip(old.values, old._ends, strict=True):
            before_new = v_end is not None and v_end < start
            after_new = new_end is not None and v.start > new_end
            if before_new or after_new:
                kept.append(v)
                continue
            if v.start < start:  # keep the part before the new value
                kept.append(v.model_copy(update={"end": start - timedelta(days=1)}))
            if new_end is not None and (v_end is None or v_end > new_end):
                kept.append(v.model_copy(update={"start": new_end + timedelta(days=1)}))

        supplied = ParameterValue(
            parameter=parameter,
            start=start,
            end=end,
            value=to_decimal(value, f"value of {parameter}"),
            status=status,
            sources=tuple(sources),
            note=note,
        )
        values = sorted([*kept, supplied], key=lambda v: v.start)
        replaced = Parameter.model_validate(
            {**old.model_dump(exclude={"values"}), "values": tuple(values)}
        )
        items = [replaced if p.id == parameter else p for p in self._items.values()]
        return ParameterSet(items, name=name or f"{self.name}+{parameter}")
