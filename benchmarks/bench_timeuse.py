"""Benchmark: the pooled 2003-2016 ATUS unpaid-care gap table (sex x year x age group).

A script, not a test.  It prints timings (median of repeated runs) for:

1. reading the real abridged ATUS files in ../shared/data/atus_0316 (181,335
   diaries, 2.1 million person x activity rows) and classifying them;
2. ``gender_gap(design, "unpaid_care_work", by=["year", "age_group"])`` on the
   weights-only design of those data (14 years x 6 age groups = 84 domains,
   5 statistics each);
3. the same table with 160 successive-difference replicate weights attached
   (synthetic SDR factors at the real data's size, so that the replicate path
   is timed at ATUS scale);
4. a naive pandas version of (3) that loops over the 161 weight columns.

Usage: ``python benchmarks/bench_timeuse.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carecost.survey import ReplicateDesign
from carecost.timeuse import gender_gap, read_atus
from carecost.timeuse.example import sdr_factors

ROOT = Path(__file__).resolve().parents[1]
ATUS = Path(os.environ.get("CARECOST_SHARED_DATA", ROOT.parent / "shared" / "data")) / "atus_0316"


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def naive_gap(df: pd.DataFrame, wcols: list[str]) -> pd.DataFrame:
    """Means by sex x year x age group for every weight column, then SDR variance of the gap."""
    keys = ["year", "age_group", "sex"]
    ests = {}
    for c in wcols:
        g = df.assign(wy=df[c] * df["unpaid_care_work"]).groupby(keys)[["wy", c]].sum()
        m = (g["wy"] / g[c]).unstack("sex")
        ests[c] = m["female"] - m["male"]
    full = ests[wcols[0]]
    reps = pd.concat([ests[c] for c in wcols[1:]], axis=1)
    se = np.sqrt(4 / len(wcols[1:]) * ((reps.sub(full, axis=0)) ** 2).sum(axis=1))
    return pd.DataFrame({"gap": full, "se": se})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if not (ATUS / "atusact.parquet").exists():
        raise SystemExit(f"real ATUS data not found at {ATUS}; set CARECOST_SHARED_DATA")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; numpy {np.__version__}, pandas {pd.__version__}")
    t_read, survey = timed(lambda: read_atus(ATUS), 1)
    p = survey.persons
    print(f"read_atus (abridged, {len(p):,} diaries): {t_read:.2f} s (one run)")
    t_w, gap_w = timed(lambda: gender_gap(survey.design, "unpaid_care_work",
                                          by=["year", "age_group"]), args.repeats)
    print(f"gender_gap, weights-only design, {len(gap_w)} rows: {t_w * 1000:.1f} ms")
    f = sdr_factors(len(p))
    rng = np.random.default_rng(1)
    f = f[rng.permutation(len(p))]
    rep = pd.DataFrame(p["wt"].to_numpy()[:, None] * f,
                       columns=[f"rw{r:03d}" for r in range(1, 161)])
    df = pd.concat([p[["year", "age_group", "sex", "unpaid_care_work", "wt"]], rep], axis=1)
    t_setup, d = timed(lambda: ReplicateDesign(df, "wt", list(rep.columns), method="sdr"), 1)
    d.degf()
    t_r, gap_r = timed(lambda: gender_gap(d, "unpaid_care_work", by=["year", "age_group"]),
                       args.repeats)
    t_n, naive = timed(lambda: naive_gap(df, ["wt", *rep.columns]), max(1, args.repeats // 2))
    got = gap_r[gap_r["statistic"] == "gap"].set_index(["year", "age_group"])
    diff_est = np.max(np.abs(got["estimate"] - naive["gap"].reindex(got.index)))
    diff_se = np.max(np.abs(got["se"] - naive["se"].reindex(got.index)) / naive["se"])
    print(f"160-replicate SDR design: set-up {t_setup:.2f} s; gender_gap {t_r * 1000:.1f} ms; "
          f"naive pandas loop {t_n * 1000:.0f} ms ({t_n / t_r:.1f}x slower)")
    print(f"agreement with the naive loop: max |gap diff| {diff_est:.2e} min, max rel SE diff "
          f"{diff_se:.2e}")


if __name__ == "__main__":
    main()
