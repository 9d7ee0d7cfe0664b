"""Weights for the keys: population of the 54 units, equal weights, or your own CSV file.

**The city of Aachen and the Städteregion.** Both are KIM recipients of their own, so
each gets its own weight. The Städteregion's Zensus figure (577,572) *includes* the
city's residents (261,178), and the city has its own Kommunales Integrationszentrum and
its own KIM money. The population key therefore counts every resident once: the
Städteregion weighs its population **minus** the city's (316,394, the nine other
municipalities), the city its own. The 54 weights then add up to NRW's population.

Examples:
    >>> from kim.allocation.weights import population_weights
    >>> w = population_weights()
    >>> w["05334"], w["05334002"]
    (316394, 261178)
    >>> sum(w.values())
    17890489

"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from kim._io import read_text
from kim._numbers import to_decimal
from kim.errors import AllocationError, DataFileError, KimError
from kim.territory import Territory, embedded_territory

__all__ = [
    "MAX_WEIGHTS_BYTES",
    "equal_weights",
    "population_weights",
    "read_weights",
    "unit_weights",
]

MAX_WEIGHTS_BYTES = 1_000_000
"""The largest weights file read (1 MB, counted while reading)."""


def population_weights(territory: Territory | None = None) -> dict[str, int]:
    """``{unit key: residents}`` for the 54 units, each resident counted once.

    A unit whose population is already counted in another's (``counted_in``: the city
    of Aachen in the Städteregion) keeps its own figure, and the other unit's figure is
    reduced by it (see the module notes).
    """
    territory = territory or embedded_territory()
    weights = {d.key: d.population.value for d in territory}
    for d in territory:
        if d.counted_in is not None:
            weights[d.counted_in] -= d.population.value
    return weights


def equal_weights(keys: Mapping[str, object] | list[str] | None = None) -> dict[str, int]:
    """Weight 1 for every unit (all 54 by default): a flat key, equal shares."""
    if keys is None:
        keys = [d.key for d in embedded_territory()]
    return dict.fromkeys(keys, 1)


def read_weights(source: str | Path | io.TextIOBase) -> dict[str, Decimal | None]:
    """Read a CSV file with the columns ``key`` and ``weight`` (a header row is required).

    Other columns are ignored. An empty weight cell is kept as ``None`` so that the
    apportionment names the unit whose weight is missing. Keys may be unit keys (AGS or
    Kreisschlüssel) or names; [`unit_weights()`][kim.allocation.weights.unit_weights] resolves them.

    Raises:
        DataFileError: no ``key``/``weight`` header, a duplicate key, or a weight that
            is not a number.

    """
    name = str(source) if isinstance(source, str | Path) else "weights"
    if isinstance(source, str | Path):
        text = read_text(source, MAX_WEIGHTS_BYTES, "weights file")
    else:
        text = source.read(MAX_WEIGHTS_BYTES + 1)
        if len(text) > MAX_WEIGHTS_BYTES:
            raise DataFileError(name, "", f"more than {MAX_WEIGHTS_BYTES:,} characters")
    try:
        return _parse_weights(text, name)
    except csv.Error as error:
        raise DataFileError(name, "", f"not a readable CSV file ({error})") from None


def _parse_weights(text: str, name: str) -> dict[str, Decimal | None]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "key" not in fields or "weight" not in fields:
        raise DataFileError(name, "line 1", "expected a header row with columns 'key' and 'weight'")
    reader.fieldnames = fields
    result: dict[str, Decimal | None] = {}
    for line, row in enumerate(reader, start=2):
        key = (row.get("key") or "").strip()
        if not key:
            raise DataFileError(name, f"line {line}", "the key is empty")
        if key in result:
            raise DataFileError(name, f"line {line}", f"duplicate key {key!r}")
        cell = (row.get("weight") or "").strip()
        try:
            result[key] = to_decimal(cell, f"weight of {key!r}") if cell else None
        except KimError as error:
            raise DataFileError(name, f"line {line}", str(error)) from None
    return result


def unit_weights(
    weights: Mapping[str, object], territory: Territory | None = None
) -> dict[str, object]:
    """Resolve names to unit keys and check that every one of the 54 units has a weight.

    Returns ``{unit key: weight}`` in the registry's order.

    Raises:
        UnknownNameError: a key or name is not a KIM unit (with the closest names).
        AllocationError: a unit has no weight (``missing-weight``) or two entries name
            the same unit (``duplicate-unit``).

    """
    territory = territory or embedded_territory()
    resolved: dict[str, object] = {}
    for name, value in weights.items():
        unit = territory.district(str(name))
        if unit.key in resolved:
            raise AllocationError(
                "duplicate-unit", f"{unit.name} ({unit.key}) has two weights (as {name!r})."
            )
        resolved[unit.key] = value
    missing = [d for d in territory if d.key not in resolved]
    if missing:
        listed = ", ".join(f"{d.name} ({d.key})" for d in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise AllocationError(
            "missing-weight", f"No weight for {len(missing)} unit(s): {listed}{more}."
        )
    return {d.key: resolved[d.key] for d in territory}
