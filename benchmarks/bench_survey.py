"""Benchmark of carecost's replicate-weight survey core at ATUS scale.

Data the size of the pooled 2003-2016 American Time Use Survey: 181,335
persons, a full-sample weight ``w`` and 160 successive-difference (SDR)
replicate weights (combined: ``w`` times a positive factor), one analysis
variable ``y`` (minutes of unpaid care, ~30% zeros).  Estimate: the weighted
mean of ``y`` by sex x year x age group (2 x 14 x 5 = 140 domains) with the
SDR variance (scale 4/160, centred on the full-sample estimate).

Contestants: carecost ``ReplicateDesign``; the naive pandas loop over the 161
weight columns; a bare-numpy lower bound (dense ``W.T @ Z``); R ``survey``
(``svrepdesign`` + ``svyby``, timed inside R); the Python peers ``svy`` and
``samplics`` (run in ``.venv-bench``, created on first use).  Every
contestant's estimates and SEs are checked against carecost's.

    python benchmarks/bench_survey.py            # full size, ~5 minutes
    python benchmarks/bench_survey.py --quick    # 20,000 rows
    python benchmarks/bench_survey.py --no-peers # carecost, pandas, numpy, R only

This is a script, not a test: it prints a table and exits 0 (1 if a
contestant's numbers disagree with carecost's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy

import carecost
from carecost.survey import ReplicateDesign

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH_VENV = REPO / ".venv-bench"
PEER_PACKAGES = ["svy", "samplics", "pyarrow", "threadpoolctl"]

N_FULL = 181_335
N_QUICK = 20_000
N_REPS = 160
YEARS = np.arange(2003, 2017)  # 14 years
N_AGE = 5
KEYS = ["sex", "year", "agegrp"]
SEED = 20261124
TOL = 1e-8
SLOW = 20.0  # seconds: a contestant slower than this on its first run is run once


# ----------------------------------------------------------------------------- data
def make_data(n: int, seed: int = SEED) -> pd.DataFrame:
    """Synthetic ATUS-like file: keys, y, w and rw001..rw160 (combined SDR weights)."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n)
    year = rng.choice(YEARS, n)
    agegrp = rng.integers(1, N_AGE + 1, n)
    care = rng.gamma(shape=1.2, scale=60.0 + 15.0 * (sex == 2) + 10.0 * (agegrp == 2), size=n)
    y = np.where(rng.random(n) < 0.30, 0.0, np.round(care))  # minutes, ~30% zeros
    w = np.exp(rng.normal(np.log(7.0e6), 0.6, n))  # ATUS-like final weights
    cols: dict[str, np.ndarray] = {"sex": sex, "year": year, "agegrp": agegrp, "y": y, "w": w}
    # SDR replicate factors 1 + (a - b) / 2^{3/2} with a, b = +-1: 1 - 1/sqrt2, 1, 1 + 1/sqrt2
    c = 2.0**-1.5
    for r in range(1, N_REPS + 1):
        a = rng.integers(0, 2, n, dtype=np.int8) * 2 - 1
        b = rng.integers(0, 2, n, dtype=np.int8) * 2 - 1
        cols[f"rw{r:03d}"] = w * (1.0 + c * (a - b))
    return pd.DataFrame(cols)


def rep_names() -> list[str]:
    return [f"rw{r:03d}" for r in range(1, N_REPS + 1)]


# ----------------------------------------------------------------------------- timing
def timed(fn: Callable[[], Any], repeats: int, slow: float = SLOW) -> tuple[list[float], Any]:
    """Run ``fn`` ``repeats`` times (once if the first run takes longer than ``slow``)."""
    times: list[float] = []
    out = None
    for i in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if i == 0 and times[0] > slow:
            break
    return times, out


def result_frame(keys: pd.DataFrame, est: np.ndarray, se: np.ndarray) -> pd.DataFrame:
    out = keys.reset_index(drop=True).copy()
    out["estimate"] = est
    out["se"] = se
    return out


# ----------------------------------------------------------------------------- contestants
def run_carecost(df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    reps = rep_names()

    def build() -> ReplicateDesign:
        return ReplicateDesign(df, weights="w", replicates=reps, method="sdr", mse=True)

    t_design, _ = timed(build, repeats)
    # what a notebook user waits for: a fresh design and its first estimate (degf included)
    t_first, res = timed(lambda: build().mean("y", by=KEYS), repeats)
    d = build()
    t0 = time.perf_counter()
    degf = d.degf()  # cached from here on: mean() reuses it
    t_degf = time.perf_counter() - t0
    t_est, _ = timed(lambda: d.mean("y", by=KEYS), repeats)
    return {
        "design": t_design,
        "first": t_first,
        "degf": [t_degf],
        "degf_value": degf,
        "estimate": t_est,
        "result": res[[*KEYS, "estimate", "se"]].reset_index(drop=True),
    }


SVY_FIRST = "svy.Sample(...) + first estimate"


def run_versus_svy(df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    """carecost and svy timed in turns in this process (same load for both), if svy imports.

    Each round: carecost builds a fresh design and estimates the mean of ``y`` (the first
    estimate, degf included); svy builds a fresh ``Sample`` and does the same; then each
    estimates a variable it has not seen (``y`` times a round-specific factor) on the design
    it already has.  Ratios are svy time / carecost time, per round; their median and range
    are reported.  Converting the data to Polars is not timed.
    """
    try:
        import polars as pl
        import svy
    except ImportError as err:
        return {"skip": f"svy is not importable here ({err}); pip install svy"}
    reps = rep_names()
    extra = {f"v{i}": df["y"].to_numpy() * (1.0 + 0.1 * i) for i in range(repeats)}
    frame = df.assign(**extra)
    data = pl.from_pandas(frame)
    design = svy.Design(wgt="w", rep_wgts=svy.SdrWgts(prefix="rw", n_reps=N_REPS, padding=3))

    def svy_mean(sample: Any, var: str) -> Any:
        return sample.estimation.mean(var, by=KEYS, method="replication",
                                      variance_center="estimate")

    out: dict[str, list[float]] = {"cc_first": [], "svy_first": [], "cc_later": [],
                                   "svy_later": []}
    cc_res = sv_res = None
    for i in range(repeats):
        t0 = time.perf_counter()
        d = ReplicateDesign(frame, weights="w", replicates=reps, method="sdr", mse=True)
        cc_res = d.mean("y", by=KEYS)
        out["cc_first"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sample = svy.Sample(data, design)
        sv_res = svy_mean(sample, "y")
        out["svy_first"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        d.mean(f"v{i}", by=KEYS)
        out["cc_later"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        svy_mean(sample, f"v{i}")
        out["svy_later"].append(time.perf_counter() - t0)
    assert cc_res is not None and sv_res is not None
    tab = sv_res.to_polars().select([*KEYS, pl.col("est").alias("estimate"), "se"]).to_pandas()
    de, ds, missing = max_rel_diff(cc_res[[*KEYS, "estimate", "se"]], tab)
    return {**out, "version": svy.__version__, "diff": (de, ds, missing)}


def measure_memory(n: int) -> dict[str, float]:
    """Peak memory allocated (tracemalloc) by a design build and two estimates, in MB.

    Run in a fresh process (``--memory``) so that nothing else is traced.  The reference
    is one read of the n x 161 weight matrix (full-sample weight and 160 replicates).
    """
    import tracemalloc

    df = make_data(n)
    df["y2"] = df["y"] * 2.0
    reps = rep_names()
    one_read = n * (N_REPS + 1) * 8 / 2**20
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    d = ReplicateDesign(df, weights="w", replicates=reps, method="sdr", mse=True)
    d.mean("y", by=KEYS)
    after_first = tracemalloc.get_traced_memory()
    d.mean("y2", by=KEYS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"one_read_mb": one_read, "peak_mb": (peak - base) / 2**20,
            "held_mb": (after_first[0] - base) / 2**20}


def run_pandas(df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    """The obvious loop: groupby sums of w*y and w for each weight column, then SDR."""
    reps = rep_names()

    def estimate() -> pd.DataFrame:
        means = {}
        for c in ["w", *reps]:
            g = df.assign(wy=df[c] * df["y"]).groupby(KEYS)[["wy", c]].sum()
            means[c] = g["wy"] / g[c]
        theta = means["w"]
        rep = pd.DataFrame({c: means[c] for c in reps})
        var = 4.0 / N_REPS * rep.sub(theta, axis=0).pow(2).sum(axis=1)
        return pd.DataFrame({"estimate": theta, "se": np.sqrt(var)}).reset_index()

    t_est, res = timed(estimate, repeats)
    return {"estimate": t_est, "result": res}


def run_numpy(df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    """Lower bound: dense ``W.T @ Z`` and the ratio/variance arithmetic.

    W (n x 161) and Z (n x 280: y * one-hot(domain), one-hot(domain)) are
    built outside the timing; their build time is reported separately.
    """
    t0 = time.perf_counter()
    n_dom = 2 * len(YEARS) * N_AGE
    code = (
        (df["sex"].to_numpy() - 1) * (len(YEARS) * N_AGE)
        + (df["year"].to_numpy() - YEARS[0]) * N_AGE
        + (df["agegrp"].to_numpy() - 1)
    )
    w_mat = np.ascontiguousarray(df[["w", *rep_names()]].to_numpy(dtype=float))
    onehot = np.zeros((len(df), n_dom))
    onehot[np.arange(len(df)), code] = 1.0
    z = np.hstack([onehot * df["y"].to_numpy()[:, None], onehot])
    t_build = time.perf_counter() - t0

    def estimate() -> tuple[np.ndarray, np.ndarray]:
        t = w_mat.T @ z  # 161 x 280
        est = t[:, :n_dom] / t[:, n_dom:]
        var = 4.0 / N_REPS * ((est[1:] - est[0]) ** 2).sum(axis=0)
        return est[0], np.sqrt(var)

    t_est, (est, se) = timed(estimate, repeats)
    keys = pd.DataFrame(
        [(s, y, a) for s in (1, 2) for y in YEARS for a in range(1, N_AGE + 1)], columns=KEYS
    )
    return {"build": [t_build], "estimate": t_est, "result": result_frame(keys, est, se)}


def run_numpy_blocks(df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    """Tighter floor (information only): rows pre-sorted by domain, one BLAS call per domain.

    The argsort and the gather of the sorted weight matrix are set-up (reported,
    not in the estimate time); each domain is then a contiguous block and its
    161 numerator and denominator totals are ``W_d.T @ [y_d, 1]``.
    """
    t0 = time.perf_counter()
    code = (
        (df["sex"].to_numpy() - 1) * (len(YEARS) * N_AGE)
        + (df["year"].to_numpy() - YEARS[0]) * N_AGE
        + (df["agegrp"].to_numpy() - 1)
    )
    order = np.argsort(code, kind="stable")
    w_sorted = np.ascontiguousarray(df[["w", *rep_names()]].to_numpy(dtype=float)[order])
    y1 = np.column_stack([df["y"].to_numpy()[order], np.ones(len(df))])
    starts = np.flatnonzero(np.r_[True, np.diff(code[order]) != 0])
    ends = np.r_[starts[1:], len(df)]
    t_build = time.perf_counter() - t0

    def estimate() -> tuple[np.ndarray, np.ndarray]:
        t = np.stack([w_sorted[a:b].T @ y1[a:b] for a, b in zip(starts, ends, strict=True)])
        est = t[:, :, 0] / t[:, :, 1]  # domains x 161
        var = 4.0 / N_REPS * ((est[:, 1:] - est[:, :1]) ** 2).sum(axis=1)
        return est[:, 0], np.sqrt(var)

    t_est, (est, se) = timed(estimate, repeats)
    keys = pd.DataFrame(
        [(s, y, a) for s in (1, 2) for y in YEARS for a in range(1, N_AGE + 1)], columns=KEYS
    )
    return {"build": [t_build], "estimate": t_est, "result": result_frame(keys, est, se)}


def run_r(df: pd.DataFrame, tmp: Path, repeats: int) -> dict[str, Any]:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return {"skip": "Rscript not found"}
    pd.DataFrame({"n": [len(df)], "R": [N_REPS]}).to_csv(tmp / "meta.csv", index=False)
    df[KEYS].to_csv(tmp / "keys.csv", index=False)
    # exact doubles, column-major, as R's matrix() reads them
    np.asfortranarray(df[["y", "w", *rep_names()]].to_numpy(dtype="<f8")).ravel(order="F").tofile(
        tmp / "num.bin"
    )
    proc = subprocess.run(
        [rscript, str(HERE / "survey_r.R"), str(tmp), str(repeats)],
        capture_output=True,
        text=True,
        check=False,
    )
    (tmp / "num.bin").unlink(missing_ok=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-2000:]}
    timing = pd.read_csv(tmp / "r_timing.csv")
    return {
        "design": timing.loc[timing["phase"] == "design", "seconds"].tolist(),
        "estimate": timing.loc[timing["phase"] == "estimate", "seconds"].tolist(),
        "result": pd.read_csv(tmp / "r_result.csv"),
        "version": proc.stdout.strip(),
    }


def ensure_bench_venv() -> Path | None:
    """Return the peer venv's python, creating ``.venv-bench`` if it is missing."""
    py = BENCH_VENV / "bin" / "python"
    if py.exists():
        return py
    print(
        f"creating {BENCH_VENV} (python -m venv; pip install -e . {' '.join(PEER_PACKAGES)})",
        flush=True,
    )
    try:
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "-e", str(REPO), *PEER_PACKAGES], check=True
        )
    except (subprocess.CalledProcessError, OSError) as err:
        print(f"  could not set up {BENCH_VENV}: {err}; skipping svy and samplics")
        return None
    return py


def run_peers(df: pd.DataFrame, tmp: Path, repeats: int) -> dict[str, dict[str, Any]]:
    py = ensure_bench_venv()
    if py is None:
        return {p: {"skip": f"{BENCH_VENV} could not be created"} for p in ("svy", "samplics")}
    path = tmp / "data.parquet"
    df.to_parquet(path, index=False)
    proc = subprocess.run(
        [str(py), str(HERE / "survey_peers.py"), str(path), str(tmp), str(repeats), str(N_REPS)],
        capture_output=True,
        text=True,
        check=False,
    )
    out: dict[str, dict[str, Any]] = {}
    for name in ("svy", "samplics"):
        f = tmp / f"{name}_timing.json"
        if not f.exists():
            out[name] = {"error": f"runner failed: {proc.stderr.strip()[-2000:]}"}
            continue
        info = json.loads(f.read_text())
        if "error" not in info:
            info["result"] = pd.read_csv(tmp / f"{name}_result.csv")
        out[name] = info
    versions = subprocess.run(
        [
            str(py),
            "-c",
            "import numpy, pandas, scipy; "
            "print(numpy.__version__, pandas.__version__, scipy.__version__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if versions:
        out["_env"] = {"numpy": versions[0], "pandas": versions[1], "scipy": versions[2]}
    return out


# ----------------------------------------------------------------------------- checks
def max_rel_diff(ref: pd.DataFrame, other: pd.DataFrame) -> tuple[float, float, int]:
    """Max relative differences of estimate and se over the domains, and missing domains."""
    o = other[[*KEYS, "estimate", "se"]].astype({k: "int64" for k in KEYS})
    r = ref[[*KEYS, "estimate", "se"]].astype({k: "int64" for k in KEYS})
    m = r.merge(o, on=KEYS, how="left", suffixes=("", "_o"))
    missing = int(m["estimate_o"].isna().sum()) + max(0, len(o) - len(r))

    def rel(a: pd.Series, b: pd.Series) -> float:
        d = (a - b).abs() / b.abs().where(b != 0, 1.0)
        return float(d.max()) if d.notna().all() else float("inf")

    return rel(m["estimate_o"], m["estimate"]), rel(m["se_o"], m["se"]), missing


# ----------------------------------------------------------------------------- report
def machine_info() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg["Build Dependencies"]["blas"]
        blas = f"{b.get('name')} {b.get('version')}"
    except Exception:
        pass
    core = openblas_corename()
    if core:
        blas += f", kernel {core}"
    lines = [
        f"date          : {dt.date.today().isoformat()}",
        f"cpu           : {cpu}; {os.cpu_count()} logical cores ({usable} usable)",
        f"python        : {platform.python_version()} on {platform.platform()}",
        f"carecost      : {carecost.__version__ if hasattr(carecost, '__version__') else '?'}",
        f"numpy/pandas/scipy: {np.__version__} / {pd.__version__} / {scipy.__version__}"
        f" (BLAS {blas})",
    ]
    env = {
        k: os.environ[k]
        for k in (
            "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE",
            "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS",
        )
        if k in os.environ
    }
    if env:
        lines.append(
            "BLAS env      : "
            + ", ".join(f"{k}={v}" for k, v in env.items())
            + "\n                (OPENBLAS_CORETYPE pins OpenBLAS's kernel; it affects dense BLAS:"
            " the numpy bound and carecost's degf, not carecost's sparse estimate)"
        )
    return lines


def openblas_corename() -> str | None:
    """The OpenBLAS kernel numpy's bundled OpenBLAS runs (what threadpoolctl reports)."""
    import ctypes

    libdir = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in sorted(libdir.glob("lib*openblas*.so*")):
        try:
            handle = ctypes.CDLL(str(lib))
        except OSError:
            continue
        for sym in (
            "scipy_openblas_get_corename64_",
            "scipy_openblas_get_corename",
            "openblas_get_corename64_",
            "openblas_get_corename",
        ):
            fn = getattr(handle, sym, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return str(fn().decode())
    return None


def fmt_s(times: list[float] | None) -> str:
    if not times:
        return "-"
    return f"{statistics.median(times):.3f}"


def runs(times: list[float] | None) -> str:
    if not times:
        return "-"
    return f"{len(times)}" + (" (slow: 1 run)" if len(times) == 1 else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"{N_QUICK:,} rows instead of {N_FULL:,}")
    ap.add_argument("--no-peers", action="store_true", help="skip svy and samplics")
    ap.add_argument("--no-r", action="store_true", help="skip R survey")
    ap.add_argument("--repeats", type=int, default=7, help="runs of the fast contestants (>= 3)")
    ap.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--make-peer-venv", action="store_true",
                    help=f"create {BENCH_VENV.name} for samplics (and svy) if it is missing")
    args = ap.parse_args(argv)
    if args.memory:  # the child process of the memory measurement
        print(json.dumps(measure_memory(N_QUICK if args.quick else N_FULL)))
        return 0
    repeats = max(3, args.repeats)
    n = N_QUICK if args.quick else N_FULL
    t_start = time.perf_counter()

    print("\n".join(machine_info()))
    print(f"load average  : {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before)")
    print(
        f"\ndata: n={n:,}, {N_REPS} SDR replicates, 140 domains (sex x year x agegrp), seed {SEED}",
        flush=True,
    )
    df = make_data(n)
    print(f"      y: {100 * (df['y'] == 0).mean():.1f}% zeros, mean {df['y'].mean():.1f} min")

    results: dict[str, dict[str, Any]] = {}
    print("running carecost ...", flush=True)
    results["carecost"] = run_carecost(df, repeats)
    print("running carecost and svy in turns ...", flush=True)
    versus = run_versus_svy(df, repeats)
    print("measuring memory (tracemalloc, fresh process) ...", flush=True)
    mem_proc = subprocess.run(
        [sys.executable, __file__, "--memory", *(["--quick"] if args.quick else [])],
        capture_output=True, text=True, check=False,
    )
    memory = json.loads(mem_proc.stdout.strip().splitlines()[-1]) if mem_proc.returncode == 0 \
        else {"error": mem_proc.stderr.strip()[-500:]}
    print("running numpy lower bound ...", flush=True)
    results["numpy W.T@Z (lower bound)"] = run_numpy(df, repeats)
    results["numpy sorted blocks (info)"] = run_numpy_blocks(df, repeats)
    print("running naive pandas loop ...", flush=True)
    results["pandas loop (161 groupbys)"] = run_pandas(df, 3)

    peer_env: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="carecost-bench-") as tmpdir:
        tmp = Path(tmpdir)
        if args.no_r:
            results["R survey svyby"] = {"skip": "--no-r"}
        else:
            print("running R survey (svrepdesign + svyby) ...", flush=True)
            results["R survey svyby"] = run_r(df, tmp, 3)
        if args.no_peers:
            results["svy"] = {"skip": "--no-peers"}
            results["samplics"] = {"skip": "--no-peers"}
        elif (BENCH_VENV / "bin" / "python").exists() or args.make_peer_venv:
            print("running svy and samplics in .venv-bench ...", flush=True)
            peers = run_peers(df, tmp, repeats)
            peer_env = peers.pop("_env", {})
            results.update(peers)
        else:
            results["samplics"] = {"skip": f"{BENCH_VENV.name} missing (--make-peer-venv)"}
        if "skip" not in versus and "estimate" not in results.get("svy", {}):
            results["svy"] = {"estimate": versus["svy_later"], "version": versus["version"],
                              "method": "in this process, in turns with carecost"}

    # ------------------------------------------------------------------ versions
    print()
    if "version" in results.get("R survey svyby", {}):
        print(f"R             : {results['R survey svyby']['version']}")
    for p in ("svy", "samplics"):
        if "version" in results.get(p, {}):
            print(f"{p:<14}: {results[p]['version']}")
    if peer_env:
        print(
            f".venv-bench   : numpy {peer_env['numpy']}, pandas {peer_env['pandas']}, "
            f"scipy {peer_env['scipy']}"
        )

    # ------------------------------------------------------------------ table
    cc = results["carecost"]
    cc_est = statistics.median(cc["estimate"])
    cc_total = statistics.median(cc["design"]) + cc_est
    np_est = statistics.median(results["numpy W.T@Z (lower bound)"]["estimate"])
    hdr = (
        f"{'contestant':<28} {'setup s':>9} {'estimate s':>11} {'min s':>8} {'runs':>16} "
        f"{'x carecost':>11} {'x carecost':>11}"
    )
    sub = (
        f"{'':<28} {'':>9} {'(median)':>11} {'':>8} {'':>16} {'(estimate)':>11} {'(setup+est)':>11}"
    )
    print("\n" + hdr + "\n" + sub + "\n" + "-" * len(hdr))
    for name, r in results.items():
        if "skip" in r or "error" in r:
            why = r.get("skip") or r["error"].splitlines()[-1]
            print(f"{name:<28} {'skipped: ' + why}")
            continue
        setup = r.get("design") or r.get("setup") or r.get("build")
        est = statistics.median(r["estimate"])
        tot = (statistics.median(setup) if setup else 0.0) + est
        ratio_e = f"{est / cc_est:.2f}"
        ratio_t = f"{tot / cc_total:.2f}" if "build" not in r else "-"
        print(
            f"{name:<28} {fmt_s(setup):>9} {est:>11.3f} {min(r['estimate']):>8.3f} "
            f"{runs(r['estimate']):>16} "
            f"{ratio_e:>11} {ratio_t:>11}"
        )
    print("-" * len(hdr))
    print(
        f"carecost fresh design + first estimate (degf included): "
        f"{statistics.median(cc['first']):.3f} s (median of {len(cc['first'])})"
    )
    print(
        f"carecost design construction: median of {len(cc['design'])}; degf() once "
        f"(rank of the 160 replicate columns - 1 = {cc['degf_value']:.0f}): "
        f"{cc['degf'][0]:.3f} s, cached for the estimates"
    )
    print(
        f"carecost estimate / numpy lower bound = {cc_est / np_est:.2f} "
        f"(target <= 3); numpy W and Z built in "
        f"{results['numpy W.T@Z (lower bound)']['build'][0]:.2f} s (not timed)"
    )
    if "estimate_warm" in results.get("svy", {}):
        print(
            f"svy: estimate on a fresh Sample (table); a second call on the same Sample "
            f"takes {statistics.median(results['svy']['estimate_warm']):.3f} s"
        )
    for p in ("R survey svyby", "svy", "samplics"):
        if "method" in results.get(p, {}):
            print(f"{p}: {results[p]['method']}")

    # ------------------------------------------------------------------ versus svy
    print("\ncarecost and svy timed in turns in this process (issue 20: >= 2x faster):")
    if "skip" in versus:
        print(f"  skipped: {versus['skip']}")
    else:
        for what, label in (("first", "fresh design + first estimate"),
                            ("later", "later estimate, new variable")):
            cc_t, sv_t = versus[f"cc_{what}"], versus[f"svy_{what}"]
            ratios = [b / a for a, b in zip(cc_t, sv_t, strict=True)]
            x = statistics.median(ratios)
            print(f"  {label:<31}: carecost {statistics.median(cc_t):.3f} s, svy "
                  f"{versus['version']} {statistics.median(sv_t):.3f} s; svy/carecost "
                  f"{x:.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})  "
                  f"{'OK' if x >= 2 else 'MISSED'}")
        de, ds, missing = versus["diff"]
        print(f"  same numbers: estimate {de:.1e}, se {ds:.1e} relative, {missing} missing")
    if "error" in memory:
        print(f"memory: failed: {memory['error']}")
    else:
        x = memory["peak_mb"] / memory["one_read_mb"]
        print(f"memory (tracemalloc, build + 2 estimates): peak {memory['peak_mb']:.0f} MB, held "
              f"after the first estimate {memory['held_mb']:.0f} MB; one read of the weights "
              f"{memory['one_read_mb']:.0f} MB; peak / one read = {x:.2f} "
              f"{'OK' if x <= 2 else 'MISSED'} (target <= 2)")

    # ------------------------------------------------------------------ targets
    print("\ntargets (issue):")
    rr = results.get("R survey svyby", {})
    if "estimate" in rr:
        x = statistics.median(rr["estimate"]) / cc_est
        print(f"  >= 20x faster than R svyby      : {x:8.1f}x  {'OK' if x >= 20 else 'MISSED'}")
    for p in ("svy", "samplics"):
        if "estimate" in results.get(p, {}):
            x = statistics.median(results[p]["estimate"]) / cc_est
            print(f"  faster than {p:<20}: {x:8.1f}x  {'OK' if x > 1 else 'MISSED'}")
    x = cc_est / np_est
    print(f"  within 3x of numpy lower bound  : {x:8.2f}x  {'OK' if x <= 3 else 'MISSED'}")

    # ------------------------------------------------------------------ correctness
    print(f"\ncorrectness vs carecost (140 domains, max relative difference, tolerance {TOL:g}):")
    bad = False
    for name, r in results.items():
        if name == "carecost" or "result" not in r:
            continue
        de, ds, missing = max_rel_diff(cc["result"], r["result"])
        ok = de <= TOL and ds <= TOL and missing == 0
        bad |= not ok
        flag = "ok" if ok else "!!!!!!!! DISAGREES WITH CARECOST !!!!!!!!"
        miss = f", {missing} domain(s) missing/extra" if missing else ""
        print(f"  {name:<28} estimate {de:9.2e}   se {ds:9.2e}{miss}   {flag}")
    print(
        f"\ntotal wall time {time.perf_counter() - t_start:.0f} s; load average now "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (timings are noisy when other "
        "processes share the cores)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
