"""Baustein 3 per authority: half posts distributed over the authorities, total kept.

Every Ausländer- and Einbürgerungsbehörde the registry knows
([`kim.territory.authorities.authorities()`][kim.territory.authorities.authorities]) gets one half
post; the rest of the statewide number is apportioned by the population each serves (largest
remainder, whole half posts), so the published total is kept exactly: 200 half posts in 2020 are
5,000,000.00 €. The registry knows fewer authorities than the 165 of 2020, so the half
posts of the unknown ones are spread by population over the known ones: the shares
are estimates (``inferred``), the total is the published one.

Examples:
    >>> shares = authority_estimate(2020)
    >>> sum(s.half_posts for s in shares), sum((s.amount for s in shares), Euro(0))
    (200, Euro('5000000.00'))

"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import Field

from kim._model import KimModel
from kim.allocation.methods import base_plus_weight
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.territory.authorities import Authority, authorities, observed_half_posts

__all__ = ["AuthorityShare", "authority_estimate", "distribute_half_posts"]


def distribute_half_posts(total: int, served: Mapping[str, int]) -> dict[str, int]:
    """Give every authority one half post and the rest by population served.

    The rest is apportioned in whole half posts by largest remainder
    ([`kim.allocation.base_plus_weight()`][kim.allocation.methods.base_plus_weight]), so the shares
    add up to ``total`` exactly; a pure function of its inputs.

    Raises:
        InputError: fewer half posts than authorities, or no authority.

    Examples:
        >>> distribute_half_posts(7, {"a": 100, "b": 300})
        {'a': 2, 'b': 5}

    """
    if not served:
        raise InputError("distribute_half_posts needs at least one authority")
    if total < len(served):
        raise InputError(
            f"{total} half posts cannot give each of {len(served)} authorities one; "
            "give a total of at least the number of authorities."
        )
    weights = served if any(served.values()) else dict.fromkeys(served, 1)
    allocation = base_plus_weight(total, weights, base=1, step=1)
    return {k: int(v) for k, v in allocation.as_dict().items()}


class AuthorityShare(KimModel):
    """The estimated Baustein 3 half posts and money of one authority."""

    authority: Authority = Field(description="The authority.")
    half_posts: int = Field(description="Half posts (at least one).")
    amount: Euro = Field(description="Half posts × the flat rate per half post.")
    observed: bool = Field(
        default=False,
        description="The half posts are a source's figure for the holder (pinned), not estimated.",
    )


def authority_estimate(
    year: int,
    parameters: ParameterSet | None = None,
    *,
    fixed: Mapping[str, int] | None = None,
) -> tuple[AuthorityShare, ...]:
    """Baustein 3 of ``year`` per known authority, conserving the statewide total.

    The statewide half posts are distributed by
    [`distribute_half_posts()`][kim.allocation.authorities.distribute_half_posts] and priced at the
    flat rate per half post. ``fixed`` gives observed half posts per holder (a unit key or an AGS);
    they are split between its authorities (the Ausländerbehörde takes the odd one) and the rest
    of the total is distributed over the other authorities. The half posts the registry's
    sources give for municipal recipients
    ([`observed_half_posts()`][kim.territory.authorities.observed_half_posts]: Stadt Düren 1 and
    Bocholt 2 in 2020) are pinned too, unless ``fixed`` names the holder.

    The amounts add up to the published total exactly (2020: 200 half posts,
    5,000,000.00 €). Each municipal authority is its own row under its Kreis
    (``authority.kreis``), never inside the Kreis's figure.

    Raises:
        MissingValueError: the year has no statewide number of half posts or no rate.

    Examples:
        >>> shares = authority_estimate(2020)
        >>> sum((s.amount for s in shares), Euro(0))
        Euro('5000000.00')
        >>> [(s.authority.id, s.amount) for s in shares if s.authority.holder == "05358008"]
        [('05358008-b3', Euro('25000.00'))]

    """
    params = embedded_parameters() if parameters is None else parameters
    total = params.value("authorities_half_posts_total", date(year, 6, 30)).value
    rate = Euro(params.value("authorities_flat_rate_half_post", date(year, 1, 1)).value)
    known = authorities(date(year, 12, 31))
    if total != int(total):
        raise InputError(f"authorities_half_posts_total {total} is not a whole number")
    pinned: dict[str, int] = {}
    observed = {**observed_half_posts(year), **(fixed or {})}
    for holder, half_posts in observed.items():
        mine = sorted(a.id for a in known.authorities if a.holder == holder)
        for i, aid in enumerate(mine):
            pinned[aid] = half_posts // len(mine) + (1 if i < half_posts % len(mine) else 0)
    rest = {a.id: a.served for a in known.authorities if a.id not in pinned}
    shares = distribute_half_posts(int(total) - sum(pinned.values()), rest) if rest else {}
    shares.update(pinned)
    return tuple(
        AuthorityShare(
            authority=a,
            half_posts=shares[a.id],
            amount=rate * shares[a.id],
            observed=a.id in pinned,
        )
        for a in known.authorities
    )
