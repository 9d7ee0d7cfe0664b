"""Ausländer- and Einbürgerungsbehörden: who runs one, and Baustein 3 per authority.

In 2020 Baustein 3 money went to the **authority**: every Ausländerbehörde (ABH) and
Einbürgerungsbehörde (EBH) got at least one half post, some large ones more, and a
municipality within a Kreis with its own authority received the money directly (Stadt
Bocholt 50,000 €, Stadt Düren 25,000 €; ``bocholt-b3-2020``, ``dueren-b3-2020``). The
ministry split 200 half posts into 81 for Ausländerbehörden, 84 for
Einbürgerungsbehörden and (by our arithmetic) 35 extra (``mkjfgfi-pm-b3-2020``).

**The registry** ([`authorities()`][kim.territory.authorities.authorities]) lists the authorities
the library knows on a day: the ABH and EBH of every Kreis and kreisfreie Stadt (status
``inferred``: the press release says all authorities were funded, no list names them), those
of the municipalities whose facts say they run one (with the facts' own sources and status),
and the municipal recipients of ``authorities.yaml`` whose facts cannot say it: Stadt Düren
ran an authority in 2020 (it got 25,000 € of Baustein 3 money in its own name), but the
source does not say which one, so its row is of kind ``unspecified``. The city of Aachen is
left out: whether its authorities are the StädteRegion's is unknown. Municipalities whose
facts are unknown are listed in ``unknown``.

**Since when.** Every row has ``since``: the first day a source shows the authority running,
or ``None`` when no source gives it (for every unit's authorities, and for the municipal ones
so far; the sources describe them as running, not since when). ``since_status`` and
``since_sources`` say where a date comes from.

**The estimate** lives one layer up, in [`kim.allocation.authorities`][kim.allocation.authorities]:
one half post per authority, the rest by the population it serves, the total kept exactly.

Examples:
    >>> from datetime import date
    >>> known = authorities(date(2020, 12, 31))
    >>> len(known.authorities), "05554008-abh" in {a.id for a in known.authorities}
    (125, True)
    >>> [a.kind.value for a in known.authorities if a.holder == "05358008"]
    ['unspecified']

"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache

from pydantic import Field

from kim._data import read_yaml_resource
from kim._model import FrozenMap, KimModel
from kim.errors import DataFileError, KimError
from kim.parameters.model import Status
from kim.sources import embedded_sources
from kim.territory.model import DistrictType
from kim.territory.registry import Territory, embedded_territory

__all__ = [
    "Authority",
    "AuthorityKind",
    "AuthorityRegistry",
    "MunicipalRecipient",
    "RecipientAuthority",
    "authorities",
    "municipal_recipients",
    "observed_half_posts",
]


class AuthorityKind(StrEnum):
    """The two kinds of authority Baustein 3 funds."""

    ABH = "auslaenderbehoerde"
    """Ausländerbehörde."""
    EBH = "einbuergerungsbehoerde"
    """Einbürgerungsbehörde."""
    UNSPECIFIED = "unspecified"
    """An Ausländer- or an Einbürgerungsbehörde; the source does not say which."""


class Authority(KimModel):
    """One authority: who runs it, in which Kreis, how sure that is."""

    id: str = Field(description="'<holder key>-abh', '<holder key>-ebh' or '<holder key>-b3'.")
    kind: AuthorityKind = Field(description="Ausländer- or Einbürgerungsbehörde.")
    holder: str = Field(description="Key of the unit or AGS of the municipality running it.")
    holder_name: str = Field(description="Name of the unit or municipality.")
    kreis: str = Field(description="Key of the KIM unit it lies in (its row's parent).")
    municipal: bool = Field(description="Run by a municipality within a Kreis.")
    served: int = Field(ge=0, description="Population it serves (Zensus 2022).")
    status: Status = Field(description="How sure it is that the holder runs it.")
    sources: tuple[str, ...] = Field(description="Source ids.")
    since: date | None = Field(
        default=None, description="First day a source shows it running; None: no source says."
    )
    since_status: Status | None = Field(default=None, description="How sure ``since`` is.")
    since_sources: tuple[str, ...] = Field(default=(), description="Sources of ``since``.")
    note: str | None = Field(default=None, description="Remarks, e.g. why the kind is open.")


class RecipientAuthority(KimModel):
    """One authority of a municipal Baustein 3 recipient, as ``authorities.yaml`` gives it."""

    kind: AuthorityKind = Field(description="Ausländer-, Einbürgerungsbehörde or unspecified.")
    since: date | None = Field(description="First day known to run; None: no source gives it.")
    status: Status = Field(description="How sure it is that the town runs it.")
    sources: tuple[str, ...] = Field(min_length=1, description="Source ids.")
    note: str | None = Field(default=None, description="What the source says and does not.")


class MunicipalRecipient(KimModel):
    """A municipality that received Baustein 3 money in its own name (``authorities.yaml``)."""

    ags: str = Field(pattern=r"^05\d{6}$", description="The municipality's AGS.")
    name: str = Field(description="Its name, as in the municipality list.")
    authorities: tuple[RecipientAuthority, ...] = Field(
        description="Authorities its facts cannot give (e.g. of unspecified kind)."
    )
    half_posts: FrozenMap[int, int] = Field(
        default_factory=dict, description="Baustein 3 half posts a source gives, per year."
    )
    sources: tuple[str, ...] = Field(default=(), description="Sources of the half posts.")
    note: str | None = Field(default=None, description="Remarks.")


@cache
def municipal_recipients() -> tuple[MunicipalRecipient, ...]:
    """The municipal Baustein 3 recipients of ``authorities.yaml`` (read once, checked).

    Examples:
        >>> [(r.name, dict(r.half_posts)) for r in municipal_recipients()]
        [('Düren', {2020: 1}), ('Bocholt', {2020: 2})]

    """
    file = "authorities.yaml"
    raw = read_yaml_resource("kim.territory.data", file)
    known = embedded_sources()
    territory = embedded_territory()
    out = []
    for ags, body in raw["recipients"].items():
        try:
            entry = MunicipalRecipient(ags=str(ags), **body)
        except KimError as error:
            raise DataFileError(file, ["recipients", ags], str(error)) from None
        if territory.municipality(entry.ags).name != entry.name:
            raise DataFileError(file, ["recipients", ags], f"name {entry.name!r} differs")
        ids = [*entry.sources, *(s for a in entry.authorities for s in a.sources)]
        for s in ids:
            if s not in known:
                raise DataFileError(file, ["recipients", ags], f"unknown source id {s!r}")
        out.append(entry)
    return tuple(out)


def observed_half_posts(year: int) -> dict[str, int]:
    """Baustein 3 half posts a source gives for a municipal recipient in ``year``, by AGS.

    Examples:
        >>> observed_half_posts(2020)
        {'05358008': 1, '05554008': 2}

    """
    return {r.ags: r.half_posts[year] for r in municipal_recipients() if year in r.half_posts}


class AuthorityRegistry(KimModel):
    """The authorities known on a day and the municipalities nobody knows about."""

    on: date = Field(description="The day.")
    authorities: tuple[Authority, ...] = Field(description="The known authorities.")
    unknown: tuple[str, ...] = Field(
        description="Municipalities (AGS) whose authority facts are unknown on the day."
    )


_FACT_KINDS = (AuthorityKind.ABH, AuthorityKind.EBH)
_UNIT_SOURCES = ("mkjfgfi-pm-b3-2020",)
_UNIT_SINCE = "No source gives the day the authority began; since is unknown."


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
        for kind in _FACT_KINDS:
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
                    since=fact.since,
                    since_status=None if fact.since is None else fact.status,
                    since_sources=() if fact.since is None else fact.sources,
                )
            )
    holders = {a.holder for a in found}
    for r in municipal_recipients():
        if r.ags in holders or r.ags not in {m.ags for m in terr.municipalities()}:
            continue
        town = terr.municipality(r.ags)
        for extra in r.authorities:
            if extra.since is not None and on < extra.since:
                continue
            served = town.population.value if town.population is not None else 0
            if extra.kind is not AuthorityKind.UNSPECIFIED:
                own[(town.parent, extra.kind)] = own.get((town.parent, extra.kind), 0) + served
            suffix = {AuthorityKind.ABH: "abh", AuthorityKind.EBH: "ebh"}.get(extra.kind, "b3")
            found.append(
                Authority(
                    id=f"{town.ags}-{suffix}",
                    kind=extra.kind,
                    holder=town.ags,
                    holder_name=town.name,
                    kreis=town.parent,
                    municipal=True,
                    served=served,
                    status=extra.status,
                    sources=extra.sources,
                    since=extra.since,
                    since_status=None if extra.since is None else extra.status,
                    since_sources=() if extra.since is None else extra.sources,
                    note=extra.note,
                )
            )
        unknown = [u for u in unknown if u != town.ags]
    for d in terr.districts():
        if d.type is DistrictType.REGIONSANGEHOERIGE_STADT:
            continue
        for kind in _FACT_KINDS:
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
                    note=_UNIT_SINCE,
                )
            )
    return AuthorityRegistry(
        on=on,
        authorities=tuple(sorted(found, key=lambda a: a.id)),
        unknown=tuple(dict.fromkeys(unknown)),
    )
