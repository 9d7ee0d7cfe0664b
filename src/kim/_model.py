"""The base of every model in the library: frozen, strict about extra fields, one error type.

Pydantic reports bad input as ``pydantic.ValidationError``. The library promises one
exception hierarchy, so `KimModel` turns that into [`kim.errors.InputError`][kim.errors.InputError]
with the field path and the problem, and **without the input values** (a case record
may hold personal data, and error messages end up in logs). A model that sets
``echo_unknown_keys = False`` (every case record) shows an unknown key as
``(unknown field)``, since the key itself may be personal data.

Where pydantic itself drives the validation (a ``TypeAdapter``, as FastAPI uses for a
request body), the ``ValidationError`` is kept as it is, so a web framework answers
with pydantic's per-field errors (``loc: ["body", "posts", 0, "fte"]``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from enum import Enum
from types import FrameType, MappingProxyType
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, WrapSerializer

from kim.errors import InputError

__all__ = ["FrozenMap", "KimModel", "ModelInputError", "construct", "evolve", "frozen_map"]

_M = TypeVar("_M", bound=BaseModel)
_K = TypeVar("_K")
_V = TypeVar("_V")


def frozen_map(value: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """A read-only view of a copy of ``value`` (for mapping fields of frozen models).

    Examples:
        >>> view = frozen_map({"a": 1})
        >>> view["a"], isinstance(view, dict)
        (1, False)

    """
    return MappingProxyType(dict(value))


def _as_dict(value: Mapping[Any, Any], handler: Any) -> Any:
    return handler(dict(value))


class _Thawed(dict[Any, Any]):
    """A frozen map as it travels in a pickle (a read-only view itself cannot be pickled)."""


def _thaw(value: Any) -> Any:
    """``value`` with its frozen maps (also inside tuples) as `_Thawed` dicts."""
    if isinstance(value, MappingProxyType):
        return _Thawed({key: _thaw(item) for key, item in value.items()})
    if type(value) is tuple:
        return tuple(_thaw(item) for item in value)
    return value


def _freeze(value: Any) -> Any:
    """The inverse of `_thaw`."""
    if isinstance(value, _Thawed):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if type(value) is tuple:
        return tuple(_freeze(item) for item in value)
    return value


FrozenMap = Annotated[Mapping[_K, _V], AfterValidator(frozen_map), WrapSerializer(_as_dict)]
"""A mapping field a frozen model cannot have changed: read-only after validation,
a JSON object (and a ``dict`` in ``model_dump``) as before. Use ``FrozenMap[str, int]``;
``construct`` callers pass ``frozen_map(...)``."""


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


def _convert(model: type[KimModel], error: ValidationError) -> ModelInputError:
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_input=False, include_url=False):
        parts = [str(p) for p in item["loc"]]
        if item["type"] == "extra_forbidden" and parts and not model.echo_unknown_keys:
            # An unknown key is input too: in a case record it may be a name.
            parts[-1] = "(unknown field)"
        loc = ".".join(parts)
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
    return ModelInputError(model.__name__, problems)


def _inside_pydantic(frame: FrameType | None) -> bool:
    """Whether the caller is pydantic's own machinery (not the library's user)."""
    module = "" if frame is None else str(frame.f_globals.get("__name__", ""))
    return module == "pydantic" or module.startswith("pydantic.")


class KimModel(BaseModel):
    """Frozen pydantic model that forbids unknown fields and raises ``InputError``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    echo_unknown_keys: ClassVar[bool] = True
    """Whether an error names an unknown key; case records set it off (a key may be a name)."""

    def __eq__(self, other: object) -> bool:
        """Equal when of the same class with equal fields.

        Private attributes (such as the parameter set a result was computed with) are
        context, not value: a result read back from its JSON equals the original.
        """
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = BaseModel.__hash__

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle state: frozen maps travel as plain dicts (sweeps send models to workers)."""
        state = super().__getstate__()
        return {**state, "__dict__": {k: _thaw(v) for k, v in state["__dict__"].items()}}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Restore a pickled model, its frozen maps read-only again."""
        fields = state.get("__dict__", {})
        super().__setstate__({**state, "__dict__": {k: _freeze(v) for k, v in fields.items()}})

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            if _inside_pydantic(sys._getframe(1)):
                # Validation driven by pydantic itself (a TypeAdapter, e.g. FastAPI's
                # request body, or an outer model): keep pydantic's per-field errors.
                raise
            raise _convert(type(self), error) from None

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate ``obj`` like pydantic does, raising ``InputError`` on bad data."""
        try:
            return super().model_validate(obj, **options)
        except ValidationError as error:
            raise _convert(cls, error) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Validate a JSON document, raising ``InputError`` on bad data."""
        try:
            return super().model_validate_json(json_data, **options)
        except ValidationError as error:
            raise _convert(cls, error) from None


_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """The immutable plain defaults of ``cls`` (no factories), cached per class."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = {
            name: field.default
            for name, field in cls.model_fields.items()
            if not field.is_required() and field.default_factory is None
            and isinstance(field.default, _IMMUTABLE)
        }  # fmt: skip
        _DEFAULTS[cls] = found
    return found


_IMMUTABLE = (type(None), bool, int, str, float, tuple, frozenset, date, Enum)


def construct(cls: type[_M], fields: dict[str, Any], private: dict[str, Any] | None = None) -> _M:
    """Build a model from values that are already valid, without validating them again.

    The one fast path of the library, on pydantic's supported API
    (``model_construct``, and attribute assignment for private attributes, which frozen
    models allow). Immutable defaults are filled in from a per-class cache, so pydantic
    need not look them up and copy them for every instance; the fields set are still
    those given. Only for results built from validated inputs and parameter values:
    nothing is checked.

    Examples:
        >>> construct(KimModel, {}) == KimModel()
        True

    """
    obj = cls.model_construct(_fields_set=set(fields), **{**_defaults(cls), **fields})
    for name, value in (private or {}).items():
        setattr(obj, name, value)
    return obj


def evolve(obj: _M, changes: dict[str, Any]) -> _M:
    """A copy of ``obj`` with ``changes`` (already valid values), without validation.

    Pydantic's ``model_copy(update=...)``: the copy keeps the original's private
    attributes.

    Examples:
        >>> from kim.periods import DateRange
        >>> from datetime import date
        >>> r = DateRange(start=date(2024, 1, 1), end=date(2024, 12, 31))
        >>> evolve(r, {"end": date(2024, 6, 30)}).end
        datetime.date(2024, 6, 30)

    """
    return obj.model_copy(update=changes)
