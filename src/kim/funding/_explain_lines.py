"""The steps of a grant's lines: flat rate, cost cap, own share, notice, totals.

`GrantSteps` collects the steps, the parameter values and the sources of one grant's
explanation while [`grant_explanation()`][kim.funding._explain.grant_explanation] walks
the grant; it knows how one line is computed, not how the explanation is put together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from kim.eligibility import Reason
from kim.errors import MissingValueError
from kim.explain import Check, Operand, OperandUnit, Operation, Step, labels
from kim.funding._checks import check_text
from kim.funding._steps import money, number, operand, parameter_key, step, sum_step
from kim.funding.model import Grant, GrantLine
from kim.funding.vocabulary import LineKind
from kim.money import Euro
from kim.parameters.model import ParameterSet, ParameterValue, ReferencePeriod
from kim.rule_ids import RuleId

__all__ = ["GrantSteps"]

_CAP_SOURCES = ("heinsberg-vo-2459", "heinsberg-to-16082")


class GrantSteps:
    """The steps, parameter values and sources gathered for one grant's explanation."""

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
        """Record a parameter value the arithmetic uses; return its key."""
        key = parameter_key(value)
        self.uses[key] = value
        self.sources += value.sources
        return key

    def add(self, new: Step) -> str:
        """Append a step; return its id."""
        self.steps.append(new)
        return new.id

    def checks(self, reasons: Iterable[Reason], fte: Decimal | None) -> tuple[Check, ...]:
        """The checks of a line's reasons, with their texts; their sources are recorded."""
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
            title = labels(
                f"{line.description.de}: abgelehnt ({line.refused.rule})",
                f"{line.description.en}: refused ({line.refused.rule})",
            )
            self.add(
                step(
                    sid,
                    title,
                    Operation.CHECK,
                    (),
                    None,
                    None,
                    uses=uses,
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
        self.add(
            step(
                sid,
                line.description,
                Operation.PRODUCT,
                self.rate_operands(line, line.months),
                money(line.full_amount),
                uses=uses,
                checks=checks,
                note=note,
            )
        )
        if line.actual_cost is None:
            return sid, None
        cap_check = Check.model_construct(
            rule=RuleId.ACTUAL_COST_CAP,
            held=True,
            text=labels(
                "Die Pauschale wird höchstens in Höhe der tatsächlichen Kosten "
                f"gezahlt (Obergrenze greift: {'ja' if line.capped else 'nein'}).",
                "The flat rate is paid at most up to the actual cost (the cap "
                f"binds: {'yes' if line.capped else 'no'}).",
            ),
            sources=_CAP_SOURCES,
        )
        cap = self.add(
            step(
                f"{sid}-cap",
                labels(
                    f"Zeile {line.number}: höchstens die tatsächlichen Kosten",
                    f"Line {line.number}: at most the actual cost",
                ),
                Operation.MINIMUM,
                (
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
                money(line.amount),
                checks=(cap_check,),
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
            step(
                f"line-{line.number}-notice",
                labels(
                    f"Zeile {line.number}: bewilligt (ganzer Bewilligungszeitraum)",
                    f"Line {line.number}: notified (whole notice period)",
                ),
                Operation.PRODUCT,
                operands,
                money(line.notified),
                uses=(parameter_key(line.rate),),
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
            step(
                "difference",
                labels(
                    "Bewilligung minus Abrechnung (Verwendungsnachweis)",
                    "Notice minus settlement (Verwendungsnachweis)",
                ),
                Operation.DIFFERENCE,
                (
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
                money(g.difference.amount),
                checks=[
                    Check.model_construct(rule=f.rule, held=True, text=f.text, sources=f.sources)
                    for f in (g.notice, g.settlement, g.difference)
                ],
                note=g.difference.text,
            )
        )

    def _own(self, line: GrantLine, sid: str, amount_ref: str | None) -> str:
        """The own-share step of a line with a cost: cost − grant (0 when refused)."""
        assert line.actual_cost is not None
        return self.add(
            step(
                f"{sid}-own",
                labels(f"Zeile {line.number}: Eigenanteil", f"Line {line.number}: own share"),
                Operation.DIFFERENCE,
                (
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
                money(line.actual_cost - line.amount),
            )
        )

    def _measures(self, line: GrantLine, sid: str) -> str:
        asked = operand(
            "beantragter Betrag", "amount asked for", money(line.full_amount), OperandUnit.EUR
        )
        if line.rate is None:
            return self.add(
                step(
                    sid,
                    line.description,
                    Operation.INPUT,
                    (asked,),
                    money(line.amount),
                    note=labels(
                        "Kein landesweiter Satz bekannt: der angegebene Betrag, ungeprüft.",
                        "No statewide rate is known: the amount given, unchecked.",
                    ),
                )
            )
        key = self.use(line.rate)
        cap = operand(
            "Obergrenze für diese Einheit",
            "cap for this unit",
            money(Euro(line.rate.value)),
            OperandUnit.EUR,
            parameter=key,
        )
        return self.add(
            step(
                sid,
                line.description,
                Operation.MINIMUM,
                (asked, cap),
                money(line.amount),
                uses=(key,),
            )
        )

    def total(self, de: str, en: str, sid: str, parts: list[tuple[str, str]]) -> str:
        """A SUM step over ``(step id, amount text)`` parts (an input 0 when empty)."""
        operands = [
            operand(f"Schritt {ref}", f"step {ref}", value, OperandUnit.EUR, ref=ref)
            for ref, value in parts
        ]
        total = sum((Euro(v) for _, v in parts), Euro(0))
        return self.add(
            sum_step(sid, labels(de, en), operands, total, ("nichts bewilligt", "nothing granted"))
        )
