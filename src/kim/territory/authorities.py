"""Ausländer- and Einbürgerungsbehörden: who runs one, and Baustein 3 per authority.

In 2020 Baustein 3 money went to the **authority**: every Ausländerbehörde (ABH) and
Einbürgerungsbehörde (EBH) got at least one half post, some large ones more, and a
municipality within a Kreis with its own authority received the money directly (Stadt
Bocholt 50,000 €, Stadt Düren 25,000 €; ``bocholt-b3-2020``, ``dueren-b3-2020``). The
ministry split 200 half posts into 81 for Ausländerbehörden, 84 for
Einbürgerungsbehörden and (by our arithmetic) 35 extra (``mkjfgfi-pm-b3-2020``).

**The registry** ([`authorities()`][kim.territory.authorities.authorities]) lists the authorities
the library knows on a
day: the ABH and EBH of every Kreis and kreisfreie Stadt (status ``inferred``: the
press release says all authorities were funded, no list names them), and those of the
municipalities whose facts say they run one (with the facts' own sources and status).
The city of Aachen is left out: whether its authorities are the StädteRegion's is
unknown. Municipalities whose facts are unknown are listed in ``unknown``.

**The estimate** lives one layer up, in [`kim.allocation.authorities`][kim.allocation.authorities]:
one half post per authority, the rest by the population it serves, the total kept exactly.

Examples:
    >>> from datetime import date
    >>> known = authorities(date(2020, 12, 31))
    >>> len(known.authorities), "05554008-abh" in {a.id for a in known.authorities}
    (122, True)

"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from kim._model import KimModel
from kim.parameters.model import Status
from kim.territory.model import DistrictType
from kim.territory.registry import Territory, embedded_territory

__all__ = [
    "Authority",
    "AuthorityKind",
    "AuthorityRegistry",
    "authorities",
]


class AuthorityKind(StrEnum):
    """The two kinds of authority Baustein 3 funds."""

    ABH = "auslaenderbehoerde"
    """Ausländerbehörde."""
    EBH = "einbuergerungsbehoerde"
    """Einbürgerungsbehörde."""


class Authority(KimModel):
    """One authority: who runs it, in which Kreis, how sure that is."""

    id: str = Field(description="'<holder key>-abh' or '<holder key>-ebh'.")
    kind: AuthorityKind = Field(description="Ausländer- or Einbürgerungsbehörde.")
    holder: str = Field(description="Key of the unit or AGS of the municipality running it.")
    holder_name: str = Field(description="Name of the unit or municipality.")
    kreis: str = Field(description="Key of the KIM unit it lies in (its row's parent).")
    municipal: bool = Field(description="Run by a municipality within a Kreis.")
    served: int = Field(ge=0, description="Population it serves (Zensus 2022).")
    status: Status = Field(description="How sure it is that the holder runs it.")
    sources: tuple[str, ...] = Field(description="Source ids.")


class AuthorityRegistry(KimModel):
    """The authorities known on a day and the municipalities nobody knows about."""

    on: date = Field(description="The day.")
    authorities: tuple[Authority, ...] = Field(description="The known authorities.")
    unknown: tuple[str, ...] = Field(
        description="Municipalities (AGS) whose authority facts are unknown on the day."
    )


_UNIT_SOURCES = ("mkjfgfi-pm-b3-2020",)


def authorities(on: date, territory: Territory | None = None) -> AuthorityRegistry:
    """The Ausländer- and Einbürgerungsbehörden the library knows on ``on``.

    A Kreis's authority serves the Kreis's population minus that of its municipalities
    with an authority of their own.
    """
    terr = embedded_territory() if territory is None else territory
    found: list[Authority] = []
    unknown: list[str] = []
    own: dict[tuple[str, AuthorityKind], int] = {}
    for m in terr.municipalities():
        for kind in AuthorityKind:
            fact = getattr(m, kind.value)
            value = fact.on(on)
            if value is None:
                unknown.append(m.ags)
            if value is not True:
                continue
            served = m.population.value if m.population is not None else 0
            own[(m.parent, kind)] = own.get((m.parent, kind), 0) + served
            found.append(
                Authority(
                    id=f"{m.ags}-{'abh' if kind is AuthorityKind.ABH else 'ebh'}",
                    kind=kind,
                    holder=m.ags,
                    holder_name=m.name,
                    kreis=m.parent,
                    municipal=True,
                    served=served,
                    status=fact.status or Status.INFERRED,
                    sources=fact.sources,
                )
            )
    for d in terr.districts():
        if d.type is DistrictType.REGIONSANGEHOERIGE_STADT:
            continue
        for kind in AuthorityKind:
            found.append(
                Authority(
                    id=f"{d.key}-{'abh' if kind is AuthorityKind.ABH else 'ebh'}",
                    kind=kind,
                    holder=d.key,
                    holder_name=d.name,
                    kreis=d.key,
                    municipal=False,
                    served=max(d.population.value - own.get((d.key, kind), 0), 0),
                    status=Status.INFERRED,
                    sources=_UNIT_SOURCES,
                )
            )
    return AuthorityRegistry(
        on=on,
        authorities=tuple(sorted(found, key=lambda a: a.id)),
        unknown=tuple(dict.fromkeys(unknown)),
    )
