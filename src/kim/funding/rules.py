"""The funding rules: from a staffing plan to a grant, line by line.

The rules, each with its source:

* **Post line.** The flat rate in force for the kind of post and the funding year ×
  the post's FTE (or its half posts, for a rate per 0.5 post) × the share of the year
  it is filled ([`kim.periods.year_share()`][kim.periods.year_share]: whole months / 12).
  Multiplying is exact; the result is rounded once, to the cent, half up.
* **Cap at actual cost.** The state pays the flat rate but never more than the post
  really costs (Kreis Heinsberg passes the rate on "in the amount of the actual
  personnel cost, at most 55,000 € per FTE": ``heinsberg-vo-2459``,
  ``heinsberg-to-16082``). When ``actual_cost`` is given, the line is
  ``min(flat rate applied, actual cost)`` and the own share (Eigenanteil) is
  ``actual cost − grant``.
* **Minimum share.** Post shares below the minimum (0.5 FTE, ``kamen-141-2021``) are
  refused: the line stays in the grant with 0 € and names the rule. The rule itself
  lives in [`kim.eligibility.minimum_share_reason()`][kim.eligibility.minimum_share_reason].
* **Workplace.** Setting up the workplace of a post marked ``needs_new_workplace`` is
  paid up to the amount per FTE and year (9,700 € in 2021-22, ``bra-kim-2020-copy``;
  5,700 € in 2023, ``bra-kim``; the older text says "pro Jahr" and no source says
  "once"), not pro rata, in Baustein 1 only: Kreis Heinsberg
  notes that case-management posts get no money for the workplace
  (``heinsberg-to-11894``).
* **Events and measures** (Baustein 1). No statewide rule for the amount is known:
  the amount asked for is passed through, capped only by a value the parameter set
  holds for the recipient itself (the StädteRegion Aachen's 40,000 € in 2024 and
  15,000 € in 2025). The grant says so at the top.
* **Strict years.** The rate for a year is the value in force on 1 January, and it
  must hold until 31 December; a year without a known rate raises
  [`MissingValueError`][kim.errors.MissingValueError] unchanged. Pass your own
  [`ParameterSet`][kim.parameters.model.ParameterSet] (``parameters=``) to use other values; they
  carry the status ``supplied`` and the grant says so at the top.
* **Notice versus settlement.** Every line carries two amounts. ``notified`` is what
  the notice (Bewilligung) grants: the flat rate for the whole notice period per
  allocated post, paid before the posts are filled (Kreis Heinsberg 2021: 330,000 €
  for six case-management posts "ausgezahlt bzw. zugesagt" before they were filled,
  ``heinsberg-to-11894``; Minden-Lübbecke's 2021 rates paid in early February,
  ``mdl-pm-2021-03-12``). The notice period is the calendar year, except for case
  management in 2020 (01.07.–31.12.2020, ``coesfeld-sv-9-1769``). ``amount`` is what
  is due after settlement (Verwendungsnachweis): months filled pro rata and at most the
  actual cost. The months-filled pro rata is the library's own reading (no source
  states it for the settlement): wherever it lowers a line, the line and the grant are
  ``inferred`` and the grant says so first.
* **Passing on within the Kreis.** A post employed by a municipality must lie in the
  recipient Kreis (first five digits of its AGS, when given); a kreisfreie Stadt has no
  municipalities to pass money to. Otherwise the line carries the failed check and a
  warning, and the grant warns
  ([`kim.eligibility.forwarding_target_reason()`][kim.eligibility.forwarding_target_reason],
  ``tintg-9``); the amount is left as computed, as in the batch engine.
* **Recipient eligibility.** For each component used,
  [`kim.eligibility.decide()`][kim.eligibility.decide] is asked about the last day a post of that
  component is filled in the year; a ``not_eligible`` answer refuses the lines of that component.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any

from kim._model import construct
from kim.components import POST_KINDS, Component, EmployerKind, PostKind
from kim.eligibility import (
    Decision,
    Outcome,
    Reason,
    decide,
    forwarding_target_reason,
    minimum_share_reason,
)
from kim.errors import InputError, MissingValueError
from kim.explain import labels
from kim.funding.model import (
    ComponentTotal,
    Grant,
    GrantFigure,
    GrantLine,
    LineKind,
    PassedOn,
    Post,
    StaffingPlan,
)
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import Labels, ParameterSet, ParameterValue, ReferencePeriod, Status
from kim.periods import DateRange, YearShare, funding_year, year_share
from kim.rule_ids import RuleId
from kim.territory.model import District, Municipality
from kim.territory.registry import Territory, embedded_territory

__all__ = [
    "MEASURES_PARAMETER",
    "RATE_PARAMETERS",
    "WORKPLACE_PARAMETER",
    "grant",
    "grants",
    "line_amount",
    "notice_period",
    "rate_for",
]

RATE_PARAMETERS: Mapping[PostKind, str] = MappingProxyType(
    {kind: entry.rate_parameter for kind, entry in POST_KINDS.items()}
)
"""The parameter that holds the flat rate of each kind of post (from the registry)."""

WORKPLACE_PARAMETER = "workplace_setup"
"""The parameter for setting up a workplace (per FTE and year, at most)."""

MEASURES_PARAMETER = "coordination_measures_budget"
"""A parameter holding a recipient's own cap for events and measures (scoped to it)."""

_WORKPLACE_KINDS = frozenset(kind for kind, entry in POST_KINDS.items() if entry.workplace)
_HALF = Decimal("0.5")
_ZERO = Euro(0)
_D0 = Decimal(0)
_PARTIAL_OWN_SHARE = labels(
    "Der Eigenanteil umfasst nur die Zeilen mit angegebenen Kosten.",
    "The own share covers only the lines whose cost was given.",
)


_NOTICE_SOURCES = ("heinsberg-to-11894", "mdl-pm-2021-03-12", "coesfeld-sv-9-1769")
_SETTLEMENT_SOURCES = ("heinsberg-vo-2459", "heinsberg-to-16082")
_NOTICE_TEXT = labels(
    "Bewilligung: die Pauschale für den ganzen Bewilligungszeitraum je zugewiesener Stelle, "
    "ohne Kürzung für Monate vor der Besetzung und ohne Kostendeckel.",
    "Notice (Bewilligung): the flat rate for the whole notice period per allocated post, "
    "not reduced for months before the post is filled and not capped at cost.",
)
_SETTLEMENT_TEXT = labels(
    "Verwendungsnachweis: die Pauschale anteilig für die vollen Monate der Besetzung, "
    "höchstens die tatsächlichen Kosten (Anteil nach Monaten: Lesart der Bibliothek).",
    "Settlement (Verwendungsnachweis): the flat rate for the whole months filled, at most "
    "the actual cost (the months-filled share is the library's own reading).",
)
_PRO_RATA_CAVEAT = labels(
    "Der abgerechnete Betrag kürzt die Pauschale nach besetzten Monaten; das ist eine Lesart "
    "der Bibliothek (erschlossen), keine Quelle nennt sie für den Verwendungsnachweis. "
    "Bewilligt wird die Pauschale für den ganzen Zeitraum.",
    "The settled amount reduces the flat rate by the months filled; that is the library's "
    "own reading (inferred), no source states it for the settlement. The notice grants the "
    "flat rate for the whole period.",
)


def notice_period(component: Component, year: int) -> DateRange | None:
    """The notice period (Bewilligungszeitraum) of a component within ``year``.

    The calendar year; case management began on 01.07.2020, so its 2020 notice covered
    01.07.–31.12.2020 (``coesfeld-sv-9-1769``). ``None`` before that.

    Examples:
        >>> str(notice_period(Component.CASE_MANAGEMENT, 2020))
        '2020-07-01..2020-12-31'
        >>> notice_period(Component.CASE_MANAGEMENT, 2021).start
        datetime.date(2021, 1, 1)

    """
    whole = funding_year(year)
    if component is not Component.CASE_MANAGEMENT:
        return whole
    start = max(whole.start, component.start.start)
    if start > whole.end:
        return None
    return DateRange(start=start, end=whole.end)


def rate_for(parameter: str, year: int, parameters: ParameterSet) -> ParameterValue:
    """The value of ``parameter`` for the funding year ``year``, strictly.

    The value in force on 1 January must still be in force on 31 December: a yearly
    flat rate cannot change within the year.

    Raises:
        MissingValueError: no value on 1 January or on 31 December (unchanged from the
            parameter set).
        InputError: the value changes within the year.

    Examples:
        >>> from kim.parameters import embedded_parameters
        >>> rate_for("case_management_flat_rate", 2022, embedded_parameters()).value
        Decimal('55000')

    """
    first = parameters.value(parameter, date(year, 1, 1))
    last = parameters.value(parameter, date(year, 12, 31))
    if first is not last and first != last:
        raise InputError(
            f"{parameter} changes within {year} (a value from {first.start.isoformat()} and "
            f"one from {last.start.isoformat()}); a yearly flat rate needs one value for the "
            "whole year. Supply one value from 1 January to 31 December."
        )
    return first


@cache
def _full_year(year: int) -> tuple[DateRange, YearShare]:
    whole = funding_year(year)
    return whole, year_share(whole, year)


_RANK = {s: i for i, s in enumerate(Status)}


def _weakest(statuses: Iterable[Status]) -> Status | None:
    return max(statuses, key=_RANK.__getitem__, default=None)


class _Context:
    """Per-call caches: each rate, share, check and decision is computed once."""

    def __init__(self, year: int, parameters: ParameterSet, territory: Territory) -> None:
        self.year = year
        self.parameters = parameters
        self.territory = territory
        self.first_day = date(year, 1, 1)
        self.whole_year, self.full_share = _full_year(year)
        self._rates: dict[str, tuple[ParameterValue, Euro, ReferencePeriod]] = {}
        self._shares: dict[DateRange, YearShare] = {}
        self._minimum: dict[Decimal, Reason] = {}
        self._minimum_value: ParameterValue | bool | None = False
        self._notice: dict[Component, int] = {}
        self.district: District | None = None  # the recipient, set per grant

    def notice_months(self, component: Component) -> int:
        found = self._notice.get(component)
        if found is None:
            period = notice_period(component, self.year)
            found = 0 if period is None else year_share(period, self.year).months
            self._notice[component] = found
        return found

    def rate(self, parameter: str) -> tuple[ParameterValue, Euro, ReferencePeriod]:
        found = self._rates.get(parameter)
        if found is None:
            value = rate_for(parameter, self.year, self.parameters)
            period = self.parameters[parameter].reference_period
            found = (value, Euro(value.value), period)
            self._rates[parameter] = found
        return found

    def share(self, filled: DateRange | None) -> YearShare:
        if filled is None:
            return self.full_share
        found = self._shares.get(filled)
        if found is None:
            found = year_share(filled, self.year)
            self._shares[filled] = found
        return found

    def minimum(self, fte: Decimal) -> Reason:
        found = self._minimum.get(fte)
        if found is None:
            found = minimum_share_reason(fte, self.first_day, self.parameters)
            self._minimum[fte] = found
        return found

    def minimum_unknown(self) -> Labels:
        return labels(
            f"Der Mindeststellenanteil ist für {self.year} nicht bekannt; die Regel wurde "
            "nicht geprüft.",
            f"The minimum post share is not known for {self.year}; the rule was not checked.",
        )

    def minimum_value(self) -> ParameterValue | None:
        if self._minimum_value is False:
            try:
                self._minimum_value = self.parameters.value("minimum_post_share", self.first_day)
            except MissingValueError:
                self._minimum_value = None
        value = self._minimum_value
        return value if isinstance(value, ParameterValue) else None


def _units(post: Post, period: ReferencePeriod, parameter: str) -> Decimal:
    if period is ReferencePeriod.FTE_YEAR or period is ReferencePeriod.NEW_FTE:
        return post.fte
    if period is ReferencePeriod.HALF_FTE_YEAR:
        return post.fte / _HALF
    raise InputError(
        f"{parameter} is given {period.value}; a rate per FTE or per half post is needed"
    )


def _euro(amount: Decimal) -> Euro:
    """A ``Euro`` from an exact ``Decimal``, rounded to the cent half up (no type checks)."""
    return Euro._exact(amount)


def _line(**fields: Any) -> GrantLine:
    return construct(GrantLine, fields)


def _refusal(rule: RuleId, description: str, detail: str, sources: tuple[str, ...]) -> Reason:
    return Reason.model_construct(
        rule=rule, description=description, held=False, detail=detail, sources=sources
    )


def line_amount(
    rate: Euro, units: Decimal, months: int, cost: Euro | None
) -> tuple[Euro, Euro, bool]:
    """The money of one post line: the flat rate pro rata, capped at the actual cost.

    Returns ``(full, amount, capped)``: ``full`` is rate × units × months / 12 computed
    as one exact product and rounded once (the same cents as the explanation's
    rate × Fraction(units × months, 12)); ``amount`` is ``full``, or ``cost`` when that is
    lower. The single place this arithmetic lives; sweeps re-price lines with it.

    Examples:
        >>> line_amount(Euro("57000"), Decimal("12"), 12, None)
        (Euro('684000.00'), Euro('684000.00'), False)
        >>> line_amount(Euro("55000"), Decimal("1.5"), 12, Euro("70000"))
        (Euro('82500.00'), Euro('70000.00'), True)

    """
    full = _euro(rate.amount * units * months / 12)
    if cost is not None and cost < full:
        return full, cost, True
    return full, full, False


def _post_lines(
    post: Post,
    index: int,
    number: int,
    ctx: _Context,
    decision: Decision | None,
) -> list[GrantLine]:
    parameter = RATE_PARAMETERS[post.kind]
    rate, rate_euro, period = ctx.rate(parameter)
    units = _units(post, period, parameter)
    share = ctx.share(post.filled)
    minimum = ctx.minimum(post.fte)
    refused: Reason | None = None
    checks: tuple[Reason, ...] = (minimum,)
    target = None
    if post.employer is EmployerKind.MUNICIPALITY and ctx.district is not None:
        target = forwarding_target_reason(ctx.district, post.final_recipient_key, ctx.first_day)
        checks = (minimum, target)
    if minimum.held is False:
        refused = minimum
    elif decision is not None and decision.outcome is Outcome.NOT_ELIGIBLE:
        refused = next(r for r in decision.reasons if r.held is False)
    notes: tuple[Labels, ...] = ()
    if minimum.held is None:
        notes = (ctx.minimum_unknown(),)
    if target is not None and target.held is False:
        notes += (labels(f"Warnung: {target.detail}", f"Warning: {target.detail}"),)
    cost = post.actual_cost
    full, amount, capped = line_amount(rate_euro, units, share.months, cost)
    notice_months = ctx.notice_months(post.kind.component)
    notified = line_amount(rate_euro, units, notice_months, None)[0]
    status: Status | None = rate.status
    if refused is not None:
        amount, capped, notified, status = _ZERO, False, _ZERO, None
    elif share.months != notice_months and _RANK[rate.status] < _RANK[Status.INFERRED]:
        status = Status.INFERRED
    line = construct(
        GrantLine,
        {
            "number": number,
            "kind": LineKind.POST,
            "component": post.kind.component,
            "post": index,
            "post_kind": post.kind,
            "post_label": post.label,
            "fte": post.fte,
            "units": units,
            "months": share.months,
            "parameter": parameter,
            "rate": rate,
            "full_amount": full,
            "notice_months": notice_months,
            "notified": notified,
            "actual_cost": cost,
            "amount": amount,
            "capped": capped,
            "own_share": None if cost is None else cost - amount,
            "employer": post.employer,
            "final_recipient": post.final_recipient,
            "final_recipient_key": post.final_recipient_key,
            "status": status,
            "checks": checks,
            "refused": refused,
            "notes": notes,
        },
    )
    lines = [line]
    if post.needs_new_workplace:
        lines.append(_workplace_line(post, index, number + 1, ctx, refused, share))
    return lines


def _workplace_line(
    post: Post,
    index: int,
    number: int,
    ctx: _Context,
    post_refused: Reason | None,
    share: YearShare,
) -> GrantLine:
    common: dict[str, Any] = {
        "number": number,
        "kind": LineKind.WORKPLACE,
        "component": Component.COORDINATION,
        "post": index,
        "post_kind": post.kind,
        "post_label": post.label,
        "fte": post.fte,
        "units": post.fte,
        "months": None,
        "notice_months": None,
        "actual_cost": post.workplace_cost,
        "employer": post.employer,
        "final_recipient": post.final_recipient,
        "final_recipient_key": post.final_recipient_key,
        "checks": (),
        "notes": (),
    }
    if post.kind not in _WORKPLACE_KINDS:
        reason = _refusal(
            RuleId.WORKPLACE_COMPONENT,
            "Workplace set-up is funded in Baustein 1 only (coordination and administrative "
            "assistance).",
            f"A {post.kind.value.replace('_', ' ')} post belongs to Baustein "
            f"{post.kind.component.value}; its workplace is not funded.",
            ("bra-kim", "heinsberg-to-11894"),
        )
        return _line(
            **common,
            parameter=None,
            rate=None,
            full_amount=_ZERO,
            notified=_ZERO,
            amount=_ZERO,
            capped=False,
            own_share=post.workplace_cost,
            status=None,
            refused=reason,
        )
    rate, rate_euro, _ = ctx.rate(WORKPLACE_PARAMETER)
    full = Euro(rate_euro.amount * post.fte)
    refused = post_refused
    if refused is None and share.months == 0:
        refused = _refusal(
            RuleId.WORKPLACE_POST_FILLED,
            "A workplace is paid for a post that is filled in the funding year.",
            f"Post {index} is filled for no whole month of {ctx.year}.",
            ("bra-kim",),
        )
    if refused is not None:
        amount, capped = _ZERO, False
    elif post.workplace_cost is not None and post.workplace_cost < full:
        amount, capped = post.workplace_cost, True
    else:
        amount, capped = full, False
    own = None if post.workplace_cost is None else post.workplace_cost - amount
    return _line(
        **common,
        parameter=WORKPLACE_PARAMETER,
        rate=rate,
        full_amount=full,
        notified=_ZERO if refused is not None else full,
        amount=amount,
        capped=capped,
        own_share=own,
        status=None if refused is not None else rate.status,
        refused=refused,
    )


def _measures_line(
    requested: Euro, number: int, district: District, ctx: _Context
) -> tuple[GrantLine, Labels | None]:
    cap: ParameterValue | None = None
    params = ctx.parameters
    if MEASURES_PARAMETER in params and params[MEASURES_PARAMETER].scope == district.key:
        try:
            cap = rate_for(MEASURES_PARAMETER, ctx.year, params)
        except MissingValueError:
            cap = None
    amount, capped = requested, False
    if cap is not None and Euro(cap.value) < requested:
        amount, capped = Euro(cap.value), True
    caveat = None
    if cap is None:
        caveat = labels(
            "Die Zeile Veranstaltungen und Maßnahmen ist der angegebene Betrag; eine landesweite "
            "Regel für seine Höhe ist nicht bekannt, er wurde nicht geprüft.",
            "The events and measures line is the amount you gave; no statewide rule for its "
            "size is known, so it was not checked.",
        )
    line = _line(
        number=number,
        kind=LineKind.MEASURES,
        component=Component.COORDINATION,
        post=None,
        post_kind=None,
        post_label=None,
        fte=None,
        units=None,
        months=None,
        parameter=MEASURES_PARAMETER if cap is not None else None,
        rate=cap,
        full_amount=requested,
        notice_months=None,
        notified=amount,
        actual_cost=None,
        amount=amount,
        capped=capped,
        own_share=None,
        employer=EmployerKind.RECIPIENT,
        final_recipient=None,
        final_recipient_key=None,
        status=None if cap is None else cap.status,
        checks=(),
        refused=None,
        notes=(),
    )
    return line, caveat


def _last_filled_day(post: Post, ctx: _Context) -> date:
    if post.filled is None:
        return ctx.whole_year.end
    return min(post.filled.end, ctx.whole_year.end)


def _decisions(
    plan: StaffingPlan, district: District | Municipality, ctx: _Context
) -> tuple[dict[Component, Decision], list[Labels]]:
    last: dict[Component, date] = {}
    first: dict[Component, date] = {}
    for post in plan.posts:
        c = post.kind.component
        end = _last_filled_day(post, ctx)
        start = ctx.whole_year.start if post.filled is None else post.filled.start
        last[c] = max(last.get(c, end), end)
        first[c] = min(first.get(c, start), start)
    if plan.measures is not None:
        last.setdefault(Component.COORDINATION, ctx.whole_year.end)
        first.setdefault(Component.COORDINATION, ctx.whole_year.start)
    decisions: dict[Component, Decision] = {}
    warnings: list[Labels] = []
    for component in sorted(last):
        decision = decide(district, component, last[component], territory=ctx.territory)
        decisions[component] = decision
        started = component.start.start
        if first[component] < started <= last[component]:
            warnings.append(
                labels(
                    f"Baustein {component.value} begann am {started.strftime('%d.%m.%Y')}; der "
                    f"Plan zählt Stellen ab {first[component].strftime('%d.%m.%Y')}, wie "
                    "angegeben.",
                    f"Baustein {component.value} started on {started.isoformat()}; the plan "
                    f"counts posts from {first[component].isoformat()}, as given.",
                )
            )
        if decision.outcome is Outcome.UNDETERMINED:
            warnings.append(
                labels(
                    f"Förderfähigkeit für Baustein {component.value} nicht entscheidbar: "
                    + "; ".join(decision.missing),
                    f"Eligibility for Baustein {component.value} is undetermined: "
                    + "; ".join(decision.missing),
                )
            )
    return decisions, warnings


def _caveats(lines: list[GrantLine], ctx: _Context) -> tuple[Status | None, list[Labels]]:
    used: dict[int, ParameterValue] = {}
    for line in lines:
        rate = line.rate
        if line.refused is None:
            if rate is not None:
                used[id(rate)] = rate
        elif line.refused.rule == RuleId.MINIMUM_POST_SHARE:
            minimum = ctx.minimum_value()
            if minimum is not None:
                used[id(minimum)] = minimum
    basis: Status | None = None
    rank = -1
    caveats: list[Labels] = []
    for v in used.values():
        r = _RANK[v.status]
        if r > rank:
            basis, rank = v.status, r
        if v.status is Status.INFERRED or v.status is Status.SUPPLIED:
            caveats.append(_value_caveat(v))
    return basis, caveats


def _value_caveat(v: ParameterValue) -> Labels:
    inferred = v.status is Status.INFERRED
    note = f" ({v.note})" if v.note else ""
    what = f"{v.parameter} = {v.value} "
    return construct(
        Labels,
        {
            "de": f"Beruht auf einem {'erschlossenen' if inferred else 'vorgegebenen'} Wert: "
            f"{what}ab {v.start.isoformat()}{note}.",
            "en": f"Rests on {'an' if inferred else 'a'} {v.status.value} value: "
            f"{what}from {v.start.isoformat()}{note}.",
        },
    )


def _grant(
    plan: StaffingPlan, parameters: ParameterSet, territory: Territory, ctx: _Context
) -> Grant:
    district = _recipient(plan, territory)
    ctx.district = district if isinstance(district, District) else None
    decisions, warnings = _decisions(plan, district, ctx)
    lines: list[GrantLine] = []
    for index, post in enumerate(plan.posts, 1):
        decision = decisions.get(post.kind.component)
        lines += _post_lines(post, index, len(lines) + 1, ctx, decision)
    caveats: list[Labels] = []
    if plan.measures is not None and isinstance(district, District):
        line, caveat = _measures_line(plan.measures, len(lines) + 1, district, ctx)
        lines.append(line)
        if caveat is not None:
            caveats.append(caveat)
    rates_basis, value_caveats = _caveats(lines, ctx)
    pro_rata = any(
        x.kind is LineKind.POST and x.refused is None and x.months != x.notice_months for x in lines
    )
    if pro_rata:
        value_caveats.insert(0, _PRO_RATA_CAVEAT)
    caveats = value_caveats + caveats
    notice_status = _weakest(s for s in (rates_basis, Status.DERIVED) if s is not None)
    basis = rates_basis
    if pro_rata and (basis is None or _RANK[basis] < _RANK[Status.INFERRED]):
        basis = Status.INFERRED

    by_component: dict[Component, list[Decimal]] = {}
    total = _D0
    notified = _D0
    cost: Decimal | None = None
    own: Decimal | None = None
    cost_missing = False
    passed: dict[tuple[str, str | None, EmployerKind], list[GrantLine]] = {}
    for line in lines:
        acc = by_component.get(line.component)
        if acc is None:
            acc = by_component[line.component] = [_D0, _D0]
        amount = line.amount.amount
        acc[0] += amount
        total += amount
        notified += line.notified.amount
        if line.kind is LineKind.POST:
            if line.refused is None and line.fte is not None:
                acc[1] += line.fte
            if line.actual_cost is None:
                cost_missing = True
        if line.actual_cost is not None and line.own_share is not None:
            cost = line.actual_cost.amount + (cost or _D0)
            own = line.own_share.amount + (own or _D0)
        if line.final_recipient is not None:
            key = (line.final_recipient, line.final_recipient_key, line.employer)
            group = passed.get(key)
            if group is None:
                passed[key] = [line]
            else:
                group.append(line)
    for line in lines:
        for check in line.checks:
            if check.rule == "forwarding_within_kreis" and check.held is False:
                warnings.append(
                    labels(
                        f"Zeile {line.number}: {check.detail} (§ 9 Abs. 2 TIntG)",
                        f"Line {line.number}: {check.detail} (§ 9 (2) TIntG)",
                    )
                )
    if own is not None and cost_missing:
        warnings.append(_PARTIAL_OWN_SHARE)
    components = tuple(
        construct(ComponentTotal, {"component": c, "amount": _euro(a), "fte": f})
        for c, (a, f) in sorted(by_component.items())
    )
    passed_on = tuple(
        construct(
            PassedOn,
            {
                "final_recipient": name,
                "final_recipient_key": key,
                "employer": employer,
                "fte": sum((x.fte for x in group if x.fte is not None and _funded_post(x)), _D0),
                "amount": Euro(sum((x.amount.amount for x in group), _D0)),
                "lines": tuple(x.number for x in group),
            },
        )
        for (name, key, employer), group in passed.items()
    )
    fields = {
        "recipient": district.key,
        "recipient_name": district.name,
        "year": plan.year,
        "parameter_set": parameters.name,
        "lines": tuple(lines),
        "components": components,
        "total": _euro(total),
        **_figures(_euro(notified), _euro(total), notice_status, basis),
        "actual_cost": None if cost is None else _euro(cost),
        "own_share": None if own is None else _euro(own),
        "passed_on": passed_on,
        "decisions": tuple(decisions.values()),
        "basis": basis,
        "caveats": tuple(caveats),
        "warnings": tuple(warnings),
    }
    return construct(Grant, fields, {"_parameters": parameters})


def _figures(
    notified: Euro, settled: Euro, notice_status: Status | None, settled_status: Status | None
) -> dict[str, GrantFigure]:
    """The notice, settlement and difference figures of a grant."""
    diff = notified - settled
    if diff.amount > 0:
        text = labels(
            f"Bewilligung minus Abrechnung: {diff.format_de()} sind zurückzuzahlen.",
            f"Notice minus settlement: {diff.format_en()} to be repaid.",
        )
    elif diff.amount < 0:
        text = labels(
            f"Bewilligung minus Abrechnung: {(-diff).format_de()} Fehlbetrag (mehr abgerechnet "
            "als bewilligt; bezahlt wird höchstens die Bewilligung).",
            f"Notice minus settlement: a shortfall of {(-diff).format_en()} (more settled than "
            "notified; at most the notice is paid).",
        )
    else:
        text = labels("Bewilligung und Abrechnung stimmen überein.", "Notice and settlement agree.")
    return {
        "notice": construct(
            GrantFigure,
            {
                "amount": notified,
                "rule": RuleId.NOTICE_WHOLE_PERIOD,
                "text": _NOTICE_TEXT,
                "status": notice_status,
                "sources": _NOTICE_SOURCES,
            },
        ),
        "settlement": construct(
            GrantFigure,
            {
                "amount": settled,
                "rule": RuleId.SETTLEMENT_MONTHS_FILLED,
                "text": _SETTLEMENT_TEXT,
                "status": settled_status,
                "sources": _SETTLEMENT_SOURCES,
            },
        ),
        "difference": construct(
            GrantFigure,
            {
                "amount": diff,
                "rule": RuleId.SETTLEMENT_DIFFERENCE,
                "text": text,
                "status": _weakest(s for s in (notice_status, settled_status) if s is not None),
                "sources": (),
            },
        ),
    }


def _recipient(plan: StaffingPlan, territory: Territory) -> District | Municipality:
    """The KIM unit, or a municipality with its own authority for a Baustein 3 plan.

    A municipality within a Kreis that runs its own Ausländer- or Einbürgerungsbehörde
    receives Baustein 3 money in its own name (Stadt Bocholt and Stadt Düren in 2020:
    ``bocholt-b3-2020``, ``dueren-b3-2020``); everything else goes to the KIM unit.
    """
    found = territory.find(plan.recipient)
    if isinstance(found, District):
        return found
    other = [p.kind.value for p in plan.posts if p.kind.component is not Component.AUTHORITIES]
    if other or plan.measures is not None or any(p.forwarded for p in plan.posts):
        parent = territory.parent_of(found)
        raise InputError(
            f"{found.name} ({found.ags}) is a municipality within {parent.name} "
            f"({parent.key}); it can receive only Baustein 3 money for its own authorities "
            f"in its own name, not {', '.join(other) or 'measures or money passed on'}. "
            f"Plan the other posts for {parent.name}."
        )
    return found


def _funded_post(line: GrantLine) -> bool:
    return line.kind is LineKind.POST and line.refused is None and line.fte is not None


def grant(
    plan: StaffingPlan | Mapping[str, Any] | str | bytes,
    *,
    parameters: ParameterSet | None = None,
    territory: Territory | None = None,
) -> Grant:
    """The grant for one staffing plan.

    Args:
        plan: the staffing of one recipient for one funding year: a
            [`StaffingPlan`][kim.funding.model.StaffingPlan], a mapping of its fields, or its JSON
            text.
        parameters: the parameter set; the embedded one by default. Pass your own (for
            example ``embedded_parameters().with_value(...)``) to use other rates.
        territory: the registry the recipient is looked up in; the embedded one by
            default.

    Raises:
        MissingValueError: a rate needed for the year is not known.
        UnknownNameError: the recipient is not one of the 54 KIM units.

    Examples:
        >>> g = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 12}))
        >>> g.total, g.basis.value
        (Euro('684000.00'), 'confirmed')

    """
    from kim._inputs import as_model

    plan = as_model(StaffingPlan, plan, "plan")
    params = embedded_parameters() if parameters is None else parameters
    terr = embedded_territory() if territory is None else territory
    return _grant(plan, params, terr, _Context(plan.year, params, terr))


def grants(
    plans: Iterable[StaffingPlan],
    *,
    parameters: ParameterSet | None = None,
    territory: Territory | None = None,
) -> tuple[Grant, ...]:
    """The grants for many plans, sharing the rate lookups of each year."""
    params = embedded_parameters() if parameters is None else parameters
    terr = embedded_territory() if territory is None else territory
    contexts: dict[int, _Context] = {}
    out = []
    for plan in plans:
        ctx = contexts.get(plan.year)
        if ctx is None:
            ctx = contexts[plan.year] = _Context(plan.year, params, terr)
        out.append(_grant(plan, params, terr, ctx))
    return tuple(out)
