"""The legal and documentary sources the library cites, each with a stable id.

Every parameter value, eligibility rule and published figure in the library names one
or more source ids from this registry. The registry ships as ``data/sources.yaml``;
fields nobody could read stay empty (``None``) and are never guessed.

Examples:
    >>> from kim.sources import embedded_sources
    >>> src = embedded_sources()["tintg-9"]
    >>> src.section
    '§ 9'
    >>> src.kind.value
    'law'

"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import cache

from pydantic import Field

from kim._data import read_yaml_resource
from kim._model import KimModel
from kim.errors import DataFileError, InputError, UnknownNameError

__all__ = ["Source", "SourceKind", "SourceRegistry", "embedded_sources"]


class SourceKind(StrEnum):
    """What kind of document a source is; it says how much weight it carries."""

    LAW = "law"
    """A statute (Gesetz), e.g. the TIntG NRW."""
    GUIDELINE = "guideline"
    """A funding guideline (Förderrichtlinie, Runderlass) published in the MBl. NRW."""
    AUTHORITY = "authority"
    """A page or notice of the granting authority or the ministry."""
    COUNCIL_PAPER = "council_paper"
    """A district or city council paper (Sitzungsvorlage, Niederschrift)."""
    PRESS_RELEASE = "press_release"
    """A press release of a government, party or parliament member."""
    PRESS = "press"
    """A newspaper or magazine article."""
    STATISTICS = "statistics"
    """Official statistics (IT.NRW, Destatis, Zensus)."""
    WEBSITE = "website"
    """Any other web page (programme portal, association, secondary compilation)."""


class Source(KimModel):
    """One document the library cites.

    Unknown fields are ``None``: the library records only what the document itself
    shows.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", description="Stable id, e.g. 'tintg-9'.")
    title_de: str = Field(description="The German title as the document gives it.")
    issuer: str | None = Field(default=None, description="Who issued or published it.")
    date: dt.date | None = Field(default=None, description="Date of the document, if known.")
    section: str | None = Field(default=None, description="Section cited, e.g. '§ 9 Abs. 2'.")
    citation: str | None = Field(
        default=None, description="Official citation, e.g. 'MBl. NRW. 2020 Nr. 32, S. 751'."
    )
    url: str | None = Field(default=None, description="Where the document can be read.")
    kind: SourceKind = Field(description="What kind of document it is.")
    note: str | None = Field(default=None, description="What the library takes from it.")

    def label(self) -> str:
        """A short human label: title, section and date when known."""
        parts = [self.title_de]
        if self.section:
            parts.append(self.section)
        if self.date:
            parts.append(self.date.strftime("%d.%m.%Y"))
        return ", ".join(parts)


class SourceRegistry(Mapping[str, Source]):
    """A read-only mapping of source id to [`Source`][kim.sources.Source]."""

    def __init__(self, sources: Iterable[Source]) -> None:
        items: dict[str, Source] = {}
        for source in sources:
            if source.id in items:
                raise InputError(f"Duplicate source id {source.id!r}.")
            items[source.id] = source
        self._items = items

    def __getitem__(self, key: str) -> Source:
        return self.get_source(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get_source(self, source_id: str) -> Source:
        """Return the source with this id; an unknown id names the closest ids."""
        try:
            return self._items[source_id]
        except KeyError:
            raise UnknownNameError("source", source_id, self._items) from None

    def __repr__(self) -> str:
        return f"SourceRegistry({len(self)} sources)"


@cache
def embedded_sources() -> SourceRegistry:
    """The sources shipped with the library (read once, on first use)."""
    file = "sources.yaml"
    raw = read_yaml_resource("kim.data", file)
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), dict):
        raise DataFileError(file, "sources", "expected a mapping 'sources: {id: {...}}'")
    sources = []
    for key, body in raw["sources"].items():
        if not isinstance(body, dict):
            raise DataFileError(file, ["sources", key], "expected a mapping of fields")
        try:
            sources.append(Source(id=str(key), **body))
        except InputError as error:
            raise DataFileError(file, ["sources", key], str(error)) from None
    return SourceRegistry(sources)
