"""The three programme components (Bausteine) and the kinds of post they fund.

| # | Component | funds | legal form 2020-2024 |
|---|---|---|---|
| 1 | strategic management (Koordination) | coordination, administrative assistance, workplaces, training, measures | grant under the guidelines (RL 2020, RL 2024) |
| 2 | case management | case-manager posts at the unit, a municipality or a welfare organisation | yearly subject-specific flat rate |
| 3 | Ausländer- and Einbürgerungsbehörden | extra posts for residence and naturalisation | yearly subject-specific flat rate |

>>> from kim.components import Component, PostKind
>>> Component.CASE_MANAGEMENT.label_de
'KIM-Case Management'
>>> PostKind.ADMIN_ASSISTANCE.component is Component.COORDINATION
True
"""  # noqa: E501

from __future__ import annotations

from datetime import date
from enum import IntEnum, StrEnum

from pydantic import Field

from kim._model import KimModel
from kim.parameters.model import Status

__all__ = [
    "STATUTORY_BASIS_FROM",
    "Component",
    "ComponentStart",
    "EmployerKind",
    "PostKind",
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
    """The kinds of post the programme funds."""

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
    def component(self) -> Component:
        """The component that funds this kind of post."""
        return _POST_COMPONENT[self]

    @property
    def label_de(self) -> str:
        """The German name."""
        return _POST_LABELS[self]


_POST_COMPONENT = {
    PostKind.COORDINATION: Component.COORDINATION,
    PostKind.ADMIN_ASSISTANCE: Component.COORDINATION,
    PostKind.CASE_MANAGEMENT: Component.CASE_MANAGEMENT,
    PostKind.AUSLAENDERBEHOERDE: Component.AUTHORITIES,
    PostKind.EINBUERGERUNGSBEHOERDE: Component.AUTHORITIES,
}

_POST_LABELS = {
    PostKind.COORDINATION: "Koordinierungsstelle",
    PostKind.ADMIN_ASSISTANCE: "Verwaltungsassistenz",
    PostKind.CASE_MANAGEMENT: "Case Management",
    PostKind.AUSLAENDERBEHOERDE: "Ausländerbehörde",
    PostKind.EINBUERGERUNGSBEHOERDE: "Einbürgerungsbehörde",
}


class EmployerKind(StrEnum):
    """Who employs a funded post: the recipient, or a final recipient it passes money to."""

    RECIPIENT = "recipient"
    """The Kreis or city that receives the grant (through its KI)."""
    MUNICIPALITY = "municipality"
    """A municipality within the Kreis (§ 9 (2) TIntG: money passed on)."""
    WELFARE_ORGANISATION = "welfare_organisation"
    """A welfare organisation (Träger der Freien Wohlfahrtspflege)."""
