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
  municipalities to pass money to. Otherwise the line is refused with the rule
  ``forwarding_within_kreis`` and its source
  ([`kim.eligibility.forwarding_target_reason()`][kim.eligibility.forwarding_target_reason],
  ``tintg-9`` from 2022), and the grant's warnings name the line; the batch engine
  refuses the same lines.
* **Recipient eligibility.** For each component used,
  [`kim.eligibility.decide()`][kim.eligibility.decide] is asked about the last day a post of that
  component is filled in the year; a ``not_eligible`` answer refuses the lines of that component.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from kim._eligibility_rules import Unlisted, lookup_entity
from kim._model import construct
from kim.components import Component, EmployerKind
from kim.eligibility import Decision, Outcome, decide
from kim.errors import InputError
from kim.explain import labels
from kim.funding._lines import STATUS_RANK, LineContext, measures_line, post_lines, to_euro, weakest
from kim.funding._totals import PRO_RATA_CAVEAT, grant_caveats, grant_figures
from kim.funding.model import (
    ComponentTotal,
    Grant,
    GrantLine,
    LineKind,
    PassedOn,
    Post,
    StaffingPlan,
)
from kim.funding.rates import (
    MEASURES_PARAMETER,
    RATE_PARAMETERS,
    WORKPLACE_PARAMETER,
    line_amount,
    notice_period,
    rate_for,
)
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import Labels, ParameterSet, Status
from kim.rule_ids import RuleId
from kim.territory.model import District, Municipality
from kim.territory.registry import Territory, embedded_territory

__all__ = [
    "MEASURES_PARAMETER",
    "RATE_PARAMETERS",
    "UNLISTED",
    "WORKPLACE_PARAMETER",
    "grant",
    "grants",
    "line_amount",
    "notice_period",
    "rate_for",
]

_ZERO = Euro(0)
_D0 = Decimal(0)
UNLISTED = "unlisted"
"""The recipient key of a grant to a municipality the registry does not list."""

_PARTIAL_OWN_SHARE = labels(
    "Der Eigenanteil umfasst nur die Zeilen mit angegebenen Kosten.",
    "The own share covers only the lines whose cost was given.",
)


def _last_filled_day(post: Post, ctx: LineContext) -> date:
    if post.filled is None:
        return ctx.whole_year.end
    return min(post.filled.end, ctx.whole_year.end)


def _decisions(
    plan: StaffingPlan, district: District | Municipality | str, ctx: LineContext
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


def _grant(
    plan: StaffingPlan, parameters: ParameterSet, territory: Territory, ctx: LineContext
) -> Grant:
    district = _recipient(plan, territory)
    ctx.district = district if isinstance(district, District) else None
    if isinstance(district, str):
        recipient, recipient_name = UNLISTED, district
    else:
        recipient, recipient_name = district.key, district.name
    decisions, warnings = _decisions(plan, district, ctx)
    lines: list[GrantLine] = []
    for index, post in enumerate(plan.posts, 1):
        decision = decisions.get(post.kind.component)
        lines += post_lines(post, index, len(lines) + 1, ctx, decision)
    caveats: list[Labels] = []
    if plan.measures is not None and isinstance(district, District):
        line, caveat = measures_line(plan.measures, len(lines) + 1, district, ctx)
        lines.append(line)
        if caveat is not None:
            caveats.append(caveat)
    rates_basis, value_caveats = grant_caveats(lines, ctx)
    pro_rata = any(
        x.kind is LineKind.POST and x.refused is None and x.months != x.notice_months for x in lines
    )
    if pro_rata:
        value_caveats.insert(0, PRO_RATA_CAVEAT)
    caveats = value_caveats + caveats
    notice_status = weakest(s for s in (rates_basis, Status.DERIVED) if s is not None)
    basis = rates_basis
    if pro_rata and (basis is None or STATUS_RANK[basis] < STATUS_RANK[Status.INFERRED]):
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
            if check.rule == RuleId.FORWARDING_WITHIN_KREIS and check.held is False:
                warnings.append(
                    labels(
                        f"Zeile {line.number} abgelehnt: {check.detail} Nur ein Kreis leitet "
                        "Mittel an seine kreisangehörigen Gemeinden weiter (§ 9 Abs. 2 TIntG).",
                        f"Line {line.number} refused: {check.detail} Only a Kreis passes money "
                        "on, to municipalities within it (§ 9 (2) TIntG).",
                    )
                )
    if own is not None and cost_missing:
        warnings.append(_PARTIAL_OWN_SHARE)
    components = tuple(
        construct(ComponentTotal, {"component": c, "amount": to_euro(a), "fte": f})
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
        "recipient": recipient,
        "recipient_name": recipient_name,
        "year": plan.year,
        "parameter_set": parameters.name,
        "lines": tuple(lines),
        "components": components,
        "total": to_euro(total),
        **grant_figures(to_euro(notified), to_euro(total), notice_status, basis),
        "actual_cost": None if cost is None else to_euro(cost),
        "own_share": None if own is None else to_euro(own),
        "passed_on": passed_on,
        "decisions": tuple(decisions.values()),
        "basis": basis,
        "caveats": tuple(caveats),
        "warnings": tuple(warnings),
    }
    return construct(Grant, fields, {"_parameters": parameters})


def _recipient(plan: StaffingPlan, territory: Territory) -> District | Municipality | str:
    """The KIM unit, or a municipality with its own authority for a Baustein 3 plan.

    A municipality within a Kreis that runs its own Ausländer- or Einbürgerungsbehörde
    receives Baustein 3 money in its own name (Stadt Bocholt and Stadt Düren in 2020:
    ``bocholt-b3-2020``, ``dueren-b3-2020``); everything else goes to the KIM unit. A
    name that says it is a municipality (``Stadt …``) but that the registry does not list
    is returned as the name: its eligibility is undetermined.
    """
    entity = lookup_entity(plan.recipient, territory)
    found: District | Municipality | str = entity.name if isinstance(entity, Unlisted) else entity
    if isinstance(found, District):
        return found
    other = [p.kind.value for p in plan.posts if p.kind.component is not Component.AUTHORITIES]
    if other or plan.measures is not None or any(p.forwarded for p in plan.posts):
        what = ", ".join(other) or "measures or money passed on"
        if isinstance(found, str):
            raise InputError(
                f"{found} is not in the registry; a municipality can receive only Baustein 3 "
                f"money for its own authorities in its own name, not {what}. Plan the other "
                "posts for its Kreis."
            )
        parent = territory.parent_of(found)
        raise InputError(
            f"{found.name} ({found.ags}) is a municipality within {parent.name} "
            f"({parent.key}); it can receive only Baustein 3 money for its own authorities "
            f"in its own name, not {what}. Plan the other posts for {parent.name}."
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

    The recipient is a KIM unit (a name that fits a unit finds it: ``"Soest"`` is Kreis
    Soest), or, for Baustein 3 alone, a municipality with its own authorities
    (``"Stadt Soest"``, ``"Bocholt"``, its AGS). A municipality the registry does not list
    (``"Stadt Nirgendwo"``) gets the grant under the key ``"unlisted"`` with its
    eligibility undetermined and the missing facts in the warnings.

    Raises:
        MissingValueError: a rate needed for the year is not known.
        UnknownNameError: the recipient is neither a KIM unit, nor a listed
            municipality, nor a name that says it is a municipality (the message lists
            the closest names).

    Examples:
        >>> g = grant(StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 12}))
        >>> g.total, g.basis.value
        (Euro('684000.00'), 'confirmed')

    """
    from kim._inputs import as_model

    plan = as_model(StaffingPlan, plan, "plan")
    params = embedded_parameters() if parameters is None else parameters
    terr = embedded_territory() if territory is None else territory
    return _grant(plan, params, terr, LineContext(plan.year, params, terr))


def grants(
    plans: Iterable[StaffingPlan],
    *,
    parameters: ParameterSet | None = None,
    territory: Territory | None = None,
) -> tuple[Grant, ...]:
    """The grants for many plans, sharing the rate lookups of each year."""
    params = embedded_parameters() if parameters is None else parameters
    terr = embedded_territory() if territory is None else territory
    contexts: dict[int, LineContext] = {}
    out = []
    for plan in plans:
        ctx = contexts.get(plan.year)
        if ctx is None:
            ctx = contexts[plan.year] = LineContext(plan.year, params, terr)
        out.append(_grant(plan, params, terr, ctx))
    return tuple(out)
