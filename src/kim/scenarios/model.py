"""Scenarios: named sets of changes to the baseline, loaded from YAML or JSON, composable.

A scenario changes parameter values over date ranges (including values the embedded
data does not know, such as the 2024 flat rates), the staffing of units, and the
allocation key for units without observed posts. Scenario values carry the status
``supplied``, so every result that rests on them says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import Field, field_validator, model_validator

from kim._model import FrozenMap, KimModel
from kim.components import PostKind, read_post_kind_alias
from kim.errors import InputError
from kim.parameters.model import ParameterSet, Status, Unit

__all__ = [
    "AllocationChoice",
    "Conflict",
    "ParameterChange",
    "Scenario",
    "ScenarioError",
    "compose",
]


class ScenarioError(InputError):
    """A scenario that cannot be applied: unknown name, wrong unit, overlapping ranges."""


class ParameterChange(KimModel):
    """A parameter value a scenario sets from ``start`` to ``end`` (both included)."""

    parameter: str = Field(description="The parameter id.")
    start: date = Field(description="First day the value applies.")
    end: date | None = Field(default=None, description="Last day (None: open-ended).")
    value: Decimal = Field(description="The value, in ``unit``.")
    unit: Unit = Field(description="The unit of the value; must match the parameter's.")
    note: str | None = Field(default=None, description="Where the value comes from.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids, if any.")

    @model_validator(mode="after")
    def _range(self) -> ParameterChange:
        if self.end is not None and self.end < self.start:
            raise InputError(f"{self.parameter}: ends ({self.end}) before it starts ({self.start})")
        from kim.parameters.model import check_value

        check_value(self.parameter, self.unit, self.value)
        return self

    def overlaps(self, other: ParameterChange) -> bool:
        """Whether both changes set the same parameter on at least one common day."""
        if self.parameter != other.parameter:
            return False
        self_end = self.end or date.max
        other_end = other.end or date.max
        return self.start <= other_end and other.start <= self_end


class AllocationChoice(KimModel):
    """How to staff units for which no source reports posts (see ``kim.allocation``)."""

    method: str = Field(default="sainte-lague", description="Apportionment method.")
    key: str = Field(default="population", description="Weight key.")
    total: Decimal | None = Field(default=None, description="Total posts to apportion.")
    step: Decimal = Field(default=Decimal("0.5"), gt=0, description="Step in FTE.")
    minimum: Decimal = Field(default=Decimal(0), ge=0, description="Minimum per unit.")
    base: Decimal = Field(
        default=Decimal(0), ge=0, description="Fixed posts per unit before the rest is weighted."
    )
    cap: Decimal | None = Field(default=None, description="Maximum per unit.")


class Scenario(KimModel):
    """A named set of changes to the baseline.

    Examples:
        >>> from datetime import date
        >>> s = Scenario.model_validate({"name": "rates-2024", "parameters": [
        ...     {"parameter": "case_management_flat_rate", "start": "2024-01-01",
        ...      "end": "2024-12-31", "value": "59000", "unit": "EUR", "note": "assumed"}]})
        >>> params = s.apply()
        >>> v = params.value("case_management_flat_rate", date(2024, 5, 1))
        >>> v.value, v.status.value
        (Decimal('59000'), 'supplied')

    """

    name: str = Field(min_length=1, description="A short name.")
    description: str | None = Field(default=None, description="What the scenario explores.")
    parameters: tuple[ParameterChange, ...] = Field(default=(), description="Value changes.")
    staffing: FrozenMap[str, FrozenMap[PostKind, Decimal]] = Field(
        default_factory=dict, description="FTE per post kind, per unit key, name or alias."
    )
    allocation: AllocationChoice | None = Field(
        default=None, description="The key for units without observed posts."
    )

    @field_validator("staffing", mode="before")
    @classmethod
    def _aliases(cls, value: object) -> object:
        if not isinstance(value, Mapping):
            return value
        read: dict[object, object] = {}
        for unit, posts in value.items():
            if not isinstance(posts, Mapping):
                read[unit] = posts
                continue
            kinds: dict[object, object] = {}
            for name, fte in posts.items():
                kind = read_post_kind_alias(name)
                if kind in kinds:
                    raise InputError(
                        f"staffing of {unit}: {name!r} names a kind of post given twice; "
                        "write each kind once"
                    )
                kinds[kind] = fte
            read[unit] = kinds
        return read

    @field_validator("staffing")
    @classmethod
    def _positive(
        cls, value: dict[str, dict[PostKind, Decimal]]
    ) -> dict[str, dict[PostKind, Decimal]]:
        for unit, posts in value.items():
            for kind, fte in posts.items():
                if fte < 0:
                    raise InputError(f"staffing of {unit}: {kind.value} must not be negative")
        return value

    @field_validator("name", "description")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 200 or not value.isprintable()):
            raise InputError(
                "must be at most 200 printable characters (no line breaks or control characters)"
            )
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> Scenario:
        # Sorted by parameter and start, a change overlaps an earlier one exactly when it
        # starts on or before the latest end so far: n log n, not n squared.
        ordered = sorted(self.parameters, key=lambda c: (c.parameter, c.start))
        for before, change in pairwise(ordered):
            if before.parameter == change.parameter and change.overlaps(before):
                raise ScenarioError(
                    f"scenario {self.name!r}: two changes of {change.parameter!r} overlap "
                    f"({before.start}..{before.end or ''} and {change.start}..{change.end or ''})"
                )
        return self

    def check(self, parameters: ParameterSet | None = None) -> None:
        """Check every change against a parameter set (unknown ids, wrong units).

        Raises ``ScenarioError`` naming the first problem; also used by
        [`apply()`][kim.scenarios.model.Scenario.apply] before anything is built, so nothing is
        half-applied.
        """
        from kim.parameters.loader import embedded_parameters

        base = embedded_parameters() if parameters is None else parameters
        for change in self.parameters:
            if change.parameter not in base:
                from kim.errors import closest_matches

                near = closest_matches(change.parameter, base)
                hint = f" Did you mean {', '.join(near)}?" if near else ""
                raise ScenarioError(
                    f"scenario {self.name!r}: unknown parameter {change.parameter!r}.{hint}"
                )
            unit = base[change.parameter].unit
            if change.unit is not unit:
                raise ScenarioError(
                    f"scenario {self.name!r}: {change.parameter} is measured in {unit.value}, "
                    f"the change gives {change.unit.value}"
                )
        if self.staffing:
            from kim.territory import embedded_territory

            territory = embedded_territory()
            seen: dict[str, str] = {}
            for unit_name in self.staffing:
                try:
                    key = territory.district(unit_name).key
                    if key in seen:
                        raise ScenarioError(
                            f"scenario {self.name!r}: staffing names unit {key} twice "
                            f"({seen[key]!r} and {unit_name!r}); give each unit once"
                        )
                    seen[key] = unit_name
                except InputError as error:
                    raise ScenarioError(f"scenario {self.name!r}: staffing: {error}") from None
                except LookupError as error:
                    raise ScenarioError(f"scenario {self.name!r}: staffing: {error}") from None
        if self.allocation is not None:
            known_methods = {"largest-remainder", "dhondt", "sainte-lague", "huntington-hill"}
            if self.allocation.method not in known_methods:
                raise ScenarioError(
                    f"scenario {self.name!r}: unknown allocation method "
                    f"{self.allocation.method!r}; expected one of {sorted(known_methods)}"
                )

    def apply(self, parameters: ParameterSet | None = None) -> ParameterSet:
        """A new parameter set with this scenario's values (status ``supplied``)."""
        from kim.parameters.loader import embedded_parameters

        base = embedded_parameters() if parameters is None else parameters
        self.check(base)
        result = base
        for change in self.parameters:
            result = result.with_value(
                change.parameter,
                change.start,
                change.end,
                change.value,
                note=change.note or f"scenario {self.name}",
                sources=change.sources,
                status=Status.SUPPLIED,
                name=f"{base.name}+{self.name}",
            )
        return result

    def staffing_for(self, unit_key: str) -> Mapping[PostKind, Decimal] | None:
        """The scenario's staffing of one unit (looked up by key, name or alias)."""
        from kim.territory import embedded_territory

        territory = embedded_territory()
        for name, posts in self.staffing.items():
            if territory.district(name).key == unit_key:
                return posts
        return None

    def to_data(self) -> dict[str, Any]:
        """Plain data (JSON types) that `model_validate()` reads back unchanged."""
        return self.model_dump(mode="json", exclude_defaults=True)


class Conflict(KimModel):
    """Two scenarios that set the same parameter on overlapping dates to different values."""

    parameter: str = Field(description="The parameter id.")
    earlier: str = Field(description="The scenario overridden.")
    later: str = Field(description="The scenario that wins.")
    earlier_value: Decimal = Field(description="The value overridden.")
    later_value: Decimal = Field(description="The value that wins.")


def compose(*scenarios: Scenario, name: str | None = None) -> tuple[Scenario, tuple[Conflict, ...]]:
    """Combine scenarios in order; later ones win. Returns the result and the conflicts.

    A later change of a parameter cuts the overlapping days out of earlier changes;
    each overlap with a different value is reported as a [`Conflict`][kim.scenarios.model.Conflict].
    """
    if not scenarios:
        raise ScenarioError("compose() needs at least one scenario")
    from datetime import timedelta

    changes: list[tuple[str, ParameterChange]] = []
    conflicts: list[Conflict] = []
    for scenario in scenarios:
        for new in scenario.parameters:
            kept: list[tuple[str, ParameterChange]] = []
            for owner, old in changes:
                if not old.overlaps(new):
                    kept.append((owner, old))
                    continue
                if old.value != new.value:
                    conflicts.append(
                        Conflict(
                            parameter=new.parameter,
                            earlier=owner,
                            later=scenario.name,
                            earlier_value=old.value,
                            later_value=new.value,
                        )
                    )
                if old.start < new.start:
                    kept.append(
                        (owner, old.model_copy(update={"end": new.start - timedelta(days=1)}))
                    )
                if new.end is not None and (old.end is None or old.end > new.end):
                    kept.append(
                        (owner, old.model_copy(update={"start": new.end + timedelta(days=1)}))
                    )
            changes = [*kept, (scenario.name, new)]
    staffing: dict[str, Mapping[PostKind, Decimal]] = {}
    allocation: AllocationChoice | None = None
    for scenario in scenarios:
        staffing.update(scenario.staffing)
        allocation = scenario.allocation or allocation
    ordered = sorted((c for _, c in changes), key=lambda c: (c.parameter, c.start))
    combined = Scenario(
        name=name or "+".join(s.name for s in scenarios),
        parameters=tuple(ordered),
        staffing=staffing,
        allocation=allocation,
    )
    return combined, tuple(conflicts)
