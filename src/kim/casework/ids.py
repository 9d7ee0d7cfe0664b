"""Ids in a case record, and the pseudonymity rule every id must keep.

Every id in a case log (the client id, the case manager's staff id, the ids of
consents, goals and referrals) is an **opaque pseudonym**: it names a record, never a
person. The rule cannot prove that an id is meaningless, but it refuses the shapes in
which personal data usually arrive:

**Allowed** -- 1 to 64 characters: letters ``A-Z a-z``, digits and ``_ . : -``, starting
with a letter or digit; a **client id** also needs at least one digit. For example
``K-0042``, ``K-2024-001`` (client ids), ``cm-07`` (a staff id), ``c1``, ``gx`` (record ids).

**Refused** (the error names the field and the broken rule, never the value):

* a client id without a digit (``Mustermann``, ``Eva``);

* a run of **five or more letters** -- a name or a word (``Erika-1``, ``Mustermann7``);
* a run of **seven or more digits** -- a phone number, a date written without separators
  or an official number (``01712345678``, ``K-19850314``);
* three groups of digits that read as a **calendar date** -- year first or last with
  four digits, or day.month.year with two (``1985-03-14``, ``K-14.03.1985``,
  ``14.3.85``);
* anything with ``@``, ``+``, spaces or other characters (e-mail addresses, phone
  numbers, names with a space) -- by the allowed alphabet.

Examples:
    >>> pseudonym_problem("K-0042") is None
    True
    >>> pseudonym_problem("1985-03-14")
    'it reads as a date (a birth date?); use an opaque id such as K-0042'

"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from kim.errors import InputError, KimError

__all__ = ["ID_PATTERN", "ClientId", "Identifier", "Note", "pseudonym_problem", "sorted_values"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$"
"""The alphabet and length of an id (checked before the pseudonymity rule)."""

_LETTERS = re.compile(r"[A-Za-z]{5,}")
_DIGITS = re.compile(r"[0-9]{7,}")
_DATE = re.compile(r"(?<![0-9])([0-9]{1,4})[.\-_:]([0-9]{1,2})[.\-_:]([0-9]{1,4})(?![0-9])")
_HINT = "use an opaque id such as K-0042"


def _is_date(first: str, middle: str, last: str) -> bool:
    readings = []
    if len(first) == 4:
        readings.append((int(first), int(middle), int(last)))
    if len(last) == 4:
        readings.append((int(last), int(middle), int(first)))
    if len(last) == 2 and len(first) <= 2:
        readings.append((1900 + int(last), int(middle), int(first)))
    for year, month, day in readings:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def pseudonym_problem(value: str, *, client: bool = True) -> str | None:
    """Why ``value`` breaks the pseudonymity rule (``None`` if it keeps it).

    ``client=False`` checks a record or staff id, which may do without a digit. The
    answer never contains the value, so it may go into an error message.
    """
    if client and not any(ch.isdigit() for ch in value):
        return f"it has no digit (a plain name or word?); {_HINT}"
    if _LETTERS.search(value):
        return f"it has five or more letters in a row (a name or word?); {_HINT}"
    if _DIGITS.search(value):
        return f"it has seven or more digits in a row (a phone number or date?); {_HINT}"
    if any(_is_date(*m.groups()) for m in _DATE.finditer(value)):
        return f"it reads as a date (a birth date?); {_HINT}"
    return None


def _pseudonymous_client(value: str) -> str:
    problem = pseudonym_problem(value)
    if problem is not None:
        raise InputError(f"not a pseudonymous client id: {problem}")
    return value


def _pseudonymous(value: str) -> str:
    problem = pseudonym_problem(value, client=False)
    if problem is not None:
        raise InputError(f"not a pseudonymous id: {problem}")
    return value


Identifier = Annotated[str, Field(pattern=ID_PATTERN), AfterValidator(_pseudonymous)]
"""A record or staff id: an opaque pseudonym under the rule of this module (no digit needed)."""

ClientId = Annotated[str, Field(pattern=ID_PATTERN), AfterValidator(_pseudonymous_client)]
"""A pseudonymous client id such as ``K-0042``: the rule of this module, with a digit."""


def _known_unit(value: str) -> str:
    """The unit must be one of the 54 KIM units (by key, name or alias)."""
    from kim.territory import embedded_territory

    try:
        embedded_territory().district(value)
    except (KimError, LookupError):
        # The value is not echoed: a mistyped unit may be anything, even a name.
        raise InputError(
            "not a KIM unit; give the key, name or alias of one of the 54 units"
        ) from None
    return value


UnitName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_known_unit)]
"""A KIM unit by key, name or alias (one of the 54; never echoed when unknown)."""

Note = Annotated[str, Field(max_length=2000)]
"""Free text. It may hold personal data, so it never appears in a repr or a message."""


def sorted_values(values: frozenset[Any]) -> list[Any]:
    """A set as a sorted list, so the JSON of a record is the same however it was built."""
    return sorted(values)
