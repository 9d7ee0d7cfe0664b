"""Towns with their own authority in the statewide run: one row each under its Kreis.

Published figures:
- 2020: 200 half posts, 5,000,000 € for the Ausländer- and Einbürgerungsbehörden
  (https://www.mkjfgfi.nrw/pressemitteilung/kommunales-integrationsmanagement-land-foerdert-stellen-allen-auslaender-und);
- 2020: Kreis Düren 75,000 € and Stadt Düren 25,000 € in its own name
  (https://herzog-magazin.de/nachrichten/politik/100-000-euro-fuer-integration).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from kim.components import Component
from kim.money import Euro
from kim.scenarios import run_statewide
from kim.scenarios.results import FigureStatus, StatewideRun

B3 = Component.AUTHORITIES


@pytest.fixture(scope="module")
def run() -> StatewideRun:
    return run_statewide(2020)


def test_the_published_b3_total_is_kept_to_the_cent(run: StatewideRun) -> None:
    part = run.breakdown[B3]
    assert run.totals[B3] == Euro("5000000.00")
    assert part.point == Euro("5000000.00") and part.missing == 0
    # The published total binds the estimates: their sum has no interval left.
    assert part.estimated_low == part.estimated == part.estimated_high


def test_dueren_has_its_own_row_and_the_kreis_keeps_its_own_money(run: StatewideRun) -> None:
    kreis = next(u for u in run.units if u.key == "05358")
    assert kreis.components[B3].grant == Euro("75000.00")
    (town,) = run.towns_by_kreis()["05358"]
    assert (town.ags, town.grant, town.status) == ("05358008", Euro("25000.00"), "inferred")
    town_money = sum((t.grant for t in run.towns), Euro(0))
    units_money = sum((u.components[B3].grant or Euro(0) for u in run.units), Euro(0))
    assert units_money + town_money == run.totals[B3]


def test_an_estimated_town_row_has_an_interval_above_the_rules_floor(run: StatewideRun) -> None:
    estimated = [t for t in run.towns if t.status is FigureStatus.ESTIMATED]
    assert estimated
    for town in estimated:
        floor = Euro(25000 * len(town.kinds))  # one half post per authority (2020)
        assert floor <= town.grant_low <= town.grant <= town.grant_high


def test_rows_put_each_town_right_after_its_kreis(run: StatewideRun) -> None:
    rows = run.rows()
    keys = [r["key"] for r in rows]
    for town in run.towns:
        at = keys.index(town.ags)
        before = rows[at - 1]
        assert before["key"] == town.kreis or before["key"][:5] == town.kreis
        assert rows[at]["type"] == "municipality" and rows[at]["b1_grant"] is None
    assert len(rows) == len(run.units) + len(run.towns)
    table = list(csv.DictReader(io.StringIO(run.to_csv())))
    assert {r["key"] for r in table if r["type"] == "municipality"} == {t.ags for t in run.towns}


def test_a_unit_without_an_authority_gets_nothing_not_a_gap(run: StatewideRun) -> None:
    aachen = next(u for u in run.units if u.key == "05334002")
    figure = aachen.components[B3]
    assert figure.grant == Euro("0.00") and figure.status is FigureStatus.ESTIMATED


def test_kim_report_prints_the_town_rows_under_their_kreis() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kim", "report", "--year", "2020"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("↳ Düren (B3)"))
    assert out[at - 1].startswith("Kreis Düren")
    assert "25,000.00" in out[at] and "inferred" in out[at]
    assert all(len(line) <= 80 for line in out if line.startswith("↳"))
