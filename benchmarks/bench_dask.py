"""Out-of-core benchmark: the by-sex unpaid-care gap from 100 million diary episodes with Dask.

A script, not a test.  Steps, each in its own process so that its peak RSS is its own:

1. ``generate``: a synthetic episode table (default 100,000,000 rows, 50 episodes per
   person, so 2,000,000 persons, each diary summing to 1,440 minutes) and a person table
   with a weight and 160 successive-difference replicate weights, written person block by
   person block into partitioned Parquet (never held in memory at once).
2. ``aggregate``: ``carecost.timeuse.distributed.from_episodes_dask(..., aligned=True)``
   classifies the episodes (ATUS lexicon -> BLS Table 1 rows and ICATUS 2016) partition by
   partition and writes the person-level minutes with the weights to Parquet.
3. ``estimate``: ``gender_gap(DaskReplicateDesign(...), "unpaid_care_work")`` on that person
   table: women's and men's means, gap, ratio and women's share with SDR standard errors.
4. ``inmemory``: the same pipeline with pandas (``from_episodes`` + ``ReplicateDesign``) on
   the largest size that fits comfortably (default 10,000,000 episodes), for throughput.

Prints time, peak RSS and throughput (episodes per second) of each step.

Usage::

    python benchmarks/bench_dask.py [--episodes 100000000] [--inmemory 10000000]
                                    [--dir /tmp/carecost-bench] [--partitions 100]

Point a ``dask.distributed`` cluster at it by setting ``DASK_SCHEDULER_ADDRESS``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

CODES = np.array(["010101", "010201", "110101", "020101", "020201", "020501", "070101",
                  "030101", "030401", "040101", "050101", "060101", "120303", "120101",
                  "130101", "160101", "180101", "180280", "180501"])
PROBS = np.array([0.20, 0.04, 0.06, 0.05, 0.05, 0.02, 0.04, 0.04, 0.01, 0.02, 0.12, 0.02,
                  0.14, 0.06, 0.03, 0.02, 0.03, 0.03, 0.02])
N_REP = 160


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _block(rng: np.random.Generator, first_id: int, n_persons: int, per: int
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = np.arange(first_id, first_id + n_persons, dtype=np.int64)
    sex = np.where(rng.random(n_persons) < 0.5, "female", "male")
    w = rng.uniform(500.0, 5000.0, n_persons)
    f = 1.0 + 2**-1.5 * rng.choice([-1.0, 1.0], (n_persons, N_REP)) \
        - 2**-1.5 * rng.choice([-1.0, 1.0], (n_persons, N_REP))
    persons = pd.DataFrame(w[:, None] * f, columns=[f"repw{r:03d}" for r in range(1, N_REP + 1)])
    persons.insert(0, "weight", w)
    persons.insert(0, "sex", sex)
    persons.insert(0, "id", ids)
    # durations: per-1 sorted cut points of the 1,440-minute day
    cuts = np.sort(rng.integers(0, 1441, (n_persons, per - 1)), axis=1)
    edges = np.concatenate([np.zeros((n_persons, 1), np.int64), cuts,
                            np.full((n_persons, 1), 1440)], axis=1)
    dur = np.diff(edges, axis=1).ravel().astype(np.int32)
    code = rng.choice(len(CODES), size=n_persons * per, p=PROBS / PROBS.sum())
    # women do more household and caring episodes: swap some leisure codes
    fem = np.repeat(sex == "female", per)
    swap = fem & (code == 12) & (rng.random(len(code)) < 0.35)
    code[swap] = 3
    episodes = pd.DataFrame({"id": np.repeat(ids, per), "code": CODES[code], "duration": dur})
    return persons, episodes


def generate(out: Path, n_episodes: int, per: int, partitions: int, seed: int) -> dict:
    t = time.perf_counter()
    n_persons = n_episodes // per
    (out / "persons").mkdir(parents=True, exist_ok=True)
    (out / "episodes").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    bounds = np.linspace(0, n_persons, partitions + 1).astype(np.int64)
    for i in range(partitions):
        p, e = _block(rng, int(bounds[i]) + 1, int(bounds[i + 1] - bounds[i]), per)
        p.to_parquet(out / "persons" / f"part-{i:05d}.parquet", index=False)
        e.to_parquet(out / "episodes" / f"part-{i:05d}.parquet", index=False)
    return {"step": "generate", "seconds": time.perf_counter() - t, "peak_rss_mb": peak_rss_mb(),
            "episodes": n_persons * per, "persons": int(n_persons)}


def _client() -> object | None:
    addr = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if addr:
        from distributed import Client

        return Client(addr)
    return None


def aggregate(out: Path) -> dict:
    import dask.dataframe as dd

    from carecost.timeuse.distributed import from_episodes_dask

    _client()
    t = time.perf_counter()
    ep = dd.read_parquet(out / "episodes")
    per = dd.read_parquet(out / "persons")
    # one pass: the checks and the person-level table written to Parquet share the partitions
    survey = from_episodes_dask(ep, per, weights="weight", replicates=r"^repw\d{3}$",
                                aligned=True, write_to=out / "person_minutes")
    rep = survey.report
    return {"step": "aggregate", "seconds": time.perf_counter() - t,
            "peak_rss_mb": peak_rss_mb(), "persons": rep.persons, "complete": rep.complete}


def estimate(out: Path) -> dict:
    import dask.dataframe as dd

    from carecost.survey.dask_backend import DaskReplicateDesign
    from carecost.timeuse import gender_gap

    _client()
    t = time.perf_counter()
    cols = ["sex", "unpaid_care_work", "weight", *[f"repw{r:03d}" for r in range(1, N_REP + 1)]]
    d = DaskReplicateDesign(dd.read_parquet(out / "person_minutes", columns=cols), "weight",
                            r"^repw\d{3}$", method="sdr", df=N_REP - 1)
    gap = gender_gap(d, "unpaid_care_work")
    return {"step": "estimate", "seconds": time.perf_counter() - t,
            "peak_rss_mb": peak_rss_mb(),
            "gap": gap[["statistic", "estimate", "se"]].to_dict("records")}


def inmemory(n_episodes: int, per: int, seed: int) -> dict:
    from carecost.timeuse import from_episodes, gender_gap

    persons, episodes = _block(np.random.default_rng(seed), 1, n_episodes // per, per)
    t = time.perf_counter()
    survey = from_episodes(episodes, persons, weights="weight", replicates=r"^repw\d{3}$",
                           diary_policy="keep")
    t_agg = time.perf_counter() - t
    gap = gender_gap(survey.design, "unpaid_care_work")
    return {"step": "inmemory", "seconds": time.perf_counter() - t, "aggregate_seconds": t_agg,
            "peak_rss_mb": peak_rss_mb(), "episodes": len(episodes),
            "gap": gap[["statistic", "estimate", "se"]].to_dict("records")}


def profile(out: Path) -> dict:
    """Where the aggregate's time goes: each stage of one partition, timed on its own."""
    from carecost.timeuse.classification import bls_table1_crosswalk
    from carecost.timeuse.distributed import (
        _classify_episodes,
        _classify_partition,
        _merge_partition,
        _unmapped_partition,
    )

    cw = bls_table1_crosswalk()
    f = "part-00000.parquet"
    stages: dict[str, float] = {}

    def clock(name: str, fn: object) -> object:
        t = time.perf_counter()
        res = fn()  # type: ignore[operator]
        stages[name] = time.perf_counter() - t
        return res

    ep = clock("read episodes", lambda: pd.read_parquet(out / "episodes" / f))
    pe = clock("read persons (163 columns)", lambda: pd.read_parquet(out / "persons" / f))
    m = clock("classify (by distinct code)",
              lambda: _classify_partition(ep, "id", "code", "duration", cw, True))
    clock("classify (episode by episode, before)",
          lambda: _classify_episodes(ep, "id", "code", "duration", cw, True))
    clock("unmapped codes", lambda: _unmapped_partition(ep, "code", "duration", cw))
    merged = clock("merge with persons", lambda: _merge_partition(pe, m, "id"))
    clock("write merged partition", lambda: merged.to_parquet(out / "profile-part.parquet",
                                                              index=False))
    (out / "profile-part.parquet").unlink(missing_ok=True)
    return {"step": "profile", "episodes": len(ep), "stages": stages}


def _run(args: list[str]) -> dict:
    res = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--episodes", type=int, default=100_000_000)
    ap.add_argument("--per-person", type=int, default=50)
    ap.add_argument("--partitions", type=int, default=100)
    ap.add_argument("--inmemory", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/carecost-bench"))
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--step", choices=["generate", "aggregate", "estimate", "inmemory", "profile"])
    ap.add_argument("--skip-generate", action="store_true",
                    help="reuse the episodes and persons already under --dir")
    a = ap.parse_args()
    if a.step == "generate":
        print(json.dumps(generate(a.dir, a.episodes, a.per_person, a.partitions, a.seed)))
        return
    if a.step == "aggregate":
        print(json.dumps(aggregate(a.dir)))
        return
    if a.step == "estimate":
        print(json.dumps(estimate(a.dir)))
        return
    if a.step == "inmemory":
        print(json.dumps(inmemory(a.inmemory, a.per_person, a.seed)))
        return
    if a.step == "profile":
        print(json.dumps(profile(a.dir)))
        return
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem_gb:.1f} GiB; episodes {a.episodes:,}, "
          f"{a.per_person} per person, {a.partitions} partitions, 160 SDR replicates")
    common = ["--dir", str(a.dir), "--episodes", str(a.episodes), "--per-person",
              str(a.per_person), "--partitions", str(a.partitions), "--seed", str(a.seed)]
    if a.skip_generate:
        n_files = len(list((a.dir / "episodes").glob("*.parquet")))
        results = [{"step": "generate", "seconds": float("nan"), "peak_rss_mb": float("nan"),
                    "episodes": a.episodes, "reused": n_files}]
    else:
        results = [_run([*common, "--step", "generate"])]
    shutil.rmtree(a.dir / "person_minutes", ignore_errors=True)
    results += [_run([*common, "--step", s]) for s in ("aggregate", "estimate")]
    results.append(_run([*common, "--inmemory", str(a.inmemory), "--step", "inmemory"]))
    prof = _run([*common, "--step", "profile"])
    n = results[0]["episodes"]
    print(f"{'step':<10} {'seconds':>9} {'peak RSS MB':>12} {'episodes/s':>12}")
    for r in results:
        rows = r.get("episodes", n)
        rate = rows / r["seconds"] if r["step"] in ("aggregate", "inmemory") else float("nan")
        print(f"{r['step']:<10} {r['seconds']:>9.1f} {r['peak_rss_mb']:>12.0f} {rate:>12,.0f}")
    mem = results[3]
    agg_rate = n / results[1]["seconds"]
    mem_agg_rate = mem["episodes"] / mem["aggregate_seconds"]
    print(f"aggregate only: Dask {agg_rate:,.0f} episodes/s at {n:,}; pandas from_episodes "
          f"{mem_agg_rate:,.0f} episodes/s at {mem['episodes']:,} "
          f"(ratio {agg_rate / mem_agg_rate:.2f}; target >= 1)")
    dask_rate = n / (results[1]["seconds"] + results[2]["seconds"])
    mem_rate = mem["episodes"] / mem["seconds"]
    print(f"end-to-end throughput (aggregate + estimate): Dask {dask_rate:,.0f} episodes/s at "
          f"{n:,}; pandas in memory {mem_rate:,.0f} episodes/s at {mem['episodes']:,} "
          f"(ratio {dask_rate / mem_rate:.2f})")
    print(f"where the aggregate's time goes (one partition, {prof['episodes']:,} episodes, "
          "each stage on its own):")
    for stage, sec in prof["stages"].items():
        print(f"  {stage:<40} {sec:8.2f} s")
    print("gap table (Dask):")
    print(pd.DataFrame(results[2]["gap"]).to_string(index=False))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
