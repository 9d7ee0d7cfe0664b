"""The 54 KIM units and the municipalities within a Kreis: typed data and lookup.

Examples:
    >>> from kim.territory import embedded_territory
    >>> t = embedded_territory()
    >>> len(t), t.find("Kreis Coesfeld").population.value
    (54, 222953)
    >>> t.state_population()
    17890489

"""

from kim.territory.model import (
    District,
    DistrictType,
    Fact,
    Municipality,
    Population,
    Regierungsbezirk,
)
from kim.territory.registry import (
    AmbiguousNameError,
    Territory,
    embedded_territory,
    normalize_name,
)

__all__ = [
    "AmbiguousNameError",
    "District",
    "DistrictType",
    "Fact",
    "Municipality",
    "Population",
    "Regierungsbezirk",
    "Territory",
    "embedded_territory",
    "normalize_name",
]
