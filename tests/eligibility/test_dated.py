"""Rules that change at a date: legal basis, § 4 TIntG, sources in force."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.casework.admission import AdmissionFacts, LocalPolicy, decide_admission
from kim.casework.target_group import (
    TINTG_2012,
    TINTG_2022,
    ImmigrationFacts,
    PersonFacts,
    has_immigration_history,
    target_group_rule,
)
from kim.components import EmployerKind, PostKind
from kim.dated import in_force, rule_variants
from kim.eligibility import Forwarding, check_forwarding, decide
from kim.errors import InputError
from kim.funding import Post, StaffingPlan, grant
from kim.money import Euro
from kim.sources import SourceKind, embedded_sources

# Born abroad, immigrated in 1952: inside § 4 of the 2012 law (since 1.1.1950), outside
# § 4 of the 2022 law (after 31.12.1955). Sources tintg-2012-4 and tintg-4.
PERSON = PersonFacts(
    german_art116=True,
    born_outside_federal_territory=True,
    immigration_year=1952,
    parents=(ImmigrationFacts(immigrated=False), ImmigrationFacts(immigrated=False)),
)


def test_legal_basis_fails_before_the_programme() -> None:
    d = decide("Kreis Coesfeld", 3, date(2019, 1, 1))
    basis = next(r for r in d.reasons if r.rule == "legal_basis")
    assert basis.held is False and "did not exist" in basis.detail
    assert "rl-2024-1.1" not in {s for r in d.reasons for s in r.sources}


def test_legal_basis_2020_before_the_guideline_cites_the_flat_rates() -> None:
    d = decide("Kreis Coesfeld", 2, date(2020, 8, 1))
    basis = next(r for r in d.reasons if r.rule == "legal_basis")
    assert basis.held is True and "rl-2020" not in basis.sources
    assert d.note_sources == ()


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)))
def test_decisions_cite_only_laws_and_guidelines_already_issued(on: date) -> None:
    registry = embedded_sources()
    for component in (1, 2, 3):
        d = decide("Kreis Coesfeld", component, on)
        # A rule that held rests on its sources; a failed start rule may cite the
        # guideline that set the later start date.
        cited = {s for r in d.reasons if r.held is not False for s in r.sources}
        cited |= set(d.note_sources)
        for sid in cited:
            source = registry[sid]
            if source.kind in (SourceKind.LAW, SourceKind.GUIDELINE) and source.date:
                assert source.date <= on, (sid, on)


def test_variants_do_not_overlap_and_tintg_switches_on_1_january_2022() -> None:
    variants = rule_variants("target_group")
    for a, b in pairwise(variants):
        assert a.end is not None and a.end + timedelta(days=1) == b.start
    assert in_force(variants, date(2021, 12, 31)) is variants[0]
    assert target_group_rule(date(2021, 12, 31)).immigrated_after == TINTG_2012.immigrated_after
    assert target_group_rule(date(2022, 1, 1)) == TINTG_2022
    with pytest.raises(InputError):
        target_group_rule(date(2000, 1, 1))


def test_admission_in_2021_uses_the_2012_law() -> None:
    facts = AdmissionFacts(target_group=PERSON, insufficient_access=True)
    d21 = decide_admission(facts, LocalPolicy(), on=date(2021, 6, 1))
    d22 = decide_admission(facts, LocalPolicy(), on=date(2022, 6, 1))
    assert d21.outcome.value == "true" and d21.checks[0].sources[0] == "tintg-2012-4"
    assert d22.outcome.value == "false" and d22.checks[0].sources[0] == "tintg-4"
    assert has_immigration_history(PERSON, on=date(2021, 6, 1)).outcome.value == "true"


def test_a_result_under_the_wrong_version_leaves_admission_undetermined() -> None:
    result = has_immigration_history(PERSON, TINTG_2022)
    d = decide_admission(
        AdmissionFacts(target_group=result, insufficient_access=True),
        LocalPolicy(),
        on=date(2021, 6, 1),
    )
    assert d.outcome.value == "undetermined"
    assert d.missing == ("target_group under TIntG 2012 § 4 Abs. 1",)


def test_forwarding_target_must_lie_in_the_kreis() -> None:
    # § 9 (2) TIntG: a Kreis may pass money on to its municipalities.
    # https://recht.nrw.de/lmi/owa/br_bes_detail?sg=0&menu=0&bes_id=47273&anw_nr=2&aufgehoben=N&det_id=634488
    def town(key: str) -> Post:
        return Post(
            kind=PostKind.CASE_MANAGEMENT,
            fte=1,
            employer=EmployerKind.MUNICIPALITY,
            final_recipient="Town",
            final_recipient_key=key,
        )

    inside = grant(StaffingPlan(recipient="Kreis Unna", year=2022, posts=(town("05978020"),)))
    assert inside.total == Euro("55000") and inside.warnings == ()
    outside = grant(StaffingPlan(recipient="Kreis Unna", year=2022, posts=(town("05566076"),)))
    check = outside.lines[0].checks[-1]
    assert check.rule == "forwarding_within_kreis" and check.held is False
    assert check.sources == ("tintg-9",)
    assert any("does not lie in Kreis Unna" in w.en for w in outside.warnings)
    # the line is refused, with the rule and its source (§ 9 (2) TIntG)
    assert outside.lines[0].refused == check
    assert outside.total == Euro(0) and outside.notice.amount == Euro(0)
    assert any(w.en.startswith("Line 1 refused:") for w in outside.warnings)
    city = grant(StaffingPlan(recipient="Köln", year=2022, posts=(town("05978020"),)))
    assert any("no municipalities" in w.en for w in city.warnings)
    assert city.lines[0].refused is not None
    assert city.lines[0].refused.rule == "forwarding_within_kreis"
    assert city.total == Euro(0)
    unchecked = grant(
        StaffingPlan(recipient="Kreis Unna", year=2022, posts=(town("05978020"),)).model_copy(
            update={
                "posts": (
                    Post(
                        kind=PostKind.CASE_MANAGEMENT,
                        fte=1,
                        employer=EmployerKind.MUNICIPALITY,
                        final_recipient="Town",
                    ),
                )
            }
        )
    )
    assert unchecked.lines[0].refused is None and unchecked.total == Euro("55000")
    record = Forwarding(
        district="05978",
        recipient="05566076",
        employer=EmployerKind.MUNICIPALITY,
        fte="1",
        supervision="ki",
    )
    assert check_forwarding(record, date(2022, 1, 1)).outcome.value == "not_eligible"
