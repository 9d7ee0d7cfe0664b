"""Published figures from the second research round (evidence-2), each with its URL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from kim.allocation.observed import observed_posts
from kim.cli import main
from kim.components import Component
from kim.funding import StaffingPlan, grant
from kim.funding.rules import notice_period
from kim.money import Euro
from kim.parameters import embedded_parameters
from kim.parameters.model import Status


def test_kreis_heinsberg_2021_notice_is_the_whole_year_for_six_posts() -> None:
    # https://sitzungsdienst.kreis-heinsberg.de/bi/to0050.asp?__ktonr=11894
    # "für das Jahr 2021 ... bereits den Betrag von 330.000 € (sechs Stellen à 55.000 €,
    # Baustein 2) ausgezahlt bzw. zugesagt", before the posts were filled.
    g = grant(StaffingPlan.from_fte("Kreis Heinsberg", 2021, {"case-management": 6}))
    assert g.notice.amount == Euro("330000")
    assert g.notice.rule == "notice_whole_period" and "heinsberg-to-11894" in g.notice.sources
    # Filled from 1 July, the settlement reading gives half; the notice does not change.
    late = grant(
        StaffingPlan.from_fte(
            "Kreis Heinsberg", 2021, {"case-management": 6}, start=date(2021, 7, 1)
        )
    )
    assert late.notice.amount == Euro("330000")
    assert late.settlement.amount == Euro("165000")
    assert late.difference.amount == Euro("165000")


def test_minden_luebbecke_2021_notice_and_settlement_explained() -> None:
    # https://hiller-anzeiger.de/2021/03/neun-zusaetzliche-stellen-fuer-integration-in-minden-luebbecke/
    # Nine case-management posts; the rates were paid in early February 2021.
    g = grant(
        StaffingPlan.from_fte(
            "Kreis Minden-Lübbecke", 2021, {"case-management": 9}, start=date(2021, 4, 1)
        )
    )
    e = g.explain()
    steps = {s.id: s for s in e.steps}
    assert steps["line-1-notice"].result == "495000.00"
    assert steps["line-1"].result == "371250.00"
    assert steps["difference"].result == "123750.00"
    assert steps["difference"].operands[0].ref == "notice"
    assert steps["difference"].operands[1].ref == "total"
    assert g.caveats[0].en.startswith("The settled amount reduces the flat rate")
    ids = {s.id for s in e.sources}
    assert {"mdl-pm-2021-03-12", "heinsberg-to-11894"} <= ids


def test_whole_year_grant_has_no_difference_and_keeps_its_status() -> None:
    # Kreis Coesfeld 2023: twelve posts at 57,000 €, https://www.kreis-coesfeld.de
    g = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 12}))
    assert g.notice.amount == g.settlement.amount == Euro("684000")
    assert g.difference.amount == Euro(0)
    assert g.basis is Status.CONFIRMED and g.settlement.status is Status.CONFIRMED


def test_case_management_notice_2020_covers_july_to_december() -> None:
    # The first case-management period ran 01.07.-31.12.2020 (source coesfeld-sv-9-1769):
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=4869&voselect=2328
    period = notice_period(Component.CASE_MANAGEMENT, 2020)
    assert period is not None and (period.start, period.end) == (
        date(2020, 7, 1),
        date(2020, 12, 31),
    )
    assert notice_period(Component.CASE_MANAGEMENT, 2019) is None
    whole = notice_period(Component.AUTHORITIES, 2020)
    assert whole is not None and whole.start == date(2020, 1, 1)


def test_cli_grant_shows_notice_and_settlement(capsys: object) -> None:
    code = main(
        [
            "grant",
            "--district",
            "Kreis Minden-Lübbecke",
            "--year",
            "2021",
            "--post",
            "case-management=9",
            "--from",
            "2021-04-01",
        ]
    )
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert code == 0
    assert "Notified (Bewilligung): EUR 495,000.00" in out
    assert "Settled (Verwendungsnachweis): EUR 371,250.00" in out
    main(
        [
            "grant",
            "--district",
            "05770",
            "--year",
            "2021",
            "--post",
            "case-management=9",
            "--from",
            "2021-04-01",
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert data["notice"]["amount"] == "495000.00"
    assert data["settlement"]["status"] == "inferred"


def test_baustein_1_rates_2021_from_the_2020_22_text() -> None:
    # https://ufaauto24.com/7pAr9dyY.html (a copy of the Bezirksregierung's 2020-22 text)
    # "55. 000 Euro pro Jahr und Koordinator*innenstelle"; 22,500 € a year per 0.5 post.
    g = grant(
        StaffingPlan.from_fte(
            "Kreis Heinsberg", 2021, {"coordination": "3.5", "admin-assistance": "0.5"}
        )
    )
    assert [line.amount for line in g.lines] == [Euro("192500"), Euro("22500")]
    assert g.lines[0].status is Status.CONFIRMED
    assert g.lines[1].status is Status.INFERRED  # read only from the low-quality copy
    assert "bra-kim-2020-copy" in g.lines[1].sources


def test_heinsberg_2021_posts_add_up_to_eleven_and_a_half() -> None:
    # https://heinsberg-magazin.de/2021/07/06/stefan-lenzen-mdl-land-nrw-staerkt-kommunales-integrationsmanagement/
    # "insgesamt 11,5 Personalstellen" over the three Bausteine in 2021.
    rows = {r.component: r.posts for r in observed_posts(year=2021) if r.unit == "05370"}
    quota = embedded_parameters()
    b1 = (
        quota.value("coordination_posts_kreis", date(2021, 1, 1)).value
        + quota.value("admin_assistance_posts_kreis", date(2021, 1, 1)).value
    )
    cm, b3 = rows[Component.CASE_MANAGEMENT], rows[Component.AUTHORITIES]
    assert cm == 6 and b3 == Decimal("1.5")
    assert b1 + cm + b3 == Decimal("11.5")


def test_extra_ten_million_for_the_authorities_2022_is_a_planned_figure() -> None:
    # https://www.cdu-nrw-fraktion.de/artikel/heike-wermer-zu-top-2-2-lesung-gesetz-ueber-die-feststellung-des-haushaltsplans-des-landes
    p = embedded_parameters()
    extra = p.value("authorities_extra_budget", date(2022, 6, 1))
    assert extra.value == 10_000_000 and extra.status is Status.INFERRED
    budget = p.value("kim_budget", date(2022, 6, 1))
    assert budget.value == 75_000_000 and budget.status is Status.INFERRED
    assert "10 Mio" in (budget.note or "")  # both figures stay visible


def test_application_deadline_and_payment_mode_2020_22() -> None:
    # https://ufaauto24.com/7pAr9dyY.html (copy of the BR's 2020-22 text): the first
    # round closed on 28.12.2020, later ones by 30 October of the year before; Baustein 1
    # is paid on request, Bausteine 2 and 3 without an application on fixed dates.
    from kim.dated import rule_variant

    first = rule_variant("coordination_application_deadline", date(2020, 12, 1))
    assert first is not None and first.data["deadline"] == date(2020, 12, 28)
    later = rule_variant("coordination_application_deadline", date(2022, 3, 1))
    assert later is not None and "30 October" in later.data["deadline_rule"]
    assert rule_variant("coordination_application_deadline", date(2023, 3, 1)) is None
    pay = rule_variant("payment_mode", date(2021, 2, 1))
    assert pay is not None and "without an application" in pay.data["text"]
    assert pay.data["status"] == "inferred"
