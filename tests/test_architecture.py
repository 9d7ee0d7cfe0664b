"""The picture in docs/architecture.md follows the import-linter contract in pyproject.toml."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
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


def _ignored_builder_imports() -> list[tuple[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pairs = []
    for contract in config["tool"]["importlinter"]["contracts"]:
        for entry in contract.get("ignore_imports", []):
            importer, imported = (part.strip() for part in entry.split("->"))
            if imported.rsplit(".", 1)[-1].startswith("_explain"):
                pairs.append((importer, imported))
    return pairs


def _imports_of(node: ast.AST) -> set[str]:
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.ImportFrom) and child.module:
            found.add(child.module)
        elif isinstance(child, ast.Import):
            found.update(alias.name for alias in child.names)
    return found


def test_results_import_their_explanation_builders_only_inside_explain() -> None:
    # The contracts let a result reach its builder (`Grant.explain()` ->
    # `kim.funding._explain`); the arrow stays one-way only if that import runs inside
    # the method, never when the result's module is loaded.
    pairs = _ignored_builder_imports()
    assert ("kim.funding.model", "kim.funding._explain") in pairs
    assert ("kim.funding.programme", "kim.funding._explain_programme") in pairs
    for importer, imported in pairs:
        path = ROOT / "src" / Path(*importer.split("."))
        source = (
            path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
        )
        tree = ast.parse(source.read_text(encoding="utf-8"))
        module_level = set()
        for statement in tree.body:
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                module_level |= _imports_of(statement)
        functions = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        assert imported not in module_level, f"{importer} imports {imported} at module level"
        assert any(imported in _imports_of(f) for f in functions), (importer, imported)


def _module_map() -> tuple[dict[str, int], str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index("### Module map") : text.index("### The post-kind registry")]
    rows = re.findall(r"^\| `(kim[\w.]*)` \| [^|]+ \| (\d+) \|$", section, re.M)
    over = section[section.index("Over the limit") :]
    return {name: int(lines) for name, lines in rows}, over


def _source(module: str) -> Path:
    path = ROOT / "src" / Path(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_the_module_map_names_existing_modules() -> None:
    rows, _ = _module_map()
    assert "kim.facts.bundle" in rows and "kim.funding._explain_lines" in rows
    for module in rows:
        assert _source(module).is_file(), module


def test_every_module_over_450_lines_is_named_in_the_map() -> None:
    # The rule: no module over about 450 lines unless the map says why.
    _, over = _module_map()
    for path in sorted((ROOT / "src" / "kim").rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 450:
            parts = path.relative_to(ROOT / "src").with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            assert f"`{module}`" in over, f"{module} has {lines} lines"


def test_no_submodule_hides_a_public_name_of_its_package() -> None:
    # Importing ``kim.parameters.coverage`` used to bind that module over the lazy
    # function ``kim.parameters.coverage``: ``kim.coverage(...)`` then failed, depending
    # on what had been imported before. Import every module first, then look.
    code = (
        "import importlib, pkgutil, types, kim\n"
        "names = [m.name for m in pkgutil.walk_packages(kim.__path__, 'kim.')\n"
        "         if not m.name.endswith('__main__')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "hidden = []\n"
        "for name in ['kim', *names]:\n"
        "    module = importlib.import_module(name)\n"
        "    for public in getattr(module, '__all__', ()):\n"
        "        if isinstance(getattr(module, public), types.ModuleType):\n"
        "            hidden.append(f'{name}.{public}')\n"
        "print(hidden)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
