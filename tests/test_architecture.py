"""The picture in docs/architecture.md follows the import-linter contract in pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    main = next(c for c in contracts if c["name"].startswith("Layers:"))
    return [re.split(r"\s*[|:]\s*", layer) for layer in main["layers"]]


def test_the_architecture_picture_shows_the_contract_layers_in_order() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = text[text.index("```text") : text.index("```", text.index("```text") + 7)]
    rows = [line for line in picture.splitlines() if "kim" in line]
    position: dict[str, int] = {}
    for n, row in enumerate(rows):
        for name in re.findall(r"kim(?:\.\w+)?", row):
            position.setdefault(name, n)
    order = [max(position[m] for m in layer) for layer in _layers()]
    assert all(m in position for layer in _layers() for m in layer)
    assert order == sorted(order) and len(set(order)) == len(order)
