"""Build the `Explanation` of a grant (not part of the hot path).

[`Grant.explain()`][kim.funding.model.Grant.explain] calls
[`grant_explanation()`][kim.funding._explain.grant_explanation] through an import inside
the method: the builder depends on the result, never the result on the builder (an
import-linter contract in ``pyproject.toml`` keeps it so). The steps of each line come
from [`GrantSteps`][kim.funding._explain_lines.GrantSteps]; this module puts them together
with the decisions, the totals and the inputs.
"""

from __future__ import annotations

from kim.components import POST_KINDS, EmployerKind
from kim.explain import Explanation, InputItem, ParameterUse, labels, parameter_use, source_refs
from kim.funding._checks import decision_step
from kim.funding._explain_lines import GrantSteps
from kim.funding._steps import money, number, number_de, parameters_of
from kim.funding.model import Grant, GrantLine
from kim.funding.vocabulary import LineKind

__all__ = ["grant_explanation"]


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
    b = GrantSteps(grant, parameters)
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
