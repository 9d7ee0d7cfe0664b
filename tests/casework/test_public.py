"""The public surface of kim.casework: every name documented and in the reference."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import kim.casework
from kim.casework import _DEPRECATED, _LAZY

ROOT = Path(__file__).resolve().parents[2]


def documented_modules() -> set[str]:
    text = (ROOT / "docs" / "reference" / "casework.md").read_text(encoding="utf-8")
    return set(re.findall(r"^::: ([\w.]+)", text, re.M))


def test_every_public_name_resolves_has_a_docstring_and_is_in_the_reference() -> None:
    documented = documented_modules()
    assert set(kim.casework.__all__) == set(_LAZY) - _DEPRECATED
    for name in kim.casework.__all__:
        obj = getattr(kim.casework, name)
        assert _LAZY[name] in documented, name
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name
            assert obj.__module__ == _LAZY[name], name


def test_module_constants_have_attribute_docstrings() -> None:
    # griffe (mkdocstrings) shows the string literal after a constant as its docstring.
    for name in kim.casework.__all__:
        obj = getattr(kim.casework, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            continue
        source = (ROOT / "src" / Path(*_LAZY[name].split("."))).with_suffix(".py")
        lines = source.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if re.match(rf"{name}\b", line))
        block = []
        for line in lines[start + 1 :]:
            if not line.strip():
                break
            block.append(line)
        assert any(line.startswith('"""') for line in block), name


def test_the_pages_are_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Case management: casework.md" in nav
    assert "Case management: reference/casework.md" in nav


def test_the_kim_command_stays_cheap_to_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kim.cli; kim.cli.build_parser(); print('kim.casework.machine' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
