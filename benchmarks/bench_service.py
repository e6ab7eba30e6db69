"""Bounded load test of the carecost HTTP service on loopback.

Starts ``carecost.service`` with uvicorn in a child process on 127.0.0.1 (a free
port), warms it up, then sends ``--rounds`` rounds of ``--concurrency``
simultaneous requests with ``httpx.AsyncClient``, all within ``--deadline``
seconds.  In each round one request in ten is ``/health``; the others are gap,
value, simulate and brief requests (JSON and HTML).  Of these, the fraction
``--repeat`` (default 0.75) repeat the inputs of another request of the same
round, so they are cache hits (served from the cache, or from the computation
already under way); the rest have inputs never sent before in the run (a new
confidence level, domain or Monte Carlo seed), so the server does the work.
Reports throughput, latency percentiles, the measured cache hit rate (from the
``X-Cache`` header) against the planned one, failed requests (must be 0) and
the server's resident memory after each round (must not keep growing).
The server runs with ``MALLOC_ARENA_MAX=2`` (``--glibc-arenas``): without it,
glibc's per-thread malloc arenas fragment under uvicorn's worker threads and
RSS creeps up by 1-3 MB per round although nothing is kept (in one thread the
same work stays flat); set it for production servers too.  Even so, RSS under
concurrent work settles over the first rounds and then moves up and down by a
few MB from round to round (the same requests served one at a time stay flat
once the cache is full), so growth is measured between medians of three rounds.

    python benchmarks/bench_service.py                 # 12 rounds x 200 requests
    python benchmarks/bench_service.py --rounds 6 --concurrency 100 --repeat 0.5

Exit code 1 when a request failed, the deadline passed, or memory grew by more
than ``--max-growth-mb`` from the median RSS of rounds 4-6 (the server's LRU
cache, ``--cache-entries``, is full after about three rounds) to the median of
the last three rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
import psutil

SERVER = """
import sys, uvicorn
from carecost.service import ServiceSettings, create_app
from carecost.service.settings import ServerLimits
# every simulated client connects from 127.0.0.1: allow them all on that one address
limits = ServerLimits(max_connections_per_client=int(sys.argv[3]))
app = create_app(ServiceSettings(cache_entries=int(sys.argv[2])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            **limits.uvicorn_options())
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


DOMAINS = ("age_group", "urban", "region", "employed", "youngest_child")
Request = tuple[str, str, dict[str, Any] | None]


def new_request(idx: int) -> Request:
    """A compute request with inputs unique to ``idx`` (never sent before in the run).

    Gap requests get their own confidence level (0.5 + 0.0004 idx, distinct for idx < 1248),
    Monte Carlo requests their own seed.
    """
    kind = idx % 6
    level = round(0.5 + 0.0004 * (idx % 1248), 4)
    by = [DOMAINS[idx % len(DOMAINS)]]
    seed = 1000 + idx
    if kind == 0:
        return "POST", "/v1/gap", {"by": by, "level": level}
    if kind == 1:
        return "POST", "/v1/value", {"draws": 1000, "seed": seed}
    if kind == 2:
        return "POST", "/v1/simulate", {"draws": 1000, "seed": seed}
    if kind == 3:
        return "POST", "/v1/briefs/gap?format=html", {"by": by, "level": level}
    if kind == 4:
        return "POST", "/v1/briefs/investment?format=html", {"draws": 1000, "seed": seed}
    return "POST", "/v1/briefs/value?format=json", {"draws": 1000, "seed": seed}


def plan_round(n: int, rnd: int, repeat: float) -> tuple[list[Request], int]:
    """The requests of round ``rnd`` (shuffled) and how many of them are planned cache hits.

    One in ten is ``/health``; of the other ``m``, ``round(m * (1 - repeat))`` (at least
    one) have new inputs and the rest repeat one of those, so they are hits.
    """
    n_health = n // 10
    m = n - n_health
    n_new = max(1, min(m, round(m * (1 - repeat))))
    fresh = [new_request(rnd * n + j) for j in range(n_new)]
    reqs: list[Request] = [("GET", "/health", None)] * n_health + fresh
    reqs += [fresh[j % n_new] for j in range(m - n_new)]
    random.Random(rnd).shuffle(reqs)
    return reqs, m - n_new


async def one(client: httpx.AsyncClient, method: str, path: str,
              body: dict[str, Any] | None) -> tuple[float, int, str, str]:
    t0 = time.perf_counter()
    cache = "health" if path == "/health" else ""
    try:
        r = await client.request(method, path, json=body)
        status, err = r.status_code, "" if r.status_code == 200 else r.text[:200]
        cache = cache or r.headers.get("x-cache", "")
    except httpx.HTTPError as exc:
        status, err = 0, f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - t0, status, err, cache


class RoundResult:
    """Latencies, errors, wall time and cache hits/misses of one round."""

    def __init__(self, res: list[tuple[float, int, str, str]], wall: float, planned: int):
        self.lat = [r[0] for r in res]
        self.errors = [f"{r[1]} {r[2]}" for r in res if r[1] != 200]
        self.wall = wall
        self.hits = sum(r[3] == "hit" for r in res)
        self.misses = sum(r[3] == "miss" for r in res)
        self.planned = planned
        self.by_kind = {k: [r[0] for r in res if r[3] == k] for k in ("hit", "miss", "health")}


def pct(values: list[float], q: int) -> float:
    """The q-th percentile in milliseconds (NaN without values)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return 1000 * values[0]
    return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def round_(base: str, n: int, rnd: int, timeout: float, repeat: float) -> RoundResult:
    reqs, planned = plan_round(n, rnd, repeat)
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        t0 = time.perf_counter()
        res = await asyncio.gather(*(one(client, *r) for r in reqs))
        wall = time.perf_counter() - t0
    return RoundResult(list(res), wall, planned)


def rss_mb(proc: psutil.Process) -> float:
    return float(proc.memory_info().rss) / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for everything")
    ap.add_argument("--max-growth-mb", type=float, default=10.0)
    ap.add_argument("--glibc-arenas", type=int, default=2,
                    help="MALLOC_ARENA_MAX for the server (0: leave glibc's default)")
    ap.add_argument("--cache-entries", type=int, default=256,
                    help="server LRU size: holds a round's new results (two entries each), so "
                    "planned repeats are hits, and is full after about three rounds")
    ap.add_argument("--repeat", type=float, default=0.75,
                    help="fraction of the compute requests that repeat another request's "
                    "inputs (cache hits); the rest are new work")
    a = ap.parse_args()
    if not 1 <= a.rounds <= 50 or not 1 <= a.concurrency <= 1000:
        ap.error("--rounds 1..50 and --concurrency 1..1000")
    if not 0 <= a.repeat < 1:
        ap.error("--repeat in [0, 1)")
    start = time.monotonic()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if a.glibc_arenas > 0:
        env["MALLOC_ARENA_MAX"] = str(a.glibc_arenas)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(a.cache_entries),
                               str(a.concurrency + 20)], env=env)
    ok = True
    try:
        ps = psutil.Process(server.pid)
        while True:  # bounded wait for the server
            if time.monotonic() - start > 60 or server.poll() is not None:
                print("server did not start within 60 s")
                return 1
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        rss0 = rss_mb(ps)
        warm = asyncio.run(round_(base, 20, 0, 120, a.repeat))  # warm-up (loads data)
        print(f"carecost service load test on {base} (uvicorn, 1 process, MALLOC_ARENA_MAX="
              f"{env.get('MALLOC_ARENA_MAX', 'default')}, cache {a.cache_entries} entries)")
        print(f"mix: 10% /health; of the rest {100 * a.repeat:.0f}% repeat another request's "
              f"inputs (planned cache hits), {100 * (1 - a.repeat):.0f}% new inputs (work)")
        print(f"machine: {platform.processor() or platform.machine()}, "
              f"{psutil.cpu_count()} logical CPUs, Python {platform.python_version()}")
        print(f"RSS at start {rss0:.1f} MB; after warm-up (20 requests, {warm.wall:.2f} s) "
              f"{rss_mb(ps):.1f} MB")
        print(f"{'round':>5} {'requests':>8} {'failed':>6} {'wall s':>7} {'req/s':>7} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'hit %':>6} {'plan %':>6} "
              f"{'RSS MB':>7}")
        all_lat: list[float] = []
        kinds: dict[str, list[float]] = {"hit": [], "miss": [], "health": []}
        rss: list[float] = []
        failed = 0
        total_wall = 0.0
        hits = misses = planned = 0
        for rnd in range(1, a.rounds + 1):
            left = a.deadline - (time.monotonic() - start)
            if left <= 0:
                print("deadline reached")
                ok = False
                break
            rr = asyncio.run(round_(base, a.concurrency, rnd, min(left, 120), a.repeat))
            lat = rr.lat
            all_lat += lat
            for k, v in rr.by_kind.items():
                kinds[k] += v
            failed += len(rr.errors)
            total_wall += rr.wall
            hits, misses, planned = hits + rr.hits, misses + rr.misses, planned + rr.planned
            rss.append(rss_mb(ps))
            q = statistics.quantiles(lat, n=100)
            cached = max(rr.hits + rr.misses, 1)
            print(f"{rnd:>5} {len(lat):>8} {len(rr.errors):>6} {rr.wall:>7.2f} "
                  f"{len(lat) / rr.wall:>7.1f} {1000 * q[49]:>7.0f} {1000 * q[94]:>7.0f} "
                  f"{1000 * max(lat):>7.0f} {100 * rr.hits / cached:>6.1f} "
                  f"{100 * rr.planned / cached:>6.1f} {rss[-1]:>7.1f}")
            for e in rr.errors[:3]:
                print("   ", e)
        if all_lat:
            q = statistics.quantiles(all_lat, n=100)
            cached = max(hits + misses, 1)
            print(f"all: {len(all_lat)} requests, {failed} failed, "
                  f"{len(all_lat) / total_wall:.1f} req/s, p50 {1000 * q[49]:.0f} ms, "
                  f"p95 {1000 * q[94]:.0f} ms, max {1000 * max(all_lat):.0f} ms")
            print(f"cached (X-Cache hit): {len(kinds['hit'])} requests, p50 "
                  f"{pct(kinds['hit'], 50):.0f} ms, p95 {pct(kinds['hit'], 95):.0f} ms; "
                  f"new (miss): {len(kinds['miss'])} requests, p50 {pct(kinds['miss'], 50):.0f} "
                  f"ms, p95 {pct(kinds['miss'], 95):.0f} ms; /health: p50 "
                  f"{pct(kinds['health'], 50):.0f} ms, p99 {pct(kinds['health'], 99):.0f} ms")
            print(f"cache: {hits} hits, {misses} misses of {hits + misses} compute requests: "
                  f"hit rate {100 * hits / cached:.1f}% (planned {100 * planned / cached:.1f}%);"
                  f" {misses} requests did new work")
        # the cache is full after about three rounds; compare medians of three rounds
        ref = rss[3:6] if len(rss) >= 9 else rss[:3]
        ref_first = 4 if len(rss) >= 9 else 1
        growth = statistics.median(rss[-3:]) - statistics.median(ref) if rss else 0.0
        print(f"RSS growth from the median of rounds {ref_first}-{ref_first + len(ref) - 1} "
              f"to the median of the last {min(3, len(rss))} rounds: {growth:+.1f} MB "
              f"(limit {a.max_growth_mb:g} MB)")
        ok = ok and failed == 0 and growth <= a.max_growth_mb
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


if __name__ == "__main__":
    sys.exit(main())
