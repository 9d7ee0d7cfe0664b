"""Baustein 3 per authority: registry, distribution, published totals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.allocation.authorities import authority_estimate, distribute_half_posts
from kim.errors import InputError
from kim.funding import StaffingPlan, grant
from kim.money import Euro
from kim.territory.authorities import AuthorityKind, authorities

WEIGHTS = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=4),
    st.integers(min_value=0, max_value=10_000_000),
    min_size=1,
    max_size=40,
)


@given(WEIGHTS, st.integers(min_value=0, max_value=500))
def test_distribution_conserves_the_total_and_gives_everyone_one(
    served: dict[str, int], extra: int
) -> None:
    total = len(served) + extra
    shares = distribute_half_posts(total, served)
    assert sum(shares.values()) == total
    assert set(shares) == set(served)
    assert all(v >= 1 for v in shares.values())


@given(WEIGHTS, st.integers(min_value=0, max_value=200))
def test_more_population_never_means_fewer_half_posts(served: dict[str, int], extra: int) -> None:
    shares = distribute_half_posts(len(served) + extra, served)
    for a in served:
        for b in served:
            if served[a] > served[b]:
                assert shares[a] >= shares[b]


def test_too_few_half_posts_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least the number of authorities"):
        distribute_half_posts(1, {"a": 1, "b": 1})


def test_2020_total_is_the_published_budget_to_the_cent() -> None:
    # https://www.mkjfgfi.nrw/pressemitteilung/kommunales-integrationsmanagement-land-foerdert-stellen-allen-auslaender-und
    # 5 Mio € for 200 half posts in all Ausländer- and Einbürgerungsbehörden.
    shares = authority_estimate(2020)
    assert sum(s.half_posts for s in shares) == 200
    assert sum((s.amount for s in shares), Euro(0)) == Euro("5000000.00")
    bocholt = [s for s in shares if s.authority.holder == "05554008"]
    assert {s.authority.kind for s in bocholt} == {AuthorityKind.ABH, AuthorityKind.EBH}
    assert sum(s.half_posts for s in bocholt) == 2  # 50,000 € pinned from the source
    assert all(s.authority.kreis == "05554" and s.authority.municipal for s in bocholt)


def test_stadt_dueren_is_its_own_b3_row_of_unspecified_kind() -> None:
    # https://herzog-magazin.de/nachrichten/politik/100-000-euro-fuer-integration
    # Kreis Düren 75,000 €, Stadt Düren 25,000 € of Baustein 3 money in 2020: the town ran
    # at least one authority; which one the source does not say.
    known = authorities(date(2020, 12, 31))
    dueren = [a for a in known.authorities if a.holder == "05358008"]
    assert [(a.id, a.kind, a.status.value, a.since) for a in dueren] == [
        ("05358008-b3", AuthorityKind.UNSPECIFIED, "inferred", None)
    ]
    assert dueren[0].sources == ("dueren-b3-2020",) and dueren[0].note
    assert "05358008" not in known.unknown
    shares = authority_estimate(2020, fixed={"05358": 3})
    town = [s for s in shares if s.authority.holder == "05358008"]
    kreis = [s for s in shares if s.authority.holder == "05358"]
    assert [s.amount for s in town] == [Euro("25000")]
    assert sum((s.amount for s in kreis), Euro(0)) == Euro("75000")
    assert sum((s.amount for s in shares), Euro(0)) == Euro("5000000.00")


def test_every_authority_says_since_when_or_that_it_is_unknown() -> None:
    known = authorities(date(2020, 12, 31))
    for a in known.authorities:
        if a.since is None:
            assert a.since_status is None and a.since_sources == ()
        else:
            assert a.since_status is not None and a.since_sources
    # no source gives the first day of any authority so far
    assert all(a.since is None for a in known.authorities)


def test_registry_serves_each_population_once() -> None:
    known = authorities(date(2020, 12, 31))
    borken_abh = next(a for a in known.authorities if a.id == "05554-abh")
    bocholt_abh = next(a for a in known.authorities if a.id == "05554008-abh")
    from kim.territory import embedded_territory

    kreis = embedded_territory().district("05554").population.value
    assert borken_abh.served + bocholt_abh.served == kreis
    # Siegen's own authorities end with 2023: unknown from 2024.
    assert "05970040" in authorities(date(2024, 6, 1)).unknown


def test_bocholt_2020_grant_in_its_own_name() -> None:
    # https://wilhelm-korth.de/news/lokal/48/index.php : Kreis Borken and Stadt Bocholt
    # get 50,000 € each in 2020 (two half posts at the derived 25,000 €).
    g = grant(StaffingPlan.from_fte("Bocholt", 2020, {"abh": "0.5", "ebh": "0.5"}))
    assert (g.recipient, g.recipient_name) == ("05554008", "Bocholt")
    assert g.total == g.notice.amount == Euro("50000")
    kreis = grant(StaffingPlan.from_fte("Kreis Borken", 2020, {"abh": "0.5", "ebh": "0.5"}))
    assert kreis.total == Euro("50000")
    with pytest.raises(InputError, match="only Baustein 3"):
        grant(StaffingPlan.from_fte("Bocholt", 2021, {"case-management": 1}))


def test_unknown_nrw_town_by_ags_is_undetermined() -> None:
    from kim.eligibility import decide

    d = decide("05974008", 3, date(2020, 12, 31))
    assert d.outcome.value == "undetermined"
    assert any("Ausländerbehörde" in m for m in d.missing)


def test_cli_grant_for_a_town_with_its_own_authority(capsys: pytest.CaptureFixture[str]) -> None:
    from kim.cli import main

    code = main(["grant", "--district", "Bocholt", "--year", "2020", "--post", "abh=1"])
    out = capsys.readouterr().out
    assert code == 0 and "Bocholt (05554008)" in out and "EUR 50,000.00" in out


def test_statewide_2020_baustein_3_is_the_published_budget_to_the_cent() -> None:
    # https://www.mkjfgfi.nrw/pressemitteilung/kommunales-integrationsmanagement-land-foerdert-stellen-allen-auslaender-und
    # 5 Mio € for 200 half posts; Bocholt 50,000 € of its own next to Kreis Borken's
    # 50,000 € (https://wilhelm-korth.de/news/lokal/48/index.php).
    from kim.components import Component
    from kim.scenarios.statewide import run_statewide

    run = run_statewide(2020)
    assert run.totals[Component.AUTHORITIES] == Euro("5000000.00")
    bocholt = [a for a in run.authorities if a.authority.holder == "05554008"]
    assert sum((a.amount for a in bocholt), Euro(0)) == Euro("50000")
    assert all(a.authority.kreis == "05554" for a in bocholt)
    borken = next(u for u in run.units if u.key == "05554")
    assert borken.components[Component.AUTHORITIES].grant == Euro("50000")
    unit_sum = sum(
        (u.components[Component.AUTHORITIES].grant or Euro(0) for u in run.units), Euro(0)
    )
    assert unit_sum + sum((a.amount for a in run.authorities), Euro(0)) == Euro("5000000.00")
    # Stadt Düren's own row (25,000 €) under Kreis Düren, whose unit figure is its 75,000 €
    # (https://herzog-magazin.de/nachrichten/politik/100-000-euro-fuer-integration)
    dueren = [a for a in run.authorities if a.authority.holder == "05358008"]
    assert [(a.authority.kreis, a.amount) for a in dueren] == [("05358", Euro("25000"))]
    kreis = next(u for u in run.units if u.key == "05358")
    assert kreis.components[Component.AUTHORITIES].grant == Euro("75000")


def test_pinned_half_posts_are_marked_observed() -> None:
    shares = authority_estimate(2020, fixed={"05358": 3})
    observed = {s.authority.id for s in shares if s.observed}
    assert {"05358-abh", "05358-ebh", "05358008-b3", "05554008-abh", "05554008-ebh"} == observed
