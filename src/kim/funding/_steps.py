"""Small builders the funding explanations share: operand texts, operands, input steps."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kim.explain import Check, Operand, OperandUnit, Operation, Step, labels
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import Labels, ParameterSet, ParameterValue

__all__ = [
    "euro_input",
    "money",
    "number",
    "number_de",
    "operand",
    "parameter_key",
    "parameters_of",
    "step",
    "sum_step",
]


def money(amount: Euro) -> str:
    """A euro amount as operand text: ``'57000.00'``."""
    return str(amount.amount)


def number(value: Decimal) -> str:
    """A plain decimal as operand text without exponent: ``'12'``, ``'0.5'``."""
    text = format(value.normalize(), "f")
    return text


def number_de(value: Decimal) -> str:
    """A plain decimal written the German way: ``'0,5'``."""
    return number(value).replace(".", ",")


def operand(
    de: str,
    en: str,
    value: str,
    unit: OperandUnit,
    ref: str | None = None,
    parameter: str | None = None,
) -> Operand:
    """An operand with a German/English label (built without validation)."""
    return Operand.model_construct(
        label=labels(de, en), value=value, unit=unit, ref=ref, parameter=parameter
    )


def parameter_key(value: ParameterValue) -> str:
    """How steps refer to a parameter value: ``parameter@start``."""
    return f"{value.parameter}@{value.start.isoformat()}"


def parameters_of(stored: object) -> ParameterSet:
    """The parameter set a result kept, or the embedded one."""
    return stored if isinstance(stored, ParameterSet) else embedded_parameters()


def euro_input(step_id: str, title: Labels, label: tuple[str, str], value: ParameterValue) -> Step:
    """A step that takes a euro parameter value as it is (an input of the arithmetic)."""
    amount = money(Euro(value.value))
    key = parameter_key(value)
    return step(
        step_id,
        title,
        Operation.INPUT,
        (operand(*label, amount, OperandUnit.EUR, parameter=key),),
        amount,
        uses=(key,),
    )


def step(
    step_id: str,
    title: Labels,
    operation: Operation,
    operands: Sequence[Operand],
    result: str | None,
    unit: OperandUnit | None = OperandUnit.EUR,
    *,
    uses: Sequence[str] = (),
    checks: Sequence[Check] = (),
    note: Labels | None = None,
) -> Step:
    """One step of an explanation (built without validation; euro by default)."""
    return Step.model_construct(
        id=step_id,
        title=title,
        operation=operation,
        operands=tuple(operands),
        result=result,
        unit=unit,
        uses=tuple(uses),
        checks=tuple(checks),
        note=note,
    )


def sum_step(
    step_id: str, title: Labels, operands: Sequence[Operand], total: Euro, empty: tuple[str, str]
) -> Step:
    """A euro SUM over ``operands``; with none, an input of 0 labelled ``empty`` (de, en)."""
    if not operands:
        return step(
            step_id, title, Operation.INPUT, (operand(*empty, "0.00", OperandUnit.EUR),), "0.00"
        )
    return step(step_id, title, Operation.SUM, operands, money(total))
