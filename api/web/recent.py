"""A bounded memory of values that depend on their key alone (the latest kept)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """The values last kept for ``size`` keys; the oldest is forgotten first.

    For values worked out from a request that a later request with the same key
    would work out again. Lookups take no lock (one dictionary read); keeping
    does, so the bound holds when threads serve requests.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        return self._values.get(key)

    def keep(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
