"""The OpenAPI document tells the truth (issue 21 item 7): a schema-driven fuzz run with
schemathesis and every check it has, in process (ASGI, no network), bounded in examples and
time; plus direct checks of what the document declares.

One check is adapted: schemathesis's ``positive_data_acceptance`` expects a schema-valid
request to be accepted, but a scenario's constraints between keys (target coverage at least
the current coverage, ...), the registered names (data sets, scenarios, domain variables) and
the server's own Monte Carlo limit cannot be written in JSON Schema, nor the two rules between
fields of a request model (``main`` one of ``methods``; ``scenario_name`` or ``scenario``, not
both; stated in the models' descriptions).  So a schema-valid request may get a 422, but only
the service's semantic one (``"error": "invalid input"``, from the model, naming the problem)
or one of those two rules (``"type": "value_error"``) -- never another 422 of the request
validator: that would mean the validator and the document disagree
(:func:`schema_and_validator_agree`).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from carecost.service import ServiceSettings, create_app  # noqa: E402

APP = create_app(ServiceSettings(max_draws=20, cache_entries=64))
CONFIG = SchemathesisConfig.from_dict({
    "checks": {"positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429", "5xx"]}},
    # the coverage phase (boundary values of every keyword) takes minutes on the scenario
    # bodies: there, examples and random fuzzing only, to stay within a minute in CI
    "operations": [{"include-path-regex": "^/v1/(simulate|briefs/investment)$",
                    "include-method": "POST", "phases": {"coverage": {"enabled": False}}}],
})
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@schemathesis.check
def schema_and_validator_agree(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request is never refused by the request validator (a 422 "invalid
    request"): only by the model's own checks (422 "invalid input")."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = json.loads(response.content)
    if body["error"] == "invalid input":
        return None
    assert all(d.get("type") == "value_error" for d in body["detail"]), (
        f"a schema-valid request was refused by the request validator: {body['detail']}")
    return None


@SCHEMA.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_schema_driven_fuzz(case: Any) -> None:
    case.call_and_validate(additional_checks=[schema_and_validator_agree])


# ------------------------------------------------------- what the document declares
DOC = APP.openapi()
OPERATIONS = [(path, method, op) for path, ops in DOC["paths"].items()
              for method, op in ops.items()]


def _problem_schema() -> dict[str, Any]:
    return {**DOC["components"]["schemas"]["Problem"], "components": DOC["components"]}


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS,
                         ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_declares_the_responses_it_may_send(path: str, method: str,
                                                            op: dict[str, Any]) -> None:
    codes = set(op["responses"])
    assert {"200", "400", "405", "408", "413", "414", "429", "431", "500", "503"} <= codes
    if path.startswith("/v1/"):
        assert "401" in codes
    if op.get("parameters") or op.get("requestBody"):
        assert "422" in codes
    for code, resp in op["responses"].items():
        if code.startswith(("4", "5")) and code != "499":
            ref = resp["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Problem", (code, ref)
    if "{" in path:
        assert "404" in codes
    if path in ("/v1/gap", "/v1/value", "/v1/simulate") or path.startswith("/v1/briefs/"):
        assert "499" in codes and "content" not in op["responses"]["499"]
    if path.startswith("/v1/briefs/"):
        assert set(op["responses"]["200"]["content"]) == {"application/json", "text/html"}
    assert "Retry-After" in op["responses"]["429"]["headers"]
    assert "text/plain" in op["responses"]["503"]["content"]  # uvicorn's own 503


def test_no_undeclared_validation_schema_is_left() -> None:
    """FastAPI's own 422 schema (``HTTPValidationError``) is not what the service sends."""
    assert "HTTPValidationError" not in DOC["components"]["schemas"]
    assert "ValidationError" not in DOC["components"]["schemas"]


def _client() -> Any:
    from fastapi.testclient import TestClient

    return TestClient(APP)


@pytest.mark.parametrize(("method", "path", "template", "body"), [
    ("post", "/v1/gap", "/v1/gap", {"level": "0.95", "by": ["a", "a", "b"], "nope": 1}),
    ("post", "/v1/simulate", "/v1/simulate",
     {"year": 2030.5, "scenario": {"meta": {"base_year": "x"}}}),
    ("post", "/v1/gap", "/v1/gap", {"dataset": "nope"}),
    ("get", "/v1/scenarios/nope", "/v1/scenarios/{name}", None),
    ("get", "/v1/countries/XXX", "/v1/countries/{iso3}", None),
    ("get", "/v1/countries/1", "/v1/countries/{iso3}", None),
    ("post", "/v1/briefs/gap?format=pdf", "/v1/briefs/gap", {}),
])
def test_error_bodies_match_the_declared_schema(method: str, path: str, template: str,
                                                body: Any) -> None:
    """Real 404 and 422 bodies validate against the schema their operation declares (before
    issue 21 item 7, 422 bodies did not match FastAPI's declared HTTPValidationError)."""
    jsonschema = pytest.importorskip("jsonschema")
    with _client() as c:
        r = c.request(method.upper(), path, json=body)
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"] == "application/json"
    declared = DOC["paths"][template][method]["responses"][str(r.status_code)]
    assert declared["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
    jsonschema.validate(r.json(), _problem_schema())


def test_unknown_names_in_the_path_are_404() -> None:
    with _client() as c:
        r = c.get("/v1/scenarios/nope")
        assert r.status_code == 404 and "registered scenarios: ['example']" in r.text
        r = c.get("/v1/countries/MXX")
        assert r.status_code == 404 and "MEX (Mexico)" in r.text
        assert c.get("/v1/countries/mex", params={"year": 2020}).status_code == 200
        # a name in a body is an input value: 422 naming the registered ones
        r = c.post("/v1/simulate", json={"scenario_name": "nope", "draws": 10})
        assert r.status_code == 422 and "unknown scenario 'nope'" in r.text


def test_method_not_allowed_lists_every_method_of_the_path() -> None:
    with _client() as c:
        r = c.delete("/v1/briefs/gap")
        assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
        assert c.put("/v1/gap").headers["allow"] == "POST"


def test_briefs_are_served_with_their_declared_content_types() -> None:
    with _client() as c:
        r = c.get("/v1/briefs/gap")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        r = c.get("/v1/briefs/gap", params={"format": "json"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert c.get("/v1/briefs/other").status_code == 404


def test_the_api_key_is_declared_when_required() -> None:
    from fastapi.testclient import TestClient

    assert "securitySchemes" not in DOC.get("components", {})
    keyed = create_app(ServiceSettings(api_key="test-key-0123456789abcdef"))
    with TestClient(keyed) as c:
        doc = c.get("/openapi.json").json()
        assert c.get("/v1/datasets").status_code == 401
        assert c.get("/v1/datasets", headers={"X-API-Key": "test-key-0123456789abcdef"}
                     ).status_code == 200
    assert doc["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": doc["components"]["securitySchemes"]["ApiKey"]["description"]}
    for path, ops in doc["paths"].items():
        for op in ops.values():
            assert (op.get("security") == [{"ApiKey": []}]) is path.startswith("/v1/"), path
