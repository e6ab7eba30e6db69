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

from ._engine import replicate_variance
from ._errors import DesignError
from .results import Estimate, EstimateInfo, attach, critical_value

if TYPE_CHECKING:
    from ._base import SurveyDesign

CipropMethod = Literal["logit", "beta", "xlogit", "mean"]
CIPROP_METHODS = ("logit", "beta", "xlogit", "mean")


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


def table(design: SurveyDesign, a: str, b: str | None = None, *,
          total: float | None = None) -> pd.DataFrame:
    """Weighted counts; see :meth:`carecost.survey.SurveyDesign.table`."""
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


def variance(design: SurveyDesign, y: str, *, level: float = 0.95) -> Estimate:
    """Population variance; see :meth:`carecost.survey.SurveyDesign.var`."""
    from .replicate import ReplicateDesign

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
        est_all = n / (n - 1) * (t2 / t0 - (t1 / t0) ** 2)
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
    n = int((w != 0).sum())
    res = _with_columns(design, {"__var__": xc * xc * n / (n - 1)}).mean("__var__",
                                                                       level=level)
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
