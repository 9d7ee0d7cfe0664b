"""The post-kind registry agrees with the enums, the parameter files and every derived table.

In the style of the ``holidays`` registry test (``vacanza/holidays``,
``tests/test_registry.py``): a kind of post missing from one table fails here, not as a
``KeyError`` at run time.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from kim import components
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet, ReferencePeriod

ROOT = Path(__file__).resolve().parent.parent


def registry_problems(module: ModuleType | SimpleNamespace, parameters: ParameterSet) -> list[str]:
    """Every disagreement between the registry, the enums and the parameter files."""
    problems: list[str] = []
    registry = module.POST_KINDS
    kinds = list(module.PostKind)
    if list(registry) != kinds:
        problems.append(f"registry rows {list(registry)} are not the enum members {kinds}")
    shares: Counter[object] = Counter()
    for kind, entry in registry.items():
        if entry.kind is not kind:
            problems.append(f"row {kind} holds kind {entry.kind}")
        shares[entry.component] += entry.estimate_share
        names = [entry.rate_parameter, *(entry.quota_parameters or ())]
        for name in names:
            if name not in parameters:
                problems.append(f"{kind}: parameter {name} is in no parameter file")
            elif parameters[name].component != entry.component.key:
                problems.append(
                    f"{kind}: {name} belongs to {parameters[name].component}, "
                    f"not {entry.component.key}"
                )
        if entry.rate_parameter in parameters:
            period = parameters[entry.rate_parameter].reference_period
            if period not in (ReferencePeriod.FTE_YEAR, ReferencePeriod.HALF_FTE_YEAR):
                problems.append(f"{kind}: {entry.rate_parameter} is given {period.value}")
    for component in module.Component:
        if shares[component] != 1:
            problems.append(f"estimate shares of {component.key} add up to {shares[component]}")
    folded = Counter(
        module._fold(name) for e in registry.values() for name in (e.kind.value, *e.aliases)
    )
    problems += [f"alias {name!r} names more than one kind" for name, n in folded.items() if n > 1]
    return problems


def test_registry_enums_and_parameter_files_agree() -> None:
    assert registry_problems(components, embedded_parameters()) == []


def test_the_registry_check_finds_a_missing_parameter() -> None:
    params = embedded_parameters()
    row = components.POST_KINDS[components.PostKind.CASE_MANAGEMENT]
    wrong = row.model_copy(update={"rate_parameter": "case_managment_flat_rate"})

    patched = SimpleNamespace(
        POST_KINDS={**components.POST_KINDS, components.PostKind.CASE_MANAGEMENT: wrong},
        PostKind=components.PostKind,
        Component=components.Component,
        _fold=components._fold,
    )
    problems = registry_problems(patched, params)
    assert problems == [
        "case_management: parameter case_managment_flat_rate is in no parameter file"
    ]


def test_every_derived_table_follows_the_registry() -> None:
    from kim.funding.model import kind_labels
    from kim.funding.rules import RATE_PARAMETERS

    sweep = importlib.import_module("kim.scenarios.sweep_pricing")
    registry = components.POST_KINDS
    assert {k: e.rate_parameter for k, e in registry.items()} == RATE_PARAMETERS
    assert {e.rate_parameter for e in registry.values()} <= sweep.FAST_PARAMETERS
    for kind, entry in registry.items():
        assert kind.component is entry.component
        assert (
            kind_labels(kind)
            == (entry.label_de, entry.label_en)
            == (
                kind.label_de,
                kind.label_en,
            )
        )


@pytest.mark.parametrize("kind", list(components.PostKind))
def test_every_name_of_a_kind_is_read_back(kind: components.PostKind) -> None:
    entry = kind.entry
    for name in (kind.value, kind.cli_name, kind.value.upper(), entry.label_de, *entry.aliases):
        assert components.parse_post_kind(name) is kind


def test_case_management_is_read_with_a_hyphen_in_json_and_scenarios() -> None:
    from kim.errors import InputError
    from kim.funding import Post, StaffingPlan
    from kim.scenarios import Scenario

    post = Post.model_validate_json('{"kind": "case-management", "fte": 2}')
    assert post.kind is components.PostKind.CASE_MANAGEMENT
    plan = StaffingPlan.model_validate(
        {"recipient": "05558", "year": 2023, "posts": [{"kind": "ABH", "fte": "0.5"}]}
    )
    assert plan.posts[0].kind is components.PostKind.AUSLAENDERBEHOERDE
    scenario = Scenario.model_validate(
        {"name": "s", "staffing": {"05558": {"case-management": 12, "coordination": "3.5"}}}
    )
    assert scenario.staffing["05558"] == {
        components.PostKind.CASE_MANAGEMENT: Decimal(12),
        components.PostKind.COORDINATION: Decimal("3.5"),
    }
    with pytest.raises(InputError, match="given twice"):
        Scenario.model_validate(
            {"name": "s", "staffing": {"05558": {"case-management": 1, "case_management": 2}}}
        )


def test_an_unknown_kind_still_fails_with_the_enum_message() -> None:
    from kim.errors import InputError
    from kim.funding import Post

    with pytest.raises(InputError, match="kind"):
        Post.model_validate({"kind": "nurse", "fte": 1})


def test_the_estimate_split_follows_the_shares() -> None:
    split = components.split_estimate(components.Component.AUTHORITIES, Decimal(4))
    assert split == {
        components.PostKind.AUSLAENDERBEHOERDE: Decimal(2),
        components.PostKind.EINBUERGERUNGSBEHOERDE: Decimal(2),
    }
    coordination = components.split_estimate(components.Component.COORDINATION, Decimal("3.5"))
    assert coordination == {components.PostKind.COORDINATION: Decimal("3.5")}


# -- a sixth kind of post: only the registry and one data file change -------------------

_SIXTH_MEMBER = '''
    TEAM_LEAD = "team_lead"
    """A hypothetical sixth kind, added by tests/test_registry.py only."""
'''

_SIXTH_ROW = """
            PostKindEntry(
                kind=PostKind.TEAM_LEAD,
                component=Component.CASE_MANAGEMENT,
                label_de="Teamleitung",
                label_en="team lead",
                aliases=("teamleitung",),
                rate_parameter="team_lead_flat_rate",
                workplace=False,
                estimate_share=Decimal(0),
            ),
"""

_SIXTH_PARAMETER = """
  team_lead_flat_rate:
    name:
      de: Pauschale je Teamleitung (Test)
      en: Flat rate per team lead (test)
    description:
      de: Ein erfundener Parameter, nur fuer den Registertest.
      en: An invented parameter, for the registry test only.
    unit: EUR
    reference_period: fte_year
    values:
      2023-01-01:
        value: 61000
        status: supplied
        sources: [coesfeld-sv-10-0898]
        note: Invented for the registry test.
"""

_SIXTH_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
import kim
from kim import components
from kim.funding import StaffingPlan, grant, parse_post_kind
from kim.parameters.loader import embedded_parameters
from test_registry import registry_problems

assert kim.__file__.startswith(sys.argv[2]), kim.__file__
import contextlib, io
from kim.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["grant", "--district", "Kreis Coesfeld", "--year", "2023",
                 "--post", "Teamleitung=1", "--format", "json"])
g = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"team-lead": 2, "case-management": 1}))
print(json.dumps({
    "problems": registry_problems(components, embedded_parameters()),
    "parsed": parse_post_kind("Teamleitung").value,
    "lines": [[l.post_kind.value, str(l.amount.amount), l.description.en] for l in g.lines],
    "component": [str(t.amount.amount) for t in g.components],
    "cli": [code, json.loads(out.getvalue())["total"]],
}))
"""


def test_a_sixth_kind_of_post_touches_only_the_registry_and_one_data_file(
    tmp_path: Path,
) -> None:
    package = tmp_path / "kim"
    shutil.copytree(ROOT / "src" / "kim", package, ignore=shutil.ignore_patterns("__pycache__"))
    registry = package / "components.py"
    text = registry.read_text(encoding="utf-8")
    member_at = text.index("\n    @property\n    def entry(self)")
    text = text[:member_at] + _SIXTH_MEMBER + text[member_at:]
    row_at = text.index("        )\n    }\n)\n")
    text = text[:row_at] + textwrap.indent(textwrap.dedent(_SIXTH_ROW), " " * 12) + text[row_at:]
    registry.write_text(text, encoding="utf-8")
    data = package / "parameters" / "data" / "case_management.yaml"
    data.write_text(data.read_text(encoding="utf-8") + _SIXTH_PARAMETER, encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _SIXTH_RUN, str(ROOT / "tests"), str(package)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["problems"] == []
    assert result["parsed"] == "team_lead"
    assert result["lines"] == [
        ["team_lead", "122000.00", "Post 1: team lead, 2 FTE (Baustein 2)"],
        ["case_management", "57000.00", "Post 2: case management, 1 FTE (Baustein 2)"],
    ]
    assert result["component"] == ["179000.00"]
    assert result["cli"] == [0, "61000.00"]
