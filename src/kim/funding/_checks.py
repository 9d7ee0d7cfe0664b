"""The texts of the rules a grant checks: line checks and the eligibility decisions."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kim.components import Component
from kim.eligibility import Decision, Reason
from kim.explain import Check, Operation, Step, labels
from kim.funding._steps import number, number_de
from kim.parameters.model import Labels, ParameterValue
from kim.rule_ids import RuleId

__all__ = ["check_text", "decision_step"]


def check_text(reason: Reason, minimum: ParameterValue | None, fte: Decimal | None) -> Labels:
    """German and English text for a rule applied by the funding rules."""
    rule = reason.rule
    if rule == RuleId.MINIMUM_POST_SHARE and fte is not None:
        if minimum is None or reason.held is None:
            return labels(
                "Kein Mindeststellenanteil bekannt; nicht geprüft.",
                "No minimum post share is known; not checked.",
            )
        sign = "≥" if reason.held else "<"
        return labels(
            f"{number_de(fte)} VZÄ {sign} Mindestanteil {number_de(minimum.value)} VZÄ",
            f"{number(fte)} FTE {sign} minimum share {number(minimum.value)} FTE",
        )
    if rule == RuleId.WORKPLACE_COMPONENT:
        return labels(
            "Arbeitsplatzkosten werden nur in Baustein 1 (Koordination, Verwaltungsassistenz) "
            "gefördert.",
            "Workplace set-up is funded in Baustein 1 only (coordination, administrative "
            "assistance).",
        )
    if rule == RuleId.WORKPLACE_POST_FILLED:
        return labels(
            "Die Stelle ist im Förderjahr keinen vollen Monat besetzt.",
            "The post is filled for no whole month of the funding year.",
        )
    return labels(reason.detail, reason.detail)


_DECISION_DE: Mapping[str, str] = {
    RuleId.COMPONENT_STARTED: "Der Baustein lief an diesem Tag.",
    RuleId.LEGAL_BASIS: "Es gab eine Rechtsgrundlage (Richtlinie, Pauschale oder § 9 TIntG).",
    RuleId.APPLICANT: "Antragsberechtigt: eine KIM-Einheit mit Kommunalem Integrationszentrum.",
}


def decision_step(decision: Decision) -> Step:
    """A check step for an eligibility decision the grant rests on."""
    component = decision.component or Component.COORDINATION
    checks = tuple(
        Check.model_construct(
            rule=r.rule,
            held=r.held,
            text=labels(_DECISION_DE.get(r.rule, r.detail) if r.held else r.detail, r.detail),
            sources=r.sources,
        )
        for r in decision.reasons
    )
    outcome_de = {
        "eligible": "förderfähig",
        "not_eligible": "nicht förderfähig",
        "undetermined": "nicht entscheidbar",
    }[decision.outcome.value]
    return Step.model_construct(
        id=f"eligibility-{component.value}",
        title=labels(
            f"Förderfähigkeit für Baustein {component.value} am "
            f"{decision.on.strftime('%d.%m.%Y')}: {outcome_de}",
            f"Eligibility for Baustein {component.value} on {decision.on.isoformat()}: "
            f"{decision.outcome.value.replace('_', ' ')}",
        ),
        operation=Operation.CHECK,
        operands=(),
        result=None,
        unit=None,
        uses=(),
        checks=checks,
        note=labels(
            "Förderfähig heißt: darf gefördert werden; ein Rechtsanspruch besteht nicht.",
            "Eligible means 'may be funded'; there is no legal entitlement.",
        ),
    )
