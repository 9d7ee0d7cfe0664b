"""The stored report: ``kim report`` on the embedded data, computed when the release is made.

``kim report`` without supplied values, year or plot always prints the same text for a
given copy of kim: the statewide run is a pure function of kim's code and its embedded
data. `scripts/snapshot.py` computes that run once and stores what the command prints
(the JSON and CSV texts, and the rows and paragraphs of the text table in both languages)
in ``kim/data/report_snapshot.json``, together with a key: a hash of every file of
the ``kim`` package but the snapshot itself (BLAKE2b, 32 bytes).

At run time `stored_report()` hashes the package again (a few milliseconds) and returns
the stored report only when the key matches, so any change to any module or data file,
in a checkout or an installed copy, sends ``kim report`` back to computing. The command
then needs neither pydantic nor PyYAML. ``kim report --recompute`` always computes, and a
test holds the stored texts equal to computed ones in every language and format.
"""

from __future__ import annotations

import json
import os
from typing import Any

try:  # hashlib's own module for BLAKE2: without OpenSSL's, which hashlib loads (~8 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons without the C module
    from hashlib import blake2b

__all__ = ["FORMAT", "SNAPSHOT", "package_folder", "package_key", "stored_report"]

FORMAT = 1
"""The layout of the snapshot file; a file of another layout is not used."""
SNAPSHOT = "data/report_snapshot.json"
"""The snapshot's path inside the ``kim`` package."""
_SKIP_DIRS = frozenset({"__pycache__"})


def package_folder() -> str:
    """The folder of the ``kim`` package this module was loaded from."""
    # os.path, not pathlib: the stored report's path loads as few modules as it can.
    return os.path.dirname(os.path.realpath(__file__))


def package_key(package: str | os.PathLike[str] | None = None) -> str | None:
    """The BLAKE2b hash (32 bytes) of every file of the ``kim`` package but the snapshot.

    Files are taken in the order of their path relative to the package (``/`` as the
    separator), each hashed with its path and size, so a renamed, added or removed file
    changes the key as much as an edited one. ``__pycache__`` folders are left out.

    Returns:
        The key as 64 hex digits, or None when the package is not a folder of files (for
        example inside a zip archive) or a file of it cannot be read.

    Args:
        package: the package folder; by default the one this module was loaded from.

    """
    root = package_folder() if package is None else os.fspath(package)
    if not os.path.isdir(root):
        return None
    files: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for name in names:
            path = os.path.join(folder, name)
            files.append((os.path.relpath(path, root).replace(os.sep, "/"), path))
    digest = blake2b(f"kim-report-snapshot {FORMAT}\n".encode(), digest_size=32)
    for relative, path in sorted(files):
        if relative == SNAPSHOT:
            continue
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError:  # unreadable, or a link to nowhere: no key, so no stored report
            return None
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def stored_report(package: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The stored report when it was made from exactly this package, else None.

    None as well when the snapshot is missing, unreadable or of another layout: the caller
    computes the run instead, which is always correct, only slower.

    Args:
        package: the package folder; by default the one this module was loaded from.

    """
    root = package_folder() if package is None else os.fspath(package)
    try:
        with open(os.path.join(root, SNAPSHOT), encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return None
    if not _complete(stored):
        return None
    key = stored.get("key")
    if not isinstance(key, str) or key != package_key(root):
        return None
    return stored


def _complete(stored: dict[str, Any]) -> bool:
    """Whether the stored report has every text ``kim report`` may ask for."""
    if not all(isinstance(stored.get(fmt), list) for fmt in ("csv", "json")):
        return False
    tables = stored.get("table")
    for lang in ("de", "en"):
        docs = tables.get(lang) if isinstance(tables, dict) else None
        for width in ("compact", "wide"):
            doc = docs.get(width) if isinstance(docs, dict) else None
            if not isinstance(doc, dict) or not doc.keys() >= _DOCUMENT:
                return False
    return True


_DOCUMENT = frozenset({"lang", "header", "legend", "columns", "rows", "prose", "tail"})
