"""Bounded load test of the carecost HTTP service on loopback.

Starts ``carecost.service`` with uvicorn in a child process on 127.0.0.1 (a free
port), warms it up, then sends ``--rounds`` rounds of ``--concurrency``
simultaneous requests with ``httpx.AsyncClient`` (a mix of health, gap, value,
simulate and HTML brief requests; some inputs repeat, so the cache is
exercised, and some are new, so work is done), all within ``--deadline``
seconds.  Reports throughput, latency percentiles, failed requests (must be 0)
and the server's resident memory after each round (must not keep growing).
The server runs with ``MALLOC_ARENA_MAX=2`` (``--glibc-arenas``): without it,
glibc's per-thread malloc arenas fragment under uvicorn's worker threads and
RSS creeps up by 1-3 MB per round although nothing is kept (in one thread the
same work stays flat); set it for production servers too.

    python benchmarks/bench_service.py                 # 8 rounds x 200 requests
    python benchmarks/bench_service.py --rounds 3 --concurrency 100

Exit code 1 when a request failed, the deadline passed, or memory grew by more
than ``--max-growth-mb`` between the third round (when the server's LRU cache,
``--cache-entries``, is full) and the last round.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
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
from carecost.service import UVICORN_OPTIONS, ServiceSettings, create_app
app = create_app(ServiceSettings(cache_entries=int(sys.argv[2])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            **UVICORN_OPTIONS)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request_mix(i: int, rnd: int) -> tuple[str, str, dict[str, Any] | None]:
    """The i-th request of round ``rnd``: (method, path, json body)."""
    k = i % 10
    if k in (0, 1):
        return "GET", "/health", None
    if k in (2, 3):
        return "POST", "/v1/gap", {"by": [["age_group"], ["urban"], ["region"]][i % 3]}
    if k == 4:
        return "POST", "/v1/value", {"draws": 1000}
    if k in (5, 6):
        # new seeds in every round: real Monte Carlo work, then cached within the round
        return "POST", "/v1/simulate", {"draws": 1000, "seed": 100 * rnd + i % 5}
    if k == 7:
        return "POST", "/v1/briefs/gap?format=html", {"by": ["urban"]}
    if k == 8:
        return "GET", "/v1/briefs/investment?format=html", None
    return "POST", "/v1/briefs/value?format=json", {"draws": 1000, "seed": i % 3}


async def one(client: httpx.AsyncClient, method: str, path: str,
              body: dict[str, Any] | None) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    try:
        r = await client.request(method, path, json=body)
        status, err = r.status_code, "" if r.status_code == 200 else r.text[:200]
    except httpx.HTTPError as exc:
        status, err = 0, f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - t0, status, err


async def round_(base: str, n: int, rnd: int, timeout: float) -> tuple[list[float], list[str],
                                                                        float]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        t0 = time.perf_counter()
        res = await asyncio.gather(*(one(client, *request_mix(i, rnd)) for i in range(n)))
        wall = time.perf_counter() - t0
    lat = [r[0] for r in res]
    errors = [f"{r[1]} {r[2]}" for r in res if r[1] != 200]
    return lat, errors, wall


def rss_mb(proc: psutil.Process) -> float:
    return float(proc.memory_info().rss) / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for everything")
    ap.add_argument("--max-growth-mb", type=float, default=10.0)
    ap.add_argument("--glibc-arenas", type=int, default=2,
                    help="MALLOC_ARENA_MAX for the server (0: leave glibc's default)")
    ap.add_argument("--cache-entries", type=int, default=32,
                    help="server LRU size; small, so that it is full after a few rounds")
    a = ap.parse_args()
    if not 1 <= a.rounds <= 50 or not 1 <= a.concurrency <= 1000:
        ap.error("--rounds 1..50 and --concurrency 1..1000")
    start = time.monotonic()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if a.glibc_arenas > 0:
        env["MALLOC_ARENA_MAX"] = str(a.glibc_arenas)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(a.cache_entries)],
                              env=env)
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
        lat, errors, wall = asyncio.run(round_(base, 20, 0, 120))  # warm-up (loads data)
        print(f"carecost service load test on {base} (uvicorn, 1 process, MALLOC_ARENA_MAX="
              f"{env.get('MALLOC_ARENA_MAX', 'default')}, cache {a.cache_entries} entries)")
        print(f"machine: {platform.processor() or platform.machine()}, "
              f"{psutil.cpu_count()} logical CPUs, Python {platform.python_version()}")
        print(f"RSS at start {rss0:.1f} MB; after warm-up (20 requests, {wall:.2f} s) "
              f"{rss_mb(ps):.1f} MB")
        print(f"{'round':>5} {'requests':>8} {'failed':>6} {'wall s':>7} {'req/s':>7} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'RSS MB':>7}")
        all_lat: list[float] = []
        rss: list[float] = []
        failed = 0
        total_wall = 0.0
        for rnd in range(1, a.rounds + 1):
            left = a.deadline - (time.monotonic() - start)
            if left <= 0:
                print("deadline reached")
                ok = False
                break
            lat, errors, wall = asyncio.run(round_(base, a.concurrency, rnd, min(left, 120)))
            all_lat += lat
            failed += len(errors)
            total_wall += wall
            rss.append(rss_mb(ps))
            q = statistics.quantiles(lat, n=100)
            print(f"{rnd:>5} {len(lat):>8} {len(errors):>6} {wall:>7.2f} "
                  f"{len(lat) / wall:>7.1f} {1000 * q[49]:>7.0f} {1000 * q[94]:>7.0f} "
                  f"{1000 * max(lat):>7.0f} {rss[-1]:>7.1f}")
            for e in errors[:3]:
                print("   ", e)
        if all_lat:
            q = statistics.quantiles(all_lat, n=100)
            print(f"all: {len(all_lat)} requests, {failed} failed, "
                  f"{len(all_lat) / total_wall:.1f} req/s, p50 {1000 * q[49]:.0f} ms, "
                  f"p95 {1000 * q[94]:.0f} ms, max {1000 * max(all_lat):.0f} ms")
        first = min(3, len(rss)) - 1  # the cache is full after about three rounds
        growth = rss[-1] - rss[first] if rss else 0.0
        print(f"RSS growth from round {first + 1} to round {len(rss)}: {growth:+.1f} MB "
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
