"""The lines of a grant: one per post, its workplace, and events and measures.

Private to [`kim.funding.rules`][kim.funding.rules]: ``LineContext`` caches the rates,
shares, checks and notice months of one funding year; the builders turn a post into its
line (rate × units × months, capped at the cost, refused with the rule that failed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from kim._model import construct
from kim.components import POST_KINDS, Component, EmployerKind
from kim.eligibility import (
    Decision,
    Outcome,
    Reason,
    forwarding_target_reason,
    minimum_share_reason,
)
from kim.errors import InputError, MissingValueError
from kim.explain import labels
from kim.funding.model import GrantLine, LineKind, Post
from kim.funding.rates import (
    MEASURES_PARAMETER,
    RATE_PARAMETERS,
    WORKPLACE_PARAMETER,
    line_amount,
    notice_period,
    rate_for,
)
from kim.money import Euro
from kim.parameters.model import Labels, ParameterSet, ParameterValue, ReferencePeriod, Status
from kim.periods import DateRange, YearShare, funding_year, year_share
from kim.rule_ids import RuleId
from kim.territory.model import District
from kim.territory.registry import Territory

_WORKPLACE_KINDS = frozenset(kind for kind, entry in POST_KINDS.items() if entry.workplace)
_HALF = Decimal("0.5")
_ZERO = Euro(0)


@cache
def full_year(year: int) -> tuple[DateRange, YearShare]:
    whole = funding_year(year)
    return whole, year_share(whole, year)


STATUS_RANK = {s: i for i, s in enumerate(Status)}


def weakest(statuses: Iterable[Status]) -> Status | None:
    return max(statuses, key=STATUS_RANK.__getitem__, default=None)


class LineContext:
    """Per-call caches: each rate, share, check and decision is computed once."""

    def __init__(self, year: int, parameters: ParameterSet, territory: Territory) -> None:
        self.year = year
        self.parameters = parameters
        self.territory = territory
        self.first_day = date(year, 1, 1)
        self.whole_year, self.full_share = full_year(year)
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


def to_euro(amount: Decimal) -> Euro:
    """A ``Euro`` from an exact ``Decimal``, rounded to the cent half up (no type checks)."""
    return Euro._exact(amount)


def _line(**fields: Any) -> GrantLine:
    return construct(GrantLine, fields)


def _refusal(rule: RuleId, description: str, detail: str, sources: tuple[str, ...]) -> Reason:
    return Reason.model_construct(
        rule=rule, description=description, held=False, detail=detail, sources=sources
    )


def post_lines(
    post: Post,
    index: int,
    number: int,
    ctx: LineContext,
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
    elif target is not None and target.held is False:
        refused = target
    notes: tuple[Labels, ...] = ()
    if minimum.held is None:
        notes = (ctx.minimum_unknown(),)
    cost = post.actual_cost
    full, amount, capped = line_amount(rate_euro, units, share.months, cost)
    notice_months = ctx.notice_months(post.kind.component)
    notified = line_amount(rate_euro, units, notice_months, None)[0]
    status: Status | None = rate.status
    if refused is not None:
        amount, capped, notified, status = _ZERO, False, _ZERO, None
    elif share.months != notice_months and STATUS_RANK[rate.status] < STATUS_RANK[Status.INFERRED]:
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
        lines.append(workplace_line(post, index, number + 1, ctx, refused, share))
    return lines


def workplace_line(
    post: Post,
    index: int,
    number: int,
    ctx: LineContext,
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


def measures_line(
    requested: Euro, number: int, district: District, ctx: LineContext
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
