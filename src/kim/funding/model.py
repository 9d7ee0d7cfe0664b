"""Inputs and results of the funding rules: staffing plans, grant lines, grants."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from pydantic import Field, field_validator, model_validator

from kim._model import KimModel
from kim._numbers import to_decimal
from kim.components import (
    POST_KINDS,
    Component,
    EmployerKind,
    PostKind,
    parse_post_kind,
    read_post_kind_alias,
)
from kim.eligibility import Decision, Reason
from kim.errors import InputError
from kim.funding.vocabulary import LineKind
from kim.money import Euro
from kim.parameters.model import Labels, ParameterValue, Status
from kim.periods import DateRange, funding_year

if TYPE_CHECKING:  # pragma: no cover
    from kim.explain import Explanation

__all__ = [
    "ComponentTotal",
    "Grant",
    "GrantFigure",
    "GrantLine",
    "LineKind",
    "PassedOn",
    "Post",
    "StaffingPlan",
    "kind_labels",
    "parse_post_kind",
]


class Post(KimModel):
    """One post (or a group of equal posts) in a staffing plan.

    ``fte`` is the size in full-time equivalents; the minimum-share rule (0.5 FTE) is
    applied to it as given, so list posts of different shares separately. ``filled``
    defaults to the whole funding year. For a post placed with a municipality or a
    welfare organisation (money passed on, § 9 (2) TIntG), name the final recipient.
    """

    kind: PostKind = Field(description="The kind of post; it decides the component.")
    fte: Decimal = Field(gt=0, le=1000, description="Size in full-time equivalents (VZÄ).")
    filled: DateRange | None = Field(
        default=None, description="When the post is filled; None: the whole funding year."
    )
    employer: EmployerKind = Field(
        default=EmployerKind.RECIPIENT, description="Who employs the post."
    )
    final_recipient: str | None = Field(
        default=None, min_length=1, description="Name of the municipality or organisation."
    )
    final_recipient_key: str | None = Field(
        default=None, description="AGS of a municipality (8 digits), if known."
    )
    actual_cost: Euro | None = Field(
        default=None,
        description="Personnel cost actually incurred for this post in the funding year.",
    )
    needs_new_workplace: bool = Field(
        default=False, description="Whether a new workplace must be set up (Baustein 1)."
    )
    workplace_cost: Euro | None = Field(
        default=None, description="Actual cost of setting up the workplace, if known."
    )
    label: str | None = Field(default=None, description="A free label, e.g. 'DRK Heinsberg'.")

    @field_validator("kind", mode="before")
    @classmethod
    def _alias(cls, value: object) -> object:
        return read_post_kind_alias(value)

    @field_validator("fte", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        return to_decimal(value, "FTE")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        forwarded = self.employer is not EmployerKind.RECIPIENT
        if forwarded and self.final_recipient is None:
            raise InputError(
                f"a post employed by a {self.employer.value.replace('_', ' ')} needs "
                "final_recipient (the municipality or organisation the money is passed on to)"
            )
        if not forwarded and (self.final_recipient or self.final_recipient_key):
            raise InputError(
                "final_recipient is only for posts employed by a municipality or a welfare "
                "organisation; set employer as well"
            )
        key = self.final_recipient_key
        if key is not None:
            if self.employer is not EmployerKind.MUNICIPALITY:
                raise InputError("final_recipient_key is the AGS of a municipality")
            if not (len(key) == 8 and key.isdigit() and key.startswith("05")):
                raise InputError(f"final_recipient_key {key!r} is not an 8-digit NRW AGS")
        for name in ("actual_cost", "workplace_cost"):
            cost = getattr(self, name)
            if cost is not None and cost.amount < 0:
                raise InputError(f"{name} must not be negative, got {cost.amount}")
        if self.workplace_cost is not None and not self.needs_new_workplace:
            raise InputError("workplace_cost is given but needs_new_workplace is False")
        return self

    @property
    def component(self) -> Component:
        """The component that funds this post."""
        return self.kind.component

    @property
    def forwarded(self) -> bool:
        """Whether the money for this post is passed on to a final recipient."""
        return self.employer is not EmployerKind.RECIPIENT


class StaffingPlan(KimModel):
    """The staffing of one recipient (a KIM unit) for one funding year.

    Examples:
        >>> plan = StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": 12})
        >>> plan.posts[0].kind.value, plan.posts[0].fte
        ('case_management', Decimal('12'))

    """

    recipient: str = Field(min_length=1, description="Key, name or alias of the KIM unit.")
    year: int = Field(ge=1900, le=2200, description="The funding year (a calendar year).")
    posts: tuple[Post, ...] = Field(default=(), description="The posts, in order.")
    measures: Euro | None = Field(
        default=None, description="Money asked for events and measures (Baustein 1)."
    )

    @model_validator(mode="after")
    def _in_year(self) -> Self:
        year = funding_year(self.year)
        for i, post in enumerate(self.posts, 1):
            if post.filled is not None and not post.filled.overlaps(year):
                raise InputError(
                    f"post {i} is filled {post.filled}, which is outside funding year {self.year}"
                )
        if self.measures is not None and self.measures.amount < 0:
            raise InputError(f"measures must not be negative, got {self.measures.amount}")
        return self

    @classmethod
    def from_fte(
        cls,
        recipient: str,
        year: int,
        fte: Mapping[PostKind | str, Decimal | int | str | float],
        *,
        start: date | None = None,
        end: date | None = None,
        costs: Mapping[PostKind | str, Euro | Decimal | int | str] | None = None,
        measures: Euro | Decimal | int | str | None = None,
    ) -> StaffingPlan:
        """A plan with one post line per kind, all filled from ``start`` to ``end``.

        ``start`` and ``end`` default to the first and last day of the year; ``costs``
        gives the actual personnel cost per kind.
        """
        filled = None
        if start is not None or end is not None:
            filled = DateRange(start=start or date(year, 1, 1), end=end or date(year, 12, 31))
        cost_by_kind = {parse_post_kind(k): v for k, v in (costs or {}).items()}
        posts = []
        for kind_text, size in fte.items():
            kind = parse_post_kind(kind_text)
            cost = cost_by_kind.pop(kind, None)
            posts.append(
                Post(
                    kind=kind,
                    fte=to_decimal(size, f"FTE of {kind.value}"),
                    filled=filled,
                    actual_cost=None if cost is None else Euro(cost),
                )
            )
        if cost_by_kind:
            names = ", ".join(k.value for k in cost_by_kind)
            raise InputError(f"costs given for kinds without posts: {names}")
        return cls(
            recipient=recipient,
            year=year,
            posts=tuple(posts),
            measures=None if measures is None else Euro(measures),
        )


class GrantLine(KimModel):
    """One line of a grant: what it pays for, the parameter value behind it, the amount.

    ``full_amount`` is the flat rate applied (rate × FTE or half posts × share of the
    year); ``amount`` is what is granted: the full amount, at most ``actual_cost`` when
    that is given, and zero when the line is refused (``refused`` names the rule).
    """

    number: int = Field(description="Line number, from 1.")
    kind: LineKind = Field(description="post, workplace or measures.")
    component: Component = Field(description="The component that pays.")
    post: int | None = Field(description="Number of the post in the plan (from 1), if any.")
    post_kind: PostKind | None = Field(description="The kind of post, if any.")
    post_label: str | None = Field(description="The post's free label, if any.")
    fte: Decimal | None = Field(description="FTE of the post.")
    units: Decimal | None = Field(
        description="What the rate is multiplied by: FTE, or half posts (FTE / 0.5)."
    )
    months: int | None = Field(description="Whole months filled in the year (0 to 12).")
    parameter: str | None = Field(description="Id of the parameter applied.")
    rate: ParameterValue | None = Field(description="The parameter value applied.")
    full_amount: Euro = Field(description="The flat rate applied, before any cap.")
    notice_months: int | None = Field(
        description="Whole months of the notice period (Bewilligungszeitraum) in the year."
    )
    notified: Euro = Field(
        description="What the notice (Bewilligung) grants: the flat rate for the whole "
        "notice period per allocated post, before filling and costs are known."
    )
    actual_cost: Euro | None = Field(description="Actual cost given for the line, if any.")
    amount: Euro = Field(
        description="The amount due after settlement (Verwendungsnachweis): months filled "
        "pro rata, at most the actual cost."
    )
    capped: bool = Field(description="Whether the actual cost (or another cap) bound.")
    own_share: Euro | None = Field(description="Actual cost minus amount, where cost is given.")
    employer: EmployerKind = Field(description="Who employs the post.")
    final_recipient: str | None = Field(description="Who the money is passed on to.")
    final_recipient_key: str | None = Field(description="Their AGS, if known.")
    status: Status | None = Field(
        description="Least certain status of the parameter values the amount rests on."
    )
    checks: tuple[Reason, ...] = Field(description="Rules checked for the line.")
    refused: Reason | None = Field(description="The rule that refused the line, if any.")
    notes: tuple[Labels, ...] = Field(description="Remarks on the line.")

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources of the parameter value applied."""
        return self.rate.sources if self.rate is not None else ()

    @property
    def description(self) -> Labels:
        """What the line pays for, in German and English."""
        return _describe(self)


def kind_labels(kind: PostKind) -> tuple[str, str]:
    """The German and English name of a kind of post (from the registry).

    Examples:
        >>> kind_labels(PostKind.ADMIN_ASSISTANCE)
        ('Verwaltungsassistenz', 'administrative assistance')

    """
    entry = POST_KINDS[kind]
    return entry.label_de, entry.label_en


def _describe(line: GrantLine) -> Labels:
    if line.kind is LineKind.MEASURES or line.post_kind is None:
        return Labels.model_construct(de="Veranstaltungen und Maßnahmen", en="Events and measures")
    de, en = kind_labels(line.post_kind)
    if line.kind is LineKind.WORKPLACE:
        return Labels.model_construct(
            de=f"Arbeitsplatz für Stelle {line.post} ({de})",
            en=f"Workplace for post {line.post} ({en})",
        )
    fte = format((line.fte or Decimal(0)).normalize(), "f")
    extra_de = extra_en = ""
    if line.final_recipient is not None:
        municipality = line.employer is EmployerKind.MUNICIPALITY
        where_de = "Kommune" if municipality else "Wohlfahrtsverband"
        where_en = "municipality" if municipality else "welfare organisation"
        extra_de = f", weitergeleitet an {line.final_recipient} ({where_de})"
        extra_en = f", passed on to {line.final_recipient} ({where_en})"
    if line.post_label:
        extra_de += f" – {line.post_label}"
        extra_en += f" – {line.post_label}"
    c = line.component.value
    return Labels.model_construct(
        de=f"Stelle {line.post}: {de}, {fte.replace('.', ',')} VZÄ (Baustein {c}){extra_de}",
        en=f"Post {line.post}: {en}, {fte} FTE (Baustein {c}){extra_en}",
    )


class ComponentTotal(KimModel):
    """The amount granted for one component."""

    component: Component = Field(description="The component.")
    amount: Euro = Field(description="Sum of its lines.")
    fte: Decimal = Field(description="FTE of its funded (not refused) post lines.")


class PassedOn(KimModel):
    """The money a recipient passes on to one final recipient (§ 9 (2) TIntG)."""

    final_recipient: str = Field(description="Municipality or organisation.")
    final_recipient_key: str | None = Field(description="Its AGS, if known.")
    employer: EmployerKind = Field(description="municipality or welfare_organisation.")
    fte: Decimal = Field(description="FTE of the funded posts it employs.")
    amount: Euro = Field(description="Sum of the lines of those posts.")
    lines: tuple[int, ...] = Field(description="The line numbers.")


class GrantFigure(KimModel):
    """One figure of a grant with the rule it follows, its status and its sources.

    A grant has three: the amount notified (Bewilligung), the amount due after
    settlement (Verwendungsnachweis) and their difference.
    """

    amount: Euro = Field(description="The amount.")
    rule: str = Field(description="Id of the rule the amount follows.")
    text: Labels = Field(description="The rule in German and English.")
    status: Status | None = Field(
        description="Least certain status of the rule and the values the amount rests on."
    )
    sources: tuple[str, ...] = Field(description="Source ids of the rule.")


class Grant(KimModel):
    """The grant for one staffing plan: lines, totals, own share, money passed on.

    Every grant has two first-class amounts: ``notice`` (the Bewilligung: the flat
    rate for the whole notice period per allocated post) and ``settlement`` (the
    Verwendungsnachweis: actual months filled and actual costs); ``difference`` is
    notice minus settlement (positive: to be repaid; negative: a shortfall).
    ``total`` is the settled amount.

    ``basis`` is the least certain status of the parameter values the amounts rest on;
    ``caveats`` says, first thing, when that is an inferred or supplied value (or when
    a line rests on no rule at all). Call [`explain()`][kim.funding.model.Grant.explain] for the
    full account.
    """

    recipient: str = Field(description="Key of the KIM unit.")
    recipient_name: str = Field(description="Its name.")
    year: int = Field(description="The funding year.")
    parameter_set: str = Field(description="Name of the parameter set used.")
    lines: tuple[GrantLine, ...] = Field(description="The lines, in plan order.")
    components: tuple[ComponentTotal, ...] = Field(description="Totals per component.")
    total: Euro = Field(description="Sum of all lines (the settled amount).")
    notice: GrantFigure = Field(description="The amount notified (Bewilligung).")
    settlement: GrantFigure = Field(description="The amount due after settlement.")
    difference: GrantFigure = Field(
        description="Notice minus settlement: positive is a repayment, negative a shortfall."
    )
    actual_cost: Euro | None = Field(description="Sum of the actual costs given.")
    own_share: Euro | None = Field(
        description="Eigenanteil: actual cost minus grant, over the lines with a cost."
    )
    passed_on: tuple[PassedOn, ...] = Field(description="Money passed on, per final recipient.")
    decisions: tuple[Decision, ...] = Field(
        description="Eligibility of the recipient for each component used."
    )
    basis: Status | None = Field(
        description="Least certain status of the parameter values the amounts rest on."
    )
    caveats: tuple[Labels, ...] = Field(description="What a reader must know first.")
    warnings: tuple[Labels, ...] = Field(description="Other remarks.")

    # Set by the rules; not part of the data (needed to describe parameter values).
    _parameters: Any = None

    @property
    def total_fte(self) -> Decimal:
        """FTE of all funded (not refused) post lines."""
        return sum((c.fte for c in self.components), Decimal(0))

    def component_total(self, component: Component | int) -> Euro:
        """The amount for one component (zero if the plan has none)."""
        for c in self.components:
            if c.component == component:
                return c.amount
        return Euro(0)

    def passed_on_to(self, final_recipient: str) -> Euro:
        """The amount passed on to one final recipient (by name; zero if none)."""
        return sum(
            (p.amount for p in self.passed_on if p.final_recipient == final_recipient), Euro(0)
        )

    def rows(self) -> list[dict[str, Any]]:
        """The lines as plain dicts (for tables, CSV or a DataFrame)."""
        rows = []
        for line in self.lines:
            rows.append(
                {
                    "line": line.number,
                    "component": line.component.value,
                    "kind": line.post_kind.value if line.post_kind else line.kind.value,
                    "fte": None if line.fte is None else str(line.fte),
                    "months": line.months,
                    "parameter": line.parameter,
                    "rate": None if line.rate is None else str(line.rate.value),
                    "status": None if line.status is None else line.status.value,
                    "full_amount": str(line.full_amount.amount),
                    "notified": str(line.notified.amount),
                    "actual_cost": None
                    if line.actual_cost is None
                    else str(line.actual_cost.amount),
                    "amount": str(line.amount.amount),
                    "own_share": None if line.own_share is None else str(line.own_share.amount),
                    "final_recipient": line.final_recipient,
                    "refused": None if line.refused is None else line.refused.rule,
                    "sources": list(line.sources),
                }
            )
        return rows

    def explain(self) -> Explanation:
        """The full explanation: every line's arithmetic, parameter values and sources."""
        # The builder depends on this result, not the reverse (see docs/architecture.md).
        from kim.funding._explain import grant_explanation

        return grant_explanation(self)

    def to_text(self, lang: str = "en") -> str:
        """The explanation as plain text in German (``"de"``) or English (``"en"``)."""
        return self.explain().to_text("de" if lang == "de" else "en")

    def _repr_html_(self) -> str:
        return self.explain().to_html()
