"""The web API: in-process (TestClient), on a real loopback server, and fuzzed."""

import json
import socket
import threading
import time
from collections.abc import Iterator

import fastapi
import pytest
from fastapi.testclient import TestClient

from kim import __version__
from kim.funding import StaffingPlan
from kim.receipt import data_hash
from kim.server import create_app

APP = create_app()
COESFELD = {"recipient": "Kreis Coesfeld", "year": 2023,
            "posts": [{"kind": "case_management", "fte": 12}]}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(APP)


def test_grant_with_receipt_headers(client: TestClient) -> None:
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
    r = client.post("/grant", json={"plan": COESFELD})
    assert r.status_code == 200
    assert r.json()["total"] == "684000.00" and r.json()["basis"] == "confirmed"
    assert r.headers["kim-version"] == __version__
    assert r.headers["kim-data-hash"] == data_hash()


def test_supplied_values_in_the_body(client: TestClient) -> None:
    plan = {**COESFELD, "year": 2024}
    r = client.post("/grant", json={"plan": plan})
    assert r.status_code == 422
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (
        problem["title"] == "MissingValueError" and problem["rule"] == "case_management_flat_rate"
    )
    body = {"plan": plan, "supplied": {"set": ["case_management_flat_rate=59000"],
                                        "note": "own notice"}}  # fmt: skip
    r = client.post("/grant", json=body)
    assert r.status_code == 200 and r.json()["total"] == "708000.00"
    assert r.json()["lines"][0]["rate"]["status"] == "supplied"
    e = client.post("/explanation", json=body).json()
    assert e["kind"] == "grant" and e["receipt"]["data_hash"] == data_hash()
    assert any(p["note"] == "own notice" for p in e["parameters"])
    html = client.post("/explanation.html?lang=de", json=body)
    assert html.headers["content-type"].startswith("text/html") and "708.000,00" in html.text


def test_invalid_bodies_are_problem_details_per_field_without_the_values(
    client: TestClient,
) -> None:
    secret = "Erika Mustermann 1970-01-01"
    plan = {"recipient": "Kreis Coesfeld", "year": 2023,
            "posts": [{"kind": "case_management", "fte": secret}]}  # fmt: skip
    r = client.post("/grant", json={"plan": plan})
    assert r.status_code == 422
    problem = r.json()
    assert problem["status"] == 422 and problem["title"] == "Invalid request"
    assert ["body", "plan", "posts", 0, "fte"] in [e["loc"] for e in problem["errors"]]
    assert "Erika" not in r.text
    r = client.post("/eligibility", json={"entity": secret, "component": 2, "on": "2023-01-01"})
    assert r.status_code == 404 and r.json()["title"] == "UnknownNameError"


def test_eligibility_with_missing_facts_and_a_situation(client: TestClient) -> None:
    q = {"entity": "Siegen", "component": 1, "on": "2025-06-01", "extra_coordination": True}
    answer = client.post("/eligibility", json=q).json()
    assert answer["decision"]["outcome"] == "undetermined"
    (fact,) = answer["missing_facts"]
    assert fact["key"] == "municipality.05970040.auslaenderbehoerde"
    assert fact["question"]["de"].startswith("Hat Siegen")
    again = client.post("/eligibility", json={**q, "situation": {fact["key"]: True}}).json()
    assert again["decision"]["outcome"] == "eligible"
    assert again["explanation"]["kind"] == "eligibility"


def test_rates_coverage_units_report(client: TestClient) -> None:
    rows = client.post("/rates", json={"year": 2023}).json()
    cm = next(r for r in rows if r["parameter"] == "case_management_flat_rate")
    assert cm["value"] == "57000" and cm["status"] == "confirmed"
    cov = client.post("/coverage", json={"first": 2023, "last": 2024}).json()
    assert cov["years"] == [2023, 2024]
    assert len(client.get("/units").json()) == 54
    assert client.get("/units/Kamen").json()["kind"] == "municipality"
    staffing = {"name": "unna", "staffing": {"Kreis Unna": {"case_management": 18}}}
    run = client.post("/report", json={"year": 2023, "supplied": {"scenario": staffing}}).json()
    unna = next(u for u in run["units"] if u["key"] == "05978")
    assert unna["components"]["2"]["grant"] == "1026000.00"


def test_case_log_validation_names_lines_and_rules_only(client: TestClient) -> None:
    from pathlib import Path

    log = (Path(__file__).parent.parent / "docs/examples/case-log.jsonl").read_text("utf-8")
    r = client.post("/case-log/validate", content=log.encode("utf-8"))
    assert r.status_code == 200
    result = r.json()
    assert result["events"] > 0 and result["cases"] > 0
    bad = client.post("/case-log/validate", content=b'{"v": 1, "not": "an event"}\nnot json\n')
    assert bad.json()["valid"] is False and [p["line"] for p in bad.json()["unreadable"]] == [1, 2]


def test_openapi_is_built_from_kims_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"Grant", "StaffingPlan", "Decision", "Explanation", "MissingFact"} <= set(schemas)
    assert spec["info"]["version"] == __version__


def test_kim_models_keep_per_field_errors_in_a_developers_own_app() -> None:
    app = fastapi.FastAPI()

    @app.post("/plan")
    def echo(plan: StaffingPlan) -> dict[str, str]:
        return {"recipient": plan.recipient}

    r = TestClient(app).post("/plan", json={"recipient": "05558", "year": "next",
                                            "posts": [{"kind": "x", "fte": -1}]})  # fmt: skip
    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["detail"]]
    assert ["body", "year"] in locs
    assert ["body", "posts", 0, "kind"] in locs and ["body", "posts", 0, "fte"] in locs
    ok = TestClient(app).post("/plan", json={"recipient": "05558", "year": 2023})
    assert ok.json() == {"recipient": "05558"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(APP, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start in 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_real_server_on_loopback(live_server: str) -> None:
    import httpx

    r = httpx.post(f"{live_server}/grant", json={"plan": COESFELD}, timeout=30)
    assert r.status_code == 200 and r.json()["total"] == "684000.00"
    assert r.headers["kim-data-hash"] == data_hash()
    r = httpx.post(f"{live_server}/grant", content=b"{", timeout=30,
                   headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422 and r.json()["status"] == 422
    assert json.loads(httpx.get(f"{live_server}/openapi.json", timeout=30).text)["openapi"]
