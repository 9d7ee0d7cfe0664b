"""The promises the project makes about itself: README commands, public names, docs."""

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import kim

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        module = importlib.import_module("readme_command")
    finally:
        sys.path.pop(0)
    found: dict[str, str] = module.commands((ROOT / "README.md").read_text(encoding="utf-8"))
    return found


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = readme_commands()
    assert set(commands) == {"run", "test"}
    assert "python3 -m venv .venv" in commands["run"] and "kim " in commands["run"]
    assert (
        "scripts/check.py" in commands["test"] and ".[test,docs,notebook,api]" in commands["test"]
    )
    assert all("\n" not in c for c in commands.values())


def test_ci_runs_the_readme_commands_unchanged() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command.py run" in ci and "readme_command.py test" in ci
    assert "set -euo pipefail" in ci
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_command.py"), "test"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == readme_commands()["test"]


def test_every_public_name_resolves_and_has_a_docstring() -> None:
    for name in kim.__all__:
        if name == "__version__":
            continue
        obj = getattr(kim, name)
        assert inspect.getdoc(obj), name


def _documented_modules() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    return set(re.findall(r"^::: ([\w.]+)", text, re.M))


def test_every_public_name_appears_in_the_api_reference() -> None:
    documented = _documented_modules()
    for name in kim.__all__:
        if name == "__version__":
            continue
        module = getattr(kim, name).__module__
        assert any(module == d or module.startswith(d + ".") for d in documented), (name, module)


def test_every_public_module_member_has_a_docstring() -> None:
    for module_name in sorted(_documented_modules()):
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            member = getattr(module, name)
            if inspect.isclass(member) or inspect.isfunction(member):
                assert inspect.getdoc(member), f"{module_name}.{name}"


def test_docs_quote_the_readme_commands_exactly() -> None:
    commands = readme_commands()
    for page in ("index.md", "getting-started.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert commands["run"] in text, page
    assert commands["test"] in (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")


def test_ci_tests_the_lowest_declared_versions() -> None:
    """.ci/lowest.txt pins exactly the lower bounds that pyproject.toml declares."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["notebook"]]
    bounds = {}
    for spec in declared:
        found = re.match(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", spec)
        assert found, f"{spec} has no lower bound"
        bounds[found.group(1).lower()] = found.group(2)
    pins = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version
    assert pins == bounds
    assert "lowest.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_one_contract_plain_data_and_json_as_well_as_models() -> None:
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
    from datetime import date

    plan = {"recipient": "Kreis Coesfeld", "year": 2023,
            "posts": [{"kind": "case_management", "fte": "12"}]}  # fmt: skip
    import json

    by_dict = kim.grant(plan)
    by_json = kim.grant(json.dumps(plan))
    by_model = kim.grant(kim.StaffingPlan.model_validate(plan))
    assert by_dict == by_json == by_model and str(by_dict.total.amount) == "684000.00"
    town = {"ags": "05566008", "name": "Emsdetten", "parent": "05566",
            "einbuergerungsbehoerde": {"value": True}}  # fmt: skip
    assert kim.decide(town, 3, date(2023, 1, 1)).eligible
    assert kim.decide(json.dumps(town), 3, date(2023, 1, 1)).eligible
    for name in ("report", "sweep", "run_statewide", "read_jsonl_file", "check_cases", "schema"):
        assert callable(getattr(kim, name)), name
    assert isinstance(kim.decide("Kamen", 3, date(2023, 1, 1)).explain(), kim.Explanation)
