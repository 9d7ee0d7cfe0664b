"""A web API over the library: ``kim serve`` (the optional ``api`` extra: FastAPI, uvicorn).

[`create_app()`][kim.server.create_app] builds a FastAPI application whose request and response
models are the library's own, so the OpenAPI document (``/openapi.json``) describes exactly what
the library takes and gives. Every computing endpoint takes supplied values in its
body (``supplied``: ``set``, ``note``, ``scenario``, ``facts``), which carry the status
``supplied`` into the result.

Errors are RFC 9457 problem details (``application/problem+json``) with per-field
locations and the library's rule ids; they never repeat the values sent. Every response
carries the headers ``Kim-Version`` and ``Kim-Data-Hash`` (the content hash of the
embedded data), so a figure can be reproduced later.

| method and path | answer |
|---|---|
| ``GET /units``, ``GET /units/{name}`` | the 54 KIM units; one unit or municipality |
| ``POST /rates`` | parameter values of a year or day, with status and sources |
| ``POST /coverage`` | per parameter and year: confirmed ... missing |
| ``POST /eligibility`` | a decision, its missing facts as data, its explanation |
| ``POST /grant`` | a grant from a staffing plan |
| ``POST /explanation``, ``POST /explanation.html`` | a grant's explanation, JSON or HTML |
| ``POST /report`` | the statewide run of a year |
| ``POST /case-log/validate`` | a JSONL case log checked: unreadable lines, refused events |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kim._version import __version__
from kim.components import Component
from kim.eligibility import Decision
from kim.errors import InputError, KimError, MissingValueError, UnknownNameError
from kim.explain import Explanation
from kim.facts import Facts, Supplied, supply
from kim.funding.model import Grant, StaffingPlan
from kim.receipt import data_hash
from kim.scenarios.model import Scenario
from kim.situation import MissingFact

__all__ = [
    "CaseLogCheck",
    "EligibilityAnswer",
    "EligibilityRequest",
    "GrantRequest",
    "Problem",
    "RatesRequest",
    "ReportRequest",
    "SuppliedValues",
    "create_app",
    "serve",
]

PROBLEM_JSON = "application/problem+json"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SuppliedValues(_Request):
    """Values the caller supplies (status ``supplied``), as on the command line."""

    set: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="PARAM=VALUE[@FROM..TO] assignments.",
        examples=[["case_management_flat_rate=59000@2024"]],
    )
    note: str | None = Field(default=None, max_length=500, description="Where they come from.")
    scenario: Scenario | None = Field(default=None, description="A scenario.")
    facts: Facts | None = Field(default=None, description="Facts of municipalities and units.")

    def bundle(self, year: int | None) -> Supplied:
        """The [`Supplied`][kim.facts.Supplied] bundle."""
        return supply(
            scenario=self.scenario,
            assignments=self.set,
            facts=self.facts,
            year=year,
            note=self.note,
        )


class RatesRequest(_Request):
    """Which parameter values to list."""

    year: int | None = Field(default=None, ge=1900, le=2200, description="A year.")
    on: dt.date | None = Field(default=None, description="A day (instead of a year).")
    supplied: SuppliedValues = Field(default_factory=SuppliedValues)


class CoverageRequest(_Request):
    """The years to cover."""

    first: int = Field(default=2020, ge=2000, le=2100, description="First year.")
    last: int = Field(default=2025, ge=2000, le=2100, description="Last year.")
    supplied: SuppliedValues = Field(default_factory=SuppliedValues)


class EligibilityRequest(_Request):
    """An eligibility question, optionally with answers to missing facts."""

    entity: str = Field(min_length=1, max_length=200, description="Key, name or alias.")
    component: Literal[1, 2, 3] = Field(description="The component (Baustein).")
    on: dt.date = Field(description="The date asked about.")
    extra_coordination: bool = Field(default=False, description="The extra post (Baustein 1).")
    situation: dict[str, bool | float | str] = Field(
        default_factory=dict,
        max_length=50,
        description="Answers to missing facts, keyed as missing_facts lists them.",
    )
    supplied: SuppliedValues = Field(default_factory=SuppliedValues)


class EligibilityAnswer(BaseModel):
    """A decision with its missing facts (as data) and its explanation."""

    decision: Decision
    missing_facts: list[MissingFact]
    explanation: Explanation


class GrantRequest(_Request):
    """A staffing plan and supplied values."""

    plan: StaffingPlan
    supplied: SuppliedValues = Field(default_factory=SuppliedValues)


class ReportRequest(_Request):
    """A statewide run."""

    year: int | None = Field(default=None, ge=2020, le=2100, description="Funding year.")
    supplied: SuppliedValues = Field(default_factory=SuppliedValues)


class LogRefusal(BaseModel):
    """A refused event: its line, its type and the rule (error class); no case data."""

    line: int
    event: str
    rule: str


class LogLineProblem(BaseModel):
    """An unreadable line of the log."""

    line: int
    problem: str


class CaseLogCheck(BaseModel):
    """The check of a case log: counts, unreadable lines, refused events."""

    events: int
    cases: int
    unreadable: list[LogLineProblem]
    refused: list[LogRefusal]
    valid: bool


class ProblemField(BaseModel):
    """One field a problem concerns."""

    loc: list[str | int] = Field(description="Where: ['body', 'plan', 'posts', 0, 'fte'].")
    msg: str = Field(description="What is wrong (never the value sent).")
    type: str = Field(description="pydantic's error type, or the library's error class.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="A URI naming the problem type.")
    title: str = Field(description="A short summary.")
    status: int = Field(description="The HTTP status.")
    detail: str | None = Field(default=None, description="This occurrence, explained.")
    rule: str | None = Field(default=None, description="The library's rule or parameter id.")
    errors: list[ProblemField] = Field(default_factory=list, description="Per-field problems.")


def _problem(status: int, title: str, **fields: Any) -> JSONResponse:
    body = Problem(status=status, title=title, **fields).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _redact(error: Mapping[str, Any]) -> str:
    """Pydantic's message without the value sent (a message may quote it)."""
    msg = str(error.get("msg", ""))
    value = error.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
        for text in (repr(value), str(value)):
            msg = msg.replace(text, "<value>")
    return msg


def _rates_rows(request: RatesRequest, bundle: Supplied) -> list[dict[str, Any]]:
    if request.on is not None:
        start = end = request.on
    elif request.year is not None:
        start, end = dt.date(request.year, 1, 1), dt.date(request.year, 12, 31)
    else:
        start, end = dt.date.min, dt.date.max
    rows: list[dict[str, Any]] = []
    for p in bundle.parameters.values():
        for v in p.overlapping(start, end):
            end_day = p.effective_end(v)
            rows.append(
                {
                    "parameter": p.id,
                    "value": str(v.value),
                    "unit": p.unit.value,
                    "per": p.reference_period.value,
                    "start": v.start.isoformat(),
                    "end": end_day.isoformat() if end_day else None,
                    "status": v.status.value,
                    "sources": list(v.sources),
                    "note": v.note,
                }
            )
    return rows


def create_app() -> FastAPI:
    """The FastAPI application (needs the ``api`` extra: ``pip install kim-nrw[api]``).

    Examples:
        >>> from fastapi.testclient import TestClient
        >>> client = TestClient(create_app())
        >>> r = client.post("/grant", json={"plan": {"recipient": "Kreis Coesfeld",
        ...     "year": 2023, "posts": [{"kind": "case_management", "fte": 12}]}})
        >>> r.status_code, r.json()["total"], r.headers["kim-version"] == __version__
        (200, '684000.00', True)

    """
    app = FastAPI(
        title="kim-nrw",
        version=__version__,
        description="Kommunales Integrationsmanagement NRW: sourced rules, rates and grants.",
    )

    @app.middleware("http")
    async def _receipt_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Kim-Version"] = __version__
        response.headers["Kim-Data-Hash"] = data_hash()
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            ProblemField(loc=list(e.get("loc", ())), msg=_redact(e), type=str(e["type"]))
            for e in error.errors()
        ]
        return _problem(
            422, "Invalid request", detail="See 'errors' for each field.", errors=fields
        )

    @app.exception_handler(KimError)
    async def _kim_error(request: Request, error: KimError) -> Any:
        from kim._model import ModelInputError

        rule = getattr(error, "cause", None) or getattr(error, "code", None)
        rule = rule if isinstance(rule, str) else None
        status = 422
        fields: list[ProblemField] = []
        if isinstance(error, MissingValueError):
            rule = error.parameter
        elif isinstance(error, UnknownNameError):
            status = 404
        elif isinstance(error, ModelInputError):
            fields = [
                ProblemField(loc=["body", *loc.split(".")], msg=msg, type="value_error")
                for loc, msg in error.problems
            ]
        return _problem(status, type(error).__name__, detail=str(error), rule=rule, errors=fields)

    @app.get("/units", summary="The 54 KIM units")
    def units() -> list[dict[str, Any]]:
        from kim.territory import embedded_territory

        return [
            {"key": d.key, "name": d.name, "type": d.type.value, "population": d.population.value}
            for d in embedded_territory().districts()
        ]

    @app.get("/units/{name}", summary="One unit or municipality by key, name or alias")
    def unit(name: str) -> dict[str, Any]:
        from kim.territory import District, embedded_territory

        found = embedded_territory().find(name)
        data: dict[str, Any] = found.model_dump(mode="json")
        data["kind"] = "unit" if isinstance(found, District) else "municipality"
        return data

    @app.post("/rates", summary="Parameter values with status and sources")
    def rates(request: RatesRequest) -> list[dict[str, Any]]:
        return _rates_rows(request, request.supplied.bundle(request.year))

    @app.post("/coverage", summary="Per parameter and year: confirmed ... missing")
    def coverage(request: CoverageRequest) -> dict[str, Any]:
        from kim.parameters import coverage as cover

        if request.last < request.first:
            raise InputError(f"last ({request.last}) is before first ({request.first})")
        result = cover(
            request.supplied.bundle(None).parameters, range(request.first, request.last + 1)
        )
        return result.model_dump(mode="json")

    @app.post("/eligibility", summary="A decision, its missing facts and its explanation")
    def eligibility(request: EligibilityRequest) -> EligibilityAnswer:
        from kim.eligibility import decide
        from kim.situation import decide_again, missing_facts

        bundle = request.supplied.bundle(request.on.year)
        d = decide(
            request.entity,
            Component(request.component),
            request.on,
            extra_coordination=request.extra_coordination,
            territory=bundle.territory,
        )
        if request.situation:
            d = decide_again(
                d, request.situation, territory=bundle.territory, parameters=bundle.parameters
            )
        return EligibilityAnswer(
            decision=d,
            missing_facts=list(missing_facts(d, bundle.territory)),
            explanation=d.explain(),
        )

    def _grant(request: GrantRequest) -> Grant:
        from kim.funding.rules import grant

        bundle = request.supplied.bundle(request.plan.year)
        return grant(request.plan, parameters=bundle.parameters, territory=bundle.territory)

    @app.post("/grant", summary="A grant from a staffing plan")
    def grant_endpoint(request: GrantRequest) -> Grant:
        return _grant(request)

    @app.post("/explanation", summary="A grant's explanation (JSON)")
    def explanation(request: GrantRequest) -> Explanation:
        return _grant(request).explain()

    @app.post(
        "/explanation.html", summary="A grant's explanation (HTML)", response_class=HTMLResponse
    )
    def explanation_html(request: GrantRequest, lang: Literal["en", "de"] = "en") -> str:
        return _grant(request).explain().to_html(lang)

    @app.post("/report", summary="The statewide run of a year")
    def report(request: ReportRequest) -> dict[str, Any]:
        import json

        from kim.scenarios.statewide import run_statewide

        bundle = request.supplied.bundle(request.year)
        run = run_statewide(request.year, bundle.scenario)
        data: dict[str, Any] = json.loads(run.to_json())
        return data

    @app.post(
        "/case-log/validate",
        summary="Check a JSONL case log (the body is the log's text)",
        openapi_extra={
            "requestBody": {
                "content": {"text/plain": {"schema": {"type": "string"}}},
                "required": True,
            }
        },
    )
    async def case_log(request: Request) -> CaseLogCheck:
        from kim.casework import read_jsonl
        from kim.casework.machine import replay_log

        body = await request.body()
        if len(body) > 10_000_000:
            raise InputError("the log is larger than 10 MB; check it with `kim case replay`")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the log is not UTF-8 text") from None
        parsed = read_jsonl(text, source="request", strict=False)
        result = replay_log(parsed.events, lines=parsed.lines)
        return CaseLogCheck(
            events=result.events,
            cases=len(result.cases),
            unreadable=[LogLineProblem(line=p.line, problem=p.problem) for p in parsed.problems],
            refused=[
                LogRefusal(line=r.line, event=str(r.event), rule=r.error) for r in result.refused
            ],
            valid=not parsed.problems and not result.refused,
        )

    return app


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn on ``host:port`` (loopback by default)."""
    import uvicorn

    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
