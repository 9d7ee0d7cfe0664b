"""The 54 KIM units (districts) and the municipalities within a Kreis, as typed data."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from kim._model import KimModel
from kim.parameters.model import Status

__all__ = [
    "District",
    "DistrictType",
    "Fact",
    "Municipality",
    "Population",
    "Regierungsbezirk",
]


class Regierungsbezirk(StrEnum):
    """The five administrative regions of NRW; the third digit of every official key."""

    DUESSELDORF = "Düsseldorf"
    KOELN = "Köln"
    MUENSTER = "Münster"
    DETMOLD = "Detmold"
    ARNSBERG = "Arnsberg"

    @classmethod
    def from_key(cls, key: str) -> Regierungsbezirk:
        """The region encoded in an official key's third digit (``05[1|3|5|7|9]...``).

        Examples:
            >>> Regierungsbezirk.from_key("05558").value
            'Münster'

        """
        return _BY_DIGIT[key[2]]


_BY_DIGIT = {
    "1": Regierungsbezirk.DUESSELDORF,
    "3": Regierungsbezirk.KOELN,
    "5": Regierungsbezirk.MUENSTER,
    "7": Regierungsbezirk.DETMOLD,
    "9": Regierungsbezirk.ARNSBERG,
}


class DistrictType(StrEnum):
    """The kind of KIM unit."""

    KREISFREIE_STADT = "kreisfreie_stadt"
    """An independent city (kreisfreie Stadt), one of 22."""
    KREIS = "kreis"
    """A rural district (Kreis), one of 30."""
    STAEDTEREGION = "staedteregion"
    """The Städteregion Aachen, treated like a Kreis."""
    REGIONSANGEHOERIGE_STADT = "regionsangehoerige_stadt"
    """The city of Aachen: part of the Städteregion, with the status of a kreisfreie Stadt."""

    @property
    def label_de(self) -> str:
        """The German label."""
        return _TYPE_DE[self]


_TYPE_DE = {
    DistrictType.KREISFREIE_STADT: "kreisfreie Stadt",
    DistrictType.KREIS: "Kreis",
    DistrictType.STAEDTEREGION: "Städteregion",
    DistrictType.REGIONSANGEHOERIGE_STADT: (
        "regionsangehörige Stadt mit Rechtsstellung einer kreisfreien Stadt"
    ),
}


class Population(KimModel):
    """A population figure with its reference date and provenance."""

    value: int = Field(ge=0, description="Number of residents.")
    date: dt.date = Field(description="Reference date (Stichtag).")
    status: Status = Field(description="confirmed (stated) or derived (e.g. a sum).")
    sources: tuple[str, ...] = Field(min_length=1, description="Source ids.")


class Fact(KimModel):
    """A yes/no fact about a municipality, which may be unknown (``value=None``).

    ``since`` and ``until`` bound what the sources say: before ``since`` and after
    ``until`` the fact is unknown. ``since=None`` means no source gives the first day
    (the value holds as far back as the library is asked, as the sources describe it).
    """

    value: bool | None = Field(description="True, False or None for unknown.")
    status: Status | None = Field(default=None, description="How sure the value is.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids.")
    note: str | None = Field(default=None, description="Remarks on the fact.")
    since: dt.date | None = Field(
        default=None, description="First day the value is known; None: no source gives it."
    )
    until: dt.date | None = Field(default=None, description="Last day the value is known.")

    def on(self, day: dt.date | None = None) -> bool | None:
        """The value on ``day`` (``None`` when unknown, before ``since`` or past ``until``)."""
        if day is not None and self.until is not None and day > self.until:
            return None
        if day is not None and self.since is not None and day < self.since:
            return None
        return self.value


UNKNOWN = Fact(value=None)


class District(KimModel):
    """One of the 54 KIM units: a Kreis, a kreisfreie Stadt, the Städteregion or Aachen.

    ``key`` is the unit's id: the 8-digit AGS for cities (``05111000``), the 5-digit
    Kreisschlüssel for Kreise and the Städteregion (``05558``).
    """

    key: str = Field(pattern=r"^05\d{3}(\d{3})?$", description="The unit's id (AGS or key).")
    kreis_key: str = Field(pattern=r"^05\d{3}$", description="The 5-digit Kreisschlüssel.")
    ags: str | None = Field(
        default=None, pattern=r"^05\d{6}$", description="The 8-digit AGS (cities only)."
    )
    name: str = Field(description="The official name.")
    type: DistrictType = Field(description="Kreis, kreisfreie Stadt, Städteregion or Aachen.")
    regierungsbezirk: Regierungsbezirk = Field(description="The administrative region.")
    population: Population = Field(description="Zensus 2022 population.")
    has_ki: bool = Field(description="Whether it runs a Kommunales Integrationszentrum (§ 8).")
    ki_sources: tuple[str, ...] = Field(description="Sources for ``has_ki``.")
    aliases: tuple[str, ...] = Field(default=(), description="Other names it goes by.")
    key_sources: tuple[str, ...] = Field(description="Sources for the keys.")

    @property
    def is_city(self) -> bool:
        """True for the kreisfreie Städte and the city of Aachen."""
        return self.type in (DistrictType.KREISFREIE_STADT, DistrictType.REGIONSANGEHOERIGE_STADT)

    @property
    def counted_in(self) -> str | None:
        """The key of the unit whose population already includes this one's (Aachen)."""
        return "05334" if self.type is DistrictType.REGIONSANGEHOERIGE_STADT else None

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class Municipality(KimModel):
    """A municipality within a Kreis (kreisangehörige Gemeinde), with the facts KIM uses.

    Build your own for municipalities the library does not ship; unknown facts stay
    ``None`` and make the decisions that need them undetermined.
    """

    ags: str = Field(pattern=r"^05\d{6}$", description="The 8-digit AGS.")
    name: str = Field(description="The official name.")
    parent: str = Field(pattern=r"^05\d{3}$", description="Key of the Kreis it belongs to.")
    population: Population | None = Field(default=None, description="Population, if known.")
    auslaenderbehoerde: Fact = Field(default=UNKNOWN, description="Own Ausländerbehörde.")
    einbuergerungsbehoerde: Fact = Field(default=UNKNOWN, description="Own Einbürgerungsbehörde.")
    jugendamt: Fact = Field(default=UNKNOWN, description="Own Jugendamt.")
    integrationsrat: Fact = Field(
        default=UNKNOWN, description="An Integrationsrat or Integrationsausschuss."
    )
    aliases: tuple[str, ...] = Field(
        default=(), description="Other names it goes by, e.g. 'Stadt Düren' or 'Halle'."
    )

    @property
    def key(self) -> str:
        """The municipality's id (its AGS)."""
        return self.ags

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"
