"""Every rule id the library emits is a member of :class:`kim.rule_ids.RuleId`.

The ids are part of the output contract (like pydantic's error codes): a rule that
names itself by a string outside the enum fails here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kim.components import Component, EmployerKind, PostKind
from kim.eligibility import Forwarding, Supervision, check_forwarding, decide, decide_post
from kim.funding import Post, StaffingPlan, check_budget, grant
from kim.rule_ids import RuleId
from kim.territory import embedded_territory


def _emitted() -> set[str]:
    seen: set[str] = set()
    territory = embedded_territory()
    days = (date(2020, 3, 1), date(2021, 6, 30), date(2023, 12, 31), date(2025, 1, 1))
    for unit in territory.districts():
        for component in Component:
            for day in days:
                d = decide(unit, component, day)
                seen |= {r.rule for r in d.reasons}
    for m in territory.municipalities()[:40]:
        for day in days:
            seen |= {r.rule for r in decide(m, Component.AUTHORITIES, day).reasons}
            seen |= {r.rule for r in decide(m, Component.CASE_MANAGEMENT, day).reasons}
            extra = decide(m, Component.COORDINATION, day, extra_coordination=True)
            seen |= {r.rule for r in extra.reasons}
    for fte in ("0.25", "1"):
        post = decide_post(fte, date(2023, 1, 1), additional=False, funded_elsewhere=True)
        seen |= {r.rule for r in post.reasons}
    record = Forwarding(
        district="05558",
        recipient="Caritas",
        employer=EmployerKind.WELFARE_ORGANISATION,
        fte=Decimal("1.5"),
        supervision=Supervision.EMPLOYER,
    )
    seen |= {r.rule for r in check_forwarding(record, date(2022, 1, 1)).reasons}
    plan = StaffingPlan(
        recipient="05558",
        year=2023,
        posts=(
            Post(kind=PostKind.CASE_MANAGEMENT, fte="0.4"),
            Post(kind=PostKind.CASE_MANAGEMENT, fte=1, actual_cost="50000"),
            Post(kind=PostKind.CASE_MANAGEMENT, fte=1, needs_new_workplace=True),
            Post(kind=PostKind.COORDINATION, fte=1, needs_new_workplace=True),
        ),
    )
    g = grant(plan)
    for line in g.lines:
        seen |= {r.rule for r in line.checks}
        if line.refused is not None:
            seen.add(line.refused.rule)
    earlier = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2022, {"case-management": 1}))
    for explanation in (g.explain(), check_budget([earlier], year=2022).explain()):
        seen |= {c.rule for s in explanation.steps for c in s.checks}
    return seen


def test_every_emitted_rule_id_is_in_the_enum() -> None:
    emitted = _emitted()
    assert emitted - {r.value for r in RuleId} == set()
    # the run reaches most of the enum, so the check above has something to check
    assert len(emitted) >= 10


def test_rule_ids_compare_and_serialise_as_their_text() -> None:
    d = decide("Kreis Coesfeld", Component.CASE_MANAGEMENT, date(2023, 1, 1))
    assert d.reasons[0].rule == RuleId.COMPONENT_STARTED
    assert d.model_dump(mode="json")["reasons"][0]["rule"] == "component_started"
