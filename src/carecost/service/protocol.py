"""uvicorn's h11 HTTP protocol with read deadlines, head limits and a per-client connection cap.

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
  ``Retry-After`` and closed at once, before anything is read;
* **request-head limits**, however the head arrives (in one packet or byte by byte; h11 alone
  checks only a head still incomplete in its buffer): a request target (URI) over
  ``max_target_bytes`` is answered 414, header fields over ``max_header_bytes`` in all (each
  counted as ``name: value`` plus CRLF) 431, and a request with both ``Content-Length`` and
  ``Transfer-Encoding`` 400: RFC 9112 §6.1 calls it a possible request-smuggling attempt
  that "ought to be handled as an error" (a proxy in front may read the body by the other
  header).  Every refusal closes the connection.  Any other malformed head gets uvicorn's
  400, with a JSON body as here.

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

MAX_TARGET_BYTES = 16 * 1024
"""Default longest request target (URI with its query), bytes (414 beyond)."""
MAX_HEADER_BYTES = 16 * 1024
"""Default largest header block (every ``name: value`` line with its CRLF), bytes (431 beyond)."""
_LINE_OVERHEAD = 1024
"""Room for the method and version of the request line, and the blank line, in h11's buffer
limit for an incomplete head (``max_target_bytes + max_header_bytes + 1 KiB``)."""

_REASONS = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large",
            501: "Not Implemented"}


class _Refusal(h11.RemoteProtocolError):
    """A request head that h11 parsed but the service refuses (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, error_status_hint=status)
        self.status = status
        self.message = message


class _GuardedConnection(h11.Connection):
    """:class:`h11.Connection` that checks the size and framing of every complete request
    head, and remembers why a head was refused (read by ``send_400_response``)."""

    def __init__(self, max_target_bytes: int, max_header_bytes: int) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=(
            max_target_bytes + max_header_bytes + _LINE_OVERHEAD))
        self.max_target_bytes = max_target_bytes
        self.max_header_bytes = max_header_bytes
        self.refusal: _Refusal | None = None

    def next_event(self) -> Any:
        try:
            event = super().next_event()
        except _Refusal:
            raise
        except h11.RemoteProtocolError as err:
            self.refusal = self._incomplete(err)
            raise self.refusal from err
        if isinstance(event, h11.Request):
            self.refusal = self._check(event)
            if self.refusal is not None:
                raise self.refusal
        return event

    def _incomplete(self, err: h11.RemoteProtocolError) -> _Refusal:
        """The refusal of a head h11 could not parse (too long while incomplete, or bad)."""
        if err.error_status_hint != 431:
            status = 501 if err.error_status_hint == 501 else 400  # 501: a transfer coding
            return _Refusal(status, f"malformed request head ({err}); send a valid HTTP/1.1 "
                                    "request")
        buffered = bytes(getattr(self, "_receive_buffer", b""))  # h11 0.14-0.16: a bytearray
        line_end = buffered.find(b"\n")
        if line_end < 0 or line_end > self.max_target_bytes + _LINE_OVERHEAD:
            return self._too_long_target()
        return self._too_many_headers()

    def _too_long_target(self) -> _Refusal:
        return _Refusal(414, f"the request target (URI) is longer than "
                             f"{self.max_target_bytes} bytes; send a shorter one (the "
                             "inputs go in a POST body)")

    def _too_many_headers(self) -> _Refusal:
        return _Refusal(431, f"the request header fields are larger than "
                             f"{self.max_header_bytes} bytes in all; send fewer or smaller "
                             "headers")

    def _check(self, event: h11.Request) -> _Refusal | None:
        if len(event.target) > self.max_target_bytes:
            return self._too_long_target()
        names = [name for name, _ in event.headers]
        size = sum(len(name) + len(value) + 4 for name, value in event.headers)
        if size > self.max_header_bytes:
            return self._too_many_headers()
        if b"content-length" in names and b"transfer-encoding" in names:
            return _Refusal(400, "the request has both Content-Length and Transfer-Encoding: "
                                 "an ambiguous length (RFC 9112 section 6.1, request "
                                 "smuggling); send only one of them")
        return None


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
    max_target_bytes : int
        Longest request target (URI), bytes (default 16 KiB; 414 beyond).
    max_header_bytes : int
        Largest header block, bytes (default 16 KiB; 431 beyond).
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections_per_client: int | None = 32
    max_target_bytes: int = MAX_TARGET_BYTES
    max_header_bytes: int = MAX_HEADER_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # uvicorn's connection, replaced before any byte is read: the same h11 state machine
        # with the head checks (it ignores ``h11_max_incomplete_event_size``: the buffer
        # limit follows from the two size limits instead)
        self.conn = _GuardedConnection(self.max_target_bytes, self.max_header_bytes)
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

    def send_400_response(self, msg: str) -> None:
        """Answer a refused or malformed request head (uvicorn calls this on any h11
        protocol error) with its own status and a JSON body, and close the connection."""
        self._disarm()
        if self.transport.is_closing():
            return
        refusal = getattr(self.conn, "refusal", None)
        status, message = (refusal.status, refusal.message) if refusal is not None else (
            400, "malformed request head; send a valid HTTP/1.1 request")
        self.logger.warning("refusing a request from %s: %s (%d)",
                            self.client[0] if self.client else "?", message, status)
        if self.cycle is None or self.cycle.response_complete \
                or not self.cycle.response_started:
            # never in the middle of another response (a pipelined request): then just close
            self.transport.write(_raw_response(status, _REASONS.get(status, "Bad Request"),
                                               "bad request head", message))
        self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()


def guarded_h11(*, header_timeout: float = 10.0, body_timeout: float = 30.0,
                max_connections_per_client: int | None = 32,
                max_target_bytes: int = MAX_TARGET_BYTES,
                max_header_bytes: int = MAX_HEADER_BYTES) -> type[GuardedH11Protocol]:
    """A :class:`GuardedH11Protocol` class with these limits, for ``uvicorn.Config(http=...)``.

    Parameters
    ----------
    header_timeout
        Seconds a client has to send a whole request head (> 0).
    body_timeout
        Seconds a client has to send a whole request body after its head (> 0).
    max_connections_per_client
        Open connections per client IP address (>= 1), or ``None`` for no cap.
    max_target_bytes
        Longest request target (URI with its query), bytes (1 KiB to 1 MiB); 414 beyond.
    max_header_bytes
        Largest header block, bytes (1 KiB to 1 MiB); 431 beyond.

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
    for name, size in (("max_target_bytes", max_target_bytes),
                       ("max_header_bytes", max_header_bytes)):
        if isinstance(size, bool) or not isinstance(size, int) \
                or not 1024 <= size <= 1024 * 1024:
            raise ValueError(f"{name} = {size!r}; allowed an integer from 1024 to 1048576 "
                             "bytes")
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {
        "header_timeout": float(header_timeout), "body_timeout": float(body_timeout),
        "max_connections_per_client": max_connections_per_client,
        "max_target_bytes": max_target_bytes, "max_header_bytes": max_header_bytes})
