"""One exception hierarchy for everything the library refuses.

Every error the library raises on purpose is a [`KimError`][kim.errors.KimError]. Its children say
*what kind* of problem it is, so callers can tell a mistake in their own call
([`InputError`][kim.errors.InputError]) from a gap in the rule data
([`MissingValueError`][kim.errors.MissingValueError]) or a broken data file
([`DataFileError`][kim.errors.DataFileError]). A legitimate "not eligible" answer is never an
error: it is a decision.

Every message says what was given, what was expected and what to do next. Messages
never contain personal data.

Examples:
    >>> from kim.errors import KimError, InputError
    >>> issubclass(InputError, KimError) and issubclass(InputError, ValueError)
    True

"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date

__all__ = [
    "AllocationError",
    "DataFileError",
    "InputError",
    "KimError",
    "MissingInputError",
    "MissingValueError",
    "UnknownNameError",
    "closest_matches",
]


def closest_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates that look most like ``word``, best first.

    Matching ignores case. Used by every "unknown name" error to say what the caller
    probably meant.

    Examples:
        >>> closest_matches("case_managment_rate", ["case_management_rate", "coordination_rate"])
        ['case_management_rate']

    """
    pool = list(candidates)
    if len(word) > 200:  # no name is that long; matching it would take seconds
        return []
    target = word.casefold()
    scored = sorted(
        ((difflib.SequenceMatcher(None, target, c.casefold()).ratio(), c) for c in pool),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if scored and scored[0][0] >= 0.5:
        floor = max(0.5, scored[0][0] - 0.1)
        return [c for ratio, c in scored[:n] if ratio >= floor]
    return [c for c in pool if target in c.casefold()][:n]


class KimError(Exception):
    """Base class of every error raised on purpose by the library.

    Attributes:
        exit_status: the status the ``kim`` command exits with for this error: 2 for a
            usage error or bad input (the default), 1 for a gap in the rule data or a
            refusal (see the docs' "Exit status" section).

    """

    exit_status: int = 2


class InputError(KimError, ValueError):
    """The caller passed a value the library cannot accept (a developer's mistake).

    Examples: a float that is not a number, a date range that ends before it starts,
    a negative FTE. Nothing has been changed when this is raised.
    """


class AllocationError(InputError):
    """An apportionment that cannot be carried out with the input given.

    Raised before anything is computed when the constraints contradict each other: the
    minimums add up to more than the total, all weights are zero, a weight is negative
    or missing, the total is not a whole number of steps, a cap is below its minimum,
    or the caps add up to less than the total.

    Attributes:
        cause: a short, stable code of the problem, e.g. ``"minimums-above-total"``;
            the message says the same in words, with the numbers involved.

    """

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause
        super().__init__(message)


class UnknownNameError(KimError, KeyError):
    """A name or id that the library does not know, with the closest known names.

    Attributes:
        kind: what was looked up, e.g. ``"parameter"`` or ``"source"``.
        name: the name as given.
        suggestions: the closest known names, best first.

    """

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions: tuple[str, ...] = tuple(closest_matches(name, known))
        hint = (
            f" Did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        shown = repr(name) if len(name) <= 80 else repr(name[:80]) + "…"
        super().__init__(f"Unknown {kind} {shown}.{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class MissingValueError(KimError, LookupError):
    """No value of a parameter is known for the date asked for (a data gap, exit status 1).

    The library never guesses a value that no source gives. Supply the value yourself
    (``ParameterSet.with_value``) if you have it, and say where it came from.

    Attributes:
        parameter: the parameter id.
        on: the date that has no value.
        before: the last date before ``on`` that has a value, if any.
        after: the first date after ``on`` that has a value, if any.

    """

    exit_status = 1

    def __init__(
        self,
        parameter: str,
        on: date,
        before: date | None,
        after: date | None,
        label: str = "",
    ) -> None:
        self.parameter = parameter
        self.on = on
        self.before = before
        self.after = after
        near = []
        if before is not None:
            near.append(f"last known before: {before.isoformat()}")
        if after is not None:
            near.append(f"next known after: {after.isoformat()}")
        nearest = "; ".join(near) if near else "no value is known on any date"
        named = f" ({label})" if label else ""
        super().__init__(
            f"No known value of parameter {parameter!r}{named} on {on.isoformat()} "
            f"({nearest}). The sources give none; supply one with "
            f"ParameterSet.with_value(...) or a scenario."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class DataFileError(KimError):
    """A data file shipped with (or given to) the library is invalid.

    Attributes:
        file: the file name.
        key: the key path inside the file where the problem is, e.g.
            ``"parameters.case_management_flat_rate.values.2023-01-01"``.

    """

    def __init__(self, file: str, key: Sequence[object] | str, problem: str) -> None:
        self.file = file
        self.key = key if isinstance(key, str) else ".".join(str(k) for k in key)
        self.problem = problem
        where = f" at {self.key}" if self.key else ""
        super().__init__(f"{file}{where}: {problem}")

    def __str__(self) -> str:
        return str(self.args[0])


class MissingInputError(KimError, LookupError):
    """A figure the caller must give (the library ships none) is missing.

    Used where the library deliberately ships no value, e.g. the yearly change of the
    consumer price index for housing and energy in the § 3 (2) TIntG carry-forward.

    Attributes:
        name: the name of the missing input, e.g. ``"cpi_changes"``.
        year: the year it is missing for.

    """

    exit_status = 1

    def __init__(self, name: str, year: int, message: str) -> None:
        self.name = name
        self.year = year
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])
