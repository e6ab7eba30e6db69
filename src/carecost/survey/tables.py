"""Weighted tables, the Rao–Scott test of association, intervals for proportions, variances
and two-group t tests (R ``svytable``, ``svychisq``, ``svyciprop``, ``svyvar``,
``svyttest``).

References
----------
Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with small
expected number of positive counts estimated from survey data. *Survey Methodology* 24,
193–201.
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, sections 2.4, 3.3 and
chapter 5. Wiley.
Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway contingency tables
with cell proportions estimated from survey data. *Annals of Statistics* 12, 46–60.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ._backend import MemoryBackend
from ._engine import replicate_variance
from ._errors import DesignError
from .results import Estimate, EstimateInfo, attach, critical_value

if TYPE_CHECKING:
    from ._base import SurveyDesign
    from .replicate import ReplicateDesign

CipropMethod = Literal["logit", "beta", "likelihood", "xlogit", "mean"]
CIPROP_METHODS = ("logit", "beta", "likelihood", "xlogit", "mean")
PROFILE_MAXSTEPS = 10
"""Profile points per side of the likelihood interval, as R ``MASSprofile_glm``'s default."""


def _with_columns(design: SurveyDesign, columns: dict[str, object]) -> SurveyDesign:
    """A copy of an in-memory design with temporary analysis columns (one concat, no
    column-by-column insert into a wide frame)."""
    mb = design._memory("temporary columns")
    new = copy.copy(mb)
    extra = pd.DataFrame(columns, index=mb.data.index)
    new.data = pd.concat([mb.data.drop(columns=[c for c in columns if c in mb.data]), extra],
                         axis=1)
    return design._with_backend(new)


def _levels(design: SurveyDesign, col: str, what: str) -> tuple[list[object], np.ndarray]:
    """Levels of ``col`` among the rows in the design (category order, else sorted) and the
    level code of every row (-1 outside the design)."""
    from ._base import check_columns

    mb = design._memory(what)
    check_columns(mb.data, [col], what)
    s = mb.data[col]
    k = int((s.isna().to_numpy() & mb.mask).sum())
    if k:
        raise DesignError(f"{what}: column {col!r} has {k} missing value(s) in the design; "
                          "recode them or take a subset without them")
    present = pd.unique(s[mb.mask])
    if isinstance(s.dtype, pd.CategoricalDtype):
        levels = [c for c in s.cat.categories if c in set(present)]
    else:
        levels = sorted(present.tolist())
    codes = pd.Index(levels).get_indexer(s)
    return levels, np.where(mb.mask, codes, -1)


def _dask_levels(design: SurveyDesign, col: str, what: str) -> list[object]:
    """Levels of ``col`` among the rows in a Dask design (category order, else sorted)."""
    from ._base import check_columns

    check_columns(design._backend, [col], what)
    vals = design.distinct(col)[col]
    if vals.isna().any():
        raise DesignError(f"{what}: column {col!r} has missing value(s) in the design; "
                          "recode them or take a subset without them")
    dt = design._backend.dtype(col)
    present = set(vals.tolist())
    if isinstance(dt, pd.CategoricalDtype) and dt.categories is not None:
        cats = [c for c in dt.categories if c in present]
        if len(cats) == len(present):
            return cats
    return sorted(present)


def weighted_sums(design: SurveyDesign, columns: list[str], by: list[str], na: str = "raise"
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """Weighted totals :math:`\\sum_i w_i x_i` of numeric ``columns`` by domain, without
    variances (one pass over the data on any backend): the rows (``by`` columns and
    ``variable``) and the totals."""
    from ._engine import evaluate

    prep = design._prepare("total", columns, by, na)  # type: ignore[arg-type]
    t = np.asarray(design._backend.totals(prep), dtype=float).reshape(-1, 1)
    return prep.plan.rows, evaluate(prep.plan, t)[:, 0]


def _table_dask(design: SurveyDesign, a: str, b: str | None, total: float | None
                ) -> pd.DataFrame:
    """:func:`table` from one reduction over the partitions (level indicators' totals)."""
    la = _dask_levels(design, a, "table")
    lb = _dask_levels(design, b, "table") if b is not None else [None]
    d2, names, labels = design._expand_levels("total", [a], b)
    rows, sums = weighted_sums(d2, names, [b] if b is not None else [])
    cell: dict[tuple[object, object], float] = {}
    for i, r in enumerate(rows.to_dict("records")):
        level = labels[str(r["variable"])][1]
        cell[(level, r[b] if b is not None else None)] = float(sums[i])
    counts = np.array([cell.get((str(x), y), 0.0) for y in lb for x in la])
    if b is None:
        out = pd.DataFrame({a: la})
    else:
        out = pd.DataFrame({a: np.tile(np.asarray(la, dtype=object), len(lb)),
                            b: np.repeat(np.asarray(lb, dtype=object), len(la))})
    if total is not None:
        counts = counts * float(total) / counts.sum()
    out["Freq"] = counts
    return out


def table(design: SurveyDesign, a: str, b: str | None = None, *,
          total: float | None = None) -> pd.DataFrame:
    """Weighted counts; see :meth:`carecost.survey.SurveyDesign.table`."""
    if design.backend == "dask":
        return _table_dask(design, a, b, total)
    mb = design._memory("table")
    la, ca = _levels(design, a, "table")
    w = mb.masked_w
    if b is None:
        counts = np.bincount(ca[ca >= 0], weights=w[ca >= 0], minlength=len(la))
        out = pd.DataFrame({a: la})
    else:
        lb, cb = _levels(design, b, "table")
        keep = (ca >= 0) & (cb >= 0)
        cell = ca[keep] + len(la) * cb[keep]
        counts = np.bincount(cell, weights=w[keep], minlength=len(la) * len(lb))
        out = pd.DataFrame({a: np.tile(np.asarray(la, dtype=object), len(lb)),
                            b: np.repeat(np.asarray(lb, dtype=object), len(la))})
    if total is not None:
        counts = counts * float(total) / counts.sum()
    out["Freq"] = counts
    return out


def chisq(design: SurveyDesign, a: str, b: str,
          statistic: Literal["F", "Chisq"] = "F") -> pd.DataFrame:
    """Rao–Scott test of association; see :meth:`carecost.survey.SurveyDesign.chisq`."""
    if statistic not in ("F", "Chisq"):
        raise DesignError(f"chisq: statistic must be 'F' or 'Chisq'; got {statistic!r}")
    la, ca = _levels(design, a, "chisq")
    lb, cb = _levels(design, b, "chisq")
    nr, nc = len(la), len(lb)
    if nr < 2 or nc < 2:
        raise DesignError(f"chisq: {a!r} has {nr} and {b!r} has {nc} level(s) in the design; "
                          "a test of association needs at least two of each")
    n = len(design)
    cells = np.where((ca >= 0) & (cb >= 0), ca + nr * cb, -1)
    cat = pd.Categorical.from_codes(cells.astype(np.int64),
                                    categories=pd.Index(np.arange(nr * nc)))
    prop = _with_columns(design, {"__cell__": cat}).proportion("__cell__", vcov=True)
    mean2 = prop["estimate"].to_numpy(dtype=float)
    v = np.asarray(prop.vcov, dtype=float)
    tab = table(design, a, b, total=n)["Freq"].to_numpy().reshape(nc, nr).T
    expected = np.outer(tab.sum(axis=1), tab.sum(axis=0)) / tab.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        x2 = float(((tab - expected) ** 2 / expected).sum())
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    x1 = np.column_stack([np.ones(nr * nc),
                          *[(rows == i).astype(float) for i in range(1, nr)],
                          *[(cols == j).astype(float) for j in range(1, nc)]])
    inter = np.column_stack([((rows == i) & (cols == j)).astype(float)
                             for j in range(1, nc) for i in range(1, nr)])
    q, _ = np.linalg.qr(x1)
    cmat = inter - q @ (q.T @ inter)
    idiag = np.where(mean2 == 0, 0.0, 1.0 / np.where(mean2 == 0, 1.0, mean2))
    denom = cmat.T @ (idiag[:, None] / n * cmat)
    numr = cmat.T @ (idiag[:, None] * v * idiag[None, :]) @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    d0 = tr**2 / float(np.trace(delta @ delta))
    nu = design.degf()
    if statistic == "F":
        f = x2 / tr
        return pd.DataFrame({"test": ["Rao-Scott F"], "statistic": [f], "df": [d0],
                             "ddf": [d0 * nu], "p": [float(stats.f.sf(f, d0, d0 * nu))]})
    k = delta.shape[1]
    return pd.DataFrame({"test": ["Rao-Scott Chisq"], "statistic": [x2], "df": [float(k)],
                         "ddf": [np.nan],
                         "p": [float(stats.chi2.sf(x2 / (tr / k), k))]})


def ciprop(design: SurveyDesign, y: str, method: CipropMethod = "logit", *,
           level: float = 0.95, df: float | None = None) -> Estimate:
    """Interval for a proportion; see :meth:`carecost.survey.SurveyDesign.ciprop`."""
    if method not in CIPROP_METHODS:
        raise DesignError(f"ciprop: method must be one of {CIPROP_METHODS}; got {method!r}")
    mb = design._memory("ciprop")
    from ._base import check_columns

    check_columns(mb.data, [y], "ciprop")
    vals = pd.to_numeric(mb.data[y], errors="coerce").to_numpy(dtype=float)
    inset = vals[mb.mask]
    if np.isnan(inset).any() or not np.isin(inset, (0.0, 1.0)).all():
        raise DesignError(f"ciprop: column {y!r} must be 0/1 (or boolean) with no missing "
                          "values in the design, the indicator of the category")
    m = design.mean(y, level=level, df=df)
    p = float(m["estimate"].iloc[0])
    se = float(m["se"].iloc[0])
    use_df = design.degf() if df is None else float(df)
    alpha = 1 - level
    crit = critical_value(level, use_df)
    if method == "mean":
        lo, hi = p - crit * se, p + crit * se
    elif method in ("logit", "xlogit"):
        if method == "xlogit":  # delta method on the logit of the mean
            logit = np.log(p / (1 - p))
            se_l = se / (p * (1 - p))
        else:  # svyglm(y ~ 1, quasibinomial): on replicate designs, refitted per replicate
            fit = _with_columns(design, {"__y__": vals}).glm("__y__ ~ 1", "quasibinomial")
            logit, se_l = float(fit["estimate"].iloc[0]), float(fit["se"].iloc[0])
        lo, hi = (float(stats.logistic.cdf(logit - crit * se_l)),
                  float(stats.logistic.cdf(logit + crit * se_l)))
    elif method == "likelihood":
        lo, hi = _likelihood_interval(design, vals, mb, level, use_df)
    else:
        n_eff = p * (1 - p) / se**2
        n_eff *= (stats.t.ppf(alpha / 2, len(design) - 1) / stats.t.ppf(alpha / 2, use_df)) ** 2
        lo = float(stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1))
        hi = float(stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)))
    out = pd.DataFrame({"variable": [y], "method": [method], "estimate": [p], "se": [se],
                        "ci_low": [lo], "ci_high": [hi], "df": [use_df]})
    return attach(out, EstimateInfo(
        statistic="proportion", vcov=np.array([[se**2]]), index=out.index.copy(),
        level=level, variance=design._variance_note(), df=design.degf(),
        method=design._METHOD, weights_unit=design.weights_unit, estimates=np.array([p])))


def _likelihood_interval(design: SurveyDesign, vals: np.ndarray, mb: object, level: float,
                         df: float) -> tuple[float, float]:
    r"""R ``confint(svyglm(y ~ 1, quasibinomial), method = "likelihood")``, back-transformed.

    As R's ``MASSprofile_glm`` and ``confint_profile``: the scaled deviance
    :math:`\tau(b) = \mathrm{sign}(b-\hat b)\sqrt{(D(b) - D(\hat b))/\hat\phi}` of the
    intercept-only logistic fit (prior weights :math:`w_i/\bar w` over the :math:`n` rows of
    the model frame), :math:`\hat\phi` the design-based ``var`` of the Pearson residuals
    :math:`(y_i-\hat p)/\sqrt{\hat p(1-\hat p)}` (without the prior weights, as R's
    ``residuals.svyglm``), is
    evaluated at :math:`\hat b \pm k\,\delta\,s` (:math:`k = 1, 2, \dots` up to 9, while
    :math:`|\tau| < z_{max}`, :math:`\delta = z_{max}/5`, :math:`s` the design SE of
    :math:`\hat b`, :math:`z_{max}^2` the upper :math:`\alpha` point of :math:`F_{1,n-1}`
    with :math:`\alpha = \Phi(t_{df}\sqrt{\lambda})/2`); an interpolating cubic spline
    (Forsythe, Malcolm and Moler) through :math:`(b, \tau)` is evaluated at :math:`3m` equally
    spaced points and inverted linearly at :math:`\tau = \pm t_{df}\sqrt{\lambda}`, where
    :math:`\lambda` is the design variance of :math:`\hat b` over its model-based
    (unscaled) variance :math:`1/(n\,\hat p(1-\hat p))`.  An end beyond the profiled range
    is NaN, as R.
    """
    from .replicate import ReplicateDesign

    assert isinstance(mb, MemoryBackend)
    fit = _with_columns(design, {"__y__": vals}).glm("__y__ ~ 1", "quasibinomial")
    b0, se_b = float(fit["estimate"].iloc[0]), float(fit["se"].iloc[0])
    # rows of R's model frame: a Design keeps the rows outside a subset (weight 0), a
    # replicate design drops them
    rows = mb.mask if isinstance(design, ReplicateDesign) else np.ones(len(mb.mask), bool)
    w = np.where(mb.mask, mb.w, 0.0)[rows]
    y = np.where(mb.mask, vals, 0.0)[rows]
    n = len(w)
    pw = w / w.mean()
    p0 = float(stats.logistic.cdf(b0))

    def deviance(b: float) -> float:
        mu = float(stats.logistic.cdf(b))
        return float(-2 * np.sum(pw * np.where(y == 1, np.log(mu), np.log1p(-mu))))

    pearson = np.zeros(len(mb.mask))
    # R's residuals.svyglm(type = "pearson"): without the prior (survey) weights
    pearson[rows] = (y - p0) / np.sqrt(p0 * (1 - p0))
    disp = float(_with_columns(design, {"__r__": pearson}).var("__r__")["estimate"].iloc[0])
    lam = se_b**2 * (n * p0 * (1 - p0))
    if df == np.inf:
        cut = float(stats.norm.ppf((1 - level) / 2)) * np.sqrt(lam)
    elif df <= 0:
        raise DesignError("ciprop: method='likelihood' needs positive degrees of freedom")
    else:
        cut = float(stats.t.ppf((1 - level) / 2, df)) * np.sqrt(lam)
    alpha = float(stats.norm.cdf(cut)) / 2
    zmax = float(np.sqrt(stats.f.isf(alpha, 1, n - 1)))
    delta = zmax / 5
    dev0 = deviance(b0)
    zs, bs = [0.0], [b0]
    for sgn in (-1.0, 1.0):
        step, z = 0, 0.0
        while (step := step + 1) < PROFILE_MAXSTEPS and abs(z) < zmax:
            b = b0 + sgn * step * delta * se_b
            zz = (deviance(b) - dev0) / disp
            if zz < -0.001:
                raise DesignError("ciprop: the likelihood profile found a better fit than the "
                                  "estimate; the fit has not converged")
            z = sgn * float(np.sqrt(max(zz, 0.0)))
            zs.append(z)
            bs.append(b)
    order = np.argsort(zs, kind="stable")
    bx, zy = np.asarray(bs)[order], np.asarray(zs)[order]
    grid = np.linspace(bx[0], bx[-1], 3 * len(bx))
    sz = fmm_spline(bx, zy, grid)
    inv = np.argsort(sz, kind="stable")  # R's approx() orders by its x (here tau)
    sz, grid = sz[inv], grid[inv]
    ends = []
    for c in (cut, -cut):
        ok = sz[0] <= c <= sz[-1]
        ends.append(float(stats.logistic.cdf(np.interp(c, sz, grid))) if ok else np.nan)
    return ends[0], ends[1]


def fmm_spline(x: np.ndarray, y: np.ndarray, xout: np.ndarray) -> np.ndarray:
    """Interpolating cubic spline with Forsythe–Malcolm–Moler end conditions, as R
    ``spline(method = "fmm")`` (R's ``splines.c``): the third derivatives at the ends match
    those of the cubics through the first and last four points."""
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 2:
        raise DesignError("spline: need at least two points")
    if n < 3:
        t = (y[1] - y[0]) / (x[1] - x[0])
        b[:] = t
    else:
        d[0] = x[1] - x[0]
        c[1] = (y[1] - y[0]) / d[0]
        for i in range(1, n - 1):
            d[i] = x[i + 1] - x[i]
            b[i] = 2.0 * (d[i - 1] + d[i])
            c[i + 1] = (y[i + 1] - y[i]) / d[i]
            c[i] = c[i + 1] - c[i]
        b[0] = -d[0]
        b[n - 1] = -d[n - 2]
        c[0] = c[n - 1] = 0.0
        if n > 3:
            c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
            c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
            c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
            c[n - 1] = -c[n - 1] * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])
        for i in range(1, n):
            t = d[i - 1] / b[i - 1]
            b[i] = b[i] - t * d[i - 1]
            c[i] = c[i] - t * c[i - 1]
        c[n - 1] = c[n - 1] / b[n - 1]
        for i in range(n - 2, -1, -1):
            c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
        b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
        for i in range(n - 1):
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
            d[i] = (c[i + 1] - c[i]) / d[i]
            c[i] = 3.0 * c[i]
        c[n - 1] = 3.0 * c[n - 1]
        d[n - 1] = d[n - 2]
    idx = np.clip(np.searchsorted(x, xout, side="right") - 1, 0, n - 1)
    dx = xout - x[idx]
    return np.asarray(y[idx] + dx * (b[idx] + dx * (c[idx] + dx * d[idx])))


def variance(design: SurveyDesign, y: str, *, level: float = 0.95) -> Estimate:
    """Population variance; see :meth:`carecost.survey.SurveyDesign.var`."""
    from .replicate import ReplicateDesign

    if design.backend == "dask":
        return _variance_dask(design, y, level)
    mb = design._memory("var")
    from ._base import numeric_column

    if y not in mb.data.columns:
        raise DesignError(f"var: column {y!r} not found in the data")
    x = numeric_column(mb.data, y)
    k = int((np.isnan(x) & mb.mask).sum())
    if k:
        raise DesignError(f"var: column {y!r} has {k} missing value(s) in the design")
    x = np.where(mb.mask, x, 0.0)
    w = mb.masked_w
    xbar = float(w @ x / w.sum())
    xc = np.where(mb.mask, x - xbar, 0.0)
    if isinstance(design, ReplicateDesign):
        assert mb.repw is not None
        n = int(mb.mask.sum())
        cols = np.column_stack([w, mb.repw * mb.mask[:, None]])
        t0, t1, t2 = (cols.T @ np.ones_like(xc), cols.T @ xc, cols.T @ (xc * xc))
        return _replicate_variance_result(design, y, n / (n - 1) * (t2 / t0 - (t1 / t0) ** 2),
                                          n, level)
    n = int((w != 0).sum())
    res = _with_columns(design, {"__var__": xc * xc * n / (n - 1)}).mean("__var__",
                                                                       level=level)
    res["variable"] = y
    return res


def _replicate_variance_result(design: ReplicateDesign, y: str, est_all: np.ndarray, n: int,
                               level: float) -> Estimate:
    """The :func:`variance` table of a replicate design from the full-sample and replicate
    variances ``est_all`` (full sample first), on either backend."""
    est = float(est_all[0])
    var = float(replicate_variance(est_all[None, 1:], np.array([est]), design.scale,
                                   design.rscales, design.mse, False)[0])
    degf = design.degf()
    crit = critical_value(level, degf)
    se = float(np.sqrt(max(var, 0.0)))
    out = pd.DataFrame({"variable": [y], "estimate": [est], "se": [se],
                        "ci_low": [est - crit * se], "ci_high": [est + crit * se],
                        "df": [degf], "n": [n]})
    return attach(out, EstimateInfo(
        statistic="variance", vcov=np.array([[var]]), index=out.index.copy(),
        level=level, variance=design._variance_note(), df=degf, method=design._METHOD,
        weights_unit=design.weights_unit, estimates=np.array([est])))


def _variance_dask(design: SurveyDesign, y: str, level: float) -> Estimate:
    """:func:`variance` on the Dask backend, from reductions over the partitions.

    :math:`\\hat{\\bar y}` first (one estimator call); then on a :class:`Design` the mean
    of :math:`(y_i-\\hat{\\bar y})^2 n/(n-1)` (``n`` the rows of non-zero weight, one
    count), on a :class:`ReplicateDesign` the totals of :math:`1, y-\\hat{\\bar y},
    (y-\\hat{\\bar y})^2` for every replicate, which give each replicate's variance as in
    memory.
    """
    from ._base import check_columns
    from .replicate import ReplicateDesign

    check_columns(design._backend, [y], "var")
    xbar = float(design.mean(y)["estimate"].iloc[0])  # an error naming y if it has NaN
    wcol = str(design._weights_col)  # type: ignore[attr-defined]
    meta = pd.DataFrame({c: pd.Series(dtype=float) for c in ("__one__", "__xc__", "__xc2__")})

    def centred(f: pd.DataFrame, inset: np.ndarray) -> pd.DataFrame:
        from ._backend import numeric_values

        xc = numeric_values(f[y], y) - xbar
        return pd.DataFrame({"__one__": np.ones(len(f)), "__xc__": xc, "__xc2__": xc * xc},
                            index=f.index)

    d2 = design.derive(centred, meta)
    if isinstance(design, ReplicateDesign):
        n = len(design)
        t = d2.total(["__one__", "__xc__", "__xc2__"], return_replicates=True, vcov=False)
        info = t.estimate_info
        assert info is not None and info.replicates is not None
        cols = np.column_stack([t["estimate"].to_numpy(), info.replicates])
        return _replicate_variance_result(
            design, y, n / (n - 1) * (cols[2] / cols[0] - (cols[1] / cols[0]) ** 2), n, level)
    n = len(design.subset(lambda f: f[wcol] != 0))
    factor = n / (n - 1)

    def scaled(f: pd.DataFrame, inset: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({"__var__": f["__xc2__"].to_numpy() * factor}, index=f.index)

    res = d2.derive(scaled, pd.DataFrame({"__var__": pd.Series(dtype=float)})).mean(
        "__var__", level=level)
    res["variable"] = y
    return res


def ttest(design: SurveyDesign, y: str, by: str, *, level: float = 0.95) -> pd.DataFrame:
    """Two-group t test; see :meth:`carecost.survey.SurveyDesign.ttest`."""
    from ._base import check_columns

    check_columns(design._memory("ttest").data, [y], "ttest")
    levels, codes = _levels(design, by, "ttest")
    if len(levels) != 2:
        raise DesignError(f"ttest: {by!r} must have exactly two groups in the design; it has "
                          f"{len(levels)} ({levels[:6]})")
    fit = _with_columns(design, {"__y__": design._memory("ttest").data[y].to_numpy(),
                                 "__g__": (codes == 1).astype(float)}
                        ).glm("__y__ ~ __g__", level=level)
    r = fit.iloc[1]
    return pd.DataFrame({"variable": [y], "by": [by],
                         "contrast": [f"{levels[1]} - {levels[0]}"],
                         "estimate": [r["estimate"]], "se": [r["se"]], "t": [r["t"]],
                         "df": [r["df"]], "p": [r["p"]], "ci_low": [r["ci_low"]],
                         "ci_high": [r["ci_high"]]})
