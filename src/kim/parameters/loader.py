"""Load parameter files (YAML) into a [`ParameterSet`][kim.parameters.model.ParameterSet].

A file looks like this (GETTSIM's layout, with a status on every value)::

    component: case_management
    parameters:
      case_management_flat_rate:
        name: {de: ..., en: ...}
        description: {de: ..., en: ...}
        unit: EUR
        reference_period: fte_year
        values:
          2023-01-01:
            value: 57000
            end: 2023-12-31
            status: confirmed
            qualifier: at_most
            sources: [coesfeld-sv-10-0898, bra-kim]
            note: ...

Loading refuses, naming the file and the key: duplicate keys, value dates out of
order or overlapping, a value without a source, a source id the registry does not
know, unknown fields and wrong types.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from kim._data import load_yaml_text
from kim.errors import DataFileError, InputError
from kim.parameters.model import Parameter, ParameterSet, ParameterValue
from kim.sources import SourceRegistry, embedded_sources

__all__ = ["PARAMETER_FILES", "embedded_parameters", "load_parameter_file", "parse_parameters"]

PARAMETER_FILES: tuple[str, ...] = (
    "coordination.yaml",
    "case_management.yaml",
    "authorities.yaml",
    "programme.yaml",
)
"""The parameter files shipped with the library, one per component plus the programme."""


def _value(file: str, pid: str, start: object, body: object) -> ParameterValue:
    key = ["parameters", pid, "values", str(start)]
    if not isinstance(start, date):
        raise DataFileError(file, key, "a value key must be a date written YYYY-MM-DD")
    if not isinstance(body, Mapping):
        raise DataFileError(file, key, "expected a mapping with value, status and sources")
    fields = dict(body)
    sources = fields.get("sources")
    if not sources:
        raise DataFileError(file, key, "the value has no source; name at least one source id")
    if isinstance(sources, str):
        fields["sources"] = (sources,)
    try:
        return ParameterValue(parameter=pid, start=start, **fields)
    except InputError as error:
        raise DataFileError(file, key, str(error)) from None


def parse_parameters(
    raw: object, file: str, registry: SourceRegistry | None = None
) -> list[Parameter]:
    """Validate the parsed content of one parameter file and return its parameters."""
    registry = embedded_sources() if registry is None else registry
    if not isinstance(raw, Mapping) or not isinstance(raw.get("parameters"), Mapping):
        raise DataFileError(file, "", "expected a mapping with a 'parameters' key")
    unknown = set(raw) - {"component", "parameters"}
    if unknown:
        raise DataFileError(file, "", f"unknown top-level keys: {sorted(unknown)}")
    default_component = raw.get("component")
    parameters = []
    for pid, body in raw["parameters"].items():
        if not isinstance(body, Mapping):
            raise DataFileError(file, ["parameters", pid], "expected a mapping of fields")
        fields: dict[str, Any] = dict(body)
        raw_values = fields.pop("values", None)
        if not isinstance(raw_values, Mapping) or not raw_values:
            raise DataFileError(file, ["parameters", pid, "values"], "expected dated values")
        values = [_value(file, str(pid), k, v) for k, v in raw_values.items()]
        for value in values:
            for source in value.sources:
                if source not in registry:
                    key = ["parameters", pid, "values", value.start.isoformat(), "sources"]
                    raise DataFileError(
                        file, key, f"unknown source id {source!r}; add it to sources.yaml"
                    )
        fields.setdefault("component", default_component)
        try:
            parameters.append(Parameter(id=str(pid), values=tuple(values), **fields))
        except InputError as error:
            raise DataFileError(file, ["parameters", pid], str(error)) from None
    return parameters


def load_parameter_file(
    text: str, file: str, registry: SourceRegistry | None = None
) -> list[Parameter]:
    """Parse and validate the YAML ``text`` of a parameter file called ``file``."""
    return parse_parameters(load_yaml_text(text, file), file, registry)


@cache
def embedded_parameters() -> ParameterSet:
    """The parameter set shipped with the library (read and validated once, lazily).

    Examples:
        >>> from datetime import date
        >>> v = embedded_parameters().value("case_management_flat_rate", date(2023, 6, 1))
        >>> v.value, v.status.value, v.sources[0]
        (Decimal('57000'), 'confirmed', 'coesfeld-sv-10-0898')

    """
    folder = resources.files("kim.parameters.data")
    parameters: list[Parameter] = []
    for file in PARAMETER_FILES:
        text = folder.joinpath(file).read_text(encoding="utf-8")
        parameters.extend(load_parameter_file(text, file))
    return ParameterSet(parameters)
