"""The stable ids of the rules the library applies: part of the output contract.

Every [`kim.eligibility.Reason`][kim.eligibility.Reason], every refusal of a grant line and every
check in an [`kim.explain.Explanation`][kim.explain.model.Explanation] names its rule by one of
these ids, as pydantic names its errors by stable codes. An id never changes its meaning; a new rule
gets a new id (a new minor version of the output). ``RuleId`` is a ``StrEnum``, so the ids
compare equal to their text and serialise as it:

Examples:
    >>> from kim.rule_ids import RuleId
    >>> RuleId.MINIMUM_POST_SHARE == "minimum_post_share"
    True
    >>> RuleId("applicant").name
    'APPLICANT'

"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RuleId"]


class RuleId(StrEnum):
    """A rule of eligibility or funding, by its stable id."""

    # -- eligibility (kim.eligibility) ---------------------------------------------------
    COMPONENT_STARTED = "component_started"
    """The component had started on the date asked about."""
    LEGAL_BASIS = "legal_basis"
    """A legal basis was in force on the date (guideline, flat rates, § 9 TIntG)."""
    APPLICANT = "applicant"
    """The applicant is a KIM unit (Kreis or kreisfreie Stadt) with an integration centre."""
    EXTRA_COORDINATION = "extra_coordination"
    """An extra coordination post for a municipality with its own authorities."""
    OWN_AUTHORITY = "own_authority"
    """Baustein 3 goes to a body with its own Ausländer- or Einbürgerungsbehörde."""
    FORWARDING = "forwarding"
    """Case-management money may be passed on to a municipality or organisation."""
    ADDITIONAL = "additional"
    """Funded posts are additional to existing staff."""
    NO_DOUBLE_FUNDING = "no_double_funding"
    """A post is not funded twice from public programmes."""
    MINIMUM_POST_SHARE = "minimum_post_share"
    """Only post shares of at least the minimum (0.5 FTE) are fundable."""
    SUPERVISION_WITH_KI = "supervision_with_ki"
    """Forwarded case-management posts stay under the supervision of the KI."""
    FORWARDING_WITHIN_KREIS = "forwarding_within_kreis"
    """Money is passed on only to a municipality within the forwarding Kreis."""

    # -- funding (kim.funding) -------------------------------------------------------------
    WORKPLACE_COMPONENT = "workplace_component"
    """Setting up a workplace is funded in Baustein 1 only."""
    WORKPLACE_POST_FILLED = "workplace_post_filled"
    """A workplace is paid for a post filled in the funding year."""
    ACTUAL_COST_CAP = "actual_cost_cap"
    """A line is at most the actual personnel cost."""
    WITHIN_BUDGET = "within_budget"
    """The grants of a year fit into the programme budget."""
    NOTICE_WHOLE_PERIOD = "notice_whole_period"
    """The notice (Bewilligung) pays every allocated post for the whole notice period."""
    SETTLEMENT_MONTHS_FILLED = "settlement_months_filled"
    """The settlement (Verwendungsnachweis) pays the whole months a post was filled."""
    SETTLEMENT_DIFFERENCE = "settlement_difference"
    """Notice minus settlement: an amount to repay, or a shortfall."""
