from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim._eligibility_rules import NAME_LIMIT
from kim.components import Component, EmployerKind
from kim.eligibility import (
    NO_ENTITLEMENT,
    Forwarding,
    Outcome,
    Supervision,
    check_forwarding,
    decide,
    decide_post,
)
from kim.errors import InputError, UnknownNameError
from kim.parameters import embedded_parameters
from kim.territory import Fact, Municipality, embedded_territory

T = embedded_territory()
D2023 = date(2023, 1, 1)


def rule(decision: object, name: str) -> object:
    return next(r for r in decision.reasons if r.rule == name)  # type: ignore[attr-defined]


# --- applicants (§ 9 (1), § 8 TIntG) ------------------------------------------------


def test_every_unit_with_a_ki_is_an_applicant_for_every_component() -> None:
    for d in T.districts():
        for c in Component:
            decision = decide(d, c, D2023)
            assert decision.outcome is Outcome.ELIGIBLE, (d, c)
            assert rule(decision, "applicant").held is True  # type: ignore[attr-defined]


def test_a_unit_without_ki_is_not_eligible() -> None:
    no_ki = T.district("Kreis Coesfeld").model_copy(update={"has_ki": False})
    decision = decide(no_ki, 2, D2023)
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert "no Kommunales Integrationszentrum" in rule(decision, "applicant").detail  # type: ignore[attr-defined]


def test_city_of_aachen_is_its_own_applicant() -> None:
    assert decide("Stadt Aachen", 2, D2023).outcome is Outcome.ELIGIBLE
    assert decide("StädteRegion Aachen", 2, D2023).outcome is Outcome.ELIGIBLE


def test_every_decision_says_there_is_no_entitlement() -> None:
    d = decide("Köln", 1, date(2025, 3, 1))
    assert d.note == NO_ENTITLEMENT and d.note_sources == ("rl-2024-1.3",)
    assert decide("Köln", 1, date(2021, 3, 1)).note_sources == ("rl-2020-1.2",)


# --- component start dates -----------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "day", "outcome"),
    [
        (2, date(2020, 6, 30), Outcome.NOT_ELIGIBLE),
        (2, date(2020, 7, 1), Outcome.ELIGIBLE),
        (1, date(2020, 11, 24), Outcome.NOT_ELIGIBLE),
        (1, date(2020, 11, 25), Outcome.ELIGIBLE),
        (3, date(2020, 2, 29), Outcome.NOT_ELIGIBLE),
        (3, date(2020, 3, 1), Outcome.UNDETERMINED),
        (3, date(2020, 4, 21), Outcome.ELIGIBLE),
    ],
)
def test_component_start_dates(component: int, day: date, outcome: Outcome) -> None:
    decision = decide("Kreis Soest", component, day)
    assert decision.outcome is outcome
    start_rule = rule(decision, "component_started")
    if outcome is Outcome.NOT_ELIGIBLE:
        assert day.isoformat() in start_rule.detail  # type: ignore[attr-defined]
    if outcome is Outcome.UNDETERMINED:
        assert decision.missing == ("the exact start date of Baustein 3 in spring 2020",)


def test_legal_basis_switches_to_the_statute_in_2022() -> None:
    assert rule(decide("Köln", 2, date(2021, 12, 31)), "legal_basis").sources[0] == "rl-2020"  # type: ignore[attr-defined]
    assert rule(decide("Köln", 2, date(2022, 1, 1)), "legal_basis").sources == ("tintg-9",)  # type: ignore[attr-defined]


# --- municipalities (§ 9 (2)) ----------------------------------------------------------


def test_municipality_is_no_applicant_but_may_receive_forwarded_case_management() -> None:
    d = decide("Kamen", 2, D2023)
    assert d.outcome is Outcome.ELIGIBLE
    assert "Kreis Unna" in rule(d, "applicant").detail  # type: ignore[attr-defined]
    assert rule(d, "forwarding").held is True  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["Rheine", "Bocholt", "Moers", "Dinslaken", "Wesel", "Dormagen"])
def test_extra_coordination_post_when_all_three_facts_hold(name: str) -> None:
    # the extra coordination post asks about a municipality: "Wesel" is the town here
    assert decide(name, 1, D2023, extra_coordination=True).outcome is Outcome.ELIGIBLE


# --- towns the registry does not list ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "component", "facts"),
    [
        ("Stadt Nirgendwo", 3, ["Ausländerbehörde", "Einbürgerungsbehörde"]),
        ("Gemeinde Nirgendwo", 2, []),
        ("Hansestadt Nirgendwo", 1, ["Ausländerbehörde", "Jugendamt", "Integrationsrat"]),
    ],
)
def test_an_unlisted_town_is_undetermined_with_its_missing_facts(
    name: str, component: int, facts: list[str]
) -> None:
    d = decide(name, component, D2023)
    assert d.outcome is Outcome.UNDETERMINED
    assert d.subject == f"{name} (not in the registry)"
    assert d.missing[0] == f"the AGS of {name} (which Kreis it lies in)"
    assert all(any(f in m for m in d.missing) for f in facts)
    assert len(d.missing) == 1 + len(facts)


@pytest.mark.parametrize("name", ["Stadt Nottuln", "Gemeinde Nottuln", "Hansestadt Nottuln"])
def test_a_listed_town_under_the_wrong_prefix_is_still_that_town(name: str) -> None:
    # Nottuln is a Gemeinde in Kreis Coesfeld (Zensus 2022 list); "Stadt" is wrong, the
    # town is not: it is decided as the listed town, not as an unlisted one.
    d = decide(name, 3, D2023)
    assert d.subject == "Nottuln (05558032)"


def test_an_unlisted_name_comes_back_as_one_printable_bounded_line() -> None:
    # The name is the caller's text and lands in every output (terminal, CSV, JSON):
    # an ANSI escape or a newline must not colour the terminal or forge a line, and a
    # 100,000-character name must not be echoed whole.
    d = decide("Stadt \x1b[31mRot\nTOTAL 0", 3, D2023)
    assert d.outcome is Outcome.UNDETERMINED
    assert "\x1b" not in d.subject and "\n" not in d.subject
    assert d.subject == "Stadt \\x1b[31mRot TOTAL 0 (not in the registry)"
    long = decide("Stadt " + "x" * 100_000, 3, D2023)
    name = long.subject.removesuffix(" (not in the registry)")
    assert len(name) == NAME_LIMIT + 1 and name.endswith("…")


def test_an_unlisted_town_asked_about_as_a_municipality_is_undetermined() -> None:
    d = decide("Nirgendwo", 1, D2023, extra_coordination=True)
    assert d.outcome is Outcome.UNDETERMINED
    assert rule(d, "extra_coordination").held is None  # type: ignore[attr-defined]


def test_a_typo_in_a_kreis_name_still_raises_with_suggestions() -> None:
    with pytest.raises(UnknownNameError) as info:
        decide("Kreis Coesfelt", 2, D2023)
    assert "Kreis Coesfeld" in info.value.suggestions
    with pytest.raises(UnknownNameError):
        decide("Nirgendwo", 3, D2023)


def test_a_listed_town_without_facts_is_undetermined() -> None:
    d = decide("Nordkirchen", 3, date(2020, 12, 31))
    assert d.outcome is Outcome.UNDETERMINED
    assert d.subject == "Nordkirchen (05558028)"


def test_extra_coordination_fails_without_an_auslaenderbehoerde() -> None:
    d = decide("Kamen", 1, D2023, extra_coordination=True)
    assert d.outcome is Outcome.NOT_ELIGIBLE
    assert rule(d, "extra_coordination").held is False  # type: ignore[attr-defined]


def test_extra_coordination_is_undetermined_when_a_fact_is_unknown() -> None:
    d = decide("Siegen", 1, date(2025, 6, 1), extra_coordination=True)
    assert d.outcome is Outcome.UNDETERMINED
    assert d.missing == ("whether Siegen has its own Ausländerbehörde on 2025-06-01",)
    m = Municipality(
        ags="05566008", name="Emsdetten", parent="05566", auslaenderbehoerde=Fact(value=False)
    )
    # A failing fact decides, even when the others are unknown.
    assert decide(m, 1, D2023, extra_coordination=True).outcome is Outcome.NOT_ELIGIBLE


def test_authorities_for_municipalities_with_own_abh_or_ebh() -> None:
    assert decide("Lippstadt", 3, D2023).outcome is Outcome.ELIGIBLE
    assert decide("Kamen", 3, D2023).outcome is Outcome.NOT_ELIGIBLE
    only_ebh = Municipality(
        ags="05566008",
        name="Emsdetten",
        parent="05566",
        auslaenderbehoerde=Fact(value=False),
        einbuergerungsbehoerde=Fact(value=True),
    )
    assert decide(only_ebh, 3, D2023).outcome is Outcome.ELIGIBLE
    unknown = Municipality(ags="05566008", name="Emsdetten", parent="05566")
    assert decide(unknown, 3, D2023).outcome is Outcome.UNDETERMINED


def test_extra_coordination_flag_is_refused_where_it_means_nothing() -> None:
    with pytest.raises(InputError, match="municipalities"):
        decide("Kreis Coesfeld", 1, D2023, extra_coordination=True)
    with pytest.raises(InputError, match="Baustein 1"):
        decide("Rheine", 2, D2023, extra_coordination=True)


# --- posts --------------------------------------------------------------------------------


def test_post_share_below_half_is_not_fundable() -> None:
    # Kamen 141/2021: only post shares of at least 0.5 FTE are fundable.
    ok = decide_post("0.5", D2023, additional=True, funded_elsewhere=False)
    low = decide_post("0.49", D2023, additional=True, funded_elsewhere=False)
    assert ok.outcome is Outcome.ELIGIBLE and low.outcome is Outcome.NOT_ELIGIBLE
    assert rule(low, "minimum_post_share").held is False  # type: ignore[attr-defined]


def test_post_rules_additional_and_double_funding() -> None:
    assert (
        decide_post(1, D2023, additional=False, funded_elsewhere=False).outcome
        is Outcome.NOT_ELIGIBLE
    )
    assert (
        decide_post(1, D2023, additional=True, funded_elsewhere=True).outcome
        is Outcome.NOT_ELIGIBLE
    )
    unknown = decide_post(1, D2023)
    assert unknown.outcome is Outcome.UNDETERMINED and len(unknown.missing) == 2


def test_post_rule_without_a_known_minimum_is_undetermined() -> None:
    d = decide_post(1, date(2020, 6, 1), additional=True, funded_elsewhere=False)
    assert d.outcome is Outcome.UNDETERMINED
    assert "minimum post share" in d.missing[0]
    supplied = embedded_parameters().with_value(
        "minimum_post_share", date(2020, 1, 1), date(2020, 12, 31), "0.5"
    )
    d = decide_post(
        1, date(2020, 6, 1), additional=True, funded_elsewhere=False, parameters=supplied
    )
    assert d.outcome is Outcome.ELIGIBLE


def test_post_share_must_be_positive() -> None:
    with pytest.raises(InputError):
        decide_post(0, D2023)


# --- forwarding: Fachaufsicht stays with the KI -----------------------------------------


def test_forwarding_keeps_supervision_with_the_ki() -> None:
    good = Forwarding(
        district="05370",
        recipient="DRK",
        employer=EmployerKind.WELFARE_ORGANISATION,
        fte="1.5",
        supervision=Supervision.KI,
    )
    bad = good.model_copy(update={"supervision": Supervision.EMPLOYER})
    assert check_forwarding(good, D2023).outcome is Outcome.ELIGIBLE
    assert check_forwarding(bad, D2023).outcome is Outcome.NOT_ELIGIBLE
    with pytest.raises(InputError):
        check_forwarding(good.model_copy(update={"employer": EmployerKind.RECIPIENT}), D2023)


# --- properties -----------------------------------------------------------------------------

KEYS = [d.key for d in T.districts()] + [m.ags for m in T.municipalities()]


def spellings(key: str) -> list[str]:
    e = T.find(key)
    names = [key, key.lstrip("0"), e.name, e.name.upper(), *e.aliases]
    # a town named like a Kreis's alias ("Kleve") is found by its other names
    return [n for n in names if T.find(n).key == key]


@given(
    st.sampled_from(KEYS),
    st.sampled_from(list(Component)),
    st.dates(min_value=date(2019, 6, 1), max_value=date(2026, 12, 31)),
    st.data(),
)
def test_decision_does_not_depend_on_how_the_entity_is_named(
    key: str, component: Component, day: date, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(spellings(key)))
    a = decide(key, component, day)
    b = decide(name, component, day)
    assert a == b
