"""The command line and the web API follow grant() and decide() for the new rules."""

from __future__ import annotations

import pytest

from kim.cli import main

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from kim.server import create_app  # noqa: E402

OUTSIDE = {
    "recipient": "Kreis Unna",
    "year": 2022,
    "posts": [
        {
            "kind": "case_management",
            "fte": 1,
            "employer": "municipality",
            "final_recipient": "Rheine",
            "final_recipient_key": "05566076",
        }
    ],
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_api_refuses_a_line_passed_on_outside_the_kreis(client: TestClient) -> None:
    # § 9 (2) TIntG: a Kreis passes money on to municipalities within it.
    r = client.post("/grant", json={"plan": OUTSIDE})
    assert r.status_code == 200
    line = r.json()["lines"][0]
    assert line["refused"]["rule"] == "forwarding_within_kreis"
    assert line["refused"]["sources"] == ["tintg-9"]
    assert r.json()["total"] == "0.00"
    assert any("refused" in w["en"] for w in r.json()["warnings"])


def test_api_decides_an_unlisted_town_as_undetermined(client: TestClient) -> None:
    q = {"entity": "Stadt Nirgendwo", "component": 3, "on": "2020-12-31"}
    r = client.post("/eligibility", json=q)
    assert r.status_code == 200
    decision = r.json()["decision"]
    assert decision["outcome"] == "undetermined"
    assert decision["missing"][0] == "the AGS of Stadt Nirgendwo (which Kreis it lies in)"
    r = client.post("/eligibility", json={**q, "entity": "Kreis Coesfelt"})
    assert r.status_code == 404 and r.json()["title"] == "UnknownNameError"
    assert client.get("/units/Stadt Düren").json()["ags"] == "05358008"
    assert client.get("/units/Düren").json()["key"] == "05358"


def test_cli_grant_for_stadt_dueren_and_an_unlisted_town(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # https://herzog-magazin.de/nachrichten/politik/100-000-euro-fuer-integration
    code = main(["grant", "--district", "Stadt Düren", "--year", "2020", "--post", "abh=0.5"])
    out = capsys.readouterr().out
    assert code == 0 and "Düren (05358008)" in out and "EUR 25,000.00" in out
    code = main(["grant", "--district", "Stadt Nirgendwo", "--year", "2020", "--post", "abh=0.5"])
    out = capsys.readouterr().out
    assert code == 0 and "Stadt Nirgendwo (unlisted)" in out and "undetermined" in out
    assert main(["grant", "--district", "Kreis Coesfelt", "--year", "2020", "--post", "abh=1"]) == 2
    assert "Did you mean 'Kreis Coesfeld'" in capsys.readouterr().err
