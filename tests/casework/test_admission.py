"""Admission: § 4 TIntG AND the recorded access judgement AND the unit's local policy.

Target-group wording for KIM case management (Kreis Coesfeld, SV-10-0898):
https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
A strict local rule (Märkischer Kreis: at most three years in the district, no other
case management so far):
https://www.maerkischer-kreis.de/jugend-bildung/bildung-integration/kommunales_integrationsmanagement/kommunales_integrationsmanagement.php
"""

from __future__ import annotations

from datetime import date

import pytest

from kim.casework import (
    AdmissionFacts,
    Admitted,
    Answer,
    Authority,
    ImmigrationFacts,
    LegalBasis,
    LocalPolicy,
    NotAdmitted,
    NotAdmittedReason,
    OtherProgramme,
    PersonFacts,
    Purpose,
    admission_event,
    decide_admission,
    has_immigration_history,
)
from kim.errors import InputError
from kim.sources import embedded_sources

ON = date(2024, 3, 1)
FOREIGN = has_immigration_history(PersonFacts(german_art116=False))
MAERKISCHER_KREIS = LocalPolicy(
    unit="Märkischer Kreis",
    max_years_in_district=3,
    exclude_if_in=frozenset(OtherProgramme),
    sources=("maerkischer-kreis-kim",),
)


def facts(**changes: object) -> AdmissionFacts:
    values: dict[str, object] = {
        "target_group": FOREIGN,
        "insufficient_access": True,
        "arrived_in_district": date(2022, 9, 1),
        "programmes": frozenset(),
        "age": 34,
        "groups": frozenset({"refugees"}),
    }
    values.update(changes)
    return AdmissionFacts.model_validate(values)


def test_the_law_and_the_judgement_alone_admit_under_an_empty_policy() -> None:
    decision = decide_admission(facts(), LocalPolicy(), ON)
    assert decision.outcome is Answer.TRUE
    assert [c.name for c in decision.checks] == ["target_group", "insufficient_access"]
    assert decision.reasons == () and decision.missing == ()
    assert [c.value for c in decision.criteria_met] == ["nr1"]


def test_the_access_judgement_is_recorded_not_computed() -> None:
    assert decide_admission(facts(insufficient_access=None), LocalPolicy(), ON).missing == (
        "insufficient_access",
    )
    refused = decide_admission(facts(insufficient_access=False), LocalPolicy(), ON)
    assert refused.outcome is Answer.FALSE
    assert refused.reasons == (NotAdmittedReason.SUFFICIENT_ACCESS,)


def test_not_in_the_target_group() -> None:
    person = PersonFacts(german_art116=True, born_outside_federal_territory=False)
    unknown_parents = has_immigration_history(person)
    decision = decide_admission(facts(target_group=unknown_parents), LocalPolicy(), ON)
    assert decision.outcome is Answer.UNDETERMINED
    assert decision.missing[0] == "target_group.parents[0].born_outside_federal_territory"
    born_here = ImmigrationFacts(born_outside_federal_territory=False)
    no = has_immigration_history(person.model_copy(update={"parents": (born_here, born_here)}))
    refused = decide_admission(facts(target_group=no), LocalPolicy(), ON)
    assert refused.outcome is Answer.FALSE
    assert refused.reasons == (NotAdmittedReason.NOT_TARGET_GROUP,)


def test_maerkischer_kreis_three_years_in_the_district() -> None:
    inside = decide_admission(facts(arrived_in_district=date(2021, 3, 1)), MAERKISCHER_KREIS, ON)
    assert inside.outcome is Answer.TRUE  # exactly three years
    outside = decide_admission(facts(arrived_in_district=date(2021, 2, 28)), MAERKISCHER_KREIS, ON)
    assert outside.outcome is Answer.FALSE
    assert outside.reasons == (NotAdmittedReason.OUTSIDE_LOCAL_POLICY,)
    unknown = decide_admission(facts(arrived_in_district=None), MAERKISCHER_KREIS, ON)
    assert unknown.outcome is Answer.UNDETERMINED and unknown.missing == ("arrived_in_district",)
    with pytest.raises(InputError, match="after the day"):
        decide_admission(facts(arrived_in_district=date(2024, 3, 2)), MAERKISCHER_KREIS, ON)


def test_maerkischer_kreis_no_other_case_management() -> None:
    decision = decide_admission(
        facts(programmes=frozenset({OtherProgramme.JMD})), MAERKISCHER_KREIS, ON
    )
    assert decision.outcome is Answer.FALSE
    assert decision.reasons == (NotAdmittedReason.ALREADY_IN_OTHER_CM,)
    assert "maerkischer-kreis-kim" in decision.checks[-1].sources
    # A unit that excludes only MBE admits a JMD client.
    mbe_only = LocalPolicy(exclude_if_in=frozenset({OtherProgramme.MBE}))
    jmd = facts(programmes=frozenset({OtherProgramme.JMD}))
    assert decide_admission(jmd, mbe_only, ON).outcome is Answer.TRUE


def test_age_range() -> None:
    youth = LocalPolicy(min_age=12, max_age=27)
    assert decide_admission(facts(age=27), youth, ON).outcome is Answer.TRUE
    refused = decide_admission(facts(age=28), youth, ON)
    assert refused.outcome is Answer.FALSE
    assert "ages 12 to 27" in refused.checks[-1].explanation
    assert "28" not in refused.checks[-1].explanation  # the client's age stays out
    assert decide_admission(facts(age=None), youth, ON).missing == ("age",)
    with pytest.raises(InputError, match="below min_age"):
        LocalPolicy(min_age=30, max_age=20)


def test_priority_groups() -> None:
    open_policy = LocalPolicy(priority_groups=frozenset({"refugees", "tolerated"}))
    decision = decide_admission(facts(groups=frozenset({"refugees"})), open_policy, ON)
    assert decision.outcome is Answer.TRUE and decision.priority is Answer.TRUE
    other = decide_admission(facts(groups=frozenset()), open_policy, ON)
    assert other.outcome is Answer.TRUE and other.priority is Answer.FALSE
    strict = open_policy.model_copy(update={"priority_only": True})
    refused = decide_admission(facts(groups=frozenset()), strict, ON)
    assert refused.outcome is Answer.FALSE and refused.reasons == (NotAdmittedReason.NOT_PRIORITY,)
    assert decide_admission(facts(groups=None), strict, ON).missing == ("groups",)
    with pytest.raises(InputError, match="at least one priority group"):
        LocalPolicy(priority_only=True)


def test_several_failures_list_every_reason_and_false_beats_undetermined() -> None:
    decision = decide_admission(
        facts(insufficient_access=False, arrived_in_district=date(2010, 1, 1), age=None),
        MAERKISCHER_KREIS.model_copy(update={"max_age": 60}),
        ON,
    )
    assert decision.outcome is Answer.FALSE and decision.missing == ()
    assert decision.reasons == (
        NotAdmittedReason.SUFFICIENT_ACCESS,
        NotAdmittedReason.OUTSIDE_LOCAL_POLICY,
    )


def test_admission_event_records_only_the_result() -> None:
    admitted = admission_event("K-0042", ON, decide_admission(facts(), MAERKISCHER_KREIS, ON))
    assert isinstance(admitted, Admitted)
    assert [c.value for c in admitted.criteria_met] == ["nr1"] and admitted.priority is False
    refused = admission_event(
        "K-0042", ON, decide_admission(facts(insufficient_access=False), LocalPolicy(), ON)
    )
    assert (
        isinstance(refused, NotAdmitted) and refused.reason is NotAdmittedReason.SUFFICIENT_ACCESS
    )
    unknown = decide_admission(facts(insufficient_access=None), LocalPolicy(), ON)
    with pytest.raises(InputError, match="missing facts: insufficient_access"):
        admission_event("K-0042", ON, unknown)


def test_legal_basis_lookup() -> None:
    basis = LegalBasis(
        recipient=Authority.JOBCENTER, purpose=Purpose.REFERRAL, reference="§ 69 SGB X"
    )
    policy = LocalPolicy(legal_bases=(basis,))
    assert policy.legal_basis(Authority.JOBCENTER, Purpose.REFERRAL) == basis
    assert policy.legal_basis(Authority.JOBCENTER, Purpose.CASE_CONFERENCE) is None


def test_every_cited_source_is_registered() -> None:
    sources = embedded_sources()
    decision = decide_admission(
        facts(), MAERKISCHER_KREIS.model_copy(update={"min_age": 18, "priority_groups":
                                                      frozenset({"x"}), "priority_only": True}), ON,
    )  # fmt: skip
    for check in decision.checks:
        assert all(s in sources for s in check.sources), check.name


def test_admission_facts_do_not_show_in_the_repr() -> None:
    shown = repr(facts(age=61, arrived_in_district=date(2023, 4, 17)))
    assert shown == "AdmissionFacts(target_group='true')"
