"""Speed helpers shared by replay and parsing (private)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a log is read or folded, then restore it.

    Records form no reference cycles, so reference counting frees every dropped
    version of a case at once; the cyclic collector would only traverse the growing
    set of cases again and again, which halved the speed of a large replay. The
    collector is switched back on only if it was on before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
