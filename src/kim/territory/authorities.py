"""Ausländer- and Einbürgerungsbehörden: who runs one, and Baustein 3 per authority.

In 2020 Baustein 3 money went to the **authority**: every Ausländerbehörde (ABH) and
Einbürgerungsbehörde (EBH) got at least one half post, some large ones more, and a
municipality within a Kreis with its own authority received the money directly (Stadt
Bocholt 50,000 €, Stadt Düren 25,000 €; ``bocholt-b3-2020``, ``dueren-b3-2020``). The
ministry split 200 half posts into 81 for Ausländerbehörden, 84 for
Einbürgerungsbehörden and (by our arithmetic) 35 extra (``mkjfgfi-pm-b3-2020``).

**The registry** (:func:`authorities`) lists the authorities the library knows on a
day: the ABH and EBH of every Kreis and kreisfreie Stadt (status ``inferred``: the
press release says all authorities were funded, no list names them), and those of the
municipalities whose facts say they run one (with the facts' own sources and status).
The city of Aachen is left out: whether its authorities are the StädteRegion's is
unknown. Municipalities whose facts are unknown are listed in ``unknown``.

**The estimate** (:func:`distribute_half_posts`) gives every authority one half post
and apportions the rest by the population it serves (largest remainder, whole half
posts), so the published total is kept exactly. The registry knows fewer authorities
than the 165 of 2020, so the half posts of the unknown ones are spread by population
over the known ones: an ``inferred`` figure.

>>> from datetime import date
>>> known = authorities(date(2020, 12, 31))
>>> shares = distribute_half_posts(200, {a.id: a.served for a in known.authorities})
>>> sum(shares.values()), shares["05554008-abh"] >= 1
(200, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from pydantic import Field

from kim._model import KimModel
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet, Status
from kim.territory.model import DistrictType
from kim.territory.registry import Territory, embedded_territory

__all__ = [
    "Authority",
    "AuthorityKind",
    "AuthorityRegistry",
    "AuthorityShare",
    "authorities",
    "authority_estimate",
    "distribute_half_posts",
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


def distribute_half_posts(total: int, served: Mapping[str, int]) -> dict[str, int]:
    """Give every authority one half post and the rest by population served.

    The rest is apportioned in whole half posts by largest remainder
    (:func:`kim.allocation.base_plus_weight`), so the shares add up to ``total``
    exactly; a pure function of its inputs.

    Raises:
        InputError: fewer half posts than authorities, or no authority.

    >>> distribute_half_posts(7, {"a": 100, "b": 300})
    {'a': 2, 'b': 5}

    """
    from kim.allocation import base_plus_weight

    if not served:
        raise InputError("distribute_half_posts needs at least one authority")
    if total < len(served):
        raise InputError(
            f"{total} half posts cannot give each of {len(served)} authorities one; "
            "give a total of at least the number of authorities."
        )
    weights = served if any(served.values()) else dict.fromkeys(served, 1)
    allocation = base_plus_weight(total, weights, base=1, step=1)
    return {k: int(v) for k, v in allocation.as_dict().items()}


class AuthorityShare(KimModel):
    """The estimated Baustein 3 half posts and money of one authority."""

    authority: Authority = Field(description="The authority.")
    half_posts: int = Field(description="Half posts (at least one).")
    amount: Euro = Field(description="Half posts × the flat rate per half post.")


def authority_estimate(
    year: int, parameters: ParameterSet | None = None
) -> tuple[AuthorityShare, ...]:
    """Baustein 3 of ``year`` per known authority, conserving the statewide total.

    The statewide half posts are distributed by :func:`distribute_half_posts` and
    priced at the flat rate per half post.

    The amounts add up to the published total exactly (2020: 200 half posts,
    5,000,000.00 €). Each municipal authority is its own row under its Kreis
    (``authority.kreis``), never inside the Kreis's figure.

    Raises:
        MissingValueError: the year has no statewide number of half posts or no rate.

    >>> shares = authority_estimate(2020)
    >>> sum((s.amount for s in shares), Euro(0))
    Euro('5000000.00')

    """
    from kim.funding.rules import rate_for

    params = embedded_parameters() if parameters is None else parameters
    total = params.value("authorities_half_posts_total", date(year, 6, 30)).value
    rate = Euro(rate_for("authorities_flat_rate_half_post", year, params).value)
    known = authorities(date(year, 12, 31))
    if total != int(total):
        raise InputError(f"authorities_half_posts_total {total} is not a whole number")
    shares = distribute_half_posts(int(total), {a.id: a.served for a in known.authorities})
    return tuple(
        AuthorityShare(authority=a, half_posts=shares[a.id], amount=rate * shares[a.id])
        for a in known.authorities
    )
