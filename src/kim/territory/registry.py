"""The registry of KIM units and municipalities: loading, lookup by key, name or alias.

Lookup ignores case, punctuation and the spelling of umlauts: ``Köln``, ``Koeln`` and
``KOELN`` all match, and a plain vowel (``Koln``) matches too when nothing else fits.
Keys may be given with or without the leading zero, as 5-digit Kreisschlüssel or 8-digit
AGS (for cities both work).

**Units before municipalities.** The registry holds every municipality within a Kreis
(373, from the Zensus 2022 municipality table), and many Kreise go by the name of their
seat (``Coesfeld``, ``Soest``, ``Wesel``). A name that fits a KIM unit (its name or an
alias) finds the unit; the town of the same name is ``Stadt Coesfeld`` (or its AGS).
Where the caller asks for a municipality
([`municipality()`][kim.territory.registry.Territory.municipality]), municipalities come
first and ``Wesel`` is the town.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from importlib import resources

from kim._check import expect
from kim._data import read_yaml_resource
from kim.errors import DataFileError, InputError, KimError, UnknownNameError
from kim.parameters.model import Status
from kim.sources import embedded_sources
from kim.territory.model import (
    District,
    DistrictType,
    Fact,
    Municipality,
    Population,
    Regierungsbezirk,
)

__all__ = [
    "AmbiguousNameError",
    "Territory",
    "embedded_territory",
    "normalize_name",
]

Entity = District | Municipality

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_name(text: str) -> str:
    """Fold a name for lookup: lower case, umlauts as ae/oe/ue, ss, punctuation to spaces.

    Examples:
        >>> normalize_name("StädteRegion  Aachen") == normalize_name("Staedteregion-Aachen")
        True

    """
    folded = text.casefold().translate(_UMLAUTS)
    if not folded.isascii():  # ASCII has no accents to strip (NFKD leaves it as it is)
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", folded).strip()


def _unvowel(folded: str) -> str:
    """A second, looser fold of a folded name: umlauts as plain vowels (``koln``)."""
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


class AmbiguousNameError(KimError, LookupError):
    """A name that fits more than one unit or municipality; the message lists them."""

    def __init__(self, name: str, candidates: Iterable[Entity]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        listed = "; ".join(f"{c.name} ({c.key})" for c in self.candidates)
        super().__init__(f"{name!r} is ambiguous: {listed}. Give the key or the full name.")


class _NameIndex:
    """Names and aliases of one kind of entity, folded twice (exact and plain vowels).

    An alias that is another entity's official name of the same kind is left out. The
    lookups take names already folded by ``normalize_name``.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[Entity]] = {}
        self._plain: dict[str, list[Entity]] = {}
        self._official: dict[str, list[Entity]] = {}

    def add_all(self, entities: Iterable[Entity]) -> None:
        items = list(entities)
        official = {normalize_name(e.name) for e in items}
        for e in items:
            self._official.setdefault(normalize_name(e.name), []).append(e)
            names = [e.name, *(a for a in e.aliases if normalize_name(a) not in official)]
            for n in names:
                folded = normalize_name(n)
                for index, key in ((self._exact, folded), (self._plain, _unvowel(folded))):
                    bucket = index.setdefault(key, [])
                    if e not in bucket:
                        bucket.append(e)

    def official(self, folded: str) -> list[Entity]:
        """The entities whose official name (not an alias) folds to ``folded``."""
        return self._official.get(folded, [])

    def get(self, folded: str, *, plain: bool) -> list[Entity]:
        """The entities a folded name or alias fits (``plain``: umlauts as plain vowels)."""
        if plain:
            return self._plain.get(_unvowel(folded), [])
        return self._exact.get(folded, [])


class Territory:
    """The 54 KIM units and the known municipalities within a Kreis.

    Read-only; build one with your own municipalities via
    [`with_municipalities()`][kim.territory.registry.Territory.with_municipalities].
    """

    def __init__(self, districts: Iterable[District], municipalities: Iterable[Municipality]):
        self._districts: dict[str, District] = {}
        for d in districts:
            if d.key in self._districts:
                raise InputError(f"Duplicate district key {d.key!r}.")
            self._districts[d.key] = d
        self._municipalities: dict[str, Municipality] = {}
        for m in municipalities:
            if m.ags in self._municipalities or m.ags in self._districts:
                raise InputError(f"Duplicate key {m.ags!r}.")
            if m.parent not in self._districts:
                raise InputError(f"Municipality {m.name!r}: unknown parent Kreis {m.parent!r}.")
            self._municipalities[m.ags] = m
        self._by_key: dict[str, Entity] = {}
        self._units = _NameIndex()
        self._towns = _NameIndex()
        self._index()

    def _index(self) -> None:
        for d in self._districts.values():
            self._by_key[d.key] = d
            if d.ags:
                self._by_key.setdefault(d.ags, d)
            self._by_key.setdefault(d.kreis_key, d)
        for m in self._municipalities.values():
            self._by_key[m.ags] = m
        self._units.add_all(self._districts.values())
        self._towns.add_all(self._municipalities.values())

    # -- collections -----------------------------------------------------------
    def districts(self) -> tuple[District, ...]:
        """All KIM units, in key order."""
        return tuple(self._districts.values())

    def municipalities(self) -> tuple[Municipality, ...]:
        """The municipalities within a Kreis that the registry knows."""
        return tuple(self._municipalities.values())

    def __iter__(self) -> Iterator[District]:
        return iter(self._districts.values())

    def __len__(self) -> int:
        return len(self._districts)

    def __repr__(self) -> str:
        return (
            f"Territory({len(self._districts)} units, {len(self._municipalities)} municipalities)"
        )

    def with_municipalities(self, *municipalities: Municipality) -> Territory:
        """A new registry with these municipalities added (or replaced by AGS)."""
        merged = {**self._municipalities, **{m.ags: m for m in municipalities}}
        return Territory(self._districts.values(), merged.values())

    # -- lookup ----------------------------------------------------------------
    def _key(self, text: str) -> Entity | None:
        digits = text.strip()
        if not digits.isdigit():
            return None
        if len(digits) in (4, 7):  # a key written without its leading zero
            digits = "0" + digits
        return self._by_key.get(digits)

    def find(self, name_or_key: str) -> District | Municipality:
        """Find a unit or municipality by key, name or alias.

        Raises:
            UnknownNameError: nothing fits; the message lists the closest names.
            AmbiguousNameError: several fit; the message lists them.

        Examples:
            >>> t = embedded_territory()
            >>> t.find("Koeln").key, t.find("5558").name, t.find("StädteRegion Aachen").key
            ('05315000', 'Kreis Coesfeld', '05334')

        """
        return self._find(name_or_key, (self._units, self._towns))

    def _find(self, name_or_key: str, order: tuple[_NameIndex, _NameIndex]) -> Entity:
        expect(name_or_key, str, "name_or_key")
        by_key = self._key(name_or_key)
        if by_key is not None:
            return by_key
        folded = normalize_name(name_or_key)
        same = [e for index in order for e in index.official(folded)]
        if len(same) > 1:
            raise AmbiguousNameError(name_or_key, same)
        for plain in (False, True):
            for index in order:
                found = index.get(folded, plain=plain)
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise AmbiguousNameError(name_or_key, found)
        names = [e.name for e in self._by_key.values()]
        names += [a for d in self._districts.values() for a in d.aliases]
        raise UnknownNameError("district or municipality", name_or_key, sorted(set(names)))

    def district(self, name_or_key: str) -> District:
        """Like `find()`, but only KIM units; a municipality names its Kreis."""
        found = self.find(name_or_key)
        if isinstance(found, Municipality):
            parent = self._districts[found.parent]
            raise InputError(
                f"{found.name} ({found.ags}) is a municipality within {parent.name} "
                f"({parent.key}), not one of the 54 KIM units."
            )
        return found

    def municipality(self, name_or_key: str) -> Municipality:
        """Like `find()`, but only municipalities within a Kreis, which come first.

        ``municipality("Wesel")`` is the town, where ``find("Wesel")`` is Kreis Wesel.

        Examples:
            >>> t = embedded_territory()
            >>> t.municipality("Wesel").ags, t.find("Wesel").key
            ('05170048', '05170')

        """
        found = self._find(name_or_key, (self._towns, self._units))
        if not isinstance(found, Municipality):
            raise InputError(f"{found.name} ({found.key}) is a KIM unit, not a municipality.")
        return found

    def namesake(self, unit: District) -> Municipality | None:
        """The municipality named like an alias of ``unit`` (the seat a Kreis is called by).

        Examples:
            >>> t = embedded_territory()
            >>> t.namesake(t.district("Kreis Soest")).ags
            '05974040'

        """
        for alias in unit.aliases:
            found = self._towns.get(normalize_name(alias), plain=False)
            if len(found) == 1 and isinstance(found[0], Municipality):
                return found[0]
        return None

    def parent_of(self, municipality: Municipality) -> District:
        """The Kreis a municipality belongs to."""
        return self._districts[municipality.parent]

    def municipalities_of(self, district: District) -> tuple[Municipality, ...]:
        """The known municipalities of a Kreis."""
        return tuple(m for m in self._municipalities.values() if m.parent == district.key)

    def state_population(self) -> int:
        """NRW's population from the units, counting the city of Aachen once.

        The city of Aachen is part of the Städteregion, whose figure includes it.
        """
        return sum(d.population.value for d in self._districts.values() if d.counted_in is None)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split(";") if x.strip())


def _read_districts() -> list[District]:
    file = "units.csv"
    text = resources.files("kim.territory.data").joinpath(file).read_text(encoding="utf-8")
    districts = []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            districts.append(
                District(
                    key=row["key"],
                    kreis_key=row["kreis_key"],
                    ags=row["ags"] or None,
                    name=row["name"],
                    type=DistrictType(row["type"]),
                    regierungsbezirk=Regierungsbezirk(row["regierungsbezirk"]),
                    population=Population(
                        value=int(row["population"]),
                        date=date.fromisoformat(row["population_date"]),
                        status=Status(row["population_status"]),
                        sources=_split(row["population_sources"]),
                    ),
                    has_ki=row["has_ki"] == "true",
                    ki_sources=_split(row["ki_sources"]),
                    aliases=_split(row["aliases"]),
                    key_sources=_split(row["key_source"]),
                )
            )
        except (KimError, ValueError, KeyError) as error:
            raise DataFileError(file, f"line {line}", str(error)) from None
    return districts


_POPULATION_SOURCE = "zensus2022-gemeinden-nrw"
_CENSUS_DAY = date(2022, 5, 15)


def _aliases(name: str, kind: str) -> tuple[str, ...]:
    """``Stadt X`` or ``Gemeinde X``, and the name without a bracketed suffix (``Halle``)."""
    out = [f"{'Stadt' if kind == 'stadt' else 'Gemeinde'} {name}"]
    short = re.sub(r"\s*\([^)]*\)$", "", name)
    if short != name:
        out.append(short)
    return tuple(out)


def _read_municipality_list() -> dict[str, Municipality]:
    """Every municipality within a Kreis: AGS, name, Kreis, Zensus 2022 population."""
    file = "municipality_list.csv"
    text = resources.files("kim.territory.data").joinpath(file).read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if not x.startswith("#")]
    result: dict[str, Municipality] = {}
    for line, row in enumerate(csv.DictReader(lines), start=2):
        try:
            m = Municipality(
                ags=row["ags"],
                name=row["name"],
                parent=row["kreis"],
                population=Population(
                    value=int(row["population"]),
                    date=_CENSUS_DAY,
                    status=Status.CONFIRMED,
                    sources=(_POPULATION_SOURCE,),
                ),
                aliases=_aliases(row["name"], row["kind"]),
            )
        except (KimError, ValueError, KeyError) as error:
            raise DataFileError(file, f"row {line}", str(error)) from None
        if not m.ags.startswith(m.parent):
            raise DataFileError(file, m.ags, f"AGS does not begin with its Kreis {m.parent}")
        result[m.ags] = m
    return result


def _read_municipalities() -> list[Municipality]:
    """The list, with the KIM facts of ``municipalities.yaml`` merged in by AGS."""
    listed = _read_municipality_list()
    file = "municipalities.yaml"
    raw = read_yaml_resource("kim.territory.data", file)
    for ags, body in raw["municipalities"].items():
        key = str(ags)
        base = listed.get(key)
        if base is None:
            raise DataFileError(file, ["municipalities", key], "AGS not in municipality_list.csv")
        if body.get("name") != base.name or body.get("parent") != base.parent:
            raise DataFileError(
                file,
                ["municipalities", key],
                f"name/parent {body.get('name')!r}/{body.get('parent')!r} differ from the list's "
                f"{base.name!r}/{base.parent!r}",
            )
        try:
            fields = {"aliases": base.aliases, "population": base.population, **body}
            listed[key] = Municipality(ags=key, **fields)
        except KimError as error:
            raise DataFileError(file, ["municipalities", key], str(error)) from None
    return list(listed.values())


def _check_sources(districts: list[District], municipalities: list[Municipality]) -> None:
    known = embedded_sources()
    for d in districts:
        for s in (*d.population.sources, *d.ki_sources, *d.key_sources):
            if s not in known:
                raise DataFileError("units.csv", d.key, f"unknown source id {s!r}")
    for m in municipalities:
        facts: list[Fact] = [m.auslaenderbehoerde, m.einbuergerungsbehoerde, m.jugendamt]
        facts.append(m.integrationsrat)
        ids = [s for f in facts for s in f.sources]
        ids += list(m.population.sources) if m.population else []
        for s in ids:
            if s not in known:
                raise DataFileError("municipalities.yaml", m.ags, f"unknown source id {s!r}")


@cache
def embedded_territory() -> Territory:
    """The 54 units and the municipalities shipped with the library (read once)."""
    districts = _read_districts()
    municipalities = _read_municipalities()
    _check_sources(districts, municipalities)
    return Territory(districts, municipalities)
