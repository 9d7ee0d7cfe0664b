"""The figures and caveats of a grant: notice, settlement, difference; what it rests on.

Private to [`kim.funding.rules`][kim.funding.rules]. The notice (Bewilligung) pays every
allocated post for the whole notice period; the settlement (Verwendungsnachweis) the whole
months filled, at most the cost; their difference is to be repaid or a shortfall. The
basis of a grant is the weakest status of the values it used, and every ``inferred`` or
``supplied`` value is named in a caveat.
"""

from __future__ import annotations

from kim._model import construct
from kim.explain import labels
from kim.funding._lines import STATUS_RANK, LineContext, weakest
from kim.funding.model import GrantFigure, GrantLine
from kim.money import Euro
from kim.parameters.model import Labels, ParameterValue, Status
from kim.rule_ids import RuleId

_NOTICE_SOURCES = ("heinsberg-to-11894", "mdl-pm-2021-03-12", "coesfeld-sv-9-1769")
_SETTLEMENT_SOURCES = ("heinsberg-vo-2459", "heinsberg-to-16082")
_NOTICE_TEXT = labels(
    "Bewilligung: die Pauschale für den ganzen Bewilligungszeitraum je zugewiesener Stelle, "
    "ohne Kürzung für Monate vor der Besetzung und ohne Kostendeckel.",
    "Notice (Bewilligung): the flat rate for the whole notice period per allocated post, "
    "not reduced for months before the post is filled and not capped at cost.",
)
_SETTLEMENT_TEXT = labels(
    "Verwendungsnachweis: die Pauschale anteilig für die vollen Monate der Besetzung, "
    "höchstens die tatsächlichen Kosten (Anteil nach Monaten: Lesart der Bibliothek).",
    "Settlement (Verwendungsnachweis): the flat rate for the whole months filled, at most "
    "the actual cost (the months-filled share is the library's own reading).",
)
PRO_RATA_CAVEAT = labels(
    "Der abgerechnete Betrag kürzt die Pauschale nach besetzten Monaten; das ist eine Lesart "
    "der Bibliothek (erschlossen), keine Quelle nennt sie für den Verwendungsnachweis. "
    "Bewilligt wird die Pauschale für den ganzen Zeitraum.",
    "The settled amount reduces the flat rate by the months filled; that is the library's "
    "own reading (inferred), no source states it for the settlement. The notice grants the "
    "flat rate for the whole period.",
)


def grant_caveats(lines: list[GrantLine], ctx: LineContext) -> tuple[Status | None, list[Labels]]:
    used: dict[int, ParameterValue] = {}
    for line in lines:
        rate = line.rate
        if line.refused is None:
            if rate is not None:
                used[id(rate)] = rate
        elif line.refused.rule == RuleId.MINIMUM_POST_SHARE:
            minimum = ctx.minimum_value()
            if minimum is not None:
                used[id(minimum)] = minimum
    basis: Status | None = None
    rank = -1
    caveats: list[Labels] = []
    for v in used.values():
        r = STATUS_RANK[v.status]
        if r > rank:
            basis, rank = v.status, r
        if v.status is Status.INFERRED or v.status is Status.SUPPLIED:
            caveats.append(value_caveat(v))
    return basis, caveats


def value_caveat(v: ParameterValue) -> Labels:
    inferred = v.status is Status.INFERRED
    note = f" ({v.note})" if v.note else ""
    what = f"{v.parameter} = {v.value} "
    return construct(
        Labels,
        {
            "de": f"Beruht auf einem {'erschlossenen' if inferred else 'vorgegebenen'} Wert: "
            f"{what}ab {v.start.isoformat()}{note}.",
            "en": f"Rests on {'an' if inferred else 'a'} {v.status.value} value: "
            f"{what}from {v.start.isoformat()}{note}.",
        },
    )


def grant_figures(
    notified: Euro, settled: Euro, notice_status: Status | None, settled_status: Status | None
) -> dict[str, GrantFigure]:
    """The notice, settlement and difference figures of a grant."""
    diff = notified - settled
    if diff.amount > 0:
        text = labels(
            f"Bewilligung minus Abrechnung: {diff.format_de()} sind zurückzuzahlen.",
            f"Notice minus settlement: {diff.format_en()} to be repaid.",
        )
    elif diff.amount < 0:
        text = labels(
            f"Bewilligung minus Abrechnung: {(-diff).format_de()} Fehlbetrag (mehr abgerechnet "
            "als bewilligt; bezahlt wird höchstens die Bewilligung).",
            f"Notice minus settlement: a shortfall of {(-diff).format_en()} (more settled than "
            "notified; at most the notice is paid).",
        )
    else:
        text = labels("Bewilligung und Abrechnung stimmen überein.", "Notice and settlement agree.")
    return {
        "notice": construct(
            GrantFigure,
            {
                "amount": notified,
                "rule": RuleId.NOTICE_WHOLE_PERIOD,
                "text": _NOTICE_TEXT,
                "status": notice_status,
                "sources": _NOTICE_SOURCES,
            },
        ),
        "settlement": construct(
            GrantFigure,
            {
                "amount": settled,
                "rule": RuleId.SETTLEMENT_MONTHS_FILLED,
                "text": _SETTLEMENT_TEXT,
                "status": settled_status,
                "sources": _SETTLEMENT_SOURCES,
            },
        ),
        "difference": construct(
            GrantFigure,
            {
                "amount": diff,
                "rule": RuleId.SETTLEMENT_DIFFERENCE,
                "text": text,
                "status": weakest(s for s in (notice_status, settled_status) if s is not None),
                "sources": (),
            },
        ),
    }
