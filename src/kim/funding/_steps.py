"""Small builders the funding explanations share: operand texts, operands, input steps."""

from __future__ import annotations

from decimal import Decimal

from kim.explain import Operand, OperandUnit, Operation, Step, labels
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
    return Step.model_construct(
        id=step_id,
        title=title,
        operation=Operation.INPUT,
        operands=(operand(*label, amount, OperandUnit.EUR, parameter=parameter_key(value)),),
        result=amount,
        unit=OperandUnit.EUR,
        uses=(parameter_key(value),),
        checks=(),
        note=None,
    )
