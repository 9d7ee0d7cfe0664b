"""The base of every model in the library: frozen, strict about extra fields, one error type.

Pydantic reports bad input as ``pydantic.ValidationError``. The library promises one
exception hierarchy, so :class:`KimModel` turns that into :class:`kim.errors.InputError`
with the field path and the problem, and **without the input values** (a case record
may hold personal data, and error messages end up in logs).

Where pydantic itself drives the validation (a ``TypeAdapter``, as FastAPI uses for a
request body), the ``ValidationError`` is kept as it is, so a web framework answers
with pydantic's per-field errors (``loc: ["body", "posts", 0, "fte"]``).
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from kim.errors import InputError

__all__ = ["KimModel", "ModelInputError"]


class ModelInputError(InputError):
    """A model was built from invalid data.

    Attributes:
        model: the model's class name.
        problems: ``(field path, problem)`` pairs, without the values given.

    """

    def __init__(self, model: str, problems: list[tuple[str, str]]) -> None:
        self.model = model
        self.problems = tuple(problems)
        lines = "; ".join(f"{loc or '(model)'}: {msg}" for loc, msg in problems)
        super().__init__(f"Invalid {model}: {lines}")


def _convert(model: str, error: ValidationError) -> ModelInputError:
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in item["loc"])
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, ModelInputError):
            # A nested KimModel already converted its own errors: keep their paths.
            problems += [
                (".".join(p for p in (loc, inner) if p), msg) for inner, msg in cause.problems
            ]
        elif isinstance(cause, InputError):
            problems.append((loc, str(cause)))
        else:
            problems.append((loc, item["msg"]))
    return ModelInputError(model, problems)


def _inside_pydantic(frame: FrameType | None) -> bool:
    """Whether the caller is pydantic's own machinery (not the library's user)."""
    module = "" if frame is None else str(frame.f_globals.get("__name__", ""))
    return module == "pydantic" or module.startswith("pydantic.")


class KimModel(BaseModel):
    """Frozen pydantic model that forbids unknown fields and raises ``InputError``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            if _inside_pydantic(sys._getframe(1)):
                # Validation driven by pydantic itself (a TypeAdapter, e.g. FastAPI's
                # request body, or an outer model): keep pydantic's per-field errors.
                raise
            raise _convert(type(self).__name__, error) from None

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate ``obj`` like pydantic does, raising ``InputError`` on bad data."""
        try:
            return super().model_validate(obj, **options)
        except ValidationError as error:
            raise _convert(cls.__name__, error) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Validate a JSON document, raising ``InputError`` on bad data."""
        try:
            return super().model_validate_json(json_data, **options)
        except ValidationError as error:
            raise _convert(cls.__name__, error) from None
