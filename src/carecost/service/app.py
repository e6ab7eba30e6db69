"""The FastAPI application: gap, value, simulate and briefs over HTTP.

Endpoints (JSON unless stated; OpenAPI at ``/openapi.json``, docs at ``/docs``):

``GET /health``
    Liveness, version, cache statistics and (without an API key) the registered data
    sets and scenarios.
``GET /v1/datasets``, ``GET /v1/scenarios``, ``GET /v1/scenarios/{name}``
    What is registered (a scenario as JSON, a template for ``POST /v1/simulate``).
``POST /v1/gap``, ``POST /v1/value``, ``POST /v1/simulate``
    Results: every number with its standard error or interval, unit, source
    and method, plus tables.
``POST /v1/briefs/{kind}?format=json|html``, ``GET /v1/briefs/{kind}?format=...``
    A whole brief (``kind``: gap, value, investment; one path each); HTML is one
    self-contained page.

Responses: the OpenAPI document declares every response the service sends, with its
content type: the results (JSON), briefs (JSON or HTML), and every error with the one
:class:`~carecost.service.schemas.Problem` body (``{"error": ..., "detail": [{"where",
"message", "type"?, "got"?}]}``): 400, 401, 404, 405 (with ``Allow``), 408, 413, 414, 422,
429 (with ``Retry-After``), 431, 500, 503, and 499 (no body) where a computation may be
skipped; uvicorn's own 500 and 503 are text/plain and declared so.  A name in the URL path
that does not exist (``GET /v1/scenarios/nope``, ``GET /v1/countries/XXX``) is 404; a name in
a body or query is an input value, 422 naming those registered.  Types are strict: numbers
sent as text are refused, integers take whole numbers (``2030.0``) but not ``2030.5``.
Monte Carlo ranges must lie in their field's allowed values and contain the scenario's value.
``tests/test_service_openapi.py`` runs schemathesis with all its checks against the app.

Security: data sets and scenarios are named, never given as paths; bodies are
limited in size (413, also for chunked bodies without a length); every
parameter is bounded (422 with a message per problem); an optional API key
(``X-API-Key``; ``/health`` then names no data set or scenario); CORS only for
the origins configured (error responses included); no stack traces in
responses (errors get an id that is logged).  A registered data set that
cannot be loaded gives 503 "data set unavailable" (logged; the failure is
remembered, the files are not read again on every request).  Results are
cached by their validated inputs (``X-Cache: hit|miss``).

Robustness: every error body is encodable whatever the input (a lone UTF-16
surrogate echoed back becomes U+FFFD); failed API-key checks are counted per
client address and answered 429 with ``Retry-After`` beyond
``ServiceSettings.auth_failures_per_minute``; ``/health`` and the registry
endpoints are ``async`` and never wait for the computation slots, which run in
their own bounded threads (``max_computations``), not in anyio's shared pool; a
request whose client left before its computation started is skipped (499);
with :data:`UVICORN_OPTIONS` a request head must arrive within 10 s and a body
within 30 s (408), one client address holds at most 32 connections (429), a request target
(URI) is at most 16 KiB (414) and its header fields at most 16 KiB (431), and a request with
both Content-Length and Transfer-Encoding is refused (400, request smuggling)
(:mod:`carecost.service.protocol`, :class:`~carecost.service.settings.ServerLimits`).
"""

from __future__ import annotations

import json
import logging
import math
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

import carecost
from carecost.briefs import (
    CSP,
    Brief,
    BriefError,
    DatasetUnavailableError,
    check_draws,
    gap_brief,
    input_errors,
    investment_brief,
    value_brief,
)
from carecost.briefs.model import clean_json
from carecost.errors import CarecostError

from .cache import ResultCache
from .ratelimit import RateLimiter
from .schemas import (
    NAME,
    NAME_HELP,
    CountryRequest,
    GapRequest,
    Problem,
    SimulateRequest,
    ValueRequest,
)
from .settings import ServerLimits, ServiceSettings

__all__ = ["UVICORN_OPTIONS", "create_app"]

UVICORN_OPTIONS: dict[str, Any] = ServerLimits().uvicorn_options()
"""Options ``carecost serve`` passes to uvicorn (:meth:`ServerLimits.uvicorn_options` with the
defaults): no Server header, no trust in proxy headers, short keep-alive (5 s), bounded
concurrency (503 beyond 512 connections or requests), and uvicorn's h11 protocol with a 10 s
deadline for a request head, 30 s for a body (408 beyond), at most 32 open connections per
client address (429 beyond), a request target (URI) of at most 16 KiB (414 beyond), header
fields of at most 16 KiB (431 beyond), and a request with both Content-Length and
Transfer-Encoding refused (400): see :mod:`carecost.service.protocol`.  A deployment still
puts a reverse proxy in front (see the README): uvicorn alone cannot bound a many-address
attack, nor terminate TLS well."""

log = logging.getLogger("carecost.service")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Format = Literal["json", "html"]
DatasetQuery = Annotated[str, Query(pattern=NAME, max_length=40,
                                    description="registered data set (GET /v1/datasets)")]
ScenarioQuery = Annotated[str, Query(pattern=NAME, max_length=40,
                                     description="registered scenario (GET /v1/scenarios)")]

CountryYear = Annotated[int | None, Query(
    ge=2000, le=2030, description="survey year (default the latest survey); for a country "
    "without a survey, the year valued with imputed hours (default 2015)")]


CLIENT_LEFT = "carecost_client_left"
"""Name in ``request.state`` of the check :class:`BodyLimitMiddleware` gives the endpoints:
``await request.state.carecost_client_left()`` is True once the client has gone."""


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused at once.  Otherwise the body
    is read here, counting bytes as they arrive (chunked bodies have no length), and
    refused as soon as it passes the limit; a body within the limit is handed on to the
    application unchanged.  So the application never sees a body over the limit, and a
    streamed one gets the same 413 as a declared one.  It also gives the application a
    check of whether the client has left (``request.state`` under :data:`CLIENT_LEFT`).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.max_bytes
                except ValueError:
                    too_big = True
                if too_big:
                    await self._reject(send)
                    return
        chunks: list[bytes] = []
        seen = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return  # the client left: nobody to answer
            if msg["type"] != "http.request":
                continue
            chunk = msg.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        gone = False

        async def client_left() -> bool:
            """Whether the client has closed the connection, without waiting.

            Asks the server directly: a disconnect seen through Starlette's
            ``BaseHTTPMiddleware`` is lost when the check is cancelled at once, as
            ``Request.is_disconnected`` does.  Asking also lets uvicorn read from the
            connection again (it stops after a whole request), so that a later call sees a
            client that left in between.
            """
            nonlocal gone
            if not gone:
                with anyio.CancelScope() as scope_:
                    scope_.cancel()
                    gone = (await receive())["type"] == "http.disconnect"
            return gone

        scope.setdefault("state", {})[CLIENT_LEFT] = client_left
        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        body = json.dumps({"error": "request too large",
                           "detail": [{"where": "body", "message":
                                       f"the request body is larger than {self.max_bytes} bytes;"
                                       " send a smaller request"}]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(doc: Any) -> Any:
    """``doc`` with every lone UTF-16 surrogate in its strings (keys included) replaced by
    U+FFFD, so that it can be encoded as UTF-8 whatever the client sent (JSON lets a client
    write ``"\\ud800"``, which Python decodes to a lone surrogate that UTF-8 cannot encode)."""
    if isinstance(doc, str):
        return _SURROGATE.sub("\ufffd", doc)
    if isinstance(doc, dict):
        return {_encodable(k): _encodable(v) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [_encodable(v) for v in doc]
    return doc


def _problem(status: int, error: str, detail: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse(_encodable({"error": error, "detail": detail}), status_code=status,
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer"})


def _short(value: Any) -> Any:
    """The offending input, when it is a short finite scalar (never echo large inputs)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str) and len(repr(value)) <= 80:
        return value
    return None


class NotFoundError(CarecostError):
    """A resource named in the URL path (a scenario, a country) that does not exist: 404,
    with a message naming what does exist.  A name in a body or query is an invalid input
    instead (422), like every other input value."""


_PLAIN = {"text/plain": {"schema": {"type": "string"}}}
_RETRY = {"Retry-After": {"description": "seconds to wait before retrying",
                          "schema": {"type": "integer", "minimum": 1}, "required": True}}
_COMMON: dict[int | str, dict[str, Any]] = {  # FastAPI(responses=...): on every endpoint
    # the service's own error bodies, and those of the connection layer
    # (carecost.service.protocol) and of uvicorn, whatever the endpoint
    400: {"description": "Malformed request head, or both Content-Length and "
                         "Transfer-Encoding (request smuggling); connection closed",
          "model": Problem},
    405: {"description": "Method not allowed for this path (Allow lists those allowed)",
          "model": Problem},
    408: {"description": "The request head (10 s) or body (30 s) did not arrive in time; "
                         "connection closed", "model": Problem},
    413: {"description": "Request body larger than the server's limit", "model": Problem},
    414: {"description": "Request target (URI) longer than the limit (16 KiB by default)",
          "model": Problem},
    429: {"description": "Too many connections, requests or failed API-key checks from this "
                         "address", "model": Problem, "headers": _RETRY},
    431: {"description": "Request header fields larger than the limit (16 KiB by default)",
          "model": Problem},
    500: {"description": "Internal error (the body names an error id, logged on the server; "
                         "never a trace)", "model": Problem, "content": _PLAIN},
    503: {"description": "More than the server's open connections or requests in all "
                         "(text/plain, from uvicorn)", "model": Problem, "content": _PLAIN},
}
_INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "Invalid request: one item per problem, naming where it is and "
                         "what to send instead", "model": Problem}}
_KEYED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong X-API-Key (when the server requires one)",
          "model": Problem}}
_COMPUTED: dict[int | str, dict[str, Any]] = {
    **_KEYED, **_INVALID,
    499: {"description": "The client left before its computation started: nothing was "
                         "computed (no body; nginx's 'client closed request')"},
    503: {"description": "A registered data set that cannot be loaded on this server "
                         "(JSON), or more than the server's open connections or requests "
                         "(text/plain, from uvicorn)", "model": Problem, "content": _PLAIN},
}
_BRIEF_OK: dict[int | str, dict[str, Any]] = {
    200: {"description": "The brief: JSON (format=json) or one self-contained HTML page "
                         "(format=html)",
          "content": {"application/json": {"schema": {"type": "object"}},
                      "text/html": {"schema": {"type": "string"}}}}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such resource (the message names those that exist)",
          "model": Problem}}


DOCS_ASSETS = "/static/docs"
"""Where the Swagger UI and ReDoc assets are served (from the installed ``fastapi-offline``
package: no CDN, so ``/docs`` works offline)."""


def _offline_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` with their scripts, styles and icon served by the
    application itself, following FastAPI's self-hosting recipe ("Custom Docs UI Static Assets
    (Self-Hosting)"); the assets come from the ``fastapi-offline`` package (Swagger UI 5,
    which reads OpenAPI 3.1)."""
    from importlib import resources

    from fastapi.openapi.docs import (
        get_redoc_html,
        get_swagger_ui_html,
        get_swagger_ui_oauth2_redirect_html,
    )
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    static = resources.files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(static)), name="docs-assets")
    openapi = app.openapi_url or "/openapi.json"
    redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi}", title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{redirect}",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            # no online validator: it would send the address of the API to swagger.io
            swagger_ui_parameters={"validatorUrl": None})

    @app.get(redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi}", title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png", with_google_fonts=False)


def _declare_api_key(app: FastAPI) -> None:
    """Declare the ``X-API-Key`` header in the OpenAPI document, on every ``/v1`` operation
    (what the security middleware requires; ``/health`` and the docs stay open)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            doc.setdefault("components", {})["securitySchemes"] = {"ApiKey": {
                "type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "the key the operator gave you (401 without it, 429 after "
                               "repeated wrong keys)"}}
            for path, ops in doc["paths"].items():
                if path.startswith("/v1/"):
                    for op in ops.values():
                        op["security"] = [{"ApiKey": []}]
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Build the FastAPI application.

    Parameters
    ----------
    settings
        Registered data sets and scenarios, limits and security settings
        (default: the example data set and scenario, no API key, no CORS).

    Returns
    -------
    fastapi.FastAPI
        Serve it with uvicorn (``carecost serve`` does).
    """
    cfg = settings or ServiceSettings()
    cache = ResultCache(cfg.cache_entries)
    # Heavy work runs in its own threads, at most ``max_computations`` at once, never in
    # anyio's shared pool: requests waiting for a slot wait on the event loop (holding no
    # thread), and /health and the registry endpoints (async, no thread) answer at once.
    slots = anyio.Semaphore(cfg.max_computations)
    workers = anyio.CapacityLimiter(cfg.max_computations)
    limiter = (RateLimiter(cfg.rate_limit_per_minute, cfg.rate_limit_burst)
               if cfg.rate_limit_per_minute is not None else None)
    failures = RateLimiter(cfg.auth_failures_per_minute, cfg.auth_failures_burst)
    app = FastAPI(
        title="carecost API",
        version=carecost.__version__,
        description=(
            "Numbers for the care economy over HTTP: the unpaid-care gender gap with SDG "
            "5.4.1, the value of unpaid care work, care-investment scenarios, and data briefs "
            "(JSON and self-contained HTML). Every number carries its standard error or "
            "interval, unit, source and method. Data sets and scenarios are registered on "
            "the server and named in requests."
        ),
        docs_url=None,
        redoc_url=None,
        responses=_COMMON,
    )
    _offline_docs(app)
    app.state.settings = cfg
    app.state.cache = cache
    if cfg.api_key is not None:
        _declare_api_key(app)

    # ------------------------------------------------------------ middleware
    @app.middleware("http")
    async def security(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                       ) -> Response:
        client = request.client.host if request.client else "unknown"
        if cfg.api_key is not None and request.url.path.startswith("/v1/") \
                and request.method != "OPTIONS":
            blocked = failures.wait(client)
            if blocked > 0:
                retry = max(1, math.ceil(blocked))
                resp = _problem(429, "too many requests", [{
                    "where": "header X-API-Key",
                    "message": f"more than {cfg.auth_failures_per_minute:g} failed API-key "
                               f"checks a minute from this address (bursts of "
                               f"{cfg.auth_failures_burst}); retry in {retry} s"}])
                resp.headers["Retry-After"] = str(retry)
                return resp
            sent = request.headers.get("x-api-key", "")
            if not secrets.compare_digest(sent.encode(), cfg.api_key.encode()):
                failures.take(client)
                return _problem(401, "unauthorized", [{"where": "header X-API-Key", "message":
                                "send a valid API key in the X-API-Key header"}])
        if limiter is not None and request.url.path.startswith("/v1/") \
                and request.method != "OPTIONS":
            allowed, wait = limiter.take(client)
            if not allowed:
                retry = max(1, math.ceil(wait))
                resp = _problem(429, "too many requests", [{
                    "where": request.url.path,
                    "message": f"more than {cfg.rate_limit_per_minute:g} requests a minute "
                               f"(bursts of {cfg.rate_limit_burst}); retry in {retry} s"}])
                resp.headers["Retry-After"] = str(retry)
                return resp
        try:
            response = await call_next(request)
        except Exception:  # a bug: log it with an id, never send the trace
            error_id = uuid.uuid4().hex[:12]
            log.exception("internal error %s on %s %s", error_id, request.method,
                          request.url.path)
            response = _problem(500, "internal error", [{"where": request.url.path, "message":
                                f"the server could not complete the request (error id "
                                f"{error_id})"}])
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # Starlette runs the middleware added last first: CORS wraps the body limit, so that a
    # 413 (like every other response) carries the CORS headers the browser needs to read it.
    app.add_middleware(BodyLimitMiddleware, max_bytes=cfg.max_body_bytes)
    if cfg.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cfg.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key"],
                           allow_credentials=False, max_age=600,
                           expose_headers=["Retry-After", "X-Cache"])

    # -------------------------------------------------------------- errors
    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = []
        for e in exc.errors()[:20]:
            loc = [str(x) for x in e.get("loc", ())]
            msg = str(e.get("msg", "invalid"))
            if e.get("type") == "string_pattern_mismatch" and loc and \
                    loc[-1] in ("dataset", "scenario_name", "country"):
                msg += f" ({NAME_HELP}; see GET /v1/datasets and GET /v1/scenarios)"
            item = {"where": ".".join(loc) or "request", "message": msg, "type": e.get("type")}
            short = _short(e.get("input"))
            if short is not None:
                item["got"] = short
            detail.append(item)
        return _problem(422, "invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        resp = _problem(exc.status_code, "http error", [{"where": request.url.path,
                                                         "message": str(exc.detail)}])
        for k, v in (exc.headers or {}).items():  # e.g. Allow on a 405
            resp.headers[k] = v
        if exc.status_code == 405:
            # Starlette names only the methods of the first route matching the path; the
            # OpenAPI document lists those of every route on it (GET and POST /v1/briefs/gap)
            allowed = sorted({m for r in app.routes if isinstance(r, APIRoute)
                              and r.path_regex.match(request.url.path) for m in (r.methods or ())})
            if allowed:
                resp.headers["Allow"] = ", ".join(allowed)
        return resp

    @app.exception_handler(NotFoundError)
    async def on_not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return _problem(404, "not found", [{"where": request.url.path, "message": str(exc)}])

    async def on_input(request: Request, exc: Exception) -> JSONResponse:
        return _problem(422, "invalid input", [{"where": "body", "message": str(exc)}])

    for cls in input_errors():
        app.add_exception_handler(cls, on_input)

    async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
        name = getattr(exc, "name", "?")
        log.warning("%s %s: data set %r unavailable: %s", request.method, request.url.path,
                    name, getattr(exc, "reason", exc))
        return _problem(503, "data set unavailable", [{"where": "dataset", "message":
                        f"data set {name!r} is registered but cannot be loaded on this server; "
                        "the operator has been told (see the server log)"}])

    app.add_exception_handler(DatasetUnavailableError, on_unavailable)

    # ------------------------------------------------------------- helpers
    def draws_ok(draws: int) -> None:
        check_draws(draws, cfg.max_draws, context=" on this server")

    def build(kind: str, req: Any) -> Brief:
        if kind == "gap":
            g: GapRequest = req
            spec = cfg.datasets.spec(g.dataset)
            return gap_brief(cfg.datasets.survey(g.dataset), dataset=spec, by=g.by or None,
                             y=g.y, level=g.level)
        if kind == "value":
            v: ValueRequest = req
            draws_ok(v.draws)
            spec = cfg.datasets.spec(v.dataset)
            return value_brief(cfg.datasets.survey(v.dataset), spec, methods=v.methods,
                               main=v.main, level=v.level, draws=v.draws, seed=v.seed)
        if kind == "country":
            from carecost.briefs.country import country_brief

            c: CountryRequest = req
            return country_brief(c.iso3, c.year, investment=c.investment)
        s: SimulateRequest = req
        draws_ok(s.draws)
        from carecost.investment import ParameterRange, scenario_from_dict
        from carecost.investment.fields import check_parameter_range
        from carecost.investment.model import parameter_value

        if s.scenario is not None:
            scn = scenario_from_dict(s.scenario.to_raw(), base_dir=None,
                                        allow_file_references=False)
        else:
            name = s.scenario_name or "example"
            reg = cfg.scenarios.get(name)
            if reg is None:
                raise BriefError(f"unknown scenario {name!r}; registered scenarios: "
                                 f"{sorted(cfg.scenarios)}")
            scn = scenario_from_dict(reg.raw, base_dir=reg.base_dir)
        ranges = None if s.ranges is None else [
            ParameterRange(r.path, r.low, r.high, mode=r.mode, dist=r.dist) for r in s.ranges]
        for pr in ranges or ():
            # in the field's domain and around the scenario's value (issue 21 item 9), before
            # any draw: a range beside the central value gives overflow and a null interval
            check_parameter_range(pr.path, pr.low, pr.high, parameter_value(scn, pr.path))
        return investment_brief(scn, ranges=ranges, draws=s.draws, seed=s.seed, level=s.level,
                                year=s.year)

    def key_of(kind: str, req: Any) -> str:
        return kind + ":" + json.dumps(req.model_dump(mode="json"), sort_keys=True,
                                       separators=(",", ":"))

    async def respond(request: Request, kind: str, req: Any, fmt: str, *, full: bool,
                      include_svg: bool = False) -> Response:
        bkey = key_of(kind, req)
        rkey = f"{bkey}|{fmt}|{full}|{include_svg}"

        def render() -> tuple[bytes, str]:
            b, _ = cache.get_or_compute(bkey, lambda: build(kind, req))
            if fmt == "html":
                return b.to_html().encode("utf-8"), "text/html; charset=utf-8"
            doc = b.to_dict(include_svg=include_svg)
            if not full:
                doc.pop("charts", None)
            return (json.dumps(doc, ensure_ascii=False, allow_nan=False,
                               separators=(",", ":")).encode("utf-8"),
                    "application/json")

        hit, found = cache.get(rkey)
        if not hit:
            # one slot per computation (a thread waiting in the cache for another's result of
            # the same inputs holds its slot, but that one already has its own: no deadlock)
            client_left = getattr(request.state, CLIENT_LEFT, None)
            left = client_left is not None and await client_left()
            async with slots:
                if left or (client_left is not None and await client_left()):
                    # the client left before its computation started: nobody would read the
                    # answer, so do not compute it (499: nginx's "client closed request")
                    log.info("%s %s: the client left before the computation started; "
                             "skipped", request.method, request.url.path)
                    return Response(status_code=499)
                found, hit = await anyio.to_thread.run_sync(
                    cache.get_or_compute, rkey, render, limiter=workers)
        body, media = found
        headers = {"X-Cache": "hit" if hit else "miss", "Cache-Control": "no-store"}
        if fmt == "html":
            headers["Content-Security-Policy"] = CSP
        return Response(body, media_type=media, headers=headers)

    # ------------------------------------------------------------ endpoints
    @app.get("/health", tags=["service"], summary="Liveness and what is registered")
    async def health() -> dict[str, Any]:
        out: dict[str, Any] = {"status": "ok", "version": carecost.__version__,
                               "api_key_required": cfg.api_key is not None,
                               "cache": cache.stats()}
        if cfg.api_key is None:  # what is registered is for key holders (GET /v1/datasets)
            out.update(datasets=cfg.datasets.names(), scenarios=sorted(cfg.scenarios))
        return out

    @app.get("/v1/datasets", tags=["registry"], summary="Registered data sets",
             responses=_KEYED)
    async def datasets() -> dict[str, Any]:
        return {"datasets": [cfg.datasets.spec(n).describe() for n in cfg.datasets.names()]}

    @app.get("/v1/scenarios", tags=["registry"], summary="Registered scenarios",
             responses=_KEYED)
    async def scenarios() -> dict[str, Any]:
        out = []
        for n in sorted(cfg.scenarios):
            meta = dict(cfg.scenarios[n].raw.get("meta", {}))
            out.append({"name": n, "title": meta.get("name", n),
                        "country": meta.get("country", "example"),
                        "base_year": meta.get("base_year"),
                        "target_year": meta.get("target_year")})
        return {"scenarios": out}

    @app.get("/v1/countries", tags=["countries"],
             summary="Countries of the country database and which inputs each has",
             responses=_KEYED)
    def countries() -> dict[str, Any]:
        import carecost.countries as cc

        table = cc.available()
        return {"countries": clean_json(table.to_dict(orient="records"))}

    @app.get("/v1/countries/{iso3}", tags=["countries"],
             summary="Every input of one country: value, unit, observation year, source, flag",
             responses={**_KEYED, **_INVALID, **_NOT_FOUND})
    def country(
        iso3: Annotated[str, Path(pattern=r"^[A-Za-z]{3}$",
                                  description="ISO 3166-1 alpha-3 code, e.g. MEX")],
        year: Annotated[int, Query(ge=2000, le=2060,
                                   description="year of the profile (later years projected)")]
        = 2025,
    ) -> dict[str, Any]:
        import carecost.countries as cc

        try:
            prof = cc.profile(iso3, year)
        except cc.CountryDataError as err:
            known = set(cc.available()["iso3"])
            if iso3.upper() not in known:  # not a country of the database: 404
                raise NotFoundError(str(err)) from err
            raise
        return {"iso3": iso3.upper(), "year": year,
                "inputs": clean_json(prof.to_dict(orient="records"))}

    @app.get("/v1/scenarios/{name}", tags=["registry"],
             summary="A registered scenario as a POST /v1/simulate body (post it back as is, "
                     "or edit its scenario first)",
             responses={**_KEYED, **_INVALID, **_NOT_FOUND})
    async def scenario(name: str = Path(pattern=NAME, max_length=40)) -> dict[str, Any]:
        """The body of a ``POST /v1/simulate`` request for the registered scenario.

        ``{"scenario": {...}}``: the scenario in the request layout, to post back unchanged
        (same results as ``{"scenario_name": name}``) or to edit.  A scenario registered with
        its own population file or input–output table cannot be sent as JSON (a JSON scenario
        uses its country's data set), so for it the body is ``{"scenario_name": name}``,
        which names it instead of silently changing its data.
        """
        reg = cfg.scenarios.get(name)
        if reg is None:
            raise NotFoundError(f"unknown scenario {name!r}; registered scenarios: "
                                f"{sorted(cfg.scenarios)} (GET /v1/scenarios)")
        if not reg.sendable():
            return {"scenario_name": name}
        return {"scenario": clean_json(reg.public())}

    @app.post("/v1/gap", tags=["results"], summary="Unpaid-care gender gap and SDG 5.4.1",
              responses=_COMPUTED)
    async def gap(request: Request, req: GapRequest) -> Response:
        return await respond(request, "gap", req, "json", full=False)

    @app.post("/v1/value", tags=["results"], summary="Value of unpaid care work by method",
              responses=_COMPUTED)
    async def value(request: Request, req: ValueRequest) -> Response:
        return await respond(request, "value", req, "json", full=False)

    @app.post("/v1/simulate", tags=["results"], summary="Care-investment scenario",
              responses=_COMPUTED)
    async def simulate(request: Request, req: SimulateRequest) -> Response:
        return await respond(request, "investment", req, "json", full=False)

    @app.post("/v1/briefs/gap", tags=["briefs"], summary="Gap brief (JSON or HTML)",
              responses={**_COMPUTED, **_BRIEF_OK})
    async def brief_gap(request: Request, req: GapRequest, format: Format = "json",
                        include_svg: bool = False) -> Response:
        return await respond(request, "gap", req, format, full=True, include_svg=include_svg)

    @app.post("/v1/briefs/value", tags=["briefs"], summary="Value brief (JSON or HTML)",
              responses={**_COMPUTED, **_BRIEF_OK})
    async def brief_value(request: Request, req: ValueRequest, format: Format = "json",
                          include_svg: bool = False) -> Response:
        return await respond(request, "value", req, format, full=True, include_svg=include_svg)

    @app.post("/v1/briefs/investment", tags=["briefs"],
              summary="Investment brief (JSON or HTML)", responses={**_COMPUTED, **_BRIEF_OK})
    async def brief_investment(request: Request, req: SimulateRequest, format: Format = "json",
                               include_svg: bool = False) -> Response:
        return await respond(request, "investment", req, format, full=True, include_svg=include_svg)

    # GET /v1/briefs/gap|value|investment: a brief with default settings (for links and
    # iframes).  One route per kind, not /v1/briefs/{kind}, so that every path of the OpenAPI
    # document lists exactly the methods it answers (POST is on the same paths).
    ok_get = {**_COMPUTED, **_BRIEF_OK}

    @app.get("/v1/briefs/gap", tags=["briefs"], responses=ok_get,
             summary="Gap brief with default settings (for links and iframes)")
    async def brief_gap_get(request: Request, format: Format = "html",
                            dataset: DatasetQuery = "example") -> Response:
        return await respond(request, "gap", GapRequest(dataset=dataset), format, full=True)

    @app.get("/v1/briefs/value", tags=["briefs"], responses=ok_get,
             summary="Value brief with default settings (for links and iframes)")
    async def brief_value_get(request: Request, format: Format = "html",
                              dataset: DatasetQuery = "example") -> Response:
        return await respond(request, "value", ValueRequest(dataset=dataset), format,
                             full=True)

    @app.get("/v1/briefs/investment", tags=["briefs"], responses=ok_get,
             summary="Investment brief with default settings (for links and iframes)")
    async def brief_investment_get(request: Request, format: Format = "html",
                                   scenario_name: ScenarioQuery = "example") -> Response:
        return await respond(request, "investment", SimulateRequest(scenario_name=scenario_name),
                             format, full=True)

    def known_country(iso3: str) -> str:
        import carecost.countries as cc

        code = iso3.upper()
        if code not in set(cc.available()["iso3"]):
            raise NotFoundError(f"unknown country {iso3!r}: not a code of the country database "
                                "(GET /v1/countries lists them)")
        return code

    @app.get("/v1/value", tags=["results"], responses={**ok_get, **_NOT_FOUND},
             summary="Value of a country's unpaid care work from its SDG 5.4.1 hours "
                     "(country database), as a brief")
    async def value_country_get(
        request: Request,
        country: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$",
                                      description="ISO 3166-1 alpha-3 code, e.g. MEX")],
        year: CountryYear = None, format: Format = "json",
    ) -> Response:
        req = CountryRequest(iso3=known_country(country), year=year, investment=False)
        return await respond(request, "country", req, format, full=True)

    @app.get("/v1/briefs/country/{iso3}", tags=["briefs"], responses={**ok_get, **_NOT_FOUND},
             summary="Country brief: SDG 5.4.1 hours, their value and the ILO-style care "
                     "package (ilo-2035)")
    async def brief_country_get(
        request: Request,
        iso3: Annotated[str, Path(pattern=r"^[A-Za-z]{3}$",
                                  description="ISO 3166-1 alpha-3 code, e.g. MEX")],
        year: CountryYear = None, format: Format = "html",
    ) -> Response:
        req = CountryRequest(iso3=known_country(iso3), year=year)
        return await respond(request, "country", req, format, full=True)

    return app
