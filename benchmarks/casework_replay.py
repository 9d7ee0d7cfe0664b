"""How much replay pays for building records with pydantic's supported API.

``kim._model.construct`` and ``kim._model.evolve`` build every record of a replay with
``model_construct`` and ``model_copy``. Before they did, records were built by writing
pydantic's instance slots directly (``__dict__``, ``__pydantic_fields_set__``, ...),
which broke with pydantic 2.11 and 2.13. This benchmark replays the same synthetic log
twice in one run:

* **baseline:** with ``construct``/``evolve`` swapped, for the benchmark only, for the old
  slot-writing builders (unsupported; never used by the library);
* **library:** as shipped.

It prints the events per second of both and their ratio (library time / baseline time).
Usage: ``python benchmarks/casework_replay.py [--log-cases N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import kim._model
import kim.casework.handlers
import kim.casework.machine
from casework import best, synthetic_log
from kim.casework import replay_log

_set = object.__setattr__


def slot_construct(cls: Any, fields: dict[str, Any], private: Any = None) -> Any:
    """The old builder: fill the instance slots directly (unsupported by pydantic)."""
    obj = cls.__new__(cls)
    values = {name: f.get_default(call_default_factory=True) for name, f in
              cls.model_fields.items() if name not in fields}  # fmt: skip
    values.update(fields)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(fields))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def slot_evolve(obj: Any, changes: dict[str, Any]) -> Any:
    """The old copy: a new instance with the merged ``__dict__`` (unsupported)."""
    cls: Any = type(obj)
    new = cls.__new__(cls)
    _set(new, "__dict__", {**obj.__dict__, **changes})
    _set(new, "__pydantic_fields_set__", obj.__pydantic_fields_set__ | changes.keys())
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_private__", obj.__pydantic_private__)
    return new


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log-cases", type=int, default=5_000, help="cases in the log")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    events = synthetic_log(args.log_cases)
    assert not replay_log(events).refused
    n = len(events)

    modules = (kim._model, kim.casework.handlers, kim.casework.machine)
    saved = {m: (getattr(m, "evolve", None), getattr(m, "construct", None)) for m in modules}

    def swap(old: bool) -> None:
        for module, (evolve, construct) in saved.items():
            if evolve is not None:
                module.evolve = slot_evolve if old else evolve  # type: ignore[attr-defined]
            if construct is not None:
                module.construct = slot_construct if old else construct  # type: ignore[attr-defined]

    # Interleaved, so that both see the same machine load; best of each.
    library = baseline = float("inf")
    try:
        for _ in range(args.repeat):
            swap(old=True)
            baseline = min(baseline, best(lambda: replay_log(events), 1))
            swap(old=False)
            library = min(library, best(lambda: replay_log(events), 1))
    finally:
        swap(old=False)
    print("| replay of parsed events | events/s |\n|---|---|")
    print(f"| baseline: slot-writing builders ({n:,} events) | {n / baseline:,.0f} |")
    print(f"| library: model_construct / model_copy ({n:,} events) | {n / library:,.0f} |")
    print(f"\nratio library / baseline time: {library / baseline:.2f}")


if __name__ == "__main__":
    main()
