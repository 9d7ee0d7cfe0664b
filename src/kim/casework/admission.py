"""Admission to KIM case management: the law, a recorded judgement, and local policy.

A client is admitted when three things hold:

1. the client has an immigration history in the sense of § 4 TIntG
   ([`has_immigration_history()`][kim.casework.target_group.has_immigration_history]), in the
   version in force on the day of the decision: the 2012 law (immigration since 1.1.1950) before
   2022, the 2022 law (after 31.12.1955) from then on. Give the person's facts and the admission
   picks the version; a result decided under another version leaves the check undetermined;
2. the case manager has recorded that the client has **no or not enough access to the
   support system** ("keinen oder keinen ausreichenden Zugang zum Unterstützungssystem",
   Kreis Coesfeld, source ``coesfeld-sv-10-0898``). This is a professional judgement:
   the library records it and never computes it;
3. the client passes the unit's [`LocalPolicy`][kim.casework.admission.LocalPolicy]. The Land lets
   each municipality name its primary target groups (source ``kim-nrw-handlungskonzept``); the
   Märkischer Kreis, for example, admits people at most three years in the district who have had no
   other case management (source ``maerkischer-kreis-kim``). No Land-wide age limit,
   residence limit or exclusion was found, so every such rule is local configuration.

The decision is three-valued like the § 4 predicate: it lists every check with its
outcome, the not-admitted reasons of the checks that failed, and the facts still missing.

Examples:
    >>> from datetime import date
    >>> from kim.casework.target_group import PersonFacts, has_immigration_history
    >>> policy = LocalPolicy(max_years_in_district=3, exclude_if_in=frozenset({"mbe", "jmd"}))
    >>> facts = AdmissionFacts(
    ...     target_group=has_immigration_history(PersonFacts(german_art116=False)),
    ...     insufficient_access=True, arrived_in_district=date(2023, 9, 1))
    >>> decision = decide_admission(facts, policy, on=date(2024, 3, 1))
    >>> decision.outcome.value, decision.missing
    ('undetermined', ('programmes',))

"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator

from kim._model import KimModel
from kim.casework.events import Admitted, NotAdmitted
from kim.casework.target_group import (
    Answer,
    Criterion,
    PersonFacts,
    TargetGroupResult,
    all_of,
    has_immigration_history,
    target_group_rule,
)
from kim.casework.vocabulary import Authority, NotAdmittedReason, Purpose
from kim.errors import InputError

__all__ = [
    "AdmissionCheck",
    "AdmissionDecision",
    "AdmissionFacts",
    "LegalBasis",
    "LocalPolicy",
    "OtherProgramme",
    "admission_event",
    "decide_admission",
]


class OtherProgramme(StrEnum):
    """Other programmes with their own case management (for local exclusion rules)."""

    MBE = "mbe"
    """Migrationsberatung für erwachsene Zugewanderte (over 27; source ``awo-sh-mbe``)."""
    JMD = "jmd"
    """Jugendmigrationsdienst (12 to 27; source ``ib-jmd``)."""
    JOBCENTER = "jobcenter"
    """The Jobcenter's own case management (Fallmanagement, SGB II)."""
    OTHER = "other"
    """Any other case management."""


class LegalBasis(KimModel):
    """A legal basis that allows sharing with a recipient for a purpose without consent.

    Consent is needed only where no law already allows the transfer (source
    ``einwilligung-leitfaden``, an analogy from social-data law). Which laws apply is
    for the unit's data-protection officer to decide; the library only records the
    configuration and cites its ``reference`` in every referral it allows.
    """

    recipient: Authority = Field(description="Who may receive the data.")
    purpose: Purpose = Field(description="For which purpose.")
    reference: str = Field(
        min_length=1, max_length=200, description="The legal norm, e.g. '§ 71 SGB X'."
    )


class LocalPolicy(KimModel):
    """The rules a KIM unit configures for admission, deadlines and sharing.

    Every field is optional: a rule that is not configured is not applied, and a
    deadline that is not configured is not computed. The library ships no defaults
    because no source gives any.
    """

    unit: str | None = Field(default=None, description="The unit the policy belongs to.")
    max_years_in_district: int | None = Field(
        default=None,
        ge=0,
        description="Admit only clients at most this many years in the district.",
    )
    min_age: int | None = Field(default=None, ge=0, le=130, description="Lowest age admitted.")
    max_age: int | None = Field(default=None, ge=0, le=130, description="Highest age admitted.")
    exclude_if_in: frozenset[OtherProgramme] = Field(
        default=frozenset(), description="Refuse clients already in one of these programmes."
    )
    priority_groups: frozenset[str] = Field(
        default=frozenset(), description="Names of the unit's priority groups."
    )
    priority_only: bool = Field(
        default=False, description="Admit only clients in a priority group."
    )
    review_every_weeks: int | None = Field(
        default=None, ge=1, le=520, description="A running plan is reviewed every N weeks."
    )
    contact_loss_weeks: int | None = Field(
        default=None, ge=1, le=520, description="Propose closure after N weeks on hold."
    )
    legal_bases: tuple[LegalBasis, ...] = Field(
        default=(), description="Sharing allowed by law, without consent."
    )
    sources: tuple[str, ...] = Field(default=(), description="Where the local rules come from.")

    @model_validator(mode="after")
    def _ages(self) -> Self:
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise InputError(f"max_age {self.max_age} is below min_age {self.min_age}")
        if self.priority_only and not self.priority_groups:
            raise InputError("priority_only needs at least one priority group")
        return self

    def legal_basis(self, recipient: Authority, purpose: Purpose) -> LegalBasis | None:
        """The configured legal basis for sharing with ``recipient`` for ``purpose``."""
        return next(
            (b for b in self.legal_bases if b.recipient is recipient and b.purpose is purpose),
            None,
        )


class AdmissionFacts(KimModel):
    """What the admission decision needs to know about a client.

    ``None`` means "not recorded yet". The facts are inputs only: a case keeps the
    decision's criteria, never these facts, and the repr shows none of them.
    """

    target_group: TargetGroupResult | PersonFacts = Field(
        description="The § 4 TIntG result, or the person's facts: then the admission "
        "applies the version of § 4 in force on its date."
    )
    insufficient_access: bool | None = Field(
        default=None,
        description="The case manager's judgement: no or not enough access to support.",
    )
    age: int | None = Field(default=None, ge=0, le=130, description="Age in whole years.")
    arrived_in_district: date | None = Field(
        default=None, description="Day the client came to the district."
    )
    programmes: frozenset[OtherProgramme] | None = Field(
        default=None, description="Other case managements the client is in (empty: none)."
    )
    groups: frozenset[str] | None = Field(
        default=None, description="The unit's priority groups the client belongs to."
    )

    def __repr_args__(self) -> Any:
        tg = self.target_group
        yield "target_group", tg.outcome.value if isinstance(tg, TargetGroupResult) else "facts"


class AdmissionCheck(KimModel):
    """One check of the admission decision and its outcome."""

    name: str = Field(description="The check, e.g. 'target_group'.")
    outcome: Answer = Field(description="Its outcome.")
    explanation: str = Field(description="Why, in one sentence, without personal data.")
    reason: NotAdmittedReason | None = Field(
        default=None, description="The not-admitted reason if the check failed."
    )
    missing: tuple[str, ...] = Field(default=(), description="Facts that would decide it.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids.")


class AdmissionDecision(KimModel):
    """The admission decision: outcome, every check, reasons and missing facts."""

    outcome: Answer = Field(description="Admit (true), refuse (false) or not yet decidable.")
    checks: tuple[AdmissionCheck, ...] = Field(description="Every check applied, in order.")
    reasons: tuple[NotAdmittedReason, ...] = Field(description="Reasons of the failed checks.")
    missing: tuple[str, ...] = Field(description="Facts that would decide an undetermined outcome.")
    criteria_met: tuple[Criterion, ...] = Field(description="The § 4 criteria that held.")
    priority: Answer = Field(description="Whether the client is in a local priority group.")


def _target_group_on(
    given: TargetGroupResult | PersonFacts, on: date
) -> tuple[AdmissionCheck, tuple[Criterion, ...]]:
    """The § 4 check under the version in force on ``on`` and the criteria met."""
    rule = target_group_rule(on)
    if isinstance(given, PersonFacts):
        given = has_immigration_history(given, rule)
    elif given.rule != rule.name:
        check = AdmissionCheck(
            name="target_group",
            outcome=Answer.UNDETERMINED,
            explanation=(
                f"The § 4 result was decided under {given.rule}, but {rule.name} is in force "
                f"on {on.isoformat()}; decide it again under that version."
            ),
            reason=None,
            missing=(f"target_group under {rule.name}",),
            sources=rule.sources,
        )
        return check, ()
    return _target_group(given), given.criteria_met


def _target_group(result: TargetGroupResult) -> AdmissionCheck:
    met = ", ".join(c.value for c in result.criteria_met)
    text = {
        Answer.TRUE: f"Immigration history under {result.rule} (criteria met: {met}).",
        Answer.FALSE: f"No criterion of {result.rule} holds.",
        Answer.UNDETERMINED: f"{result.rule} cannot be decided on the facts recorded.",
    }[result.outcome]
    return AdmissionCheck(
        name="target_group",
        outcome=result.outcome,
        explanation=text,
        reason=NotAdmittedReason.NOT_TARGET_GROUP if result.outcome is Answer.FALSE else None,
        missing=tuple(f"target_group.{m}" for m in result.missing),
        sources=result.sources,
    )


def _access(judgement: bool | None) -> AdmissionCheck:
    outcome = Answer.of(judgement)
    text = {
        Answer.TRUE: "The case manager recorded no or not enough access to the support system.",
        Answer.FALSE: "The case manager recorded sufficient access to the support system.",
        Answer.UNDETERMINED: "The case manager has not recorded a judgement on access.",
    }[outcome]
    return AdmissionCheck(
        name="insufficient_access",
        outcome=outcome,
        explanation=text,
        reason=NotAdmittedReason.SUFFICIENT_ACCESS if outcome is Answer.FALSE else None,
        missing=("insufficient_access",) if outcome is Answer.UNDETERMINED else (),
        sources=("coesfeld-sv-10-0898",),
    )


def _unknown(name: str, explanation: str, missing: str, sources: tuple[str, ...]) -> AdmissionCheck:
    """A check that cannot be decided because the fact ``missing`` is not recorded."""
    return AdmissionCheck(
        name=name,
        outcome=Answer.UNDETERMINED,
        explanation=explanation,
        missing=(missing,),
        sources=sources,
    )


def _years(facts: AdmissionFacts, policy: LocalPolicy, on: date) -> AdmissionCheck:
    limit = policy.max_years_in_district
    assert limit is not None
    sources = (*policy.sources, "maerkischer-kreis-kim")
    if facts.arrived_in_district is None:
        return _unknown(
            "years_in_district",
            f"The policy admits at most {limit} years in the district; "
            "the day of arrival is not recorded.",
            "arrived_in_district",
            sources,
        )
    if facts.arrived_in_district > on:
        raise InputError("arrived_in_district is after the day of the decision")
    within = facts.arrived_in_district + relativedelta(years=limit) >= on
    return AdmissionCheck(
        name="years_in_district",
        outcome=Answer.of(within),
        explanation=f"The policy admits at most {limit} years in the district; the client "
        + ("is within it." if within else "has been there longer."),
        reason=None if within else NotAdmittedReason.OUTSIDE_LOCAL_POLICY,
        sources=sources,
    )


def _age(facts: AdmissionFacts, policy: LocalPolicy) -> AdmissionCheck:
    low = policy.min_age if policy.min_age is not None else 0
    high = policy.max_age if policy.max_age is not None else 130
    rule = f"The policy admits ages {low} to {high}"
    if facts.age is None:
        return _unknown(
            "age",
            f"{rule}; the age is not recorded.",
            "age",
            policy.sources,
        )
    inside = low <= facts.age <= high
    return AdmissionCheck(
        name="age",
        outcome=Answer.of(inside),
        explanation=f"{rule}; the client is {'inside' if inside else 'outside'} that range.",
        reason=None if inside else NotAdmittedReason.OUTSIDE_LOCAL_POLICY,
        sources=policy.sources,
    )


def _other_cm(facts: AdmissionFacts, policy: LocalPolicy) -> AdmissionCheck:
    excluded = ", ".join(sorted(policy.exclude_if_in))
    sources = (*policy.sources, "maerkischer-kreis-kim")
    if facts.programmes is None:
        return _unknown(
            "other_case_management",
            f"The policy excludes clients in {excluded}; not recorded whether "
            "the client is in one.",
            "programmes",
            sources,
        )
    clash = facts.programmes & policy.exclude_if_in
    return AdmissionCheck(
        name="other_case_management",
        outcome=Answer.of(not clash),
        explanation=f"The policy excludes clients in {excluded}; the client "
        + ("is in one of them." if clash else "is in none of them."),
        reason=NotAdmittedReason.ALREADY_IN_OTHER_CM if clash else None,
        sources=sources,
    )


def _priority(facts: AdmissionFacts, policy: LocalPolicy) -> Answer:
    if not policy.priority_groups:
        return Answer.FALSE
    if facts.groups is None:
        return Answer.UNDETERMINED
    return Answer.of(bool(facts.groups & policy.priority_groups))


def decide_admission(facts: AdmissionFacts, policy: LocalPolicy, on: date) -> AdmissionDecision:
    """Decide on admission on day ``on``: target group, access judgement, local policy.

    Only the rules the policy configures are checked. The outcome is true when every
    check holds, false when one fails (its reason is listed), and undetermined otherwise
    (the missing facts are listed).

    Examples:
        >>> from kim.casework.target_group import PersonFacts, has_immigration_history
        >>> tg = has_immigration_history(PersonFacts(german_art116=False))
        >>> d = decide_admission(AdmissionFacts(target_group=tg, insufficient_access=False),
        ...                      LocalPolicy(), on=date(2024, 1, 10))
        >>> d.outcome.value, [r.value for r in d.reasons]
        ('false', ['sufficient_access'])

    """
    target_group, criteria_met = _target_group_on(facts.target_group, on)
    checks = [target_group, _access(facts.insufficient_access)]
    if policy.max_years_in_district is not None:
        checks.append(_years(facts, policy, on))
    if policy.min_age is not None or policy.max_age is not None:
        checks.append(_age(facts, policy))
    if policy.exclude_if_in:
        checks.append(_other_cm(facts, policy))
    priority = _priority(facts, policy)
    if policy.priority_only:
        groups = ", ".join(sorted(policy.priority_groups))
        checks.append(
            AdmissionCheck(
                name="priority_group",
                outcome=priority,
                explanation=f"The policy admits only its priority groups ({groups}).",
                reason=NotAdmittedReason.NOT_PRIORITY if priority is Answer.FALSE else None,
                missing=("groups",) if priority is Answer.UNDETERMINED else (),
                sources=(*policy.sources, "kim-nrw-handlungskonzept"),
            )
        )
    outcome, missing = all_of((c.outcome, c.missing) for c in checks)
    return AdmissionDecision(
        outcome=outcome,
        checks=tuple(checks),
        reasons=tuple(c.reason for c in checks if c.reason is not None),
        missing=missing,
        criteria_met=criteria_met,
        priority=priority,
    )


def admission_event(
    client_id: str, on: date, decision: AdmissionDecision
) -> Admitted | NotAdmitted:
    """The event that records ``decision`` in a case: `Admitted` or `NotAdmitted`.

    Only the outcome, the § 4 criteria that held, the priority flag and the first
    reason go into the case. An undetermined decision cannot be recorded: collect the missing
    facts first.
    """
    if decision.outcome is Answer.TRUE:
        return Admitted(
            client_id=client_id,
            on=on,
            criteria_met=decision.criteria_met,
            priority=decision.priority is Answer.TRUE,
        )
    if decision.outcome is Answer.FALSE:
        return NotAdmitted(client_id=client_id, on=on, reason=decision.reasons[0])
    raise InputError(
        "The admission decision is undetermined and cannot be recorded; missing facts: "
        + ", ".join(decision.missing)
        + "."
    )
