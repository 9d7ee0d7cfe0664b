"""The explanation of an eligibility decision, in the model grants use.

One ``check`` step per rule, the outcome last, the missing facts as notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim.explain import Check, Explanation, InputItem, Operation, Step, labels, source_refs

if TYPE_CHECKING:  # pragma: no cover
    from kim.eligibility import Decision

__all__ = ["decision_explanation"]

_RULES_DE = {
    "component_started": "Der Baustein muss am gefragten Tag begonnen haben.",
    "legal_basis": "Die am Tag geltende Rechtsgrundlage.",
    "applicant": "Antragsberechtigt sind Kreise und kreisfreie Städte mit einem KI.",
    "extra_coordination": (
        "Eine zusätzliche Koordinierungsstelle nur mit eigener Ausländerbehörde, eigenem "
        "Jugendamt und Integrationsrat oder -ausschuss."
    ),
    "own_authority": "Baustein 3 fördert auch Gemeinden mit eigener ABH und/oder EBH.",
    "forwarding": "Case-Management-Stellen dürfen über den Kreis bei Gemeinden liegen.",
    "minimum_post_share": "Förderfähig sind nur Stellenanteile ab dem Mindestanteil.",
    "additional": "Geförderte Stellen müssen zusätzlich sein.",
    "no_double_funding": "Keine Doppelförderung durch EU, Bund, Land oder Dritte.",
}
_OUTCOME = {
    "eligible": ("förderfähig", "eligible"),
    "not_eligible": ("nicht förderfähig", "not eligible"),
    "undetermined": ("offen (Angaben fehlen)", "undetermined (facts missing)"),
}
_HELD_DE = {True: "erfüllt", False: "nicht erfüllt", None: "nicht prüfbar"}


def decision_explanation(decision: Decision) -> Explanation:
    """The decision as an [`Explanation`][kim.explain.model.Explanation] (German and English)."""
    from kim.situation import missing_facts

    what_en = f"Baustein {decision.component.value}" if decision.component else "post"
    what_de = f"Baustein {decision.component.value}" if decision.component else "Stelle"
    steps = []
    for i, r in enumerate(decision.reasons, 1):
        de = _RULES_DE.get(r.rule, r.description)
        steps.append(
            Step(
                id=f"rule-{i}-{r.rule.replace('_', '-')}",
                title=labels(de, r.description),
                operation=Operation.CHECK,
                checks=(
                    Check(
                        rule=r.rule,
                        held=r.held,
                        text=labels(f"{_HELD_DE[r.held]}: {r.detail}", r.detail),
                        sources=r.sources,
                    ),
                ),
            )
        )
    out_de, out_en = _OUTCOME[decision.outcome.value]
    steps.append(
        Step(
            id="outcome",
            title=labels(f"Ergebnis: {out_de}", f"Outcome: {out_en}"),
            operation=Operation.CHECK,
            note=labels(
                "Förderfähig heißt: darf gefördert werden; ein Rechtsanspruch besteht nicht.",
                decision.note,
            ),
        )
    )
    notes = [
        labels(f"Fehlende Angabe ({f.key}): {f.question.de}", f"Missing ({f.key}): {f.question.en}")
        for f in missing_facts(decision)
    ]
    ids = [s for r in decision.reasons for s in r.sources] + list(decision.note_sources)
    return Explanation(
        kind="eligibility",
        subject=decision.subject,
        title=labels(
            f"Förderfähigkeit von {decision.subject}, {what_de}, am {decision.on.isoformat()}: "
            f"{out_de}",
            f"Eligibility of {decision.subject}, {what_en}, on {decision.on.isoformat()}: {out_en}",
        ),
        inputs=(
            InputItem(
                label=labels("Gegenstand", "Subject"),
                value=labels(decision.subject, decision.subject),
            ),
            InputItem(
                label=labels("Gegenstand der Frage", "Asked about"), value=labels(what_de, what_en)
            ),
            InputItem(
                label=labels("Tag", "Date"),
                value=labels(decision.on.isoformat(), decision.on.isoformat()),
            ),
        ),
        steps=tuple(steps),
        result="outcome",
        notes=tuple(notes),
        sources=source_refs(ids),
    )
