"""Hardening of the HTTP service (issue 21), over real HTTP on loopback: uvicorn in a thread.

Every test is bounded (timeouts on every socket and client) and stops by itself."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from carecost.service import UVICORN_OPTIONS, ServiceSettings, create_app  # noqa: E402
from carecost.service.protocol import guarded_h11  # noqa: E402

API_KEY = "test-key-0123456789abcdef"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(settings: ServiceSettings, **options: Any) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off",
                            **{**UVICORN_OPTIONS, **options})
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the test server did not start within 30 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    yield from _serve(ServiceSettings())


def _strings(doc: Any) -> Iterator[str]:
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)


# ------------------------------------------------------- item 2: lone surrogates
SURROGATE_BODIES = [
    ("/v1/gap", '{"dataset": "\\ud800"}'),
    ("/v1/gap", '{"dataset": "a\\udfff\\ud800b"}'),
    ("/v1/gap", '{"y": "\\ud800"}'),
    ("/v1/gap", '{"\\ud800": 1}'),
    ("/v1/value", '{"methods": ["\\ud800"]}'),
    ("/v1/simulate", '{"scenario_name": "\\ud800"}'),
    ("/v1/simulate", '{"ranges": [{"path": "macro.\\ud800", "low": 0, "high": 1}]}'),
]


@pytest.mark.parametrize(("path", "raw"), SURROGATE_BODIES)
def test_lone_surrogate_gives_an_encodable_4xx(base: str, path: str, raw: str) -> None:
    """A lone UTF-16 surrogate in the input is echoed as U+FFFD: a 4xx, never a 500."""
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post(path, content=raw.encode("ascii"),
                   headers={"content-type": "application/json"})
        assert 400 <= r.status_code < 500, r.text
        doc = json.loads(r.content.decode("utf-8"))  # strict UTF-8: no lone surrogates
        assert doc["error"]
        assert not [s for s in _strings(doc) if any(0xD800 <= ord(ch) <= 0xDFFF for ch in s)]
        assert c.get("/health").status_code == 200


def test_lone_surrogate_in_scenario_meta_name(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as c:
        sc = c.get("/v1/scenarios/example").json()["scenario"]
        sc["meta"]["name"] = "x\ud800"
        raw = json.dumps({"scenario": sc, "draws": 50})  # ensure_ascii: "\ud800" escaped
        r = c.post("/v1/simulate", content=raw.encode("ascii"),
                   headers={"content-type": "application/json"})
        assert r.status_code == 422, r.text
        item = json.loads(r.content.decode("utf-8"))["detail"][0]  # strict UTF-8
        assert item["where"] == "body.scenario.meta.name" and item["got"] == "x\ufffd"
        assert c.get("/health").status_code == 200


# -------------------------------------------- item 5: failed API keys rate-limited
@pytest.fixture(scope="module")
def keyed() -> Iterator[str]:
    yield from _serve(ServiceSettings(api_key=API_KEY, auth_failures_per_minute=6,
                                      auth_failures_burst=3))


def test_wrong_api_keys_are_rate_limited(keyed: str) -> None:
    with httpx.Client(base_url=keyed, timeout=60) as c:
        codes = [c.get("/v1/datasets", headers={"X-API-Key": f"wrong-{i}"}).status_code
                 for i in range(5)]
        assert codes == [401, 401, 401, 429, 429]
        r = c.get("/v1/datasets", headers={"X-API-Key": API_KEY})
        # blocked even with the right key while over the bound: no oracle for a guesser
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert "failed" in r.json()["detail"][0]["message"]
        assert c.get("/health").status_code == 200


def test_auth_failure_settings() -> None:
    from carecost.briefs import BriefError

    assert ServiceSettings().auth_failures_per_minute == 10
    with pytest.raises(BriefError, match="auth_failures_per_minute"):
        ServiceSettings(auth_failures_per_minute=0)
    with pytest.raises(BriefError, match="auth_failures_burst"):
        ServiceSettings(auth_failures_burst=0)


def test_rate_limiter_wait_takes_no_token() -> None:
    from carecost.service.ratelimit import RateLimiter

    now = [0.0]
    lim = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert lim.wait("a") == 0.0 and "a" not in lim._buckets  # an unseen client is not stored
    lim.take("a")
    lim.take("a")
    assert lim.wait("a") == pytest.approx(1.0) and lim.wait("a") == pytest.approx(1.0)
    now[0] = 1.0
    assert lim.wait("a") == 0.0 and lim.take("a")[0]


# ---------------------------------------------------- item 3: liveness under load
class _Gate:
    """A stand-in for a slow computation: it blocks until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
        self.open.wait(30)
        from carecost.briefs import BriefError

        raise BriefError("stand-in computation")  # a 422: the test only counts the calls


@pytest.fixture()
def gated(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, _Gate]]:
    import carecost.service.app as service_app

    gate = _Gate()
    monkeypatch.setattr(service_app, "gap_brief", gate)  # the server runs in this process
    try:
        # all test clients share 127.0.0.1: lift the per-client connection cap for this test
        yield from ((b, gate) for b in _serve(ServiceSettings(max_computations=2),
                                              http=guarded_h11(max_connections_per_client=100)))
    finally:
        gate.open.set()


def _wait_for(cond: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_health_answers_while_computations_saturate(gated: tuple[str, _Gate]) -> None:
    """48 new computations in flight (more than anyio's 40 shared threads, 2 computing, the
    rest waiting for a slot): /health and the registry still answer at once."""
    base, gate = gated

    def post(i: int) -> None:
        with httpx.Client(base_url=base, timeout=40) as c:
            c.post("/v1/gap", json={"level": 0.5 + i / 1000})

    threads = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(48)]
    for t in threads:
        t.start()
    try:
        _wait_for(lambda: gate.calls == 2)
        time.sleep(0.5)  # let the other 46 reach the server and wait for a slot
        with httpx.Client(base_url=base, timeout=5) as c:
            for path in ("/health", "/v1/datasets", "/v1/scenarios", "/v1/scenarios/example"):
                t0 = time.monotonic()
                r = c.get(path)
                assert r.status_code == 200 and time.monotonic() - t0 < 1.0, path
        assert gate.calls == 2  # the bound on computations still holds
    finally:
        gate.open.set()
        for t in threads:
            t.join(timeout=40)


# ------------------------------------------------ item 1: slow and greedy clients
@pytest.fixture(scope="module")
def guarded() -> Iterator[tuple[str, int]]:
    port_base = _serve(ServiceSettings(), limit_concurrency=20,
                       http=guarded_h11(header_timeout=1, body_timeout=1,
                                        max_connections_per_client=4))
    for url in port_base:
        yield url, int(url.rsplit(":", 1)[1])


def _connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    s.settimeout(5)
    return s


def _read_all(s: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (5 s at most)."""
    out = b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            return out
        out += chunk
    raise AssertionError(f"the server did not close the connection; got {out!r}")


def _recv_response(s: socket.socket) -> bytes:
    """One whole response (head and a Content-Length body) from a kept-alive connection."""
    out = b""
    while b"\r\n\r\n" not in out:
        chunk = s.recv(65536)
        assert chunk, f"closed early: {out!r}"
        out += chunk
    head, _, rest = out.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(rest) < length:
        chunk = s.recv(65536)
        assert chunk, f"closed early: {out + rest!r}"
        rest += chunk
    return head + b"\r\n\r\n" + rest


def test_connection_that_sends_nothing_is_closed(guarded: tuple[str, int]) -> None:
    _, port = guarded
    with _connect(port) as s:
        t0 = time.monotonic()
        got = _read_all(s)
        assert time.monotonic() - t0 < 4
    assert got.startswith(b"HTTP/1.1 408 ") and b"request head did not arrive within 1 s" in got


def test_slow_request_head_is_closed(guarded: tuple[str, int]) -> None:
    """A byte now and then does not keep the connection: the head has a deadline."""
    _, port = guarded
    with _connect(port) as s:
        t0 = time.monotonic()
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for _ in range(20):
            time.sleep(0.2)
            try:
                s.sendall(b"X")
            except OSError:
                closed = True
                break
            s.settimeout(0.01)
            try:
                if s.recv(65536).startswith(b"HTTP/1.1 408 "):
                    closed = True
                    break
            except TimeoutError:
                pass
        assert closed and time.monotonic() - t0 < 3


def test_short_body_is_answered_408(guarded: tuple[str, int]) -> None:
    _, port = guarded
    with _connect(port) as s:
        s.sendall(b"POST /v1/gap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{}")
        t0 = time.monotonic()
        got = _read_all(s)
        assert time.monotonic() - t0 < 4
    assert got.startswith(b"HTTP/1.1 408 ") and b"request body did not arrive" in got


def test_connection_cap_per_client(guarded: tuple[str, int]) -> None:
    base, port = guarded
    held = [_connect(port) for _ in range(4)]
    try:
        with _connect(port) as extra:
            got = _read_all(extra)
        assert got.startswith(b"HTTP/1.1 429 ") and b"retry-after: 1" in got
        assert b"more than 4 open connections" in got
    finally:
        for s in held:
            s.close()
    time.sleep(0.2)
    with httpx.Client(base_url=base, timeout=5) as c:
        assert c.get("/health").status_code == 200


def test_half_open_connections_of_one_client_do_not_starve_others(
        guarded: tuple[str, int]) -> None:
    """40 half-open connections from 127.0.0.2 (more than limit_concurrency = 20): /health
    from 127.0.0.1 still answers 200 (uvicorn alone would answer 503)."""
    base, port = guarded
    held = []
    try:
        for _ in range(40):
            s = _connect(port, "127.0.0.2")
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=5) as c:
            r = c.get("/health")
            assert r.status_code == 200, r.text
    finally:
        for s in held:
            s.close()


def test_deadlines_do_not_cut_a_long_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadlines bound reading the request, not computing the answer; a kept-alive
    connection gets a new head deadline after each response."""
    import carecost.service.app as service_app
    from carecost.briefs import BriefError

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        raise BriefError("slow stand-in")

    monkeypatch.setattr(service_app, "gap_brief", slow)
    for base in _serve(ServiceSettings(), http=guarded_h11(header_timeout=1, body_timeout=1)):
        port = int(base.rsplit(":", 1)[1])
        with _connect(port) as s:
            body = b'{"level": 0.77}'
            req = (b"POST /v1/gap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            s.sendall(req)
            first = _recv_response(s)
            assert first.startswith(b"HTTP/1.1 422 ") and b"slow stand-in" in first
            time.sleep(0.5)  # within the keep-alive time: the connection is still open
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _recv_response(s).startswith(b"HTTP/1.1 200 ")
            got = _read_all(s)  # then idle: closed by the head deadline (1 s)
            assert got == b"" or got.startswith(b"HTTP/1.1 408 ")


def test_default_protocol_limits() -> None:
    proto = UVICORN_OPTIONS["http"]
    assert (proto.header_timeout, proto.body_timeout, proto.max_connections_per_client) == (
        10.0, 30.0, 32)
    assert UVICORN_OPTIONS["timeout_keep_alive"] == 5
    assert (proto.max_target_bytes, proto.max_header_bytes) == (16 * 1024, 16 * 1024)
    with pytest.raises(ValueError, match="header_timeout"):
        guarded_h11(header_timeout=0)
    with pytest.raises(ValueError, match="max_connections_per_client"):
        guarded_h11(max_connections_per_client=0)
    assert guarded_h11(max_connections_per_client=None).max_connections_per_client is None


# ------------------------------------------------------ item 4: abandoned requests
def test_requests_abandoned_while_waiting_are_not_computed(gated: tuple[str, _Gate]) -> None:
    """With one computation running and both slots taken, five clients send a request and
    leave; their work is skipped when a slot frees (the next real request is computed)."""
    base, gate = gated
    port = int(base.rsplit(":", 1)[1])
    results: list[int] = []

    def post(level: float) -> None:
        with httpx.Client(base_url=base, timeout=40) as c:
            results.append(c.post("/v1/gap", json={"level": level}).status_code)

    first = [threading.Thread(target=post, args=(0.6 + i / 100,), daemon=True)
             for i in range(2)]
    for t in first:
        t.start()
    try:
        _wait_for(lambda: gate.calls == 2)
        for i in range(5):
            with _connect(port) as s:
                body = b'{"level": 0.8%d}' % (i + 1)
                s.sendall(b"POST /v1/gap HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          b"application/json\r\nContent-Length: %d\r\n\r\n%s"
                          % (len(body), body))
                time.sleep(0.2)  # received, waiting for a slot; then the client leaves
        time.sleep(0.3)
        gate.open.set()
        for t in first:
            t.join(timeout=20)
        assert results == [422, 422]
        with httpx.Client(base_url=base, timeout=20) as c:
            r = c.post("/v1/gap", json={"level": 0.9})
        assert r.status_code == 422 and "stand-in computation" in r.text
        assert gate.calls == 3  # the two first and the last; none of the five abandoned
    finally:
        gate.open.set()


# ---------------------------------------------------- item 6: request-head limits
@pytest.fixture(scope="module")
def heads() -> Iterator[int]:
    for url in _serve(ServiceSettings(), http=guarded_h11(header_timeout=3, body_timeout=3)):
        yield int(url.rsplit(":", 1)[1])


def _exchange(port: int, raw: bytes, pieces: int = 1) -> bytes:
    """Send ``raw`` (in ``pieces`` parts, 20 ms apart) and read until the server closes."""
    with _connect(port) as s:
        step = -(-len(raw) // pieces)
        for i in range(0, len(raw), step):
            try:
                s.sendall(raw[i:i + step])
            except OSError:  # refused and closed while we were still sending
                break
            if pieces > 1:
                time.sleep(0.02)
        return _read_all(s)


def _status(got: bytes) -> int:
    assert got.startswith(b"HTTP/1.1 "), got[:200]
    return int(got[9:12])


def _body(got: bytes) -> Any:
    return json.loads(got.partition(b"\r\n\r\n")[2])


@pytest.mark.parametrize("pieces", [1, 40])
def test_large_header_block_is_431(heads: int, pieces: int) -> None:
    """100 KB of headers is refused, whether it arrives at once (h11 alone accepts a complete
    head of any size) or in pieces."""
    raw = (b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 100_000
           + b"\r\nConnection: close\r\n\r\n")
    got = _exchange(heads, raw, pieces)
    assert _status(got) == 431, got[:300]
    assert "larger than 16384 bytes" in _body(got)["detail"][0]["message"]


def test_many_headers_over_the_limit_are_431(heads: int) -> None:
    raw = (b"GET /health HTTP/1.1\r\nHost: x\r\n"
           + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(200)) + b"\r\n")
    assert _status(_exchange(heads, raw)) == 431


@pytest.mark.parametrize("pieces", [1, 40])
def test_long_uri_is_414(heads: int, pieces: int) -> None:
    raw = (b"GET /v1/briefs/gap?dataset=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n"
           b"Connection: close\r\n\r\n")
    got = _exchange(heads, raw, pieces)
    assert _status(got) == 414, got[:300]
    assert "longer than 16384 bytes" in _body(got)["detail"][0]["message"]


def test_heads_within_the_limits_are_served(heads: int) -> None:
    raw = (b"GET /health?" + b"q" * 15_000 + b" HTTP/1.1\r\nHost: x\r\nX-Pad: "
           + b"a" * 15_000 + b"\r\nConnection: close\r\n\r\n")
    got = _exchange(heads, raw, 10)
    assert _status(got) == 200 and b'"status":"ok"' in got


def test_content_length_with_chunked_is_400(heads: int) -> None:
    """Both framings in one request (a request-smuggling ambiguity) are refused, not served
    by one of them; the application never sees the request."""
    body = b'{"level": 0.9}'
    raw = (b"POST /v1/gap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
           % (len(body), len(body), body))
    got = _exchange(heads, raw)
    assert _status(got) == 400, got[:300]
    assert "both Content-Length and Transfer-Encoding" in _body(got)["detail"][0]["message"]
    # each framing alone is served
    for framing in (b"Content-Length: %d\r\n\r\n%s" % (len(body), body),
                    b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
                    % (len(body), body)):
        raw = (b"POST /v1/gap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Connection: close\r\n" + framing)
        assert _status(_exchange(heads, raw)) == 200


def test_malformed_head_is_a_json_400(heads: int) -> None:
    got = _exchange(heads, b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    assert _status(got) == 400 and _body(got)["error"] == "bad request head"
    got = _exchange(heads, b"POST /v1/gap HTTP/1.1\r\nHost: x\r\n"
                           b"Transfer-Encoding: gzip\r\n\r\n")
    assert _status(got) == 501


def test_head_limits_are_settings() -> None:
    from carecost.briefs import BriefError
    from carecost.service import ServerLimits

    proto = ServerLimits(max_target_bytes=2048, max_header_bytes=4096,
                         max_connections_per_client=None).uvicorn_options()["http"]
    assert (proto.max_target_bytes, proto.max_header_bytes) == (2048, 4096)
    assert proto.max_connections_per_client is None
    assert ServerLimits().uvicorn_options()["http"].max_target_bytes == 16 * 1024
    for bad in ({"max_target_bytes": 10}, {"max_header_bytes": 2.5}, {"header_timeout": 0},
                {"max_connections_per_client": 0}, {"keep_alive": float("nan")}):
        with pytest.raises(BriefError, match=next(iter(bad))):
            ServerLimits(**bad)
    with pytest.raises(ValueError, match="max_header_bytes"):
        guarded_h11(max_header_bytes=100)


def test_smaller_head_limits_over_loopback() -> None:
    from carecost.service import ServerLimits

    opts = ServerLimits(max_target_bytes=2048, max_header_bytes=2048).uvicorn_options()
    for base in _serve(ServiceSettings(), **opts):
        port = int(base.rsplit(":", 1)[1])
        ok = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 1500 + b"\r\n" \
             b"Connection: close\r\n\r\n"
        assert _status(_exchange(port, ok)) == 200
        big = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 2100 + b"\r\n\r\n"
        assert _status(_exchange(port, big)) == 431
        uri = b"GET /health?" + b"q" * 2100 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        assert _status(_exchange(port, uri)) == 414
