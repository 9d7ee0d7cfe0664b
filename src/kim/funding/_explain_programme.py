"""Explanations of the programme-level results: budget checks and the § 3 (2) minimum.

The builders read the results (`BudgetCheck`, `IndexedMinimum`); the results' ``explain()``
methods import them inside the method, so no result depends on its builder.
"""

from __future__ import annotations

from kim.explain import (
    Check,
    Explanation,
    InputItem,
    Operand,
    OperandUnit,
    Operation,
    labels,
    parameter_use,
    source_refs,
)
from kim.funding._steps import (
    euro_input,
    money,
    number,
    operand,
    parameter_key,
    parameters_of,
    step,
    sum_step,
)
from kim.funding.indexation import IndexChange, IndexedMinimum
from kim.funding.programme import BudgetCheck
from kim.funding.vocabulary import BudgetOutcome
from kim.money import Euro
from kim.parameters.model import ParameterValue
from kim.rule_ids import RuleId

__all__ = ["budget_explanation", "minimum_explanation"]


def budget_explanation(check: BudgetCheck) -> Explanation:
    """The explanation of a budget check."""
    params = parameters_of(check._parameters)
    budget = check.budget
    steps = [
        euro_input(
            "budget",
            labels(f"KIM-Budget {check.year}", f"KIM budget {check.year}"),
            ("Budget", "budget"),
            budget,
        )
    ]
    parts = [
        operand(f"Förderung {key}", f"grant {key}", money(amount), OperandUnit.EUR)
        for key, amount in zip(check.recipients, check.amounts, strict=True)
    ]
    grants = labels("Summe der Förderungen", "Sum of the grants")
    steps.append(sum_step("grants", grants, parts, check.total, ("keine Förderungen", "no grants")))
    steps.append(
        step(
            "remaining",
            labels("Verbleibendes Budget", "Budget remaining"),
            Operation.DIFFERENCE,
            (
                operand(
                    "Budget", "budget", money(Euro(budget.value)), OperandUnit.EUR, ref="budget"
                ),
                operand("Förderungen", "grants", money(check.total), OperandUnit.EUR, ref="grants"),
            ),
            money(check.remaining),
            checks=(
                Check.model_construct(
                    rule=RuleId.WITHIN_BUDGET,
                    held={
                        BudgetOutcome.WITHIN: True,
                        BudgetOutcome.EXCEEDED: False,
                        BudgetOutcome.UNDETERMINED: None,
                    }[check.outcome],
                    text=check.detail,
                    sources=("rl-2024-1.3",),
                ),
            ),
        )
    )
    return Explanation(
        kind="budget_check",
        subject=f"KIM {check.year}",
        title=labels(
            f"Prüfung gegen das KIM-Budget {check.year}",
            f"Check against the KIM budget {check.year}",
        ),
        parameter_set=params.name,
        basis=check.grants_basis,
        inputs=(
            InputItem.model_construct(
                label=labels("Förderungen", "Grants"), value=labels(*[str(check.grants)] * 2)
            ),
        ),
        steps=tuple(steps),
        result="remaining",
        parameters=(parameter_use(budget, params),),
        sources=source_refs([*budget.sources, "rl-2024-1.3"]),
    )


def _changeoperand(change: IndexChange, what_de: str, what_en: str) -> Operand:
    return operand(
        f"{what_de} {change.year} ({change.status.value})",
        f"{what_en} {change.year} ({change.status.value})",
        number(change.percent),
        OperandUnit.PERCENT,
    )


def _weight(de: str, en: str, value: ParameterValue) -> Operand:
    return operand(de, en, number(value.value), OperandUnit.WEIGHT, parameter=parameter_key(value))


def minimum_explanation(result: IndexedMinimum) -> Explanation:
    """The explanation of the § 3 (2) minimum: every year's factor and amount."""
    params = parameters_of(result._parameters)
    base = result.base
    steps = [
        euro_input(
            "amount-2022",
            labels(
                "Ausgangswert 2022 (§ 3 Abs. 2 Satz 1 TIntG)",
                "Base amount for 2022 (§ 3 (2) sentence 1 TIntG)",
            ),
            ("Mindestbetrag", "minimum"),
            base,
        )
    ]
    uses = {parameter_key(base): base}
    sources = [*base.sources]
    previous = "amount-2022"
    for y in result.years:
        for w in (y.weight_pay, y.weight_prices):
            uses[parameter_key(w)] = w
        sources += [*y.tvl.sources, *y.cpi.sources, *y.weight_pay.sources, *y.weight_prices.sources]
        factor_id = f"factor-{y.year}"
        steps.append(
            step(
                factor_id,
                labels(f"Fortschreibungsfaktor {y.year}", f"Carry-forward factor {y.year}"),
                Operation.GROWTH_FACTOR,
                (
                    _weight("Gewicht TV-L", "weight TV-L", y.weight_pay),
                    _changeoperand(y.tvl, "TV-L-Steigerung", "TV-L rise"),
                    _weight("Gewicht VPI", "weight CPI", y.weight_prices),
                    _changeoperand(y.cpi, "VPI-Änderung (COICOP 04)", "CPI change (COICOP 04)"),
                ),
                number(y.factor),
                OperandUnit.FACTOR,
                uses=(parameter_key(y.weight_pay), parameter_key(y.weight_prices)),
                note=labels(
                    " ".join(x for x in (y.tvl.note, y.cpi.note) if x),
                    " ".join(x for x in (y.tvl.note, y.cpi.note) if x),
                )
                if (y.tvl.note or y.cpi.note)
                else None,
            )
        )
        amount_id = f"amount-{y.year}"
        steps.append(
            step(
                amount_id,
                labels(f"Mindestbetrag {y.year}", f"Minimum for {y.year}"),
                Operation.PRODUCT,
                (
                    operand(
                        "Vorjahresbetrag",
                        "previous year's amount",
                        money(y.previous),
                        OperandUnit.EUR,
                        ref=previous,
                    ),
                    operand(
                        "Faktor", "factor", number(y.factor), OperandUnit.FACTOR, ref=factor_id
                    ),
                ),
                money(y.amount),
            )
        )
        previous = amount_id
    return Explanation(
        kind="tintg_minimum",
        subject=f"§ 3 (2) TIntG, {result.year}",
        title=labels(
            f"Mindestbetrag für die integrationspolitische Infrastruktur {result.year} "
            "(§ 3 Abs. 2 TIntG)",
            f"Minimum for the integration infrastructure in {result.year} (§ 3 (2) TIntG)",
        ),
        parameter_set=params.name,
        basis=result.basis,
        caveats=result.caveats,
        inputs=tuple(
            InputItem.model_construct(
                label=labels(f"TV-L und VPI {y.year}", f"TV-L and CPI {y.year}"),
                value=labels(*[f"{y.tvl.percent} % / {y.cpi.percent} %"] * 2),
            )
            for y in result.years
        ),
        steps=tuple(steps),
        result=previous,
        parameters=tuple(parameter_use(v, params) for v in uses.values()),
        sources=source_refs(sources),
    )
