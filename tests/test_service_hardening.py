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
        assert r.status_code != 500, r.text
        r.content.decode("utf-8")  # strict
        if r.status_code == 200:
            assert "\ud800" not in r.text
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
