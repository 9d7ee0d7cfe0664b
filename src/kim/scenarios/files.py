"""Reading and writing scenario files (YAML or JSON): safe, size-limited, precise errors.

Errors name the file, the line and the key. JSON is read with the same safe YAML
parser (JSON is YAML), which keeps line numbers for every key; a file over
[`MAX_BYTES`][kim.scenarios.files.MAX_BYTES] is refused before it is parsed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kim._io import parse_document, read_text, write_atomic
from kim.errors import DataFileError
from kim.scenarios.model import Scenario

__all__ = ["MAX_BYTES", "dump_scenario", "load_scenario", "parse_scenario", "save_scenario"]

MAX_BYTES = 1_000_000
"""The largest scenario file the library reads (1 MB)."""


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    r"""Parse and validate the text of a scenario file.

    ```pycon
    >>> s = parse_scenario('name: x\nparameters:\n  - {parameter: kim_budget, start: 2024-01-01,'
    ...                    ' end: 2024-12-31, value: 70000000, unit: EUR}\n')
    >>> s.parameters[0].value
    Decimal('70000000')

    ```
    """
    return parse_document(Scenario, text, file, MAX_BYTES)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a ``.yaml``, ``.yml`` or ``.json`` file.

    The file is read up to [`MAX_BYTES`][kim.scenarios.files.MAX_BYTES] (counted while reading),
    must be UTF-8, and its lines, nesting and numbers are limited as described in ``kim._io``.
    """
    text = read_text(path, MAX_BYTES, "scenario")
    return parse_scenario(text, str(path))


def dump_scenario(scenario: Scenario, fmt: str = "yaml") -> str:
    """The scenario as YAML or JSON text; `parse_scenario()` reads it back unchanged."""
    data: Any = scenario.to_data()
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    raise DataFileError("<output>", "", f"unknown format {fmt!r}; use 'yaml' or 'json'")


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario to ``path``; the suffix (``.json`` or ``.yaml``) picks the format.

    The file is written whole or not at all (a temporary file renamed into place).
    """
    file = Path(path)
    fmt = "json" if file.suffix == ".json" else "yaml"
    write_atomic(file, dump_scenario(scenario, fmt), "scenario")
