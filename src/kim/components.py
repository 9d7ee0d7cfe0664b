"""The three programme components (Bausteine) and the registry of the kinds of post they fund.

| # | Component | funds | legal form 2020-2024 |
|---|---|---|---|
| 1 | strategic management (Koordination) | coordination, administrative assistance, workplaces,
training, measures | grant under the guidelines (RL 2020, RL 2024) | | 2 | case management |
case-manager posts at the unit, a municipality or a welfare organisation | yearly subject-specific
flat rate | | 3 | Ausländer- and Einbürgerungsbehörden | extra posts for residence and
naturalisation | yearly subject-specific flat rate |

Examples:
    >>> from kim.components import Component, PostKind
    >>> Component.CASE_MANAGEMENT.label_de
    'KIM-Case Management'
    >>> PostKind.ADMIN_ASSISTANCE.component is Component.COORDINATION
    True

"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from types import MappingProxyType

from pydantic import Field

from kim._model import KimModel
from kim.parameters.model import Status

__all__ = [
    "POST_KINDS",
    "STATUTORY_BASIS_FROM",
    "Component",
    "ComponentStart",
    "EmployerKind",
    "PostKind",
    "PostKindEntry",
    "parse_post_kind",
    "read_post_kind_alias",
    "split_estimate",
]

STATUTORY_BASIS_FROM = date(2022, 1, 1)
"""From this day KIM rests on § 9 TIntG NRW (source ``tintg-9``); before, on the
guideline of 25.11.2020 and the yearly flat rates."""


class ComponentStart(KimModel):
    """When a component began, as far as the sources tell.

    Before ``uncertain_from`` the component did not exist; from ``uncertain_from`` to the
    day before ``start`` the sources cannot say; from ``start`` it is certain.
    """

    start: date = Field(description="First day the component certainly ran.")
    uncertain_from: date | None = Field(
        default=None, description="First day it may have run (if earlier than start)."
    )
    status: Status = Field(description="How sure the start date is.")
    sources: tuple[str, ...] = Field(description="Source ids.")
    note: str = Field(description="What the sources say about the start.")


class Component(IntEnum):
    """A programme component (Baustein), numbered as in the guideline (RL 2024 Nr. 1.2)."""

    COORDINATION = 1
    """Baustein 1: strategic management through coordination posts."""
    CASE_MANAGEMENT = 2
    """Baustein 2: case management across legal systems."""
    AUTHORITIES = 3
    """Baustein 3: extra posts in the Ausländer- and Einbürgerungsbehörden."""

    @property
    def key(self) -> str:
        """The id used in data files: ``coordination``, ``case_management``, ``authorities``."""
        return self.name.lower()

    @property
    def label_de(self) -> str:
        """The German name."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name."""
        return _LABELS[self][1]

    @property
    def start(self) -> ComponentStart:
        """When the component began."""
        return _STARTS[self]

    @classmethod
    def parse(cls, text: str | int) -> Component:
        """Read ``1``/``2``/``3`` or a key such as ``case_management``."""
        from kim.errors import InputError

        value = str(text).strip().lower().replace("-", "_")
        for member in cls:
            if value in (str(member.value), member.key):
                return member
        raise InputError(
            f"Unknown component {text!r}; expected 1, 2, 3 or one of "
            f"{', '.join(m.key for m in cls)}."
        )


_LABELS = {
    Component.COORDINATION: ("Strategisches Management (Koordination)", "Strategic management"),
    Component.CASE_MANAGEMENT: ("KIM-Case Management", "Case management"),
    Component.AUTHORITIES: (
        "Verstetigung in den Ausländer- und Einbürgerungsbehörden",
        "Ausländer- and Einbürgerungsbehörden",
    ),
}

_STARTS = {
    Component.AUTHORITIES: ComponentStart(
        start=date(2020, 4, 21),
        uncertain_from=date(2020, 3, 1),
        status=Status.INFERRED,
        sources=("lokalkompass-2020-12", "heinrich-frieling-2020-04-21"),
        note=(
            "Posts in the Ausländer- and Einbürgerungsbehörden were financed from spring "
            "2020; the earliest dated report of the money is of 21.04.2020. Before March "
            "2020 the component did not exist; March to 20 April 2020 is uncertain."
        ),
    ),
    Component.CASE_MANAGEMENT: ComponentStart(
        start=date(2020, 7, 1),
        status=Status.CONFIRMED,
        sources=("coesfeld-sv-9-1769", "rkn-to-23500"),
        note="Case management started statewide on 01.07.2020 (first period to 31.12.2020).",
    ),
    Component.COORDINATION: ComponentStart(
        start=date(2020, 11, 25),
        status=Status.CONFIRMED,
        sources=("rl-2020",),
        note="Coordination is funded under the guideline of 25.11.2020 (MBl. NRW. 2020 Nr. 32).",
    ),
}


class PostKind(StrEnum):
    """The kinds of post the programme funds (one row each in `POST_KINDS`)."""

    COORDINATION = "coordination"
    """Koordinierungsstelle (Baustein 1)."""
    ADMIN_ASSISTANCE = "admin_assistance"
    """Verwaltungsassistenz (Baustein 1), funded per half post."""
    CASE_MANAGEMENT = "case_management"
    """Case manager (Baustein 2)."""
    AUSLAENDERBEHOERDE = "auslaenderbehoerde"
    """Extra post in an Ausländerbehörde (Baustein 3)."""
    EINBUERGERUNGSBEHOERDE = "einbuergerungsbehoerde"
    """Extra post in an Einbürgerungsbehörde (Baustein 3)."""

    @property
    def entry(self) -> PostKindEntry:
        """The row of this kind in the registry [`POST_KINDS`][kim.components.POST_KINDS]."""
        return POST_KINDS[self]

    @property
    def component(self) -> Component:
        """The component that funds this kind of post."""
        return POST_KINDS[self].component

    @property
    def label_de(self) -> str:
        """The German name."""
        return POST_KINDS[self].label_de

    @property
    def label_en(self) -> str:
        """The English name."""
        return POST_KINDS[self].label_en

    @property
    def cli_name(self) -> str:
        """The name used on the command line: ``case-management``."""
        return self.value.replace("_", "-")


class PostKindEntry(KimModel):
    """One row of the post-kind registry: everything the library knows about a kind of post.

    Every other table (flat-rate parameters, labels, CLI aliases, quotas, the split of
    an estimated component figure) is derived from these rows, so a new kind of post
    is one enum member, one row here and its parameters in one data file.
    """

    kind: PostKind = Field(description="The kind of post.")
    component: Component = Field(description="The component (Baustein) that funds it.")
    label_de: str = Field(description="The German name.")
    label_en: str = Field(description="The English name, as used in grant lines.")
    aliases: tuple[str, ...] = Field(
        default=(),
        description=(
            "Further names accepted on input, folded (lower case, ``_`` for ``-`` and "
            "spaces, ``ae``/``oe``/``ue`` for umlauts); the value itself is always accepted."
        ),
    )
    rate_parameter: str = Field(description="The parameter holding the flat rate.")
    workplace: bool = Field(
        description="Whether setting up a new post's workplace is funded (Baustein 1)."
    )
    quota_parameters: tuple[str, str] | None = Field(
        default=None,
        description="Parameters for the usual posts of a Kreis and of a city, if known.",
    )
    estimate_share: Decimal = Field(
        ge=0,
        le=1,
        description=(
            "Share of the component's posts given to this kind when only a total for the "
            "component is known (0: the kind is taken from its quota instead)."
        ),
    )


POST_KINDS: Mapping[PostKind, PostKindEntry] = MappingProxyType(
    {
        e.kind: e
        for e in (
            PostKindEntry(
                kind=PostKind.COORDINATION,
                component=Component.COORDINATION,
                label_de="Koordinierungsstelle",
                label_en="coordination post",
                aliases=("koordination", "koordinierungsstelle"),
                rate_parameter="coordination_flat_rate",
                workplace=True,
                quota_parameters=("coordination_posts_kreis", "coordination_posts_city"),
                estimate_share=Decimal(1),
            ),
            PostKindEntry(
                kind=PostKind.ADMIN_ASSISTANCE,
                component=Component.COORDINATION,
                label_de="Verwaltungsassistenz",
                label_en="administrative assistance",
                aliases=("administrative_assistance", "verwaltungsassistenz"),
                rate_parameter="admin_assistance_flat_rate_half_post",
                workplace=True,
                quota_parameters=("admin_assistance_posts_kreis", "admin_assistance_posts_city"),
                estimate_share=Decimal(0),
            ),
            PostKindEntry(
                kind=PostKind.CASE_MANAGEMENT,
                component=Component.CASE_MANAGEMENT,
                label_de="Case Management",
                label_en="case management",
                rate_parameter="case_management_flat_rate",
                workplace=False,
                estimate_share=Decimal(1),
            ),
            PostKindEntry(
                kind=PostKind.AUSLAENDERBEHOERDE,
                component=Component.AUTHORITIES,
                label_de="Ausländerbehörde",
                label_en="Ausländerbehörde",
                aliases=("auslanderbehorde", "abh"),
                rate_parameter="authorities_flat_rate_half_post",
                workplace=False,
                estimate_share=Decimal("0.5"),
            ),
            PostKindEntry(
                kind=PostKind.EINBUERGERUNGSBEHOERDE,
                component=Component.AUTHORITIES,
                label_de="Einbürgerungsbehörde",
                label_en="Einbürgerungsbehörde",
                aliases=("einburgerungsbehorde", "ebh"),
                rate_parameter="authorities_flat_rate_half_post",
                workplace=False,
                estimate_share=Decimal("0.5"),
            ),
        )
    }
)
"""The post-kind registry: one row per `PostKind`, in the enum's order.

Examples:
    >>> POST_KINDS[PostKind.CASE_MANAGEMENT].rate_parameter
    'case_management_flat_rate'
    >>> [k.value for k, e in POST_KINDS.items() if e.workplace]
    ['coordination', 'admin_assistance']

"""


def _fold(text: str) -> str:
    folded = text.strip().casefold().replace("-", "_").replace(" ", "_")
    return folded.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")


_ALIASES: Mapping[str, PostKind] = MappingProxyType(
    {
        name: entry.kind
        for entry in POST_KINDS.values()
        for name in (entry.kind.value, *entry.aliases)
    }
)


def parse_post_kind(text: str | PostKind) -> PostKind:
    """Read a kind of post: ``case-management``, ``case_management``, ``ABH``, ...

    Raises:
        InputError: the text names no kind of post; the message lists the known ones.

    Examples:
        >>> parse_post_kind("case-management").value
        'case_management'
        >>> parse_post_kind("Ausländerbehörde").value
        'auslaenderbehoerde'

    """
    if isinstance(text, PostKind):
        return text
    kind = _ALIASES.get(_fold(text))
    if kind is None:
        from kim.errors import InputError

        known = ", ".join(k.cli_name for k in PostKind)
        raise InputError(f"Unknown kind of post {text!r}; expected one of {known}.")
    return kind


def read_post_kind_alias(value: object) -> object:
    """A validator's helper: an alias string becomes its [`PostKind`][kim.components.PostKind].

    Anything else (and an unknown name) is returned unchanged, so that the model's own
    validation reports it. Models use it so that JSON and scenario files accept every
    alias ``parse_post_kind`` accepts.

    Examples:
        >>> read_post_kind_alias("case-management")
        <PostKind.CASE_MANAGEMENT: 'case_management'>
        >>> read_post_kind_alias("nurse")
        'nurse'

    """
    if isinstance(value, str) and not isinstance(value, PostKind):
        return _ALIASES.get(_fold(value), value)
    return value


def split_estimate(component: Component, fte: Decimal) -> dict[PostKind, Decimal]:
    """Share a component's estimated posts among its kinds (by ``estimate_share``).

    Kinds with a share of 0 are left out (they come from their quota).

    Examples:
        >>> split = split_estimate(Component.AUTHORITIES, Decimal(3))
        >>> {kind.value: str(fte) for kind, fte in split.items()}
        {'auslaenderbehoerde': '1.5', 'einbuergerungsbehoerde': '1.5'}

    """
    split: dict[PostKind, Decimal] = {}
    for entry in POST_KINDS.values():
        if entry.component is component and entry.estimate_share:
            numerator, denominator = entry.estimate_share.as_integer_ratio()
            split[entry.kind] = fte * numerator / denominator
    return split


class EmployerKind(StrEnum):
    """Who employs a funded post: the recipient, or a final recipient it passes money to."""

    RECIPIENT = "recipient"
    """The Kreis or city that receives the grant (through its KI)."""
    MUNICIPALITY = "municipality"
    """A municipality within the Kreis (§ 9 (2) TIntG: money passed on)."""
    WELFARE_ORGANISATION = "welfare_organisation"
    """A welfare organisation (Träger der Freien Wohlfahrtspflege)."""
