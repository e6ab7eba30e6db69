"""Benchmark of ``ReplicateDesign.glm`` (survey-weighted GLM) at ATUS scale.

Data: the synthetic ATUS-size file of ``bench_survey.py`` (181,335 persons, a full-sample
weight and 160 SDR replicate weights, minutes of unpaid care ``y`` with ~30% zeros).
Model: ``y ~ C(sex) + C(agegrp) + year + C(sex):year`` (8 coefficients), gaussian and
quasipoisson, SDR variance (scale 4/160, ``mse=True``).

Contestants: carecost (every replicate fitted at once: batched normal equations /
vectorised IRLS); the obvious Python loop of 160 statsmodels refits (information: the
same numbers, one fit per replicate); R ``svyglm`` on ``svrepdesign`` (timed inside R,
``--no-r`` skips it).  Every contestant's coefficients and SEs are checked against
carecost's (1e-6 relative).

    python benchmarks/bench_survey_glm.py           # full size
    python benchmarks/bench_survey_glm.py --quick   # 20,000 rows

A script, not a test: prints a table and exits 0 (1 if a contestant disagrees).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_survey import N_FULL, N_QUICK, N_REPS, make_data, rep_names
from carecost.survey import ReplicateDesign

FORMULA = "y ~ C(sex) + C(agegrp) + year + C(sex):year"
R_FORMULA = "y ~ factor(sex) + factor(agegrp) + year + factor(sex):year"
TOL = 1e-6
R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(survey))
meta <- read.csv(file.path(args[1], "meta.csv"))
n <- meta$n; R <- meta$R
con <- file(file.path(args[1], "num.bin"), "rb")
m <- matrix(readBin(con, "double", n = n * (R + 5), size = 8, endian = "little"), nrow = n)
close(con)
df <- data.frame(sex = m[, 1], agegrp = m[, 2], year = m[, 3], y = m[, 4], w = m[, 5],
                 m[, 6:(R + 5)])
names(df)[6:(R + 5)] <- sprintf("rw%03d", seq_len(R))
des <- svrepdesign(data = df, repweights = "rw[0-9]+", weights = ~w,
                   type = "successive-difference", mse = TRUE, combined.weights = TRUE)
out <- list()
for (fam in c("gaussian", "quasipoisson")) {
  el <- system.time(fit <- svyglm(as.formula(args[2]), design = des, family = get(fam)(),
                                  control = glm.control(epsilon = 1e-13, maxit = 100)))
  tab <- coef(summary(fit))
  out[[fam]] <- data.frame(family = fam, estimate = sprintf("%.17g", tab[, 1]),
                           se = sprintf("%.17g", tab[, 2]), seconds = el[["elapsed"]])
}
write.csv(do.call(rbind, out), file.path(args[1], "r_glm.csv"), row.names = FALSE)
"""


def run_carecost(d: ReplicateDesign, family: str) -> tuple[float, pd.DataFrame]:
    t0 = time.perf_counter()
    res = d.glm(FORMULA, family)  # type: ignore[arg-type]
    return time.perf_counter() - t0, res


def run_loop(d: ReplicateDesign, family: str, res: pd.DataFrame) -> tuple[float, np.ndarray]:
    """One statsmodels fit per replicate (the design matrix built once, as carecost)."""
    import formulaic

    t0 = time.perf_counter()
    mm = formulaic.model_matrix(FORMULA, d.data)
    x, y = np.asarray(mm.rhs, dtype=float), np.asarray(mm.lhs, dtype=float).ravel()
    fam = sm.families.Gaussian() if family == "gaussian" else sm.families.Poisson()
    beta = res["estimate"].to_numpy()
    reps = np.column_stack([
        sm.GLM(y, x, family=fam, var_weights=d.replicate_weights[:, r]).fit(
            start_params=beta, tol=1e-12).params for r in range(N_REPS)])
    se = np.sqrt(4.0 / N_REPS * ((reps - beta[:, None]) ** 2).sum(axis=1))
    return time.perf_counter() - t0, se


def run_r(df: pd.DataFrame, tmp: Path) -> pd.DataFrame | str:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "Rscript not found"
    pd.DataFrame({"n": [len(df)], "R": [N_REPS]}).to_csv(tmp / "meta.csv", index=False)
    cols = ["sex", "agegrp", "year", "y", "w", *rep_names()]
    np.asfortranarray(df[cols].to_numpy(dtype="<f8")).ravel(order="F").tofile(tmp / "num.bin")
    (tmp / "glm.R").write_text(R_SCRIPT)
    subprocess.run([rscript, str(tmp / "glm.R"), str(tmp), R_FORMULA], check=True)
    return pd.read_csv(tmp / "r_glm.csv")


def rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a / b - 1)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"{N_QUICK:,} rows")
    ap.add_argument("--no-r", action="store_true", help="skip R svyglm")
    ap.add_argument("--no-loop", action="store_true", help="skip the statsmodels loop")
    args = ap.parse_args(argv)
    n = N_QUICK if args.quick else N_FULL
    df = make_data(n)
    d = ReplicateDesign(df, weights="w", replicates=rep_names(), method="sdr", mse=True)
    d.degf()
    ok = True
    rows = []
    results = {}
    for family in ("gaussian", "quasipoisson"):
        t, res = run_carecost(d, family)
        results[family] = res
        rows.append((family, "carecost (all replicates at once)", t, 0.0))
        if not args.no_loop:
            tl, se = run_loop(d, family, res)
            diff = rel(se, res["se"].to_numpy())
            ok &= diff < TOL
            rows.append((family, "statsmodels, loop of 160 refits", tl, diff))
    if not args.no_r:
        with tempfile.TemporaryDirectory() as tmp:
            r = run_r(df, Path(tmp))
        if isinstance(r, str):
            print(f"R skipped: {r}")
        else:
            for family, g in r.groupby("family", sort=False):
                res = results[str(family)]
                diff = max(rel(g["estimate"].to_numpy(float), res["estimate"].to_numpy()),
                           rel(g["se"].to_numpy(float), res["se"].to_numpy()))
                ok &= diff < TOL
                rows.append((str(family), "R survey svyglm", float(g["seconds"].iloc[0]), diff))
    print(f"{n:,} rows, {N_REPS} SDR replicates, {len(results['gaussian'])} coefficients: "
          f"{FORMULA}")
    print(f"{'family':<14}{'contestant':<36}{'seconds':>10}{'max rel diff':>15}")
    for fam, who, t, diff in rows:
        print(f"{fam:<14}{who:<36}{t:>10.2f}{diff:>15.2e}")
    print("all agree with carecost to 1e-6" if ok else "DISAGREEMENT with carecost")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
