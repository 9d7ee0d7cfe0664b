"""The explanation model: inputs, steps, parameter values, sources, and the recomputation.

The schema is described in [`kim.explain`][kim.explain]; the text and HTML renderings live in
[`kim.explain.render`][kim.explain.render].
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import Field, model_validator

from kim._model import KimModel
from kim._version import __version__
from kim.errors import KimError
from kim.explain.render import text_lines, to_html
from kim.explain.vocabulary import Lang, OperandUnit, Operation, decimal_of, exact
from kim.money import CENT, Euro
from kim.parameters.model import (
    Labels,
    ParameterSet,
    ParameterValue,
    Qualifier,
    ReferencePeriod,
    Status,
    Unit,
)
from kim.receipt import Receipt, receipt

__all__ = [
    "EXPLANATION_SCHEMA_VERSION",
    "Check",
    "Explanation",
    "ExplanationMismatchError",
    "InputItem",
    "Operand",
    "ParameterUse",
    "SourceRef",
    "Step",
    "parameter_use",
    "source_refs",
]

EXPLANATION_SCHEMA_VERSION = "1.1"
"""The version of the explanation format. A change that removes or renames a field, or
changes what a field means, raises the major number; a new optional field raises the
minor number."""


class SourceRef(KimModel):
    """A source cited by an explanation: id, title, issuer, URL and kind."""

    id: str = Field(description="The source id in the registry.")
    title: str = Field(description="The German title.")
    issuer: str | None = Field(default=None, description="Who issued it.")
    url: str | None = Field(default=None, description="Where it can be read.")
    kind: str = Field(description="law, guideline, authority, council_paper, ...")


class ParameterUse(KimModel):
    """A parameter value a result rests on, with its validity, status and sources."""

    parameter: str = Field(description="The parameter id.")
    name: Labels = Field(description="The parameter's name.")
    value: Decimal = Field(description="The number, in ``unit``.")
    unit: Unit = Field(description="What the number measures.")
    reference_period: ReferencePeriod = Field(description="What the number is per.")
    qualifier: Qualifier = Field(description="exact, at_most (a cap) or at_least (a floor).")
    start: date = Field(description="First day the value applies.")
    end: date | None = Field(description="Last day it applies (None: open).")
    status: Status = Field(description="confirmed, derived, inferred or supplied.")
    sources: tuple[str, ...] = Field(description="Source ids.")
    note: str | None = Field(default=None, description="Why the value is what it is.")

    @property
    def key(self) -> str:
        """``parameter@start``, the way steps refer to this value."""
        return f"{self.parameter}@{self.start.isoformat()}"


def parameter_use(value: ParameterValue, parameters: ParameterSet) -> ParameterUse:
    """Describe ``value`` (a value of a parameter in ``parameters``) for an explanation."""
    parameter = parameters[value.parameter]
    return ParameterUse.model_construct(
        parameter=value.parameter,
        name=parameter.name,
        value=value.value,
        unit=parameter.unit,
        reference_period=parameter.reference_period,
        qualifier=value.qualifier,
        start=value.start,
        end=_effective_end(parameter.values, value),
        status=value.status,
        sources=value.sources,
        note=value.note,
    )


def _effective_end(values: Sequence[ParameterValue], value: ParameterValue) -> date | None:
    if value.end is not None:
        return value.end
    later = [v.start for v in values if v.start > value.start]
    if not later:
        return None
    return date.fromordinal(min(later).toordinal() - 1)


def source_refs(ids: Iterable[str]) -> tuple[SourceRef, ...]:
    """The registry entries of ``ids`` (unknown ids are kept with their id as title)."""
    from kim.sources import embedded_sources

    registry = embedded_sources()
    refs: list[SourceRef] = []
    for sid in dict.fromkeys(ids):
        if sid in registry:
            s = registry[sid]
            refs.append(
                SourceRef.model_construct(
                    id=s.id, title=s.label(), issuer=s.issuer, url=s.url, kind=s.kind.value
                )
            )
        else:
            refs.append(
                SourceRef.model_construct(id=sid, title=sid, issuer=None, url=None, kind="unknown")
            )
    return tuple(refs)


class Operand(KimModel):
    """One number a step works on, with its label and where it comes from."""

    label: Labels = Field(description="What the number is.")
    value: str = Field(
        pattern=r"^-?\d+(\.\d+)?(/\d+)?$",
        description="The exact number as text: '57000.00', '0.5' or '9/12'.",
    )
    unit: OperandUnit = Field(description="What the number measures.")
    ref: str | None = Field(default=None, description="The step whose result this is.")
    parameter: str | None = Field(
        default=None, description="The parameter value it is (``parameter@start``), if any."
    )


class Check(KimModel):
    """A rule applied in a step, whether it held, and the rule's sources."""

    rule: str = Field(
        description="Stable rule id, one of kim.rule_ids.RuleId, e.g. 'minimum_post_share'."
    )
    held: bool | None = Field(description="True, False, or None when it could not be checked.")
    text: Labels = Field(description="What was checked and the outcome.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids of the rule.")


class InputItem(KimModel):
    """One input of the explained result, as given by the caller."""

    label: Labels = Field(description="What the input is.")
    value: Labels = Field(description="The input as text.")


class Step(KimModel):
    """One step of an explanation: an operation on operands, with its result."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", description="Stable id within the result.")
    title: Labels = Field(description="What the step computes.")
    operation: Operation = Field(description="What the step does.")
    operands: tuple[Operand, ...] = Field(default=(), description="The numbers it works on.")
    result: str | None = Field(default=None, description="The result as exact text.")
    unit: OperandUnit | None = Field(default=None, description="What the result measures.")
    uses: tuple[str, ...] = Field(
        default=(), description="Parameter values used (``parameter@start``)."
    )
    checks: tuple[Check, ...] = Field(default=(), description="Rules applied in the step.")
    note: Labels | None = Field(default=None, description="A remark.")


class ExplanationMismatchError(KimError):
    """An explanation whose stated results do not follow from its operands."""


class Explanation(KimModel):
    """A versioned account of a result: inputs, steps, parameter values and sources."""

    schema_version: str = Field(
        default=EXPLANATION_SCHEMA_VERSION, description="Version of this format."
    )
    kind: str = Field(description="What is explained: 'grant', 'budget_check', ...")
    subject: str = Field(description="Whom or what it concerns, e.g. 'Kreis Coesfeld (05558)'.")
    title: Labels = Field(description="A one-line title.")
    library_version: str = Field(default=__version__, description="kim-nrw version used.")
    parameter_set: str = Field(default="embedded", description="Name of the parameter set.")
    basis: Status | None = Field(
        default=None, description="The least certain status of the values the result rests on."
    )
    caveats: tuple[Labels, ...] = Field(
        default=(), description="What a reader must know first (inferred or supplied values)."
    )
    inputs: tuple[InputItem, ...] = Field(default=(), description="The inputs as given.")
    steps: tuple[Step, ...] = Field(description="The steps, in order.")
    result: str = Field(description="The id of the step whose result is the answer.")
    notes: tuple[Labels, ...] = Field(default=(), description="Other remarks.")
    parameters: tuple[ParameterUse, ...] = Field(
        default=(), description="Every parameter value used, once."
    )
    sources: tuple[SourceRef, ...] = Field(default=(), description="Every source cited, once.")
    receipt: Receipt | None = Field(
        default=None,
        description="Library version, embedded-data hash and inputs hash (filled in when absent).",
    )

    @model_validator(mode="after")
    def _stamp(self) -> Explanation:
        if self.receipt is None:
            inputs = {
                "kind": self.kind,
                "subject": self.subject,
                "parameter_set": self.parameter_set,
                "inputs": [i.model_dump(mode="json") for i in self.inputs],
                "parameters": [p.model_dump(mode="json") for p in self.parameters],
            }
            object.__setattr__(self, "receipt", receipt(inputs))
        return self

    # -- access ----------------------------------------------------------------
    def step(self, step_id: str) -> Step:
        """The step with this id."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def result_value(self) -> Decimal:
        """The stated result of the answer step, as a ``Decimal``."""
        text = self.step(self.result).result
        if text is None:
            raise ExplanationMismatchError(f"step {self.result!r} has no result")
        return decimal_of(exact(text))

    def parameter(self, key: str) -> ParameterUse:
        """The parameter value with this ``parameter@start`` key."""
        for p in self.parameters:
            if p.key == key:
                return p
        raise KeyError(key)

    # -- arithmetic --------------------------------------------------------------
    def recompute(self) -> dict[str, Decimal]:
        """Redo every step from its operands; return the results by step id.

        Operands that refer to an earlier step take that step's recomputed result. A
        stated result or operand that differs from the recomputed value raises
        [`ExplanationMismatchError`][kim.explain.model.ExplanationMismatchError] naming the step.
        """
        results: dict[str, Fraction] = {}
        for s in self.steps:
            values: list[Fraction] = []
            for o in s.operands:
                stated = exact(o.value)
                if o.ref is not None:
                    if o.ref not in results:
                        raise ExplanationMismatchError(
                            f"step {s.id!r} refers to {o.ref!r}, which has no earlier result"
                        )
                    if results[o.ref] != stated:
                        raise ExplanationMismatchError(
                            f"step {s.id!r}: operand {o.value} differs from the result of "
                            f"{o.ref!r} ({decimal_of(results[o.ref])})"
                        )
                values.append(stated)
            value = _apply(s, values)
            if value is None:
                continue
            if s.result is None or exact(s.result) != value:
                raise ExplanationMismatchError(
                    f"step {s.id!r} states {s.result}, its operands give {decimal_of(value)}"
                )
            results[s.id] = value
        units = {s.id: s.unit for s in self.steps}
        return {
            k: decimal_of(v).quantize(CENT) if units[k] is OperandUnit.EUR else decimal_of(v)
            for k, v in results.items()
        }

    def verify(self) -> bool:
        """True when every stated result follows from the operands (see `recompute()`)."""
        self.recompute()
        return True

    # -- renderings ----------------------------------------------------------------
    def to_json(self, indent: int | None = 2) -> str:
        """The explanation as JSON (with ``schema_version``)."""
        return json.dumps(self.model_dump(mode="json"), indent=indent, ensure_ascii=False)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON schema of the explanation format."""
        schema = cls.model_json_schema()
        schema["$id"] = f"https://kim-nrw/schemas/explanation-{EXPLANATION_SCHEMA_VERSION}.json"
        return schema

    def to_text(self, lang: Lang = "en") -> str:
        """Plain text in German (``"de"``) or English (``"en"``)."""
        return "\n".join(text_lines(self, lang))

    def to_html(self, lang: Lang = "en") -> str:
        """An HTML fragment (for notebooks and web pages); every text is escaped."""
        return to_html(self, lang)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text("en")


def _apply(step: Step, values: list[Fraction]) -> Fraction | None:
    op = step.operation
    if op is Operation.CHECK:
        return None
    if not values:
        raise ExplanationMismatchError(f"step {step.id!r} has no operands")
    if op is Operation.INPUT:
        if len(values) != 1:
            raise ExplanationMismatchError(f"input step {step.id!r} needs exactly one operand")
        return values[0]
    if op is Operation.PRODUCT:
        factor = Fraction(1)
        for v in values[1:]:
            factor *= v
        return Fraction((Euro(decimal_of(values[0])) * factor).amount)
    if op is Operation.MINIMUM:
        return min(values)
    if op is Operation.SUM:
        return sum(values, Fraction(0))
    if op is Operation.DIFFERENCE:
        return values[0] - sum(values[1:], Fraction(0))
    if len(values) % 2:
        raise ExplanationMismatchError(f"growth step {step.id!r} needs (weight, change) pairs")
    return 1 + sum((values[i] * values[i + 1] / 100 for i in range(0, len(values), 2)), Fraction(0))
