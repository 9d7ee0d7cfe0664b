"""Receipts: what a figure was computed with, so it can be reproduced later.

A [`Receipt`][kim.receipt.Receipt] names the library version, a content hash of the data embedded in
the package (parameters, units, municipalities, sources, observed posts) and a hash
of the inputs. Two results with equal receipts were computed from the same inputs on
the same data; a changed data hash says the embedded data changed in between.

Examples:
    >>> r = receipt({"recipient": "05558", "year": 2023})
    >>> r.library_version == __import__("kim").__version__, len(r.data_hash), len(r.inputs_hash)
    (True, 71, 71)
    >>> receipt({"year": 2023, "recipient": "05558"}).inputs_hash == r.inputs_hash
    True

"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import Field

from kim._model import KimModel
from kim._version import __version__

__all__ = ["DATA_SUFFIXES", "Receipt", "data_hash", "inputs_hash", "receipt"]

DATA_SUFFIXES = (".yaml", ".yml", ".csv", ".json")
"""The files counted as embedded data (inside the package's ``data`` folders)."""


class Receipt(KimModel):
    """The library version, the embedded data's hash and the inputs' hash of a result."""

    library_version: str = Field(description="kim-nrw version used.")
    data_hash: str = Field(description="sha256 of the embedded data files, 'sha256:...'.")
    inputs_hash: str = Field(description="sha256 of the inputs as canonical JSON.")


def _data_files(root: Traversable, path: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in root.iterdir():
        name = f"{path}/{entry.name}" if path else entry.name
        if entry.is_dir():
            if entry.name != "__pycache__":
                found += _data_files(entry, name)
        elif "data" in name.split("/")[:-1] and name.endswith(DATA_SUFFIXES):
            found.append((name, entry))
    return found


@cache
def data_hash() -> str:
    """The sha256 of every embedded data file (path and content), as ``sha256:<hex>``."""
    digest = hashlib.sha256()
    for name, entry in sorted(_data_files(resources.files("kim")), key=lambda p: p[0]):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(entry.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


def inputs_hash(inputs: Any) -> str:
    """The sha256 of ``inputs`` (JSON types) as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(
        inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def receipt(inputs: Any) -> Receipt:
    """The receipt of a result computed from ``inputs`` (JSON types) on the embedded data."""
    return Receipt(
        library_version=__version__, data_hash=data_hash(), inputs_hash=inputs_hash(inputs)
    )
