"""Eligibility decisions: may this entity receive funding for this component on this date.

Every decision is three-valued (``eligible``, ``not_eligible``, ``undetermined``) and
lists its **reasons**, each naming the rule, whether it held, and its legal source, plus
the **facts still missing** when the answer is undetermined. A rule that failed decides
``not_eligible``; otherwise a rule that could not be checked decides ``undetermined``.

*Eligible* means "may be funded". The guidelines grant no entitlement: the Bezirksregierung
decides within the available budget (RL 2024 Nr. 1.3; RL 2020 Nr. 1.2). Every decision
says so.

Examples:
    >>> from datetime import date
    >>> from kim.eligibility import decide
    >>> d = decide("Kreis Coesfeld", 2, date(2023, 1, 1))
    >>> d.outcome.value, [r.rule for r in d.reasons]
    ('eligible', ['component_started', 'legal_basis', 'applicant'])
    >>> decide("Kreis Coesfeld", 2, date(2020, 6, 30)).reasons[0].detail
    'Baustein 2 started on 2020-07-01; 2020-06-30 is before.'

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import Field

from kim._check import expect, expect_day
from kim._eligibility_rules import (
    RuleResult,
    Unlisted,
    applicant_rule,
    basis_rule,
    clearly_municipal,
    forwarding_target,
    lookup_entity,
    minimum_share,
    municipality_rules,
    start_rule,
    unlisted_municipality_rules,
)
from kim._inputs import as_model, looks_like_json
from kim._model import KimModel
from kim._numbers import to_decimal
from kim.components import Component, EmployerKind
from kim.dated import rule_variant
from kim.errors import InputError
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.rule_ids import RuleId
from kim.territory.model import District, Municipality
from kim.territory.registry import Territory, embedded_territory

if TYPE_CHECKING:  # pragma: no cover
    from kim.explain import Explanation
    from kim.situation import MissingFact

__all__ = [
    "NO_ENTITLEMENT",
    "Decision",
    "Forwarding",
    "Outcome",
    "Reason",
    "Supervision",
    "check_forwarding",
    "clearly_municipal",
    "decide",
    "decide_post",
    "forwarding_target_reason",
    "minimum_share_reason",
]

NO_ENTITLEMENT = (
    "Eligible means 'may be funded'. There is no legal entitlement: the Bezirksregierung "
    "Arnsberg decides within the available budget."
)
"""The note every decision carries (RL 2024 Nr. 1.3; RL 2020 Nr. 1.2)."""


class Outcome(StrEnum):
    """The answer of a decision."""

    ELIGIBLE = "eligible"
    """May be funded (no entitlement)."""
    NOT_ELIGIBLE = "not_eligible"
    """A rule failed."""
    UNDETERMINED = "undetermined"
    """No rule failed, but some could not be checked: see ``missing``."""


class Reason(KimModel):
    """One rule applied to the case, whether it held, and where the rule comes from."""

    rule: str = Field(description="Stable rule id, one of kim.rule_ids.RuleId, e.g. 'applicant'.")
    description: str = Field(description="What the rule requires.")
    held: bool | None = Field(description="True, False, or None when it could not be checked.")
    detail: str = Field(description="Why it held or not, for this case.")
    sources: tuple[str, ...] = Field(description="Source ids of the rule.")


class Decision(KimModel):
    """The answer to "may this entity receive funding for this component on this date?"."""

    subject: str = Field(description="What was decided on, e.g. 'Kreis Coesfeld (05558)'.")
    component: Component | None = Field(description="The component asked about, if any.")
    on: date = Field(description="The date asked about.")
    outcome: Outcome = Field(description="eligible, not_eligible or undetermined.")
    reasons: tuple[Reason, ...] = Field(description="Every rule applied, in order.")
    missing: tuple[str, ...] = Field(description="Facts still needed (when undetermined).")
    note: str = Field(description="No entitlement, with its source.")
    note_sources: tuple[str, ...] = Field(description="Source of the note.")

    @property
    def eligible(self) -> bool:
        """True only for ``eligible``."""
        return self.outcome is Outcome.ELIGIBLE

    def explain(self) -> Explanation:
        """The decision as an [`Explanation`][kim.explain.model.Explanation], like a grant's."""
        from kim._explain_decision import decision_explanation

        return decision_explanation(self)

    def to_text(self) -> str:
        """A plain-text account of the decision, one line per rule."""
        lines = [f"{self.subject}, {self._what()}, {self.on.isoformat()}: {self.outcome.value}"]
        marks = {True: "held", False: "FAILED", None: "unknown"}
        for r in self.reasons:
            lines.append(f"  [{marks[r.held]}] {r.rule}: {r.detail} ({', '.join(r.sources)})")
        if self.missing:
            lines.append("  missing facts: " + "; ".join(self.missing))
        lines.append(f"  note: {self.note}")
        return "\n".join(lines)

    def missing_facts(self) -> tuple[MissingFact, ...]:
        """The missing facts as data: key, type, question (see [`kim.situation`][kim.situation])."""
        from kim.situation import missing_facts

        return missing_facts(self)

    def decide_again(self, situation: Mapping[str, Any]) -> Decision:
        """The same question decided with the answers in ``situation``."""
        from kim.situation import decide_again

        return decide_again(self, situation)

    def _what(self) -> str:
        return f"Baustein {self.component.value}" if self.component else "post"


def _decision(
    subject: str,
    component: Component | None,
    on: date,
    reasons: Sequence[Reason],
    missing: Sequence[str],
) -> Decision:
    if any(r.held is False for r in reasons):
        outcome = Outcome.NOT_ELIGIBLE
    elif any(r.held is None for r in reasons):
        outcome = Outcome.UNDETERMINED
    else:
        outcome = Outcome.ELIGIBLE
    note = rule_variant("no_entitlement", on)
    return Decision(
        subject=subject,
        component=component,
        on=on,
        outcome=outcome,
        reasons=tuple(reasons),
        missing=tuple(missing) if outcome is Outcome.UNDETERMINED else (),
        note=NO_ENTITLEMENT,
        note_sources=() if note is None else note.sources,
    )


def _reason(result: RuleResult) -> Reason:
    return Reason(**result._asdict())


def decide(
    entity: District | Municipality | Mapping[str, Any] | str,
    component: Component | int | str,
    on: date,
    *,
    extra_coordination: bool = False,
    territory: Territory | None = None,
) -> Decision:
    """Decide whether ``entity`` may receive funding for ``component`` on ``on``.

    Args:
        entity: a unit or municipality, or its key, name or alias; a municipality the
            library lacks as a mapping of its fields or JSON text. A name that fits a unit
            finds the unit (``"Soest"`` is Kreis Soest; the town is ``"Stadt Soest"``),
            except with ``extra_coordination``, which asks about a municipality. A name the
            registry does not know is decided as an unlisted municipality (``undetermined``,
            its AGS and facts missing) when the question or the name says it is one
            (``"Stadt …"``, ``"Gemeinde …"``); otherwise it raises ``UnknownNameError``.
        component: 1, 2, 3 or a [`Component`][kim.components.Component].
        on: the date asked about.
        extra_coordination: ask about the extra coordination post of a municipality
            (Baustein 1); only meaningful for municipalities.
        territory: the registry to look names up in; the embedded one by default.

    Examples:
        >>> from datetime import date
        >>> decide("Rheine", 1, date(2022, 1, 1), extra_coordination=True).outcome.value
        'eligible'
        >>> decide("Kamen", 1, date(2022, 1, 1), extra_coordination=True).outcome.value
        'not_eligible'
        >>> decide("05974008", 3, date(2020, 12, 31)).outcome.value  # facts unknown
        'undetermined'
        >>> decide("Stadt Nirgendwo", 3, date(2020, 12, 31)).missing[0]  # not in the registry
        'the AGS of Stadt Nirgendwo (which Kreis it lies in)'

    """
    if isinstance(entity, Mapping) or looks_like_json(entity):
        entity = as_model(Municipality, entity, "entity")
    expect(entity, (str, District, Municipality), "entity")
    expect(component, (int, str, Component), "component")
    expect_day(on, "on")
    territory = embedded_territory() if territory is None else territory
    found = (
        lookup_entity(entity, territory, municipal=extra_coordination)
        if isinstance(entity, str)
        else entity
    )
    comp = component if isinstance(component, Component) else Component.parse(component)
    missing: list[str] = []
    results = [start_rule(comp, on, missing), basis_rule(on)]
    if isinstance(found, District):
        if extra_coordination:
            raise InputError(
                f"The extra coordination post is for municipalities within a Kreis; "
                f"{found.name} ({found.key}) is a KIM unit."
            )
        results.append(applicant_rule(found, on))
        subject = str(found)
    else:
        if extra_coordination and comp is not Component.COORDINATION:
            raise InputError("The extra coordination post belongs to Baustein 1 (component 1).")
        if isinstance(found, Unlisted):
            results += unlisted_municipality_rules(found.name, comp, on, missing)
            subject = f"{found.name} (not in the registry)"
        else:
            try:
                parent = territory.parent_of(found)
            except KeyError:
                raise InputError(f"{found.name}: unknown parent Kreis {found.parent!r}.") from None
            results += municipality_rules(found, parent, comp, on, missing)
            subject = str(found)
    return _decision(subject, comp, on, [_reason(r) for r in results], missing)


def decide_post(
    fte: Decimal | int | str | float,
    on: date,
    *,
    additional: bool | None = None,
    funded_elsewhere: bool | None = None,
    parameters: ParameterSet | None = None,
) -> Decision:
    """Decide whether a post (share) is fundable: minimum share, additional, not double-funded.

    Args:
        fte: the post share in full-time equivalents.
        on: the date asked about.
        additional: whether the post is additional to existing staff (None: unknown).
        funded_elsewhere: whether EU, Bund, Land or third parties already pay for it.
        parameters: the parameter set; the embedded one by default.

    ```pycon
    >>> from datetime import date
    >>> decide_post("0.4", date(2023, 1, 1), additional=True, funded_elsewhere=False).outcome.value
    'not_eligible'

    ```

    """
    params = embedded_parameters() if parameters is None else parameters
    share = to_decimal(fte, "FTE")
    if share <= 0:
        raise InputError(f"FTE must be positive, got {share}.")
    missing: list[str] = []
    reasons = [minimum_share_reason(share, on, params, missing)]
    reasons.append(
        Reason(
            rule=RuleId.ADDITIONAL,
            description="Funded posts must be additional to existing staff.",
            held=additional,
            detail={
                True: "The post is additional.",
                False: "The post is not additional (existing staff relabelled).",
                None: "Not known whether the post is additional.",
            }[additional],
            sources=("bra-kim",),
        )
    )
    if additional is None:
        missing.append("whether the post is additional to existing staff")
    held = None if funded_elsewhere is None else not funded_elsewhere
    reasons.append(
        Reason(
            rule=RuleId.NO_DOUBLE_FUNDING,
            description=(
                "Nothing already paid for by the EU, the Bund, the Land or third parties may be "
                "funded."
            ),
            held=held,
            detail={
                True: "No other funding covers the post.",
                False: "Other funding already covers the post.",
                None: "Not known whether other funding covers the post.",
            }[held],
            sources=("tintg-9",),
        )
    )
    if held is None:
        missing.append("whether EU, Bund, Land or third parties already fund the post")
    return _decision(f"post of {share} FTE", None, on, reasons, missing)


def minimum_share_reason(
    fte: Decimal, on: date, parameters: ParameterSet, missing: list[str] | None = None
) -> Reason:
    """The rule "only post shares of at least the minimum (0.5 FTE) are fundable".

    Used by eligibility and by the funding rules alike. A date without a known minimum
    gives ``held=None`` (and adds the missing fact).
    """
    return _reason(minimum_share(fte, on, parameters, missing))


def forwarding_target_reason(district: District, recipient_key: str | None, on: date) -> Reason:
    """Whether a municipality can receive money passed on by ``district`` (§ 9 (2) TIntG).

    Only a Kreis (or the Städteregion) passes money on to its own municipalities: the
    municipality's AGS must begin with the Kreis's five digits. A kreisfreie Stadt has
    no municipalities to pass money to (it may still place posts with welfare
    organisations). ``held`` is ``None`` when no AGS is given for a Kreis.

    Examples:
        >>> from kim.territory.registry import embedded_territory
        >>> t = embedded_territory()
        >>> forwarding_target_reason(t.district("Kreis Unna"), "05978020", date(2022, 1, 1)).held
        True
        >>> forwarding_target_reason(t.district("Köln"), "05978020", date(2022, 1, 1)).held
        False

    """
    return _reason(forwarding_target(district, recipient_key, on))


class Supervision(StrEnum):
    """Who holds the professional supervision (Fachaufsicht) of a forwarded post."""

    KI = "ki"
    """The Kommunales Integrationszentrum of the Kreis or city (required)."""
    EMPLOYER = "employer"
    """The employer (municipality or welfare organisation): not allowed."""


class Forwarding(KimModel):
    """A record of case-management posts a Kreis places with a municipality or organisation."""

    district: str = Field(description="Key of the Kreis or city that passes the money on.")
    recipient: str = Field(description="The final recipient (municipality AGS or organisation).")
    employer: EmployerKind = Field(description="Municipality or welfare organisation.")
    fte: Decimal = Field(gt=0, description="Posts placed, in FTE.")
    supervision: Supervision = Field(description="Who holds the professional supervision.")


def check_forwarding(record: Forwarding, on: date) -> Decision:
    """Check a forwarding record: the professional supervision must stay with the KI.

    Examples:
        >>> from datetime import date
        >>> bad = Forwarding(district="05558", recipient="Caritas", employer="welfare_organisation",
        ...                  fte="1.5", supervision="employer")
        >>> check_forwarding(bad, date(2022, 1, 1)).outcome.value
        'not_eligible'

    """
    if record.employer is EmployerKind.RECIPIENT:
        raise InputError("A forwarding record needs a municipality or welfare organisation.")
    held = record.supervision is Supervision.KI
    reason = Reason(
        rule=RuleId.SUPERVISION_WITH_KI,
        description=(
            "Forwarded case-management posts may sit with a municipality or a welfare "
            "organisation; the professional supervision stays with the KI."
        ),
        held=held,
        detail=(
            "The KI keeps the professional supervision."
            if held
            else "The record gives the professional supervision to the employer; it must stay "
            "with the KI."
        ),
        sources=("coesfeld-to-28019", "kim-nrw-bausteine"),
    )
    reasons = [reason]
    if record.employer is EmployerKind.MUNICIPALITY:
        district = embedded_territory().district(record.district)
        key = (
            record.recipient if record.recipient.isdigit() and len(record.recipient) == 8 else None
        )
        reasons.append(forwarding_target_reason(district, key, on))
    subject = f"forwarding {record.district} -> {record.recipient}"
    missing = [] if reasons[-1].held is not None else ["the AGS of the municipality"]
    return _decision(subject, Component.CASE_MANAGEMENT, on, reasons, missing)
