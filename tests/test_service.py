"""The HTTP service over real HTTP on loopback: uvicorn in a thread, httpx as the client.

Every bad input must give a clear 4xx error without a stack trace, and leave the
service up (checked with /health after each)."""

from __future__ import annotations

import copy
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from carecost.briefs import DatasetRegistry, DatasetSpec  # noqa: E402
from carecost.service import UVICORN_OPTIONS, ServiceSettings, create_app  # noqa: E402

ORIGIN = "https://portal.example.org"
API_KEY = "test-key-0123456789abcdef"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(settings: ServiceSettings) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off", **UVICORN_OPTIONS)
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


class _BrokenSpec(DatasetSpec):
    """A registered data set whose files are gone (counts the attempts to read them)."""

    loads = 0

    def load(self):  # type: ignore[no-untyped-def]
        type(self).loads += 1
        raise FileNotFoundError(2, "No such file or directory", "/srv/secret/persons.csv")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    reg = DatasetRegistry.default()
    reg.register(_BrokenSpec(name="broken", description="", source="x", kind="persons",
                             options={}, domains=("age_group",)))
    yield from _serve(ServiceSettings(datasets=reg, cors_origins=(ORIGIN,),
                                      max_body_bytes=16 * 1024, max_draws=3000))


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[Any]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


def _up(client: Any) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def _no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "site-packages" not in text


def test_health_docs_openapi(client: Any) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["datasets"] == ["broken", "example"] and body["scenarios"] == ["example"]
    assert body["api_key_required"] is False
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "server" not in r.headers
    spec = client.get("/openapi.json").json()
    for path in ("/v1/gap", "/v1/value", "/v1/simulate", "/v1/briefs/gap", "/health"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_docs_use_only_local_assets(client: Any) -> None:
    """/docs and /redoc load their scripts, styles and icon from this server (issue 13 item 10:
    with a CDN the page is blank offline), and every asset is served."""
    import re

    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200
        refs = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", r.text)
        assets = [u for u in refs if u.endswith((".js", ".css", ".png"))]
        assert assets, r.text
        assert not [u for u in refs if u.startswith(("http:", "https:", "//"))], refs
        for url in assets:
            got = client.get(url)
            assert got.status_code == 200 and len(got.content) > 1000, url
    js = client.get("/static/docs/swagger-ui-bundle.js")
    assert "javascript" in js.headers["content-type"] and b"SwaggerUIBundle" in js.content


def test_whole_numbers_in_integer_fields_are_accepted(client: Any) -> None:
    """2035.0 (as R or pandas write whole numbers) is an integer, as in JSON Schema."""
    sc = _scenario(client)
    sc["meta"].update(base_year=2025.0, target_year=2035.0)
    sc["services"][0]["ages"] = [0.0, 2.0]
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50.0, "year": 2035.0})
    assert r.status_code == 200, r.text
    r2 = client.post("/v1/simulate", json={"scenario": _scenario(client), "draws": 50,
                                           "year": 2035})
    assert r.json()["quantities"] == r2.json()["quantities"]


def test_example_template_round_trips(client: Any) -> None:
    """GET /v1/scenarios/example is a POST /v1/simulate body: posted back unchanged it gives
    the results of the registered scenario (issue 13 item 11)."""
    body = client.get("/v1/scenarios/example").json()
    r = client.post("/v1/simulate", json=body)
    assert r.status_code == 200, r.text
    named = client.post("/v1/simulate", json={"scenario_name": "example"})
    assert named.status_code == 200, named.text
    got = {q["id"]: q["estimate"] for q in r.json()["quantities"]}
    want = {q["id"]: q["estimate"] for q in named.json()["quantities"]}
    assert got == want and "investment.jobs_total.2035" in got


def test_registry_endpoints(client: Any) -> None:
    ds = client.get("/v1/datasets").json()["datasets"]
    ex = next(d for d in ds if d["name"] == "example")
    assert "age_group" in ex["domains"] and ex["synthetic"] is True
    assert ex["valuation"]["currency"] == "XCU"
    sc = client.get("/v1/scenarios/example").json()["scenario"]
    assert sc["meta"]["target_year"] == 2035 and len(sc["services"]) == 4


def test_gap_cached(client: Any) -> None:
    body = {"dataset": "example", "by": ["urban"], "level": 0.9}
    r1 = client.post("/v1/gap", json=body)
    assert r1.status_code == 200, r1.text
    doc = r1.json()
    assert doc["kind"] == "gap" and "charts" not in doc
    for q in doc["quantities"]:
        assert q["se"] is not None and q["ci_low"] is not None and q["unit"] and q["method"]
    r2 = client.post("/v1/gap", json=body)
    assert r2.content == r1.content
    assert r1.headers["x-cache"] == "miss" and r2.headers["x-cache"] == "hit"


def test_value_and_simulate(client: Any) -> None:
    r = client.post("/v1/value", json={"methods": ["generalist", "hybrid"], "draws": 200})
    assert r.status_code == 200, r.text
    ids = {q["id"] for q in r.json()["quantities"]}
    assert "value.hybrid.share_of_gdp" in ids
    r = client.post("/v1/simulate", json={"draws": 200, "seed": 1})
    assert r.status_code == 200, r.text
    assert any(q["id"] == "investment.jobs_total.2035" for q in r.json()["quantities"])


def test_simulate_custom_scenario(client: Any) -> None:
    sc = client.get("/v1/scenarios/example").json()["scenario"]
    sc = copy.deepcopy(sc)
    sc["meta"]["name"] = "Childcare only"
    sc["services"] = sc["services"][:1]
    sc["services"][0]["target_coverage"] = 0.4
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 100,
                                          "ranges": [{"path": "fiscal.income_tax_rate",
                                                      "low": 0.1, "high": 0.14}]})
    assert r.status_code == 200, r.text
    # the brief's title now states the finding (issue 13 item 14): check that the posted
    # scenario was used, by its name and by its smaller numbers than the full example's
    assert "Childcare only" in r.text
    full = client.post("/v1/simulate", json={"draws": 100})
    jobs = {q["id"]: q["estimate"] for q in r.json()["quantities"]}
    jobs_full = {q["id"]: q["estimate"] for q in full.json()["quantities"]}
    key = "investment.jobs_total.2035"
    assert 0 < jobs[key] < jobs_full[key]


def test_simulate_with_capital_replaced_spending_and_parents(client: Any) -> None:
    sc = _scenario(client)
    sc["services"][0].update(capital_cost_per_place=12000, capital_sector="CON",
                             replaced_spending_pct_gdp=0.05, parent_employment_per_person=0.15,
                             parent_earnings_relative_to_average=0.6, service_weeks_per_year=48,
                             staff_weeks_per_year=44)
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50, "seed": 2})
    assert r.status_code == 200, r.text
    q = {x["id"]: x for x in r.json()["quantities"]}
    assert q["investment.capital_cost.2035"]["estimate"] > 0
    assert q["investment.parents_employed.2035"]["estimate"] > 0
    assert q["investment.replaced_spending.2035"]["estimate"] > 0


def test_simulate_with_staff_grades(client: Any) -> None:
    sc = _scenario(client)
    svc = sc["services"][0]
    for key in ("wage_relative_to_average", "wage_floor_relative_to_average", "women_share"):
        svc.pop(key, None)
    svc["staff_grades"] = [
        {"name": "teacher", "share": 0.4, "wage_relative_to_average": 1.1, "women_share": 0.85},
        {"name": "assistant", "share": 0.6, "wage_relative_to_average": 0.7, "women_share": 0.97},
    ]
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50, "seed": 2})
    assert r.status_code == 200, r.text
    svc["staff_grades"][0]["share"] = 0.5
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50, "seed": 2})
    assert r.status_code == 422 and "shares sum to 1.1" in r.text
    _no_trace(r.text)


def test_briefs_json_and_html(client: Any) -> None:
    r = client.post("/v1/briefs/gap?format=json", json={})
    assert r.status_code == 200 and r.json()["charts"]
    r = client.post("/v1/briefs/value?format=html", json={"draws": 100})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.text.count("<svg") == 2 and "<table" in r.text
    r = client.get("/v1/briefs/investment", params={"format": "html"})
    assert r.status_code == 200 and r.text.count("<svg") == 4
    r = client.post("/v1/briefs/gap?format=json&include_svg=true", json={"by": []})
    assert all(c["svg"].startswith("<svg") for c in r.json()["charts"])


BAD: list[tuple[str, str, Any, int, str]] = [
    # (method, path, json body or raw bytes, status, text expected in the message)
    ("post", "/v1/gap", {"level": "high"}, 422, "valid number"),
    ("post", "/v1/gap", {"level": 5}, 422, "less than or equal to 0.999"),
    ("post", "/v1/gap", {"dataset": "nope"}, 422, "unknown data set 'nope'; registered"),
    ("post", "/v1/gap", {"dataset": "../../etc/passwd"}, 422, "should match pattern"),
    ("post", "/v1/gap", {"dataset": "/etc/passwd"}, 422, "should match pattern"),
    ("post", "/v1/gap", {"dataset": "C:\\data\\x.csv"}, 422, "should match pattern"),
    ("post", "/v1/gap", {"by": ["age_group", "urban", "region"]}, 422, "at most 2"),
    ("post", "/v1/gap", {"by": ["income"]}, 422, "not a domain of data set 'example'"),
    ("post", "/v1/gap", {"path": "/etc/passwd"}, 422, "Extra inputs are not permitted"),
    ("post", "/v1/gap", b'{"level": 0.9,', 422, "JSON"),
    ("post", "/v1/gap", b'{"level": NaN}', 422, "finite number"),
    ("post", "/v1/gap", b"[1, 2, 3]", 422, "valid dictionary"),
    ("post", "/v1/value", {"draws": 10**12}, 422, "less than or equal to 100000"),
    ("post", "/v1/value", {"draws": 50000}, 422, "from 2 to 3000 on this server"),
    ("post", "/v1/gap", {"y": "../etc/passwd"}, 422, "should match pattern"),
    ("post", "/v1/gap", {"y": "age"}, 422, "not an activity column of data set 'example'"),
    ("post", "/v1/value", {"draws": "many"}, 422, "valid integer"),
    ("post", "/v1/value", {"methods": ["magic"]}, 422, "generalist"),
    ("post", "/v1/value", {"methods": ["generalist"]}, 422, "main = 'hybrid' must be one of"),
    ("post", "/v1/simulate", {"scenario_name": "nope"}, 422, "unknown scenario 'nope'"),
    ("post", "/v1/simulate", {"scenario_name": "../x"}, 422, "should match pattern"),
    ("post", "/v1/simulate", {"year": 1e308}, 422, "integer"),
    ("post", "/v1/simulate", {"year": 2200}, 422, "less than or equal to 2100"),
    ("post", "/v1/simulate", {"year": 2050}, 422, "year = 2050"),
    ("post", "/v1/simulate", {"ranges": [{"path": "os.system", "low": 0, "high": 1}]}, 422,
     "should match pattern"),
    ("post", "/v1/simulate", {"ranges": [{"path": "macro.nope", "low": 0, "high": 1}]}, 422,
     "does not exist"),
    ("post", "/v1/briefs/gap?format=pdf", {}, 422, "'json' or 'html'"),
    ("get", "/v1/briefs/other", None, 404, "Not Found"),
    # issue 21 item 7: unknown names in the path are 404 (in a body or query: 422 above)
    ("get", "/v1/scenarios/nope", None, 404, "unknown scenario 'nope'; registered scenarios"),
    # issue 21 item 8: strict types at the edges, never converted
    ("post", "/v1/gap", {"level": "0.95"}, 422, "valid number"),
    ("post", "/v1/simulate", {"year": "2030"}, 422, "valid integer"),
    ("post", "/v1/simulate", {"year": 2030.5}, 422, "2030.5 has a decimal part; write a "
     "whole number such as 2030 or 2031"),
    ("post", "/v1/value", {"draws": "100"}, 422, "valid integer"),
    ("post", "/v1/value", {"draws": True}, 422, "valid integer"),
    ("post", "/v1/value", {"seed": 1.5}, 422, "decimal part"),
    ("post", "/v1/briefs/gap", {"by": "urban"}, 422, "valid list"),
    # issue 21 item 9: a range must contain the scenario's value and lie in the field's domain
    ("post", "/v1/simulate", {"ranges": [{"path": "macro.gdp", "low": 1e-300, "high": 1e-299}]},
     422, "macro.gdp range [1e-300, 1e-299] does not contain the scenario's value 4.486e+11"),
    ("post", "/v1/simulate", {"ranges": [{"path": "macro.gdp", "low": -5, "high": 1e12}]},
     422, "macro.gdp low = -5.0 is outside the allowed range (0, 1e+21]"),
    ("post", "/v1/simulate", {"ranges": [{"path": "services.*.target_coverage", "low": 0.2,
                                          "high": 0.3}]}, 422,
     "parameter 'services.*.target_coverage': the services have different values"),
    ("post", "/v1/simulate", {"ranges": [{"path": "fiscal.income_tax_rate", "low": 0.3,
                                          "high": 0.2}]}, 422, "low is above high"),
    ("get", "/v1/scenarios/..%2F..%2Fetc", None, 404, "Not Found"),
    ("get", "/v1/briefs/gap?dataset=..%2Fetc%2Fpasswd", None, 422, "should match pattern"),
    ("get", "/nowhere", None, 404, "Not Found"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "text"), BAD,
                         ids=[f"{m} {p} {str(b)[:30]}" for m, p, b, _, _ in BAD])
def test_bad_inputs(client: Any, method: str, path: str, body: Any, status: int,
                    text: str) -> None:
    if method == "get":
        r = client.get(path)
    elif isinstance(body, bytes):
        r = client.post(path, content=body, headers={"content-type": "application/json"})
    else:
        r = client.post(path, json=body)
    assert r.status_code == status, r.text
    assert text in r.text, r.text
    assert r.json()["error"]
    _no_trace(r.text)
    _up(client)


def _scenario(client: Any) -> dict[str, Any]:
    return copy.deepcopy(client.get("/v1/scenarios/example").json()["scenario"])


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (lambda s: s["services"][0].update(target_coverage=0.01), "below current_coverage"),
        (lambda s: s["services"][0].update(persons_per_staff=1e308), "less than or equal to"),
        (lambda s: s["services"][0].update(persons_per_staff=-4), "greater than 0"),
        (lambda s: s["services"][0].update(women_share="most"), "valid number"),
        (lambda s: s["meta"].update(country="../../etc/passwd"), "should match pattern"),
        # issue 15: the message also names the country database
        (lambda s: s["meta"].update(country="atlantis"),
         "meta.country = 'atlantis' is neither a country data set"),
        (lambda s: s.update(population={"file": "/etc/passwd"}), "Extra inputs"),
        (lambda s: s.update(io={"dataset": "x"}), "Extra inputs"),
        # joint checks come from the scenario loader since the one field specification (issue 13
        # items 1/18): the same messages as for a TOML file
        (lambda s: s["meta"].update(target_year=2020),
         "meta.target_year = 2020 is outside the allowed range [2026, 2100]"),
        (lambda s: s.update(macro={"gdp": 1e300}), "less than or equal to 1000000000000000000000"),
        (lambda s: s.update(services=s["services"][:1] * 13), "at most 12 items"),
        (lambda s: s["services"][0].update(sector="XYZ"), "XYZ"),
        (lambda s: s["services"][0].update(capital_cost_per_place=5000),
         "capital_sector is missing"),
        (lambda s: s["services"][0].update(capital_cost_per_place=5000, capital_sector="QQQ"),
         "QQQ"),
        (lambda s: s["services"][0].update(replaced_spending_pct_gdp=50),
         "exceeds services.childcare_0_2.current_spending_pct_gdp"),
        (lambda s: s["services"][0].update(parent_employment_per_person=0.2),
         "parent_earnings_relative_to_average = None but"),
        (lambda s: s["services"][0].update(staff_weeks_per_year=60), "less than or equal to 53"),
        # issue 21 item 8: strict types in a scenario too
        (lambda s: s["meta"].update(base_year="2025"), "valid integer"),
        (lambda s: s["meta"].update(target_year=2035.5), "2035.5 has a decimal part"),
        (lambda s: s["services"][0].update(ages=[0.5, 2]), "0.5 has a decimal part"),
        (lambda s: s["services"][0].update(target_coverage="0.5"), "valid number"),
        (lambda s: s.update(induced={"method": "type_ii", "consumption_multiplier": "2"}),
         "valid number"),
    ],
)
def test_bad_scenarios(client: Any, change: Any, text: str) -> None:
    sc = _scenario(client)
    change(sc)
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50})
    assert r.status_code == 422, r.text
    assert text in r.text
    _no_trace(r.text)
    _up(client)


def test_body_limit(client: Any) -> None:
    r = client.post("/v1/gap", content=b'{"by": [' + b'"x",' * 20000 + b'"x"]}',
                    headers={"content-type": "application/json", "Origin": ORIGIN})
    assert r.status_code == 413 and "larger than 16384 bytes" in r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN  # the browser may read it
    _up(client)


def _chunks(body: bytes, size: int = 2048) -> Iterator[bytes]:
    for i in range(0, len(body), size):
        yield body[i:i + size]


def test_body_limit_chunked(base: str) -> None:
    """A chunked body (no Content-Length) over the limit gets the same 413, not a 400."""
    big = b'{"by": [' + b'"x",' * 5000 + b'"x"]}'
    assert len(big) > 16 * 1024
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post("/v1/gap", content=_chunks(big),
                   headers={"content-type": "application/json", "Origin": ORIGIN})
        assert "content-length" not in r.request.headers
        assert r.request.headers["transfer-encoding"] == "chunked"
        assert r.status_code == 413, r.text
        assert "larger than 16384 bytes" in r.text
        assert r.headers["access-control-allow-origin"] == ORIGIN
    with httpx.Client(base_url=base, timeout=60) as c:
        small = b'{"by": ["urban"], "level": 0.93}'
        r = c.post("/v1/gap", content=_chunks(small, 5),
                   headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        assert r.json()["inputs"]["level"] == 0.93
        _up(c)


def test_gap_of_another_activity(client: Any) -> None:
    r = client.post("/v1/gap", json={"y": "icatus_9", "by": ["urban"]})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert not any(q["id"].startswith("sdg541") for q in doc["quantities"])
    assert "SDG" not in doc["answer"] and "self-care" in doc["answer"].lower()


def test_broken_dataset_is_503_and_read_once(client: Any) -> None:
    """A registered data set that cannot be loaded is the server's problem, not the client's."""
    for _ in range(3):
        r = client.post("/v1/gap", json={"dataset": "broken"})
        assert r.status_code == 503, r.text
        assert r.json()["error"] == "data set unavailable"
        assert "'broken'" in r.text and "/srv/secret" not in r.text
        _no_trace(r.text)
    assert _BrokenSpec.loads == 1  # the failure is remembered, the files not read again
    _up(client)


def test_internal_error_has_no_trace(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import carecost.service.app as service_app

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug at /srv/carecost/secret.py")

    monkeypatch.setattr(service_app, "gap_brief", boom)  # the server runs in this process
    r = client.post("/v1/gap", json={"level": 0.917})
    assert r.status_code == 500
    assert "error id" in r.json()["detail"][0]["message"]
    assert "secret" not in r.text
    _no_trace(r.text)
    _up(client)


def test_cors(client: Any) -> None:
    pre = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "content-type"}
    r = client.options("/v1/gap", headers={"Origin": ORIGIN, **pre})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
    r = client.options("/v1/gap", headers={"Origin": "https://evil.example", **pre})
    assert "access-control-allow-origin" not in r.headers
    r = client.post("/v1/gap", json={}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    # a browser may read Retry-After (429) and X-Cache
    r = client.post("/v1/gap", json={}, headers={"Origin": ORIGIN})
    exposed = r.headers["access-control-expose-headers"].lower()
    assert "retry-after" in exposed and "x-cache" in exposed


@pytest.fixture(scope="module")
def keyed() -> Iterator[str]:
    yield from _serve(ServiceSettings(api_key=API_KEY))


def test_api_key(keyed: str) -> None:
    with httpx.Client(base_url=keyed, timeout=60) as c:
        h = c.get("/health")
        assert h.status_code == 200 and h.json()["api_key_required"] is True
        assert "datasets" not in h.json() and "scenarios" not in h.json()
        assert "example" not in h.text
        r = c.post("/v1/gap", json={"by": []})
        assert r.status_code == 401 and "X-API-Key" in r.text
        r = c.post("/v1/gap", json={"by": []}, headers={"X-API-Key": "wrong"})
        assert r.status_code == 401
        r = c.post("/v1/gap", json={"by": []}, headers={"X-API-Key": API_KEY})
        assert r.status_code == 200


def test_settings_refuse_bad_config(tmp_path: Path) -> None:
    from carecost.briefs import BriefError

    with pytest.raises(BriefError, match="at least 16"):
        ServiceSettings(api_key="short")
    with pytest.raises(BriefError, match="exact origin"):
        ServiceSettings(cors_origins=("*",))
    with pytest.raises(BriefError, match="NAME=FILE"):
        ServiceSettings.from_cli(scenarios=["nofile"])
    bad = tmp_path / "s.toml"
    bad.write_text("[meta\n", encoding="utf-8")
    with pytest.raises(BriefError, match="not valid TOML"):
        ServiceSettings.from_cli(scenarios=[f"mine={bad}"])
    with pytest.raises(BriefError, match="not set"):
        ServiceSettings.from_cli(api_key_env="CARECOST_TEST_NO_SUCH_VARIABLE")


def test_settings_refuse_a_broken_dataset(tmp_path: Path) -> None:
    """Registered data sets are loaded and checked at server start."""
    from carecost.briefs import BriefError

    (tmp_path / "persons.csv").write_text("id,sex,weight\n1,female,1.0\n2,male,1.0\n",
                                          encoding="utf-8")
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "tiny"\nkind = "persons"\npersons = "persons.csv"\n'
                    'weights = "weight"\nactivities = ["care_min"]\nunits = "minutes_per_day"\n',
                    encoding="utf-8")
    with pytest.raises(BriefError, match=r"data set 'tiny' could not be loaded.*care_min"):
        ServiceSettings.from_cli(datasets=[spec])
    (tmp_path / "persons.csv").write_text("id,sex,weight,care_min\n1,female,1.0,30\n"
                                          "2,male,1.0,10\n", encoding="utf-8")
    settings = ServiceSettings.from_cli(datasets=[spec])
    assert settings.datasets.names() == ["example", "tiny"]
    bad = tmp_path / "blob.toml"
    bad.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(BriefError, match="not a TOML text file"):
        ServiceSettings.from_cli(scenarios=[f"mine={bad}"])


# ------------------------------------------------------------------ rate limit
def test_rate_limiter_token_bucket() -> None:
    from carecost.service.ratelimit import RateLimiter

    now = [0.0]
    lim = RateLimiter(per_minute=60, burst=3, max_clients=2, clock=lambda: now[0])
    assert [lim.take("a")[0] for _ in range(3)] == [True, True, True]
    allowed, wait = lim.take("a")
    assert not allowed and wait == pytest.approx(1.0)  # one token a second
    assert lim.take("b")[0]  # other clients have their own bucket
    now[0] = 0.5
    assert lim.take("a") == (False, pytest.approx(0.5))
    now[0] = 1.0
    assert lim.take("a")[0] and not lim.take("a")[0]
    lim.take("c")  # three clients, two kept: "b" (least recently seen) is forgotten
    assert "b" not in lim._buckets and set(lim._buckets) == {"a", "c"}
    for bad in ({"per_minute": 0, "burst": 1}, {"per_minute": float("nan"), "burst": 1},
                {"per_minute": 10, "burst": 0}):
        with pytest.raises(ValueError):
            RateLimiter(**bad)


@pytest.fixture(scope="module")
def limited() -> Iterator[str]:
    yield from _serve(ServiceSettings(rate_limit_per_minute=6, rate_limit_burst=2))


def test_rate_limit_over_http(limited: str) -> None:
    with httpx.Client(base_url=limited, timeout=60) as c:
        codes = [c.get("/v1/datasets").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = c.get("/v1/datasets")
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        body = r.json()
        assert body["error"] == "too many requests" and "6 requests a minute" in r.text
        assert r.headers["x-content-type-options"] == "nosniff"
        _no_trace(r.text)
        assert c.get("/health").status_code == 200  # not limited: outside /v1


def test_rate_limit_settings_refused() -> None:
    from carecost.briefs import BriefError

    with pytest.raises(BriefError, match="rate_limit_per_minute"):
        ServiceSettings(rate_limit_per_minute=0)
    with pytest.raises(BriefError, match="rate_limit_burst"):
        ServiceSettings(rate_limit_per_minute=10, rate_limit_burst=0)
    cfg = ServiceSettings.from_cli(rate_limit_per_minute=30, rate_limit_burst=5)
    assert (cfg.rate_limit_per_minute, cfg.rate_limit_burst) == (30, 5)


def test_countries_endpoints(client: Any) -> None:
    """GET /v1/countries lists the country database; GET /v1/countries/{iso3} gives a profile
    (issue 15); an unknown code is a 422 naming the closest code, a bad year a 422."""
    r = client.get("/v1/countries")
    assert r.status_code == 200
    rows = r.json()["countries"]
    assert len(rows) == 235
    mex = next(c for c in rows if c["iso3"] == "MEX")
    assert mex["name"] == "Mexico" and mex["io_table"] is True and mex["population"] is True
    r = client.get("/v1/countries/mex", params={"year": 2020})
    assert r.status_code == 200
    body = r.json()
    assert body["iso3"] == "MEX" and body["year"] == 2020
    total = next(i for i in body["inputs"] if i["input"] == "population_total")
    assert total["value"] == 128_932_753  # WPP 2019, Mexico, 1 July 2020 (persons)
    assert {"input", "value", "unit", "year", "source", "flag"} <= set(body["inputs"][0])
    r = client.get("/v1/countries/MXX")  # not in the database: 404 (issue 21 item 7)
    assert r.status_code == 404 and "MEX (Mexico)" in r.text
    _no_trace(r.text)
    assert client.get("/v1/countries/MEX", params={"year": 1900}).status_code == 422
    assert client.get("/v1/countries/ME1").status_code == 422


# --------------------------------------------- issue 16: leave and breastfeeding over HTTP
LEAVE_TOML = """
[macro]
women_earnings_relative_to_average = 0.8
men_earnings_relative_to_average = 1.15

[[leave]]
kind = "maternity"
weeks = 18
current_weeks = 12
replacement_rate = 1.0
current_replacement_rate = 0.67
current_coverage = 0.6

[[leave]]
kind = "parental"
parent = "father"
weeks = 4
replacement_rate = 0.8
ceiling_relative_to_average = 1.5
take_up = 0.5

[breastfeeding]
minutes_per_day = 60
months = 6
current_coverage = 0.3
"""


def _leave_scenario(tmp_path: Path) -> Path:
    from importlib import resources

    text = (resources.files("carecost.investment") / "data" / "scenarios"
            / "example_universal_care_2035.toml").read_text(encoding="utf-8")
    assert "[induced]" in text
    path = tmp_path / "leave.toml"
    path.write_text(text.replace("[induced]", LEAVE_TOML + "\n[induced]", 1), encoding="utf-8")
    return path


def test_simulate_with_leave_and_breastfeeding_matches_the_toml(client: Any,
                                                                tmp_path: Path) -> None:
    """A POST body with [[leave]] and [breastfeeding] tables gives the result of the same
    scenario read from TOML (the tables reach the model: their costs equal the file's)."""
    import tomllib
    import warnings

    from carecost.briefs import investment_brief
    from carecost.investment import load_scenario, scenario_from_dict, simulate
    from carecost.service.schemas import ScenarioModel

    path = _leave_scenario(tmp_path)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    r = client.post("/v1/simulate", json={"scenario": raw, "draws": 60, "seed": 3})
    assert r.status_code == 200, r.text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scn = load_scenario(path)
        want = investment_brief(scn, draws=60, seed=3, level=0.9).to_dict()
        via_http = scenario_from_dict(ScenarioModel.model_validate(raw).to_raw(),
                                      allow_file_references=False)
        got_sim, want_sim = simulate(via_http), simulate(scn)
    got = r.json()
    assert {q["id"]: q["estimate"] for q in got["quantities"]} == {
        q["id"]: q["estimate"] for q in want["quantities"]}
    tables = {t["id"]: t["rows"] for t in got["tables"]}
    assert tables == {t["id"]: t["rows"] for t in want["tables"]}
    assert ("Births", "population aged 0") in {(x["input"], x["value"])
                                               for x in tables["inputs"]}
    assert [lv.name for lv in via_http.leave] == ["maternity", "parental_father"]
    assert via_http.breastfeeding == scn.breastfeeding
    for col in ("leave_cost", "breastfeeding_cost"):
        a, b = got_sim.summary[col].to_numpy(), want_sim.summary[col].to_numpy()
        assert (a == b).all() and b[-1] > 0, col


def test_leave_tables_are_validated_over_http(client: Any) -> None:
    sc = _scenario(client)
    sc["leave"] = [{"kind": "maternity", "weeks": 200, "replacement_rate": 1.0}]
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50})
    assert r.status_code == 422 and "body.scenario.leave.0.weeks" in r.text
    sc["leave"] = [{"kind": "maternity", "weeks": 14, "replacement_rate": 1.0, "wekks": 1}]
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50})
    assert r.status_code == 422 and "Extra inputs" in r.text
    sc.pop("leave")
    sc["breastfeeding"] = {"minutes_per_day": 60, "months": 6, "current_months": 9}
    r = client.post("/v1/simulate", json={"scenario": sc, "draws": 50})
    assert r.status_code == 422 and "current_months" in r.text, r.text
    _no_trace(r.text)
    _up(client)


# ------------------------------------------------ country value and country brief (issue 17)
def test_country_value_and_country_brief_endpoints() -> None:
    from fastapi.testclient import TestClient

    from carecost.service import create_app

    client = TestClient(create_app())
    r = client.get("/v1/value", params={"country": "MEX", "year": 2014})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["kind"] == "value" and "Mexico" in doc["title"]
    assert "care investment package" not in doc["question"]
    ids = {q["id"] for q in doc["quantities"]}
    assert any(i.startswith("country.hours_per_day") for i in ids)
    assert not any(i.startswith("investment") or "package" in i for i in ids)
    r = client.get("/v1/value", params={"country": "XXX"})
    assert r.status_code == 404 and "GET /v1/countries" in r.text
    r = client.get("/v1/value", params={"country": "MEX", "year": "2014.5"})
    assert r.status_code == 422
    r = client.get("/v1/briefs/country/ken", params={"format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Kenya" in r.text
    r = client.get("/v1/briefs/country/QQQ")
    assert r.status_code == 404
    spec = client.get("/openapi.json").json()
    assert "/v1/briefs/country/{iso3}" in spec["paths"]
    assert "404" in spec["paths"]["/v1/value"]["get"]["responses"]
