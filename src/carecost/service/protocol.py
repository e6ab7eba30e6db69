"""uvicorn's h11 HTTP protocol with read deadlines and a per-client connection cap.

uvicorn (0.54) bounds the size of a request head (``h11_max_incomplete_event_size``) and the
idle time between requests (``timeout_keep_alive``), but not the time a client may take to
send a request head or body, nor the connections one client may hold: a client that opens
hundreds of connections and sends a partial head (or nothing) on each keeps them all, until
``limit_concurrency`` refuses everyone else with 503.  :func:`guarded_h11` adds, per
connection:

* a **head deadline**: the whole request head must arrive within ``header_timeout`` seconds
  of the connection opening (or of the previous response on a kept-alive connection), else
  the service answers 408 and closes the connection.  A deadline, not an idle timeout, so a
  client cannot keep a connection by sending a byte now and then;
* a **body deadline**: the body must arrive within ``body_timeout`` seconds of the head, else
  408 and the connection is closed (the application sees a disconnect, not a short body);
* a **connection cap per client IP address**: a connection beyond
  ``max_connections_per_client`` open ones from the same address is answered 429 with
  ``Retry-After`` and closed at once, before anything is read.

Behind a reverse proxy every connection comes from the proxy's address: raise the cap (or
set it to ``None``) there, and let the proxy bound connections per client instead.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["GuardedH11Protocol", "guarded_h11"]


def _raw_response(status: int, reason: str, error: str, message: str,
                  extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A complete HTTP/1.1 response that closes the connection (JSON body as elsewhere)."""
    body = json.dumps({"error": error, "detail": [{"where": "connection",
                                                   "message": message}]}).encode()
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json",
            f"content-length: {len(body)}", "connection: close",
            "x-content-type-options: nosniff", *(f"{k}: {v}" for k, v in extra)]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


class GuardedH11Protocol(H11Protocol):
    """:class:`uvicorn.protocols.http.h11_impl.H11Protocol` with read deadlines and a
    per-client connection cap (see the module docstring); make one with :func:`guarded_h11`.

    Attributes
    ----------
    header_timeout : float
        Seconds for the whole request head (default 10).
    body_timeout : float
        Seconds for the whole request body after the head (default 30).
    max_connections_per_client : int or None
        Open connections one IP address may hold (default 32; ``None``: no cap).
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections_per_client: int | None = 32

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: str | None = None  # "head" or "body" while a deadline runs

    # ------------------------------------------------------------- deadlines
    def _arm(self, what: str, seconds: float) -> None:
        self._disarm()
        self._waiting_for = what
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._waiting_for = None

    def _expired(self) -> None:
        what, self._deadline, self._waiting_for = self._waiting_for, None, None
        if self.transport.is_closing():
            return
        limit = self.header_timeout if what == "head" else self.body_timeout
        self.logger.warning("closing a connection from %s: the request %s did not arrive "
                            "within %g s", self.client[0] if self.client else "?", what, limit)
        if what == "head" or not (self.cycle is not None and self.cycle.response_started):
            self.transport.write(_raw_response(
                408, "Request Timeout", "request timeout",
                f"the request {what} did not arrive within {limit:g} s; send the whole "
                "request at once"))
        self.transport.close()

    def _follow(self) -> None:
        """Arm or drop the deadline for what the connection now waits for."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._waiting_for != "head" and (self.cycle is None
                                                or self.cycle.response_complete):
                self._arm("head", self.header_timeout)
        elif state is h11.SEND_BODY:
            if self._waiting_for != "body":
                self._arm("body", self.body_timeout)
        else:
            self._disarm()

    # ------------------------------------------------------ protocol interface
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        cap = self.max_connections_per_client
        host = self.client[0] if self.client else None
        if cap is not None and host is not None:
            peers: list[tuple[str, int] | None] = [getattr(c, "client", None)
                                                   for c in self.connections]
            mine = sum(1 for p in peers if p is not None and p[0] == host)
            if mine > cap:
                self.logger.warning("refusing a connection from %s: %d open, at most %d",
                                    host, mine - 1, cap)
                transport.write(_raw_response(
                    429, "Too Many Requests", "too many connections",
                    f"more than {cap} open connections from this address; close some and "
                    "retry", (("retry-after", "1"),)))
                transport.close()
                return
        self._arm("head", self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()


def guarded_h11(*, header_timeout: float = 10.0, body_timeout: float = 30.0,
                max_connections_per_client: int | None = 32) -> type[GuardedH11Protocol]:
    """A :class:`GuardedH11Protocol` class with these limits, for ``uvicorn.Config(http=...)``.

    Parameters
    ----------
    header_timeout
        Seconds a client has to send a whole request head (> 0).
    body_timeout
        Seconds a client has to send a whole request body after its head (> 0).
    max_connections_per_client
        Open connections per client IP address (>= 1), or ``None`` for no cap.

    Returns
    -------
    type
        The protocol class (pass it as ``http=`` to :class:`uvicorn.Config`).

    Raises
    ------
    ValueError
        A limit out of range.
    """
    if not (header_timeout > 0 and body_timeout > 0):
        raise ValueError(f"header_timeout = {header_timeout!r}, body_timeout = "
                         f"{body_timeout!r}: both must be > 0 seconds")
    if max_connections_per_client is not None and max_connections_per_client < 1:
        raise ValueError(f"max_connections_per_client = {max_connections_per_client!r}; "
                         "allowed >= 1 or None")
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {
        "header_timeout": float(header_timeout), "body_timeout": float(body_timeout),
        "max_connections_per_client": max_connections_per_client})
