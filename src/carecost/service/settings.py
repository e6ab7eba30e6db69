"""Settings of the HTTP service: registered data sets and scenarios, limits, security."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from carecost.briefs import MAX_DRAWS, BriefError, DatasetRegistry, check_name, load_dataset_spec

__all__ = ["RegisteredScenario", "ServerLimits", "ServiceSettings", "example_scenario_raw"]


@dataclass(frozen=True)
class RegisteredScenario:
    """A scenario registered on the server: its parsed TOML and the folder it came from."""

    name: str
    raw: Mapping[str, Any]
    base_dir: Path | None = None

    def public(self) -> dict[str, Any]:
        """The scenario as JSON in the request layout (file references removed)."""
        return {k: v for k, v in self.raw.items() if k not in ("population", "io")}

    def sendable(self) -> bool:
        """Whether :meth:`public` is the whole scenario (no population file, input–output
        table or ``use_country_dataset`` that a JSON scenario could not carry)."""
        meta = self.raw.get("meta", {})
        return not ({"population", "io"} & set(self.raw)) and "use_country_dataset" not in meta


def example_scenario_raw() -> RegisteredScenario:
    """The shipped example scenario (synthetic example country)."""
    ref = (resources.files("carecost.investment") / "data" / "scenarios"
           / "example_universal_care_2035.toml")
    with ref.open("rb") as fh:
        return RegisteredScenario("example", tomllib.load(fh), None)


@dataclass(frozen=True)
class ServerLimits:
    """Connection-level limits of ``carecost serve`` (uvicorn with
    :class:`carecost.service.protocol.GuardedH11Protocol`); nothing of it comes from a request.

    Attributes
    ----------
    header_timeout
        Seconds a client has to send a whole request head, from connecting (or from the
        previous response on a kept-alive connection); 408 beyond (default 10).
    body_timeout
        Seconds a client has to send a whole request body after its head; 408 beyond
        (default 30).
    keep_alive
        Seconds an idle kept-alive connection stays open (default 5).
    max_connections_per_client
        Open connections one client IP address may hold; 429 beyond (default 32; ``None``:
        no cap, behind a reverse proxy that bounds them).
    max_connections
        Open connections or requests in all; 503 beyond (default 512).
    max_target_bytes
        Longest request target (URI with its query), bytes; 414 beyond (default 16 KiB).
    max_header_bytes
        Largest header block (every ``name: value`` line with its CRLF), bytes; 431 beyond
        (default 16 KiB).
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: float = 5.0
    max_connections_per_client: int | None = 32
    max_connections: int = 512
    max_target_bytes: int = 16 * 1024
    max_header_bytes: int = 16 * 1024

    def __post_init__(self) -> None:
        for name in ("header_timeout", "body_timeout", "keep_alive"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v <= 3600:
                raise BriefError(f"{name} = {v!r}; allowed a number of seconds in (0, 3600]")
        cap = self.max_connections_per_client
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int)
                                or not 1 <= cap <= 100_000):
            raise BriefError(f"max_connections_per_client = {cap!r}; allowed an integer "
                             "from 1 to 100000, or None for no cap")
        for name, lo, hi in (("max_connections", 1, 1_000_000),
                             ("max_target_bytes", 1024, 1024 * 1024),
                             ("max_header_bytes", 1024, 1024 * 1024)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise BriefError(f"{name} = {v!r}; allowed an integer from {lo} to {hi}")

    def uvicorn_options(self) -> dict[str, Any]:
        """Keyword arguments of :class:`uvicorn.Config` for these limits.

        Also no ``Server`` header and no trust in proxy headers (``X-Forwarded-For`` would
        let a client choose the address its limits are counted on).

        Returns
        -------
        dict
            ``server_header``, ``proxy_headers``, ``timeout_keep_alive``,
            ``limit_concurrency`` and ``http`` (the protocol class).
        """
        from .protocol import guarded_h11

        return {
            "server_header": False,
            "proxy_headers": False,
            "timeout_keep_alive": self.keep_alive,
            "limit_concurrency": self.max_connections,
            "http": guarded_h11(header_timeout=self.header_timeout,
                                body_timeout=self.body_timeout,
                                max_connections_per_client=self.max_connections_per_client,
                                max_target_bytes=self.max_target_bytes,
                                max_header_bytes=self.max_header_bytes),
        }


@dataclass
class ServiceSettings:
    """Everything the service needs to know; nothing of it comes from a request.

    Attributes
    ----------
    datasets
        Registered data sets (default: the built-in ``"example"``).
    scenarios
        Registered scenarios by name (default: ``"example"``).
    api_key
        When set, every ``/v1`` request must send it in the ``X-API-Key``
        header (``/health``, ``/docs`` and ``/openapi.json`` stay open).
    cors_origins
        Browser origins allowed by CORS (exact match); empty: no CORS headers.
    max_body_bytes
        Largest request body (bytes); larger ones get 413.
    max_draws
        Largest Monte Carlo draws a request may ask for.
    cache_entries
        Results kept in the in-memory LRU cache.
    max_computations
        Results computed at the same time; further requests with new inputs
        wait for a slot (cached results do not).  The work is mostly
        CPU-bound, so more than a few per CPU only adds memory, not speed.
    rate_limit_per_minute
        Sustained ``/v1`` requests a minute per client IP address; ``None``
        (default): no limit.  Over the limit the service answers 429 with
        ``Retry-After``.  Behind a reverse proxy all requests share the proxy's
        address: limit at the proxy instead.
    rate_limit_burst
        Requests a client may send at once before the limit applies.
    auth_failures_per_minute
        Sustained failed API-key checks a minute per client IP address (default 10).
        Beyond it (and the burst) every ``/v1`` request from that address, with a right
        key or a wrong one, is answered 429 with ``Retry-After`` until the bucket refills,
        so that keys cannot be guessed at speed.  Counted only when ``api_key`` is set.
    auth_failures_burst
        Failed API-key checks a client may make at once before the bound applies
        (default 10).
    """

    datasets: DatasetRegistry = field(default_factory=DatasetRegistry.default)
    scenarios: dict[str, RegisteredScenario] = field(
        default_factory=lambda: {"example": example_scenario_raw()})
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 64 * 1024
    max_draws: int = 5000
    cache_entries: int = 256
    max_computations: int = field(default_factory=lambda: max(2, min(8, os.cpu_count() or 2)))
    rate_limit_per_minute: float | None = None
    rate_limit_burst: int = 20
    auth_failures_per_minute: float = 10.0
    auth_failures_burst: int = 10

    def __post_init__(self) -> None:
        if self.api_key is not None and len(self.api_key) < 16:
            raise BriefError("the API key must be at least 16 characters long")
        for o in self.cors_origins:
            if o == "*" or not re.match(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$", o):
                raise BriefError(f"CORS origin {o!r}: give an exact origin such as "
                                 "https://portal.example.org (no '*', no path)")
        if not 1024 <= self.max_body_bytes <= 10 * 1024 * 1024:
            raise BriefError("max_body_bytes must be between 1 KiB and 10 MiB")
        if not 2 <= self.max_draws <= MAX_DRAWS:
            raise BriefError(f"max_draws must be between 2 and {MAX_DRAWS}")
        if not 1 <= self.max_computations <= 256:
            raise BriefError("max_computations must be between 1 and 256")
        if self.rate_limit_per_minute is not None and not (
            0 < self.rate_limit_per_minute <= 1_000_000
        ):
            raise BriefError(f"rate_limit_per_minute = {self.rate_limit_per_minute!r}; allowed "
                             "a number in (0, 1000000], or None for no limit")
        if not 1 <= self.rate_limit_burst <= 100_000:
            raise BriefError(f"rate_limit_burst = {self.rate_limit_burst!r}; allowed 1-100000")
        if not 0 < self.auth_failures_per_minute <= 10_000:
            raise BriefError(f"auth_failures_per_minute = {self.auth_failures_per_minute!r}; "
                             "allowed a number in (0, 10000]")
        if not 1 <= self.auth_failures_burst <= 10_000:
            raise BriefError(f"auth_failures_burst = {self.auth_failures_burst!r}; "
                             "allowed 1-10000")

    @classmethod
    def from_cli(
        cls, *, datasets: Sequence[str | Path] = (), scenarios: Sequence[str] = (),
        api_key_env: str | None = None, cors_origins: Sequence[str] = (),
        max_body_bytes: int = 64 * 1024, max_draws: int = 5000,
        rate_limit_per_minute: float | None = None, rate_limit_burst: int = 20,
    ) -> ServiceSettings:
        """Settings from command-line values (data-set files, ``NAME=FILE`` scenarios).

        Every registered data set is loaded and checked here, at server start (its files
        readable, the declared columns present), and every scenario validated, so that a
        broken one stops the start with a message instead of failing requests.

        Raises
        ------
        BriefError
            A bad file, name, data set or scenario, or an API-key variable that is not set.
        """
        reg = DatasetRegistry.default()
        for d in datasets:
            reg.register(load_dataset_spec(d))
        for n in reg.names():
            reg.check(n)
        scn = {"example": example_scenario_raw()}
        for item in scenarios:
            name, sep, file = item.partition("=")
            if not sep:
                raise BriefError(f"--scenario {item!r}: write NAME=FILE.toml")
            check_name(name, "scenario")
            p = Path(file)
            try:
                with p.open("rb") as fh:
                    raw = tomllib.load(fh)
            except (FileNotFoundError, IsADirectoryError) as err:
                raise BriefError(f"--scenario {item!r}: file {file!r} not found") from err
            except UnicodeDecodeError as err:
                raise BriefError(f"--scenario {item!r}: not a TOML text file") from err
            except tomllib.TOMLDecodeError as err:
                raise BriefError(f"--scenario {item!r}: not valid TOML ({err})") from err
            from carecost.investment import scenario_from_dict

            scenario_from_dict(raw, base_dir=p.resolve().parent)  # validate now, not per request
            scn[name] = RegisteredScenario(name, raw, p.resolve().parent)
        key = None
        if api_key_env:
            key = os.environ.get(api_key_env)
            if not key:
                raise BriefError(f"--api-key-env {api_key_env}: that environment variable is "
                                 "not set or empty")
        return cls(datasets=reg, scenarios=scn, api_key=key, cors_origins=tuple(cors_origins),
                   max_body_bytes=max_body_bytes, max_draws=max_draws,
                   rate_limit_per_minute=rate_limit_per_minute,
                   rate_limit_burst=rate_limit_burst)
