"""Facts about municipalities and units that a user supplies: the facts-file model.

A facts file ([`Facts`][kim.facts.model.Facts]) records yes/no facts of municipalities (own
authorities, Jugendamt, Integrationsrat) and the posts observed in units; applied to a
territory, each fact gets the status ``supplied``. Reading the files is
[`kim.facts.files`][kim.facts.files]'s job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator, model_validator

from kim._model import FrozenMap, KimModel
from kim.components import PostKind
from kim.errors import InputError
from kim.parameters.model import Status
from kim.territory.model import Fact, Municipality
from kim.territory.registry import Territory

__all__ = ["FACT_NAMES", "Facts", "MunicipalityFacts", "SuppliedFact", "UnitFacts"]

FACT_NAMES = ("auslaenderbehoerde", "einbuergerungsbehoerde", "jugendamt", "integrationsrat")
"""The yes/no facts of a municipality that eligibility uses."""


class SuppliedFact(KimModel):
    """A yes/no fact the user supplies; ``true`` or ``false`` alone is short for ``value``."""

    value: bool = Field(description="Whether the municipality has it.")
    note: str | None = Field(default=None, description="Where the fact comes from.")
    until: dt.date | None = Field(default=None, description="Last day the fact is known.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, bool) else data


class MunicipalityFacts(KimModel):
    """Facts about one municipality; ``ags`` and ``parent`` add one the library lacks."""

    ags: str | None = Field(default=None, pattern=r"^05\d{6}$", description="8-digit AGS.")
    parent: str | None = Field(
        default=None, description="Key, name or alias of its Kreis (new municipalities only)."
    )
    auslaenderbehoerde: SuppliedFact | None = Field(default=None, description="Own ABH.")
    einbuergerungsbehoerde: SuppliedFact | None = Field(default=None, description="Own EBH.")
    jugendamt: SuppliedFact | None = Field(default=None, description="Own Jugendamt.")
    integrationsrat: SuppliedFact | None = Field(
        default=None, description="An Integrationsrat or Integrationsausschuss."
    )


class UnitFacts(KimModel):
    """Posts observed in one KIM unit (kind of post -> FTE), optionally for one year."""

    posts: FrozenMap[PostKind, Decimal] = Field(description="FTE per kind of post.")
    year: int | None = Field(default=None, ge=2020, le=2100, description="Year observed.")
    note: str | None = Field(default=None, description="Where the figures come from.")

    @field_validator("posts", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            from kim.funding.model import parse_post_kind

            return {parse_post_kind(str(k)): v for k, v in value.items()}
        return value

    @field_validator("posts")
    @classmethod
    def _positive(cls, value: dict[PostKind, Decimal]) -> dict[PostKind, Decimal]:
        for kind, fte in value.items():
            if fte < 0 or not fte.is_finite():
                raise InputError(f"{kind.value} must be a finite number of FTE, not negative")
        return value


class Facts(KimModel):
    r"""A named set of facts about municipalities and units, read from a facts file.

    Examples:
        >>> from kim.facts import parse_facts
        >>> f = parse_facts("name: ours\nmunicipalities:\n  Kamen:\n    integrationsrat: true\n")
        >>> t = f.apply()
        >>> t.municipality("Kamen").integrationsrat.status.value
        'supplied'

    """

    name: str = Field(min_length=1, description="A short name.")
    description: str | None = Field(default=None, description="What the facts are.")
    municipalities: FrozenMap[str, MunicipalityFacts] = Field(
        default_factory=dict, description="Facts per municipality (name, alias or AGS)."
    )
    units: FrozenMap[str, UnitFacts] = Field(
        default_factory=dict, description="Observed posts per KIM unit (key, name or alias)."
    )

    def apply(self, territory: Territory | None = None) -> Territory:
        """A new territory with these facts (status ``supplied``); checks names first."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        changed: list[Municipality] = []
        for name, facts in self.municipalities.items():
            try:
                found = _municipality(base, name, facts)
            except (InputError, LookupError) as error:
                raise InputError(f"facts {self.name!r}: municipalities: {error}") from None
            update = {
                f: Fact(
                    value=given.value,
                    status=Status.SUPPLIED,
                    note=given.note or f"facts {self.name}",
                    until=given.until,
                )
                for f in FACT_NAMES
                if (given := getattr(facts, f)) is not None
            }
            changed.append(found.model_copy(update=update))
        for unit in self.units:
            try:
                base.district(unit)
            except (InputError, LookupError) as error:
                raise InputError(f"facts {self.name!r}: units: {error}") from None
        return base.with_municipalities(*changed) if changed else base

    def staffing(self, territory: Territory | None = None) -> dict[str, dict[PostKind, Decimal]]:
        """The observed posts as a scenario's staffing (unit key -> kind -> FTE)."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        return {base.district(name).key: dict(u.posts) for name, u in self.units.items()}

    def posts_of(self, unit_key: str, territory: Territory | None = None) -> UnitFacts | None:
        """The observed posts of one unit (looked up by key, name or alias), if given."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        for name, posts in self.units.items():
            if base.district(name).key == unit_key:
                return posts
        return None


def _municipality(territory: Territory, name: str, facts: MunicipalityFacts) -> Municipality:
    if facts.ags is None and facts.parent is None:
        return territory.municipality(name)
    if facts.ags is None or facts.parent is None:
        raise InputError(f"{name}: a new municipality needs both 'ags' and 'parent'.")
    parent = territory.district(facts.parent)
    return Municipality(ags=facts.ags, name=name, parent=parent.kreis_key)
