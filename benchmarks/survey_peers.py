"""Python-peer contestants (svy, samplics) for ``bench_survey.py``.

Run with the interpreter of ``.venv-bench`` (it has svy and samplics, which
carecost's own venv does not)::

    .venv-bench/bin/python benchmarks/survey_peers.py DATA.parquet OUTDIR MAX_REPEATS R [PEER ...]

Reads the Parquet file (not timed), then for each peer times the design set-up
and the domain-mean estimate separately and writes ``OUTDIR/<peer>_result.csv``
(sex, year, agegrp, estimate, se) and ``OUTDIR/<peer>_timing.json``.  A peer
that fails writes its error to the JSON instead, and the next one runs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

KEYS = ["sex", "year", "agegrp"]
SLOW = 20.0  # seconds: a first estimate slower than this is not repeated


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def run_svy(path: Path, outdir: Path, max_repeats: int, n_reps: int) -> dict[str, Any]:
    import polars as pl
    import svy

    data = pl.read_parquet(path)
    # svy 0.35 has a native SDR replicate-weight type (scale 4/R);
    # variance_center="estimate" centres on the full-sample estimate (mse=TRUE).
    design = svy.Design(wgt="w", rep_wgts=svy.SdrWgts(prefix="rw", n_reps=n_reps, padding=3))

    def estimate(sample: Any) -> Any:
        return sample.estimation.mean(
            "y", by=KEYS, method="replication", variance_center="estimate"
        )

    setup, cold, warm = [], [], []
    res = None
    for i in range(max_repeats):
        # a fresh Sample each time, so no cache survives from the previous call
        t, sample = _time(lambda: svy.Sample(data, design))
        setup.append(t)
        t, res = _time(lambda s=sample: estimate(s))
        cold.append(t)
        t, _ = _time(lambda s=sample: estimate(s))
        warm.append(t)
        if i == 0 and cold[0] > SLOW:
            break
    assert res is not None
    tab = res.to_polars().select([*KEYS, pl.col("est").alias("estimate"), "se"])
    tab.write_csv(outdir / "svy_result.csv", float_precision=17)
    return {
        "version": svy.__version__,
        "setup": setup,
        "estimate": cold,
        "estimate_warm": warm,
        "method": "svy.SdrWgts (successive difference, scale 4/R), variance_center='estimate'",
    }


def run_samplics(path: Path, outdir: Path, max_repeats: int, n_reps: int) -> dict[str, Any]:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "samplics is archived"
        from samplics import PopParam, ReplicateEstimator, RepMethod

    data = pd.read_parquet(path)
    rep_cols = [f"rw{j:03d}" for j in range(1, n_reps + 1)]

    def setup_fn() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            data["y"].to_numpy(dtype=float),
            data["w"].to_numpy(dtype=float),
            data[rep_cols].to_numpy(dtype=float),
            data[KEYS].to_numpy(dtype=np.int64),
        )

    def estimate(y: np.ndarray, w: np.ndarray, repw: np.ndarray, keys: np.ndarray) -> Any:
        # samplics 0.6 offers bootstrap, BRR and jackknife only: SDR is run as
        # BRR with per-replicate coefficients 4/R, and conservative=True
        # centres the replicates on the full-sample estimate (mse=TRUE).
        domain = keys[:, 0] * 1_000_000 + keys[:, 1] * 10 + keys[:, 2]
        est = ReplicateEstimator(RepMethod.brr, PopParam.mean)
        return est.estimate(
            y=y,
            samp_weight=w,
            rep_weights=repw,
            rep_coefs=np.full(n_reps, 4.0 / n_reps),
            domain=domain,
            conservative=True,
        )

    setup, times = [], []
    est = None
    for i in range(min(3, max_repeats)):  # seconds per run: 3 runs at most
        t, arrays = _time(setup_fn)
        setup.append(t)
        t, est = _time(lambda a=arrays: estimate(*a))
        times.append(t)
        if i == 0 and t > SLOW:
            break
    assert est is not None
    rows = []
    for d in sorted(est.point_est):
        code = int(d)
        rows.append(
            {
                "sex": code // 1_000_000,
                "year": (code % 1_000_000) // 10,
                "agegrp": code % 10,
                "estimate": est.point_est[d],
                "se": est.stderror[d],
            }
        )
    pd.DataFrame(rows).to_csv(outdir / "samplics_result.csv", index=False, float_format="%.17g")
    return {
        "version": _dist("samplics"),
        "setup": setup,
        "estimate": times,
        "method": "ReplicateEstimator(RepMethod.brr) with rep_coefs=4/R, conservative=True "
        "(no SDR type in samplics 0.6)",
    }


def _dist(name: str) -> str:
    from importlib.metadata import version

    return version(name)


PEERS = {"svy": run_svy, "samplics": run_samplics}


def main(argv: list[str]) -> int:
    path, outdir, max_repeats, n_reps = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    names = argv[4:] or list(PEERS)
    for name in names:
        info: dict[str, Any]
        try:
            info = PEERS[name](path, outdir, max_repeats, n_reps)
            info["median_setup"] = statistics.median(info["setup"])
            info["median_estimate"] = statistics.median(info["estimate"])
        except Exception as err:  # a peer that cannot do it is reported, not fatal
            info = {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
            try:
                info["version"] = _dist(name)
            except Exception:
                info["version"] = "not installed"
        (outdir / f"{name}_timing.json").write_text(json.dumps(info, indent=1))
        print(f"{name}: done", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
