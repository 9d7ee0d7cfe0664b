"""Reading facts files (YAML or JSON) and other user documents into their models.

The reading itself (size limit, nesting, safe YAML, errors with line and key) is
``kim._io.parse_document()``, shared with scenario files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from kim._io import load_document
from kim._io import parse_document as parse_text
from kim._model import KimModel
from kim.facts.model import Facts

__all__ = ["MAX_BYTES", "load_facts", "parse_document", "parse_facts", "read_document"]

_M = TypeVar("_M", bound=KimModel)

MAX_BYTES = 1_000_000
"""The largest facts file the library reads (1 MB), as for scenarios."""


def parse_document(model: type[_M], text: str, file: str) -> _M:
    """Parse YAML or JSON ``text`` into ``model``, strictly, naming file, line and key.

    The same rules as scenario files, with the same reader (``kim._io.parse_document()``):
    at most [`MAX_BYTES`][kim.facts.files.MAX_BYTES], duplicate keys refused, unknown keys
    refused, every error a [`DataFileError`][kim.errors.DataFileError].
    """
    return parse_text(model, text, file, MAX_BYTES)


def read_document(model: type[_M], path: str | Path, what: str = "file") -> _M:
    """Read a YAML or JSON file into ``model``: read bounded, then `parse_document()`."""
    return load_document(model, path, MAX_BYTES, what)


def parse_facts(text: str, file: str = "<facts>") -> Facts:
    """Parse and validate the text of a facts file (YAML or JSON)."""
    return parse_document(Facts, text, file)


def load_facts(path: str | Path) -> Facts:
    """Read a facts file (``.yaml``, ``.yml`` or ``.json``)."""
    return read_document(Facts, path, "facts file")
