"""Benchmark: vectorised Monte Carlo of a care-investment scenario against a loop over draws.

A script, not a test.  It prints timings (median of repeated runs) for the example scenario
(4 services, 11 years, Type II induced effects) with 11 uncertain parameters (the investment
brief's default ranges):

1. ``monte_carlo`` with N draws, all evaluated in one vectorised pass;
2. the same draws evaluated one at a time with ``simulate`` on a modified scenario (what a
   spreadsheet-style tool or a naive loop does), for a smaller number of draws, scaled to N,
   and with the numeric kernel alone called once per draw (no result tables): the fair
   measure of what vectorising over draws gains;
3. the same for the 71-sector U.S. BEA 2018 model when ``../shared/data/io_bea`` is present.

It also checks that the loop and the vectorised pass agree (same draws, same medians).

Usage: ``python benchmarks/bench_investment.py [--draws N] [--loop-draws M] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import numpy as np

from carecost.briefs.investment import default_ranges
from carecost.investment import IOModel, example_scenario, monte_carlo, simulate
from carecost.investment.model import _evaluate, example_io_model

ROOT = Path(__file__).resolve().parents[1]
BEA = Path(os.environ.get("CARECOST_SHARED_DATA", ROOT.parent / "shared" / "data")) / "io_bea"


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def loop(scn, ranges, draws, model) -> np.ndarray:
    """Net funding in the target year, one ``simulate`` per draw."""
    n = len(draws)
    out = np.empty(n)
    for i in range(n):
        s = scn
        for r in ranges:
            parts = r.path.split(".")
            v = float(draws[r.path].iloc[i])
            if parts[0] == "services":
                s = dataclasses.replace(s, services=tuple(
                    dataclasses.replace(x, **{parts[2]: v}) if x.name == parts[1] else x
                    for x in s.services))
            else:
                sec = getattr(s, parts[0])
                s = dataclasses.replace(s, **{parts[0]: dataclasses.replace(sec, **{parts[1]: v})})
        res = simulate(s, model).summary
        out[i] = float(res.loc[res["year"] == s.target_year, "net_funding"].iloc[0])
    return out


def loop_core(scn, draws, model) -> np.ndarray:
    """Net funding in the target year, the numeric kernel called once per draw (no tables)."""
    i_t = int(np.where(scn.years == scn.target_year)[0][0])
    out = np.empty(len(draws))
    for i in range(len(draws)):
        ov = {k: np.array([[float(draws[k].iloc[i])]]) for k in draws.columns}
        out[i] = float(np.asarray(_evaluate(scn, model, ov).summary.net_funding)[0, i_t])
    return out


def run(label: str, scn, model, n: int, m: int, repeats: int) -> None:
    ranges = default_ranges(scn)
    t_vec, mc = timed(lambda: monte_carlo(scn, ranges, draws=n, seed=1, model=model,
                                          measures=["net_funding"]), repeats)
    # the loop evaluates the draws of a vectorised pass with m draws: same values expected
    mc_m = monte_carlo(scn, ranges, draws=m, seed=1, model=model, measures=["net_funding"])
    draws = mc_m.attrs["draws"]
    t_loop, vals = timed(lambda: loop(scn, ranges, draws, model), 1)
    t_core, vals_core = timed(lambda: loop_core(scn, draws, model), repeats)
    assert np.allclose(vals_core, vals, rtol=1e-9)
    med = float(mc_m[(mc_m["measure"] == "net_funding")
                     & (mc_m["year"] == scn.target_year)]["median"].iloc[0])
    assert np.isclose(np.median(vals), med, rtol=1e-9), (np.median(vals), med)
    per_draw_loop = t_loop / m
    print(f"{label}: {len(ranges)} parameters, {len(scn.years)} years, {model.n} sectors")
    print(f"  monte_carlo, {n:,} draws (vectorised): {t_vec:8.3f} s  "
          f"({1e6 * t_vec / n:,.1f} us per draw)")
    print(f"  loop of simulate(), {m:,} draws:       {t_loop:8.3f} s  "
          f"({1e3 * per_draw_loop:,.2f} ms per draw; {n:,} draws would take "
          f"{per_draw_loop * n:,.1f} s)")
    print(f"  loop of the numeric kernel, {m:,} draws: {t_core:8.3f} s  "
          f"({1e3 * t_core / m:,.2f} ms per draw; {n:,} draws would take "
          f"{t_core / m * n:,.1f} s)")
    print(f"  vectorised vs loop of simulate(): {per_draw_loop * n / t_vec:,.0f}x; vs loop of "
          f"the kernel: {t_core / m * n / t_vec:,.0f}x; medians agree ({np.median(vals):,.6g})")
    assert len(mc) > 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop-draws", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    scn = example_scenario()
    run("example country (synthetic I-O table)", scn, example_io_model(), a.draws,
        a.loop_draws, a.repeats)
    if (BEA / "bea_summary_use_pro_afterredef_2018.parquet").exists():
        us = IOModel.from_bea(BEA, 2018)
        sector = {"childcare_0_2": "624", "preschool_3_5": "624"}
        scn_us = dataclasses.replace(scn, services=tuple(
            dataclasses.replace(s, sector=sector.get(s.name, "623")) for s in scn.services),
            comparison_sector="23")
        run("same scenario on the BEA 2018 table (71 industries)", scn_us, us, a.draws,
            a.loop_draws, a.repeats)
    else:
        print(f"BEA data not found at {BEA}: skipped the 71-industry run")


if __name__ == "__main__":
    main()
