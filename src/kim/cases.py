"""Published figures as test cases anyone can run: ``kim check CASES.yaml``.

A case file holds cases written as data, as OpenFisca's YAML tests are: each names its
``source`` (a URL), the funding ``year``, the ``recipient`` and its ``posts``
(kind -> FTE, or kind -> ``{fte, from, to, cost}``, or a list of posts with employer
and final recipient), optional supplied values (``set``, ``facts``) and what the
source says (``expect``): the ``total``, optionally per component, per line, per final
recipient, or an eligibility ``outcome``. [`check_cases()`][kim.cases.check_cases] runs every case
and reports pass or fail with the differences; ``kim check`` exits with status 1 when a
case fails, so a Kreis can add its own notice without writing Python.

``expect`` also takes ``notified`` and ``settled`` (the amount in the notice and the
amount settled): they are checked against the grant's ``notice`` and ``settlement``.

Examples:
    >>> text = '''
    ... cases:
    ...   - name: Kreis Coesfeld 2023
    ...     source: https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
    ...     year: 2023
    ...     recipient: Kreis Coesfeld
    ...     posts: {case-management: 12}
    ...     expect: {total: 684000, components: {2: 684000}}
    ... '''
    >>> report = check_cases(parse_cases(text))
    >>> report.passed, report.results[0].differences
    (True, ())

"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from kim._model import FrozenMap, KimModel, frozen_map
from kim.components import Component, EmployerKind, PostKind
from kim.errors import InputError, KimError
from kim.money import Euro
from kim.parameters.model import Status

__all__ = [
    "CASES_SCHEMA_VERSION",
    "CaseFile",
    "CasePost",
    "CaseResult",
    "CheckReport",
    "Difference",
    "EligibilityQuestion",
    "Expectation",
    "FiguresCase",
    "LineExpectation",
    "check_cases",
    "load_cases",
    "parse_cases",
]

CASES_SCHEMA_VERSION = "1"
"""The version of the case-file format (``kim schema cases`` prints its JSON Schema)."""


class CasePost(KimModel):
    """Posts of one kind in a case: FTE, optionally when filled and what they cost."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    kind: PostKind = Field(description="coordination, case-management, ... (hyphens allowed).")
    fte: Decimal = Field(gt=0, le=1000, description="Full-time equivalents.")
    start: dt.date | None = Field(default=None, alias="from", description="Filled from.")
    end: dt.date | None = Field(default=None, alias="to", description="Filled until.")
    cost: Decimal | None = Field(default=None, ge=0, description="Actual personnel cost.")
    employer: EmployerKind = Field(default=EmployerKind.RECIPIENT, description="Employer.")
    final_recipient: str | None = Field(default=None, description="Who gets the money.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        from kim.funding.model import parse_post_kind

        return parse_post_kind(value) if isinstance(value, str) else value


class LineExpectation(KimModel):
    """What the source says about one grant line (every field optional)."""

    amount: Decimal | None = Field(default=None, description="Amount granted.")
    full_amount: Decimal | None = Field(default=None, description="Flat rate before caps.")
    months: int | None = Field(default=None, ge=0, le=12, description="Months filled.")
    units: Decimal | None = Field(default=None, description="FTE or half posts multiplied.")
    status: Status | None = Field(default=None, description="Status of the rate.")
    capped: bool | None = Field(default=None, description="Whether a cap bound.")
    own_share: Decimal | None = Field(default=None, description="Cost minus amount.")
    refused: str | None = Field(default=None, description="Rule id that refused the line.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids the line must cite.")


class Expectation(KimModel):
    """What the source says: at least one figure or an eligibility outcome."""

    total: Decimal | None = Field(default=None, description="The grant's total.")
    components: FrozenMap[int, Decimal] = Field(
        default_factory=lambda: frozen_map({}), description="Total per component (1, 2, 3)."
    )
    lines: tuple[LineExpectation, ...] = Field(default=(), description="Per line, in order.")
    passed_on: FrozenMap[str, Decimal] = Field(
        default_factory=lambda: frozen_map({}), description="Money passed on per final recipient."
    )
    own_share: Decimal | None = Field(default=None, description="The grant's own share.")
    basis: Status | None = Field(default=None, description="Least certain status used.")
    notified: Decimal | None = Field(default=None, description="Amount in the notice.")
    settled: Decimal | None = Field(default=None, description="Amount settled.")
    outcome: str | None = Field(
        default=None, description="Eligibility: eligible, not_eligible or undetermined."
    )

    @model_validator(mode="after")
    def _something(self) -> Expectation:
        if not self.model_fields_set - {"lines"} and not self.lines:
            raise InputError("expect names nothing; give at least 'total' or 'outcome'")
        return self


class EligibilityQuestion(KimModel):
    """An eligibility question: may ``entity`` be funded for ``component`` on ``on``."""

    entity: str = Field(description="Key, name or alias of a unit or municipality.")
    component: int = Field(ge=1, le=3, description="1, 2 or 3.")
    on: dt.date = Field(description="The date asked about.")
    extra_coordination: bool = Field(default=False, description="The extra post (Baustein 1).")


class FiguresCase(KimModel):
    """One case: a published figure, the inputs that should reproduce it, the expectation."""

    name: str = Field(min_length=1, description="A short title.")
    source: str = Field(pattern=r"^https?://\S+$", description="URL of the publication.")
    note: str | None = Field(default=None, description="How the source is read.")
    year: int | None = Field(default=None, ge=2020, le=2100, description="Funding year.")
    recipient: str | None = Field(default=None, description="Key, name or alias of the unit.")
    posts: tuple[CasePost, ...] = Field(default=(), description="The posts.")
    measures: Decimal | None = Field(default=None, ge=0, description="Money for measures.")
    set: tuple[str, ...] = Field(default=(), description="Supplied values, PARAM=VALUE[@FROM..TO].")
    facts: FrozenMap[str, Any] | None = Field(default=None, description="A facts file, inline.")
    eligibility: EligibilityQuestion | None = Field(
        default=None, description="Ask eligibility instead of computing a grant."
    )
    expect: Expectation = Field(description="What the source says.")

    @field_validator("posts", mode="before")
    @classmethod
    def _short(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return [
                {"kind": k, **(v if isinstance(v, Mapping) else {"fte": v})}
                for k, v in value.items()
            ]
        return value

    @field_validator("eligibility", mode="before")
    @classmethod
    def _yaml_on(cls, data: Any) -> Any:
        # YAML 1.1 reads an unquoted key `on` as the boolean true.
        if isinstance(data, Mapping) and True in data:
            return {("on" if k is True else k): v for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _shape(self) -> FiguresCase:
        if self.eligibility is None and (self.year is None or self.recipient is None):
            raise InputError("a grant case needs 'year' and 'recipient'")
        return self


class CaseFile(KimModel):
    """A file of cases."""

    description: str | None = Field(default=None, description="What the cases cover.")
    cases: tuple[FiguresCase, ...] = Field(min_length=1, description="The cases.")


class Difference(KimModel):
    """One figure where the result differs from the expectation."""

    field: str = Field(description="What differs, e.g. 'total' or 'lines[2].amount'.")
    expected: str = Field(description="What the source says.")
    actual: str = Field(description="What the library computes.")


class CaseResult(KimModel):
    """The result of one case."""

    name: str = Field(description="The case's title.")
    source: str = Field(description="Its source URL.")
    passed: bool = Field(description="Whether every expected figure matched.")
    differences: tuple[Difference, ...] = Field(description="The figures that differ.")
    error: str | None = Field(default=None, description="Why the case could not be computed.")


class CheckReport(KimModel):
    """The results of a case file."""

    results: tuple[CaseResult, ...] = Field(description="One per case, in file order.")

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return all(r.passed for r in self.results)

    def text(self) -> str:
        """One line per case (PASS or FAIL), the differences, and a count."""
        lines = []
        for r in self.results:
            lines.append(f"{'PASS' if r.passed else 'FAIL'}  {r.name}")
            if r.error:
                lines.append(f"      error: {r.error}")
            for d in r.differences:
                lines.append(f"      {d.field}: expected {d.expected}, got {d.actual}")
            if not r.passed:
                lines.append(f"      source: {r.source}")
        failed = sum(not r.passed for r in self.results)
        lines.append(f"{len(self.results) - failed} passed, {failed} failed")
        return "\n".join(lines)


def parse_cases(text: str, file: str = "<cases>") -> CaseFile:
    """Parse a case file's text (YAML or JSON), strictly, naming file, line and key."""
    from kim.facts import parse_document

    return parse_document(CaseFile, text, file)


def load_cases(path: str | Path) -> CaseFile:
    """Read a case file."""
    from kim.facts import read_document

    return read_document(CaseFile, path)


def _euro(value: Decimal) -> str:
    return str(Euro(value).amount)


class _Diff:
    def __init__(self) -> None:
        self.items: list[Difference] = []

    def money(self, name: str, expected: Decimal | None, actual: Any) -> None:
        if expected is None:
            return
        got = (
            None if actual is None else Euro(actual.amount if isinstance(actual, Euro) else actual)
        )
        if got is None or got != Euro(expected):
            self.add(name, _euro(expected), "none" if got is None else str(got.amount))

    def same(self, name: str, expected: Any, actual: Any) -> None:
        if expected is not None and expected != actual:
            self.add(name, str(expected), str(actual))

    def add(self, name: str, expected: str, actual: str) -> None:
        self.items.append(Difference(field=name, expected=expected, actual=actual))


def _grant_differences(case: FiguresCase, diff: _Diff) -> None:
    from kim.facts import supply
    from kim.funding.model import Post, StaffingPlan
    from kim.funding.rules import grant
    from kim.periods import DateRange

    assert case.year is not None and case.recipient is not None  # checked by the model
    supplied = supply(assignments=case.set, facts=case.facts, year=case.year)
    posts = []
    for p in case.posts:
        filled = None
        if p.start is not None or p.end is not None:
            filled = DateRange(
                start=p.start or dt.date(case.year, 1, 1), end=p.end or dt.date(case.year, 12, 31)
            )
        posts.append(
            Post(
                kind=p.kind,
                fte=p.fte,
                filled=filled,
                actual_cost=None if p.cost is None else Euro(p.cost),
                employer=p.employer,
                final_recipient=p.final_recipient,
            )
        )
    plan = StaffingPlan(
        recipient=case.recipient,
        year=case.year,
        posts=tuple(posts),
        measures=None if case.measures is None else Euro(case.measures),
    )
    g = grant(plan, parameters=supplied.parameters, territory=supplied.territory)
    e = case.expect
    diff.money("total", e.total, g.total)
    for number, amount in e.components.items():
        diff.money(f"components.{number}", amount, g.component_total(Component.parse(number)))
    for name, amount in e.passed_on.items():
        diff.money(f"passed_on.{name}", amount, g.passed_on_to(name))
    diff.money("own_share", e.own_share, g.own_share)
    diff.same("basis", e.basis, g.basis)
    diff.money("notified", e.notified, g.notice.amount)
    diff.money("settled", e.settled, g.settlement.amount)
    if len(e.lines) > len(g.lines):
        diff.add("lines", f"{len(e.lines)} lines", f"{len(g.lines)} lines")
    for i, (want, line) in enumerate(zip(e.lines, g.lines, strict=False), 1):
        where = f"lines[{i}]"
        diff.money(f"{where}.amount", want.amount, line.amount)
        diff.money(f"{where}.full_amount", want.full_amount, line.full_amount)
        diff.money(f"{where}.own_share", want.own_share, line.own_share)
        diff.same(f"{where}.months", want.months, line.months)
        diff.same(f"{where}.units", want.units, line.units)
        diff.same(f"{where}.status", want.status, line.status)
        diff.same(f"{where}.capped", want.capped, line.capped)
        refused = line.refused.rule if line.refused is not None else None
        diff.same(f"{where}.refused", want.refused, refused)
        for source in want.sources:
            if source not in line.sources:
                diff.add(f"{where}.sources", source, ", ".join(line.sources) or "none")


def _eligibility_differences(case: FiguresCase, diff: _Diff) -> None:
    from kim.eligibility import decide
    from kim.facts import supply

    q = case.eligibility
    assert q is not None
    supplied = supply(assignments=case.set, facts=case.facts, year=q.on.year)
    d = decide(
        q.entity,
        q.component,
        q.on,
        extra_coordination=q.extra_coordination,
        territory=supplied.territory,
    )
    diff.same("outcome", case.expect.outcome, d.outcome.value)


def check_case(case: FiguresCase) -> CaseResult:
    """Run one case; a library error (a missing rate, an unknown name) fails it."""
    diff = _Diff()
    error = None
    try:
        if case.eligibility is not None:
            _eligibility_differences(case, diff)
        else:
            _grant_differences(case, diff)
    except KimError as problem:
        error = str(problem)
    return CaseResult(
        name=case.name,
        source=case.source,
        passed=error is None and not diff.items,
        differences=tuple(diff.items),
        error=error,
    )


def check_cases(cases: CaseFile | Mapping[str, Any] | str | Path) -> CheckReport:
    """Run every case of a case file (a model, its plain data, or a path).

    Examples:
        >>> bad = {"cases": [{"name": "wrong", "source": "https://example.org/x",
        ...         "year": 2023, "recipient": "05558", "posts": {"case-management": 12},
        ...         "expect": {"total": 680000}}]}
        >>> print(check_cases(bad).text())
        FAIL  wrong
              total: expected 680000.00, got 684000.00
              source: https://example.org/x
        0 passed, 1 failed

    """
    if isinstance(cases, CaseFile):
        file = cases
    elif isinstance(cases, Mapping):
        file = CaseFile.model_validate(dict(cases))
    else:
        file = load_cases(cases)
    return CheckReport(results=tuple(check_case(c) for c in file.cases))
