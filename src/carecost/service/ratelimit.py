"""Per-client request rate limit (token bucket) for the HTTP service.

Each client (its IP address) has a bucket of ``burst`` tokens refilled at ``per_minute / 60``
tokens a second; a request takes one token, and a request that finds the bucket empty is
answered 429 with ``Retry-After`` (seconds until a token is back).  Buckets live in memory, in
one process, and the least recently seen clients are forgotten beyond ``max_clients`` (a
forgotten client starts again with a full bucket).

Behind a reverse proxy every request comes from the proxy's address: limit at the proxy.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token buckets keyed by client.

    Parameters
    ----------
    per_minute : float
        Sustained requests a minute per client (> 0).
    burst : int
        Requests a client may send at once (bucket size, >= 1).
    max_clients : int
        Buckets kept (least recently seen dropped first).
    clock : callable, optional
        Monotonic clock in seconds (for tests).
    """

    def __init__(
        self,
        per_minute: float,
        burst: int,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (math.isfinite(per_minute) and per_minute > 0):
            raise ValueError(f"per_minute = {per_minute!r}; allowed a number > 0")
        if burst < 1:
            raise ValueError(f"burst = {burst!r}; allowed a whole number >= 1")
        if max_clients < 1:
            raise ValueError(f"max_clients = {max_clients!r}; allowed >= 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds until ``client`` has a token again (0 when it has one now); takes none.

        Used to refuse a client whose bucket of failures is empty before doing anything for it.
        """
        with self._lock:
            if client not in self._buckets:
                return 0.0
            now = self._clock()
            tokens, last = self._buckets[client]
            tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def take(self, client: str) -> tuple[bool, float]:
        """Take one token for ``client``.

        Returns
        -------
        (allowed, retry_after)
            ``retry_after`` is 0 when allowed, else the seconds until one token is back.
        """
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                allowed, wait = True, 0.0
            else:
                self._buckets[client] = (tokens, now)
                allowed, wait = False, (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return allowed, wait
