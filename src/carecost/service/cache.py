"""A small thread-safe LRU cache with single-flight computation.

When many requests with the same inputs arrive together, the first computes
and the others wait for its result instead of computing it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["ResultCache"]


class ResultCache:
    """LRU cache of results by key, at most ``max_entries`` entries.

    Parameters
    ----------
    max_entries
        Entries kept; the least recently used is dropped first.
    """

    def __init__(self, max_entries: int = 256) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` when cached (and mark it recently used), else ``(False, None)``."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return True, self._data[key]
            return False, None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> tuple[Any, bool]:
        """The cached value for ``key``, computing it once if missing.

        Returns
        -------
        (value, hit)
            ``hit`` is True when the value came from the cache (or from a
            concurrent computation of the same key).  Exceptions of
            ``compute`` propagate and nothing is cached.
        """
        found, value = self.get(key)
        if found:
            return value, True
        with self._lock:
            lock = self._inflight.setdefault(key, threading.Lock())
        try:
            with lock:
                found, value = self.get(key)
                if found:
                    return value, True
                with self._lock:
                    self.misses += 1
                value = compute()
                self.put(key, value)
                return value, False
        finally:
            with self._lock:
                if self._inflight.get(key) is lock and not lock.locked():
                    del self._inflight[key]

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._data), "max_entries": self.max_entries,
                    "hits": self.hits, "misses": self.misses}
