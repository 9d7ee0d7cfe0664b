"""One contract for inputs: a model, its plain data (a mapping) or its JSON text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from kim._model import KimModel
from kim.errors import InputError

__all__ = ["as_model", "looks_like_json"]

_M = TypeVar("_M", bound=KimModel)


def looks_like_json(value: object) -> bool:
    """Whether ``value`` is JSON text of an object (starts with ``{``)."""
    if isinstance(value, bytes | bytearray):
        return value.lstrip()[:1] == b"{"
    return isinstance(value, str) and value.lstrip().startswith("{")


def as_model(cls: type[_M], value: Any, what: str) -> _M:
    """``value`` as a ``cls``: the model itself, a mapping of its fields, or JSON text.

    Examples:
        >>> from kim.funding import StaffingPlan
        >>> as_model(StaffingPlan, '{"recipient": "05558", "year": 2023}', "plan").year
        2023

    """
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls.model_validate(dict(value))
    if looks_like_json(value):
        return cls.model_validate_json(value)
    raise InputError(
        f"{what}: expected a {cls.__name__}, a mapping of its fields or JSON text; "
        f"got {type(value).__name__}"
    )
