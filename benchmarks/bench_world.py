"""Benchmark: the all-countries run (issue 16): countries per second and peak memory.

Two runs of the preset ``ilo-2035`` for every country of the country database:

* ``central``: :func:`carecost.investment.simulate_many` (one row per country);
* ``mc``: :func:`carecost.investment.uncertainty.world_monte_carlo` with ``--draws`` draws
  (default 1,000) per country, vectorised across draws.

Each run is made in a fresh process (so the country-database indexes are built inside the
timing, as a user's first call builds them) and reports wall time, countries per second
(countries asked, i.e. simulated + failures, per second), CPU time of the process and its
workers, and peak resident memory of the parent and of the largest worker (``ru_maxrss``).

Usage::

    .venv/bin/python benchmarks/bench_world.py                 # both runs, all cores
    .venv/bin/python benchmarks/bench_world.py --run central --workers 2
    .venv/bin/python benchmarks/bench_world.py --run mc --draws 1000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from typing import Any


def _one(run: str, workers: int, draws: int) -> dict[str, Any]:
    warnings.simplefilter("ignore")
    t_import = time.perf_counter()
    from carecost.investment.uncertainty import WORLD_MC_MEASURES, world_monte_carlo
    from carecost.investment.world import simulate_many

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    if run == "central":
        res = simulate_many("all", "ilo-2035", workers=workers)
        done, failed = len(res.countries), len(res.failures)
    else:
        mc = world_monte_carlo("all", "ilo-2035", draws=draws, workers=workers)
        failed = len(mc.failures)
        done = int((mc.summary["scope"] == "country").sum()) // len(WORLD_MC_MEASURES)
    wall = time.perf_counter() - t0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "run": run, "draws": draws if run == "mc" else 0, "workers": workers,
        "countries_asked": done + failed, "countries_simulated": done,
        "wall_s": round(wall, 3), "import_s": round(t0 - t_import, 3),
        "countries_per_s": round((done + failed) / wall, 2),
        "cpu_s": round(time.process_time() - cpu0 + children.ru_utime + children.ru_stime, 3),
        "peak_rss_parent_mb": round(own.ru_maxrss / 1024, 1),
        "peak_rss_worker_mb": round(children.ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", choices=["central", "mc", "both"], default="both")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.run, args.workers, args.draws)))
        return 0
    runs = ["central", "mc"] if args.run == "both" else [args.run]
    out = []
    for run in runs:
        cmd = [sys.executable, __file__, "--child", "--run", run, "--workers",
               str(args.workers), "--draws", str(args.draws)]
        got = subprocess.run(cmd, check=True, capture_output=True, text=True)
        row = json.loads(got.stdout.strip().splitlines()[-1])
        out.append(row)
        print(f"{row['run']:>7} draws={row['draws']:>5} workers={row['workers']}: "
              f"{row['countries_asked']} countries ({row['countries_simulated']} simulated) in "
              f"{row['wall_s']:.1f} s = {row['countries_per_s']:.1f} countries/s; CPU "
              f"{row['cpu_s']:.1f} s; peak RSS parent {row['peak_rss_parent_mb']:.0f} MB, "
              f"worker {row['peak_rss_worker_mb']:.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
