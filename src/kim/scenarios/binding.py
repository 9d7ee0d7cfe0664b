"""Published grant totals bind a unit's figures: the run's last step for each unit.

A unit that published what it was granted (a council paper, a press release) fixes its
figures: estimated parts are scaled so that they add up to the published total, with one
rounding to the cent and the last part taking the rest
([`kim.estimates.fit_to_total()`][kim.estimates.fit_to_total]). Which totals bind, with
which parts and in which mode, depends only on eligibility and on which figures exist
([`bindings()`][kim.scenarios.binding.bindings]), so a sweep works it out once per pattern
and re-fits only the points per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kim._model import frozen_map
from kim.allocation.observed import ABOUT, ObservedTotal, TotalQualifier, observed_totals
from kim.components import Component
from kim.eligibility import Outcome
from kim.estimates import Share, fit_to_total
from kim.money import CENT, Euro
from kim.scenarios.results import ComponentFigure, UnitResult
from kim.territory.model import District

__all__ = ["bind_published", "bindings"]


def bindings(
    published: Sequence[ObservedTotal], figures: Mapping[Component, ComponentFigure]
) -> tuple[tuple[ObservedTotal, tuple[Component, ...], str], ...]:
    """The published grant totals that bind a unit's ``figures``, in the order applied.

    Each as ``(total, parts, mode)``: the covered components that are eligible and have
    a figure, and the qualifier it binds with (``at_most`` when a covered part has no
    figure). Totals covering fewer components come first; one with no figure to bind,
    or ``at_least`` with a covered part lacking a figure, binds nothing. Only
    eligibility and which figures exist matter, and fitting changes neither.
    """
    out = []
    grants = [t for t in published if t.what == "grant"]
    for total in sorted(grants, key=lambda t: len(t.components)):
        covered = [c for c in total.components if figures[c].eligibility is Outcome.ELIGIBLE]
        parts = tuple(c for c in covered if figures[c].grant is not None)
        if not parts:
            continue
        mode = total.qualifier.value
        if len(parts) < len(covered):  # a covered part has no figure: the total caps
            if total.qualifier is TotalQualifier.AT_LEAST:
                continue
            mode = TotalQualifier.AT_MOST.value
        out.append((total, parts, mode))
    return tuple(out)


def bind_published(
    unit: District, year: int, figures: dict[Component, ComponentFigure]
) -> UnitResult:
    """Make the unit's figures agree with the grant total it published (if any)."""
    published = observed_totals(year=year, unit=unit.key)
    notes = []
    for total, parts, mode in bindings(published, figures):
        shares = {
            c: Share(
                point=f.grant.amount,
                low=(f.grant_low or f.grant).amount,
                high=(f.grant_high or f.grant).amount,
                estimated=f.estimated,
            )
            for c in parts
            if (f := figures[c]).grant is not None
        }
        fitted, conflict = fit_to_total(shares, total.value, mode=mode, quantum=CENT)
        if fitted == shares:
            continue
        words = f"{total.qualifier.value.replace('_', ' ')} {Euro(total.value).format_en()}"
        if conflict:
            given = Euro(sum(x.point for x in shares.values()))
            notes.append(
                f"the posts times the rates give {given.format_en()}, more than the "
                f"published total ({words}); all figures scaled to it"
            )
        else:
            notes.append(f"estimated figures scaled to the published total ({words})")
        low = Euro(sum(x.low for x in shares.values()))
        high = Euro(sum(x.high for x in shares.values()))
        slack = total.value * ABOUT
        if low.amount - slack > total.value or (
            mode != TotalQualifier.AT_MOST.value and high.amount + slack < total.value
        ):
            notes.append(
                f"the total lies outside the estimate's 80 % interval ({low.format_en()} to "
                f"{high.format_en()}): the model does not explain it"
            )
        for c, share in fitted.items():
            f = figures[c]
            figures[c] = f.model_copy(
                update={
                    "grant": Euro(share.point),
                    "grant_low": Euro(share.low) if f.grant_low is not None else None,
                    "grant_high": Euro(share.high) if f.grant_high is not None else None,
                    "note": "; ".join(x for x in (f.note, "scaled to the published total") if x),
                }
            )
    return UnitResult.model_construct(
        key=unit.key,
        name=unit.name,
        type=unit.type,
        components=frozen_map(figures),
        published=published,
        note="; ".join(notes) or None,
    )
