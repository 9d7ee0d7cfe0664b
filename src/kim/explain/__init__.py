"""Explanations: a versioned, typed account of how a result was reached, euro by euro.

An [`Explanation`][kim.explain.model.Explanation] lists the **inputs**, the **steps** and the
**parameter values** a result rests on, each value with its validity, status and sources, so a
reader can check every euro by hand. It is shared by every rule that explains itself (grants,
budget checks, the § 3 (2) TIntG minimum; eligibility later).

Every step that computes something names its operation and its operands; the operands
are exact numbers written as text (``"57000.00"``, ``"0.5"``, ``"9/12"``) or references
to the result of an earlier step.
[`Explanation.recompute()`][kim.explain.model.Explanation.recompute] redoes the arithmetic from the
operands alone, so an explanation can be checked without the library's rules.

The operations:

| operation | result |
|---|---|
| ``input`` | the single operand (a parameter value or a figure given by the caller) |
| ``product`` | a euro amount times exact factors, rounded **once**, to the cent, half up |
| ``minimum`` | the smallest operand (a cap) |
| ``sum`` | the sum of the operands |
| ``difference`` | the first operand minus the others |
| ``growth_factor`` | ``1 + Σ weight × change / 100`` over (weight, change in %) pairs, exact |
| ``check`` | no arithmetic: a rule and whether it held |

Renderings: plain text in German or English
([`Explanation.to_text()`][kim.explain.model.Explanation.to_text]), JSON with a ``schema_version``
field ([`Explanation.to_json()`][kim.explain.model.Explanation.to_json], schema from
[`Explanation.json_schema()`][kim.explain.model.Explanation.json_schema]) and HTML for notebooks
([`Explanation.to_html()`][kim.explain.model.Explanation.to_html], ``_repr_html_``); every text in
the HTML is escaped.

Examples:
    >>> from kim.explain import Explanation, Operand, Operation, Step
    >>> from kim.parameters.model import Labels
    >>> e = Explanation(
    ...     kind="example", subject="two posts",
    ...     title=Labels(de="Beispiel", en="Example"),
    ...     steps=(Step(id="total", title=Labels(de="Summe", en="Sum"), operation=Operation.PRODUCT,
    ...                 operands=(Operand(label=Labels(de="Satz", en="rate"), value="57000.00",
    ...                                   unit="EUR"),
    ...                           Operand(label=Labels(de="VZÄ", en="FTE"), value="2", unit="FTE")),
    ...                 result="114000.00", unit="EUR"),),
    ...     result="total")
    >>> e.recompute()["total"]
    Decimal('114000.00')
    >>> print(e.to_text("de").splitlines()[-1])
        57.000,00 € × 2 VZÄ = 114.000,00 €

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kim._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from kim.explain.model import (
        EXPLANATION_SCHEMA_VERSION,
        Check,
        Explanation,
        ExplanationMismatchError,
        InputItem,
        Operand,
        ParameterUse,
        SourceRef,
        Step,
        parameter_use,
        source_refs,
    )
    from kim.explain.render import format_value, parameter_text, status_text
    from kim.explain.vocabulary import Lang, OperandUnit, Operation, labels

_LAZY = {
    "EXPLANATION_SCHEMA_VERSION": "kim.explain.model",
    "Check": "kim.explain.model",
    "Explanation": "kim.explain.model",
    "ExplanationMismatchError": "kim.explain.model",
    "InputItem": "kim.explain.model",
    "Operand": "kim.explain.model",
    "ParameterUse": "kim.explain.model",
    "SourceRef": "kim.explain.model",
    "Step": "kim.explain.model",
    "parameter_use": "kim.explain.model",
    "source_refs": "kim.explain.model",
    "format_value": "kim.explain.render",
    "parameter_text": "kim.explain.render",
    "status_text": "kim.explain.render",
    "Lang": "kim.explain.vocabulary",
    "OperandUnit": "kim.explain.vocabulary",
    "Operation": "kim.explain.vocabulary",
    "labels": "kim.explain.vocabulary",
}
"""Where each public name lives: imported on first use (the vocabulary alone is light)."""

__all__ = [
    "EXPLANATION_SCHEMA_VERSION",
    "Check",
    "Explanation",
    "ExplanationMismatchError",
    "InputItem",
    "Lang",
    "Operand",
    "OperandUnit",
    "Operation",
    "ParameterUse",
    "SourceRef",
    "Step",
    "format_value",
    "labels",
    "parameter_text",
    "parameter_use",
    "source_refs",
    "status_text",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
