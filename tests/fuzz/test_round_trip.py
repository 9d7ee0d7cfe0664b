"""Every public model survives a JSON round trip and gives the same JSON however it was built.

The models are enumerated programmatically (every subclass of ``kim._model.KimModel``
in every ``kim`` module), so a new model is covered as soon as it exists: it must turn
up inside one of the sample results below, or be listed in ``NOT_SAMPLED`` with the
reason. For each model instance found:

* ``model_validate_json(model_dump_json())`` equals the original, hashes alike where the
  model is hashable, and gives the same JSON text back;
* building it again with the constructor, with ``model_validate`` of its Python dump and
  with ``kim._model.construct`` gives the same JSON text.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import kim
from kim import Grant, MissingValueError, StaffingPlan, grant
from kim._model import KimModel, construct
from kim.errors import KimError
from kim.funding import Post

NOT_SAMPLED = {
    # Abstract bases: never built on their own; every concrete subclass is sampled.
    "kim.casework.events.Event",
    "kim.casework.records.CaseRecord",
    # No sample built yet (follow-up: build one from the owning package's API).
    "kim.allocation.authorities.AuthorityShare",
    "kim.allocation.observed.Comparison",
    "kim.allocation.observed.ObservedPosts",
    "kim.allocation.observed.Residual",
    "kim.allocation.passing_on.PassOn",
    "kim.allocation.result.Allocation",
    "kim.allocation.result.AllocationRow",
    "kim.cases.CaseFile",
    "kim.cases.CasePost",
    "kim.cases.CaseResult",
    "kim.cases.CheckReport",
    "kim.cases.Difference",
    "kim.cases.EligibilityQuestion",
    "kim.cases.Expectation",
    "kim.cases.FiguresCase",
    "kim.cases.LineExpectation",
    "kim.casework.admission.LegalBasis",
    "kim.casework.target_group.TargetGroupResult",
    "kim.casework.target_group.TargetGroupRule",
    "kim.components.ComponentStart",
    "kim.components.PostKindEntry",
    "kim.dated.RuleVariant",
    "kim.eligibility.Forwarding",
    "kim.estimates.Interval",
    "kim.estimates.LeaveOneOut",
    "kim.estimates.LooRow",
    "kim.estimates.Share",
    "kim.estimates.StaffingModel",
    "kim.facts.model.Facts",
    "kim.facts.model.MunicipalityFacts",
    "kim.facts.model.SuppliedFact",
    "kim.facts.bundle.SuppliedRow",
    "kim.facts.model.UnitFacts",
    "kim.funding.indexation.IndexChange",
    "kim.funding.indexation.IndexationYear",
    "kim.funding.indexation.IndexedMinimum",
    "kim.funding.indexation.TableIncrease",
    "kim.funding.indexation.TvlRecord",
    "kim.funding.model.PassedOn",
    "kim.funding.programme.BudgetCheck",
    "kim.parameters.model.Parameter",
    "kim.scenarios.comparison.RunComparison",
    "kim.scenarios.engine.PricedLine",
    "kim.scenarios.engine.UnitPlan",
    "kim.scenarios.estimates.StaffingEstimate",
    "kim.scenarios.model.AllocationChoice",
    "kim.scenarios.model.Conflict",
    "kim.scenarios.model.ParameterChange",
    "kim.scenarios.model.Scenario",
    "kim.scenarios.sweep_rows.SweepResult",
    "kim.scenarios.sweep_rows.SweepRow",
    "kim.situation.MissingFact",
    "kim.territory.authorities.Authority",
    "kim.territory.authorities.MunicipalRecipient",
    "kim.territory.authorities.RecipientAuthority",
    "kim.territory.authorities.AuthorityRegistry",
}
"""Models the test does not reach yet, each with its reason (keep this list short)."""

KINDS = ["coordination", "case_management", "auslaenderbehoerde", "einbuergerungsbehoerde"]


def all_models() -> set[type[KimModel]]:
    """Every subclass of KimModel defined in a kim module."""
    for info in pkgutil.walk_packages(kim.__path__, "kim."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: set[type[KimModel]] = set()
    todo = [KimModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return {m for m in found if m.__module__.startswith("kim.")}


def nested(value: Any) -> Iterator[KimModel]:
    """Every KimModel inside ``value`` (itself included), depth first."""
    if isinstance(value, KimModel):
        yield value
        for name in type(value).model_fields:
            yield from nested(getattr(value, name))
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from nested(item)
    elif hasattr(value, "values") and hasattr(value, "keys"):
        for item in value.values():
            yield from nested(item)


def samples() -> list[Any]:
    """Results of the public API that hold (nearly) every kind of model."""
    from kim import (
        coverage,
        decide,
        embedded_parameters,
        embedded_sources,
        embedded_territory,
        run_statewide,
        year_share,
    )
    from kim.casework import (
        EVENT_TYPES,
        AdmissionFacts,
        LocalPolicy,
        PersonFacts,
        Phase,
        apply,
        case_statistics,
        decide_admission,
        due_actions,
        dump_jsonl,
        read_jsonl,
        replay_log,
    )
    from kim.periods import DateRange
    from tests.casework.builders import case_in, events_to, valid_event

    out: list[Any] = []
    plan = StaffingPlan(
        recipient="Kreis Soest", year=2023, posts=(Post(kind="case_management", fte="2.5"),)
    )
    result = grant(plan)
    out += [plan, result, result.explain()]
    out.append(decide("Kreis Coesfeld", "case_management", date(2023, 1, 1)))
    territory = embedded_territory()
    out += list(territory.districts()[:3])
    params = embedded_parameters()
    out.append(params.value("case_management_flat_rate", date(2023, 1, 1)))
    sources = embedded_sources()
    out += [sources.get_source(i) for i in list(sources)[:3]]
    out.append(territory.municipalities()[0])
    out.append(coverage(years=[2023]))
    period = DateRange(start=date(2023, 3, 1), end=date(2023, 12, 31))
    out += [period, year_share(period, 2023)]
    facts = AdmissionFacts(target_group=PersonFacts(), insufficient_access=True, age=30)
    policy = LocalPolicy(review_every_weeks=4, contact_loss_weeks=8)
    out += [facts, policy, decide_admission(facts, policy, date(2024, 1, 1))]
    monitoring = case_in(Phase.MONITORING, "K-7777")
    day = monitoring.last_event_on
    for kind in EVENT_TYPES:
        if kind == "referred":
            continue
        event = valid_event(kind, monitoring, day)
        out.append(event)
        with contextlib.suppress(KimError):
            out.append(apply(monitoring, event))
    out.append(read_jsonl(["{}"], strict=False))
    cases = [case_in(phase, f"K-{i:04d}") for i, phase in enumerate(Phase)]
    out += cases
    parsed = read_jsonl(dump_jsonl(e for p in Phase for e in events_to(p, f"K-9{p.value[:2]}1")))
    out += [parsed, replay_log(parsed.events, lines=parsed.lines)]
    out.append(case_statistics(cases, 2024, threshold=1))
    out += list(due_actions(cases, date(2024, 9, 1), LocalPolicy(review_every_weeks=4)))
    with contextlib.suppress(MissingValueError):
        out.append(run_statewide(2023))
    return out


def instances() -> dict[type[KimModel], KimModel]:
    """For each model, the sample instance with the longest JSON (the most fields filled)."""
    richest: dict[type[KimModel], tuple[int, KimModel]] = {}
    for sample in samples():
        for model in nested(sample):
            size = len(model.model_dump_json())
            if size > richest.get(type(model), (-1, model))[0]:
                richest[type(model)] = (size, model)
    return {cls: model for cls, (_, model) in richest.items()}


INSTANCES = instances()


def test_every_model_has_a_sample() -> None:
    names = {f"{m.__module__}.{m.__name__}" for m in all_models()}
    sampled = {f"{m.__module__}.{m.__name__}" for m in INSTANCES}
    assert sorted(names - sampled - NOT_SAMPLED) == []  # a new model needs a sample
    assert sorted(NOT_SAMPLED & sampled) == []  # a sampled model leaves the list


@pytest.mark.parametrize(
    "model",
    [pytest.param(m, id=m.__name__)
     for m in sorted(INSTANCES, key=lambda m: (m.__module__, m.__name__))],
)  # fmt: skip
def test_round_trip_and_stable_json(model: type[KimModel]) -> None:
    original = INSTANCES[model]
    text = original.model_dump_json()
    back = model.model_validate_json(text)
    assert back == original
    assert back.model_dump_json() == text
    for built in (
        model(**original.model_dump()),
        model.model_validate(original.model_dump()),
        construct(model, dict(original)),
    ):
        assert built.model_dump_json() == text


@settings(max_examples=25, derandomize=True, deadline=None, database=None)
@given(
    year=st.sampled_from([2020, 2021, 2022, 2023]),
    kind=st.sampled_from(KINDS),
    halves=st.integers(min_value=1, max_value=8),
)
def test_a_grant_survives_a_json_round_trip(year: int, kind: str, halves: int) -> None:
    plan = StaffingPlan(
        recipient="Kreis Soest", year=year, posts=(Post(kind=kind, fte=f"{halves / 2}"),)
    )
    try:
        original = grant(plan)
    except MissingValueError:
        reject()  # no rate is known for that kind and year
    text = original.model_dump_json()
    back = Grant.model_validate_json(text)
    assert back == original
    assert back.model_dump_json() == text
    assert hash(back) == hash(original)


MUTABLE_ELSEWHERE = {
    # Mapping fields in modules other helpers own this round (follow-up: FrozenMap).
    "kim.casework.target_group.TargetGroupResult.criteria",
    "kim.estimates.StaffingModel.coefficients",
    "kim.facts.model.Facts.municipalities",
    "kim.facts.model.Facts.units",
    "kim.parameters.coverage.CoverageRow.years",
    "kim.scenarios.estimates.StaffingEstimate.staffing",
    "kim.scenarios.model.Scenario.staffing",
    "kim.facts.model.UnitFacts.posts",
    "kim.scenarios.comparison.RunComparison.rows",
    "kim.territory.authorities.MunicipalRecipient.half_posts",
    "kim.scenarios.engine.UnitPlan.eligibility",
    "kim.scenarios.engine.UnitPlan.staffing",
    "kim.scenarios.figures.ComponentFigure.staffing",
    "kim.scenarios.results.StatewideRun.breakdown",
    "kim.scenarios.results.StatewideRun.coverage",
    "kim.scenarios.results.StatewideRun.totals",
    "kim.scenarios.results.UnitResult.components",
    "kim.scenarios.sweep_rows.SweepRow.totals",
}
"""Frozen models that still hold a dict (known, listed so that no new one appears)."""


def mutable(annotation: Any) -> bool:
    """Whether a field annotation is or contains a dict, list or set."""
    import typing

    origin = typing.get_origin(annotation)
    if annotation in (dict, list, set) or origin in (dict, list, set):
        return True
    return any(mutable(arg) for arg in typing.get_args(annotation))


def test_frozen_models_hold_no_mutable_containers() -> None:
    found = {
        f"{m.__module__}.{m.__name__}.{name}"
        for m in all_models()
        for name, field in m.model_fields.items()
        if m.model_config.get("frozen") and mutable(field.annotation)
    }
    assert sorted(found - MUTABLE_ELSEWHERE) == []
