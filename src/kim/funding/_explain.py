"""Build the `Explanation` of a grant (not part of the hot path)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kim.components import POST_KINDS, EmployerKind
from kim.eligibility import Reason
from kim.errors import MissingValueError
from kim.explain import (
    Check,
    Explanation,
    InputItem,
    Operand,
    OperandUnit,
    Operation,
    ParameterUse,
    Step,
    labels,
    parameter_use,
    source_refs,
)
from kim.funding._checks import check_text, decision_step
from kim.funding._steps import money, number, number_de, operand, parameter_key, parameters_of
from kim.funding.vocabulary import LineKind
from kim.money import Euro
from kim.parameters.model import ParameterSet, ParameterValue, ReferencePeriod
from kim.rule_ids import RuleId

if TYPE_CHECKING:  # pragma: no cover - the builder reads grants; it does not import them
    from kim.funding.model import Grant, GrantLine

__all__ = ["grant_explanation"]

_CAP_SOURCES = ("heinsberg-vo-2459", "heinsberg-to-16082")


class _Builder:
    def __init__(self, grant: Grant, parameters: ParameterSet) -> None:
        self.grant = grant
        self.parameters = parameters
        self.steps: list[Step] = []
        self.uses: dict[str, ParameterValue] = {}
        self.sources: list[str] = []
        self.notice_parts: list[tuple[str, str]] = []
        try:
            self.minimum: ParameterValue | None = parameters.value(
                "minimum_post_share", date(grant.year, 1, 1)
            )
        except MissingValueError:
            self.minimum = None

    def use(self, value: ParameterValue) -> str:
        key = parameter_key(value)
        self.uses[key] = value
        self.sources += value.sources
        return key

    def add(self, step: Step) -> str:
        self.steps.append(step)
        return step.id

    def checks(self, reasons: Iterable[Reason], fte: Decimal | None) -> tuple[Check, ...]:
        out = []
        for r in reasons:
            self.sources += r.sources
            out.append(
                Check.model_construct(
                    rule=r.rule,
                    held=r.held,
                    text=check_text(r, self.minimum, fte),
                    sources=r.sources,
                )
            )
        return tuple(out)

    def line(self, line: GrantLine) -> tuple[str | None, str | None]:
        """Add the steps of one line; return the ids of its amount and own-share steps."""
        sid = f"line-{line.number}"
        uses: list[str] = []
        checks = self.checks(line.checks, line.fte)
        checked = any(c.rule == RuleId.MINIMUM_POST_SHARE and c.held is not None for c in checks)
        if checked and self.minimum is not None:
            uses.append(self.use(self.minimum))
        notes = line.notes
        note = (
            labels(" ".join(n.de for n in notes), " ".join(n.en for n in notes)) if notes else None
        )
        if line.refused is not None:
            refusal = self.checks([line.refused], line.fte)
            if line.refused in line.checks:
                refusal = ()
            self.add(
                Step.model_construct(
                    id=sid,
                    title=labels(
                        f"{line.description.de}: abgelehnt ({line.refused.rule})",
                        f"{line.description.en}: refused ({line.refused.rule})",
                    ),
                    operation=Operation.CHECK,
                    operands=(),
                    result=None,
                    unit=None,
                    uses=tuple(uses),
                    checks=checks + refusal,
                    note=note,
                )
            )
            if line.actual_cost is None:
                return None, None
            return None, self._own(line, sid, None)
        if line.kind is LineKind.MEASURES:
            return self._measures(line, sid), None
        rate = line.rate
        assert rate is not None
        uses.insert(0, self.use(rate))
        operands = self.rate_operands(line, line.months)
        self.add(
            Step.model_construct(
                id=sid,
                title=line.description,
                operation=Operation.PRODUCT,
                operands=tuple(operands),
                result=money(line.full_amount),
                unit=OperandUnit.EUR,
                uses=tuple(uses),
                checks=checks,
                note=note,
            )
        )
        if line.actual_cost is None:
            return sid, None
        cap = self.add(
            Step.model_construct(
                id=f"{sid}-cap",
                title=labels(
                    f"Zeile {line.number}: höchstens die tatsächlichen Kosten",
                    f"Line {line.number}: at most the actual cost",
                ),
                operation=Operation.MINIMUM,
                operands=(
                    operand(
                        "Pauschale", "flat rate", money(line.full_amount), OperandUnit.EUR, ref=sid
                    ),
                    operand(
                        "tatsächliche Kosten",
                        "actual cost",
                        money(line.actual_cost),
                        OperandUnit.EUR,
                    ),
                ),
                result=money(line.amount),
                unit=OperandUnit.EUR,
                uses=(),
                checks=(
                    Check.model_construct(
                        rule=RuleId.ACTUAL_COST_CAP,
                        held=True,
                        text=labels(
                            "Die Pauschale wird höchstens in Höhe der tatsächlichen Kosten "
                            f"gezahlt (Obergrenze greift: {'ja' if line.capped else 'nein'}).",
                            "The flat rate is paid at most up to the actual cost (the cap "
                            f"binds: {'yes' if line.capped else 'no'}).",
                        ),
                        sources=_CAP_SOURCES,
                    ),
                ),
                note=None,
            )
        )
        self.sources += _CAP_SOURCES
        return cap, self._own(line, sid, cap)

    def rate_operands(self, line: GrantLine, months: int | None) -> list[Operand]:
        """Rate, FTE or half posts, and (if given) months / 12 of a post line."""
        rate = line.rate
        assert rate is not None and line.units is not None
        per_half = self.parameters[rate.parameter].reference_period is (
            ReferencePeriod.HALF_FTE_YEAR
        )
        rate_label = (
            ("Satz je 0,5 Stelle", "rate per 0.5 post")
            if per_half
            else ("Satz je VZÄ", "rate per FTE")
        )
        operands = [
            operand(
                *rate_label, money(Euro(rate.value)), OperandUnit.EUR, parameter=parameter_key(rate)
            ),
        ]
        if per_half:
            operands.append(
                operand(
                    "halbe Stellen (VZÄ / 0,5)",
                    "half posts (FTE / 0.5)",
                    number(line.units),
                    OperandUnit.HALF_POSTS,
                )
            )
        else:
            operands.append(operand("VZÄ", "FTE", number(line.units), OperandUnit.FTE))
        if months is not None:
            operands.append(
                operand(
                    "Monate besetzt / 12",
                    "months filled / 12",
                    f"{months}/12",
                    OperandUnit.SHARE,
                )
            )
        return operands

    def notice(self, line: GrantLine, amount_step: str | None) -> tuple[str, str] | None:
        """The notified amount of a line: its own step for a post line, else the amount."""
        if line.refused is not None:
            return None
        if line.kind is not LineKind.POST or line.rate is None:
            # Workplace and measures: the notice is the line's own first step.
            return None if amount_step is None else (f"line-{line.number}", money(line.notified))
        operands = self.rate_operands(line, None)
        operands.append(
            operand(
                "Monate des Bewilligungszeitraums / 12",
                "months of the notice period / 12",
                f"{line.notice_months}/12",
                OperandUnit.SHARE,
            )
        )
        sid = self.add(
            Step.model_construct(
                id=f"line-{line.number}-notice",
                title=labels(
                    f"Zeile {line.number}: bewilligt (ganzer Bewilligungszeitraum)",
                    f"Line {line.number}: notified (whole notice period)",
                ),
                operation=Operation.PRODUCT,
                operands=tuple(operands),
                result=money(line.notified),
                unit=OperandUnit.EUR,
                uses=(parameter_key(line.rate),),
                checks=(),
                note=None,
            )
        )
        return sid, money(line.notified)

    def figures(self, total_step: str) -> None:
        """The notice total and the difference notice − settlement."""
        g = self.grant
        self.sources += g.notice.sources + g.settlement.sources
        notice = self.total(
            "Bewilligt (Bewilligung)", "Notified (Bewilligung)", "notice", self.notice_parts
        )
        self.add(
            Step.model_construct(
                id="difference",
                title=labels(
                    "Bewilligung minus Abrechnung (Verwendungsnachweis)",
                    "Notice minus settlement (Verwendungsnachweis)",
                ),
                operation=Operation.DIFFERENCE,
                operands=(
                    operand(
                        "bewilligt", "notified", money(g.notice.amount), OperandUnit.EUR, ref=notice
                    ),
                    operand(
                        "abgerechnet",
                        "settled",
                        money(g.settlement.amount),
                        OperandUnit.EUR,
                        ref=total_step,
                    ),
                ),
                result=money(g.difference.amount),
                unit=OperandUnit.EUR,
                uses=(),
                checks=tuple(
                    Check.model_construct(
                        rule=f.rule,
                        held=True,
                        text=f.text,
                        sources=f.sources,
                    )
                    for f in (g.notice, g.settlement, g.difference)
                ),
                note=g.difference.text,
            )
        )

    def _own(self, line: GrantLine, sid: str, amount_ref: str | None) -> str:
        """The own-share step of a line with a cost: cost − grant (0 when refused)."""
        assert line.actual_cost is not None
        return self.add(
            Step.model_construct(
                id=f"{sid}-own",
                title=labels(f"Zeile {line.number}: Eigenanteil", f"Line {line.number}: own share"),
                operation=Operation.DIFFERENCE,
                operands=(
                    operand(
                        "tatsächliche Kosten",
                        "actual cost",
                        money(line.actual_cost),
                        OperandUnit.EUR,
                    ),
                    operand(
                        "Förderung", "grant", money(line.amount), OperandUnit.EUR, ref=amount_ref
                    ),
                ),
                result=money(line.actual_cost - line.amount),
                unit=OperandUnit.EUR,
                uses=(),
                checks=(),
                note=None,
            )
        )

    def _measures(self, line: GrantLine, sid: str) -> str:
        asked = operand(
            "beantragter Betrag", "amount asked for", money(line.full_amount), OperandUnit.EUR
        )
        if line.rate is None:
            return self.add(
                Step.model_construct(
                    id=sid,
                    title=line.description,
                    operation=Operation.INPUT,
                    operands=(asked,),
                    result=money(line.amount),
                    unit=OperandUnit.EUR,
                    uses=(),
                    checks=(),
                    note=labels(
                        "Kein landesweiter Satz bekannt: der angegebene Betrag, ungeprüft.",
                        "No statewide rate is known: the amount given, unchecked.",
                    ),
                )
            )
        key = self.use(line.rate)
        return self.add(
            Step.model_construct(
                id=sid,
                title=line.description,
                operation=Operation.MINIMUM,
                operands=(
                    asked,
                    operand(
                        "Obergrenze für diese Einheit",
                        "cap for this unit",
                        money(Euro(line.rate.value)),
                        OperandUnit.EUR,
                        parameter=key,
                    ),
                ),
                result=money(line.amount),
                unit=OperandUnit.EUR,
                uses=(key,),
                checks=(),
                note=None,
            )
        )

    def total(self, de: str, en: str, sid: str, parts: list[tuple[str, str]]) -> str:
        """A SUM step over ``(step id, amount text)`` parts (an input 0 when empty)."""
        if not parts:
            return self.add(
                Step.model_construct(
                    id=sid,
                    title=labels(de, en),
                    operation=Operation.INPUT,
                    operands=(
                        operand("nichts bewilligt", "nothing granted", "0.00", OperandUnit.EUR),
                    ),
                    result="0.00",
                    unit=OperandUnit.EUR,
                    uses=(),
                    checks=(),
                    note=None,
                )
            )
        operands = tuple(
            operand(f"Schritt {ref}", f"step {ref}", value, OperandUnit.EUR, ref=ref)
            for ref, value in parts
        )
        total = sum((Euro(v) for _, v in parts), Euro(0))
        return self.add(
            Step.model_construct(
                id=sid,
                title=labels(de, en),
                operation=Operation.SUM,
                operands=operands,
                result=money(total),
                unit=OperandUnit.EUR,
                uses=(),
                checks=(),
                note=None,
            )
        )


def _post_input(grant: Grant, line: GrantLine) -> InputItem | None:
    if line.kind is not LineKind.POST or line.post_kind is None or line.fte is None:
        return None
    kind_de, kind_en = POST_KINDS[line.post_kind].label_de, POST_KINDS[line.post_kind].label_en
    de = [f"{kind_de}, {number_de(line.fte)} VZÄ, {line.months}/12 Monate"]
    en = [f"{kind_en}, {number(line.fte)} FTE, {line.months}/12 months"]
    if line.employer is not EmployerKind.RECIPIENT:
        de.append(f"Anstellungsträger: {line.final_recipient}")
        en.append(f"employer: {line.final_recipient}")
    if line.actual_cost is not None:
        de.append(f"tatsächliche Kosten {line.actual_cost.format_de()}")
        en.append(f"actual cost {line.actual_cost.format_en()}")
    return InputItem.model_construct(
        label=labels(f"Stelle {line.post}", f"Post {line.post}"),
        value=labels("; ".join(de), "; ".join(en)),
    )


def grant_explanation(grant: Grant) -> Explanation:
    """The explanation of ``grant`` (see `kim.funding.Grant.explain()`)."""
    parameters = parameters_of(grant._parameters)
    b = _Builder(grant, parameters)
    for decision in grant.decisions:
        b.sources += [s for r in decision.reasons for s in r.sources]
        b.add(decision_step(decision))
    amount_steps: dict[int, tuple[str, str]] = {}
    own_steps: list[tuple[str, str]] = []
    for line in grant.lines:
        amount_id, own_id = b.line(line)
        notice = b.notice(line, amount_id)
        if notice is not None:
            b.notice_parts.append(notice)
        if amount_id is not None:
            amount_steps[line.number] = (amount_id, money(line.amount))
        if own_id is not None and line.own_share is not None:
            own_steps.append((own_id, money(line.own_share)))
    component_parts: list[tuple[str, str]] = []
    for c in grant.components:
        parts = [
            amount_steps[x.number]
            for x in grant.lines
            if x.component == c.component and x.number in amount_steps
        ]
        sid = b.total(
            f"Baustein {c.component.value}: {c.component.label_de}",
            f"Baustein {c.component.value}: {c.component.label_en}",
            f"component-{c.component.value}",
            parts,
        )
        component_parts.append((sid, money(c.amount)))
    total = b.total(
        "Förderung insgesamt (abgerechnet)", "Total grant (settled)", "total", component_parts
    )
    b.figures(total)
    if own_steps:
        b.total(
            "Eigenanteil (wo Kosten angegeben)",
            "Own share (where costs are given)",
            "own-share",
            own_steps,
        )
    for i, p in enumerate(grant.passed_on, 1):
        parts = [amount_steps[n] for n in p.lines if n in amount_steps]
        b.total(
            f"Weitergeleitet an {p.final_recipient}",
            f"Passed on to {p.final_recipient}",
            f"passed-on-{i}",
            parts,
        )
    inputs = [
        InputItem.model_construct(
            label=labels("Empfänger", "Recipient"),
            value=labels(*[f"{grant.recipient_name} ({grant.recipient})"] * 2),
        ),
        InputItem.model_construct(
            label=labels("Förderjahr", "Funding year"), value=labels(*[str(grant.year)] * 2)
        ),
    ]
    inputs += [i for i in (_post_input(grant, line) for line in grant.lines) if i is not None]
    uses: list[ParameterUse] = [parameter_use(v, parameters) for v in b.uses.values()]
    return Explanation(
        kind="grant",
        subject=f"{grant.recipient_name} ({grant.recipient}), {grant.year}",
        title=labels(
            f"Förderung für {grant.recipient_name} ({grant.recipient}), Förderjahr {grant.year}",
            f"Grant for {grant.recipient_name} ({grant.recipient}), funding year {grant.year}",
        ),
        parameter_set=grant.parameter_set,
        basis=grant.basis,
        caveats=grant.caveats,
        inputs=tuple(inputs),
        steps=tuple(b.steps),
        result=total,
        notes=grant.warnings,
        parameters=tuple(uses),
        sources=source_refs(b.sources),
    )
